//! Log analyzer throughput on 200 files x 20,000 lines (about 300 MB), warm page cache, at one
//! worker and at all cores. Targets: at least 1.7x at 2 cores, at least 200 MB/s per core.
//!
//! `cargo bench --bench logs`; the files are generated once into a temp dir and read once
//! before timing so every measured pass reads from the page cache.

// A benchmark has no one to report a setup failure to but its panic message.
#![allow(clippy::expect_used)]

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use parlab::engine::CancelToken;
use parlab::logs::analyze::{self, Strategy};
use parlab::logs::generate::{self, GenOptions};
use parlab::logs::{Analysis, Hooks};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = GenOptions {
        files: 200,
        lines: 20_000,
        seed: 1,
    };
    let cancel = CancelToken::new();
    generate::generate(dir.path(), &opts, parlab::cores(), &cancel).expect("generate");
    let files = analyze::list_logs(dir.path()).expect("list");
    let hooks = Hooks::quiet(&cancel);
    // Warm the page cache, and learn the size.
    let reports = analyze::analyze_files(&files, Strategy::Pool, parlab::cores(), &hooks)
        .expect("warm-up pass");
    let bytes = Analysis::of(&reports).bytes;

    let mut g = c.benchmark_group("logs_analyze_200x20000");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6))
        .throughput(Throughput::BytesDecimal(bytes));
    let mut workers = vec![1, parlab::cores()];
    workers.dedup();
    for w in workers {
        g.bench_function(format!("pool_{w}_workers"), |b| {
            b.iter(|| analyze::analyze_files(&files, Strategy::Pool, w, &hooks).expect("pass"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
