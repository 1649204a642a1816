//! Lesson 2: start W workers as threads and as real OS processes, join them, and measure what
//! starting each one costs; and what the main program sees when it does not join.
//!
//! Every worker sums the heavy kernel over its contiguous share of 1..=size, so the answer
//! (sum and count) can be checked against the plain loop. Start-up is a span per worker from
//! the spawn call to the worker's first instruction: a thread reads the shared clock when it
//! starts running; a child process reads it first thing in its worker function and sends it.

mod children;
mod msg;
mod worker;

use anyhow::anyhow;

use super::kernels::{self, Work};
use super::sums::{sum_digest, sum_share};
use super::support::share;
use crate::child::Kind;
use crate::engine::{Ctx, DemoError, Expect, Metric, Outcome, TypedDemo, VariantInfo, int, median};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Child worker kind of this demo.
pub const KIND: &str = "process-share";
/// This demo's child kind, for the table `parlab __worker` runs from.
pub const CHILD: Kind = Kind::new(KIND, worker::child_main);

/// The process demo.
#[derive(Debug, Default)]
pub struct ProcessDemo;

crate::demo_variants! {
    /// The ways of starting the workers.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Threads = VariantInfo::parallel(
            "threads",
            "W threads, each sums its share; spawn, then join every one",
        ),
        Processes = VariantInfo::parallel(
            "processes",
            "W child processes (parlab re-executed), each sums its share; joined",
        ),
        NoJoin = VariantInfo {
            name: "no-join",
            help: "W child processes started, then main returns without join: \
                   its answer has only what had finished by then",
            expect: Expect::MayDiffer,
            parallel: true,
            other_work: false,
        },
    }
}

crate::demo_params! {
    /// How many numbers the workers sum, and how hard each one is.
    pub struct Params {
        size: u64 = int(
            100_000,
            0,
            1_000_000_000,
            "how many numbers (1..=size), split evenly over the workers",
        ),
        work: Work = kernels::work_decl(Work::Heavy),
    }
}

impl TypedDemo for ProcessDemo {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "process";
    const TITLE: &'static str = "Process: start and join workers";
    const SUMMARY: &'static str =
        "threads vs real OS processes: start-up cost of each, and what happens without join";

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        ctx.progress.set_total(p.size);
        match variant {
            Variant::Sequential => sequential(ctx, p.size, p.work),
            Variant::Threads => threads(ctx, p.size, p.work),
            Variant::Processes => children::processes(ctx, p.size, p.work),
            Variant::NoJoin => children::no_join(ctx, p.size, p.work),
        }
    }
}

fn sequential(ctx: &Ctx<'_>, n: u64, work: Work) -> Result<Outcome, DemoError> {
    let cpu0 = thread_cpu_ns();
    let mut s = ctx.trace.start();
    let sum = sum_share(
        0..n,
        work,
        || ctx.cancel.is_cancelled(),
        |items| {
            ctx.trace.end(0, s, Phase::Compute, items, 0);
            ctx.progress.add(items);
            s = ctx.trace.start();
        },
    )
    .ok_or(DemoError::Cancelled)?;
    ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
    Ok(Outcome {
        digest: sum_digest(sum, n),
        items: n,
        ..Outcome::default()
    })
}

/// Start-up figures as metrics: median and slowest, in µs.
fn startup_metrics(what: &str, startups_ns: &[u64]) -> Vec<Metric> {
    if startups_ns.is_empty() {
        return Vec::new();
    }
    let us: Vec<f64> = startups_ns.iter().map(|&t| t as f64 / 1e3).collect();
    vec![
        Metric::new(format!("start-up per {what} (median)"), median(&us), "µs"),
        Metric::new(
            format!("start-up, slowest {what}"),
            us.iter().copied().fold(0.0, f64::max),
            "µs",
        ),
    ]
}

/// W threads, each summing its share. The spawn and join stay written out here rather than
/// in `support::team`: the lesson reports each thread's own start-up (its spawn call to its
/// first instruction), which the team does not hand to the job.
fn threads(ctx: &Ctx<'_>, n: u64, work: Work) -> Result<Outcome, DemoError> {
    let w_count = ctx.workers.max(1);
    let trace = ctx.trace;
    let results: Vec<Option<(u64, u64)>> = std::thread::scope(|s| {
        let mut handles = Vec::with_capacity(w_count);
        for w in 0..w_count {
            let range = share(n, w_count, w);
            let spawned_at = now_ns();
            let h = std::thread::Builder::new()
                .name(format!("parlab-worker-{w}"))
                .spawn_scoped(s, move || {
                    let w = w as u32;
                    let begun = trace.start();
                    trace.record(w, begun.core, Phase::Startup, spawned_at, begun.t, 0, 0);
                    let cpu0 = thread_cpu_ns();
                    let mut sp = trace.start();
                    let sum = sum_share(
                        range,
                        work,
                        || ctx.cancel.is_cancelled(),
                        |items| {
                            trace.end(w, sp, Phase::Compute, items, 0);
                            ctx.progress.add(items);
                            sp = trace.start();
                        },
                    );
                    trace.add_cpu(w, thread_cpu_ns() - cpu0);
                    sum.map(|sum| (sum, begun.t - spawned_at))
                })
                .map_err(|e| anyhow!("cannot start worker {w} of process: {e}"))?;
            handles.push(h);
        }
        // join: wait for every worker, in order.
        Ok::<_, anyhow::Error>(
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(None))
                .collect(),
        )
    })?;
    ctx.cancel.check()?;
    let mut sum = 0u64;
    let mut startups = Vec::new();
    for r in results {
        let (s, st) = r.ok_or_else(|| anyhow!("a worker thread failed"))?;
        sum = sum.wrapping_add(s);
        startups.push(st);
    }
    Ok(Outcome {
        digest: sum_digest(sum, n),
        items: n,
        metrics: startup_metrics("thread", &startups),
        ..Outcome::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Demo, Params as Map, Typed};
    use crate::platform::has_exited;

    fn run(variant: &str, size: u64, workers: usize) -> Outcome {
        let demo = Typed::new(ProcessDemo);
        let mut params = Map::defaults(&demo.info().params);
        params
            .set(&demo.info().params, "size", &size.to_string())
            .unwrap();
        crate::engine::run_pass(&demo, variant, &params, workers).unwrap()
    }

    #[test]
    fn threads_match_sequential() {
        // Child-process variants are checked in tests/procs.rs (they need the built binary).
        for size in [0, 1, 1009, 3, 100_000] {
            let seq = run("sequential", size, 1);
            assert_eq!(run("threads", size, 4).digest, seq.digest, "size {size}");
            assert_eq!(run("threads", size, 2).digest, seq.digest, "size {size}");
        }
    }

    #[test]
    fn this_process_has_not_exited() {
        assert!(!has_exited(std::process::id()));
    }
}
