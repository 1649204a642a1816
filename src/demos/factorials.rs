//! Lesson 11 (applications): n! for every n in 1..=N with num-bigint, and the load imbalance
//! that equal chunks cause when the cost per item grows with the item.
//!
//! The cost of n! grows much faster than n, so splitting 1..=N into equal contiguous chunks
//! (one per worker) gives the last worker most of the work: the timeline shows it busy long
//! after the others went idle. Small chunks from a shared queue (dynamic scheduling) and
//! largest-first ordering even the load out. Every n! is checked by its digit count and a
//! hash of its digits, folded in n order.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use num_bigint::BigUint;

use crate::engine::{
    Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, Params, VariantInfo,
};
use crate::trace::{Phase, Tracer, now_ns, thread_cpu_ns};

/// Default N: sequential takes about 2.2 s of CPU in release mode on the 2-core reference
/// machine (n! costs grow about as n², so the total grows about as N³).
pub const DEFAULT_N: u64 = 8_000;
/// A compute span is closed after about this long, so the timeline fills in live.
const SPAN_NS: u64 = 20_000_000;
/// Name of the metric holding the busiest worker's compute CPU time: the pass's length on
/// dedicated cores, whatever else the machine runs (the benchmark reads it).
pub const BUSIEST_CPU: &str = "busiest worker's compute CPU time";
/// Chunks Python's `Pool.map` makes by default for 2 workers (4 × workers).
const PYTHON_CHUNKS: usize = 8;

/// The factorials demo.
pub struct Factorials {
    info: DemoInfo,
}

impl Factorials {
    /// The demo with its declared parameters and variants.
    pub fn new() -> Factorials {
        Factorials {
            info: DemoInfo {
                id: "factorials",
                title: "Applications: big-integer factorials",
                summary: "n! for n in 1..=N: equal chunks leave one worker busy long after the rest",
                params: vec![
                    ParamSpec::int(
                        "size",
                        DEFAULT_N,
                        0,
                        100_000,
                        "N: compute n! for n in 1..=N",
                    ),
                    ParamSpec::int(
                        "chunk",
                        0,
                        0,
                        100_000,
                        "values per task for dynamic and largest-first; 0 = ceil(N / (32 x workers))",
                    ),
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "static",
                        "one equal contiguous chunk per worker (Python's Pool.map splits this way)",
                    ),
                    VariantInfo::parallel(
                        "dynamic",
                        "small chunks in order from a shared queue: a free worker takes the next",
                    ),
                    VariantInfo::parallel(
                        "largest-first",
                        "small chunks from a shared queue, the most expensive (largest n) first",
                    ),
                ],
            },
        }
    }
}

impl Default for Factorials {
    fn default() -> Self {
        Factorials::new()
    }
}

/// n!, multiplying several small factors into one machine word before each big multiply.
pub fn factorial(n: u64) -> BigUint {
    let mut acc = BigUint::from(1u32);
    let mut packed: u64 = 1;
    for k in 2..=n {
        match packed.checked_mul(k) {
            Some(p) => packed = p,
            None => {
                acc *= packed;
                packed = k;
            }
        }
    }
    acc *= packed;
    acc
}

/// Decimal digits of `x`, which is `n!`: from the sum of log10(k), checked exactly against a
/// power of ten in the rare case the estimate sits close to a digit boundary.
pub fn factorial_digits(x: &BigUint, n: u64) -> u64 {
    let s: f64 = (2..=n).map(|k| (k as f64).log10()).sum();
    let whole = s.floor();
    let frac = s - whole;
    if (1e-6..1.0 - 1e-6).contains(&frac) {
        return whole as u64 + 1;
    }
    // Near a boundary: 10^d <= x decides.
    let d = s.round() as u32;
    if *x >= BigUint::from(10u32).pow(d) {
        u64::from(d) + 1
    } else {
        u64::from(d)
    }
}

/// What is kept of one n!: its digit count, a hash of its digits, and how long it took.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fact {
    /// Decimal digits.
    pub digits: u64,
    /// Hash of the binary digits.
    pub hash: u64,
    /// CPU time the computing thread spent on it, ns (CPU time, not wall time, so other
    /// programs sharing the cores do not distort the work measure).
    pub ns: u64,
}

/// Computes n! and keeps its digit count, hash and cost (CPU time of all three).
pub fn compute(n: u64) -> Fact {
    let t0 = thread_cpu_ns();
    let x = factorial(n);
    let mut d = Digest::new();
    for w in x.iter_u64_digits() {
        d.push(w);
    }
    let digits = factorial_digits(&x, n);
    Fact {
        digits,
        hash: d.value(),
        ns: thread_cpu_ns() - t0,
    }
}

/// How the values are handed to workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Schedule {
    /// Worker w takes chunk w and nothing else.
    Static,
    /// Workers take the next chunk from a shared queue, in the given order.
    Dynamic { largest_first: bool },
}

/// Splits `1..=n` into `k`-value chunks (the last may be shorter).
fn chunk_ranges(n: u64, k: u64) -> Vec<Range<u64>> {
    let k = k.max(1);
    (0..n.div_ceil(k))
        .map(|i| i * k + 1..((i + 1) * k).min(n) + 1)
        .collect()
}

/// The share of all work (sum of measured n! CPU times) that falls into the last of `chunks`
/// equal contiguous chunks.
pub fn last_chunk_share(facts: &[Fact], chunks: usize) -> f64 {
    let total: u64 = facts.iter().map(|f| f.ns).sum();
    if total == 0 || facts.is_empty() {
        return 0.0;
    }
    let size = facts.len().div_ceil(chunks.max(1));
    let start = (chunks.max(1) - 1) * size;
    let last: u64 = facts.iter().skip(start).map(|f| f.ns).sum();
    last as f64 / total as f64
}

/// One worker's result: its values and the time it spent computing.
struct WorkerDone {
    values: Vec<(u64, Fact)>,
    cpu_ns: u64,
    finished_ns: u64,
}

/// Computes the values of `range` on worker `w`, closing a compute span every ~20 ms.
/// Returns the CPU time the values took; `None` if cancelled.
fn run_chunk(
    w: u32,
    range: Range<u64>,
    trace: &Tracer,
    ctx: &Ctx<'_>,
    out: &mut Vec<(u64, Fact)>,
) -> Option<u64> {
    let mut cpu = 0;
    let mut s = trace.start();
    let mut items = 0;
    for n in range {
        if ctx.cancel.is_cancelled() {
            return None;
        }
        let f = compute(n);
        cpu += f.ns;
        out.push((n, f));
        items += 1;
        ctx.progress.add(1);
        let now = now_ns();
        if now - s.t >= SPAN_NS {
            trace.record(w, s.core, Phase::Compute, s.t, now, items, 0);
            s = trace.start();
            items = 0;
        }
    }
    if items > 0 {
        trace.end(w, s, Phase::Compute, items, 0);
    }
    Some(cpu)
}

/// Runs the chunks on `ctx.workers` threads under `schedule`; results indexed by n - 1.
fn parallel(ctx: &Ctx<'_>, n: u64, chunks: Vec<Range<u64>>, schedule: Schedule) -> Run {
    let workers = ctx.workers.max(1);
    let chunks = match schedule {
        Schedule::Dynamic {
            largest_first: true,
        } => chunks.into_iter().rev().collect(),
        _ => chunks,
    };
    let next = AtomicUsize::new(0);
    let trace = ctx.trace;
    let failed: Mutex<Option<String>> = Mutex::new(None);
    let done: Vec<Option<WorkerDone>> = std::thread::scope(|s| {
        let mut handles = Vec::new();
        for w in 0..workers {
            let (next, chunks) = (&next, &chunks);
            let spawned_at = now_ns();
            let h = std::thread::Builder::new()
                .name(format!("parlab-fact-{w}"))
                .spawn_scoped(s, move || {
                    let wid = w as u32;
                    let cpu0 = thread_cpu_ns();
                    let begun = trace.start();
                    trace.record(wid, begun.core, Phase::Startup, spawned_at, begun.t, 0, 0);
                    let mut values = Vec::new();
                    let mut cpu_ns = 0;
                    let mut first = true;
                    loop {
                        let i = match schedule {
                            Schedule::Static if first => w,
                            Schedule::Static => break,
                            Schedule::Dynamic { .. } => next.fetch_add(1, Ordering::Relaxed),
                        };
                        first = false;
                        let Some(r) = chunks.get(i) else { break };
                        match run_chunk(wid, r.clone(), trace, ctx, &mut values) {
                            Some(c) => cpu_ns += c,
                            None => break,
                        }
                    }
                    trace.add_cpu(wid, thread_cpu_ns() - cpu0);
                    WorkerDone {
                        values,
                        cpu_ns,
                        finished_ns: now_ns(),
                    }
                });
            match h {
                Ok(h) => handles.push(h),
                Err(e) => {
                    *failed.lock().unwrap_or_else(|p| p.into_inner()) =
                        Some(format!("cannot start worker thread {w}: {e}"));
                    break;
                }
            }
        }
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(DemoError::Failed(anyhow::anyhow!(e)));
    }
    ctx.cancel.check()?;
    let end = now_ns();
    let mut facts = vec![Fact::default(); n as usize];
    let mut busy = Vec::new();
    for (w, d) in done.into_iter().enumerate() {
        let d = d.ok_or_else(|| anyhow::anyhow!("factorial worker {w} panicked"))?;
        // Make the wait at the end visible: idle from this worker's last value to the end.
        if end - d.finished_ns > 1_000_000 {
            trace.record(w as u32, u16::MAX, Phase::Idle, d.finished_ns, end, 0, 0);
        }
        for (k, f) in d.values {
            facts[k as usize - 1] = f;
        }
        busy.push(d.cpu_ns);
    }
    Ok((facts, busy))
}

/// Every value's result and the CPU time each worker spent computing.
type Run = Result<(Vec<Fact>, Vec<u64>), DemoError>;

fn sequential(ctx: &Ctx<'_>, n: u64) -> Run {
    let cpu0 = thread_cpu_ns();
    let mut values = Vec::with_capacity(n as usize);
    let busy = run_chunk(0, 1..n + 1, ctx.trace, ctx, &mut values).ok_or(DemoError::Cancelled)?;
    ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
    Ok((values.into_iter().map(|(_, f)| f).collect(), vec![busy]))
}

impl Demo for Factorials {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn memory_estimate(&self, params: &Params, workers: usize) -> u64 {
        // Results are small; each worker holds one n! (about N·log2(N)/8 bytes) at a time.
        let n = params.int("size");
        n * 64 + workers as u64 * n * 2
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("size");
        let w = ctx.workers.max(1) as u64;
        let chunk = match ctx.params.int("chunk") {
            0 => n.div_ceil(32 * w).max(1),
            c => c,
        };
        ctx.progress.set_total(n);
        let t0 = now_ns();
        let (facts, busy) = match variant {
            "sequential" => sequential(ctx, n)?,
            "static" => parallel(ctx, n, chunk_ranges(n, n.div_ceil(w)), Schedule::Static)?,
            "dynamic" | "largest-first" => {
                let largest_first = variant == "largest-first";
                parallel(
                    ctx,
                    n,
                    chunk_ranges(n, chunk),
                    Schedule::Dynamic { largest_first },
                )?
            }
            other => {
                return Err(DemoError::Failed(anyhow::anyhow!(
                    "factorials has no variant {other}"
                )));
            }
        };
        let timed = (t0, now_ns());
        let mut d = Digest::new();
        let mut total_digits = 0;
        for f in &facts {
            d.push(f.digits);
            d.push(f.hash);
            total_digits += f.digits;
        }
        let mut metrics = vec![Metric::new(
            "digits of all n! together",
            total_digits as f64,
            "",
        )];
        let share8 = last_chunk_share(&facts, PYTHON_CHUNKS);
        metrics.push(Metric::new(
            "work in the last of 8 equal chunks (Python's default split for 2 workers)",
            100.0 * share8,
            "%",
        ));
        metrics.push(Metric::new(
            BUSIEST_CPU,
            busy.iter().copied().max().unwrap_or(0) as f64 / 1e6,
            "ms",
        ));
        let note = if variant == "sequential" {
            format!(
                "n! for n in 1..={n}: the last of 8 equal chunks holds {:.0}% of the work, \
                 the second half {:.0}%",
                100.0 * share8,
                100.0 * last_chunk_share(&facts, 2)
            )
        } else {
            let max = busy.iter().copied().max().unwrap_or(0) as f64;
            let mean = busy.iter().sum::<u64>() as f64 / busy.len().max(1) as f64;
            let imbalance = if mean > 0.0 { max / mean } else { 1.0 };
            let min = busy.iter().copied().min().unwrap_or(0) as f64;
            metrics.push(Metric::new(
                "imbalance (busiest worker's compute CPU time / mean)",
                imbalance,
                "x",
            ));
            metrics.push(Metric::new(
                "busiest worker's extra CPU time over the least busy",
                (max - min) / 1e6,
                "ms",
            ));
            // What this split allows on dedicated cores, whatever else the machine is doing.
            metrics.push(Metric::new(
                "best speedup this split allows (all work / busiest worker's)",
                if max > 0.0 {
                    mean * busy.len() as f64 / max
                } else {
                    1.0
                },
                "x",
            ));
            format!(
                "busiest worker computed {:.0}% more than the mean ({} chunks of {} values)",
                100.0 * (imbalance - 1.0),
                if variant == "static" {
                    w
                } else {
                    n.div_ceil(chunk)
                },
                if variant == "static" {
                    n.div_ceil(w)
                } else {
                    chunk
                },
            )
        };
        Ok(Outcome {
            workers: None,
            digest: d.value(),
            items: n,
            metrics,
            note: Some(note),
            timed: Some(timed),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_factorials() {
        assert_eq!(factorial(0), BigUint::from(1u32));
        assert_eq!(factorial(1), BigUint::from(1u32));
        assert_eq!(factorial(20), BigUint::from(2_432_902_008_176_640_000u64));
        assert_eq!(factorial(25).to_string(), "15511210043330985984000000");
        let f = factorial(1000);
        assert_eq!(f.to_string().len(), 2568);
        assert_eq!(factorial_digits(&f, 1000), 2568);
    }

    #[test]
    fn digit_counts_match_decimal_strings() {
        for n in (0..400).chain([999, 1000, 1001, 2500]) {
            let f = factorial(n);
            assert_eq!(factorial_digits(&f, n), f.to_string().len() as u64, "{n}!");
        }
    }

    #[test]
    fn chunks_cover_one_to_n() {
        assert_eq!(chunk_ranges(10, 4), vec![1..5, 5..9, 9..11]);
        assert!(chunk_ranges(0, 4).is_empty());
        assert_eq!(chunk_ranges(1, 4), vec![1..2]);
    }

    #[test]
    fn last_share_of_increasing_work() {
        let facts: Vec<Fact> = (1..=8)
            .map(|i| Fact {
                ns: i,
                ..Fact::default()
            })
            .collect();
        assert!((last_chunk_share(&facts, 2) - 26.0 / 36.0).abs() < 1e-9);
    }
}
