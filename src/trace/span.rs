//! The span: one stretch of time one worker spent in one phase.

use serde::{Deserialize, Serialize};

/// What a worker was doing. The timeline draws each with its own colour and glyph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Starting up: spawning a thread or process, loading, connecting.
    Startup,
    /// Doing the real work the demo is about.
    Compute,
    /// Handing data to someone else (channel send, pipe write, serialization).
    Send,
    /// Taking data from someone else (channel receive, pipe read, deserialization).
    Receive,
    /// Blocked waiting for a lock another worker holds.
    WaitLock,
    /// Blocked waiting for work (an empty queue) or for a slow resource.
    WaitWork,
    /// Nothing to do.
    Idle,
    /// Ready to run but no CPU was free (an observed program with more runnable threads than
    /// cores): the oversubscription a process list never shows.
    WaitCpu,
    /// Blocked or sleeping in the kernel (an observed program's thread waiting on I/O, a
    /// lock, a queue or a timer; the observer cannot tell which).
    Blocked,
}

impl Phase {
    /// Every phase, in legend order.
    pub const ALL: [Phase; 9] = [
        Phase::Startup,
        Phase::Compute,
        Phase::Send,
        Phase::Receive,
        Phase::WaitLock,
        Phase::WaitWork,
        Phase::Idle,
        Phase::WaitCpu,
        Phase::Blocked,
    ];

    /// The name used in exports and on screen.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Startup => "start-up",
            Phase::Compute => "compute",
            Phase::Send => "send",
            Phase::Receive => "receive",
            Phase::WaitLock => "wait-for-lock",
            Phase::WaitWork => "wait-for-work",
            Phase::Idle => "idle",
            Phase::WaitCpu => "wait-for-cpu",
            Phase::Blocked => "blocked",
        }
    }

    /// Parses [`Phase::name`] back (used by trace replay).
    pub fn from_name(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.name() == s)
    }

    /// Time spent in this phase counts as busy (the worker was using a CPU for the job).
    pub fn is_busy(self) -> bool {
        matches!(
            self,
            Phase::Startup | Phase::Compute | Phase::Send | Phase::Receive
        )
    }

    /// Time spent in this phase counts as waiting (blocked on someone else, or for a CPU).
    pub fn is_waiting(self) -> bool {
        matches!(
            self,
            Phase::WaitLock | Phase::WaitWork | Phase::WaitCpu | Phase::Blocked
        )
    }
}

/// One stretch of time one worker spent in one phase.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Which timed pass (one variant, one repeat) this belongs to; see `Event::PassStarted`.
    pub pass: u32,
    /// Worker index, 0-based, within the run.
    pub worker: u32,
    /// OS process id when the worker is a child process; `None` for threads of parlab itself.
    pub pid: Option<u32>,
    /// CPU core the worker was on when the span started (`u16::MAX` when unknown).
    pub core: u16,
    /// What the worker was doing.
    pub phase: Phase,
    /// Start, ns on the shared monotonic clock.
    pub start_ns: u64,
    /// End, ns on the shared monotonic clock.
    pub end_ns: u64,
    /// Items handled in this span (numbers squared, messages sent, lines parsed...).
    pub items: u64,
    /// Bytes handled in this span (sent, received, read).
    pub bytes: u64,
    /// How many recorded spans this one stands for (more than 1 after merging).
    pub merged: u32,
}

impl Span {
    /// Duration in ns.
    pub fn dur_ns(&self) -> u64 {
        self.end_ns.saturating_sub(self.start_ns)
    }
}

/// Per-worker totals derived from spans only.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkerStats {
    /// Worker index.
    pub id: u32,
    /// OS pid when the worker is a process.
    pub pid: Option<u32>,
    /// Time in busy phases.
    pub busy_ns: u64,
    /// Of that, time computing (not sending, receiving or starting up, which may block).
    #[serde(default)]
    pub compute_ns: u64,
    /// Time in waiting phases.
    pub waiting_ns: u64,
    /// Time neither busy nor waiting within the run's wall time (idle spans and gaps).
    pub idle_ns: u64,
    /// Compute spans recorded (tasks or chunks done).
    pub tasks: u64,
    /// Items handled in compute spans.
    pub items: u64,
    /// CPU time the worker consumed, when it was measured.
    pub cpu_ns: Option<u64>,
    /// Wall time of the pass the worker belonged to.
    pub wall_ns: u64,
}

/// Below this share of its busy time on a CPU, a worker's "busy" needs a word: it was ready to
/// run but waiting for a core, which neither busy nor waiting says (16 workers on 2 cores).
pub const ON_CPU_SHARE: f64 = 0.7;

/// The CPU a worker got (`cpu_ns`) as a share of its computing time (`compute_ns`), when it is
/// under [`ON_CPU_SHARE`] and the computing time is long enough (10 ms) for the clocks to say
/// so. Only computing counts: a send or receive may block on the other side, which is no sign
/// of a full machine.
pub fn seldom_on_cpu(compute_ns: u64, cpu_ns: Option<u64>) -> Option<f64> {
    let cpu = cpu_ns?;
    if compute_ns < 10_000_000 {
        return None;
    }
    let share = cpu as f64 / compute_ns as f64;
    (share < ON_CPU_SHARE).then_some(share)
}
