//! The run dashboard: header with progress, the timeline, per-worker bars, the CPU heat
//! strip, results, the parameter editor, and where a run has them the Queue depth, Memory and
//! Log panels. On small terminals the lower panels become tabs. Tab gives a panel the
//! keyboard (arrows and PgUp/PgDn scroll it), Enter or `z` maximizes it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::pane::{Pane, Reach};
use super::theme::Theme;
mod header;
mod panels;

use super::{charts, cpu, timeline, workers};
use crate::app::panels::shown;
use crate::app::run::RunView;
use crate::app::{App, Focus, LowerTab};

/// Below this height or width the lower panels become tabs.
const COMPACT_H: u16 = 34;
const COMPACT_W: u16 = 110;

/// Columns the Workers panel keeps: room for CPU against wall time at 120 columns.
const WORKERS_W: u16 = 58;
/// Columns the CPU panel and each chart beside Workers keep at least.
const MIN_SIDE: u16 = 20;

/// What a dashboard frame measured: the timeline's columns and rows, the focused panel's reach.
pub type DashGeometry = (Option<(u16, usize)>, Option<Reach>);

/// Draws the dashboard; returns the timeline's geometry and the focused panel's reach.
pub fn draw(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) -> DashGeometry {
    let Some(run) = app.shown_run() else {
        f.render_widget(
            Paragraph::new(Line::styled("no run yet: r runs the lesson's demo", t.dim)),
            area,
        );
        return (None, None);
    };
    let head_h = if run.player.is_some() { 3 } else { 2 };
    let [head, body] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Min(5)]).areas(area);
    header::draw(app, run, t, f, head);
    let body = crate::ui::challenge::gauge(app, t, f, body);
    let focus = app
        .dash
        .panel
        .filter(|p| shown(Some(run), app.dash.replay_only).contains(p));
    if app.dash.maximized {
        return match focus {
            None => (Some(timeline_panel(app, run, t, f, body)), None),
            Some(p) => (None, panel(app, run, t, f, body, p)),
        };
    }
    let compact = area.height < COMPACT_H || area.width < COMPACT_W;
    let rows = run.rows().max(1) as u16;
    let tl_max = if compact {
        body.height / 2
    } else {
        body.height * 45 / 100
    };
    let tl_h = (rows.saturating_mul(3) + 6).clamp(7, tl_max.max(7));
    let [tl, rest] = Layout::vertical([Constraint::Length(tl_h), Constraint::Min(3)]).areas(body);
    let geom = timeline_panel(app, run, t, f, tl);
    let reach = if compact {
        compact_panels(app, run, t, f, rest)
    } else {
        wide_panels(app, run, t, f, rest, rows)
    };
    (Some(geom), reach)
}

fn timeline_panel(
    app: &App,
    run: &RunView,
    t: &Theme,
    f: &mut Frame<'_>,
    area: Rect,
) -> (u16, usize) {
    let focused = app.dash.focus == Focus::Timeline && app.dash.panel.is_none() && !app.help;
    timeline::draw(run, t, focused, area, f.buffer_mut())
}

/// Draws lower panel `p`; its reach when it has the keyboard.
fn panel(
    app: &App,
    run: &RunView,
    t: &Theme,
    f: &mut Frame<'_>,
    area: Rect,
    p: LowerTab,
) -> Option<Reach> {
    let pane = Pane {
        focused: app.dash.panel == Some(p) && !app.help,
        scroll: app.dash.scroll_of(p),
    };
    let buf = f.buffer_mut();
    let reach = match p {
        LowerTab::Results => Some(panels::results(app, run, t, pane, area, buf)),
        LowerTab::Workers => Some(workers::draw(run, t, pane, area, buf)),
        LowerTab::Cpu => {
            cpu::draw(run, t, pane, area, buf);
            None
        }
        LowerTab::Params => {
            panels::params(app, t, pane, area, buf);
            None
        }
        LowerTab::Queue => {
            charts::queue(run, t, pane, area, buf);
            None
        }
        LowerTab::Memory => {
            charts::memory(run, t, pane, area, buf);
            None
        }
        LowerTab::Log => Some(panels::log(run, t, pane, area, buf)),
    };
    if pane.focused {
        reach.or(Some((0, area.height)))
    } else {
        None
    }
}

/// Small terminals: the lower panels as tabs.
fn compact_panels(
    app: &App,
    run: &RunView,
    t: &Theme,
    f: &mut Frame<'_>,
    rest: Rect,
) -> Option<Reach> {
    let [tabs, area] = Layout::vertical([Constraint::Length(1), Constraint::Min(2)]).areas(rest);
    let offered = shown(Some(run), app.dash.replay_only);
    let current = if offered.contains(&app.dash.lower_tab) {
        app.dash.lower_tab
    } else {
        LowerTab::Results
    };
    let mut spans = vec![Span::raw(" ")];
    for tab in &offered {
        let st = if *tab == current { t.selected } else { t.dim };
        spans.push(Span::styled(
            format!(" {} {} ", tab.index() + 1, tab.name()),
            st,
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), tabs);
    panel(app, run, t, f, area, current)
}

/// Large terminals: workers beside CPU (and the charts and log a run has), results beside
/// parameters.
fn wide_panels(
    app: &App,
    run: &RunView,
    t: &Theme,
    f: &mut Frame<'_>,
    rest: Rect,
    rows: u16,
) -> Option<Reach> {
    let cores = run
        .rec
        .samples
        .last()
        .map_or(run.rec.machine.cores, |s| s.per_core.len()) as u16;
    let offered = shown(Some(run), app.dash.replay_only);
    let mut extras: Vec<LowerTab> = offered
        .iter()
        .copied()
        .filter(|p| matches!(p, LowerTab::Queue | LowerTab::Memory | LowerTab::Log))
        .collect();
    // Beside Workers, CPU and each chart keep MIN_SIDE columns (narrower ones draw nothing
    // whole); the charts that do not fit take turns in the last place: the one Tab focuses.
    let fit = (rest.width.saturating_sub(WORKERS_W + MIN_SIDE) / MIN_SIDE) as usize;
    if extras.len() > fit {
        let focused = app.dash.panel.filter(|p| extras.contains(p));
        extras.truncate(fit);
        if let Some(p) = focused
            && !extras.contains(&p)
            && let Some(last) = extras.last_mut()
        {
            *last = p;
        }
    }
    let want = (rows.max(cores.min(24)) + 4).max(if extras.is_empty() { 6 } else { 10 });
    let mid_h = want.min(rest.height / 2);
    let [mid, bottom] =
        Layout::vertical([Constraint::Length(mid_h), Constraint::Min(4)]).areas(rest);
    let mut reach = None;
    let mut put = |p: LowerTab, area: Rect, f: &mut Frame<'_>| {
        if let Some(r) = panel(app, run, t, f, area, p) {
            reach = Some(r);
        }
    };
    // Workers keep 58 columns at least: room for CPU against wall time at 120 columns.
    let mut cols = vec![Constraint::Min(WORKERS_W), Constraint::Fill(1)];
    cols.extend(extras.iter().map(|_| Constraint::Fill(1)));
    let areas = Layout::horizontal(cols).split(mid);
    put(LowerTab::Workers, areas[0], f);
    put(LowerTab::Cpu, areas[1], f);
    for (p, a) in extras.iter().zip(areas.iter().skip(2)) {
        put(*p, *a, f);
    }
    if app.dash.replay_only || run.watched() {
        put(LowerTab::Results, bottom, f);
    } else {
        let [res, par] =
            Layout::horizontal([Constraint::Min(40), Constraint::Length(40)]).areas(bottom);
        put(LowerTab::Results, res, f);
        put(LowerTab::Params, par, f);
    }
    reach
}
