//! The run dashboard: header with progress, the timeline, per-worker bars, the CPU heat
//! strip, results and the parameter editor. On small terminals the lower panels become tabs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::theme::Theme;
use super::{cpu, results, text, timeline, workers};
use crate::app::run::{RunState, RunView};
use crate::app::{App, Focus, LowerTab};

/// Below this height or width the lower panels become tabs.
const COMPACT_H: u16 = 34;
const COMPACT_W: u16 = 110;

/// Draws the dashboard.
pub fn draw(app: &App, f: &mut Frame<'_>, area: Rect) {
    let t = &app.theme;
    let Some(run) = app.shown_run() else {
        f.render_widget(
            Paragraph::new(Line::styled("no run yet: r runs the lesson's demo", t.dim)),
            area,
        );
        return;
    };
    let head_h = if run.player.is_some() { 3 } else { 2 };
    let [head, body] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Min(5)]).areas(area);
    header(app, run, t, f, head);

    let compact = area.height < COMPACT_H || area.width < COMPACT_W;
    let rows = run.rows().max(1) as u16;
    let tl_max = if compact {
        body.height / 2
    } else {
        body.height * 45 / 100
    };
    let tl_h = (rows.saturating_mul(3) + 6).clamp(7, tl_max.max(7));
    let [tl, rest] = Layout::vertical([Constraint::Length(tl_h), Constraint::Min(3)]).areas(body);
    let geom = timeline::draw(
        run,
        t,
        app.focus == Focus::Timeline && !app.help,
        tl,
        f.buffer_mut(),
    );
    app.timeline_geom.set(geom);

    let prev = app.compare_run();
    if compact {
        let [tabs, panel] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(2)]).areas(rest);
        tab_bar(app, t, f, tabs);
        match app.lower_tab {
            LowerTab::Results => results_panel(run, prev, t, f, panel),
            LowerTab::Workers => workers::draw(run, t, panel, f.buffer_mut()),
            LowerTab::Cpu => cpu::draw(run, t, panel, f.buffer_mut()),
            LowerTab::Params => params_panel(app, t, f, panel),
        }
    } else {
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
        if app.replay_only {
            results_panel(run, prev, t, f, bottom);
        } else {
            let [res, par] =
                Layout::horizontal([Constraint::Min(40), Constraint::Length(40)]).areas(bottom);
            results_panel(run, prev, t, f, res);
            params_panel(app, t, f, par);
        }
    }
}

fn header(app: &App, run: &RunView, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let runs = app.lesson_runs();
    let at = runs
        .iter()
        .position(|i| *i == app.shown)
        .map_or(0, |p| p + 1);
    let params = run.params.to_string();
    let mut l1 = vec![
        Span::styled(format!(" {} ", run.title), t.title),
        Span::styled(format!("· {} ", run.demo), t.accent),
        Span::styled(format!("· workers {} · {params}", run.workers), t.dim),
    ];
    if runs.len() > 1 {
        l1.push(Span::styled(
            format!("  · run {at} of {} ([ ])", runs.len()),
            t.dim,
        ));
    }
    let mut lines = vec![Line::from(l1)];
    if let (Some(p), Some(m)) = (&run.player, &run.recorded_on) {
        lines.push(Line::from(vec![
            Span::styled(" recorded on ", t.dim),
            Span::styled(m.one_line(), t.text),
            Span::styled(
                if m.host.is_empty() {
                    String::new()
                } else {
                    format!(" · host {}", m.host)
                },
                t.dim,
            ),
        ]));
        let state = if p.at_end() {
            "■ end".to_string()
        } else if p.paused {
            "⏸ paused".to_string()
        } else {
            "▶ playing".to_string()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" replay {state} "), t.warn),
            Span::styled(format!("x{} ", p.speed_factor()), t.accent),
            Span::styled(
                format!(
                    "· {} of {} · Space pauses · < > speed · e jumps to the end",
                    text::short_dur(p.pos.saturating_sub(p.start)),
                    text::short_dur(p.end.saturating_sub(p.start))
                ),
                t.dim,
            ),
        ]));
        if !p.at_end() {
            f.render_widget(Paragraph::new(lines), area);
            return;
        }
        lines.pop();
        lines.push(Line::from(vec![
            Span::styled(" replay ■ end ", t.warn),
            Span::styled(
                format!(
                    "· {} recorded",
                    text::short_dur(p.end.saturating_sub(p.start))
                ),
                t.dim,
            ),
        ]));
        f.render_widget(Paragraph::new(lines), area);
        return;
    }
    let elapsed = text::dur(run.elapsed_ns());
    let line2 = match &run.state {
        RunState::Running => {
            let (done, total) = run.progress;
            let frac = if total > 0 {
                done as f64 / total as f64
            } else {
                0.0
            };
            let label = run.current.as_ref().map_or("starting".to_string(), |p| {
                if p.warmup {
                    format!("{} warm-up", p.variant)
                } else {
                    format!("{} pass {}", p.variant, p.repeat + 1)
                }
            });
            let bar_w = 20;
            let filled = (frac * bar_w as f64).round() as usize;
            let eta = run
                .pass_eta_ns()
                .map_or(String::new(), |e| format!(" · pass ETA {}", text::dur(e)));
            let vi = run
                .current
                .as_ref()
                .and_then(|p| run.variants.iter().position(|v| *v == p.variant))
                .map_or(String::new(), |i| {
                    format!(" ({}/{})", i + 1, run.variants.len())
                });
            let mut spans = vec![
                Span::styled(
                    if run.cancelling {
                        " cancelling… "
                    } else {
                        " running "
                    },
                    t.warn,
                ),
                Span::styled(format!("{label}{vi} "), t.text),
            ];
            if total > 0 {
                spans.extend([
                    Span::styled("█".repeat(filled), t.gauge),
                    Span::styled("░".repeat(bar_w - filled), t.dim),
                    Span::styled(
                        format!(
                            " {:>3.0}% · {} of {} items ·",
                            frac * 100.0,
                            text::count(done),
                            text::count(total)
                        ),
                        t.text,
                    ),
                ]);
            }
            spans.push(Span::styled(format!(" elapsed {elapsed}{eta}"), t.text));
            Line::from(spans)
        }
        RunState::Done => Line::from(vec![
            Span::styled(" finished ", t.ok),
            Span::styled(
                format!("in {elapsed} · r runs again · p changes parameters · [ ] other runs"),
                t.dim,
            ),
        ]),
        RunState::Cancelled => Line::from(vec![
            Span::styled(" cancelled ", t.warn),
            Span::styled(format!("after {elapsed} · what completed is shown"), t.dim),
        ]),
        RunState::Failed(why) => Line::from(vec![
            Span::styled(" failed ", t.bad),
            Span::styled(why.clone(), t.text),
        ]),
    };
    lines.push(line2);
    f.render_widget(Paragraph::new(lines), area);
}

fn tab_bar(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let tabs: &[(LowerTab, &str)] = if app.replay_only {
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
        let st = if *tab == app.lower_tab {
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
    let focused = app.focus == Focus::Params;
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
    let Some(s) = &app.settings else {
        f.render_widget(Paragraph::new(Line::styled("nothing to set", t.dim)), inner);
        return;
    };
    let rows = s.rows();
    let sel = app.param_row.min(rows.len().saturating_sub(1));
    let w = inner.width as usize;
    let name_w = 18.min(w / 2);
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let (name, value, _) = s.describe(*row);
        let is_sel = focused && i == sel;
        let value = match (&app.editing, is_sel) {
            (Some(buf), true) => format!("{buf}▏"),
            _ => value,
        };
        let arrows = if is_sel && app.editing.is_none() {
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
