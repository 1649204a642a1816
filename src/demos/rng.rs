//! Seeded synthetic data shared by several demos: the same seed gives the same images, records
//! and latencies on every machine, so every parallel answer can be checked.

/// Seed of the synthetic dataset that the memory blow-up and debugging demos "read".
const DATASET_SEED: u64 = 0x005E_ED0F_DA7A;

/// SplitMix64: a tiny, fast, well-mixed PRNG step, enough for synthetic data.
#[inline]
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A seeded stream of pseudo-random numbers (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A stream determined by `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(splitmix64(seed))
    }

    /// The current state: a number fixed by the seed and how far the stream has gone.
    pub fn state(&self) -> u64 {
        self.0
    }

    /// The next number.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix64(self.0)
    }

    /// A number in `0..n` (n > 0).
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }
}

/// Record `i` of the synthetic dataset: "reading" one record.
#[inline]
pub fn record(i: u64) -> u64 {
    splitmix64(DATASET_SEED ^ i)
}
