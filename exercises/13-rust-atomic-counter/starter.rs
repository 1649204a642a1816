//! Count the numbers in 0..SIZE that a cheap test picks, on all cores, into one shared counter.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};

/// The test: about one number in three passes.
fn picked(i: u64, seed: u64) -> bool {
    (i ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 62 == 1 || i % 7 == 0
}

/// The worker count: `PARLAB_WORKERS`, else the machine's cores (at least 2, to show the race).
fn workers() -> u64 {
    std::env::var("PARLAB_WORKERS")
        .ok()
        .and_then(|w| w.parse().ok())
        .filter(|&w| w > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() as u64))
        .max(2)
}

/// Counts the picked numbers of `range` into `counter`.
fn count_into(counter: &AtomicU64, range: std::ops::Range<u64>, seed: u64) {
    for i in range {
        let hit = u64::from(picked(i, seed));
        // TODO(parlab): a load and then a store are two steps: another thread can store in
        // between, and its counts are lost. Make the addition one atomic step (or count in a
        // local variable and add it once at the end).
        let seen = counter.load(Ordering::Relaxed);
        // (black_box keeps the compiler from fusing the two steps into one instruction; that
        // would still race between cores, only less visibly.)
        counter.store(std::hint::black_box(seen + hit), Ordering::Relaxed);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args[1].parse().unwrap();
    let size: u64 = args[2].parse().unwrap();
    let workers = workers();
    let counter = AtomicU64::new(0);
    // Every worker starts counting at the same moment.
    let start = Barrier::new(workers as usize);
    let per = size / workers;
    std::thread::scope(|s| {
        for w in 0..workers {
            let end = if w + 1 == workers { size } else { (w + 1) * per };
            let (counter, start) = (&counter, &start);
            s.spawn(move || {
                start.wait();
                count_into(counter, w * per..end, seed);
            });
        }
    });
    println!("count {}", counter.load(Ordering::Relaxed));
}
