//! The observer's own cost: parlab's CPU time over wall time while it samples a program of 64
//! sleeping threads every 20 ms (the `parlab watch` default). Target: at most 2% of one core.
//! Run: `cargo bench --bench observe` (needs `python3` for the 64-thread program).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot run stops with its reason

use std::time::{Duration, Instant};

use crossbeam_channel::unbounded;
use parlab::engine::CancelToken;
use parlab::observe::{WatchOptions, watch};
use parlab::platform::process_cpu_ns;

/// The target: share of one core.
const TARGET: f64 = 0.02;
/// How long the watched program lives, s.
const SECONDS: u32 = 4;

fn main() {
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
    };
    let (tx, rx) = unbounded();
    let (stx, srx) = unbounded();
    // Drained on another thread, as the dashboard or the report would.
    let drain = std::thread::spawn(move || {
        let mut n = 0usize;
        while rx.recv().is_ok() {
            n += 1;
            while srx.try_recv().is_ok() {}
        }
        n
    });
    let (cpu0, t0) = (process_cpu_ns(), Instant::now());
    let w = match watch(&opts, &tx, &stx, &CancelToken::new()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("observe bench skipped: {e}");
            return;
        }
    };
    let (cpu, wall) = (process_cpu_ns() - cpu0, t0.elapsed());
    drop((tx, stx));
    let events = drain.join().unwrap();
    let threads = w.tracker.threads.len();
    let share = cpu as f64 / wall.as_nanos() as f64;
    println!(
        "observer cost: {:.2}% of one core ({:.0} ms CPU over {:.2} s) watching {threads} threads every 20 ms ({events} events); target <= {:.0}%",
        100.0 * share,
        cpu as f64 / 1e6,
        wall.as_secs_f64(),
        100.0 * TARGET
    );
    if share > TARGET {
        println!("ABOVE TARGET");
    }
}
