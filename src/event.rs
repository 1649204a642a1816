//! Everything a run tells its consumer (the CLI's report or the TUI), in order, on one
//! crossbeam channel: pass boundaries, span batches, progress, live series and the results.

use serde::{Deserialize, Serialize};

use crate::engine::{Outcome, Params, RunReport};
use crate::trace::Span;

/// One message from a running demo to whoever draws or reports it.
#[derive(Clone, Debug)]
pub enum Event {
    /// A run (all variants of one demo) begins.
    RunStarted {
        /// Demo id.
        demo: String,
        /// Parameter values.
        params: Params,
        /// Workers for parallel variants.
        workers: usize,
        /// Variants in the order they will run.
        variants: Vec<String>,
    },
    /// One pass (a variant, once) begins.
    PassStarted(PassInfo),
    /// A batch of finished spans.
    Spans(Vec<Span>),
    /// CPU time a worker of `pass` consumed (sent once, at the end of the pass).
    WorkerCpu {
        /// Pass id.
        pass: u32,
        /// Worker index.
        worker: u32,
        /// CPU ns.
        cpu_ns: u64,
    },
    /// Items done of total in the current pass (sent every ~50 ms).
    Progress {
        /// Pass id.
        pass: u32,
        /// Items done.
        done: u64,
        /// Items in all.
        total: u64,
    },
    /// A point of a named live series (queue depth over time).
    Series {
        /// Pass id.
        pass: u32,
        /// Series name: "queue depth".
        name: String,
        /// When, ns on the shared clock.
        t_ns: u64,
        /// The value.
        value: f64,
    },
    /// A log line a worker wrote (the debugging lesson shows them).
    Log {
        /// Pass id.
        pass: u32,
        /// Worker index.
        worker: u32,
        /// When, ns on the shared clock.
        t_ns: u64,
        /// The line.
        text: String,
    },
    /// The role a worker plays in a pass (`producer`, `consumer`, `main`) or, under the
    /// observer, the process or thread it is: the timeline and Workers panel name its row.
    WorkerLabel {
        /// Pass id.
        pass: u32,
        /// Worker index.
        worker: u32,
        /// The role or name.
        label: String,
    },
    /// One pass ended.
    PassFinished {
        /// Pass id.
        pass: u32,
        /// Start of the timed part, ns on the shared clock (the pass window for per-worker
        /// figures and CPU load).
        start_ns: u64,
        /// End, ns on the shared clock.
        t_ns: u64,
        /// What it produced, or why it did not.
        outcome: Result<Outcome, String>,
    },
    /// The run ended (completed, cancelled or failed); the report holds what completed.
    Finished(Box<RunReport>),
}

/// What a pass is: which variant, which repeat, how many workers, when it began.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassInfo {
    /// Pass id, unique within a session; spans carry it.
    pub pass: u32,
    /// Variant name.
    pub variant: String,
    /// Repeat index, 0-based; the warm-up pass is not counted.
    pub repeat: u32,
    /// Whether this is the untimed warm-up pass.
    pub warmup: bool,
    /// Workers this pass uses.
    pub workers: u32,
    /// Start, ns on the shared clock.
    pub t_ns: u64,
}
