//! The factorial demo's scheduling: static equal chunks (one per worker) against dynamic small
//! chunks and largest-first, at a smaller N than the lesson's default.
//!
//! Two measures per variant: wall time (what a student sees), and the busiest worker's compute
//! CPU time, which is how long the pass would take on dedicated cores. The second does not
//! move when other programs share the machine, so the static / dynamic ratio it gives is
//! stable; on an idle 2-core machine the two agree.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use parlab::demos::factorials::{BUSIEST_CPU, Factorials};
use parlab::engine::{Demo, Outcome, Params, Typed};

/// N for the benchmark: about 0.5 s of sequential CPU work.
const N: &str = "5000";
const VARIANTS: [&str; 4] = ["sequential", "static", "dynamic", "largest-first"];

fn run(demo: &Typed<Factorials>, params: &Params, variant: &str, workers: usize) -> Outcome {
    match parlab::engine::run_pass(demo, variant, params, workers) {
        Ok(o) => o,
        Err(e) => panic!("factorials/{variant} failed: {e}"),
    }
}

fn busiest_cpu(o: &Outcome) -> Duration {
    let ms = o
        .metrics
        .iter()
        .find(|m| m.name == BUSIEST_CPU)
        .map_or(0.0, |m| m.value);
    Duration::from_secs_f64(ms / 1e3)
}

fn scheduling(c: &mut Criterion) {
    let demo = Typed::new(Factorials);
    let mut params = Params::defaults(&demo.info().params);
    if let Err(e) = params.set(&demo.info().params, "size", N) {
        panic!("{e}");
    }
    let workers = parlab::cores();
    let mut g = c.benchmark_group(format!("factorials wall N={N} workers={workers}"));
    g.sample_size(10);
    for variant in VARIANTS {
        g.bench_function(variant, |b| {
            b.iter(|| run(&demo, &params, variant, workers).digest)
        });
    }
    g.finish();
    let mut g = c.benchmark_group(format!(
        "factorials busiest-worker CPU N={N} workers={workers}"
    ));
    g.sample_size(10);
    for variant in VARIANTS {
        g.bench_function(variant, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| busiest_cpu(&run(&demo, &params, variant, workers)))
                    .sum()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, scheduling);
criterion_main!(benches);
