//! The chunking demo's batched vs per-item throughput, through a crossbeam channel between
//! threads and through pipes to two child parlab processes (100,000 numbers, batch 1 vs 1000;
//! process start-up is outside the measured loop, as in the demo's throughput metric).
//!
//! Criterion reports each case's throughput in elements/s; the ratio batched / per-item is
//! what lesson 7 is about (Python's queue measured ×49.5 for lists of 1000).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use parlab::demos::chunking;
use parlab::engine::{CancelToken, Ctx, Live, Params, Progress};
use parlab::trace::Tracer;

const N: u64 = 100_000;

fn run(c: &mut Criterion) {
    let Some(demo) = parlab::demos::find("chunking") else {
        return;
    };
    let mut params = Params::defaults(&demo.info().params);
    if params
        .set(&demo.info().params, "size", &N.to_string())
        .is_err()
    {
        return;
    }
    let cancel = CancelToken::new();
    let trace = Tracer::disabled();
    let progress = Progress::default();
    let live = Live::new(0, None);
    let ctx = Ctx {
        workers: 2,
        cancel: &cancel,
        trace: &trace,
        progress: &progress,
        live: &live,
    };
    // Batch 1000, as in the tutorial and the demo's default.
    let mut g = c.benchmark_group("chunking/channel");
    g.throughput(Throughput::Elements(N));
    g.sample_size(10);
    for batch in [1, 1000] {
        g.bench_function(BenchmarkId::new("batch", batch), |b| {
            b.iter(|| {
                chunking::through_channel(&ctx, N, batch)
                    .map(|t| t.sum)
                    .ok()
            })
        });
    }
    g.finish();

    // The children start once; each iteration is one transfer plus the replies.
    let Ok(mut kids) = chunking::spawn_children(&ctx, N) else {
        return;
    };
    let mut g = c.benchmark_group("chunking/pipe");
    g.throughput(Throughput::Elements(N));
    g.sample_size(10);
    for batch in [1, 1000] {
        g.bench_function(BenchmarkId::new("batch", batch), |b| {
            b.iter(|| {
                chunking::through_pipes(&ctx, &mut kids, N, batch)
                    .map(|t| t.sum)
                    .ok()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, run);
criterion_main!(benches);
