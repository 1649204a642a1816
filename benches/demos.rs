//! Speedup of `squaring --work heavy` at all cores (target ≥ 0.9 × cores), and the time of each
//! squaring variant with trivial and heavy work. Run: `cargo bench --bench demos`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use criterion::{Criterion, criterion_group};
use parlab::engine::{CancelToken, Params, RunRequest, Runner};

fn request(work: &str, size: &str, variant: Option<&str>, repeats: u32) -> RunRequest {
    let demo = parlab::demos::find("squaring").expect("squaring is registered");
    let specs = &demo.info().params;
    let mut p = Params::defaults(specs);
    p.set(specs, "work", work).expect("valid work");
    p.set(specs, "size", size).expect("valid size");
    RunRequest {
        demo,
        params: p,
        workers: parlab::cores(),
        variants: variant.map(|v| vec![v.to_string()]).unwrap_or_default(),
        repeats: Some(repeats),
        reference: None,
    }
}

fn bench(c: &mut Criterion) {
    for work in ["trivial", "heavy"] {
        let size = if work == "heavy" { "100000" } else { "1000000" };
        let mut g = c.benchmark_group(format!("squaring {work} size={size}"));
        for variant in ["sequential", "rayon", "pool"] {
            let demo = parlab::demos::find("squaring").expect("registered");
            let req = request(work, size, Some(variant), 1);
            let ctx_variant = variant.to_string();
            g.bench_function(variant, |b| {
                b.iter(|| {
                    let tracer = parlab::trace::Tracer::disabled();
                    let live = parlab::engine::Live::new(0, None);
                    let progress = parlab::engine::Progress::default();
                    let cancel = CancelToken::new();
                    let workers = if ctx_variant == "sequential" {
                        1
                    } else {
                        req.workers
                    };
                    let ctx = parlab::engine::Ctx {
                        workers,
                        cancel: &cancel,
                        trace: &tracer,
                        progress: &progress,
                        live: &live,
                    };
                    demo.run(&ctx_variant, &req.params, &ctx).expect("runs")
                })
            });
        }
        g.finish();
    }
}

/// The headline figure, through the same runner `parlab run` uses (traced, 5 repeats).
fn summary() {
    let report = Runner::new(None, CancelToken::new()).run(&request("heavy", "1000000", None, 5));
    let cores = parlab::cores();
    println!("\nsummary: squaring --work heavy, {cores} workers on {cores} cores:");
    for v in &report.variants {
        println!(
            "summary:   {:<10} median {:>8.1} ms  speedup {:.2}x  ({:.2} x cores; target >= 0.9)",
            v.name,
            v.wall.median,
            v.speedup.unwrap_or(0.0),
            v.speedup.unwrap_or(0.0)
                / if v.name == "sequential" {
                    1.0
                } else {
                    cores as f64
                }
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_millis(500)).sample_size(10);
    targets = bench
}

fn main() {
    benches();
    summary();
    Criterion::default().configure_from_args().final_summary();
}
