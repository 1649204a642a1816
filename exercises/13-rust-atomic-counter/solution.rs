//! Count the numbers in 0..SIZE that a cheap test picks, on all cores, into one shared counter
//! with one atomic addition per worker.

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
    // Counted locally, added once: one atomic step per worker instead of one per number.
    let mine = range.filter(|&i| picked(i, seed)).count() as u64;
    counter.fetch_add(mine, Ordering::Relaxed);
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
