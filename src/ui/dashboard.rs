//! The run dashboard: header with progress, the timeline, per-worker bars, the CPU heat
//! strip, results and the parameter editor. On small terminals the lower panels become tabs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::theme::Theme;
mod header;

use super::{cpu, results, text, timeline, workers};
use crate::app::run::RunView;
use crate::app::{App, Focus, LowerTab};

/// Below this height or width the lower panels become tabs.
const COMPACT_H: u16 = 34;
const COMPACT_W: u16 = 110;

/// Draws the dashboard; returns the timeline's columns and visible rows.
pub fn draw(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) -> Option<(u16, usize)> {
    let Some(run) = app.shown_run() else {
        f.render_widget(
            Paragraph::new(Line::styled("no run yet: r runs the lesson's demo", t.dim)),
            area,
        );
        return None;
    };
    let head_h = if run.player.is_some() { 3 } else { 2 };
    let [head, body] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Min(5)]).areas(area);
    header::draw(app, run, t, f, head);

    let compact = area.height < COMPACT_H || area.width < COMPACT_W;
    let rows = run.rows().max(1) as u16;
    let tl_max = if compact {
        body.height / 2
    } else {
        body.height * 45 / 100
    };
    let tl_h = (rows.saturating_mul(3) + 6).clamp(7, tl_max.max(7));
    let [tl, rest] = Layout::vertical([Constraint::Length(tl_h), Constraint::Min(3)]).areas(body);
    let focused = app.dash.focus == Focus::Timeline && !app.help;
    let geom = timeline::draw(run, t, focused, tl, f.buffer_mut());
    if compact {
        compact_panels(app, run, t, f, rest);
    } else {
        wide_panels(app, run, t, f, rest, rows);
    }
    Some(geom)
}

/// Small terminals: the lower panels as tabs.
fn compact_panels(app: &App, run: &RunView, t: &Theme, f: &mut Frame<'_>, rest: Rect) {
    let [tabs, panel] = Layout::vertical([Constraint::Length(1), Constraint::Min(2)]).areas(rest);
    tab_bar(app, t, f, tabs);
    match app.dash.lower_tab {
        LowerTab::Results => results_panel(run, app.compare_run(), t, f, panel),
        LowerTab::Workers => workers::draw(run, t, panel, f.buffer_mut()),
        LowerTab::Cpu => cpu::draw(run, t, panel, f.buffer_mut()),
        LowerTab::Params => params_panel(app, t, f, panel),
    }
}

/// Large terminals: workers beside CPU, results beside parameters.
fn wide_panels(app: &App, run: &RunView, t: &Theme, f: &mut Frame<'_>, rest: Rect, rows: u16) {
    let prev = app.compare_run();
    let cores = run
        .rec
        .samples
        .last()
        .map_or(run.rec.machine.cores, |s| s.per_core.len()) as u16;
    let want = (rows.max(cores.min(24)) + 4).max(6);
    let mid_h = want.min(rest.height / 2);
    let [mid, bottom] =
        Layout::vertical([Constraint::Length(mid_h), Constraint::Min(4)]).areas(rest);
    let [wk, cp] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(mid);
    workers::draw(run, t, wk, f.buffer_mut());
    cpu::draw(run, t, cp, f.buffer_mut());
    if app.dash.replay_only {
        results_panel(run, prev, t, f, bottom);
    } else {
        let [res, par] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(40)]).areas(bottom);
        results_panel(run, prev, t, f, res);
        params_panel(app, t, f, par);
    }
}

fn tab_bar(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let tabs: &[(LowerTab, &str)] = if app.dash.replay_only {
        &[
            (LowerTab::Results, "1 Results"),
            (LowerTab::Workers, "2 Workers"),
            (LowerTab::Cpu, "3 CPU"),
        ]
    } else {
        &[
            (LowerTab::Results, "1 Results"),
            (LowerTab::Workers, "2 Workers"),
            (LowerTab::Cpu, "3 CPU"),
            (LowerTab::Params, "4 Parameters"),
        ]
    };
    let mut spans = vec![Span::raw(" ")];
    for (tab, name) in tabs {
        let st = if *tab == app.dash.lower_tab {
            t.selected
        } else {
            t.dim
        };
        spans.push(Span::styled(format!(" {name} "), st));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn results_panel(run: &RunView, prev: Option<&RunView>, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let block = Block::bordered()
        .title(Span::styled(" Results ", t.title))
        .border_style(t.border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let lines = results::lines(run, prev, t, inner.width as usize);
    f.render_widget(Paragraph::new(lines), inner);
}

fn params_panel(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let focused = app.dash.focus == Focus::Params;
    let block = Block::bordered()
        .title(Span::styled(
            if focused {
                " Parameters (editing) "
            } else {
                " Parameters · p edits "
            },
            t.title,
        ))
        .border_style(if focused { t.border_focus } else { t.border });
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(s) = &app.params.settings else {
        f.render_widget(Paragraph::new(Line::styled("nothing to set", t.dim)), inner);
        return;
    };
    let rows = s.rows();
    let sel = app.params.row.min(rows.len().saturating_sub(1));
    let w = inner.width as usize;
    let name_w = 18.min(w / 2);
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let (name, value, _) = s.describe(*row);
        let is_sel = focused && i == sel;
        let value = match (&app.params.editing, is_sel) {
            (Some(buf), true) => format!("{buf}▏"),
            _ => value,
        };
        let arrows = if is_sel && app.params.editing.is_none() {
            "◂ ▸"
        } else {
            ""
        };
        let mut line = Line::from(vec![
            Span::styled(
                text::pad(&name, name_w),
                if is_sel { t.accent } else { t.dim },
            ),
            Span::styled(text::fit(&value, w.saturating_sub(name_w + 4)), t.text),
            Span::styled(format!(" {arrows}"), t.dim),
        ]);
        if is_sel {
            line = line.style(t.selected);
        }
        lines.push(line);
    }
    let room = (inner.height as usize).saturating_sub(lines.len());
    if focused && room >= 2 {
        let (_, _, help) = s.describe(rows[sel]);
        lines.push(Line::raw(""));
        lines.extend(text::wrap(&[(help, t.dim)], w, Span::raw(""), 0));
    } else if !focused && room >= 2 {
        lines.push(Line::raw(""));
        lines.push(Line::styled("r runs again with these values", t.dim));
    }
    let scroll = (sel + 1).saturating_sub(inner.height as usize);
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
}
