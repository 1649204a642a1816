//! The figures of one finished run that lesson expressions read: per variant its median and
//! best pass, speedup, efficiency, correctness, demo measurements, and each worker's busy share
//! and task count in the median pass. Built from an [`engine::RunReport`] plus the trace's
//! per-worker statistics, the same two sources the dashboard and `parlab run` read, so a claim
//! judges exactly the numbers on screen.

use super::pyrun::PyRun;
use crate::engine::{Correctness, Metric, RunReport};
use crate::recording::Recording;
use crate::trace::WorkerStats;

/// One variant's figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VariantFigures {
    /// Variant name.
    pub name: String,
    /// Workers it used.
    pub workers: usize,
    /// Median wall time, ms.
    pub median_ms: f64,
    /// Fastest pass, ms.
    pub best_ms: f64,
    /// Sequential median / this median.
    pub speedup: Option<f64>,
    /// Speedup / workers.
    pub efficiency: Option<f64>,
    /// `Some(true)` when it matched sequential, `Some(false)` when it did not (or failed),
    /// `None` when not checked.
    pub correct: Option<bool>,
    /// Timed passes.
    pub passes: usize,
    /// Items per pass.
    pub items: u64,
    /// Demo measurements of the median pass.
    pub metrics: Vec<Metric>,
    /// Each worker's busy time / the pass's wall time, median pass.
    pub busy: Vec<f64>,
    /// Each worker's compute spans, median pass.
    pub tasks: Vec<u64>,
}

/// One run's figures.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measured {
    /// Logical cores of the machine.
    pub cores: usize,
    /// Workers of the parallel variants.
    pub workers: usize,
    /// Parameter values, as text (`work` = `heavy`), `workers` included.
    pub params: Vec<(String, String)>,
    /// Variants in run order.
    pub variants: Vec<VariantFigures>,
    /// The student's latest Python run of the lesson (`py_wall()`...), when there is one.
    pub python: Option<PyRun>,
}

impl Measured {
    /// The figures of `report`, with per-worker statistics of a pass from `stats`.
    pub fn new(report: &RunReport, stats: impl Fn(Option<u32>) -> Vec<WorkerStats>) -> Measured {
        let mut params: Vec<(String, String)> = report
            .params
            .0
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect();
        params.push(("workers".into(), report.workers.to_string()));
        let variants = report
            .variants
            .iter()
            .filter(|v| !v.wall_ms.is_empty())
            .map(|v| {
                let ws = stats(v.median_pass);
                let correct = match (&v.correctness, &v.error) {
                    (_, Some(_)) => Some(false),
                    (Correctness::Correct, None) => Some(true),
                    (Correctness::Unchecked, None) => None,
                    _ => Some(false),
                };
                VariantFigures {
                    name: v.name.clone(),
                    workers: v.workers,
                    median_ms: v.wall.median,
                    best_ms: v.wall.min,
                    speedup: v.speedup,
                    efficiency: v.efficiency,
                    correct,
                    passes: v.wall_ms.len(),
                    items: v.items,
                    metrics: v.metrics.clone(),
                    busy: ws
                        .iter()
                        .map(|w| w.busy_ns as f64 / w.wall_ns.max(1) as f64)
                        .collect(),
                    tasks: ws.iter().map(|w| w.tasks).collect(),
                }
            })
            .collect();
        Measured {
            cores: report.cores,
            workers: report.workers,
            params,
            variants,
            python: None,
        }
    }

    /// What the lesson text is filled from: the demo's latest run `m` and the student's
    /// latest Python run `py` (either may be missing; `None` when both are).
    pub fn with_python(m: Option<&Measured>, py: Option<PyRun>) -> Option<Measured> {
        if m.is_none() && py.is_none() {
            return None;
        }
        let mut out = m.cloned().unwrap_or_default();
        out.python = py;
        Some(out)
    }

    /// The figures of `report` with the per-worker statistics of `rec`'s trace.
    pub fn from_recording(rec: &Recording, report: &RunReport) -> Measured {
        Measured::new(report, |p| rec.worker_stats(p))
    }

    /// The figures of variant `name`, if it ran.
    pub fn variant(&self, name: &str) -> Option<&VariantFigures> {
        self.variants.iter().find(|v| v.name == name)
    }

    /// The value of parameter `name` in this run, as text.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}
