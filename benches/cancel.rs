//! How fast a cancelled pass returns, for the demos whose tests cancel them mid-run (threads,
//! rayon, pools and child processes). Target: every pass returns within 200 ms of the cancel
//! (release build). The tests only check that a cancelled pass does not hang; the latency is
//! measured here. Run: `cargo bench --bench cancel`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot run stops with its reason

use std::time::{Duration, Instant};

use parlab::engine::{CancelToken, Ctx, DemoError, Live, Params, Progress};
use parlab::trace::Tracer;

/// The latency target.
const TARGET: Duration = Duration::from_millis(200);
/// How long a pass runs before it is cancelled.
const AFTER: Duration = Duration::from_millis(300);
/// Cancelled passes per case.
const RUNS: usize = 5;
/// Workers of the parallel variants.
const WORKERS: usize = 4;

/// A demo, variants of it, and parameters large enough that a pass still runs when cancelled.
type Case = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

/// The passes measured.
const CASES: &[Case] = &[
    (
        "images",
        &["sequential", "rayon", "pool"],
        &[("width", "2000")],
    ),
    (
        "analysis",
        &["sequential", "rayon", "pool"],
        &[("records", "3000000")],
    ),
    (
        "factorials",
        &["sequential", "static", "dynamic", "largest-first"],
        &[],
    ),
    (
        "fetch",
        &["sequential", "threads", "processes"],
        &[("latency", "1000"), ("jitter", "500")],
    ),
    (
        "squaring",
        &["sequential", "rayon", "pool"],
        &[("work", "heavy"), ("size", "200000000")],
    ),
    ("process", &["processes", "no-join"], &[("size", "5000000")]),
    ("queue", &["pipe", "join-first"], &[("size", "5000000")]),
    ("pipe", &["process"], &[("size", "4294967296")]),
    (
        "chunking",
        &["pipe-per-item", "pipe-sweep"],
        &[("size", "100000000")],
    ),
    ("memory-ipc", &["process-copy"], &[("mb", "1024")]),
];

/// Time from the cancel to the pass's return, for one pass of `variant`.
fn stop_time(id: &str, variant: &str, set: &[(&str, &str)]) -> Duration {
    let demo = parlab::demos::find(id).expect("demo is registered");
    let specs = &demo.info().params;
    let mut p = Params::defaults(specs);
    for (k, v) in set {
        p.set(specs, k, v).expect("valid parameter");
    }
    let workers = if variant == "sequential" { 1 } else { WORKERS };
    let cancel = CancelToken::new();
    let trace = Tracer::new(0, demo.trace_slots(&p, workers), None);
    let (progress, live) = (Progress::default(), Live::new(0, None));
    let ctx = Ctx {
        workers,
        cancel: &cancel,
        trace: &trace,
        progress: &progress,
        live: &live,
    };
    std::thread::scope(|s| {
        let h = s.spawn(|| demo.run(variant, &p, &ctx));
        std::thread::sleep(AFTER);
        let t = Instant::now();
        cancel.cancel();
        let r = h.join().expect("the pass did not panic");
        let took = t.elapsed();
        assert!(
            matches!(r, Err(DemoError::Cancelled)),
            "{id}/{variant} was not cancelled: {:?}",
            r.map(|o| o.digest)
        );
        took
    })
}

fn main() {
    println!(
        "{:<32} {:>10} {:>10}  target {TARGET:?}",
        "pass", "median", "max"
    );
    let mut over = 0;
    for (id, variants, set) in CASES {
        for v in *variants {
            let mut t: Vec<Duration> = (0..RUNS).map(|_| stop_time(id, v, set)).collect();
            t.sort_unstable();
            let (median, max) = (t[RUNS / 2], t[RUNS - 1]);
            let flag = if median > TARGET { "  OVER" } else { "" };
            over += usize::from(median > TARGET);
            println!(
                "{:<32} {median:>10.1?} {max:>10.1?}{flag}",
                format!("{id}/{v}")
            );
        }
    }
    println!("{over} pass(es) over the {TARGET:?} target (median of {RUNS})");
}
