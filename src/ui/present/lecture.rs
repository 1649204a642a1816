//! The lecture screen (`parlab present FILE`): a header with the step's position and title
//! ("3/7  Pool: a fixed team of workers"), then the step itself: a note shown large, a run
//! or replay in the presenter layout, a sweep's speedup chart, a lesson's text, or, for a
//! step that cannot load, the one line naming its file and line. Speaker notes are never
//! drawn here: they belong to `parlab present --notes`.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect, Size};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::sizing;
use crate::app::lecture::Lecture;
use crate::app::{App, Screen};
use crate::lecture::Kind;
use crate::ui::text;
use crate::ui::theme::Theme;

/// Draws the lecture screen; returns the timeline's columns and rows when a run is shown.
pub fn draw(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) -> Option<(u16, usize)> {
    let l = app.lecture.as_ref()?;
    let step = l.step()?;
    let head_h = sizing::heading_rows(app.text_sizing);
    let [head, body] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Min(1)]).areas(area);
    header(app, l, t, f, head);
    if let Some(p) = &step.problem {
        message(&step.step.title, p, t.bad, t, f, body);
        return None;
    }
    let ours = l.shown_for == Some(l.at);
    match step.step.kind {
        Kind::Note => note(&step.step.title, &step.step.text, t, f, body),
        Kind::Lesson if !ours => {
            crate::ui::reader::draw(app, t, f, body);
        }
        Kind::Sweep if ours && app.sweep.is_some() => crate::ui::sweep::draw(app, t, f, body),
        Kind::Lesson | Kind::Run | Kind::Replay if ours && app.shown_run().is_some() => {
            return super::draw(app, t, f, body);
        }
        _ => {
            let why = if l.pending {
                "stopping the previous step's run…"
            } else {
                "not started: r runs this step"
            };
            message(&step.step.title, why, t.dim, t, f, body);
        }
    }
    None
}

/// "3/7  Title" on the left, the lecture's title on the right (when it fits). With sized
/// text the cells are left for the terminal's own large heading (see [`sizing`]).
fn header(app: &App, l: &Lecture, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    if let Some((x, y, w)) = sizing::heading_cells(app.text_sizing, area) {
        sizing::reserve(f.buffer_mut(), x, y, w);
        return;
    }
    let left = heading(l);
    let right = l.deck.title.as_str();
    let w = area.width as usize;
    let lw = text::width(&left);
    let mut spans = vec![Span::styled(text::fit(&left, w), t.title)];
    if lw + text::width(right) + 4 <= w {
        let gap = w - lw - text::width(right);
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(right.to_string(), t.dim));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The bytes that draw the lecture's heading sized, when the terminal has sized text and
/// the lecture screen is up on a terminal of `size` (the event loop writes them after the
/// frame, over the cells [`header`] reserved).
pub fn sized_heading(app: &App, size: Size) -> Option<String> {
    let usable = size.width >= crate::ui::MIN_WIDTH && size.height >= crate::ui::MIN_HEIGHT;
    if !app.text_sizing || app.screen != Screen::Lecture || !usable {
        return None;
    }
    let l = app.lecture.as_ref()?;
    let (x, y, w) = sizing::heading_cells(true, Rect::new(0, 0, size.width, size.height))?;
    Some(sizing::sequence(&heading(l), x, y, w))
}

/// The heading of the step on screen: "3/7  Pool: a fixed team of workers".
pub fn heading(l: &Lecture) -> String {
    let title = l.step().map_or("", |s| s.step.title.as_str());
    format!("{}  {title}", l.position())
}

/// A note: its title and text, large and centred (as large as a terminal cell allows).
fn note(title: &str, body: &str, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let w = area.width.min(64);
    let x = area.x + (area.width - w) / 2;
    let mut lines = wrapped(title, t.heading.add_modifier(Modifier::BOLD), w);
    // Sentence by sentence, a blank line between: easier to read from the back of a room.
    for sentence in sentences(body) {
        lines.push(Line::raw(""));
        lines.extend(wrapped(&sentence, t.text.add_modifier(Modifier::BOLD), w));
    }
    centred(lines, f, Rect::new(x, area.y, w, area.height));
}

/// `s` word-wrapped to `w` cells.
fn wrapped(s: &str, style: Style, w: u16) -> Vec<Line<'static>> {
    text::wrap(&[(s.to_string(), style)], w as usize, Span::raw(""), 0)
}

/// `lines` centred across `area`, a third of the way down.
fn centred(lines: Vec<Line<'static>>, f: &mut Frame<'_>, area: Rect) {
    let h = (lines.len() as u16).min(area.height);
    let y = area.y + (area.height - h) / 3;
    let p = Paragraph::new(lines).alignment(Alignment::Center);
    f.render_widget(p, Rect::new(area.x, y, area.width, h));
}

/// `text` split after each `.`, `?` or `!` that ends a sentence.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
        if word.ends_with(['.', '?', '!']) {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The step's title and one line under it (a broken step's problem, a step not started).
fn message(title: &str, line: &str, style: Style, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let w = area.width.saturating_sub(2).max(8);
    let mut lines = wrapped(title, t.heading, w);
    lines.push(Line::raw(""));
    lines.extend(wrapped(line, style, w));
    centred(lines, f, area);
}

#[cfg(test)]
mod tests {
    #[test]
    fn notes_split_into_sentences() {
        let s = super::sentences("One core. Your laptop has several. Can one job use them all?");
        assert_eq!(s.len(), 3);
        assert_eq!(s[2], "Can one job use them all?");
    }
}
