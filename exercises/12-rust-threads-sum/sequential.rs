//! Sequential version: the sum of a costly function over 0..SIZE, on one thread.

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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args[1].parse().unwrap();
    let size: u64 = args[2].parse().unwrap();
    let mut total = 0u64;
    for i in 0..size {
        total += costly(i, seed);
    }
    println!("sum {total}");
}
