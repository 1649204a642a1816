//! The sum of a costly function over 0..SIZE: to be spread over all cores.

/// A costly function: a few hundred nanoseconds of mixing per number.
fn costly(i: u64, seed: u64) -> u64 {
    let mut x = i ^ seed;
    for _ in 0..64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x % 1000
}

/// The worker count: `PARLAB_WORKERS`, else the machine's cores.
fn workers() -> u64 {
    std::env::var("PARLAB_WORKERS")
        .ok()
        .and_then(|w| w.parse().ok())
        .filter(|&w| w > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() as u64))
}

/// The sum of `costly` over `range`.
fn sum(range: std::ops::Range<u64>, seed: u64) -> u64 {
    range.map(|i| costly(i, seed)).sum()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args[1].parse().unwrap();
    let size: u64 = args[2].parse().unwrap();
    let workers = workers();
    // TODO(parlab): this runs on one thread. Split 0..size into `workers` ranges, sum each on
    // a thread of its own (std::thread::scope), and add the partial sums.
    let _ = workers;
    let total = sum(0..size, seed);
    println!("sum {total}");
}
