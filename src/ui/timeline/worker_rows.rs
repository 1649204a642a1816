//! The timeline's worker rows, each cell the phase that filled most of its time, and the
//! legend of each phase's share.

use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span as TSpan};

use super::Grid;
use crate::app::rows::{Shares, aggregate_row};
use crate::app::run::RunView;
use crate::trace::Phase;
use crate::ui::text;
use crate::ui::theme::{Theme, glyph};

/// The worker rows on screen; returns the shares of all of them and of the cursor's row.
pub(super) fn worker_rows(
    run: &RunView,
    g: &Grid,
    offset: usize,
    visible: usize,
    row_h: usize,
    t: &Theme,
    buf: &mut Buffer,
) -> (Shares, Option<Shares>) {
    let mut shares = Shares::default();
    let mut cursor_row = None;
    let cursor_col = run.timeline.cursor.and_then(|c| g.col_of(c));
    let on_cursor_row = |w: usize| run.timeline.cursor.is_some() && w == run.timeline.row;
    for r in 0..visible.min(run.rows().saturating_sub(offset)) {
        let w = offset + r;
        let y_top = g.inner.y + 1 + (r * row_h) as u16;
        let y_mid = y_top + (row_h as u16 - 1) / 2;
        let lab_style = if on_cursor_row(w) { t.accent } else { t.dim };
        buf.set_string(
            g.inner.x,
            y_mid,
            text::pad(
                &text::row_name(
                    w,
                    run.rec.store.labels().get(w as u32, g.pass),
                    g.label_w as usize - 1,
                ),
                g.label_w as usize,
            ),
            lab_style,
        );
        let mut row_shares = Shares::default();
        let spans = run.rec.store.worker(w);
        let cells = aggregate_row(
            spans,
            run.index.get(w),
            g.from,
            g.width,
            g.cols,
            &mut row_shares,
        );
        for k in 0..Phase::ALL.len() {
            shares.phase_ns[k] += row_shares.phase_ns[k];
        }
        shares.gap_ns += row_shares.gap_ns;
        if on_cursor_row(w) {
            cursor_row = Some(row_shares);
        }
        for (c, ph) in cells.iter().enumerate() {
            for y in y_top..y_top + row_h as u16 {
                let Some(cell) = buf.cell_mut((g.x0 + c as u16, y)) else {
                    continue;
                };
                match ph {
                    Some(p) => cell.set_char(glyph(*p)).set_style(t.phase(*p)),
                    None => cell.set_char(' '),
                };
                if cursor_col == Some(c) {
                    if w == run.timeline.row {
                        cell.set_style(t.cursor);
                    } else if ph.is_none() {
                        cell.set_char('┊').set_style(t.dim);
                    }
                }
            }
        }
    }
    (shares, cursor_row)
}

/// Each phase's share (`whose` row, or all rows), and the share of blank time.
pub(super) fn legend(whose: String, shares: &Shares, t: &Theme) -> Line<'static> {
    let mut spans = vec![TSpan::styled(whose, t.accent)];
    for (i, p) in Phase::ALL.iter().enumerate() {
        let s = shares.share(i);
        if s < 0.0005 && *p != Phase::Compute {
            continue;
        }
        spans.push(TSpan::styled(glyph(*p).to_string(), t.phase(*p)));
        spans.push(TSpan::styled(
            format!(" {} {:.0}%  ", p.name(), s * 100.0),
            t.text,
        ));
    }
    let gap = 1.0 - (0..Phase::ALL.len()).map(|i| shares.share(i)).sum::<f64>();
    spans.push(TSpan::styled(
        format!("blank = nothing recorded {:.0}%", gap.max(0.0) * 100.0),
        t.dim,
    ));
    Line::from(spans)
}
