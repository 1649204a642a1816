//! Pitfalls: memory blow-up. W workers each load a whole generated dataset (W copies) versus
//! each streaming its own share in fixed-size chunks, with the peak memory shown two ways:
//! bytes the workers' buffers hold (counted exactly) and the process's resident memory
//! (measured from `/proc/self/status` while the pass runs).
//!
//! The dataset is generated from a seed, record by record, the way a file would be read line
//! by line; "loading" it means materializing every record in a `Vec`. The answer (a histogram
//! of the records and a sum) is the same whichever way the records arrive.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use super::rng::record;
use crate::engine::{
    CancelToken, Ctx, Demo, DemoError, DemoInfo, Digest, Live, Metric, Outcome, ParamSpec, Params,
    VariantInfo,
};
use crate::platform::proc_status_bytes;
use crate::trace::{Phase, Tracer, now_ns, thread_cpu_ns};

/// Records handled between cancel checks and per compute span.
const BLOCK: usize = 1 << 16;
/// Histogram buckets.
const BUCKETS: usize = 16;
/// How often the resident-memory watcher reads `/proc/self/status`.
const RSS_EVERY: Duration = Duration::from_millis(2);

/// The memory blow-up demo.
pub struct MemoryBlowup {
    info: DemoInfo,
}

impl MemoryBlowup {
    /// The demo with its declared parameters and variants.
    pub fn new() -> MemoryBlowup {
        MemoryBlowup {
            info: DemoInfo {
                id: "memory-blowup",
                title: "Pitfalls: memory blow-up",
                summary: "every worker loads the whole dataset vs streams its share in chunks; peak memory",
                params: vec![
                    ParamSpec::int(
                        "size",
                        8_000_000,
                        0,
                        1_000_000_000,
                        "records in the dataset (8 bytes each)",
                    ),
                    ParamSpec::int(
                        "chunk",
                        65_536,
                        1,
                        1_000_000_000,
                        "records per chunk when streaming",
                    ),
                ],
                variants: vec![
                    VariantInfo {
                        help: "one thread loads the whole dataset, then processes it",
                        ..VariantInfo::SEQUENTIAL
                    },
                    VariantInfo::parallel(
                        "load-all",
                        "every worker loads the whole dataset (W copies), then processes its share",
                    ),
                    VariantInfo::parallel(
                        "shared",
                        "the dataset is loaded once; threads read their shares of the one copy",
                    ),
                    VariantInfo::parallel(
                        "stream",
                        "every worker reads only its share, one chunk at a time into one buffer",
                    ),
                ],
            },
        }
    }
}

impl Default for MemoryBlowup {
    fn default() -> Self {
        MemoryBlowup::new()
    }
}

/// What processing yields: a histogram of the records' top bits and the sum of their low bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Records per bucket.
    pub counts: [u64; BUCKETS],
    /// Sum of the low 32 bits of every record.
    pub sum: u64,
}

impl Tally {
    fn add_all(&mut self, recs: &[u64]) {
        for &r in recs {
            self.counts[(r >> 60) as usize] += 1;
            self.sum = self.sum.wrapping_add(r & 0xFFFF_FFFF);
        }
    }

    fn merge(&mut self, o: &Tally) {
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        self.sum = self.sum.wrapping_add(o.sum);
    }

    fn digest(&self) -> u64 {
        let mut d = Digest::new();
        d.push_all(&self.counts);
        d.push(self.sum);
        d.value()
    }
}

/// Bytes held by the workers' record buffers right now and at most, counted exactly.
#[derive(Default)]
struct Held {
    now: AtomicU64,
    peak: AtomicU64,
}

impl Held {
    fn add(&self, bytes: u64, live: &Live) {
        let now = self.now.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.peak.fetch_max(now, Ordering::Relaxed);
        live.series("data held (MB)", now as f64 / 1e6);
    }

    fn sub(&self, bytes: u64, live: &Live) {
        let now = self.now.fetch_sub(bytes, Ordering::Relaxed) - bytes;
        live.series("data held (MB)", now as f64 / 1e6);
    }
}

/// Loads records `range` into a fresh vector (cancel checked every block).
fn load(range: Range<u64>, cancel: &CancelToken) -> Option<Vec<u64>> {
    let mut v = Vec::with_capacity((range.end - range.start) as usize);
    let mut i = range.start;
    while i < range.end {
        if cancel.is_cancelled() {
            return None;
        }
        let to = (i + BLOCK as u64).min(range.end);
        v.extend((i..to).map(record));
        i = to;
    }
    Some(v)
}

/// Processes `recs` block by block, one compute span per block.
fn process(recs: &[u64], w: u32, ctx: &Ctx<'_>) -> Option<Tally> {
    let mut t = Tally::default();
    for b in recs.chunks(BLOCK) {
        if ctx.cancel.is_cancelled() {
            return None;
        }
        let s = ctx.trace.start();
        t.add_all(b);
        ctx.trace.end(w, s, Phase::Compute, b.len() as u64, 0);
        ctx.progress.add(b.len() as u64);
    }
    Some(t)
}

/// Worker `w`'s share of `0..n` among `workers`.
fn share(n: u64, w: usize, workers: usize) -> Range<u64> {
    let k = workers.max(1) as u64;
    let w = w as u64;
    n * w / k..n * (w + 1) / k
}

fn bytes(len: usize) -> u64 {
    (len * std::mem::size_of::<u64>()) as u64
}

/// One worker's job in the `load-all` (whole copy) or `stream` way.
fn worker_job(ctx: &Ctx<'_>, held: &Held, w: usize, n: u64, stream: bool) -> Option<Tally> {
    let wid = w as u32;
    let mine = share(n, w, ctx.workers);
    if !stream {
        let s = ctx.trace.start();
        let all = load(0..n, ctx.cancel)?;
        held.add(bytes(all.capacity()), ctx.live);
        ctx.trace.end(wid, s, Phase::Receive, n, bytes(all.len()));
        let t = process(&all[mine.start as usize..mine.end as usize], wid, ctx);
        held.sub(bytes(all.capacity()), ctx.live);
        return t;
    }
    let chunk = ctx.params.int("chunk").max(1);
    let cap = chunk.min(mine.end - mine.start) as usize;
    let mut buf: Vec<u64> = Vec::with_capacity(cap);
    held.add(bytes(buf.capacity()), ctx.live);
    let mut t = Tally::default();
    let mut i = mine.start;
    let mut ok = true;
    while i < mine.end {
        if ctx.cancel.is_cancelled() {
            ok = false;
            break;
        }
        let to = (i + chunk).min(mine.end);
        let s = ctx.trace.start();
        buf.clear();
        buf.extend((i..to).map(record));
        ctx.trace
            .end(wid, s, Phase::Receive, to - i, bytes(buf.len()));
        let s = ctx.trace.start();
        t.add_all(&buf);
        ctx.trace.end(wid, s, Phase::Compute, to - i, 0);
        ctx.progress.add(to - i);
        i = to;
    }
    held.sub(bytes(buf.capacity()), ctx.live);
    ok.then_some(t)
}

/// Reads the resident memory every few ms until `stop`; returns the highest value seen.
fn watch_rss(stop: &AtomicBool) -> u64 {
    let mut peak = proc_status_bytes("VmRSS").unwrap_or(0);
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(RSS_EVERY);
        peak = peak.max(proc_status_bytes("VmRSS").unwrap_or(0));
    }
    peak.max(proc_status_bytes("VmRSS").unwrap_or(0))
}

/// Runs `workers` threads of `job` and merges their tallies; `None` if any was cancelled.
fn run_workers(
    ctx: &Ctx<'_>,
    job: &(dyn Fn(usize) -> Option<Tally> + Sync),
) -> Result<Option<Tally>, DemoError> {
    let trace: &Tracer = ctx.trace;
    std::thread::scope(|s| {
        let mut handles = Vec::new();
        for w in 0..ctx.workers {
            let spawned_at = now_ns();
            let h = std::thread::Builder::new()
                .name(format!("parlab-mem-{w}"))
                .spawn_scoped(s, move || {
                    let cpu0 = thread_cpu_ns();
                    let begun = trace.start();
                    trace.record(
                        w as u32,
                        begun.core,
                        Phase::Startup,
                        spawned_at,
                        begun.t,
                        0,
                        0,
                    );
                    let t = job(w);
                    trace.add_cpu(w as u32, thread_cpu_ns() - cpu0);
                    t
                })
                .map_err(|e| anyhow::anyhow!("cannot start worker {w}: {e}"))?;
            handles.push(h);
        }
        let mut total = Some(Tally::default());
        for h in handles {
            match h.join() {
                Ok(Some(t)) => {
                    if let Some(tt) = total.as_mut() {
                        tt.merge(&t);
                    }
                }
                Ok(None) => total = None,
                Err(_) => return Err(anyhow::anyhow!("a worker panicked").into()),
            }
        }
        Ok(total)
    })
}

impl Demo for MemoryBlowup {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn memory_estimate(&self, params: &Params, workers: usize) -> u64 {
        // `load-all` holds one copy per worker.
        params
            .int("size")
            .saturating_mul(8)
            .saturating_mul(workers.max(1) as u64)
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("size");
        usize::try_from(n.saturating_mul(8))
            .map_err(|_| anyhow::anyhow!("size {n} does not fit in memory"))?;
        ctx.progress.set_total(n);
        let held = Held::default();
        let stop = AtomicBool::new(false);
        let rss0 = proc_status_bytes("VmRSS").unwrap_or(0);
        let (result, rss_peak) = std::thread::scope(|s| {
            let watcher = std::thread::Builder::new()
                .name("parlab-rss-watch".into())
                .spawn_scoped(s, || watch_rss(&stop));
            let r = self.pass(variant, ctx, &held, n);
            stop.store(true, Ordering::Relaxed);
            let peak = match watcher {
                Ok(h) => h.join().unwrap_or(0),
                Err(_) => 0,
            };
            (r, peak)
        });
        let tally = match result? {
            Some(t) => t,
            None => return Err(DemoError::Cancelled),
        };
        ctx.cancel.check()?;
        let peak_held = held.peak.load(Ordering::Relaxed) as f64 / 1e6;
        let growth = rss_peak.saturating_sub(rss0) as f64 / 1e6;
        let dataset = (n * 8) as f64 / 1e6;
        let mut note = format!(
            "the dataset is {dataset:.1} MB; {variant} held at most {peak_held:.1} MB of records \
             ({:.2}x the dataset) and parlab's resident memory rose by {growth:.1} MB",
            if dataset > 0.0 {
                peak_held / dataset
            } else {
                0.0
            }
        );
        if growth < 0.5 * peak_held {
            note.push_str(
                " (less than counted: the allocator reused memory it kept from an earlier pass)",
            );
        }
        Ok(Outcome {
            workers: None,
            digest: tally.digest(),
            items: n,
            metrics: vec![
                Metric::new("dataset", dataset, "MB"),
                Metric::new("peak data held by workers (counted)", peak_held, "MB"),
                Metric::new(
                    "peak resident memory (measured)",
                    rss_peak as f64 / 1e6,
                    "MB",
                ),
                Metric::new("resident memory growth during the pass", growth, "MB"),
            ],
            note: Some(note),
            timed: None,
        })
    }
}

impl MemoryBlowup {
    /// The variant's work; `Ok(None)` when cancelled.
    fn pass(
        &self,
        variant: &str,
        ctx: &Ctx<'_>,
        held: &Held,
        n: u64,
    ) -> Result<Option<Tally>, DemoError> {
        match variant {
            "sequential" => {
                let cpu0 = thread_cpu_ns();
                let s = ctx.trace.start();
                let Some(all) = load(0..n, ctx.cancel) else {
                    return Ok(None);
                };
                held.add(bytes(all.capacity()), ctx.live);
                ctx.trace.end(0, s, Phase::Receive, n, bytes(all.len()));
                let t = process(&all, 0, ctx);
                held.sub(bytes(all.capacity()), ctx.live);
                drop(all);
                ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
                Ok(t)
            }
            "load-all" => run_workers(ctx, &|w| worker_job(ctx, held, w, n, false)),
            "stream" => run_workers(ctx, &|w| worker_job(ctx, held, w, n, true)),
            "shared" => {
                // Loaded once by the coordinator (worker 0's slot, before the threads start).
                let cpu0 = thread_cpu_ns();
                let s = ctx.trace.start();
                let Some(all) = load(0..n, ctx.cancel) else {
                    return Ok(None);
                };
                held.add(bytes(all.capacity()), ctx.live);
                ctx.trace.end(0, s, Phase::Receive, n, bytes(all.len()));
                ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
                let all = &all;
                let r = run_workers(ctx, &|w| {
                    let r = share(n, w, ctx.workers);
                    process(&all[r.start as usize..r.end as usize], w as u32, ctx)
                });
                held.sub(bytes(all.capacity()), ctx.live);
                r
            }
            other => Err(anyhow::anyhow!("memory-blowup has no variant {other}").into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_everything_once() {
        for n in [0u64, 1, 7, 100] {
            for w in 1..5 {
                let total: u64 = (0..w)
                    .map(|i| share(n, i, w))
                    .map(|r| r.end - r.start)
                    .sum();
                assert_eq!(total, n);
            }
        }
    }

    #[test]
    fn status_fields_read() {
        assert!(proc_status_bytes("VmRSS").unwrap() > 0);
        assert_eq!(proc_status_bytes("NoSuchField"), None);
    }
}
