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
//!
//! `child` is the child process's side, `launch` starts the workers, `describe` says
//! what a pass measured.

mod child;
mod describe;
mod launch;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::kernels::{self, CANCEL_EVERY};
use super::support;
use crate::engine::{Ctx, DemoError, Digest, Outcome, TypedDemo, VariantInfo, int};
use crate::trace::{Phase, thread_cpu_ns};
pub use child::{KIND, child_main};
use launch::Started;

/// The start-methods demo.
#[derive(Debug, Default)]
pub struct StartMethods;

crate::demo_variants! {
    /// Where each task runs.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Threads = VariantInfo::parallel(
            "threads",
            "each task on a new thread (W at a time): spawn, run, join",
        ),
        Processes = VariantInfo::parallel(
            "processes",
            "each task in a new re-executed parlab process (W at a time), like spawn",
        ),
    }
}

crate::demo_params! {
    /// How many tasks, and how much work each does.
    pub struct Params {
        size: u64 = int(32, 0, 100_000, "tasks, each on a freshly started worker"),
        items: u64 = int(
            200,
            0,
            100_000_000,
            "heavy items each task computes (~1.5 µs each)",
        ),
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

impl TypedDemo for StartMethods {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "start-methods";
    const TITLE: &'static str = "Pitfalls: start methods";
    const SUMMARY: &'static str =
        "what starting a worker costs: a thread vs a re-executed process (Python's spawn)";

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let (n, items) = (p.size, p.items);
        ctx.progress.set_total(n);
        let results = Mutex::new(vec![Started::default(); n as usize]);
        match variant {
            Variant::Sequential => sequential(ctx, p, &results)?,
            Variant::Threads => launched(ctx, p, &results, launch::on_thread)?,
            Variant::Processes => launched(ctx, p, &results, launch::on_process)?,
        }
        ctx.cancel.check()?;
        let results = results
            .into_inner()
            .map_err(|_| anyhow::anyhow!("result lock poisoned"))?;
        let mut d = Digest::new();
        for r in &results {
            d.push(r.result);
        }
        let (metrics, note) = describe::describe(variant, ctx.workers, &results, n, items);
        Ok(Outcome {
            mismatch: None,
            workers: None,
            digest: d.value(),
            items: n,
            metrics,
            note: Some(note),
            timed: None,
        })
    }
}

/// Every task in a plain loop on this thread.
fn sequential(ctx: &Ctx<'_>, p: &Params, results: &Mutex<Vec<Started>>) -> Result<(), DemoError> {
    let cpu0 = thread_cpu_ns();
    for t in 0..p.size {
        let s = ctx.trace.start();
        let r = task_result_cancellable(t, p.items, || ctx.cancel.is_cancelled())
            .ok_or(DemoError::Cancelled)?;
        ctx.trace.end(0, s, Phase::Compute, p.items, 0);
        ctx.progress.add(1);
        if let Ok(mut v) = results.lock() {
            v[t as usize].result = r;
        }
    }
    ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
    Ok(())
}

/// W launcher threads take the next task and run it on a freshly started worker (`start`).
fn launched(
    ctx: &Ctx<'_>,
    p: &Params,
    results: &Mutex<Vec<Started>>,
    start: fn(&Ctx<'_>, u32, u64, u64) -> Result<Started, DemoError>,
) -> Result<(), DemoError> {
    let next = AtomicU64::new(0);
    support::team("launch").run(ctx, ctx.workers, |w| -> Result<(), DemoError> {
        loop {
            ctx.cancel.check()?;
            let t = next.fetch_add(1, Ordering::Relaxed);
            if t >= p.size {
                return Ok(());
            }
            let st = start(ctx, w as u32, t, p.items)?;
            ctx.progress.add(1);
            if let Ok(mut v) = results.lock() {
                v[t as usize] = st;
            }
        }
    })?;
    Ok(())
}
