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
            let mut items = vec![
                format!(" {}", s.phase.name()),
                format!("{} items", text::count(s.items)),
                text::dur(s.dur_ns()),
                if s.core == u16::MAX {
                    "core ?".to_string()
                } else {
                    format!("core {}", s.core)
                },
            ];
            if let Some(p) = run.rec.store.pass(s.pass) {
                items.push(format!("pass {} #{}", p.info.variant, p.info.repeat + 1));
            }
            if s.merged > 1 {
                items.push(format!("{} spans merged", s.merged));
            }
            // Whole items only: a long worker label goes first (its row shows it), then the
            // last items, so nothing is cut mid-number ("pass rayon #").
            let room = g.inner.width as usize;
            let mut who = worker_name(run, w, s.pass);
            let len = |who: &str, items: &[String]| {
                text::width(&at) + text::width(who) + 1 + text::width(&items.join(" · "))
            };
            if len(&who, &items) > room {
                who = format!("worker {w} ");
            }
            while items.len() > 1 && len(&who, &items) > room {
                items.pop();
            }
            Line::from(vec![
                TSpan::styled(at, t.dim),
                TSpan::styled(who, t.accent),
                TSpan::styled(glyph(s.phase).to_string(), t.phase(s.phase)),
                TSpan::styled(items.join(" · "), t.text),
            ])
        }
        None => Line::from(vec![
            TSpan::styled(at, t.dim),
            TSpan::styled(format!("worker {w}: nothing recorded here"), t.text),
        ]),
    }
}
