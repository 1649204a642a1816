//! Compute a value for every item 0..SIZE on one thread and print the digest: the right answer.
//!
//! Usage: sequential SEED SIZE DIR   (DIR is unused)

/// The same work per item as the parallel versions: about i * i steps.
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (seed, size) = (arg(&args, 1, "SEED"), arg(&args, 2, "SIZE"));
    let values: Vec<u64> = (0..size).map(|i| work(seed, i)).collect();
    let digest = values
        .iter()
        .fold(0u64, |d, v| d.wrapping_mul(1_000_003).wrapping_add(*v));
    println!("items: {size}");
    println!("digest: {digest}");
    println!("last: {}", values.last().copied().unwrap_or(0));
}
