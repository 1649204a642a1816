//! Bulk throughput of lesson 5's pipe to a child process (1 MiB messages, framed, checksummed
//! by the child) against a plain bulk copy through an OS pipe between two threads (1 MiB
//! writes, reads that only count bytes). Target: parlab's pipe reaches at least 50% of the
//! plain copy. The ratio is printed at the end.

#![allow(clippy::expect_used)] // a benchmark that cannot run should stop with its reason

use std::cell::Cell;
use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};

/// Message size under test.
const MSG: usize = 1 << 20;
/// Bytes per transfer.
const TOTAL: u64 = 64 << 20;

/// One plain copy of [`TOTAL`] bytes through an OS pipe: writer thread, reading thread.
fn plain_copy() -> Duration {
    let (mut r, mut w) = parlab::platform::pipe().expect("pipe");
    let data = vec![7u8; MSG];
    let t0 = Instant::now();
    let writer = std::thread::spawn(move || {
        for _ in 0..TOTAL / MSG as u64 {
            w.write_all(&data).expect("write");
        }
    });
    let mut buf = vec![0u8; MSG];
    let mut got = 0u64;
    loop {
        let n = r.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        got += n as u64;
    }
    writer.join().expect("writer");
    assert_eq!(got, TOTAL);
    t0.elapsed()
}

/// One transfer through parlab's pipe to a child process, start-up excluded.
fn parlab_pipe() -> Duration {
    let (_, t) = parlab::demos::pipe::bulk_to_child(MSG, TOTAL).expect("pipe to child");
    t
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    let plain = Cell::new((0u64, Duration::ZERO));
    let ours = Cell::new((0u64, Duration::ZERO));
    {
        let mut g = c.benchmark_group("pipe_bulk_1MiB");
        g.throughput(Throughput::Bytes(TOTAL));
        for (name, f, acc) in [
            ("plain_os_pipe", plain_copy as fn() -> Duration, &plain),
            ("parlab_pipe_to_child", parlab_pipe, &ours),
        ] {
            g.bench_function(name, |b| {
                b.iter_custom(|iters| {
                    let mut t = Duration::ZERO;
                    for _ in 0..iters {
                        t += f();
                    }
                    let (n, d) = acc.get();
                    acc.set((n + iters, d + t));
                    t
                })
            });
        }
        g.finish();
    }
    let rate = |(n, d): (u64, Duration)| (n * TOTAL) as f64 / d.as_secs_f64().max(1e-9) / 1e6;
    let (p, o) = (rate(plain.get()), rate(ours.get()));
    if p > 0.0 {
        println!(
            "pipe bulk, 1 MiB messages: plain OS pipe {p:.0} MB/s, parlab pipe to a child \
             {o:.0} MB/s: ratio {:.2} (target >= 0.50)",
            o / p
        );
    }
    c.final_summary();
}
