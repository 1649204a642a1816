//! The observer's own cost: the CPU time of the observer's thread over wall time while it
//! samples a program of 64 sleeping threads every 20 ms (the `parlab watch` default), the way
//! before (every file opened, read and closed at every reading, every thread every time) and
//! now (files kept open, sleeping threads every 4th reading), side by side in one run.
//! Target: at most 2% of one core. Run: `cargo bench --bench observe` (needs `python3`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot run stops with its reason

use std::time::{Duration, Instant};

use crossbeam_channel::unbounded;
use parlab::engine::CancelToken;
use parlab::observe::{Reading, WatchOptions, watch};
use parlab::platform::{process_cpu_ns, thread_cpu_ns};

/// The target: share of one core.
const TARGET: f64 = 0.02;
/// How long the watched program lives, s.
const SECONDS: u32 = 4;

/// One watch's cost: the observer thread's CPU, parlab's whole CPU (the output drain and
/// pipe readers too), wall time, threads seen.
struct Cost {
    thread_ns: u64,
    process_ns: u64,
    wall: Duration,
    threads: usize,
}

fn measure(reading: Reading) -> Option<Cost> {
    let program = format!(
        "import threading, time\n\
         ts = [threading.Thread(target=time.sleep, args=({SECONDS},)) for _ in range(63)]\n\
         [t.start() for t in ts]\n[t.join() for t in ts]\n"
    );
    let opts = WatchOptions {
        cmd: vec!["python3".into(), "-c".into(), program],
        interval: Duration::from_millis(20),
        stdin: false,
        echo: false,
        reading,
    };
    let (tx, rx) = unbounded();
    let (stx, srx) = unbounded();
    // Drained on another thread, as the dashboard or the report would.
    let drain = std::thread::spawn(move || {
        while rx.recv().is_ok() {
            while srx.try_recv().is_ok() {}
        }
    });
    let (cpu0, own0, t0) = (process_cpu_ns(), thread_cpu_ns(), Instant::now());
    let w = match watch(&opts, &tx, &stx, &CancelToken::new()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("observe bench skipped: {e}");
            return None;
        }
    };
    let cost = Cost {
        thread_ns: thread_cpu_ns() - own0,
        process_ns: process_cpu_ns() - cpu0,
        wall: t0.elapsed(),
        threads: w.tracker.threads.len(),
    };
    drop((tx, stx));
    drain.join().unwrap();
    Some(cost)
}

fn share(ns: u64, wall: Duration) -> f64 {
    ns as f64 / wall.as_nanos() as f64
}

fn main() {
    let mut now_share = None;
    for (label, reading) in [
        ("before (open/read/close, all threads)", Reading::Plain),
        ("now (kept open, sleepers every 4th)", Reading::Frugal),
    ] {
        let Some(c) = measure(reading) else { return };
        let s = share(c.thread_ns, c.wall);
        println!(
            "observer cost {label:<38}: {:.2}% of one core ({:.0} ms CPU over {:.2} s; whole parlab {:.2}%) watching {} threads every 20 ms",
            100.0 * s,
            c.thread_ns as f64 / 1e6,
            c.wall.as_secs_f64(),
            100.0 * share(c.process_ns, c.wall),
            c.threads,
        );
        now_share = Some(s);
    }
    if let Some(s) = now_share {
        println!(
            "observer cost target <= {:.0}%: {}",
            100.0 * TARGET,
            if s <= TARGET { "met" } else { "ABOVE TARGET" }
        );
    }
}
