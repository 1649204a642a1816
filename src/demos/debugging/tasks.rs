//! The debugging demo's tasks: seeded sizes, the heavy kernel over each, and the worker loop
//! that takes tasks from a shared counter and logs each one.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::log::Log;
use crate::demos::kernels::{self, CANCEL_EVERY};
use crate::demos::rng::record;
use crate::engine::Ctx;
use crate::trace::{Phase, now_ns};

/// Slots in the buggy variant's scratch buffer.
pub const SCRATCH: usize = 4096;
/// Size of the one task that overflows the scratch buffer.
pub const BIG_TASK: u64 = 6000;

/// The task that is larger than the scratch buffer, among `n` tasks.
pub fn big_task(n: u64) -> Option<u64> {
    (n > 0).then(|| record(0xB16) % n)
}

/// Items of task `t` of `n`: seeded, 500..4000, except the big one.
pub fn task_items(t: u64, n: u64) -> u64 {
    if Some(t) == big_task(n) {
        BIG_TASK
    } else {
        500 + record(t) % 3500
    }
}

/// One task's outcome: items that went in, results that came out, their sum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct TaskResult {
    pub items_in: u64,
    pub items_out: u64,
    pub sum: u64,
}

/// Runs task `t`: the heavy kernel over its items. `scratch` selects the buggy buffer.
fn run_task(t: u64, n: u64, scratch: bool, ctx: &Ctx<'_>) -> Option<TaskResult> {
    let items = task_items(t, n);
    let base = t << 32;
    let mut out: Vec<u64> = if scratch {
        vec![0; SCRATCH]
    } else {
        vec![0; items as usize]
    };
    // The bug: the loop stops where the buffer ends, not where the task ends.
    let written = (items as usize).min(out.len());
    for (k, slot) in out[..written].iter_mut().enumerate() {
        if k as u64 % CANCEL_EVERY == 0 && ctx.cancel.is_cancelled() {
            return None;
        }
        *slot = kernels::mix(base + k as u64);
    }
    ctx.progress.add(items);
    Some(TaskResult {
        items_in: items,
        items_out: written as u64,
        sum: out[..written]
            .iter()
            .fold(0u64, |a, &x| a.wrapping_add(x >> 8)),
    })
}

/// The tasks of one pass, shared by its workers.
pub(super) struct Tasks {
    /// How many.
    pub n: u64,
    /// Whether results go through the buggy scratch buffer.
    pub scratch: bool,
    /// The next task nobody has taken yet.
    pub next: AtomicUsize,
    /// Each task's outcome, by task number.
    pub results: Mutex<Vec<TaskResult>>,
}

impl Tasks {
    /// One worker: takes tasks from the shared counter until none are left; `None` when
    /// cancelled.
    pub fn worker(&self, ctx: &Ctx<'_>, w: u32, log: &Log) -> Option<()> {
        let n = self.n;
        loop {
            let t = self.next.fetch_add(1, Ordering::Relaxed) as u64;
            if t >= n {
                return Some(());
            }
            log.write(
                ctx,
                w,
                format!("task {t} start: {} items", task_items(t, n)),
            );
            let s = ctx.trace.start();
            let r = run_task(t, n, self.scratch, ctx)?;
            ctx.trace.end(w, s, Phase::Compute, r.items_in, 0);
            log.write(
                ctx,
                w,
                format!(
                    "task {t} done: {} in, {} out, partial sum {:#018x}, {:.2} ms",
                    r.items_in,
                    r.items_out,
                    r.sum,
                    (now_ns() - s.t) as f64 / 1e6
                ),
            );
            if let Ok(mut v) = self.results.lock() {
                v[t as usize] = r;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_task_overflows_the_buffer() {
        for n in [1u64, 2, 13, 48] {
            let big: Vec<u64> = (0..n)
                .filter(|&t| task_items(t, n) > SCRATCH as u64)
                .collect();
            assert_eq!(big, vec![big_task(n).unwrap()]);
        }
        assert_eq!(big_task(0), None);
    }
}
