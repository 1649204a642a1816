//! The numbers of a slide: the results table as `parlab run` / `parlab sweep` print it
//! (monospace text, so the figures are the very same strings), and a sweep's speedup curve
//! with the ideal line and the Amdahl fit.

use svg::node::element::{Group, Line, Path, Polyline, Rectangle};

use super::okabe;
use super::timeline::text;
use crate::report::sweep::{SweepSummary, amdahl_speedup};

/// Line height of the monospace table, px.
const LINE_H: f64 = 15.0;

/// `lines` of monospace text at `y`; returns the group and its height.
pub fn table(lines: &[&str], y: f64) -> (Group, f64) {
    let mut g = Group::new().set("class", "results");
    for (i, l) in lines.iter().enumerate() {
        g = g.add(
            text(10.0, y + (i + 1) as f64 * LINE_H, l, 12.5)
                .set(
                    "font-family",
                    "DejaVu Sans Mono, Menlo, Consolas, monospace",
                )
                .set("xml:space", "preserve"),
        );
    }
    (g, lines.len() as f64 * LINE_H + 8.0)
}

/// Marker shapes, one per series, so curves differ without colour.
fn marker(i: usize, x: f64, y: f64) -> String {
    match i % 4 {
        0 => format!("M{},{} m-4,0 a4,4 0 1,0 8,0 a4,4 0 1,0 -8,0", x, y),
        1 => format!("M{},{} h8 v8 h-8 z", x - 4.0, y - 4.0),
        2 => format!("M{},{} l5,9 h-10 z", x, y - 5.0),
        _ => format!("M{},{} l5,5 l-5,5 l-5,-5 z", x, y - 5.0),
    }
}

/// The speedup curve of a sweep at (x0, y0), `w` × `h`: one series per parallel variant,
/// the ideal line (speedup = workers) and each series' Amdahl fit dashed.
pub fn speedup_curve(s: &SweepSummary, x0: f64, y0: f64, w: f64, h: f64) -> Group {
    let max_w = s
        .series
        .iter()
        .flat_map(|x| &x.points)
        .map(|p| p.workers)
        .max()
        .unwrap_or(1)
        .max(2) as f64;
    let max_s = s
        .series
        .iter()
        .flat_map(|x| &x.points)
        .filter(|p| p.correct)
        .map(|p| p.speedup)
        .fold(max_w, f64::max)
        .max(1.0);
    let (pl, pb) = (50.0, 36.0);
    let (pw, ph) = (w - pl - 10.0, h - pb - 24.0);
    let px = |workers: f64| x0 + pl + pw * (workers - 1.0) / (max_w - 1.0);
    let py = |speedup: f64| y0 + 24.0 + ph * (1.0 - speedup / max_s);
    let mut g = Group::new()
        .set("class", "speedup-curve")
        .add(text(x0, y0 + 14.0, "Speedup over workers", 15.0).set("font-weight", "bold"))
        .add(
            Rectangle::new()
                .set("x", x0 + pl)
                .set("y", y0 + 24.0)
                .set("width", pw)
                .set("height", ph)
                .set("fill", "none")
                .set("stroke", "#000000"),
        )
        .add(
            Line::new()
                .set("x1", px(1.0))
                .set("y1", py(1.0))
                .set("x2", px(max_w))
                .set("y2", py(max_w.min(max_s)))
                .set("stroke", "#777777")
                .set("stroke-dasharray", "6 4"),
        )
        .add(text(
            px(max_w) - 40.0,
            py(max_w.min(max_s)) + 14.0,
            "ideal",
            12.0,
        ));
    for k in 0..=4 {
        let v = max_s * k as f64 / 4.0;
        g = g.add(text(x0 + 4.0, py(v) + 4.0, &format!("{v:.1}x"), 11.0));
    }
    g = g.add(text(
        x0 + pl + pw / 2.0 - 20.0,
        y0 + h - 4.0,
        "workers",
        12.0,
    ));
    for (i, series) in s.series.iter().enumerate() {
        let colour = okabe::hex(okabe::SERIES[i % okabe::SERIES.len()]);
        // A wrong answer's time is no speedup: its points are not drawn.
        let pts: Vec<String> = series
            .points
            .iter()
            .filter(|p| p.correct)
            .map(|p| format!("{:.1},{:.1}", px(p.workers as f64), py(p.speedup)))
            .collect();
        g = g.add(
            Polyline::new()
                .set("points", pts.join(" "))
                .set("fill", "none")
                .set("stroke", colour.clone())
                .set("stroke-width", 2.5),
        );
        for p in &series.points {
            let (x, y) = (px(p.workers as f64), py(p.speedup));
            if p.correct {
                g = g.add(
                    Path::new()
                        .set("d", marker(i, x, y))
                        .set("fill", colour.clone()),
                );
            }
            g = g.add(text(
                x - 6.0,
                y0 + 24.0 + ph + 14.0,
                &p.workers.to_string(),
                11.0,
            ));
        }
        if let Some(f) = series.serial_fraction {
            let fit: Vec<String> = (0..=40)
                .map(|k| 1.0 + (max_w - 1.0) * k as f64 / 40.0)
                .map(|wk| format!("{:.1},{:.1}", px(wk), py(amdahl_speedup(f, wk))))
                .collect();
            g = g.add(
                Polyline::new()
                    .set("points", fit.join(" "))
                    .set("fill", "none")
                    .set("stroke", colour.clone())
                    .set("stroke-dasharray", "2 3"),
            );
        }
        let fit = series.serial_fraction.map_or(String::new(), |f| {
            format!(" (Amdahl fit {:.1}% serial)", f * 100.0)
        });
        let ly = y0 + 40.0 + 16.0 * i as f64;
        g = g
            .add(
                Path::new()
                    .set("d", marker(i, x0 + pl + 12.0, ly - 4.0))
                    .set("fill", colour),
            )
            .add(text(
                x0 + pl + 22.0,
                ly,
                &format!("{}{fit}", series.variant),
                12.0,
            ));
    }
    g
}
