//! The timeline: one row per worker, time left to right, each cell showing the phase that
//! filled most of its stretch of time (its colour and its glyph), a pass ruler above, a time
//! axis, the legend with each phase's share, and the span under the cursor.
//!
//! What each cell shows comes from [`crate::app::rows`]: its cost depends on screen cells,
//! not spans, so a million spans draw as fast as a thousand.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span as TSpan;
use ratatui::widgets::{Block, Widget as _};

mod axis;
mod cursor;
mod worker_rows;

use axis::axis;
use cursor::cursor_line;
use worker_rows::{legend, worker_rows};

use super::text;
use super::theme::Theme;
use crate::app::run::RunView;

/// A "nice" tick step (1, 2, 5 × 10^k ns) giving about one label per `every` columns.
fn tick_step(width: u64, cols: usize, every: usize) -> u64 {
    let want = (width as f64 * every as f64 / cols.max(1) as f64).max(1.0);
    let mag = 10f64.powf(want.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= want)
        .unwrap_or(10.0 * mag);
    step as u64
}

/// The drawing area of the timeline and the stretch of time it shows.
struct Grid {
    inner: Rect,
    label_w: u16,
    /// First column of the rows.
    x0: u16,
    cols: usize,
    /// The run's start and end, ns.
    start: u64,
    end: u64,
    /// The window: first ns and width.
    from: u64,
    width: u64,
    /// The pass whose worker labels name the rows (the one under the cursor, else in view).
    pass: Option<u32>,
}

impl Grid {
    /// The column of time `ts`, when it is in the window.
    fn col_of(&self, ts: u64) -> Option<usize> {
        if ts < self.from || ts >= self.from + self.width {
            return None;
        }
        let c = u128::from(ts - self.from) * self.cols as u128 / u128::from(self.width.max(1));
        Some(c as usize)
    }

    /// The column of `ts`, clamped to the window's edges.
    fn clamp_col(&self, ts: u64) -> usize {
        if ts < self.from {
            0
        } else {
            self.col_of(ts).unwrap_or(self.cols)
        }
    }
}

/// Draws the timeline panel of `run` into `area`; returns its columns and visible rows.
pub fn draw(run: &RunView, t: &Theme, focused: bool, area: Rect, buf: &mut Buffer) -> (u16, usize) {
    let rows = run.rows();
    let (start, end) = run.extent();
    let (from, width) = run.timeline.window(start, end);
    let block = Block::bordered()
        .title(TSpan::styled(title(run, start, end, width), t.title))
        .border_style(if focused { t.border_focus } else { t.border });
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 4 || inner.width < 20 {
        return (0, 0);
    }
    let pass = run
        .rec
        .store
        .pass_at(run.timeline.cursor.unwrap_or(from + width / 2));
    let labels = run.rec.store.labels();
    // Labels get up to a fifth of the panel (18 cells at most); numbers always fit.
    let cap = (inner.width as usize / 5).clamp(4, 18);
    let names_w = text::row_names_width((0..rows).map(|w| (w, labels.get(w as u32, pass))), cap);
    let label_w: u16 = names_w.max(3) as u16 + 1;
    let g = Grid {
        inner,
        label_w,
        x0: inner.x + label_w,
        cols: (inner.width - label_w) as usize,
        start,
        end,
        from,
        width,
        pass,
    };
    let lines = (inner.height - 4) as usize;
    // Few workers get taller rows (easier to read on a projector); many get one line each.
    let row_h = (lines / rows.max(1)).clamp(1, 3);
    let visible = lines / row_h;
    let offset = run.timeline.row_offset.min(rows.saturating_sub(visible));
    ruler(run, &g, t, buf);
    let (shares, cursor_row) = worker_rows(run, &g, offset, visible, row_h, t, buf);
    if rows > visible && visible > 0 {
        let note = format!(
            " rows {}–{} of {} (↑↓) ",
            offset,
            offset + visible - 1,
            rows
        );
        let x = area.x + area.width.saturating_sub(note.len() as u16 + 2);
        buf.set_string(x, area.y + area.height - 1, note, t.dim);
    }
    let y_axis = inner.y + 1 + lines as u16;
    axis(run, &g, y_axis, t, buf);
    // Shares of the cursor's row when there is a cursor, else of all rows on screen.
    let (whose, shares) = match cursor_row {
        Some(s) => {
            let l = labels.get(run.timeline.row as u32, pass);
            (format!("{}: ", text::row_name(run.timeline.row, l, 24)), s)
        }
        None => (String::new(), shares),
    };
    buf.set_line(inner.x, y_axis + 1, &legend(whose, &shares, t), inner.width);
    let info = cursor_line(run, t, width / g.cols.max(1) as u64, &g);
    buf.set_line(inner.x, y_axis + 2, &info, inner.width);
    (g.cols as u16, visible)
}

fn title(run: &RunView, start: u64, end: u64, width: u64) -> String {
    let rows = run.rows();
    let zoom = if run.timeline.following() {
        String::new()
    } else {
        format!(
            " · zoom x{:.0}",
            end.saturating_sub(start) as f64 / width.max(1) as f64
        )
    };
    let spans = run.rec.store.len();
    format!(
        " Timeline · {} worker row{} · {} span{}{zoom} ",
        rows,
        if rows == 1 { "" } else { "s" },
        text::count(spans as u64),
        if spans == 1 { "" } else { "s" }
    )
}

/// The passes the results counted as timed (a long first pass of a parallel variant is kept
/// as a timed repeat though it started as a warm-up), so the ruler's "×3" is the results' 3.
fn timed_passes(run: &RunView) -> std::collections::HashSet<u32> {
    run.rec
        .reports
        .iter()
        .flat_map(|r| r.variants.iter())
        .flat_map(|v| v.passes.iter().copied())
        .collect()
}

/// Pass ruler: a mark at every pass start, each variant's name over its passes.
fn ruler(run: &RunView, g: &Grid, t: &Theme, buf: &mut Buffer) {
    let y = g.inner.y;
    buf.set_string(g.inner.x, y, "pass", t.dim);
    let passes = run.rec.store.passes();
    let counted = timed_passes(run);
    let timed = |p: &crate::trace::PassRecord| {
        if counted.is_empty() {
            !p.info.warmup
        } else {
            counted.contains(&p.info.pass)
        }
    };
    let mut first = 0;
    while first < passes.len() {
        let variant = &passes[first].info.variant;
        let mut last = first;
        while last + 1 < passes.len() && passes[last + 1].info.variant == *variant {
            last += 1;
        }
        let g_start = passes[first].info.t_ns;
        let g_end = passes[last].end_ns.unwrap_or(g.end);
        if g_end >= g.from && g_start <= g.from + g.width {
            let group = &passes[first..=last];
            for p in group {
                if let Some(c) = g.col_of(p.info.t_ns) {
                    let mark = if timed(p) { "│" } else { "┆" };
                    buf.set_string(g.x0 + c as u16, y, mark, t.dim);
                }
            }
            let c0 = g.clamp_col(g_start);
            let c1 = g.clamp_col(g_end).max(c0 + 1);
            let n = group.iter().filter(|p| timed(p)).count();
            let label = format!("├{variant} ×{n}");
            let room = (c1 - c0).min(g.cols - c0.min(g.cols));
            let label = if text::width(&label) <= room {
                label
            } else {
                text::fit(&format!("├{variant}"), room)
            };
            buf.set_stringn(g.x0 + c0 as u16, y, &label, room, t.accent);
        }
        first = last + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(1_000_000_000, 100, 10), 100_000_000);
        assert_eq!(tick_step(3_000, 100, 14), 500);
    }
}
