//! Lesson 2: start W workers as threads and as real OS processes, join them, and measure what
//! starting each one costs; and what the main program sees when it does not join.
//!
//! Every worker sums the heavy kernel over its contiguous share of 1..=size, so the answer
//! (sum and count) can be checked against the plain loop. Start-up is a span per worker from
//! the spawn call to the worker's first instruction: a thread reads the shared clock when it
//! starts running; a child process reads it first thing in its worker function and sends it.
//!
//! The helpers at the bottom (shares, the stdin watcher that stops a child when parlab goes
//! away, the "has this child exited" check) are shared with the queue demo.

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context as _, anyhow, bail};

use super::kernels::{self, Work};
use crate::child::{ChildIo, ChildProcess};
use crate::engine::{
    Ctx, Demo, DemoError, DemoInfo, Digest, Expect, Metric, Outcome, ParamSpec, VariantInfo, median,
};
use crate::platform::has_exited;
use crate::trace::{Phase, SpanStart, core_now, now_ns, thread_cpu_ns};

/// Child worker kind of this demo.
pub const KIND: &str = "process-share";
/// Items between clock reads (and cancel checks) inside a share.
const CHUNK: u64 = 256;
/// A compute span covers about this much time (so spans are neither tiny nor too few).
const SLICE_NS: u64 = 2_000_000;
/// A child reports progress (and its spans) about this often.
const REPORT_NS: u64 = 20_000_000;

/// The process demo.
pub struct ProcessDemo {
    info: DemoInfo,
}

impl ProcessDemo {
    /// The demo with its declared parameters and variants.
    pub fn new() -> ProcessDemo {
        let work = kernels::work_param("heavy");
        ProcessDemo {
            info: DemoInfo {
                id: "process",
                title: "Process: start and join workers",
                summary: "threads vs real OS processes: start-up cost of each, and what happens without join",
                params: vec![
                    ParamSpec::int(
                        "size",
                        100_000,
                        0,
                        1_000_000_000,
                        "how many numbers (1..=size), split evenly over the workers",
                    ),
                    work,
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "threads",
                        "W threads, each sums its share; spawn, then join every one",
                    ),
                    VariantInfo::parallel(
                        "processes",
                        "W child processes (parlab re-executed), each sums its share; joined",
                    ),
                    VariantInfo {
                        name: "no-join",
                        help: "W child processes started, then main returns without join: \
                               its answer has only what had finished by then",
                        expect: Expect::MayDiffer,
                        parallel: true,
                    },
                ],
            },
        }
    }
}

impl Default for ProcessDemo {
    fn default() -> Self {
        ProcessDemo::new()
    }
}

impl Demo for ProcessDemo {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("size");
        let work = Work::from_param(ctx.params.text("work"));
        ctx.progress.set_total(n);
        match variant {
            "sequential" => sequential(ctx, n, work),
            "threads" => threads(ctx, n, work),
            "processes" => processes(ctx, n, work),
            "no-join" => no_join(ctx, n, work),
            other => Err(DemoError::Failed(anyhow!("process has no variant {other}"))),
        }
    }
}

/// The answer: a digest of the wrapping sum of every item and how many there were.
pub fn sum_digest(sum: u64, count: u64) -> u64 {
    let mut d = Digest::new();
    d.push(sum);
    d.push(count);
    d.value()
}

/// The 0-based index range of part `i` of `parts` equal shares of `0..n`.
pub fn share(n: u64, parts: usize, i: usize) -> Range<u64> {
    let parts = parts.max(1) as u128;
    let at = |k: usize| (n as u128 * k as u128 / parts) as u64;
    at(i)..at(i + 1)
}

/// Sums the kernel over `range` (index i stands for the number i + 1), calling `slice(items)`
/// about every [`SLICE_NS`] and at the end. `None` when `stop()` said so.
pub fn sum_share(
    range: Range<u64>,
    work: Work,
    stop: impl Fn() -> bool,
    mut slice: impl FnMut(u64),
) -> Option<u64> {
    let mut sum = 0u64;
    let mut i = range.start;
    let mut items = 0;
    let mut t = now_ns();
    while i < range.end {
        if stop() {
            return None;
        }
        let end = (i + CHUNK).min(range.end);
        for x in i..end {
            sum = sum.wrapping_add(kernels::item(x + 1, work));
        }
        items += end - i;
        i = end;
        let now = now_ns();
        if now - t >= SLICE_NS || i == range.end {
            slice(items);
            items = 0;
            t = now;
        }
    }
    Some(sum)
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
                .map_err(|e| anyhow!("cannot start worker thread {w}: {e}"))?;
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

/// What a share child tells its parent, as tagged little-endian words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Msg {
    /// The child's first timestamp on the shared clock.
    Started(u64),
    /// Items done since the last report.
    Progress(u64),
    /// The share's wrapping sum and item count.
    Done(u64, u64),
}

impl Msg {
    fn encode(self) -> [u8; 17] {
        let (tag, a, b) = match self {
            Msg::Started(t) => (0, t, 0),
            Msg::Progress(i) => (1, i, 0),
            Msg::Done(s, c) => (2, s, c),
        };
        let mut out = [0u8; 17];
        out[0] = tag;
        out[1..9].copy_from_slice(&a.to_le_bytes());
        out[9..].copy_from_slice(&b.to_le_bytes());
        out
    }

    fn decode(b: &[u8]) -> anyhow::Result<Msg> {
        let word = |r: Range<usize>| {
            b.get(r)
                .and_then(|s| s.try_into().ok())
                .map(u64::from_le_bytes)
                .context("short message from a worker process")
        };
        let (a, c) = (word(1..9)?, word(9..17)?);
        Ok(match b.first() {
            Some(0) => Msg::Started(a),
            Some(1) => Msg::Progress(a),
            Some(2) => Msg::Done(a, c),
            _ => bail!("bad message from a worker process"),
        })
    }
}

/// A started share child and when its spawn call began.
struct Share {
    child: ChildProcess,
    spawned_at: u64,
    startup: Option<u64>,
    done: Option<(u64, u64)>,
}

fn spawn_shares(ctx: &Ctx<'_>, n: u64, work: Work) -> Result<Vec<Share>, DemoError> {
    let w_count = ctx.workers.max(1);
    let mut kids = Vec::with_capacity(w_count);
    for w in 0..w_count {
        ctx.cancel.check()?;
        let r = share(n, w_count, w);
        let spawned_at = now_ns();
        let args = [
            "--from".to_string(),
            r.start.to_string(),
            "--to".to_string(),
            r.end.to_string(),
            "--work".to_string(),
            if work == Work::Heavy {
                "heavy"
            } else {
                "trivial"
            }
            .to_string(),
            "--spawned".to_string(),
            spawned_at.to_string(),
        ];
        let child = ChildProcess::spawn(KIND, w as u32, &args)?;
        ctx.trace.set_pid(w as u32, child.pid());
        kids.push(Share {
            child,
            spawned_at,
            startup: None,
            done: None,
        });
    }
    Ok(kids)
}

impl Share {
    /// Reads the child's messages until its result arrives (the first half of a join).
    fn wait_result(&mut self, ctx: &Ctx<'_>) -> Result<(u64, u64), DemoError> {
        while self.done.is_none() {
            ctx.cancel.check()?;
            let frame = self
                .child
                .recv(ctx.trace)?
                .ok_or_else(|| anyhow!("a worker process ended without its result"))?;
            match Msg::decode(frame)? {
                Msg::Started(t) => self.startup = Some(t.saturating_sub(self.spawned_at)),
                Msg::Progress(i) => ctx.progress.add(i),
                Msg::Done(s, c) => self.done = Some((s, c)),
            }
        }
        ctx.cancel.check()?;
        Ok(self.done.unwrap_or_default())
    }
}

fn processes(ctx: &Ctx<'_>, n: u64, work: Work) -> Result<Outcome, DemoError> {
    let mut kids = spawn_shares(ctx, n, work)?;
    let mut sum = 0u64;
    let mut count = 0u64;
    for k in &mut kids {
        let (s, c) = k.wait_result(ctx)?;
        sum = sum.wrapping_add(s);
        count += c;
    }
    let startups: Vec<u64> = kids.iter().filter_map(|k| k.startup).collect();
    // join: wait for each process to exit (and collect its CPU time).
    for k in kids {
        k.child.finish(ctx.trace)?;
    }
    Ok(Outcome {
        digest: sum_digest(sum, count),
        items: n,
        metrics: startup_metrics("process", &startups),
        ..Outcome::default()
    })
}

fn no_join(ctx: &Ctx<'_>, n: u64, work: Work) -> Result<Outcome, DemoError> {
    let t0 = now_ns();
    let mut kids = spawn_shares(ctx, n, work)?;
    // Main is done here: it returns without joining. What has finished by now?
    let returned = now_ns();
    let finished: Vec<bool> = kids.iter().map(|k| has_exited(k.child.pid())).collect();
    let mut sum = 0u64;
    let mut count = 0u64;
    for (k, _) in kids.iter_mut().zip(&finished).filter(|(_, f)| **f) {
        let (s, c) = k.wait_result(ctx)?;
        sum = sum.wrapping_add(s);
        count += c;
    }
    // parlab still reaps every worker, as Python joins non-daemon processes at exit.
    let reap0 = now_ns();
    let mut startups = Vec::new();
    for mut k in kids {
        k.wait_result(ctx)?;
        startups.extend(k.startup);
        k.child.finish(ctx.trace)?;
    }
    let reaped_ms = (now_ns() - reap0) as f64 / 1e6;
    let done = finished.iter().filter(|f| **f).count();
    let w_count = finished.len();
    let mut metrics = vec![
        Metric::new("main returned after", (returned - t0) as f64 / 1e6, "ms"),
        Metric::new("workers finished when main returned", done as f64, ""),
        Metric::new("items counted by main", count as f64, ""),
        Metric::new("waited afterwards to reap the rest", reaped_ms, "ms"),
    ];
    metrics.extend(startup_metrics("process", &startups));
    let note = format!(
        "main returned {:.2} ms after starting {w_count} worker processes; {done} of them had \
         finished, so its answer counts {count} of {n} items. The others kept running: parlab \
         waited {reaped_ms:.1} ms more to reap them.",
        (returned - t0) as f64 / 1e6
    );
    Ok(Outcome {
        workers: None,
        digest: sum_digest(sum, count),
        items: count,
        metrics,
        note: Some(note),
        // The whole pass, reaping included: parlab cannot leave the workers running.
        timed: None,
    })
}

/// Child side of [`KIND`]: sums its share, reporting its first timestamp, progress and result.
pub fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let first = now_ns();
    let core = core_now();
    let from = arg_u64(&io.args, "--from")?;
    let to = arg_u64(&io.args, "--to")?;
    let spawned = arg_u64(&io.args, "--spawned")?;
    let work = Work::from_param(arg(&io.args, "--work")?);
    io.end(
        SpanStart {
            t: spawned.min(first),
            core,
        },
        Phase::Startup,
        0,
        0,
    );
    io.send(&Msg::Started(first).encode())?;
    io.flush()?;
    let stop = stop_when_parent_closes();
    let mut sp = io.start();
    let mut sent = Ok(());
    let mut pending = 0;
    let mut last_report = now_ns();
    let sum = sum_share(
        from..to,
        work,
        || stop.load(Ordering::Relaxed),
        |items| {
            io.end(sp, Phase::Compute, items, 0);
            pending += items;
            // Every write wakes the parent; on a busy machine that can cost this worker its
            // core, so progress (and spans) go out in rare, small reports.
            if sent.is_ok() && now_ns() - last_report >= REPORT_NS {
                sent = io
                    .send(&Msg::Progress(pending).encode())
                    .and_then(|()| io.flush());
                pending = 0;
                last_report = now_ns();
            }
            sp = io.start();
        },
    );
    sent?;
    let Some(sum) = sum else { return Ok(()) };
    io.send(&Msg::Progress(pending).encode())?;
    io.send(&Msg::Done(sum, to.saturating_sub(from)).encode())?;
    io.flush()
}

/// The value after `name` in a child's arguments.
pub fn arg<'a>(args: &'a [String], name: &str) -> anyhow::Result<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
        .with_context(|| format!("worker argument {name} missing"))
}

/// The number after `name` in a child's arguments.
pub fn arg_u64(args: &[String], name: &str) -> anyhow::Result<u64> {
    let v = arg(args, name)?;
    v.parse()
        .with_context(|| format!("worker argument {name} {v} is not a number"))
}

/// In a child that does not read its stdin: a flag set once the parent closes the pipe (it
/// finished with us, was cancelled, or died), so long work stops promptly.
pub fn stop_when_parent_closes() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = Arc::clone(&flag);
    let spawned = std::thread::Builder::new()
        .name("parlab-stdin-watch".into())
        .spawn(move || {
            use std::io::Read as _;
            let mut buf = [0u8; 256];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut buf), Ok(k) if k > 0) {}
            f.store(true, Ordering::Relaxed);
        });
    // Without a watcher the child still stops: its parent kills it when it is done with it.
    drop(spawned);
    flag
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Params;

    fn run(variant: &str, size: u64, workers: usize) -> Outcome {
        let demo = ProcessDemo::new();
        let mut params = Params::defaults(&demo.info().params);
        params
            .set(&demo.info().params, "size", &size.to_string())
            .unwrap();
        crate::engine::run_pass(&demo, variant, &params, workers).unwrap()
    }

    #[test]
    fn shares_cover_everything_once() {
        for (n, parts) in [(0, 3), (1, 4), (10, 3), (1009, 7)] {
            let mut next = 0;
            for i in 0..parts {
                let r = share(n, parts, i);
                assert_eq!(r.start, next);
                next = r.end;
            }
            assert_eq!(next, n);
        }
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
    fn messages_round_trip() {
        for m in [Msg::Started(5), Msg::Progress(7), Msg::Done(u64::MAX, 3)] {
            assert_eq!(Msg::decode(&m.encode()).unwrap(), m);
        }
        assert!(Msg::decode(&[9; 17]).is_err());
        assert!(Msg::decode(&[0; 3]).is_err());
    }

    #[test]
    fn this_process_has_not_exited() {
        assert!(!has_exited(std::process::id()));
    }
}
