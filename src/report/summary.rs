//! The flat, serializable summary of one run: what `--format json` prints.

use serde::{Deserialize, Serialize};

use crate::engine::{Correctness, Metric, Params, RunReport, WallStats};
use crate::machine::Machine;
use crate::recording::Recording;

/// One worker's figures in the variant's median pass.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkerSummary {
    /// Worker index.
    pub id: u32,
    /// OS pid when the worker is a process.
    pub pid: Option<u32>,
    /// Busy time, ms.
    pub busy_ms: f64,
    /// Of that, ms computing (the rest sent, received or started up).
    #[serde(default)]
    pub compute_ms: f64,
    /// Waiting time, ms.
    pub waiting_ms: f64,
    /// Idle time, ms.
    pub idle_ms: f64,
    /// Compute spans (tasks, chunks).
    pub tasks: u64,
    /// Items computed.
    pub items: u64,
    /// CPU time, ms, when measured.
    pub cpu_ms: Option<f64>,
    /// Wall time of the pass, ms.
    pub wall_ms: f64,
}

/// CPU load while a variant ran.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CpuSummary {
    /// Mean load per core, %.
    pub per_core_avg: Vec<f32>,
    /// Peak load per core, %.
    pub per_core_peak: Vec<f32>,
    /// Samples behind the figures (0: the variant was shorter than one sampling interval).
    pub samples: usize,
    /// Peak resident memory of parlab, bytes.
    pub peak_rss_self: u64,
    /// Peak resident memory of its child processes, bytes.
    pub peak_rss_children: u64,
    /// Peak of each child with the highest peaks (`kind pid`, bytes), then of the others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peak_per_child: Vec<(String, u64)>,
}

/// One variant, flat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantSummary {
    /// Variant name.
    pub name: String,
    /// Workers used.
    pub workers: usize,
    /// Timed passes.
    pub repeats: usize,
    /// Wall time statistics, ms.
    pub wall_ms: WallStats,
    /// Sequential median / this median.
    pub speedup: Option<f64>,
    /// Smallest and largest speedup over the repeats.
    pub speedup_range: Option<(f64, f64)>,
    /// Speedup / workers.
    pub efficiency: Option<f64>,
    /// A one-worker parallel variant clearly faster than sequential: a measurement problem,
    /// not a speedup.
    #[serde(default)]
    pub measurement_problem: bool,
    /// False only when the answer differed from sequential and was supposed to match.
    pub correct: bool,
    /// The detailed check result.
    pub correctness: Correctness,
    /// How the answer differs, in the demo's words, when it does.
    #[serde(default)]
    pub mismatch: Option<String>,
    /// The plain-words verdict line.
    pub verdict: String,
    /// Per-worker figures of the median pass.
    pub per_worker: Vec<WorkerSummary>,
    /// CPU load during the variant.
    pub cpu: CpuSummary,
    /// Demo-specific measurements.
    pub metrics: Vec<Metric>,
    /// A sentence from the demo.
    pub note: Option<String>,
    /// Items per pass.
    pub items: u64,
    /// Whether a cancel cut it short.
    pub cancelled: bool,
    /// Error text if it failed.
    pub error: Option<String>,
}

impl VariantSummary {
    /// Its ✓ / ✗ mark (see [`super::Mark`]): a tick only for a right answer.
    pub fn mark(&self) -> super::Mark {
        super::Mark::of(
            &self.correctness,
            self.error.is_some(),
            self.measurement_problem,
        )
    }

    /// Whether its speedup and efficiency may be quoted to a reader: never for a wrong
    /// answer, whose time is not the time of the work asked (the JSON and CSV keep them).
    pub fn speed_counts(&self) -> bool {
        !matches!(
            self.mark(),
            super::Mark::Incorrect | super::Mark::IncorrectAsExpected
        )
    }
}

/// One run, flat: what `parlab run --format json` prints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// Demo id.
    pub demo: String,
    /// Parameter values.
    pub params: Params,
    /// Workers for parallel variants.
    pub workers: usize,
    /// Logical cores.
    pub cores: usize,
    /// The machine.
    pub machine: Machine,
    /// Whether the run was cancelled.
    pub cancelled: bool,
    /// Spans folded to stay within the memory budget (0: every span is as recorded).
    pub spans_merged: u64,
    /// Variants in run order.
    pub variants: Vec<VariantSummary>,
    /// Peak memory over the whole run of parlab, of each child with the highest peaks and
    /// of the others (name, bytes): the Memory panel's legend, from the same samples.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub memory: Vec<(String, u64)>,
}

fn ms(ns: u64) -> f64 {
    ns as f64 / 1e6
}

/// Flattens `report` with the per-worker and CPU figures of `rec`.
pub fn summarize_run(rec: &Recording, report: &RunReport) -> RunSummary {
    let variants = report
        .variants
        .iter()
        .map(|v| {
            let load = rec.load_during(&v.passes);
            VariantSummary {
                name: v.name.clone(),
                workers: v.workers,
                repeats: v.wall_ms.len(),
                wall_ms: v.wall,
                speedup: v.speedup,
                speedup_range: v.speedup_range,
                efficiency: v.efficiency,
                measurement_problem: v.measurement_problem,
                correct: v.correctness.ok(),
                correctness: v.correctness.clone(),
                mismatch: v.mismatch.clone(),
                verdict: super::verdict(v),
                per_worker: rec
                    .worker_stats(v.median_pass)
                    .into_iter()
                    .map(|w| WorkerSummary {
                        id: w.id,
                        pid: w.pid,
                        busy_ms: ms(w.busy_ns),
                        compute_ms: ms(w.compute_ns),
                        waiting_ms: ms(w.waiting_ns),
                        idle_ms: ms(w.idle_ns),
                        tasks: w.tasks,
                        items: w.items,
                        cpu_ms: w.cpu_ns.map(ms),
                        wall_ms: ms(w.wall_ns),
                    })
                    .collect(),
                cpu: CpuSummary {
                    per_core_avg: load.per_core_avg,
                    per_core_peak: load.per_core_peak,
                    samples: load.samples,
                    peak_rss_self: load.peak_rss_self,
                    peak_rss_children: load.peak_rss_children,
                    peak_per_child: load.peak_per_child,
                },
                metrics: v.metrics.clone(),
                note: v.note.clone(),
                items: v.items,
                cancelled: v.cancelled,
                error: v.error.clone(),
            }
        })
        .collect();
    RunSummary {
        demo: report.demo.clone(),
        params: report.params.clone(),
        workers: report.workers,
        cores: report.cores,
        machine: rec.machine.clone(),
        cancelled: report.cancelled,
        spans_merged: rec.store.merged(),
        variants,
        memory: crate::sampler::memory::series(&rec.samples, crate::sampler::memory::TOP_CHILDREN)
            .into_iter()
            .filter(|m| !m.points.is_empty())
            .map(|m| (m.name, m.peak))
            .collect(),
    }
}
