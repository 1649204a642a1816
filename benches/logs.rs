//! Log analyzer throughput on 200 files x 20,000 lines (about 300 MB), warm page cache, at one
//! worker and at all cores, and the counting core alone on one core over bytes in memory.
//! Targets: at least 3 GB/s per core for the counting core; at least 1.7x at 2 cores. After
//! the file passes it prints MB/s per core from the CPU time the pass used (so a busy machine
//! does not hide what one core does).
//!
//! `cargo bench --bench logs`; the files are generated once into a temp dir and read once
//! before timing so every measured pass reads from the page cache.

// A benchmark has no one to report a setup failure to but its panic message.
#![allow(clippy::expect_used)]

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use parlab::engine::CancelToken;
use parlab::logs::analyze::{self, Strategy};
use parlab::logs::count;
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

    // MB/s per core from CPU time: one pass on all cores, process CPU (user + system).
    let cpu0 = parlab::trace::process_cpu_ns();
    analyze::analyze_files(&files, Strategy::Pool, parlab::cores(), &hooks).expect("pass");
    let cpu_s = (parlab::trace::process_cpu_ns() - cpu0) as f64 / 1e9;
    println!(
        "logs: {:.0} MB/s per core ({} MB in {cpu_s:.3} s of CPU, reads from the page cache included)",
        bytes as f64 / 1e6 / cpu_s,
        bytes / 1_000_000
    );

    // The counting core alone, one core, no reads: 16 of the files back to back in memory.
    let text: Vec<u8> = files
        .iter()
        .take(16)
        .flat_map(|f| std::fs::read(&f.path).expect("read"))
        .collect();
    let mut g = c.benchmark_group("logs_count_in_memory_one_core");
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::BytesDecimal(text.len() as u64));
    let mut buf = Vec::new();
    // Per core from this thread's CPU time, which a busy machine does not inflate.
    let cpu0 = parlab::trace::thread_cpu_ns();
    for _ in 0..20 {
        let r = count::count_levels(&text[..], &mut buf, count::BLOCK, &cancel, |_| {});
        assert!(r.0.is_ok(), "count");
    }
    let cpu_s = (parlab::trace::thread_cpu_ns() - cpu0) as f64 / 1e9;
    println!(
        "logs: counting core alone {:.0} MB/s per core (20 x {} MB in {cpu_s:.3} s of CPU)",
        20.0 * text.len() as f64 / 1e6 / cpu_s,
        text.len() / 1_000_000
    );
    g.bench_function("count_levels", |b| {
        b.iter(|| {
            count::count_levels(&text[..], &mut buf, count::BLOCK, &cancel, |_| {})
                .0
                .is_ok()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
