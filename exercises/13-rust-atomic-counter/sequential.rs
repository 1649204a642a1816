//! Sequential version: count the numbers in 0..SIZE that a cheap test picks.

/// The test: about one number in three passes.
fn picked(i: u64, seed: u64) -> bool {
    (i ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 62 == 1 || i % 7 == 0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args[1].parse().unwrap();
    let size: u64 = args[2].parse().unwrap();
    let count = (0..size).filter(|&i| picked(i, seed)).count();
    println!("count {count}");
}
