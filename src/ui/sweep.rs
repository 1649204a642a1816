//! The Sweep view: progress while the worker counts run, then the speedup curve of each
//! parallel variant over workers against the ideal line (speedup = workers) and the Amdahl
//! fit, with the numbers in a small table below. Readable from 80×24.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, LegendPosition, Paragraph};

use super::text;
use super::theme::Theme;
use crate::app::App;
use crate::app::run::RunState;
use crate::app::sweep::SweepView;
use crate::report::sweep::amdahl_speedup;

/// Points sampled along a fitted Amdahl curve.
const CURVE_POINTS: usize = 48;

/// Draws the Sweep view.
pub fn draw(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let Some(s) = &app.sweep else {
        f.render_widget(
            Paragraph::new("no sweep yet: S in a lesson starts one"),
            area,
        );
        return;
    };
    let table_h = (s.series.len() as u16 + 3).min(area.height / 3);
    let [head, chart, table] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(6),
        Constraint::Length(table_h),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(header(s, t, head.width as usize)), head);
    draw_chart(s, t, f, chart);
    f.render_widget(Paragraph::new(numbers(s, t, table.width as usize)), table);
}

fn header(s: &SweepView, t: &Theme, w: usize) -> Vec<Line<'static>> {
    let params = if s.params.0.is_empty() {
        String::new()
    } else {
        format!(" · {}", s.params)
    };
    let title = format!(
        "Sweep: {}{params} · {} cores · workers {:?}",
        s.title, s.cores, s.counts
    );
    let state = match &s.state {
        RunState::Running => {
            let at = s
                .at_workers
                .map_or("starting".to_string(), |w| format!("{w} workers"));
            let v = s.variant.clone().unwrap_or_default();
            let (d, n) = s.progress;
            let pct = if n > 0 {
                format!(" {:.0}%", 100.0 * d as f64 / n as f64)
            } else {
                String::new()
            };
            (
                format!(
                    "running {} of {} counts: {at}, {v}{pct} · Esc cancels",
                    (s.reports.len() + 1).min(s.counts.len()),
                    s.counts.len()
                ),
                t.warn,
            )
        }
        RunState::Done => ("finished".to_string(), t.ok),
        RunState::Cancelled => ("cancelled: what completed is shown".to_string(), t.warn),
        RunState::Failed(why) => (why.clone(), t.bad),
    };
    vec![
        Line::styled(text::fit(&title, w), t.title),
        Line::styled(text::fit(&state.0, w), state.1),
    ]
}

fn palette(t: &Theme) -> [Style; 4] {
    [t.accent, t.ok, t.warn, t.heading]
}

fn draw_chart(s: &SweepView, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let max_w = s.counts.iter().copied().max().unwrap_or(1).max(2) as f64;
    let best = s
        .series
        .iter()
        .flat_map(|x| x.points.iter().filter(|p| p.correct).map(|p| p.speedup))
        .fold(1.0f64, f64::max);
    let y_max = (best.max(s.cores as f64) * 1.15).ceil().max(2.0);
    let ideal = vec![(1.0, 1.0), (max_w.min(y_max), max_w.min(y_max))];
    let curves: Vec<Vec<(f64, f64)>> = s
        .series
        .iter()
        .map(|x| {
            // A wrong answer's time is no speedup: not on the curve.
            x.points
                .iter()
                .filter(|p| p.correct)
                .map(|p| (p.workers as f64, p.speedup))
                .collect()
        })
        .collect();
    // The fit of the variant that went furthest: one curve keeps the chart readable.
    let fitted = s
        .series
        .iter()
        .filter(|x| x.meaningful_fit().is_some())
        .max_by(|a, b| top(a).total_cmp(&top(b)));
    let fit_points: Vec<(f64, f64)> = fitted
        .and_then(|x| x.meaningful_fit())
        .map(|f| {
            (0..=CURVE_POINTS)
                .map(|i| {
                    let p = 1.0 + (max_w - 1.0) * i as f64 / CURVE_POINTS as f64;
                    (p, amdahl_speedup(f, p))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut sets = vec![
        Dataset::default()
            .name("ideal")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.dim)
            .data(&ideal),
    ];
    if let (Some(x), false) = (fitted, fit_points.is_empty()) {
        let f = x.meaningful_fit().unwrap_or(0.0);
        sets.push(
            Dataset::default()
                .name(format!(
                    "Amdahl fit ({}: {:.1}% serial)",
                    x.variant,
                    f * 100.0
                ))
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(t.text)
                .data(&fit_points),
        );
    }
    let colours = palette(t);
    for (i, (x, pts)) in s.series.iter().zip(&curves).enumerate() {
        sets.push(
            Dataset::default()
                .name(x.variant.clone())
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(colours[i % colours.len()])
                .data(pts),
        );
    }
    let xl: Vec<Line<'static>> = [
        "1".to_string(),
        format!("{}", (max_w / 2.0).round()),
        format!("{max_w}"),
    ]
    .into_iter()
    .map(Line::from)
    .collect();
    let yl: Vec<Line<'static>> = [
        "0".to_string(),
        format!("{:.1}", y_max / 2.0),
        format!("{y_max:.0}"),
    ]
    .into_iter()
    .map(Line::from)
    .collect();
    let chart = Chart::new(sets)
        .block(
            Block::bordered()
                .title(Span::styled(" speedup over workers ", t.title))
                .border_style(t.border),
        )
        .x_axis(
            Axis::default()
                .title("workers")
                .bounds([1.0, max_w])
                .labels(xl)
                .style(t.dim),
        )
        .y_axis(
            Axis::default()
                .title("speedup")
                .bounds([0.0, y_max])
                .labels(yl)
                .style(t.dim),
        )
        // Top left: the curves rise to the right, so the legend covers none of them.
        .legend_position(Some(LegendPosition::TopLeft))
        .hidden_legend_constraints((Constraint::Percentage(60), Constraint::Percentage(60)));
    f.render_widget(chart, area);
}

fn top(x: &crate::report::sweep::SweepSeries) -> f64 {
    x.points
        .iter()
        .filter(|p| p.correct)
        .map(|p| p.speedup)
        .fold(0.0, f64::max)
}

fn numbers(s: &SweepView, t: &Theme, w: usize) -> Vec<Line<'static>> {
    let done: Vec<usize> = s.reports.iter().map(|r| r.workers).collect();
    let mut head = text::pad("workers", 14);
    for c in &done {
        head.push_str(&format!("{c:>7}"));
    }
    head.push_str("  Amdahl fit");
    let mut out = vec![Line::styled(text::fit(&head, w), t.dim)];
    for x in &s.series {
        let mut l = text::pad(&x.variant, 14);
        for c in &done {
            match x.points.iter().find(|p| p.workers == *c) {
                Some(p) if !p.correct => l.push_str(&format!("{:>7}", "✗")),
                Some(p) => l.push_str(&format!("{:>6.2}x", p.speedup)),
                None => l.push_str(&format!("{:>7}", "—")),
            }
        }
        l.push_str(&format!("  {}", x.fit_text()));
        let wrong = x.points.iter().any(|p| !p.correct);
        out.push(Line::styled(
            text::fit(&l, w),
            if wrong { t.bad } else { t.text },
        ));
    }
    if s.series.iter().any(|x| x.points.iter().any(|p| !p.correct)) {
        out.push(Line::styled(
            text::fit(
                "✗: its answer differs from sequential, so its speed is no speedup",
                w,
            ),
            t.bad,
        ));
    }
    out
}
