//! CPU: the load of every core over the timeline's window as a heat strip (one row per core,
//! or per group of cores when there are more cores than rows), an average line, and the
//! memory of parlab and its children. Readable from 2 to 128 cores.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use ratatui::widgets::Widget as _;

use super::text;
use super::theme::{Theme, heat_glyph, level_glyph};
use crate::app::run::RunView;
use crate::sampler::Sample;

/// The sample whose interval covers `t`.
fn sample_at(samples: &[Sample], t: u64) -> Option<&Sample> {
    let i = samples.partition_point(|s| s.t_ns < t);
    samples
        .get(i)
        .filter(|s| s.t_ns.saturating_sub(s.interval_ns) <= t)
}

/// Rows of cores: how many cores each row averages, and the row count.
pub fn grouping(cores: usize, rows: usize) -> (usize, usize) {
    if cores == 0 || rows == 0 {
        return (1, 0);
    }
    let per = cores.div_ceil(rows);
    (per, cores.div_ceil(per))
}

/// Draws the CPU panel.
pub fn draw(run: &RunView, t: &Theme, pane: super::pane::Pane, area: Rect, buf: &mut Buffer) {
    let samples = &run.rec.samples;
    let cores = samples
        .last()
        .map_or(run.rec.machine.cores, |s| s.per_core.len());
    let title = super::pane::fit_title(
        &[
            format!(" CPU · {cores} cores over time "),
            format!(" CPU · {cores} cores "),
            " CPU ".into(),
        ],
        area.width,
    );
    let block = pane.block(title, t);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 3 || inner.width < 16 {
        return;
    }
    let (start, end) = run.extent();
    let (from, width) = run.timeline.window(start, end);
    let rows_avail = (inner.height - 2) as usize;
    let (per, rows) = grouping(cores, rows_avail);
    let label_w = if per == 1 {
        format!("c{}", cores.saturating_sub(1)).len() + 1
    } else {
        format!("{}-{}", cores.saturating_sub(per), cores.saturating_sub(1)).len() + 1
    };
    let label_w = label_w.max(4) as u16;
    let cols = inner.width.saturating_sub(label_w) as usize;
    let x0 = inner.x + label_w;
    if samples.is_empty() {
        buf.set_string(
            inner.x,
            inner.y,
            text::fit("no sample yet (one every 200 ms)", inner.width as usize),
            t.dim,
        );
    }
    // Per column: the covering sample.
    let col_samples: Vec<Option<&Sample>> = (0..cols)
        .map(|c| {
            let mid =
                from + (u128::from(width) * (2 * c as u128 + 1) / (2 * cols.max(1) as u128)) as u64;
            sample_at(samples, mid)
        })
        .collect();
    let strip = Strip {
        x: inner.x,
        x0,
        label_w: label_w as usize,
        cols: &col_samples,
    };
    if !samples.is_empty() {
        for r in 0..rows {
            let (c0, c1) = (r * per, ((r + 1) * per).min(cores));
            strip.heat_row(inner.y + r as u16, c0, c1, per, t, buf);
        }
    }
    let y_avg = inner.y + rows as u16;
    if y_avg < inner.y + inner.height {
        strip.average(y_avg, t, buf);
    }
    let mut y = y_avg + 1;
    if let Some(s) = samples.last() {
        // Whole items per line, never one cut mid-number: what does not fit goes below.
        let w = inner.width as usize;
        let items: Vec<String> = memory_items(s)
            .into_iter()
            .flat_map(|i| at_figure(i, w))
            .collect();
        for line in text::fill_items(&items, w) {
            if y >= inner.y + inner.height {
                break;
            }
            buf.set_string(inner.x, y, line, t.dim);
            y += 1;
        }
    }
}

/// Where the strip's rows go, and the sample under each column.
struct Strip<'a> {
    x: u16,
    x0: u16,
    label_w: usize,
    cols: &'a [Option<&'a Sample>],
}

impl Strip<'_> {
    /// One row: cores `c0..c1` averaged per column.
    fn heat_row(&self, y: u16, c0: usize, c1: usize, per: usize, t: &Theme, buf: &mut Buffer) {
        let lab = if per == 1 {
            format!("c{c0}")
        } else {
            format!("{c0}-{}", c1 - 1)
        };
        buf.set_string(self.x, y, text::pad(&lab, self.label_w), t.dim);
        for (c, s) in self.cols.iter().enumerate() {
            let Some(s) = s else { continue };
            let group = &s.per_core[c0.min(s.per_core.len())..c1.min(s.per_core.len())];
            if group.is_empty() {
                continue;
            }
            let load = group.iter().sum::<f32>() / group.len() as f32;
            if let Some(cell) = buf.cell_mut((self.x0 + c as u16, y)) {
                cell.set_char(heat_glyph(load)).set_style(t.heat(load));
            }
        }
    }

    /// The average over all cores, as a level per column.
    fn average(&self, y: u16, t: &Theme, buf: &mut Buffer) {
        buf.set_string(self.x, y, text::pad("avg", self.label_w), t.accent);
        for (c, s) in self.cols.iter().enumerate() {
            if let Some(s) = s {
                let avg = s.per_core.iter().sum::<f32>() / s.per_core.len().max(1) as f32;
                if let Some(cell) = buf.cell_mut((self.x0 + c as u16, y)) {
                    cell.set_char(level_glyph(avg / 100.0)).set_style(t.accent);
                }
            }
        }
    }
}

/// `item` whole when it fits in `w`, else split before its figure ("2 children" and
/// "130.0 MiB"), so a narrow panel shows the figure on a line of its own, never half of it.
fn at_figure(item: String, w: usize) -> Vec<String> {
    if text::width(&item) <= w {
        return vec![item];
    }
    let cut = item
        .char_indices()
        .rev()
        .find(|&(i, c)| c == ' ' && item[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
        .map(|(i, _)| i);
    match cut {
        Some(i) if i > 0 => vec![item[..i].to_string(), item[i + 1..].to_string()],
        _ => vec![item],
    }
}

/// Memory, and the load right now.
fn memory_items(s: &Sample) -> Vec<String> {
    let avg = s.per_core.iter().sum::<f32>() / s.per_core.len().max(1) as f32;
    vec![
        format!("now {avg:.0}%"),
        format!("parlab {}", text::bytes(s.rss_self)),
        format!("{} children {}", s.children, text::bytes(s.rss_children)),
        "░▒▓█ = 25/50/75/100%".to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_panel_splits_items_before_their_figure() {
        assert_eq!(
            at_figure("2 children 130.0 MiB".into(), 18),
            ["2 children", "130.0 MiB"]
        );
        assert_eq!(at_figure("now 100%".into(), 18), ["now 100%"]);
    }

    #[test]
    fn cores_group_into_the_rows_available() {
        assert_eq!(grouping(2, 10), (1, 2));
        assert_eq!(grouping(128, 10), (13, 10));
        assert_eq!(grouping(128, 64), (2, 64));
        assert_eq!(grouping(128, 200), (1, 128));
        assert_eq!(grouping(0, 5), (1, 0));
    }

    #[test]
    fn sample_lookup_uses_the_interval() {
        let s = |t| Sample {
            t_ns: t,
            interval_ns: 100,
            per_core: vec![50.0],
            rss_self: 0,
            rss_children: 0,
            children: 0,
            wait_cpu: None,
            per_child: Vec::new(),
        };
        let xs = vec![s(100), s(200)];
        assert_eq!(sample_at(&xs, 150).map(|x| x.t_ns), Some(200));
        assert_eq!(sample_at(&xs, 50).map(|x| x.t_ns), Some(100));
        assert!(sample_at(&xs, 250).is_none());
    }
}
