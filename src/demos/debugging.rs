//! Pitfalls: debugging parallel code by logging what each worker does. A seeded set of tasks
//! of different sizes is shared by W workers; every worker writes a log line (worker id and
//! time stamped) when it takes a task and when it finishes, with the items that went in and
//! the results that came out.
//!
//! The `buggy` variant has a realistic bug: results go into a fixed 4096-slot scratch buffer,
//! so the one seeded task larger than that is silently truncated. The final answer is wrong
//! and nothing crashes; only the log shows which task, on which worker, did it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::kernels::{self, CANCEL_EVERY};
use super::rng::record;
use crate::engine::{
    Ctx, Demo, DemoError, DemoInfo, Digest, Expect, Metric, Outcome, ParamSpec, VariantInfo,
};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Slots in the buggy variant's scratch buffer.
pub const SCRATCH: usize = 4096;
/// Size of the one task that overflows the scratch buffer.
pub const BIG_TASK: u64 = 6000;
/// Log lines quoted in the note.
const QUOTED: usize = 2;

/// The debugging demo.
pub struct Debugging {
    info: DemoInfo,
}

impl Debugging {
    /// The demo with its declared parameters and variants.
    pub fn new() -> Debugging {
        Debugging {
            info: DemoInfo {
                id: "debugging",
                title: "Pitfalls: debugging with per-worker logs",
                summary: "workers log each task with id and time; the log finds the task that went wrong",
                params: vec![ParamSpec::int(
                    "size",
                    48,
                    0,
                    1_000_000,
                    "tasks (seeded sizes of 500..4000 heavy items; one has 6000)",
                )],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "logged",
                        "W workers share the tasks and log each one: start, items in, results out",
                    ),
                    VariantInfo {
                        name: "buggy",
                        help: "the same with a fixed 4096-slot result buffer: one task is truncated",
                        expect: Expect::MayDiffer,
                        parallel: true,
                    },
                ],
            },
        }
    }
}

impl Default for Debugging {
    fn default() -> Self {
        Debugging::new()
    }
}

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
struct TaskResult {
    items_in: u64,
    items_out: u64,
    sum: u64,
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

/// A log line kept for the note: time since the pass began, worker, text.
struct Line {
    t_ns: u64,
    worker: u32,
    text: String,
}

/// The pass's log: each line goes to the live view and is kept for the note.
struct Log {
    t0: u64,
    lines: Mutex<Vec<Line>>,
}

impl Log {
    fn write(&self, ctx: &Ctx<'_>, worker: u32, text: String) {
        let t_ns = now_ns();
        ctx.live.log(worker, text.clone());
        if let Ok(mut l) = self.lines.lock() {
            l.push(Line { t_ns, worker, text });
        }
    }
}

/// A log line as a person reads it: `[+12.3 ms w1] task 7 done: ...`.
fn quote(t0: u64, l: &Line) -> String {
    format!(
        "[+{:.1} ms w{}] {}",
        l.t_ns.saturating_sub(t0) as f64 / 1e6,
        l.worker,
        l.text
    )
}

/// One worker: takes tasks from the shared counter until none are left.
fn worker(
    ctx: &Ctx<'_>,
    w: u32,
    n: u64,
    scratch: bool,
    next: &AtomicUsize,
    results: &Mutex<Vec<TaskResult>>,
    log: &Log,
) -> Option<()> {
    loop {
        let t = next.fetch_add(1, Ordering::Relaxed) as u64;
        if t >= n {
            return Some(());
        }
        log.write(
            ctx,
            w,
            format!("task {t} start: {} items", task_items(t, n)),
        );
        let s = ctx.trace.start();
        let r = run_task(t, n, scratch, ctx)?;
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
        if let Ok(mut v) = results.lock() {
            v[t as usize] = r;
        }
    }
}

impl Demo for Debugging {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("size");
        let (workers, scratch) = match variant {
            "sequential" => (1, false),
            "logged" => (ctx.workers, false),
            "buggy" => (ctx.workers, true),
            other => return Err(anyhow::anyhow!("debugging has no variant {other}").into()),
        };
        ctx.progress
            .set_total((0..n).map(|t| task_items(t, n)).sum());
        let next = AtomicUsize::new(0);
        let results = Mutex::new(vec![TaskResult::default(); n as usize]);
        let log = Log {
            t0: now_ns(),
            lines: Mutex::new(Vec::new()),
        };
        std::thread::scope(|s| {
            let mut handles = Vec::new();
            for w in 0..workers as u32 {
                let spawned_at = now_ns();
                let (next, results, log) = (&next, &results, &log);
                let h = std::thread::Builder::new()
                    .name(format!("parlab-debug-{w}"))
                    .spawn_scoped(s, move || {
                        let cpu0 = thread_cpu_ns();
                        let begun = ctx.trace.start();
                        ctx.trace
                            .record(w, begun.core, Phase::Startup, spawned_at, begun.t, 0, 0);
                        let r = worker(ctx, w, n, scratch, next, results, log);
                        ctx.trace.add_cpu(w, thread_cpu_ns() - cpu0);
                        r
                    })
                    .map_err(|e| anyhow::anyhow!("cannot start worker {w}: {e}"))?;
                handles.push(h);
            }
            for h in handles {
                if h.join().is_err() {
                    return Err(DemoError::from(anyhow::anyhow!("a worker panicked")));
                }
            }
            Ok(())
        })?;
        ctx.cancel.check()?;
        let end = now_ns();
        let results = results
            .into_inner()
            .map_err(|_| anyhow::anyhow!("result lock poisoned"))?;
        let lines = log
            .lines
            .into_inner()
            .map_err(|_| anyhow::anyhow!("log lock poisoned"))?;
        let mut d = Digest::new();
        for r in &results {
            d.push(r.items_out);
            d.push(r.sum);
        }
        // Reading the log as a person would: which "done" line has fewer results than items?
        let suspects: Vec<&Line> = lines
            .iter()
            .filter(|l| {
                l.text
                    .split_once(" done: ")
                    .and_then(|(_, rest)| {
                        let mut it = rest.split(", ");
                        let a = it.next()?.strip_suffix(" in")?.to_string();
                        let b = it.next()?.strip_suffix(" out")?.to_string();
                        Some(a != b)
                    })
                    .unwrap_or(false)
            })
            .collect();
        let note = if let Some(bad) = suspects.first() {
            format!(
                "the answer is wrong and nothing crashed; the log names the culprit: {} \
                 ({} of {} tasks show fewer results than items)",
                quote(log.t0, bad),
                suspects.len(),
                n
            )
        } else {
            let quoted: Vec<String> = lines
                .iter()
                .filter(|l| l.text.contains(" done: "))
                .take(QUOTED)
                .map(|l| quote(log.t0, l))
                .collect();
            format!(
                "{n} tasks on {workers} worker(s), {} log lines, every task's results match its items; \
                 e.g. {}",
                lines.len(),
                if quoted.is_empty() {
                    "(no tasks)".to_string()
                } else {
                    quoted.join(" / ")
                }
            )
        };
        Ok(Outcome {
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
            timed: Some((log.t0, end)),
        })
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
