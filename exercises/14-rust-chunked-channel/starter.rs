//! Hash the numbers 0..SIZE on all cores and summarize the results: their wrapping sum and how
//! many fall in each eighth of the u64 range. Workers send their results to the main thread
//! over a std::sync::mpsc channel.
//!
//! Usage: starter SEED SIZE DIR   (DIR is unused)

use std::sync::mpsc;
use std::thread;

/// Items per chunk: worker k takes chunks k, k + W, k + 2W, ...
const CHUNK: u64 = 10_000;

/// Sixteen rounds of multiply and xor-shift: about ten nanoseconds, less than one message.
fn work(seed: u64, i: u64) -> u64 {
    let mut x = seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for _ in 0..16 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x ^= x >> 29;
    }
    x
}

/// The answer: a wrapping sum and a histogram by the top three bits. Adding results in any
/// order gives the same summary, so workers may finish in any order.
#[derive(Default)]
struct Summary {
    sum: u64,
    eighths: [u64; 8],
}

impl Summary {
    fn add(&mut self, v: u64) {
        self.sum = self.sum.wrapping_add(v);
        self.eighths[(v >> 61) as usize] += 1;
    }

    #[allow(dead_code)]
    fn merge(&mut self, other: &Summary) {
        self.sum = self.sum.wrapping_add(other.sum);
        for (mine, theirs) in self.eighths.iter_mut().zip(other.eighths) {
            *mine += theirs;
        }
    }
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
    let w = workers();
    let mut total = Summary::default();
    // A bounded channel: a sender waits when 1024 messages are queued.
    let (tx, rx) = mpsc::sync_channel::<u64>(1024);
    thread::scope(|s| {
        for k in 0..w as u64 {
            let tx = tx.clone();
            s.spawn(move || {
                let mut start = k * CHUNK;
                while start < size {
                    let end = (start + CHUNK).min(size);
                    // TODO(parlab): one message per item: every send (and every receive in
                    // the main thread) costs far more than work() itself. Summarize the chunk
                    // here and send one Summary per chunk instead (change the channel's type).
                    for i in start..end {
                        if tx.send(work(seed, i)).is_err() {
                            return;
                        }
                    }
                    start += w as u64 * CHUNK;
                }
            });
        }
        drop(tx); // the loop below ends when every worker's sender is gone
        for v in rx {
            total.add(v);
        }
    });
    println!("items: {size}");
    println!("sum: {}", total.sum);
    for (i, n) in total.eighths.iter().enumerate() {
        println!("eighth {i}: {n}");
    }
}
