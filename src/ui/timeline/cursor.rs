//! The line under the timeline that names the span under the cursor: worker, phase, items,
//! duration, core and pass; or how to get a cursor.

use ratatui::text::{Line, Span as TSpan};

use super::Grid;
use super::axis::axis_label;
use crate::app::rows::span_at;
use crate::app::run::RunView;
use crate::ui::text;
use crate::ui::theme::{Theme, glyph};

/// `worker 3 (producer) `: the worker's number and, when it has one, its label in full.
fn worker_name(run: &RunView, w: usize, pass: u32) -> String {
    match run.rec.store.labels().get(w as u32, Some(pass)) {
        Some(l) => format!("worker {w} ({l}) "),
        None => format!("worker {w} "),
    }
}

/// The cursor's line; `cell_ns` is how near a span must be when none is under the cursor.
pub(super) fn cursor_line(run: &RunView, t: &Theme, cell_ns: u64, g: &Grid) -> Line<'static> {
    let Some(c) = run.timeline.cursor else {
        return Line::styled(
            "← → ↑ ↓ move a cursor onto a span · + - zoom · 0 fits the whole run",
            t.dim,
        );
    };
    let w = run.timeline.row;
    // As precise as the axis: at ×1024 two cursor positions a column apart read differently.
    let max = (g.from + g.width).saturating_sub(g.start);
    let at = format!(
        "at {} · ",
        axis_label(c.saturating_sub(g.start), cell_ns.max(1), max)
    );
    match span_at(run.rec.store.worker(w), c, cell_ns) {
        Some(s) => {
            let pass = run
                .rec
                .store
                .pass(s.pass)
                .map(|p| format!(" · pass {} #{}", p.info.variant, p.info.repeat + 1))
                .unwrap_or_default();
            let core = if s.core == u16::MAX {
                "core ?".to_string()
            } else {
                format!("core {}", s.core)
            };
            let merged = if s.merged > 1 {
                format!(" · {} spans merged", s.merged)
            } else {
                String::new()
            };
            Line::from(vec![
                TSpan::styled(at, t.dim),
                TSpan::styled(worker_name(run, w, s.pass), t.accent),
                TSpan::styled(glyph(s.phase).to_string(), t.phase(s.phase)),
                TSpan::styled(
                    format!(
                        " {} · {} items · {} · {core}{pass}{merged}",
                        s.phase.name(),
                        text::count(s.items),
                        text::dur(s.dur_ns())
                    ),
                    t.text,
                ),
            ])
        }
        None => Line::from(vec![
            TSpan::styled(at, t.dim),
            TSpan::styled(format!("worker {w}: nothing recorded here"), t.text),
        ]),
    }
}
