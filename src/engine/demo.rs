//! The `Demo` trait: what every demo declares and how the runner calls it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::cancel::CancelToken;
use super::params::{ParamSpec, Params};
use crate::trace::Tracer;

/// How a variant's result relates to the sequential one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// Must produce exactly the sequential digest; anything else is INCORRECT.
    SameAsSequential,
    /// Is *meant* to differ (an unsynchronized counter losing updates); a difference is the
    /// lesson, not a failure, and the report says so.
    MayDiffer,
}

/// One way of doing a demo's job: `sequential`, `rayon`, `pool`, `processes`...
#[derive(Clone, Debug, PartialEq)]
pub struct VariantInfo {
    /// Name as typed with `--variant`.
    pub name: &'static str,
    /// One line saying what it does.
    pub help: &'static str,
    /// Whether its result must equal the sequential one.
    pub expect: Expect,
    /// Whether it uses the `--workers` setting (sequential does not: it is one worker).
    pub parallel: bool,
    /// Whether it does other work than `sequential` by design (streams where sequential loads
    /// everything): its time on one worker says nothing about a fair baseline, so the
    /// fair-baseline rule ([`super::baseline`]) does not judge it.
    pub other_work: bool,
}

impl VariantInfo {
    /// The sequential reference every demo has.
    pub const SEQUENTIAL: VariantInfo = VariantInfo {
        name: "sequential",
        help: "one thread, a plain loop: the reference answer and time",
        expect: Expect::SameAsSequential,
        parallel: false,
        other_work: false,
    };

    /// A parallel variant that must match the sequential answer.
    pub const fn parallel(name: &'static str, help: &'static str) -> VariantInfo {
        VariantInfo {
            name,
            help,
            expect: Expect::SameAsSequential,
            parallel: true,
            other_work: false,
        }
    }

    /// This variant, declared as doing other work than `sequential` by design.
    pub const fn doing_other_work(self) -> VariantInfo {
        VariantInfo {
            other_work: true,
            ..self
        }
    }
}

/// What a demo declares about itself: data, so lists, lessons and the TUI read one source.
#[derive(Clone, Debug)]
pub struct DemoInfo {
    /// Id as typed: `squaring`.
    pub id: &'static str,
    /// Title for lists.
    pub title: &'static str,
    /// One line saying what it shows.
    pub summary: &'static str,
    /// Parameters (besides `workers`, which every demo takes).
    pub params: Vec<ParamSpec>,
    /// Variants; the first is always [`VariantInfo::SEQUENTIAL`].
    pub variants: Vec<VariantInfo>,
}

impl DemoInfo {
    /// The variant called `name`.
    pub fn variant(&self, name: &str) -> Option<&VariantInfo> {
        self.variants.iter().find(|v| v.name == name)
    }

    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// A named measurement a demo reports besides wall time (lost updates, MB/s, p99 latency).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// What it is, in words: "lost updates", "throughput".
    pub name: String,
    /// The number.
    pub value: f64,
    /// Its unit: "MB/s", "µs", "" for a count.
    pub unit: String,
}

impl Metric {
    /// A metric.
    pub fn new(name: impl Into<String>, value: f64, unit: impl Into<String>) -> Metric {
        Metric {
            name: name.into(),
            value,
            unit: unit.into(),
        }
    }
}

/// What one pass of a variant produced.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// A hash of the result, compared with the sequential variant's.
    pub digest: u64,
    /// Items processed.
    pub items: u64,
    /// Extra measurements.
    pub metrics: Vec<Metric>,
    /// A sentence for the student ("expected 40000, got 31877: 8123 updates were lost").
    pub note: Option<String>,
    /// How the answer differs from sequential, in the demo's own words ("counted 0 of
    /// 100000 items"), for a variant that may differ: the headline quotes it, so a wrong
    /// answer is named by what went wrong rather than by its speed.
    #[serde(default)]
    pub mismatch: Option<String>,
    /// Start and end (shared clock) of the part the lesson is about, when the demo does
    /// checking work after it (hashing the result); `None` times the whole pass.
    pub timed: Option<(u64, u64)>,
    /// Workers the pass really used, when a demo parameter decides it (fetch's
    /// `concurrency`); `None` means `ctx.workers`. Efficiency divides by this.
    pub workers: Option<usize>,
}

/// Why a pass did not produce an outcome.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The cancel token fired; the pass stopped early.
    #[error("cancelled")]
    Cancelled,
    /// Something really failed (a child process died, a pipe broke).
    #[error("{0:#}")]
    Failed(#[from] anyhow::Error),
}

/// Progress of the current pass: items done of total. Workers add, the runner reads.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
}

impl Progress {
    /// Sets how many items this pass will handle.
    pub fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Adds items done.
    #[inline]
    pub fn add(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// (done, total).
    pub fn get(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// Starts again at zero.
    pub fn reset(&self) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(0, Ordering::Relaxed);
    }
}

/// Everything a demo gets for one pass.
pub struct Ctx<'a> {
    /// Workers to use (parallel variants); 1 for sequential.
    pub workers: usize,
    /// Checked by every worker between pieces of work; see [`CancelToken`].
    pub cancel: &'a CancelToken,
    /// Where spans go.
    pub trace: &'a Tracer,
    /// Items done so far, for the progress bar.
    pub progress: &'a Progress,
    /// Sends named series points (queue depth) and per-worker log lines live.
    pub live: &'a super::Live,
}

/// A demo: a job done sequentially and in parallel ways, each checked against sequential.
///
/// Demos know nothing of the UI; they record spans on `ctx.trace` and return an [`Outcome`].
pub trait Demo: Send + Sync {
    /// What the demo declares.
    fn info(&self) -> &DemoInfo;

    /// Runs one pass of `variant` (a name from [`DemoInfo::variants`]) with `params`
    /// (validated against [`DemoInfo::params`]).
    fn run(&self, variant: &str, params: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError>;

    /// Bytes one pass would need at its peak, to refuse sizes that would exhaust memory.
    fn memory_estimate(&self, _params: &Params, _workers: usize) -> u64 {
        0
    }

    /// Called once when a run (all variants, all repeats) ends, also when cancelled: drop
    /// what was kept between passes (a generated dataset on disk).
    fn finish_run(&self) {}

    /// Worker slots the tracer should hold when they exceed `workers` (producers + consumers).
    fn trace_slots(&self, _params: &Params, workers: usize) -> usize {
        workers + 1
    }
}
