//! Trace overhead: the cost of one span, and traced vs untraced 1 µs and 100 µs tasks.
//!
//! Targets (issue 2): ≤ 50 ns per span; ≤ 3% on 100 µs tasks. Run: `cargo bench --bench trace`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use parlab::demos::kernels::mix;
use parlab::trace::{Phase, Tracer};

/// A traced tracer whose batches are drained by a background thread, as in a real run.
fn live_tracer() -> Tracer {
    let (tx, rx) = crossbeam_channel::unbounded();
    std::thread::spawn(move || while rx.recv().is_ok() {});
    Tracer::new(0, 2, Some(tx))
}

/// Calls of [`mix`] that take about `us` microseconds on this machine.
fn calibrate(us: f64) -> u64 {
    let n = 2000;
    let t = Instant::now();
    for i in 0..n {
        black_box(mix(black_box(i)));
    }
    let per = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    ((us / per).round() as u64).max(1)
}

fn task(calls: u64, seed: u64) -> u64 {
    let mut h = seed;
    for i in 0..calls {
        h ^= mix(black_box(seed + i));
    }
    h
}

fn bench(c: &mut Criterion) {
    let tracer = live_tracer();
    c.bench_function("span: start + end (one recorded span)", |b| {
        b.iter(|| {
            let s = tracer.start();
            tracer.end(0, s, Phase::Compute, 1, 0);
        })
    });
    for us in [1.0, 100.0] {
        let calls = calibrate(us);
        let mut g = c.benchmark_group(format!("{us} µs task"));
        g.bench_function("untraced", |b| b.iter(|| black_box(task(calls, 7))));
        g.bench_function("traced", |b| {
            b.iter(|| black_box(tracer.span(0, Phase::Compute, 1, || task(calls, 7))))
        });
        g.finish();
    }
}

/// Prints the ratios the README quotes, measured in one run of this process.
fn summary() {
    let tracer = live_tracer();
    let n = 2_000_000u64;
    let t = Instant::now();
    for _ in 0..n {
        let s = tracer.start();
        tracer.end(0, s, Phase::Compute, 1, 0);
    }
    let per_span = t.elapsed().as_nanos() as f64 / n as f64;
    println!("\nsummary: one span costs {per_span:.1} ns (target <= 50 ns)");
    let t = Instant::now();
    let mut s = tracer.start();
    for _ in 0..n {
        s = tracer.end_then_start(0, s, Phase::Compute, 1, 0);
    }
    let chained = t.elapsed().as_nanos() as f64 / n as f64;
    println!("summary: one span in a back-to-back chain (end_then_start) costs {chained:.1} ns");
    let t = Instant::now();
    for _ in 0..n {
        black_box(parlab::trace::now_ns());
    }
    let clock = t.elapsed().as_nanos() as f64 / n as f64;
    let t = Instant::now();
    for _ in 0..n {
        black_box(parlab::trace::core_now());
    }
    let core = t.elapsed().as_nanos() as f64 / n as f64;
    println!(
        "summary:   of which two clock reads {:.1} ns and one core read {core:.1} ns",
        2.0 * clock
    );
    for (us, reps) in [(1.0, 200_000u64), (100.0, 3_000)] {
        let calls = calibrate(us);
        let mut best = (f64::MAX, f64::MAX);
        for _ in 0..5 {
            let t = Instant::now();
            for i in 0..reps {
                black_box(task(calls, i));
            }
            let plain = t.elapsed().as_secs_f64();
            let t = Instant::now();
            for i in 0..reps {
                black_box(tracer.span(0, Phase::Compute, 1, || task(calls, i)));
            }
            let traced = t.elapsed().as_secs_f64();
            best = (best.0.min(plain), best.1.min(traced));
        }
        println!(
            "summary: {us} µs tasks: traced / untraced = {:.3} ({:+.2}% overhead)",
            best.1 / best.0,
            (best.1 / best.0 - 1.0) * 100.0
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500)).sample_size(20);
    targets = bench
}

fn main() {
    benches();
    summary();
    Criterion::default().configure_from_args().final_summary();
}
