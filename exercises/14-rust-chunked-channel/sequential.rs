//! Hash the numbers 0..SIZE on one thread and summarize the results: the right answer.
//!
//! Usage: sequential SEED SIZE DIR   (DIR is unused)

/// The same work per item as the parallel versions.
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
    let mut sum = 0u64;
    let mut eighths = [0u64; 8];
    for i in 0..size {
        let v = work(seed, i);
        sum = sum.wrapping_add(v);
        eighths[(v >> 61) as usize] += 1;
    }
    println!("items: {size}");
    println!("sum: {sum}");
    for (i, n) in eighths.iter().enumerate() {
        println!("eighth {i}: {n}");
    }
}
