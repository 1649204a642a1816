//! Speedup curves over worker counts: Amdahl's serial fraction (least squares) and the
//! Karp–Flatt metric per point.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::engine::{Params, baseline};
use crate::machine::Machine;
use crate::units::fmt_num;

/// Amdahl's law: the speedup on `p` workers when a fraction `f` of the work is serial.
pub fn amdahl_speedup(f: f64, p: f64) -> f64 {
    1.0 / (f + (1.0 - f) / p)
}

/// Karp–Flatt experimentally determined serial fraction e = (1/S − 1/p) / (1 − 1/p), for p > 1.
pub fn karp_flatt(speedup: f64, p: usize) -> Option<f64> {
    if p < 2 || speedup <= 0.0 {
        return None;
    }
    let p = p as f64;
    Some((1.0 / speedup - 1.0 / p) / (1.0 - 1.0 / p))
}

/// The serial fraction f that best fits measured (workers, speedup) points in the least-squares
/// sense. Amdahl's law rearranges to 1/S − 1/p = f · (1 − 1/p), a line through the origin in
/// x = 1 − 1/p, y = 1/S − 1/p, so f = Σxy / Σx². Points with p = 1 carry no information.
pub fn amdahl_fit(points: &[(usize, f64)]) -> Option<f64> {
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(p, s) in points {
        if p < 2 || s <= 0.0 {
            continue;
        }
        let p = p as f64;
        let x = 1.0 - 1.0 / p;
        let y = 1.0 / s - 1.0 / p;
        sxy += x * y;
        sxx += x * x;
    }
    (sxx > 0.0).then(|| sxy / sxx)
}

/// One point of a speedup curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Workers.
    pub workers: usize,
    /// Median wall time, ms.
    pub median_ms: f64,
    /// Sequential median / this median.
    pub speedup: f64,
    /// Speedup / workers.
    pub efficiency: f64,
    /// Karp–Flatt serial fraction (none for 1 worker).
    pub karp_flatt: Option<f64>,
    /// Amdahl's prediction at this worker count from the fitted fraction.
    pub amdahl: Option<f64>,
    /// Whether the answer matched sequential.
    pub correct: bool,
    /// One worker clearly faster than sequential: a measurement problem, not a speedup
    /// (see [`crate::engine::baseline`]).
    #[serde(default)]
    pub measurement_problem: bool,
}

/// The curve of one variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepSeries {
    /// Variant.
    pub variant: String,
    /// Points by worker count.
    pub points: Vec<SweepPoint>,
    /// Least-squares serial fraction.
    pub serial_fraction: Option<f64>,
    /// The demo's own measurements at the first point (e.g. amdahl's configured serial
    /// fraction, to read beside the fit).
    #[serde(default)]
    pub metrics: Vec<crate::engine::Metric>,
}

/// A whole sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepSummary {
    /// Demo id.
    pub demo: String,
    /// Parameter values.
    pub params: Params,
    /// Logical cores.
    pub cores: usize,
    /// The machine.
    pub machine: Machine,
    /// Sequential median, ms.
    pub sequential_ms: f64,
    /// One curve per parallel variant.
    pub series: Vec<SweepSeries>,
    /// Whether it was cancelled.
    pub cancelled: bool,
}

impl SweepSeries {
    /// The fitted serial fraction when it means one: a fit above 100% says the variant was
    /// slower than sequential at every count (overhead), which no serial part explains.
    pub fn meaningful_fit(&self) -> Option<f64> {
        self.serial_fraction
            .filter(|f| *f <= 1.0)
            .map(|f| f.max(0.0))
    }

    /// The fit in words, for the CLI table and the TUI's Sweep view alike: "3.2% serial".
    pub fn fit_text(&self) -> String {
        match (self.serial_fraction, self.meaningful_fit()) {
            (None, _) if !self.points.is_empty() && self.points.iter().all(|p| !p.correct) => {
                "none: its answers differ from sequential, so its times are no speedups".into()
            }
            (None, _) => "not enough points".into(),
            (Some(_), None) => {
                "none: slower than sequential at every count (overhead, not a serial part)".into()
            }
            (Some(_), Some(f)) => format!("{:.1}% serial", f * 100.0),
        }
    }

    /// Fits the serial fraction and fills each point's Amdahl prediction.
    pub fn fit(&mut self) {
        // A wrong answer's time is no speedup: only correct points are fitted.
        let pts: Vec<(usize, f64)> = self
            .points
            .iter()
            .filter(|p| p.correct)
            .map(|p| (p.workers, p.speedup))
            .collect();
        self.serial_fraction = amdahl_fit(&pts);
        for p in &mut self.points {
            p.amdahl = self
                .serial_fraction
                .map(|f| amdahl_speedup(f, p.workers as f64));
        }
    }
}

/// The sweep as a table.
pub fn table(s: &SweepSummary) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} sweep  ({})", s.demo, s.params);
    let _ = writeln!(
        o,
        "on {}; sequential median {:.3} ms",
        s.machine.one_line(),
        s.sequential_ms
    );
    for series in &s.series {
        let _ = writeln!(o);
        let _ = writeln!(o, "{}: Amdahl fit {}", series.variant, series.fit_text());
        if let Some(first) = series.points.first()
            && !series.metrics.is_empty()
        {
            let ms: Vec<String> = series
                .metrics
                .iter()
                .map(|m| format!("{} = {} {}", m.name, fmt_num(m.value), m.unit))
                .collect();
            let _ = writeln!(
                o,
                "  the demo measured at {} workers: {}",
                first.workers,
                ms.join("; ")
            );
        }
        let _ = writeln!(
            o,
            "{:>8} {:>11} {:>8} {:>6} {:>11} {:>8}  ok",
            "workers", "median ms", "speedup", "eff", "Karp-Flatt", "Amdahl"
        );
        for p in &series.points {
            // A wrong answer's time is no speedup: its columns stay empty.
            let (speedup, eff, kf) = if p.correct {
                (
                    format!("{:.2}x", p.speedup),
                    format!("{:.0}%", p.efficiency * 100.0),
                    p.karp_flatt.map_or("-".into(), |e| format!("{:.3}", e)),
                )
            } else {
                ("-".into(), "-".into(), "-".into())
            };
            let _ = writeln!(
                o,
                "{:>8} {:>11.3} {:>8} {:>6} {:>11} {:>8}  {}",
                p.workers,
                p.median_ms,
                speedup,
                eff,
                kf,
                p.amdahl.map_or("-".into(), |a| format!("{a:.2}x")),
                if p.correct { "✓" } else { "✗" }
            );
            if p.measurement_problem {
                let _ = writeln!(
                    o,
                    "{:>8} ^ {}",
                    "",
                    baseline::problem_text(&series.variant, p.speedup)
                );
            }
        }
    }
    if s.series
        .iter()
        .flat_map(|x| &x.points)
        .any(|p| p.workers > s.cores)
    {
        let _ = writeln!(
            o,
            "\n(points above {} workers oversubscribe this machine's {} cores)",
            s.cores, s.cores
        );
    }
    o
}

/// The sweep as CSV, one row per (variant, workers).
pub fn csv(s: &SweepSummary) -> anyhow::Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "demo",
        "variant",
        "workers",
        "median_ms",
        "speedup",
        "efficiency",
        "karp_flatt",
        "amdahl",
        "serial_fraction",
        "correct",
    ])?;
    for series in &s.series {
        for p in &series.points {
            let opt = |x: Option<f64>| x.map_or(String::new(), |x| format!("{x:.4}"));
            w.write_record([
                s.demo.clone(),
                series.variant.clone(),
                p.workers.to_string(),
                format!("{:.4}", p.median_ms),
                format!("{:.4}", p.speedup),
                format!("{:.4}", p.efficiency),
                opt(p.karp_flatt),
                opt(p.amdahl),
                opt(series.serial_fraction),
                p.correct.to_string(),
            ])?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_recovers_a_known_fraction() {
        let f = 0.1;
        let pts: Vec<(usize, f64)> = [1, 2, 4, 8, 16]
            .iter()
            .map(|&p| (p, amdahl_speedup(f, p as f64)))
            .collect();
        let got = amdahl_fit(&pts).unwrap();
        assert!((got - f).abs() < 1e-9, "{got}");
        for &(p, s) in &pts[1..] {
            assert!((karp_flatt(s, p).unwrap() - f).abs() < 1e-9);
        }
    }

    #[test]
    fn a_wrong_answer_is_not_fitted() {
        let pt = |workers: usize, speedup: f64, correct: bool| SweepPoint {
            workers,
            median_ms: 100.0 / speedup,
            speedup,
            efficiency: speedup / workers as f64,
            karp_flatt: None,
            amdahl: None,
            correct,
            measurement_problem: false,
        };
        let mut s = SweepSeries {
            variant: "no-join".into(),
            points: vec![pt(1, 1.0, false), pt(2, 1.9, false)],
            serial_fraction: None,
            metrics: Vec::new(),
        };
        s.fit();
        assert_eq!(s.serial_fraction, None);
        assert!(s.fit_text().contains("answers differ"), "{}", s.fit_text());
        // One wrong point among right ones: the fit uses the right ones only.
        s.points = vec![pt(1, 1.0, true), pt(2, 2.0, true), pt(4, 9.0, false)];
        s.fit();
        assert!(s.serial_fraction.unwrap().abs() < 1e-12);
    }

    #[test]
    fn perfect_scaling_is_zero_serial() {
        assert!(amdahl_fit(&[(2, 2.0), (4, 4.0)]).unwrap().abs() < 1e-12);
        assert_eq!(amdahl_fit(&[(1, 1.0)]), None);
        assert_eq!(karp_flatt(1.0, 1), None);
    }
}
