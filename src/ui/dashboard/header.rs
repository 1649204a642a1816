//! The dashboard's header: what runs (title, demo, workers, parameters, which of the lesson's
//! runs), then where it is (progress bar and ETA, finished, cancelled, failed), or for a
//! replay the machine it was recorded on and the playback position.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::replay::Player;
use crate::app::run::{RunState, RunView};
use crate::machine::Machine;
use crate::ui::text;
use crate::ui::theme::Theme;

/// Width of the progress bar, cells.
const BAR_W: usize = 20;

/// Draws the header of `run` into `area`.
pub fn draw(app: &App, run: &RunView, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let mut lines = vec![what_runs(app, run, t)];
    if let (Some(p), Some(m)) = (&run.player, &run.recorded_on) {
        lines.extend(replay_lines(p, m, t));
    } else {
        lines.push(state_line(run, t));
    }
    let w = area.width as usize;
    let lines: Vec<Line<'static>> = lines.into_iter().map(|l| whole_spans(l, w)).collect();
    f.render_widget(Paragraph::new(lines), area);
}

/// `line` cut to `w` cells at a span boundary, with an ellipsis: a value is shown whole or
/// not at all ("work=heavy", never "work=hea"; never "pass ETA 457.20 m").
fn whole_spans(line: Line<'static>, w: usize) -> Line<'static> {
    if line.width() <= w {
        return line;
    }
    let style = line.style;
    let mut used = 0;
    let mut out = Vec::new();
    for sp in line.spans {
        let sw = text::width(&sp.content);
        if used + sw + 1 > w {
            break;
        }
        used += sw;
        out.push(sp);
    }
    out.push(Span::raw("…"));
    Line::from(out).style(style)
}

/// "workers 4" for a demo; for a watched program, its processes and threads seen so far (a
/// watch starts as one process, so its worker count says nothing).
fn count_line(run: &RunView) -> String {
    if !run.watched() {
        return format!("workers {}", run.workers);
    }
    let store = &run.rec.store;
    let threads = store.worker_count();
    let pids: std::collections::BTreeSet<u32> = (0..threads)
        .filter_map(|w| store.worker(w).first().and_then(|s| s.pid))
        .collect();
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "es" });
    format!(
        "{} · {threads} thread{}",
        plural(pids.len().max(1), "process"),
        if threads == 1 { "" } else { "s" }
    )
}

fn what_runs(app: &App, run: &RunView, t: &Theme) -> Line<'static> {
    let runs = app.lesson_runs();
    let at = runs
        .iter()
        .position(|i| *i == app.shown)
        .map_or(0, |p| p + 1);
    let params = run.params.to_string();
    let mut l1 = vec![
        Span::styled(format!(" {} ", run.title), t.title),
        Span::styled(format!("· {} ", run.demo), t.accent),
        Span::styled(format!("· {} ·", count_line(run)), t.dim),
    ];
    // One span per parameter, so a narrow header drops whole ones.
    l1.extend(
        params
            .split_whitespace()
            .map(|p| Span::styled(format!(" {p}"), t.dim)),
    );
    if runs.len() > 1 {
        l1.push(Span::styled(
            format!("  · run {at} of {} ([ ])", runs.len()),
            t.dim,
        ));
    }
    Line::from(l1)
}

fn replay_lines(p: &Player, m: &Machine, t: &Theme) -> [Line<'static>; 2] {
    let recorded = Line::from(vec![
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
    ]);
    let total = text::short_dur(p.end.saturating_sub(p.start));
    if p.at_end() {
        let end = Line::from(vec![
            Span::styled(" replay ■ end ", t.warn),
            Span::styled(format!("· {total} recorded"), t.dim),
        ]);
        return [recorded, end];
    }
    let state = if p.paused {
        "⏸ paused"
    } else {
        "▶ playing"
    };
    let position = Line::from(vec![
        Span::styled(format!(" replay {state} "), t.warn),
        Span::styled(format!("x{} ", p.speed_factor()), t.accent),
        Span::styled(
            format!(
                "· {} of {total} · Space pauses · < > speed · e jumps to the end",
                text::short_dur(p.pos.saturating_sub(p.start)),
            ),
            t.dim,
        ),
    ]);
    [recorded, position]
}

fn state_line(run: &RunView, t: &Theme) -> Line<'static> {
    let elapsed = text::dur(run.elapsed_ns());
    match &run.state {
        RunState::Running => progress_line(run, t, &elapsed),
        RunState::Done => Line::from(vec![
            Span::styled(" finished ", t.ok),
            Span::styled(
                if run.watched() {
                    format!("in {elapsed} · r watches it again · q goes back · [ ] other runs")
                } else {
                    format!("in {elapsed} · r runs again · p changes parameters · [ ] other runs")
                },
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
    }
}

fn progress_line(run: &RunView, t: &Theme, elapsed: &str) -> Line<'static> {
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
    let state = if run.cancelling {
        " cancelling… "
    } else {
        " running "
    };
    let mut spans = vec![
        Span::styled(state, t.warn),
        Span::styled(format!("{label}{vi} "), t.text),
    ];
    if total > 0 {
        let filled = (frac * BAR_W as f64).round() as usize;
        spans.extend([
            Span::styled("█".repeat(filled), t.gauge),
            Span::styled("░".repeat(BAR_W - filled), t.dim),
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
