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

/// Draws the Memory panel: parlab's resident memory and each child's over time (the
/// children with the highest peaks one by one, the rest as "others"), with a legend.
pub fn memory(run: &RunView, t: &Theme, pane: Pane, area: Rect, buf: &mut Buffer) {
    let (start, end) = run.extent();
    let samples = &run.rec.samples;
    let secs = |ns: u64| ns.saturating_sub(start) as f64 / 1e9;
    let series = crate::sampler::memory::series(samples, crate::sampler::memory::TOP_CHILDREN);
    let peak_self = series.first().map_or(0, |m| m.peak);
    let peak_kids = samples.iter().map(|s| s.rss_children).max().unwrap_or(0);
    let kids = samples.iter().map(|s| s.children).max().unwrap_or(0);
    let what = format!(
        "MiB · parlab ≤{} · {kids} children ≤{}",
        text::bytes(peak_self),
        text::bytes(peak_kids)
    );
    let title = super::pane::fit_title(
        &[
            format!(" Memory · {what} "),
            " Memory · MiB ".into(),
            " Memory ".into(),
        ],
        area.width,
    );
    let styles = [t.accent, t.warn, t.ok, t.bad, t.text, t.dim];
    let plots: Vec<Plot> = series
        .iter()
        .zip(styles.iter().cycle())
        .map(|(m, style)| Plot {
            // The legend names each line with its peak, so a child's figure reads off it.
            name: format!("{} ≤{}", text::fit(&m.name, 20), text::bytes(m.peak)),
            style: *style,
            points: m
                .points
                .iter()
                .filter(|(t, _)| *t >= start)
                .map(|(t, b)| (secs(*t), *b as f64 / MIB))
                .collect(),
        })
        .collect();
    let top = (series.iter().map(|m| m.peak).max().unwrap_or(0) as f64 / MIB).max(1.0);
    draw(plots, (secs(end), top), pane.block(title, t), t, area, buf);
}

/// `" name · what "` when it fits in a panel `width` wide, else `" name "`: figures whole.
fn titled(name: &str, what: &str, width: u16) -> String {
    super::pane::fit_title(&[format!(" {name} · {what} "), format!(" {name} ")], width)
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
    let y_label = text::num(y_max.round());
    // Ratatui gives the last x label a half of the plot's width and cuts what does not fit
    // from the left ("67s" for 7.67s): the end of time is labelled only when it fits whole.
    let end = text::short_dur((x_max * 1e9) as u64);
    let plot_w = area.width.saturating_sub(3 + text::width(&y_label) as u16) as usize;
    let x_labels: Vec<Span<'_>> = if 2 * text::width(&end) <= plot_w {
        vec![label("0".into()), label(end)]
    } else {
        Vec::new()
    };
    // The legend names every line: shown whenever it takes at most half the chart.
    let half = ratatui::layout::Constraint::Percentage(50);
    Chart::new(sets)
        .block(block)
        .hidden_legend_constraints((half, half))
        .x_axis(
            Axis::default()
                .bounds([0.0, x_max])
                .style(t.dim)
                .labels(x_labels),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, y_top])
                .style(t.dim)
                .labels([label("0".into()), label(y_label)]),
        )
        .render(area, buf);
}
