//! The panels that plot a run over time: **Queue depth** (a demo's named series, with the
//! queue's capacity as a line) and **Memory** (parlab and its child processes). Time is
//! seconds since the run started, the same origin as the timeline.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Widget as _};

use super::pane::Pane;
use super::text;
use super::theme::Theme;
use crate::app::run::RunView;

/// Bytes in a MiB, the unit of the memory chart.
const MIB: f64 = 1024.0 * 1024.0;

/// One line of a chart: its legend name, style and points (seconds, value).
struct Plot {
    name: String,
    style: Style,
    points: Vec<(f64, f64)>,
}

/// Draws the Queue depth panel: every named series of the run, and the capacity line when
/// the demo has a `capacity` parameter.
pub fn queue(run: &RunView, t: &Theme, pane: Pane, area: Rect, buf: &mut Buffer) {
    let (start, end) = run.extent();
    let secs = |ns: u64| ns.saturating_sub(start) as f64 / 1e9;
    let mut names: Vec<&str> = run.rec.series.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let styles = [t.accent, t.ok, t.warn];
    let mut plots: Vec<Plot> = names
        .iter()
        .zip(styles.iter().cycle())
        .map(|(name, style)| Plot {
            name: (*name).to_string(),
            style: *style,
            points: run
                .rec
                .series
                .iter()
                .filter(|p| p.name == *name)
                .map(|p| (secs(p.t_ns), p.value))
                .collect(),
        })
        .collect();
    let peak = plots
        .iter()
        .flat_map(|p| p.points.iter().map(|(_, v)| *v))
        .fold(0.0, f64::max);
    let capacity = run.params.int("capacity");
    let mut title = format!("max {}", text::num(peak));
    if capacity > 0 {
        title.push_str(&format!("/{capacity}"));
        plots.push(Plot {
            name: "capacity".into(),
            style: t.bad,
            points: vec![(0.0, capacity as f64), (secs(end), capacity as f64)],
        });
    }
    let title = titled("Queue depth", &title, area.width);
    let top = peak.max(capacity as f64).max(1.0);
    draw(plots, (secs(end), top), pane.block(title, t), t, area, buf);
}

/// Draws the Memory panel: parlab's resident memory and its children's, over time.
pub fn memory(run: &RunView, t: &Theme, pane: Pane, area: Rect, buf: &mut Buffer) {
    let (start, end) = run.extent();
    let samples = &run.rec.samples;
    let secs = |ns: u64| ns.saturating_sub(start) as f64 / 1e9;
    let line = |name: &str, style, f: fn(&crate::sampler::Sample) -> u64| Plot {
        name: name.into(),
        style,
        points: samples
            .iter()
            .filter(|s| s.t_ns >= start)
            .map(|s| (secs(s.t_ns), f(s) as f64 / MIB))
            .collect(),
    };
    let peak_self = samples.iter().map(|s| s.rss_self).max().unwrap_or(0);
    let peak_kids = samples.iter().map(|s| s.rss_children).max().unwrap_or(0);
    let kids = samples.iter().map(|s| s.children).max().unwrap_or(0);
    let what = format!(
        "MiB · parlab ≤{} · {kids} children ≤{}",
        text::bytes(peak_self),
        text::bytes(peak_kids)
    );
    let title = titled("Memory", &what, area.width);
    let plots = vec![
        line("parlab", t.accent, |s| s.rss_self),
        line("children", t.warn, |s| s.rss_children),
    ];
    let top = (peak_self.max(peak_kids) as f64 / MIB).max(1.0);
    draw(plots, (secs(end), top), pane.block(title, t), t, area, buf);
}

/// `" name · what "` when it fits in a panel `width` wide, else `" name "`: figures whole.
fn titled(name: &str, what: &str, width: u16) -> String {
    let long = format!(" {name} · {what} ");
    if text::width(&long) + 2 <= width as usize {
        long
    } else {
        format!(" {name} ")
    }
}

/// Draws `plots` on axes reaching `(x_max seconds, y_max)`.
fn draw(
    plots: Vec<Plot>,
    (x_max, y_max): (f64, f64),
    block: ratatui::widgets::Block<'static>,
    t: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let x_max = x_max.max(1e-3);
    let y_top = y_max * 1.1;
    let sets: Vec<Dataset<'_>> = plots
        .iter()
        .map(|p| {
            Dataset::default()
                .name(p.name.clone())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(p.style)
                .data(&p.points)
        })
        .collect();
    let label = |s: String| Span::styled(s, t.dim);
    Chart::new(sets)
        .block(block)
        .x_axis(Axis::default().bounds([0.0, x_max]).style(t.dim).labels([
            label("0".into()),
            label(String::new()),
            label(text::short_dur((x_max * 1e9) as u64)),
        ]))
        .y_axis(
            Axis::default()
                .bounds([0.0, y_top])
                .style(t.dim)
                .labels([label("0".into()), label(text::num(y_max.round()))]),
        )
        .render(area, buf);
}
