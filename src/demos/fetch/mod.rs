//! Lesson 10 (applications): I/O-bound tasks, where workers wait instead of computing.
//!
//! Each "URL" costs a simulated network latency (a sleep of a seeded, jittered length: this
//! lesson is about waiting, so the sleep is the point, and it is labelled as simulated
//! everywhere) and then a little real work: making the response payload and hashing it
//! ("parsing"). Many more workers than cores overlap their waits, so the speedup is large
//! while the CPU stays nearly idle. Threads and child processes do equally well; processes
//! pay their start-up.
//!
//! `job` is one URL, `threads` the in-process variants, `child` the child processes.

mod child;
mod job;
mod threads;

pub use child::child_main;
pub use job::Job;

use crate::engine::{Ctx, DemoError, Digest, Metric, Outcome, TypedDemo, VariantInfo, int};
use crate::trace::now_ns;

/// Worker kind of the child processes.
pub const KIND: &str = "fetch";

/// The fetch demo.
#[derive(Debug, Default)]
pub struct Fetch;

crate::demo_variants! {
    /// Who does the waiting.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Threads = VariantInfo::parallel(
            "threads",
            "W threads, each taking the next URL from a shared counter",
        ),
        Processes = VariantInfo::parallel(
            "processes",
            "W child parlab processes, each fetching its share of the URLs",
        ),
    }
}

crate::demo_params! {
    /// The simulated URLs and how many workers wait on them.
    pub struct Params {
        urls: u64 = int(100, 0, 100_000, "how many simulated URLs to fetch"),
        concurrency: usize = int(
            20,
            0,
            1000,
            "workers of the parallel variants; 0 = use --workers",
        ),
        latency: u64 = int(
            20,
            0,
            10_000,
            "mean simulated network latency per URL, ms (a sleep)",
        ),
        jitter: u64 = int(
            10,
            0,
            10_000,
            "each latency is the mean +- up to this many ms (seeded)",
        ),
        kib: usize = int(
            64,
            0,
            65_536,
            "size of each response, KiB (made and hashed: the real work)",
        ),
        seed: u64 = int(1, 0, u64::MAX, "seed of latencies and payloads"),
    }
}

/// Per-URL hashes (by index) and the CPU time all workers used.
type Fetched = Result<(Vec<u64>, u64), DemoError>;

impl TypedDemo for Fetch {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "fetch";
    const TITLE: &'static str = "Applications: fetching URLs (I/O-bound)";
    const SUMMARY: &'static str =
        "many workers waiting on simulated network latency: big speedup, idle CPU";

    fn memory_estimate(&self, params: &Params, workers: usize) -> u64 {
        let w = workers_of(params, workers) as u64;
        // One response buffer per worker, plus a few MB per child process.
        w * (params.kib as u64 * 1024 + (4 << 20))
    }

    fn trace_slots(&self, params: &Params, workers: usize) -> usize {
        workers_of(params, workers) + 1
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = p.urls;
        let job = Job::from_params(p);
        let workers = match variant {
            Variant::Sequential => 1,
            _ => workers_of(p, ctx.workers),
        };
        ctx.progress.set_total(n);
        let t0 = now_ns();
        let (hashes, cpu) = match variant {
            Variant::Sequential => threads::sequential(ctx, &job, n)?,
            Variant::Threads => threads::threads(ctx, &job, n, workers)?,
            Variant::Processes => child::processes(ctx, &job, n, workers)?,
        };
        let t1 = now_ns();
        let mut d = Digest::new();
        d.push_all(&hashes);
        let waited_us: u64 = (0..n).map(|i| job.latency_of(i)).sum();
        let wall = (t1 - t0).max(1) as f64;
        let cpu_share = 100.0 * cpu as f64 / wall;
        Ok(Outcome {
            mismatch: None,
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
    match params.concurrency {
        0 => workers.max(1),
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{Demo, Params, Typed, run_pass};

    #[test]
    fn threads_match_sequential() {
        let demo = Typed::new(super::Fetch);
        let specs = &demo.info().params;
        let mut p = Params::defaults(specs);
        for (k, v) in [
            ("urls", "37"),
            ("latency", "0"),
            ("jitter", "0"),
            ("kib", "3"),
        ] {
            p.set(specs, k, v).unwrap();
        }
        let seq = run_pass(&demo, "sequential", &p, 1).unwrap();
        for workers in [1, 3] {
            p.set(specs, "concurrency", &workers.to_string()).unwrap();
            let par = run_pass(&demo, "threads", &p, 2).unwrap();
            assert_eq!(par.digest, seq.digest, "{workers} workers");
            assert_eq!(par.workers, Some(workers));
        }
    }
}
