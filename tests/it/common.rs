//! What the test modules share: the run context of one demo pass (given a cancel token), and
//! the scan for child processes a test left behind.
//!
//! All integration tests run as threads of one process, so every child process any test
//! starts has this process as its parent. A test that counts children therefore runs alone
//! among the tests that start them: see [`counts_children`] and [`starts_children`].

use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use parlab::engine::{CancelToken, Ctx, Demo, DemoError, Live, Outcome, Params, Progress};
use parlab::trace::Tracer;

/// The parts of a pass's run context a test does not look at (progress, live series), with
/// its tracer and worker count; [`Harness::ctx`] adds the parameters and the cancel token.
pub struct Harness {
    trace: Tracer,
    progress: Progress,
    live: Live,
    workers: usize,
}

impl Harness {
    /// For `workers` workers of `demo` with `params`; spans are dropped.
    pub fn new(demo: &dyn Demo, params: &Params, workers: usize) -> Harness {
        Harness::traced(
            Tracer::new(0, demo.trace_slots(params, workers), None),
            workers,
        )
    }

    /// With a tracer the test reads (one that sends its spans to a channel).
    pub fn traced(trace: Tracer, workers: usize) -> Harness {
        Harness {
            trace,
            progress: Progress::default(),
            live: Live::new(0, None),
            workers,
        }
    }

    /// The context of one pass, stopped by `cancel`.
    pub fn ctx<'a>(&'a self, cancel: &'a CancelToken) -> Ctx<'a> {
        Ctx {
            workers: self.workers,
            cancel,
            trace: &self.trace,
            progress: &self.progress,
            live: &self.live,
        }
    }

    /// Ends the pass's tracing: flushes the spans and reports CPU times, then drops the
    /// tracer, so a channel tracer's receiver sees everything and then its end.
    pub fn finish(self) {
        self.trace.finish();
    }
}

/// Runs `variant` of `demo` once with `workers` workers, stopped by `cancel`.
pub fn run_pass(
    demo: &dyn Demo,
    variant: &str,
    params: &Params,
    workers: usize,
    cancel: &CancelToken,
) -> Result<Outcome, DemoError> {
    let h = Harness::new(demo, params, workers);
    demo.run(variant, params, &h.ctx(cancel))
}

/// How long a cancelled pass may take to return before a test calls it hung. How fast it
/// really stops (target: 200 ms) is measured by `cargo bench --bench cancel`, not here.
pub const STOP_BOUND: Duration = Duration::from_secs(10);

/// Tests that start child processes may run together, but never while one counts them.
static CHILDREN: RwLock<()> = RwLock::new(());

/// Held by a test that starts child processes (of any kind) for as long as it runs.
pub fn starts_children() -> RwLockReadGuard<'static, ()> {
    CHILDREN.read().unwrap_or_else(PoisonError::into_inner)
}

/// Held by a test that counts this process's children: no other test starts any meanwhile.
pub fn counts_children() -> RwLockWriteGuard<'static, ()> {
    CHILDREN.write().unwrap_or_else(PoisonError::into_inner)
}

/// Pids of this process's running children that run worker `kind` (`parlab __worker KIND`).
/// A zombie (exited, not yet reaped) has no command line, so it is never counted.
pub fn children(kind: &str) -> Vec<u32> {
    let me = std::process::id();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if !stat(pid).is_some_and(|(state, ppid)| ppid == me && state != "Z") {
            continue;
        }
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        if cmd.contains("__worker") && cmd.contains(kind) {
            out.push(pid);
        }
    }
    out
}

/// Whether process `pid` is running (not a zombie, not gone).
pub fn alive(pid: u32) -> bool {
    stat(pid).is_some_and(|(state, _)| state != "Z")
}

/// State and parent pid of `pid`, from `/proc/PID/stat`.
fn stat(pid: u32) -> Option<(String, u32)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the ")" that ends the command name (which may hold spaces): state, ppid.
    let (_, rest) = s.rsplit_once(')')?;
    let mut f = rest.split_whitespace();
    let state = f.next()?.to_string();
    let ppid = f.next()?.parse().ok()?;
    Some((state, ppid))
}
