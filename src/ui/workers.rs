//! Per-worker breakdown of one pass: a busy / waiting / idle bar per worker (load balance at a
//! glance), tasks done, and CPU time against wall time.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget as _;

use super::pane::{Pane, Reach};

use super::text;
use super::theme::{Theme, glyph};
use crate::app::run::RunView;
use crate::trace::{Phase, WorkerStats};

/// Draws the per-worker panel, scrolled by `pane.scroll` rows; its reach.
pub fn draw(run: &RunView, t: &Theme, pane: Pane, area: Rect, buf: &mut Buffer) -> Reach {
    let pass = run.focus_pass();
    let info = pass.and_then(|p| run.rec.store.pass(p));
    let title = match info {
        Some(p) => format!(
            " Workers · {} #{}{} ",
            p.info.variant,
            p.info.repeat + 1,
            if p.info.warmup { " (warm-up)" } else { "" }
        ),
        None => " Workers ".to_string(),
    };
    let block = pane.block(title, t);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(pass) = pass else {
        buf.set_string(inner.x, inner.y, "no pass yet", t.dim);
        return (0, inner.height);
    };
    let stats = run.worker_stats(pass);
    if stats.is_empty() {
        buf.set_string(inner.x, inner.y, "no spans yet for this pass", t.dim);
        return (0, inner.height);
    }
    let w = inner.width as usize;
    // Columns: label, bar, then the numbers that fit.
    // CPU against wall time needs 24 columns beside the numbers: shown from 56 (the panel's
    // width at 120 terminal columns), with a shorter bar.
    let wide = w >= 56;
    let nums_w = if wide {
        46
    } else if w >= 48 {
        22
    } else {
        0
    };
    // Labels (roles) get what the bar can spare above 8 cells, at most 16.
    let labels = run.rec.store.labels();
    let cap = w.saturating_sub(nums_w + 10).clamp(4, 16);
    let names = stats
        .iter()
        .map(|s| (s.id as usize, labels.get(s.id, Some(pass))));
    let label_w = text::row_names_width(names, cap) + 1;
    let bar_w = w.saturating_sub(label_w + nums_w + 1).max(4);
    let cols = Columns {
        label_w,
        bar_w,
        nums: nums_w >= 22,
        wide,
    };
    let rows = (inner.height as usize).saturating_sub(1);
    let max = stats.len().saturating_sub(rows);
    let top = (pane.scroll as usize).min(max);
    for (i, s) in stats.iter().skip(top).take(rows).enumerate() {
        let y = inner.y + i as u16;
        let name = text::row_name(s.id as usize, labels.get(s.id, Some(pass)), label_w - 1);
        buf.set_line(inner.x, y, &worker_line(s, &name, &cols, t), inner.width);
    }
    let more = stats.len().saturating_sub(rows + top);
    let starved = cols.wide
        && stats
            .iter()
            .any(|s| crate::trace::seldom_on_cpu(s.compute_ns, s.cpu_ns).is_some());
    // What matters most first: a narrow panel cuts the legend at its end.
    // The cores-full note needs the room: the rest then closes up.
    let gap = if starved { " " } else { "  " };
    let legend = format!(
        "{} busy{gap}{} waiting{gap}{} idle{}{}{}",
        glyph(Phase::Compute),
        glyph(Phase::WaitWork),
        glyph(Phase::Idle),
        if more > 0 {
            format!("{gap}· {more} more")
        } else {
            String::new()
        },
        if starved {
            " · cpu≪busy: cores full"
        } else {
            ""
        },
        if cols.nums {
            "  ·  busy/wait/idle %, tasks"
        } else {
            ""
        },
    );
    let y = inner.y + inner.height.saturating_sub(1);
    if stats.len() < inner.height as usize || more > 0 {
        buf.set_string(inner.x, y, text::fit(&legend, w), t.dim);
    }
    (max.min(u16::MAX as usize) as u16, rows as u16)
}

/// The columns a worker line has room for.
struct Columns {
    label_w: usize,
    bar_w: usize,
    /// busy/wait/idle percentages and tasks.
    nums: bool,
    /// CPU and wall time too.
    wide: bool,
}

/// One worker: its label, the busy / waiting / idle bar, and the numbers that fit.
fn worker_line(s: &WorkerStats, name: &str, c: &Columns, t: &Theme) -> Line<'static> {
    let bar_w = c.bar_w;
    let wall = s.wall_ns.max(1) as f64;
    let fb = (s.busy_ns as f64 / wall).min(1.0);
    let fw = (s.waiting_ns as f64 / wall).min(1.0 - fb);
    let nb = ((fb * bar_w as f64).round() as usize).min(bar_w);
    let nbw = (((fb + fw) * bar_w as f64).round() as usize).clamp(nb, bar_w);
    let bar = |p: Phase, n: usize| Span::styled(glyph(p).to_string().repeat(n), t.phase(p));
    let mut spans = vec![
        Span::styled(text::pad(name, c.label_w), t.dim),
        bar(Phase::Compute, nb),
        bar(Phase::WaitWork, nbw - nb),
        bar(Phase::Idle, bar_w - nbw),
        Span::raw(" "),
    ];
    let pct = |x: u64| 100.0 * x as f64 / wall;
    if c.nums {
        spans.push(Span::styled(
            format!(
                "{:>3.0}/{:>2.0}/{:>2.0}% {:>5}t",
                pct(s.busy_ns),
                pct(s.waiting_ns),
                pct(s.idle_ns),
                compact(s.tasks)
            ),
            t.text,
        ));
    }
    if c.wide {
        let cpu = s
            .cpu_ns
            .map_or_else(|| "cpu ?".to_string(), |c| format!("cpu {}", text::dur(c)));
        // Busy but seldom on a CPU (more runnable threads than cores): the CPU figure warns.
        let starved = crate::trace::seldom_on_cpu(s.compute_ns, s.cpu_ns).is_some();
        spans.push(Span::styled(
            format!(" {cpu}/wall {}", text::dur(s.wall_ns)),
            if starved { t.warn } else { t.dim },
        ));
    }
    Line::from(spans)
}

fn compact(n: u64) -> String {
    if n < 100_000 {
        n.to_string()
    } else if n < 100_000_000 {
        format!("{}k", n / 1000)
    } else {
        format!("{}M", n / 1_000_000)
    }
}
