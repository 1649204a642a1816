//! Pitfalls: start methods. Python starts a worker process by `fork` (copy the running
//! parent), `spawn` (start a fresh interpreter that re-imports the main module) or
//! `forkserver` (fork from a small clean server process). parlab has two kinds of worker: a
//! thread inside parlab, or a re-executed parlab (`parlab __worker ...`), which is what `spawn`
//! does. It never forks without exec: in a program that already runs threads, a forked child
//! gets a copy of every lock in whatever state another thread left it, with no thread to
//! release it.
//!
//! Every task here runs on a freshly started worker, so the pass measures what starting one
//! costs: spawn to first instruction (a start-up span), exit and join/reap, and for a child
//! process its own peak memory.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context as _;

use super::kernels::{self, CANCEL_EVERY};
use crate::child::{ChildIo, ChildProcess};
use crate::engine::{
    Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, VariantInfo, median,
};
use crate::platform::proc_status_bytes;
use crate::trace::{Phase, SpanStart, now_ns, thread_cpu_ns};

/// Name of the child worker kind.
pub const KIND: &str = "start-task";

/// The start-methods demo.
pub struct StartMethods {
    info: DemoInfo,
}

impl StartMethods {
    /// The demo with its declared parameters and variants.
    pub fn new() -> StartMethods {
        StartMethods {
            info: DemoInfo {
                id: "start-methods",
                title: "Pitfalls: start methods",
                summary: "what starting a worker costs: a thread vs a re-executed process (Python's spawn)",
                params: vec![
                    ParamSpec::int(
                        "size",
                        32,
                        0,
                        100_000,
                        "tasks, each on a freshly started worker",
                    ),
                    ParamSpec::int(
                        "items",
                        200,
                        0,
                        100_000_000,
                        "heavy items each task computes (~1.5 µs each)",
                    ),
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "threads",
                        "each task on a new thread (W at a time): spawn, run, join",
                    ),
                    VariantInfo::parallel(
                        "processes",
                        "each task in a new re-executed parlab process (W at a time), like spawn",
                    ),
                ],
            },
        }
    }
}

impl Default for StartMethods {
    fn default() -> Self {
        StartMethods::new()
    }
}

/// The result of task `t`: the heavy kernel over `items` items, folded.
pub fn task_result(t: u64, items: u64) -> u64 {
    (0..items).fold(0u64, |a, k| a.wrapping_add(kernels::mix((t << 32) + k)))
}

/// Like [`task_result`], but stops (`None`) when `cancelled` says so.
fn task_result_cancellable(t: u64, items: u64, cancelled: impl Fn() -> bool) -> Option<u64> {
    let mut a = 0u64;
    for k in 0..items {
        if k % CANCEL_EVERY == 0 && cancelled() {
            return None;
        }
        a = a.wrapping_add(kernels::mix((t << 32) + k));
    }
    Some(a)
}

/// Child side: args are `SPAWNED_NS TASK ITEMS`. Records its start-up span (from the
/// parent's spawn call to here) and its compute span, then sends
/// `[result, peak RSS bytes, running-at ns, compute-end ns]` as four little-endian u64.
pub fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let arg = |i: usize| -> anyhow::Result<u64> {
        io.args
            .get(i)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("{KIND}: argument {i} missing or not a number"))
    };
    let (spawned, task, items) = (arg(0)?, arg(1)?, arg(2)?);
    let ready = io.start();
    io.end(
        SpanStart {
            t: spawned,
            core: ready.core,
        },
        Phase::Startup,
        0,
        0,
    );
    let s = io.start();
    let r = task_result(task, items);
    io.end(s, Phase::Compute, items, 0);
    let end = now_ns();
    let hwm = proc_status_bytes("VmHWM").unwrap_or(0);
    let mut out = Vec::with_capacity(32);
    for v in [r, hwm, ready.t, end] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    io.send(&out)?;
    io.flush()
}

/// What one started worker measured.
#[derive(Clone, Copy, Debug, Default)]
struct Started {
    result: u64,
    startup_ns: u64,
    teardown_ns: u64,
    rss: u64,
}

/// Runs task `t` on a new thread in worker slot `w`.
fn on_thread(ctx: &Ctx<'_>, w: u32, t: u64, items: u64) -> Result<Started, DemoError> {
    let spawned = now_ns();
    let ready = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let r = std::thread::scope(|s| {
        let h = std::thread::Builder::new()
            .name(format!("parlab-start-{w}"))
            .spawn_scoped(s, || {
                let cpu0 = thread_cpu_ns();
                let begun = ctx.trace.start();
                ready.store(begun.t, Ordering::Relaxed);
                ctx.trace
                    .record(w, begun.core, Phase::Startup, spawned, begun.t, 0, 0);
                let c = ctx.trace.start();
                let r = task_result_cancellable(t, items, || ctx.cancel.is_cancelled());
                ctx.trace.end(w, c, Phase::Compute, items, 0);
                done.store(now_ns(), Ordering::Relaxed);
                ctx.trace.add_cpu(w, thread_cpu_ns() - cpu0);
                r
            })
            .map_err(|e| anyhow::anyhow!("cannot start a thread: {e}"))?;
        h.join()
            .map_err(|_| DemoError::from(anyhow::anyhow!("a task thread panicked")))
    })?;
    let joined = now_ns();
    let result = r.ok_or(DemoError::Cancelled)?;
    Ok(Started {
        result,
        startup_ns: ready.load(Ordering::Relaxed).saturating_sub(spawned),
        teardown_ns: joined.saturating_sub(done.load(Ordering::Relaxed)),
        rss: 0,
    })
}

/// Runs task `t` in a new child process in worker slot `w`.
fn on_process(ctx: &Ctx<'_>, w: u32, t: u64, items: u64) -> Result<Started, DemoError> {
    let spawned = now_ns();
    let args = [spawned.to_string(), t.to_string(), items.to_string()];
    let mut child = ChildProcess::spawn(KIND, w, &args)?;
    ctx.trace.set_pid(w, child.pid());
    let data = child
        .recv(ctx.trace)?
        .context("the child exited without a result")?;
    let field = |i: usize| -> u64 {
        data.get(i * 8..i * 8 + 8)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    let (result, rss, ready, done) = (field(0), field(1), field(2), field(3));
    if data.len() != 32 {
        return Err(anyhow::anyhow!("the child sent {} bytes, expected 32", data.len()).into());
    }
    child.finish(ctx.trace)?;
    let reaped = now_ns();
    Ok(Started {
        result,
        startup_ns: ready.saturating_sub(spawned),
        teardown_ns: reaped.saturating_sub(done),
        rss,
    })
}

impl Demo for StartMethods {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("size");
        let items = ctx.params.int("items");
        ctx.progress.set_total(n);
        let results = Mutex::new(vec![Started::default(); n as usize]);
        match variant {
            "sequential" => {
                let cpu0 = thread_cpu_ns();
                for t in 0..n {
                    let s = ctx.trace.start();
                    let r = task_result_cancellable(t, items, || ctx.cancel.is_cancelled())
                        .ok_or(DemoError::Cancelled)?;
                    ctx.trace.end(0, s, Phase::Compute, items, 0);
                    ctx.progress.add(1);
                    if let Ok(mut v) = results.lock() {
                        v[t as usize].result = r;
                    }
                }
                ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
            }
            "threads" | "processes" => {
                let next = AtomicU64::new(0);
                let on_process_variant = variant == "processes";
                std::thread::scope(|s| -> Result<(), DemoError> {
                    let mut handles = Vec::new();
                    for w in 0..ctx.workers as u32 {
                        let (next, results) = (&next, &results);
                        let h = std::thread::Builder::new()
                            .name(format!("parlab-launch-{w}"))
                            .spawn_scoped(s, move || -> Result<(), DemoError> {
                                loop {
                                    ctx.cancel.check()?;
                                    let t = next.fetch_add(1, Ordering::Relaxed);
                                    if t >= n {
                                        return Ok(());
                                    }
                                    let st = if on_process_variant {
                                        on_process(ctx, w, t, items)?
                                    } else {
                                        on_thread(ctx, w, t, items)?
                                    };
                                    ctx.progress.add(1);
                                    if let Ok(mut v) = results.lock() {
                                        v[t as usize] = st;
                                    }
                                }
                            })
                            .map_err(|e| anyhow::anyhow!("cannot start launcher {w}: {e}"))?;
                        handles.push(h);
                    }
                    let mut first_err = None;
                    for h in handles {
                        let r = h.join().unwrap_or_else(|_| {
                            Err(anyhow::anyhow!("a launcher thread panicked").into())
                        });
                        if let Err(e) = r {
                            // Keep a real failure over a cancellation.
                            if first_err.is_none() || matches!(e, DemoError::Failed(_)) {
                                first_err = Some(e);
                            }
                        }
                    }
                    first_err.map_or(Ok(()), Err)
                })?;
            }
            other => return Err(anyhow::anyhow!("start-methods has no variant {other}").into()),
        }
        ctx.cancel.check()?;
        let results = results
            .into_inner()
            .map_err(|_| anyhow::anyhow!("result lock poisoned"))?;
        let mut d = Digest::new();
        for r in &results {
            d.push(r.result);
        }
        let (metrics, note) = self.describe(variant, ctx, &results, n, items);
        Ok(Outcome {
            workers: None,
            digest: d.value(),
            items: n,
            metrics,
            note: Some(note),
            timed: None,
        })
    }
}

impl StartMethods {
    /// Metrics and the sentence for one pass.
    fn describe(
        &self,
        variant: &str,
        ctx: &Ctx<'_>,
        results: &[Started],
        n: u64,
        items: u64,
    ) -> (Vec<Metric>, String) {
        let med = |f: &dyn Fn(&Started) -> u64| {
            let xs: Vec<f64> = results.iter().map(|r| f(r) as f64).collect();
            median(&xs)
        };
        let teardown = med(&|r| r.teardown_ns);
        match variant {
            "threads" => {
                let up = med(&|r| r.startup_ns);
                (
                    vec![
                        Metric::new("start-ups", n as f64, ""),
                        Metric::new("thread start-up (spawn to running), median", up / 1e3, "µs"),
                        Metric::new("thread exit + join, median", teardown / 1e3, "µs"),
                    ],
                    format!(
                        "{n} fresh threads on {} launchers: a thread starts in {:.0} µs and \
                         exits + joins in {:.0} µs (median); it shares parlab's memory",
                        ctx.workers,
                        up / 1e3,
                        teardown / 1e3
                    ),
                )
            }
            "processes" => {
                let rss = med(&|r| r.rss) / 1e6;
                let up = med(&|r| r.startup_ns);
                (
                    vec![
                        Metric::new("start-ups", n as f64, ""),
                        Metric::new(
                            "process start-up (spawn to running), median",
                            up / 1e6,
                            "ms",
                        ),
                        Metric::new("process exit + reap, median", teardown / 1e6, "ms"),
                        Metric::new("child peak memory (VmHWM), median", rss, "MB"),
                    ],
                    format!(
                        "{n} re-executed parlab children on {} launchers: a child starts in \
                         {:.2} ms, exits and is reaped in {:.2} ms (median), and has its own \
                         {rss:.1} MB of resident memory",
                        ctx.workers,
                        up / 1e6,
                        teardown / 1e6
                    ),
                )
            }
            _ => (
                vec![Metric::new("start-ups", 0.0, "")],
                format!(
                    "{n} tasks of {items} heavy items each in a plain loop: no worker to start, \
                     so this is the work alone"
                ),
            ),
        }
    }
}
