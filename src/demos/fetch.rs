//! Lesson 10 (applications): I/O-bound tasks, where workers wait instead of computing.
//!
//! Each "URL" costs a simulated network latency (a sleep of a seeded, jittered length: this
//! lesson is about waiting, so the sleep is the point, and it is labelled as simulated
//! everywhere) and then a little real work: making the response payload and hashing it
//! ("parsing"). Many more workers than cores overlap their waits, so the speedup is large
//! while the CPU stays nearly idle. Threads and child processes do equally well; processes
//! pay their start-up.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::rng::splitmix64;
use crate::child::{ChildIo, ChildProcess};
use crate::engine::{
    CancelToken, Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, Params,
    VariantInfo,
};
use crate::trace::{Phase, Tracer, now_ns, process_cpu_ns, thread_cpu_ns};

/// Longest single sleep: a waiting worker checks the cancel token at least this often.
const SLICE: Duration = Duration::from_millis(20);
/// Worker kind of the child processes.
pub const KIND: &str = "fetch";

/// The fetch demo.
pub struct Fetch {
    info: DemoInfo,
}

impl Fetch {
    /// The demo with its declared parameters and variants.
    pub fn new() -> Fetch {
        Fetch {
            info: DemoInfo {
                id: "fetch",
                title: "Applications: fetching URLs (I/O-bound)",
                summary: "many workers waiting on simulated network latency: big speedup, idle CPU",
                params: vec![
                    ParamSpec::int("urls", 100, 0, 100_000, "how many simulated URLs to fetch"),
                    ParamSpec::int(
                        "concurrency",
                        20,
                        0,
                        1000,
                        "workers of the parallel variants; 0 = use --workers",
                    ),
                    ParamSpec::int(
                        "latency",
                        20,
                        0,
                        10_000,
                        "mean simulated network latency per URL, ms (a sleep)",
                    ),
                    ParamSpec::int(
                        "jitter",
                        10,
                        0,
                        10_000,
                        "each latency is the mean +- up to this many ms (seeded)",
                    ),
                    ParamSpec::int(
                        "kib",
                        64,
                        0,
                        65_536,
                        "size of each response, KiB (made and hashed: the real work)",
                    ),
                    ParamSpec::int("seed", 1, 0, u64::MAX, "seed of latencies and payloads"),
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "threads",
                        "W threads, each taking the next URL from a shared counter",
                    ),
                    VariantInfo::parallel(
                        "processes",
                        "W child parlab processes, each fetching its share of the URLs",
                    ),
                ],
            },
        }
    }
}

impl Default for Fetch {
    fn default() -> Self {
        Fetch::new()
    }
}

/// What every worker needs to fetch a URL (sent to child processes as JSON).
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Job {
    /// Mean simulated latency, µs.
    pub latency_us: u64,
    /// Latency jitter, µs either side.
    pub jitter_us: u64,
    /// Response size, bytes.
    pub bytes: usize,
    /// Seed.
    pub seed: u64,
}

impl Job {
    fn from_params(p: &Params) -> Job {
        Job {
            latency_us: p.int("latency").saturating_mul(1000),
            jitter_us: p.int("jitter").saturating_mul(1000),
            bytes: p.usize("kib").saturating_mul(1024),
            seed: p.int("seed"),
        }
    }

    /// The simulated latency of URL `i`, µs: mean +- jitter, seeded.
    pub fn latency_of(&self, i: u64) -> u64 {
        let r = splitmix64(self.seed ^ i.wrapping_mul(0x9FB2_1C65_1E98_DF25));
        let spread = 2 * self.jitter_us + 1;
        (self.latency_us + r % spread).saturating_sub(self.jitter_us)
    }

    /// The "response" of URL `i`, parsed: its bytes made and hashed.
    pub fn parse(&self, i: u64) -> u64 {
        let mut body = vec![0u8; self.bytes];
        let mut x = self.seed ^ i.rotate_left(17);
        for w in body.chunks_mut(8) {
            x = splitmix64(x);
            w.copy_from_slice(&x.to_le_bytes()[..w.len()]);
        }
        let mut d = Digest::new();
        d.push_bytes(&body);
        d.value()
    }
}

/// Sleeps `us` microseconds in slices, checking `cancel` between them. False if cancelled.
fn wait(us: u64, cancel: Option<&CancelToken>) -> bool {
    let until = std::time::Instant::now() + Duration::from_micros(us);
    loop {
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return false;
        }
        let left = until.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(SLICE));
    }
}

/// Fetches URL `i` on worker `w` of `trace`: the simulated wait (a wait-for-work span) and
/// the parse (a compute span). `None` if cancelled.
fn fetch_traced(job: &Job, i: u64, w: u32, trace: &Tracer, cancel: &CancelToken) -> Option<u64> {
    let s = trace.start();
    if !wait(job.latency_of(i), Some(cancel)) {
        return None;
    }
    trace.end(w, s, Phase::WaitWork, 0, 0);
    let s = trace.start();
    let h = job.parse(i);
    trace.end(w, s, Phase::Compute, 1, job.bytes as u64);
    Some(h)
}

/// What a child process is given: the job and its share of URL indices.
#[derive(Debug, Serialize, Deserialize)]
struct Share {
    job: Job,
    urls: Vec<u64>,
}

/// Child side: fetches each URL of its share, sending back (index, hash) per URL and its
/// process CPU time (8 bytes) at the end.
pub fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    while let Some(frame) = io.recv()? {
        let share: Share = serde_json::from_slice(frame).context("bad fetch share")?;
        for i in share.urls {
            let s = io.start();
            wait(share.job.latency_of(i), None);
            io.end(s, Phase::WaitWork, 0, 0);
            let s = io.start();
            let h = share.job.parse(i);
            io.end(s, Phase::Compute, 1, share.job.bytes as u64);
            let mut msg = [0u8; 16];
            msg[..8].copy_from_slice(&i.to_le_bytes());
            msg[8..].copy_from_slice(&h.to_le_bytes());
            io.send(&msg)?;
            io.flush()?;
        }
        io.send(&process_cpu_ns().to_le_bytes())?;
        io.flush()?;
    }
    Ok(())
}

/// Per-URL hashes (by index) and the CPU time all workers used.
type Fetched = Result<(Vec<u64>, u64), DemoError>;

fn sequential(ctx: &Ctx<'_>, job: &Job, n: u64) -> Fetched {
    let cpu0 = thread_cpu_ns();
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        out.push(fetch_traced(job, i, 0, ctx.trace, ctx.cancel).ok_or(DemoError::Cancelled)?);
        ctx.progress.add(1);
    }
    let cpu = thread_cpu_ns() - cpu0;
    ctx.trace.add_cpu(0, cpu);
    Ok((out, cpu))
}

fn threads(ctx: &Ctx<'_>, job: &Job, n: u64, workers: usize) -> Fetched {
    let next = AtomicUsize::new(0);
    let trace = ctx.trace;
    let results = std::thread::scope(|s| {
        let mut handles = Vec::new();
        for w in 0..workers {
            let next = &next;
            let spawned_at = now_ns();
            let h = std::thread::Builder::new()
                .name(format!("parlab-fetch-{w}"))
                .spawn_scoped(s, move || {
                    let wid = w as u32;
                    let cpu0 = thread_cpu_ns();
                    let begun = trace.start();
                    trace.record(wid, begun.core, Phase::Startup, spawned_at, begun.t, 0, 0);
                    let mut got = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed) as u64;
                        if i >= n {
                            break;
                        }
                        let Some(h) = fetch_traced(job, i, wid, trace, ctx.cancel) else {
                            break;
                        };
                        got.push((i, h));
                        ctx.progress.add(1);
                    }
                    let cpu = thread_cpu_ns() - cpu0;
                    trace.add_cpu(wid, cpu);
                    (got, cpu)
                });
            match h {
                Ok(h) => handles.push(h),
                // The threads already started fetch every URL between them; then we fail.
                Err(e) => return Err(anyhow::anyhow!("cannot start fetch thread {w}: {e}")),
            }
        }
        Ok(handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("a fetch thread panicked"))
            })
            .collect::<Vec<_>>())
    })?;
    ctx.cancel.check()?;
    let mut out = vec![0u64; n as usize];
    let mut cpu = 0;
    for r in results {
        let (got, c) = r?;
        cpu += c;
        for (i, h) in got {
            out[i as usize] = h;
        }
    }
    Ok((out, cpu))
}

/// Children still running, by worker: the canceller may kill these pids (they are not yet
/// reaped, so the pid cannot belong to anyone else).
struct Running(Mutex<Vec<Option<u32>>>);

impl Running {
    fn set(&self, w: usize, pid: Option<u32>) {
        if let Ok(mut v) = self.0.lock() {
            v[w] = pid;
        }
    }

    fn kill_all(&self) {
        if let Ok(v) = self.0.lock() {
            for pid in v.iter().flatten() {
                let _ = crate::platform::kill(*pid);
            }
        }
    }
}

/// What one child returned: (URL index, hash) pairs and its process CPU time.
type ChildResult = anyhow::Result<(Vec<(u64, u64)>, u64)>;

/// One child: start it, hand it its share, collect its results.
fn run_child(w: usize, share: Share, trace: &Tracer, live: &Running, ctx: &Ctx<'_>) -> ChildResult {
    let s = trace.start();
    let mut child = ChildProcess::spawn(KIND, w as u32, &[])?;
    live.set(w, Some(child.pid()));
    trace.set_pid(w as u32, child.pid());
    trace.end(w as u32, s, Phase::Startup, 0, 0);
    let body = serde_json::to_vec(&share)?;
    child.send(&body)?;
    child.close_input();
    let mut got = Vec::with_capacity(share.urls.len());
    let mut cpu = 0;
    while let Some(d) = child.recv(trace)? {
        match d.len() {
            16 => {
                let word = |k: usize| {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(&d[k..k + 8]);
                    u64::from_le_bytes(b)
                };
                got.push((word(0), word(8)));
                ctx.progress.add(1);
            }
            8 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(d);
                cpu = u64::from_le_bytes(b);
            }
            n => anyhow::bail!("fetch child {w} sent a {n}-byte frame"),
        }
    }
    live.set(w, None);
    child.finish(trace)?;
    Ok((got, cpu))
}

fn processes(ctx: &Ctx<'_>, job: &Job, n: u64, workers: usize) -> Fetched {
    let p = workers.min(n as usize);
    let live = Running(Mutex::new(vec![None; p]));
    let finished = AtomicUsize::new(0);
    let trace = ctx.trace;
    let mut spawn_error = None;
    let results: Vec<ChildResult> = std::thread::scope(|s| {
        let mut handles = Vec::new();
        for w in 0..p {
            let share = Share {
                job: *job,
                urls: (w as u64..n).step_by(p).collect(),
            };
            let (live, finished) = (&live, &finished);
            let h = std::thread::Builder::new()
                .name(format!("parlab-fetch-child-{w}"))
                .spawn_scoped(s, move || {
                    let r = run_child(w, share, trace, live, ctx);
                    live.set(w, None);
                    finished.fetch_add(1, Ordering::Relaxed);
                    r
                });
            match h {
                Ok(h) => handles.push(h),
                Err(e) => {
                    spawn_error = Some(anyhow::anyhow!("cannot start a thread for child {w}: {e}"));
                    finished.fetch_add(p - w, Ordering::Relaxed);
                    live.kill_all();
                    break;
                }
            }
        }
        // Watch for a cancel while the children wait: kill them so every reader returns.
        while finished.load(Ordering::Relaxed) < p {
            if ctx.cancel.is_cancelled() {
                live.kill_all();
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a fetch thread panicked")))
            })
            .collect()
    });
    ctx.cancel.check()?;
    if let Some(e) = spawn_error {
        return Err(DemoError::Failed(e));
    }
    let mut out = vec![0u64; n as usize];
    let mut cpu = 0;
    let mut seen = 0;
    for r in results {
        let (got, c) = r?;
        cpu += c;
        seen += got.len();
        for (i, h) in got {
            let slot = out
                .get_mut(i as usize)
                .ok_or_else(|| anyhow::anyhow!("a child returned URL {i} of {n}"))?;
            *slot = h;
        }
    }
    if seen != n as usize {
        return Err(DemoError::Failed(anyhow::anyhow!(
            "children returned {seen} of {n} URLs"
        )));
    }
    Ok((out, cpu))
}

impl Demo for Fetch {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn memory_estimate(&self, params: &Params, workers: usize) -> u64 {
        let w = workers_of(params, workers) as u64;
        // One response buffer per worker, plus a few MB per child process.
        w * (params.int("kib") * 1024 + (4 << 20))
    }

    fn trace_slots(&self, params: &Params, workers: usize) -> usize {
        workers_of(params, workers) + 1
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("urls");
        let job = Job::from_params(ctx.params);
        let workers = if variant == "sequential" {
            1
        } else {
            workers_of(ctx.params, ctx.workers)
        };
        ctx.progress.set_total(n);
        let t0 = now_ns();
        let (hashes, cpu) = match variant {
            "sequential" => sequential(ctx, &job, n)?,
            "threads" => threads(ctx, &job, n, workers)?,
            "processes" => processes(ctx, &job, n, workers)?,
            other => {
                return Err(DemoError::Failed(anyhow::anyhow!(
                    "fetch has no variant {other}"
                )));
            }
        };
        let t1 = now_ns();
        let mut d = Digest::new();
        d.push_all(&hashes);
        let waited_us: u64 = (0..n).map(|i| job.latency_of(i)).sum();
        let wall = (t1 - t0).max(1) as f64;
        let cpu_share = 100.0 * cpu as f64 / wall;
        Ok(Outcome {
            digest: d.value(),
            items: n,
            metrics: vec![
                Metric::new("concurrent workers", workers as f64, ""),
                Metric::new("simulated latency, all URLs", waited_us as f64 / 1e3, "ms"),
                Metric::new("URLs per second", n as f64 / (wall / 1e9), "URLs/s"),
                Metric::new("CPU time of all workers", cpu as f64 / 1e6, "ms"),
                Metric::new("CPU time / wall time", cpu_share, "%"),
            ],
            note: Some(note(&job, workers, waited_us, cpu, wall)),
            timed: Some((t0, t1)),
            workers: Some(workers),
        })
    }
}

/// The sentence under the result: what was simulated, and waiting vs computing.
fn note(job: &Job, workers: usize, waited_us: u64, cpu_ns: u64, wall_ns: f64) -> String {
    let how = if workers == 1 {
        "one worker went through".to_string()
    } else {
        format!("{workers} workers overlapped")
    };
    format!(
        "simulated latency (sleeps of {}+-{} ms per URL, not real network I/O): {how} {:.0} ms \
         of waiting; CPU time {:.1} ms in {:.0} ms of wall time ({:.0}% of one core)",
        job.latency_us / 1000,
        job.jitter_us / 1000,
        waited_us as f64 / 1e3,
        cpu_ns as f64 / 1e6,
        wall_ns / 1e6,
        100.0 * cpu_ns as f64 / wall_ns,
    )
}

/// Workers of the parallel variants: `concurrency`, or `--workers` when it is 0.
fn workers_of(params: &Params, workers: usize) -> usize {
    match params.usize("concurrency") {
        0 => workers.max(1),
        c => c,
    }
}
