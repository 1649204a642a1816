//! The timeline's time axis: tick labels precise enough to tell neighbours apart at every
//! zoom (`2.3612s`, `2.3613s` at ×1024), and the cursor's mark, which never covers a label.

use ratatui::buffer::Buffer;

use super::{Grid, tick_step};
use crate::app::run::RunView;
use crate::ui::text;
use crate::ui::theme::Theme;

/// Columns between tick labels, about.
const EVERY: usize = 14;

/// The unit, in ns, and its symbol, for times up to `max_ns` (one unit for a whole axis).
fn unit(max_ns: u64) -> (u64, &'static str) {
    match max_ns {
        0..1_000 => (1, "ns"),
        1_000..1_000_000 => (1_000, "µs"),
        1_000_000..1_000_000_000 => (1_000_000, "ms"),
        _ => (1_000_000_000, "s"),
    }
}

/// Time `t_ns` since the run started, for an axis whose ticks are `step_ns` apart and whose
/// largest time is `max_ns`: in one unit for the whole axis, with as many decimals as the
/// step needs, so two neighbouring ticks never read the same.
pub fn axis_label(t_ns: u64, step_ns: u64, max_ns: u64) -> String {
    if t_ns == 0 {
        return "0".into();
    }
    let (u, sym) = unit(max_ns.max(t_ns));
    let step = step_ns.max(1) as f64 / u as f64;
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10() - 1e-9).ceil() as usize
    };
    format!("{:.*}{sym}", decimals, t_ns as f64 / u as f64)
}

/// The tick step for the grid's window (about one label every [`EVERY`] columns).
pub fn step(g: &Grid) -> u64 {
    tick_step(g.width, g.cols, EVERY)
}

/// Time axis, relative to the run's start, and the cursor's mark on it: a label the mark
/// would cover is left out (the cursor's own time is on the line below).
pub fn axis(run: &RunView, g: &Grid, y: u16, t: &Theme, buf: &mut Buffer) {
    let step = step(g);
    let max = (g.from + g.width).saturating_sub(g.start);
    let cursor = run.timeline.cursor.and_then(|c| g.col_of(c));
    let mut tk = g.from.saturating_sub(g.start).div_ceil(step) * step;
    let mut next_free = 0usize;
    while g.start + tk < g.from + g.width {
        if let Some(c) = g.col_of(g.start + tk)
            && c >= next_free
        {
            let label = format!("┴{}", axis_label(tk, step, max));
            let lw = text::width(&label);
            let covered = cursor.is_some_and(|k| (c..c + lw).contains(&k));
            if c + lw <= g.cols && !covered {
                buf.set_string(g.x0 + c as u16, y, &label, t.dim);
                next_free = c + lw + 2;
            }
        }
        tk += step;
    }
    if let Some(c) = cursor {
        buf.set_string(g.x0 + c as u16, y, "▲", t.accent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stay_distinct_when_zoomed() {
        // ×1024 on a 2.4 s run: ticks 100 µs apart near 2.36 s.
        let step = 100_000;
        let a = axis_label(2_361_200_000, step, 2_400_000_000);
        let b = axis_label(2_361_300_000, step, 2_400_000_000);
        assert_eq!((a.as_str(), b.as_str()), ("2.3612s", "2.3613s"));
        assert_eq!(axis_label(2_361_500_000, 500_000, 2_400_000_000), "2.3615s");
    }

    #[test]
    fn whole_run_labels_are_short() {
        assert_eq!(axis_label(0, 100_000_000, 1_000_000_000), "0");
        assert_eq!(axis_label(500_000_000, 100_000_000, 2_000_000_000), "0.5s");
        assert_eq!(
            axis_label(2_000_000_000, 1_000_000_000, 4_000_000_000),
            "2s"
        );
        assert_eq!(axis_label(120_000, 20_000, 900_000), "120µs");
        assert_eq!(axis_label(1_500_000, 500_000, 3_000_000), "1.5ms");
        assert_eq!(axis_label(1_520_000, 20_000, 3_000_000), "1.52ms");
    }

    #[test]
    fn every_step_of_every_zoom_tells_neighbours_apart() {
        for max in [900u64, 5_000, 3_000_000, 2_400_000_000, 75_000_000_000] {
            for shift in 0..12 {
                let step = super::super::tick_step(max >> shift, 100, EVERY).max(1);
                let from = max.saturating_sub(max >> shift) / step * step;
                let a = axis_label(from + step, step, max);
                let b = axis_label(from + 2 * step, step, max);
                assert_ne!(a, b, "max {max} step {step}");
            }
        }
    }
}
