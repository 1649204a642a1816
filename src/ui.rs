//! The views: they only draw [`App`] state, never change it. What a frame measured (the
//! timeline's columns, the reader's last line) is returned by [`draw`]; the event loop hands
//! it to the app as a message, so cursor steps match screen columns.

pub mod activities;
pub mod challenge;
pub mod charts;
pub mod claims;
pub mod cpu;
pub mod dashboard;
pub mod dialog;
pub mod exercises;
pub mod highlight;
pub mod history;
pub mod home;
pub mod learn;
pub mod markdown;
pub mod pane;
pub mod present;
pub mod reader;
pub mod results;
pub mod sweep;
pub mod text;
pub mod theme;
pub mod timeline;
pub mod workers;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::{App, Geometry, Screen};
use theme::Theme;

/// Smallest terminal the layouts are made for.
pub const MIN_WIDTH: u16 = 72;
/// Smallest terminal height.
pub const MIN_HEIGHT: u16 = 20;

/// Draws the whole screen.
pub fn render(app: &App, f: &mut Frame<'_>) {
    draw(app, f);
}

/// Draws the whole screen and returns what it measured, for [`crate::app::Msg::Layout`].
pub fn draw(app: &App, f: &mut Frame<'_>) -> Geometry {
    let t = &Theme::new(app.theme);
    let area = f.area();
    let mut g = Geometry::default();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(t, f, area);
        return g;
    }
    let [main, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    match app.screen {
        Screen::Home => home::draw(app, t, f, main),
        Screen::Reader => g.reader_max = Some(reader::draw(app, t, f, main)),
        Screen::Dashboard if app.present => g.timeline = present::draw(app, t, f, main),
        Screen::Dashboard => (g.timeline, g.panel) = dashboard::draw(app, t, f, main),
        Screen::Runs => history::draw(app, t, f, main),
        Screen::Sweep => sweep::draw(app, t, f, main),
        Screen::Lecture => g.timeline = present::lecture::draw(app, t, f, main),
        Screen::Exercises => exercises::draw_list(app, t, f, main),
        Screen::Exercise => exercises::draw_one(app, t, f, main),
    }
    footer(app, t, f, foot);
    learn::draw(app, t, f, main);
    if app.help {
        help(app, t, f, area);
    }
    g
}

fn too_small(t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let lines = vec![
        Line::styled("Please enlarge the terminal", t.title),
        Line::raw(""),
        Line::raw(format!(
            "parlab needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.",
            area.width, area.height
        )),
        Line::styled("(Ctrl-C quits)", t.dim),
    ];
    let h = (lines.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    let r = Rect::new(area.x, y, area.width, h);
    f.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        r,
    );
}

fn footer(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let (_, binds) = app.keys_help();
    if let Some(s) = &app.status {
        let style = if s.error { t.bad } else { t.accent };
        let hint = if binds.iter().any(|b| b.keys == "?") {
            "  ? help"
        } else {
            ""
        };
        let line = Line::from(vec![
            Span::styled(text::fit(&s.text, area.width as usize - hint.len()), style),
            Span::styled(hint, t.dim),
        ]);
        f.render_widget(Paragraph::new(line), area);
        return;
    }
    // Each shown binding is its key, " what", then a gap; the gap narrows to two spaces when all
    // of them would not fit with three, and `? help` always keeps its room, so that the way to
    // every other key is on screen at any width.
    let shown: Vec<(&str, &str)> = binds
        .iter()
        .filter(|b| !b.short.is_empty())
        .map(|b| (b.keys.split(' ').next().unwrap_or(b.keys), b.short))
        .collect();
    let width =
        |gap: usize, (key, what): &(&str, &str)| text::width(key) + text::width(what) + 1 + gap;
    let full = |gap: usize| shown.iter().map(|k| width(gap, k)).sum::<usize>();
    let gap = if full(3) <= area.width as usize { 3 } else { 2 };
    let help_w = shown
        .iter()
        .find(|(k, _)| *k == "?")
        .map_or(0, |k| width(gap, k));
    let mut spans = Vec::new();
    let mut used = 0usize;
    for k in &shown {
        let w = width(gap, k);
        let room = if k.0 == "?" { 0 } else { help_w };
        // A binding that does not fit is skipped, so shorter ones after it still show.
        if used + w + room > area.width as usize {
            continue;
        }
        spans.push(Span::styled(k.0.to_string(), t.key));
        spans.push(Span::styled(format!(" {}{}", k.1, " ".repeat(gap)), t.dim));
        used += w;
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn help(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let (name, binds) = app.keys_help();
    let kw = binds.iter().map(|b| text::width(b.keys)).max().unwrap_or(4);
    // Borders and the dialog's margin take 4 columns; a description wraps under itself.
    let widest = binds
        .iter()
        .map(|b| 1 + kw + 2 + text::width(b.what))
        .max()
        .unwrap_or(20);
    let w = (widest as u16 + 4).min(area.width.saturating_sub(4));
    let inner = (w as usize).saturating_sub(4);
    let room = area.height.saturating_sub(2) as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    for b in &binds {
        let lead = Line::from(vec![
            Span::raw(" "),
            Span::styled(text::pad(b.keys, kw), t.key),
            Span::raw("  "),
        ]);
        let mut wrapped = text::wrap(
            &[(b.what.to_string(), t.text)],
            inner,
            Span::raw(" ".repeat(1 + kw + 2)),
            1 + kw + 2,
        );
        if let Some(first) = wrapped.first_mut() {
            // The key in place of the first line's indent.
            let rest: Vec<Span<'static>> = first.spans.drain(1..).collect();
            first.spans = lead.spans.into_iter().chain(rest).collect();
        }
        lines.extend(wrapped);
    }
    // Too tall for the screen: one line per key, its description cut, so every key shows.
    if lines.len() > room {
        lines = binds
            .iter()
            .map(|b| {
                Line::from(vec![
                    Span::raw(" "),
                    Span::styled(text::pad(b.keys, kw), t.key),
                    Span::raw("  "),
                    Span::styled(text::fit(b.what, inner.saturating_sub(1 + kw + 2)), t.text),
                ])
            })
            .collect();
    }
    // The blank lines and the closing hint only where the screen has room for them.
    if lines.len() + 2 <= room {
        lines.insert(0, Line::raw(""));
        lines.push(Line::raw(""));
    }
    if lines.len() < room {
        lines.push(Line::styled(" any key closes this help", t.dim));
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    dialog::dialog(
        f,
        t,
        area,
        (w, h),
        &format!(" Keys: {name} "),
        Paragraph::new(lines),
    );
}
