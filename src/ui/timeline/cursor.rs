//! The line under the timeline that names the span under the cursor: worker, phase, items,
//! duration, core and pass; or how to get a cursor.

use ratatui::text::{Line, Span as TSpan};

use crate::app::rows::span_at;
use crate::app::run::RunView;
use crate::ui::text;
use crate::ui::theme::{Theme, glyph};

/// The cursor's line; `cell_ns` is how near a span must be when none is under the cursor.
pub fn cursor_line(run: &RunView, t: &Theme, cell_ns: u64, start: u64) -> Line<'static> {
    let Some(c) = run.timeline.cursor else {
        return Line::styled(
            "← → ↑ ↓ move a cursor onto a span · + - zoom · 0 fits the whole run",
            t.dim,
        );
    };
    let w = run.timeline.row;
    let at = format!("at {} · ", text::short_dur(c.saturating_sub(start)));
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
                TSpan::styled(format!("worker {w} "), t.accent),
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
