//! The factorial demo's scheduling: static equal chunks (one per worker) against dynamic small
//! chunks and largest-first, at a smaller N than the lesson's default. The ratio of the static
//! time to the dynamic time is the cost of load imbalance (on 2 cores it tends to ~1.7x:
//! the last half of 1..=N holds about 85% of the work).

use criterion::{Criterion, criterion_group, criterion_main};
use parlab::demos::factorials::Factorials;
use parlab::engine::{CancelToken, Ctx, Demo, Live, Params, Progress};
use parlab::trace::Tracer;

/// N for the benchmark: about 0.5 s of sequential work.
const N: &str = "5000";

fn run(demo: &Factorials, params: &Params, variant: &str, workers: usize) -> u64 {
    let cancel = CancelToken::new();
    let trace = Tracer::disabled();
    let progress = Progress::default();
    let live = Live::new(0, None);
    let ctx = Ctx {
        params,
        workers,
        cancel: &cancel,
        trace: &trace,
        progress: &progress,
        live: &live,
    };
    match demo.run(variant, &ctx) {
        Ok(o) => o.digest,
        Err(e) => panic!("factorials/{variant} failed: {e}"),
    }
}

fn scheduling(c: &mut Criterion) {
    let demo = Factorials::new();
    let mut params = Params::defaults(&demo.info().params);
    if let Err(e) = params.set(&demo.info().params, "size", N) {
        panic!("{e}");
    }
    let workers = parlab::cores();
    let mut g = c.benchmark_group(format!("factorials N={N} workers={workers}"));
    g.sample_size(10);
    for variant in ["sequential", "static", "dynamic", "largest-first"] {
        g.bench_function(variant, |b| {
            b.iter(|| run(&demo, &params, variant, workers))
        });
    }
    g.finish();
}

criterion_group!(benches, scheduling);
criterion_main!(benches);
