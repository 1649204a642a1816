//! Lesson 6: many workers update one shared thing. A counter incremented without a lock loses
//! updates; a `Mutex` or an atomic add does not, at a cost. Lines written in small pieces
//! without a lock tear; under a print lock, or as one write per line, they do not.
//!
//! Safe Rust cannot have a data race, so the unsynchronized counter is the honest version of
//! the bug: an `AtomicU64` read with `load` and written back with `store(v + 1)`. Each step is
//! atomic, the pair is not, so two workers that read the same value both write the same
//! value + 1 and one increment is lost: a real lost-update race.
//!
//! The "terminal" the lines go to is a shared buffer in which each write lands whole (as one
//! `write` system call does); a line written as several writes can be split by another
//! worker's writes, exactly as Python's unbuffered `print` can.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

use crate::engine::{
    Ctx, Demo, DemoError, DemoInfo, Digest, Expect, Metric, Outcome, ParamSpec, Params, VariantInfo,
};
use crate::trace::{Phase, Tracer, now_ns, thread_cpu_ns};

/// Increments per compute span (and between cancel checks).
const BATCH: u64 = 4096;
/// Lines per span of writing.
const LINE_BATCH: u64 = 64;
/// Lock waits at least this long get their own wait-for-lock span on the timeline; shorter
/// ones are only added to the total (there can be millions of them).
const MIN_WAIT_NS: u64 = 1_000;
/// Torn lines sent to the live log per pass, as samples.
const SAMPLES: usize = 3;

/// How the workers synchronize.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    /// One worker: the reference.
    Alone,
    /// `load` then `store(v + 1)`; lines as several unlocked writes.
    Unlocked,
    /// A `Mutex<u64>`; lines as several writes under a print lock.
    Mutex,
    /// `fetch_add`; each line as one whole write.
    Atomic,
}

/// A starting line: workers wait until all of them are running, so they really overlap (a
/// thread started 100 µs late would find the work already done). Unlike `std::sync::Barrier`
/// it can be called off, so a failed spawn or a cancel never leaves a worker waiting.
#[derive(Default)]
struct Gate {
    arrived: AtomicUsize,
    off: AtomicBool,
}

impl Gate {
    /// Waits for `n` arrivals; false if the gate was called off.
    fn wait(&self, n: usize, ctx: &Ctx<'_>) -> bool {
        self.arrived.fetch_add(1, Ordering::SeqCst);
        while self.arrived.load(Ordering::SeqCst) < n {
            if self.off.load(Ordering::SeqCst) || ctx.cancel.is_cancelled() {
                return false;
            }
            std::thread::yield_now();
        }
        true
    }
}

/// The lock demo.
pub struct LockDemo {
    info: DemoInfo,
}

impl LockDemo {
    /// The demo with its declared parameters and variants.
    pub fn new() -> LockDemo {
        LockDemo {
            info: DemoInfo {
                id: "lock",
                title: "Lock: one counter, many workers",
                summary: "lost updates without a lock, a Mutex, an atomic add; torn lines without a print lock",
                params: vec![
                    ParamSpec::int(
                        "size",
                        4_000_000,
                        0,
                        10_000_000_000,
                        "increments of the shared counter, split over the workers",
                    ),
                    ParamSpec::int(
                        "lines",
                        20_000,
                        0,
                        10_000_000,
                        "lines the workers write to one shared terminal buffer",
                    ),
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo {
                        name: "unlocked",
                        help: "read, then write value + 1, no lock (loses updates); lines as 4 unlocked writes",
                        expect: Expect::MayDiffer,
                        parallel: true,
                    },
                    VariantInfo::parallel(
                        "mutex",
                        "a Mutex around the counter; lines as 4 writes under a print lock",
                    ),
                    VariantInfo::parallel(
                        "atomic",
                        "one atomic fetch_add per increment; each line as one whole write",
                    ),
                ],
            },
        }
    }
}

impl Default for LockDemo {
    fn default() -> Self {
        LockDemo::new()
    }
}

/// Share of `total` for worker `w` of `workers`: contiguous ranges, the first ones one longer.
fn share(total: u64, workers: usize, w: usize) -> std::ops::Range<u64> {
    let k = workers.max(1) as u64;
    let w = w as u64;
    let base = total / k;
    let extra = total % k;
    let start = w * base + w.min(extra);
    start..start + base + u64::from(w < extra)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Lock waits of one worker.
#[derive(Clone, Copy, Debug, Default)]
struct Waits {
    /// Acquisitions that found the lock taken.
    contended: u64,
    /// Time spent waiting in those, ns.
    ns: u64,
}

/// Takes `m`, timing the wait only when it is contended (so the uncontended path stays
/// cheap). A wait of at least [`MIN_WAIT_NS`] closes the current span of `phase` (begun at
/// `*seg` with `*items` items), records a wait-for-lock span and starts a new segment.
#[allow(clippy::too_many_arguments)]
fn acquire<'a, T>(
    m: &'a Mutex<T>,
    trace: &Tracer,
    w: u32,
    core: u16,
    phase: Phase,
    seg: &mut u64,
    items: &mut u64,
    waits: &mut Waits,
) -> MutexGuard<'a, T> {
    match m.try_lock() {
        Ok(g) => g,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        Err(TryLockError::WouldBlock) => {
            let t0 = now_ns();
            let g = lock(m);
            let t1 = now_ns();
            waits.contended += 1;
            waits.ns += t1 - t0;
            if t1 - t0 >= MIN_WAIT_NS {
                trace.record(w, core, phase, *seg, t0, *items, 0);
                trace.record(w, core, Phase::WaitLock, t0, t1, 0, 0);
                *seg = t1;
                *items = 0;
            }
            g
        }
    }
}

/// What the counting phase produced.
struct Counted {
    count: u64,
    waits: Waits,
    ns: u64,
}

/// Every worker adds its share of `n` increments to one shared counter.
fn count(ctx: &Ctx<'_>, how: How, n: u64) -> Result<Counted, DemoError> {
    let t0 = now_ns();
    if how == How::Alone {
        let cpu0 = thread_cpu_ns();
        let mut c = 0u64;
        let mut done = 0;
        while done < n {
            ctx.cancel.check()?;
            let b = (n - done).min(BATCH);
            let s = ctx.trace.start();
            for _ in 0..b {
                // black_box: really one add per increment, not one add of `b`.
                c = std::hint::black_box(c + 1);
            }
            ctx.trace.end(0, s, Phase::Compute, b, 0);
            ctx.progress.add(b);
            done += b;
        }
        ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
        return Ok(Counted {
            count: c,
            waits: Waits::default(),
            ns: now_ns() - t0,
        });
    }
    let racy = AtomicU64::new(0);
    let guarded = Mutex::new(0u64);
    // All workers start counting together, so they really overlap.
    let gate = Gate::default();
    let waits = std::thread::scope(|s| {
        let mut handles = Vec::new();
        for w in 0..ctx.workers {
            let (racy, guarded, start) = (&racy, &guarded, &gate);
            let h = std::thread::Builder::new()
                .name(format!("parlab-lock-{w}"))
                .spawn_scoped(s, move || {
                    if !start.wait(ctx.workers, ctx) {
                        return Waits::default();
                    }
                    count_worker(ctx, how, w, n, racy, guarded)
                })
                .map_err(|e| {
                    gate.off.store(true, Ordering::SeqCst);
                    anyhow::anyhow!("cannot start worker {w}: {e}")
                })?;
            handles.push(h);
        }
        let mut total = Waits::default();
        for h in handles {
            let w = h
                .join()
                .map_err(|_| anyhow::anyhow!("a lock worker panicked"))?;
            total.contended += w.contended;
            total.ns += w.ns;
        }
        Ok::<_, DemoError>(total)
    })?;
    ctx.cancel.check()?;
    let count = match how {
        How::Mutex => *lock(&guarded),
        _ => racy.load(Ordering::SeqCst),
    };
    Ok(Counted {
        count,
        waits,
        ns: now_ns() - t0,
    })
}

fn count_worker(
    ctx: &Ctx<'_>,
    how: How,
    w: usize,
    n: u64,
    racy: &AtomicU64,
    guarded: &Mutex<u64>,
) -> Waits {
    let trace = ctx.trace;
    let id = w as u32;
    let cpu0 = thread_cpu_ns();
    let mut waits = Waits::default();
    let mut left = share(n, ctx.workers, w).count() as u64;
    while left > 0 && !ctx.cancel.is_cancelled() {
        let b = left.min(BATCH);
        let s = trace.start();
        let mut seg = s.t;
        let mut items = 0;
        match how {
            How::Unlocked | How::Alone => {
                for _ in 0..b {
                    // The race: another worker may store between this load and this store.
                    // (black_box keeps the read and the write two separate instructions, as
                    // in `counter.value += 1`, instead of one non-atomic `inc` in memory.)
                    let v = std::hint::black_box(racy.load(Ordering::Relaxed));
                    racy.store(v + 1, Ordering::Relaxed);
                }
                items = b;
            }
            How::Atomic => {
                for _ in 0..b {
                    racy.fetch_add(1, Ordering::Relaxed);
                }
                items = b;
            }
            How::Mutex => {
                for _ in 0..b {
                    let mut g = acquire(
                        guarded,
                        trace,
                        id,
                        s.core,
                        Phase::Compute,
                        &mut seg,
                        &mut items,
                        &mut waits,
                    );
                    *g += 1;
                    drop(g);
                    items += 1;
                }
            }
        }
        trace.record(id, s.core, Phase::Compute, seg, now_ns(), items, 0);
        ctx.progress.add(b);
        left -= b;
    }
    trace.add_cpu(id, thread_cpu_ns() - cpu0);
    waits
}

/// What the writing phase produced.
struct Written {
    text: Vec<u8>,
    waits: Waits,
    ns: u64,
}

/// Writes `bytes` to the terminal as one indivisible write.
fn write(term: &Mutex<Vec<u8>>, bytes: &[u8]) {
    lock(term).extend_from_slice(bytes);
}

/// The line number `j` of worker `w`, as `print("worker w: hello world", j)` would: four
/// writes, the last one the newline.
fn pieces(w: usize, j: u64, buf: &mut String) -> [std::ops::Range<usize>; 4] {
    buf.clear();
    let _ = write!(buf, "worker {w}:");
    let a = buf.len();
    buf.push_str(" hello world");
    let b = buf.len();
    let _ = write!(buf, " {j}");
    let c = buf.len();
    buf.push('\n');
    [0..a, a..b, b..c, c..buf.len()]
}

/// Every worker writes its share of `lines` lines to one shared terminal buffer.
fn write_lines(ctx: &Ctx<'_>, how: How, lines: u64) -> Result<Written, DemoError> {
    let t0 = now_ns();
    let term = Mutex::new(Vec::with_capacity(
        usize::try_from(lines.saturating_mul(32)).unwrap_or(0),
    ));
    let print_lock = Mutex::new(());
    let workers = if how == How::Alone { 1 } else { ctx.workers };
    let gate = Gate::default();
    let waits = std::thread::scope(|s| {
        let mut handles = Vec::new();
        for w in 0..workers {
            let (term, print_lock, start) = (&term, &print_lock, &gate);
            let h = std::thread::Builder::new()
                .name(format!("parlab-print-{w}"))
                .spawn_scoped(s, move || {
                    if !start.wait(workers, ctx) {
                        return Waits::default();
                    }
                    lines_worker(ctx, how, w, workers, lines, term, print_lock)
                })
                .map_err(|e| {
                    gate.off.store(true, Ordering::SeqCst);
                    anyhow::anyhow!("cannot start worker {w}: {e}")
                })?;
            handles.push(h);
        }
        let mut total = Waits::default();
        for h in handles {
            let w = h
                .join()
                .map_err(|_| anyhow::anyhow!("a printing worker panicked"))?;
            total.contended += w.contended;
            total.ns += w.ns;
        }
        Ok::<_, DemoError>(total)
    })?;
    ctx.cancel.check()?;
    Ok(Written {
        text: term.into_inner().unwrap_or_else(PoisonError::into_inner),
        waits,
        ns: now_ns() - t0,
    })
}

fn lines_worker(
    ctx: &Ctx<'_>,
    how: How,
    w: usize,
    workers: usize,
    lines: u64,
    term: &Mutex<Vec<u8>>,
    print_lock: &Mutex<()>,
) -> Waits {
    let trace = ctx.trace;
    let id = w as u32;
    let cpu0 = thread_cpu_ns();
    let mut waits = Waits::default();
    let mut buf = String::new();
    let mine = share(lines, workers, w);
    let mut j = mine.start;
    while j < mine.end && !ctx.cancel.is_cancelled() {
        let end = (j + LINE_BATCH).min(mine.end);
        let s = trace.start();
        let mut seg = s.t;
        let mut items = 0;
        let mut bytes = 0;
        for line in j..end {
            let p = pieces(w, line, &mut buf);
            let bs = buf.as_bytes();
            match how {
                How::Alone | How::Unlocked => {
                    for r in p {
                        write(term, &bs[r]);
                    }
                }
                How::Mutex => {
                    let _g = acquire(
                        print_lock,
                        trace,
                        id,
                        s.core,
                        Phase::Send,
                        &mut seg,
                        &mut items,
                        &mut waits,
                    );
                    for r in p {
                        write(term, &bs[r]);
                    }
                }
                How::Atomic => write(term, bs),
            }
            items += 1;
            bytes += bs.len() as u64;
        }
        trace.record(id, s.core, Phase::Send, seg, now_ns(), items, bytes);
        j = end;
    }
    trace.add_cpu(id, thread_cpu_ns() - cpu0);
    waits
}

/// The lines of a terminal buffer checked: which are whole, which were torn.
#[derive(Debug, Default, PartialEq)]
struct LineCheck {
    /// Whole, well-formed lines, each written by the worker it names, each once.
    intact: u64,
    /// Order-independent hash of the intact lines' numbers.
    hash: u64,
    /// A few torn lines, with the worker named at their start (0 if none).
    samples: Vec<(u32, String)>,
}

/// Parses `worker W: hello world J` and checks that line J belongs to worker W.
fn check_lines(text: &[u8], lines: u64, workers: usize) -> LineCheck {
    let mut seen = vec![false; usize::try_from(lines).unwrap_or(0)];
    let mut out = LineCheck::default();
    for raw in text.split(|&b| b == b'\n') {
        if raw.is_empty() {
            continue;
        }
        let line = String::from_utf8_lossy(raw);
        let parsed = line
            .strip_prefix("worker ")
            .and_then(|r| r.split_once(": hello world "))
            .and_then(|(w, j)| Some((w.parse::<usize>().ok()?, j.parse::<u64>().ok()?)));
        let ok = match parsed {
            Some((w, j)) if w < workers && share(lines, workers, w).contains(&j) => {
                let slot = &mut seen[j as usize];
                !std::mem::replace(slot, true)
            }
            _ => false,
        };
        if ok {
            if let Some((_, j)) = parsed {
                out.intact += 1;
                let mut d = Digest::new();
                d.push(j);
                out.hash = out.hash.wrapping_add(d.value());
            }
        } else if out.samples.len() < SAMPLES {
            let w = line
                .strip_prefix("worker ")
                .and_then(|r| r.split(':').next())
                .and_then(|w| w.parse().ok())
                .unwrap_or(0);
            out.samples.push((w, line.into_owned()));
        }
    }
    out
}

impl Demo for LockDemo {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn memory_estimate(&self, params: &Params, _workers: usize) -> u64 {
        // The terminal buffer (about 30 bytes a line) and the checker's table.
        params.int("lines").saturating_mul(40)
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let how = match variant {
            "sequential" => How::Alone,
            "unlocked" => How::Unlocked,
            "mutex" => How::Mutex,
            "atomic" => How::Atomic,
            other => {
                return Err(DemoError::Failed(anyhow::anyhow!(
                    "lock has no variant {other}"
                )));
            }
        };
        let n = ctx.params.int("size");
        let lines = ctx.params.int("lines");
        ctx.progress.set_total(n);
        let t0 = now_ns();
        let counted = count(ctx, how, n)?;
        let written = write_lines(ctx, how, lines)?;
        let t1 = now_ns();

        let workers = if how == How::Alone { 1 } else { ctx.workers };
        let check = check_lines(&written.text, lines, workers);
        let torn = lines - check.intact;
        for (w, text) in &check.samples {
            ctx.live.log(*w, format!("torn line: {text:?}"));
        }
        let lost = n.saturating_sub(counted.count);
        let per_inc = if n == 0 {
            0.0
        } else {
            counted.ns as f64 / n as f64
        };
        let mut metrics = vec![
            Metric::new("expected count", n as f64, ""),
            Metric::new("actual count", counted.count as f64, ""),
            Metric::new("lost updates", lost as f64, ""),
            Metric::new("time per increment", per_inc, "ns"),
            Metric::new("counting", counted.ns as f64 / 1e6, "ms"),
        ];
        if how == How::Mutex {
            metrics.push(Metric::new(
                "counter lock: contended acquisitions",
                counted.waits.contended as f64,
                "",
            ));
            metrics.push(Metric::new(
                "counter lock: time waiting (all workers)",
                counted.waits.ns as f64 / 1e6,
                "ms",
            ));
        }
        metrics.push(Metric::new(
            "lines torn",
            torn as f64,
            format!("of {lines}"),
        ));
        metrics.push(Metric::new("writing lines", written.ns as f64 / 1e6, "ms"));
        if how == How::Mutex {
            metrics.push(Metric::new(
                "print lock: time waiting (all workers)",
                written.waits.ns as f64 / 1e6,
                "ms",
            ));
        }
        let note = match how {
            How::Unlocked => {
                let pct = if n == 0 {
                    0.0
                } else {
                    100.0 * lost as f64 / n as f64
                };
                let mut s = format!(
                    "expected {n}, got {}: {lost} updates ({pct:.1}%) were lost; {torn} of {lines} lines were torn",
                    counted.count
                );
                if workers == 1 {
                    s.push_str(" (one worker cannot race with itself)");
                } else if lost == 0 {
                    s.push_str(
                        " (the workers never ran at the same moment: on a busy machine they can share one core; run again)",
                    );
                }
                Some(s)
            }
            How::Mutex => Some(format!(
                "no update lost and no line torn; workers waited {:.1} ms for the counter lock",
                counted.waits.ns as f64 / 1e6
            )),
            How::Atomic => Some(
                "no update lost: fetch_add reads and writes in one indivisible step; whole-line writes never tear"
                    .to_string(),
            ),
            How::Alone => None,
        };
        let mut d = Digest::new();
        d.push(counted.count);
        d.push(check.intact);
        d.push(check.hash);
        Ok(Outcome {
            workers: None,
            digest: d.value(),
            items: n,
            metrics,
            note,
            timed: Some((t0, t1)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(variant: &str, size: u64, lines: u64, workers: usize) -> Outcome {
        let demo = LockDemo::new();
        let mut params = Params::defaults(&demo.info().params);
        params
            .set(&demo.info().params, "size", &size.to_string())
            .unwrap();
        params
            .set(&demo.info().params, "lines", &lines.to_string())
            .unwrap();
        crate::engine::run_pass(&demo, variant, &params, workers).unwrap()
    }

    #[test]
    fn synchronized_variants_match_sequential() {
        for (size, lines) in [(0, 0), (1, 1), (10_007, 997), (3, 2), (2_000_000, 4_000)] {
            for workers in [1, 2, 4] {
                let seq = run("sequential", size, lines, 1).digest;
                for v in ["mutex", "atomic"] {
                    assert_eq!(
                        run(v, size, lines, workers).digest,
                        seq,
                        "{v} size {size} lines {lines} workers {workers}"
                    );
                }
            }
        }
    }

    #[test]
    fn one_unlocked_worker_loses_nothing() {
        let seq = run("sequential", 100_000, 500, 1).digest;
        assert_eq!(run("unlocked", 100_000, 500, 1).digest, seq);
    }

    #[test]
    fn shares_cover_the_total() {
        for (total, workers) in [(0, 3), (1, 4), (10, 3), (17, 1)] {
            let sum: u64 = (0..workers)
                .map(|w| share(total, workers, w).count() as u64)
                .sum();
            assert_eq!(sum, total);
            assert_eq!(share(total, workers, 0).start, 0);
        }
    }

    #[test]
    fn torn_lines_are_counted() {
        let text = b"worker 0: hello world 0\nworker 1:worker 0: hello world 1\n hello world 2\n\n";
        let c = check_lines(text, 3, 2);
        assert_eq!(c.intact, 1);
        assert_eq!(c.samples.len(), 2);
        // Line 1 belongs to worker 0 (shares: 0..2, 2..3), so "worker 1: ... 2" is whole.
        let c = check_lines(b"worker 1: hello world 2\nworker 0: hello world 2\n", 3, 2);
        assert_eq!(c.intact, 1);
    }
}
