//! Per-item work shared by several demos, so "trivial" and "heavy" mean the same everywhere.

use std::ops::Range;

use crate::engine::CancelToken;

/// Rounds of mixing in one heavy item: about 1 µs of real CPU work on a 2020s core.
pub const HEAVY_ROUNDS: u32 = 600;

/// Items between cancel checks inside a kernel (well under a millisecond of heavy work).
pub const CANCEL_EVERY: u64 = 256;

crate::param_choice! {
    /// How much work each item takes.
    pub enum Work {
        /// One multiplication: moving the item costs more than computing it.
        Trivial = "trivial",
        /// [`HEAVY_ROUNDS`] rounds of a hash, then the square.
        Heavy = "heavy",
    }
}

/// The `work` parameter's help, one text for every demo that takes it.
pub const WORK_HELP: &str =
    "per-item cost: trivial (one multiply) or heavy (about 1 µs of hashing per item)";

/// The `work` parameter's declaration with `default` (demos about overheads start heavy).
pub fn work_decl(default: Work) -> crate::engine::typed::Decl {
    crate::engine::choice(default, WORK_HELP)
}

/// The heavy part of an item: a hash chain whose result is folded into the answer, so the
/// compiler cannot drop it and a wrong parallel split would change the digest.
#[inline]
pub fn mix(x: u64) -> u64 {
    let mut h = x ^ 0x2545_F491_4F6C_DD1D;
    for _ in 0..HEAVY_ROUNDS {
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 29;
    }
    h
}

/// One item: the square of `x`, plus the hash chain for heavy work.
#[inline]
pub fn item(x: u64, work: Work) -> u64 {
    let sq = x.wrapping_mul(x);
    match work {
        Work::Trivial => sq,
        Work::Heavy => sq ^ (mix(x) & 0xFF),
    }
}

/// Squares the numbers of `range` (1-based values) into `out`; `None` if cancelled.
pub fn square_into(
    range: Range<u64>,
    work: Work,
    out: &mut [u64],
    cancel: &CancelToken,
) -> Option<()> {
    let mut x = range.start;
    for chunk in out.chunks_mut(CANCEL_EVERY as usize) {
        if work == Work::Heavy && cancel.is_cancelled() {
            return None;
        }
        for slot in chunk {
            *slot = item(x, work);
            x += 1;
        }
    }
    if cancel.is_cancelled() {
        None
    } else {
        Some(())
    }
}

/// Default chunk size of Python's `Pool.map`: ceil(n / (4 × workers)), at least 1.
pub fn python_chunk(n: u64, workers: usize) -> u64 {
    let w = 4 * workers.max(1) as u64;
    n.div_ceil(w).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_rule() {
        assert_eq!(python_chunk(1_000_000, 2), 125_000);
        assert_eq!(python_chunk(10, 4), 1);
        assert_eq!(python_chunk(0, 4), 1);
        assert_eq!(python_chunk(17, 2), 3);
    }

    #[test]
    fn trivial_is_the_square() {
        let mut out = [0u64; 4];
        square_into(1..5, Work::Trivial, &mut out, &CancelToken::new()).unwrap();
        assert_eq!(out, [1, 4, 9, 16]);
    }

    #[test]
    fn cancelled_kernel_stops() {
        let c = CancelToken::new();
        c.cancel();
        let mut out = vec![0u64; 10_000];
        assert!(square_into(1..10_001, Work::Heavy, &mut out, &c).is_none());
    }
}
