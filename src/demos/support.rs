//! Worker plumbing every demo shares: splitting a total over workers, and one way to start a
//! team of threads, join them and report the first real failure.
//!
//! Why one home: about thirty hand-written spawn/join sites each phrased "cannot start",
//! "panicked" and "cancelled" a little differently, and three `share` functions took their
//! arguments in three orders.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{Scope, ScopedJoinHandle};

use crate::engine::{CancelToken, Ctx, DemoError, panic_text};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Worker `w`'s contiguous share of `0..total` split over `workers`: shares differ by at
/// most one item, cover the range exactly once, and are in worker order.
pub fn share(total: u64, workers: usize, w: usize) -> Range<u64> {
    let k = workers.max(1) as u64;
    let w = (w as u64).min(k);
    let base = total / k;
    let extra = total % k;
    let at = |i: u64| i * base + i.min(extra);
    at(w)..at(w + 1)
}

/// A starting line: workers wait until all of them are running, so they really overlap (a
/// thread started 100 µs late would find the work already done). Unlike `std::sync::Barrier`
/// it can be called off, so a failed spawn or a cancel never leaves a worker waiting.
#[derive(Debug, Default)]
struct Gate {
    arrived: AtomicUsize,
    off: AtomicBool,
}

impl Gate {
    /// Waits for `n` arrivals; false if the gate was called off or the run cancelled.
    fn wait(&self, n: usize, cancel: &CancelToken) -> bool {
        self.arrived.fetch_add(1, Ordering::SeqCst);
        while self.arrived.load(Ordering::SeqCst) < n {
            if self.off.load(Ordering::SeqCst) || cancel.is_cancelled() {
                return false;
            }
            std::thread::yield_now();
        }
        true
    }
}

/// A team of scoped worker threads named `parlab-{name}-{w}`.
///
/// `traced` teams are the demo's workers on the timeline: each records a start-up span from
/// its spawn to its first instruction, and its thread CPU time is credited to its worker id.
/// Helper threads (filling a buffer before the timed part) are not traced.
#[derive(Clone, Copy, Debug)]
pub struct Team<'n> {
    name: &'n str,
    traced: bool,
    together: bool,
}

/// A team of threads called `parlab-{name}-{w}`, not traced, each starting when spawned.
pub fn team(name: &str) -> Team<'_> {
    Team {
        name,
        traced: false,
        together: false,
    }
}

impl Team<'_> {
    /// Records each thread's start-up span and CPU time as worker `w` of `ctx.trace`.
    pub fn traced(self) -> Self {
        Team {
            traced: true,
            ..self
        }
    }

    /// Holds every thread at a starting line until all have started.
    pub fn together(self) -> Self {
        Team {
            together: true,
            ..self
        }
    }

    /// Runs `job(w)` for `w` in `0..n`, one thread each, and returns the results in worker
    /// order. The first real failure wins over a cancellation: a thread that could not start,
    /// a panic ("worker 3 of lock panicked: ..."), or an error a job returned.
    pub fn run<T, F>(self, ctx: &Ctx<'_>, n: usize, job: F) -> Result<Vec<T>, DemoError>
    where
        T: Send,
        F: Fn(usize) -> Result<T, DemoError> + Sync,
    {
        let gate = Gate::default();
        let (gate, job) = (&gate, &job);
        let results: Vec<Result<T, DemoError>> = std::thread::scope(|s| {
            let mut handles = Vec::with_capacity(n);
            let mut failed = None;
            for w in 0..n {
                let spawned_at = now_ns();
                let spawned = std::thread::Builder::new()
                    .name(format!("parlab-{}-{w}", self.name))
                    .spawn_scoped(s, move || self.body(ctx, n, w, spawned_at, gate, job));
                match spawned {
                    Ok(h) => handles.push(h),
                    Err(e) => {
                        gate.off.store(true, Ordering::SeqCst);
                        failed = Some(DemoError::Failed(anyhow::anyhow!(
                            "cannot start worker {w} of {}: {e}",
                            self.name
                        )));
                        break;
                    }
                }
            }
            let mut out: Vec<Result<T, DemoError>> = handles
                .into_iter()
                .enumerate()
                .map(|(w, h)| {
                    h.join().unwrap_or_else(|p| {
                        Err(DemoError::Failed(anyhow::anyhow!(
                            "worker {w} of {} panicked: {}",
                            self.name,
                            panic_text(p.as_ref())
                        )))
                    })
                })
                .collect();
            if let Some(e) = failed {
                out.push(Err(e));
            }
            out
        });
        collect(results)
    }

    fn body<T>(
        self,
        ctx: &Ctx<'_>,
        n: usize,
        w: usize,
        spawned_at: u64,
        gate: &Gate,
        job: &(impl Fn(usize) -> Result<T, DemoError> + Sync),
    ) -> Result<T, DemoError> {
        let cpu0 = thread_cpu_ns();
        if self.traced {
            let begun = ctx.trace.start();
            ctx.trace.record(
                w as u32,
                begun.core,
                Phase::Startup,
                spawned_at,
                begun.t,
                0,
                0,
            );
        }
        if self.together && !gate.wait(n, ctx.cancel) {
            return Err(DemoError::Cancelled);
        }
        let r = job(w);
        if self.traced {
            ctx.trace
                .add_cpu(w as u32, thread_cpu_ns().saturating_sub(cpu0));
        }
        r
    }
}

impl<'n> Team<'n> {
    /// Starts [`Team::run`] on a thread of its own inside `scope` and returns at once, for a
    /// caller that keeps working while the team runs (taking results, sampling a queue).
    /// `job` is dropped when the last worker is done, so a channel end it owns closes then.
    pub fn start<'s, T, F>(
        self,
        scope: &'s Scope<'s, '_>,
        ctx: &'s Ctx<'_>,
        n: usize,
        job: F,
    ) -> Result<Running<'s, T>, DemoError>
    where
        'n: 's,
        T: Send + 's,
        F: Fn(usize) -> Result<T, DemoError> + Sync + Send + 's,
    {
        let handle = std::thread::Builder::new()
            .name(format!("parlab-{}-team", self.name))
            .spawn_scoped(scope, move || self.run(ctx, n, job))
            .map_err(|e| anyhow::anyhow!("cannot start the {} team: {e}", self.name))?;
        Ok(Running {
            handle,
            name: self.name.to_string(),
        })
    }
}

/// A team started with [`Team::start`].
pub struct Running<'s, T> {
    handle: ScopedJoinHandle<'s, Result<Vec<T>, DemoError>>,
    name: String,
}

impl<T> Running<'_, T> {
    /// Waits for every worker: their results in worker order, or the first failure.
    pub fn join(self) -> Result<Vec<T>, DemoError> {
        self.handle.join().unwrap_or_else(|p| {
            Err(DemoError::Failed(anyhow::anyhow!(
                "the {} team panicked: {}",
                self.name,
                panic_text(p.as_ref())
            )))
        })
    }
}

/// All results, or the first failure (a real failure before a cancellation).
fn collect<T>(results: Vec<Result<T, DemoError>>) -> Result<Vec<T>, DemoError> {
    let mut out = Vec::with_capacity(results.len());
    let mut cancelled = false;
    for r in results {
        match r {
            Ok(v) => out.push(v),
            Err(DemoError::Cancelled) => cancelled = true,
            Err(e) => return Err(e),
        }
    }
    if cancelled {
        return Err(DemoError::Cancelled);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_ctx<R>(workers: usize, f: impl FnOnce(&Ctx<'_>) -> R) -> R {
        crate::engine::with_ctx(workers, workers + 1, &CancelToken::new(), f)
    }

    #[test]
    fn shares_cover_the_total_once_and_differ_by_at_most_one() {
        for total in [0u64, 1, 7, 100, 101, u64::MAX] {
            for workers in [1usize, 2, 3, 7, 64] {
                let parts: Vec<_> = (0..workers).map(|w| share(total, workers, w)).collect();
                assert_eq!(parts[0].start, 0);
                assert_eq!(parts[workers - 1].end, total);
                for p in parts.windows(2) {
                    assert_eq!(p[0].end, p[1].start);
                }
                let sizes: Vec<u64> = parts.iter().map(|r| r.end - r.start).collect();
                let (lo, hi) = (sizes.iter().min(), sizes.iter().max());
                assert!(hi.zip(lo).is_some_and(|(h, l)| h - l <= 1), "{sizes:?}");
            }
        }
    }

    #[test]
    fn a_team_returns_results_in_worker_order() {
        let got = with_ctx(4, |ctx| {
            team("t").traced().together().run(ctx, 4, |w| Ok(w * 10))
        });
        assert_eq!(got.unwrap(), vec![0, 10, 20, 30]);
    }

    #[test]
    fn a_started_team_runs_while_the_caller_works() {
        let got = with_ctx(3, |ctx| {
            std::thread::scope(|s| {
                let (tx, rx) = crossbeam_channel::unbounded();
                let running = team("t")
                    .start(s, ctx, 3, move |w| {
                        tx.send(w)
                            .map(|()| w * 2)
                            .map_err(|e| DemoError::Failed(anyhow::anyhow!("{e}")))
                    })
                    .unwrap();
                // The job (and its sender) is dropped when the team is done.
                let mut seen: Vec<usize> = rx.iter().collect();
                seen.sort_unstable();
                assert_eq!(seen, vec![0, 1, 2]);
                running.join()
            })
        });
        assert_eq!(got.unwrap(), vec![0, 2, 4]);
    }

    #[test]
    fn a_panic_is_reported_with_the_worker_and_message() {
        let got = with_ctx(3, |ctx| {
            team("boom").run(ctx, 3, |w| {
                if w == 1 {
                    panic!("bad input");
                }
                Ok(w)
            })
        });
        let e = got.unwrap_err().to_string();
        assert_eq!(e, "worker 1 of boom panicked: bad input");
    }

    #[test]
    fn a_failure_wins_over_a_cancellation() {
        let got = with_ctx(2, |ctx| {
            team("t").run(ctx, 2, |w| {
                if w == 0 {
                    Err::<(), _>(DemoError::Cancelled)
                } else {
                    Err(DemoError::Failed(anyhow::anyhow!("pipe broke")))
                }
            })
        });
        assert_eq!(got.unwrap_err().to_string(), "pipe broke");
    }
}
