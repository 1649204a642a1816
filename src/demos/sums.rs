//! The job of the process and queue lessons: sum the per-item kernel over a share of
//! 1..=size, with regular slices for spans and progress, and the answer's digest.
//!
//! Why here: both lessons (and their child processes) compute the same sum and must agree on
//! it with the plain loop, so the loop and the digest have one home.

use std::ops::Range;

use super::kernels::{self, Work};
use crate::engine::Digest;
use crate::trace::now_ns;

/// Items between clock reads (and stop checks) inside a share.
const CHUNK: u64 = 256;
/// A slice (one span) covers about this much time, so spans are neither tiny nor too few.
const SLICE_NS: u64 = 2_000_000;

/// The answer: a digest of the wrapping sum of every item and how many there were.
pub fn sum_digest(sum: u64, count: u64) -> u64 {
    let mut d = Digest::new();
    d.push(sum);
    d.push(count);
    d.value()
}

/// Sums the kernel over `range` (index i stands for the number i + 1), calling `slice(items)`
/// about every 2 ms and at the end. `None` when `stop()` said so.
pub fn sum_share(
    range: Range<u64>,
    work: Work,
    stop: impl Fn() -> bool,
    mut slice: impl FnMut(u64),
) -> Option<u64> {
    let mut sum = 0u64;
    let mut i = range.start;
    let mut items = 0;
    let mut t = now_ns();
    while i < range.end {
        if stop() {
            return None;
        }
        let end = (i + CHUNK).min(range.end);
        for x in i..end {
            sum = sum.wrapping_add(kernels::item(x + 1, work));
        }
        items += end - i;
        i = end;
        let now = now_ns();
        if now - t >= SLICE_NS || i == range.end {
            slice(items);
            items = 0;
            t = now;
        }
    }
    Some(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_the_whole() {
        let whole = sum_share(0..1009, Work::Heavy, || false, |_| {});
        let a = sum_share(0..500, Work::Heavy, || false, |_| {});
        let b = sum_share(500..1009, Work::Heavy, || false, |_| {});
        assert_eq!(whole, a.zip(b).map(|(a, b)| a.wrapping_add(b)));
        let mut seen = 0;
        sum_share(0..1009, Work::Trivial, || false, |k| seen += k);
        assert_eq!(seen, 1009);
        assert_eq!(sum_share(0..10, Work::Trivial, || true, |_| {}), None);
    }
}
