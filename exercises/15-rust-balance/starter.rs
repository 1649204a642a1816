//! Compute a value for every item 0..SIZE on all cores, then print a digest of the values in
//! item order. Item i costs about i * i steps: the last items cost far more than the first,
//! like n! in the factorials lesson.
//!
//! Usage: starter SEED SIZE DIR   (DIR is unused)

use std::thread;

/// About i * i rounds of multiply and xor-shift: the cost grows with the square of i.
fn work(seed: u64, i: u64) -> u64 {
    let mut x = seed ^ i;
    for _ in 0..i * i {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x ^= x >> 29;
    }
    x
}

fn arg(args: &[String], i: usize, name: &str) -> u64 {
    match args.get(i).map(|s| s.parse::<u64>()) {
        Some(Ok(v)) => v,
        _ => {
            eprintln!("usage: PROGRAM SEED SIZE DIR: {name} must be a whole number");
            std::process::exit(2);
        }
    }
}

fn workers() -> usize {
    match std::env::var("PARLAB_WORKERS")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
    {
        Some(w) if w > 0 => w,
        _ => thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (seed, size) = (arg(&args, 1, "SEED"), arg(&args, 2, "SIZE"));
    let n = size as usize;
    let w = workers();
    let mut values = vec![0u64; n];
    let per_worker = n.div_ceil(w);
    thread::scope(|s| {
        let handles: Vec<_> = (0..w)
            .map(|k| {
                s.spawn(move || {
                    let mut done = Vec::new();
                    // TODO(parlab): a static split: worker k gets one contiguous range, the
                    // same number of items each. But the last items cost far more, so the
                    // last worker works long after the others sit idle. Let every worker
                    // claim the next item from a shared AtomicUsize counter until none is left.
                    let (lo, hi) = ((k * per_worker).min(n), ((k + 1) * per_worker).min(n));
                    for i in lo..hi {
                        done.push((i, work(seed, i as u64)));
                    }
                    done
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(done) => {
                    for (i, v) in done {
                        values[i] = v;
                    }
                }
                Err(_) => {
                    eprintln!("a worker panicked");
                    std::process::exit(1);
                }
            }
        }
    });
    let digest = values
        .iter()
        .fold(0u64, |d, v| d.wrapping_mul(1_000_003).wrapping_add(*v));
    println!("items: {n}");
    println!("digest: {digest}");
    println!("last: {}", values.last().copied().unwrap_or(0));
}
