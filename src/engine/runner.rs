//! The runner: every variant, warmed up and repeated, timed, and checked against sequential.

use std::time::Duration;

use crossbeam_channel::{Sender, bounded};
use serde::{Deserialize, Serialize};

use super::demo::{Ctx, Demo, DemoError, Expect, Metric, Outcome, Progress};
use super::live::Live;
use super::params::Params;
use super::stats::median;
use super::{CancelToken, VariantInfo};
use crate::event::{Event, PassInfo};
use crate::trace::{Tracer, now_ns};

/// How often a running pass reports progress and flushes spans.
const TICK: Duration = Duration::from_millis(50);
/// Repeats aim to fill about this much time per variant.
const REPEAT_BUDGET_NS: u64 = 1_000_000_000;
/// Fewest and most repeats chosen automatically.
const MIN_REPEATS: u32 = 3;
const MAX_REPEATS: u32 = 15;
/// A first pass at least this long is kept as a timed repeat instead of a warm-up: whatever
/// a warm-up removes (page faults, cold caches, thread start) is noise at this length.
const LONG_PASS_NS: u64 = 250_000_000;

/// What to run.
#[derive(Clone)]
pub struct RunRequest {
    /// The demo.
    pub demo: &'static dyn Demo,
    /// Parameter values, already validated.
    pub params: Params,
    /// Workers for parallel variants.
    pub workers: usize,
    /// Variants to run; empty means all. `sequential` always runs (it is the reference).
    pub variants: Vec<String>,
    /// Timed repeats per variant; `None` chooses so a variant takes about a second.
    pub repeats: Option<u32>,
    /// A sequential result from an earlier run with the same parameters (digest, median ms):
    /// when given, sequential is not run again (a sweep runs it once).
    pub reference: Option<(u64, f64)>,
}

/// Wall time statistics of a variant's timed passes, in ms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WallStats {
    /// Median.
    pub median: f64,
    /// Fastest.
    pub min: f64,
    /// Slowest.
    pub max: f64,
}

/// Whether a variant's answer was right.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Correctness {
    /// Every pass produced the sequential digest.
    Correct,
    /// Some pass did not. Never hidden.
    Incorrect {
        /// Sequential digest.
        expected: u64,
        /// The first different digest.
        got: u64,
    },
    /// Differs from sequential, as the lesson intends (an unsynchronized counter).
    DiffersAsExpected,
    /// Not checked (no sequential pass completed, e.g. cancelled early).
    Unchecked,
}

impl Correctness {
    /// True unless INCORRECT.
    pub fn ok(&self) -> bool {
        !matches!(self, Correctness::Incorrect { .. })
    }
}

/// One variant's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantReport {
    /// Variant name.
    pub name: String,
    /// Workers it used (1 for sequential).
    pub workers: usize,
    /// Pass ids of its timed passes, in order (the spans of each carry the id).
    pub passes: Vec<u32>,
    /// Wall time of each timed pass, ms.
    pub wall_ms: Vec<f64>,
    /// Statistics of `wall_ms`.
    pub wall: WallStats,
    /// Sequential median / this median.
    pub speedup: Option<f64>,
    /// Smallest and largest speedup over the repeats (sequential median / each pass).
    pub speedup_range: Option<(f64, f64)>,
    /// Speedup / workers.
    pub efficiency: Option<f64>,
    /// A one-worker parallel variant clearly faster than sequential: a measurement problem,
    /// not a speedup (see [`super::baseline`]).
    #[serde(default)]
    pub measurement_problem: bool,
    /// Whether the answer was right.
    pub correctness: Correctness,
    /// The pass whose time is the median (per-worker figures come from it).
    pub median_pass: Option<u32>,
    /// Metrics and note of the median pass.
    pub metrics: Vec<Metric>,
    /// A sentence from the demo about its result.
    pub note: Option<String>,
    /// Items per pass.
    pub items: u64,
    /// True if a cancel cut this variant short.
    pub cancelled: bool,
    /// Error text if a pass failed.
    pub error: Option<String>,
}

/// A whole run: every variant of one demo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// Demo id.
    pub demo: String,
    /// Parameter values.
    pub params: Params,
    /// Workers for parallel variants.
    pub workers: usize,
    /// Logical cores of this machine.
    pub cores: usize,
    /// Variants in run order, sequential first.
    pub variants: Vec<VariantReport>,
    /// True if cancelled; `variants` then holds what completed.
    pub cancelled: bool,
}

impl RunReport {
    /// The report of `name`.
    pub fn variant(&self, name: &str) -> Option<&VariantReport> {
        self.variants.iter().find(|v| v.name == name)
    }

    /// True when some variant was INCORRECT or failed.
    pub fn has_failures(&self) -> bool {
        self.variants
            .iter()
            .any(|v| !v.correctness.ok() || v.error.is_some())
    }
}

/// Runs demos, numbering passes across runs so one trace can hold several runs (a sweep).
pub struct Runner {
    tx: Option<Sender<Event>>,
    cancel: CancelToken,
    next_pass: u32,
    /// Digest of the last sequential variant run, the reference for the ones after it.
    last_digest: Option<u64>,
    last_reference: Option<(u64, f64)>,
}

impl Runner {
    /// A runner that reports on `tx` (or only returns the report when `None`).
    pub fn new(tx: Option<Sender<Event>>, cancel: CancelToken) -> Runner {
        Runner {
            tx,
            cancel,
            next_pass: 0,
            last_digest: None,
            last_reference: None,
        }
    }

    /// The sequential answer of the last run (digest, median ms), to pass as
    /// [`RunRequest::reference`] to later runs with the same parameters.
    pub fn reference(&self) -> Option<(u64, f64)> {
        self.last_reference
    }

    fn send(&self, ev: Event) {
        if let Some(tx) = &self.tx {
            // A consumer that went away no longer needs events.
            let _ = tx.send(ev);
        }
    }

    /// Runs every requested variant and returns what completed.
    pub fn run(&mut self, req: &RunRequest) -> RunReport {
        let info = req.demo.info();
        let variants: Vec<&VariantInfo> = info
            .variants
            .iter()
            .filter(|v| {
                if v.name == "sequential" {
                    req.reference.is_none()
                } else {
                    req.variants.is_empty() || req.variants.iter().any(|n| n == v.name)
                }
            })
            .collect();
        self.send(Event::RunStarted {
            demo: info.id.to_string(),
            params: req.params.clone(),
            workers: req.workers,
            variants: variants.iter().map(|v| v.name.to_string()).collect(),
        });
        let mut report = RunReport {
            demo: info.id.to_string(),
            params: req.params.clone(),
            workers: req.workers,
            cores: crate::cores(),
            variants: Vec::new(),
            cancelled: false,
        };
        let mut reference = req.reference; // (digest, median ms) of sequential
        for v in variants {
            let vr = self.run_variant(req, v, reference);
            if v.name == "sequential"
                && let Correctness::Correct = vr.correctness
                && let Some(d) = self.last_digest
            {
                reference = Some((d, vr.wall.median));
                self.last_reference = reference;
            }
            let stop = vr.cancelled;
            report.variants.push(vr);
            if stop {
                report.cancelled = true;
                break;
            }
        }
        req.demo.finish_run();
        self.send(Event::Finished(Box::new(report.clone())));
        report
    }

    fn run_variant(
        &mut self,
        req: &RunRequest,
        v: &VariantInfo,
        reference: Option<(u64, f64)>,
    ) -> VariantReport {
        let workers = if v.parallel { req.workers } else { 1 };
        let mut vr = VariantReport {
            name: v.name.to_string(),
            workers,
            passes: Vec::new(),
            wall_ms: Vec::new(),
            wall: WallStats::default(),
            speedup: None,
            speedup_range: None,
            efficiency: None,
            measurement_problem: false,
            correctness: Correctness::Unchecked,
            median_pass: None,
            metrics: Vec::new(),
            note: None,
            items: 0,
            cancelled: false,
            error: None,
        };
        let mut outcomes: Vec<Outcome> = Vec::new();
        let mut target = req.repeats.unwrap_or(MIN_REPEATS);
        let mut warmup = req.repeats.is_none();
        let mut repeat = 0u32;
        while repeat < target {
            match self.pass(req, v.name, workers, repeat, warmup) {
                Ok((wall_ns, elapsed_ns, pass, outcome)) => {
                    if warmup {
                        warmup = false;
                        // Budget by what a pass really costs, untimed set-up included.
                        let per = elapsed_ns.max(wall_ns).max(1);
                        // Passes over a second get two repeats: a demo with four variants
                        // then finishes in seconds, not minutes.
                        let min = if per > REPEAT_BUDGET_NS {
                            2
                        } else {
                            MIN_REPEATS
                        };
                        target =
                            (REPEAT_BUDGET_NS / per).clamp(min as u64, MAX_REPEATS as u64) as u32;
                        if wall_ns < LONG_PASS_NS {
                            continue; // a real warm-up: not timed
                        }
                    }
                    vr.passes.push(pass);
                    vr.wall_ms.push(wall_ns as f64 / 1e6);
                    outcomes.push(outcome);
                    repeat += 1;
                }
                Err(DemoError::Cancelled) => {
                    vr.cancelled = true;
                    break;
                }
                Err(DemoError::Failed(e)) => {
                    vr.error = Some(format!("{e:#}"));
                    break;
                }
            }
        }
        self.last_digest = None;
        if outcomes.is_empty() {
            return vr;
        }
        let ms = &vr.wall_ms;
        let med = median(ms);
        vr.wall = WallStats {
            median: med,
            min: ms.iter().copied().fold(f64::INFINITY, f64::min),
            max: ms.iter().copied().fold(0.0, f64::max),
        };
        // The pass closest to the median stands for the variant's per-worker picture.
        let mi = (0..ms.len())
            .min_by(|&a, &b| (ms[a] - med).abs().total_cmp(&(ms[b] - med).abs()))
            .unwrap_or(0);
        vr.median_pass = Some(vr.passes[mi]);
        vr.metrics = outcomes[mi].metrics.clone();
        vr.note = outcomes[mi].note.clone();
        vr.items = outcomes[mi].items;
        if let Some(w) = outcomes[mi].workers {
            vr.workers = w;
        }
        let first = outcomes[0].digest;
        let expected = if v.name == "sequential" {
            Some(first)
        } else {
            reference.map(|r| r.0)
        };
        vr.correctness = match expected {
            None => Correctness::Unchecked,
            Some(exp) => match outcomes.iter().find(|o| o.digest != exp) {
                None => Correctness::Correct,
                Some(_) if v.expect == Expect::MayDiffer => Correctness::DiffersAsExpected,
                Some(o) => Correctness::Incorrect {
                    expected: exp,
                    got: o.digest,
                },
            },
        };
        if v.name == "sequential" {
            self.last_digest = Some(first);
            vr.speedup = Some(1.0);
            vr.speedup_range = Some((med / vr.wall.max.max(1e-9), med / vr.wall.min.max(1e-9)));
            vr.efficiency = Some(1.0);
        } else if let Some((_, seq_ms)) = reference {
            let s = seq_ms / med.max(1e-9);
            vr.speedup = Some(s);
            vr.speedup_range = Some((
                seq_ms / vr.wall.max.max(1e-9),
                seq_ms / vr.wall.min.max(1e-9),
            ));
            vr.efficiency = Some(s / vr.workers.max(1) as f64);
            vr.measurement_problem =
                super::baseline::one_worker_too_fast(v.parallel, vr.workers, vr.speedup);
        }
        vr
    }

    /// One pass on its own thread while this thread ticks progress and span flushes.
    fn pass(
        &mut self,
        req: &RunRequest,
        variant: &str,
        workers: usize,
        repeat: u32,
        warmup: bool,
    ) -> Result<(u64, u64, u32, Outcome), DemoError> {
        self.cancel.check()?;
        let pass = self.next_pass;
        self.next_pass += 1;
        let tracer = Tracer::new(
            pass,
            req.demo.trace_slots(&req.params, workers),
            self.tx.clone(),
        );
        let live = Live::new(pass, self.tx.clone());
        let progress = Progress::default();
        self.send(Event::PassStarted(PassInfo {
            pass,
            variant: variant.to_string(),
            repeat,
            warmup,
            workers: workers as u32,
            t_ns: now_ns(),
        }));
        let t_start = now_ns();
        let (done_tx, done_rx) = bounded(1);
        let ctx = Ctx {
            workers,
            cancel: &self.cancel,
            trace: &tracer,
            progress: &progress,
            live: &live,
        };
        let result = std::thread::scope(|s| {
            let spawned = std::thread::Builder::new()
                .name("parlab-pass".into())
                .spawn_scoped(s, || {
                    // Owned by this thread, so a panic drops it and the wait below ends.
                    let done_tx = done_tx;
                    let t0 = now_ns();
                    let r = req.demo.run(variant, &req.params, &ctx);
                    let t1 = now_ns();
                    let _ = done_tx.send(());
                    r.map(|o| {
                        let (a, b) = o.timed.unwrap_or((t0, t1));
                        ((a, b), t1 - t0, o)
                    })
                });
            let handle = match spawned {
                Ok(h) => h,
                Err(e) => {
                    return Err(DemoError::Failed(anyhow::anyhow!(
                        "cannot start a thread: {e}"
                    )));
                }
            };
            while let Err(crossbeam_channel::RecvTimeoutError::Timeout) = done_rx.recv_timeout(TICK)
            {
                tracer.flush();
                let (done, total) = progress.get();
                self.send(Event::Progress { pass, done, total });
            }
            handle
                .join()
                .unwrap_or_else(|_| Err(DemoError::Failed(anyhow::anyhow!("the demo panicked"))))
        });
        tracer.finish();
        let (done, total) = progress.get();
        self.send(Event::Progress { pass, done, total });
        let t_end = now_ns();
        match result {
            Ok(((a, b), elapsed, outcome)) => {
                self.send(Event::PassFinished {
                    pass,
                    start_ns: a,
                    t_ns: b,
                    outcome: Ok(outcome.clone()),
                });
                Ok((b - a, elapsed, pass, outcome))
            }
            Err(e) => {
                self.send(Event::PassFinished {
                    pass,
                    start_ns: t_start,
                    t_ns: t_end,
                    outcome: Err(e.to_string()),
                });
                Err(e)
            }
        }
    }
}

/// Runs one pass of `variant` outside a [`Runner`]: no timing, no events, spans kept
/// nowhere. For unit tests and benchmarks that need a demo's answer, not its measurements.
pub fn run_pass(
    demo: &dyn Demo,
    variant: &str,
    params: &Params,
    workers: usize,
) -> Result<Outcome, DemoError> {
    let cancel = CancelToken::new();
    let trace = Tracer::new(0, demo.trace_slots(params, workers), None);
    let progress = Progress::default();
    let live = Live::new(0, None);
    let ctx = Ctx {
        workers,
        cancel: &cancel,
        trace: &trace,
        progress: &progress,
        live: &live,
    };
    demo.run(variant, params, &ctx)
}
