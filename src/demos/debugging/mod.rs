//! Pitfalls: debugging parallel code by logging what each worker does. A seeded set of tasks
//! of different sizes is shared by W workers; every worker writes a log line (worker id and
//! time stamped) when it takes a task and when it finishes, with the items that went in and
//! the results that came out.
//!
//! The `buggy` variant has a realistic bug: results go into a fixed 4096-slot scratch buffer,
//! so the one seeded task larger than that is silently truncated. The final answer is wrong
//! and nothing crashes; only the log shows which task, on which worker, did it.
//!
//! `tasks` holds the tasks and the worker loop, `log` the pass's log and how it is read.

mod log;
mod tasks;

use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;

use super::support;
use crate::engine::{Ctx, DemoError, Digest, Expect, Metric, Outcome, TypedDemo, VariantInfo, int};
use crate::trace::now_ns;
use log::Log;
pub use tasks::{BIG_TASK, SCRATCH, big_task, task_items};
use tasks::{TaskResult, Tasks};

/// The debugging demo.
#[derive(Debug, Default)]
pub struct Debugging;

crate::demo_variants! {
    /// The ways of running the tasks.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Logged = VariantInfo::parallel(
            "logged",
            "W workers share the tasks and log each one: start, items in, results out",
        ),
        Buggy = VariantInfo {
            name: "buggy",
            help: "the same with a fixed 4096-slot result buffer: one task is truncated",
            expect: Expect::MayDiffer,
            parallel: true,
            other_work: false,
        },
    }
}

crate::demo_params! {
    /// How many tasks a pass runs.
    pub struct Params {
        size: u64 = int(
            48,
            0,
            1_000_000,
            "tasks (seeded sizes of 500..4000 heavy items; one has 6000)",
        ),
    }
}

impl TypedDemo for Debugging {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "debugging";
    const TITLE: &'static str = "Pitfalls: debugging with per-worker logs";
    const SUMMARY: &'static str =
        "workers log each task with id and time; the log finds the task that went wrong";

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = p.size;
        let (workers, scratch) = match variant {
            Variant::Sequential => (1, false),
            Variant::Logged => (ctx.workers, false),
            Variant::Buggy => (ctx.workers, true),
        };
        ctx.progress
            .set_total((0..n).map(|t| task_items(t, n)).sum());
        let tasks = Tasks {
            n,
            scratch,
            next: AtomicUsize::new(0),
            results: Mutex::new(vec![TaskResult::default(); n as usize]),
        };
        let log = Log::new(now_ns());
        support::team("debug").traced().run(ctx, workers, |w| {
            tasks
                .worker(ctx, w as u32, &log)
                .ok_or(DemoError::Cancelled)
        })?;
        ctx.cancel.check()?;
        let end = now_ns();
        let results = tasks
            .results
            .into_inner()
            .map_err(|_| anyhow::anyhow!("result lock poisoned"))?;
        let t0 = log.t0;
        let lines = log.into_lines()?;
        let mut d = Digest::new();
        for r in &results {
            d.push(r.items_out);
            d.push(r.sum);
        }
        let suspects = log::suspects(&lines);
        let note = log::note(t0, &lines, &suspects, n, workers);
        let kept: u64 = results.iter().map(|r| r.items_out).sum();
        let given: u64 = results.iter().map(|r| r.items_in).sum();
        Ok(Outcome {
            mismatch: Some(format!(
                "kept {kept} of {given} results ({} of {n} tasks lost some)",
                suspects.len()
            )),
            workers: None,
            digest: d.value(),
            items: results.iter().map(|r| r.items_in).sum(),
            metrics: vec![
                Metric::new("tasks", n as f64, ""),
                Metric::new("log lines", lines.len() as f64, ""),
                Metric::new(
                    "tasks whose log shows results != items",
                    suspects.len() as f64,
                    "",
                ),
            ],
            note: Some(note),
            timed: Some((t0, end)),
        })
    }
}
