//! The presenter layout, for a projected terminal: the headline numbers (speedup, wall time,
//! correct or not) in large digits, then the timeline and the per-core strip at full width,
//! with worker phases in the colour-blind-safe Okabe–Ito colours on top of their own glyphs
//! (so the phases read in black and white too). Nothing else: the back row needs few things,
//! big. Fits 80×24.

mod big;
pub mod lecture;
pub mod notes;
pub mod sizing;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::{Theme, glyph};
use super::{cpu, timeline};
use crate::app::App;
use crate::export::okabe;
use crate::report::RunSummary;
use crate::trace::Phase;
use crate::units::fmt_ms;

/// The three headline figures, as text.
struct Headline {
    /// Label of the speedup figure (names the variant).
    label: String,
    speedup: String,
    wall: String,
    correct: Option<bool>,
}

/// The fastest parallel variant's speedup and wall time, and whether every variant was
/// correct; dashes before the run has finished.
fn headline(s: Option<&RunSummary>) -> Headline {
    let best = s.and_then(|s| {
        s.variants
            .iter()
            .filter(|v| v.name != "sequential" && v.speedup.is_some())
            .max_by(|a, b| {
                a.speedup
                    .partial_cmp(&b.speedup)
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
    });
    Headline {
        label: best.map_or("speedup".into(), |v| format!("speedup ({})", v.name)),
        speedup: best
            .and_then(|v| v.speedup)
            .map_or("-".into(), |x| format!("{x:.2}x")),
        wall: best.map_or("-".into(), |v| fmt_ms(v.wall_ms.median).replace(' ', "")),
        correct: s.map(|s| s.variants.iter().all(|v| v.correct)),
    }
}

/// Draws the presenter layout; returns the timeline's columns and visible rows.
pub fn draw(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) -> Option<(u16, usize)> {
    let run = app.shown_run()?;
    let cores = run
        .rec
        .samples
        .last()
        .map_or(run.rec.machine.cores, |s| s.per_core.len());
    let cpu_h = (cores.min(8) as u16 + 2).min(area.height / 4).max(3);
    let [head, nums, tl, cp] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(big::HEIGHT + 1),
        Constraint::Min(5),
        Constraint::Length(cpu_h),
    ])
    .areas(area);
    // A replay's run view has no worker count of its own: count the recorded rows.
    let workers = if run.workers > 0 {
        run.workers
    } else {
        run.rec.store.worker_count()
    };
    let title = format!("{}  ·  {workers} workers", run.title);
    f.render_widget(Paragraph::new(Line::styled(title, t.title)), head);
    headlines(&headline(run.summary.as_ref()), t, f, nums);
    let geom = timeline::draw(run, t, !app.help, tl, f.buffer_mut());
    if app.lecture.is_some() {
        // A lecture's arrow keys step through the lecture: no timeline cursor to offer.
        blank_cursor_hint(tl, f.buffer_mut());
    }
    if t.color {
        okabe_phases(tl, f.buffer_mut());
    }
    cpu::draw(run, t, crate::ui::pane::Pane::default(), cp, f.buffer_mut());
    Some(geom)
}

/// The three figures side by side, each under its label, in big digits where they fit.
fn headlines(h: &Headline, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let cols = Layout::horizontal([
        Constraint::Percentage(38),
        Constraint::Percentage(38),
        Constraint::Percentage(24),
    ])
    .split(area);
    let (ok_text, ok_style) = match h.correct {
        Some(true) => ("OK", t.ok),
        Some(false) => ("NO", t.bad),
        None => ("?", t.dim),
    };
    let figs = [
        (h.label.as_str(), h.speedup.as_str(), t.accent),
        ("wall time", h.wall.as_str(), t.text),
        ("correct", ok_text, ok_style),
    ];
    for ((label, value, style), col) in figs.into_iter().zip(cols.iter()) {
        let [l, v] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(*col);
        f.render_widget(Paragraph::new(Line::styled(label, t.dim)), l);
        let style = style.add_modifier(Modifier::BOLD);
        if !big::draw(value, style, v, f.buffer_mut()) {
            f.render_widget(Paragraph::new(Line::from(Span::styled(value, style))), v);
        }
    }
}

/// Blanks the timeline's "← → ↑ ↓ move a cursor" line inside `area`.
fn blank_cursor_hint(area: Rect, buf: &mut Buffer) {
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    for y in inner.top()..inner.bottom() {
        if buf[(inner.x, y)].symbol() == "←" {
            for x in inner.left()..inner.right() {
                buf[(x, y)].set_symbol(" ");
            }
        }
    }
}

/// Recolours the phase glyphs the timeline drew with the Okabe–Ito colour of their phase.
fn okabe_phases(area: Rect, buf: &mut Buffer) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            let Some(c) = cell.symbol().chars().next() else {
                continue;
            };
            if let Some(p) = Phase::ALL.into_iter().find(|p| glyph(*p) == c && c != '.') {
                let (r, g, b) = okabe::phase(p);
                cell.set_style(Style::new().fg(Color::Rgb(r, g, b)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_before_a_run() {
        let h = headline(None);
        assert_eq!(h.speedup, "-");
        assert_eq!(h.correct, None);
    }
}
