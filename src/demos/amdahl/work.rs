//! The two parts of the Amdahl job: a serial hash chain, and independent items that need the
//! chain's result, run in a loop or on the fixed pool.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::demos::kernels::{self, CANCEL_EVERY};
use crate::demos::workpool;
use crate::engine::{Ctx, DemoError};
use crate::trace::Phase;

/// Items of the serial chain per span (and between cancel checks, via the kernel's rule).
const SERIAL_SPAN: u64 = 4096;

/// The serial part: a chain where step k needs step k − 1. Records one span per
/// [`SERIAL_SPAN`] items on worker 0; `None` when cancelled.
pub(super) fn serial_chain(ctx: &Ctx<'_>, items: u64) -> Option<u64> {
    let mut h = 0x00A3_DA41_u64;
    let mut k = 0;
    while k < items {
        let to = (k + SERIAL_SPAN).min(items);
        let s = ctx.trace.start();
        for i in k..to {
            if i % CANCEL_EVERY == 0 && ctx.cancel.is_cancelled() {
                return None;
            }
            h = kernels::mix(h ^ i);
        }
        ctx.trace.end(0, s, Phase::Compute, to - k, 0);
        ctx.progress.add(to - k);
        k = to;
    }
    Some(h)
}

/// One item of the parallel part: independent of every other, but it needs the chain's result.
#[inline]
fn parallel_item(seed: u64, x: u64) -> u64 {
    kernels::mix(seed ^ x)
}

/// Sum of the parallel items `range`; `None` when cancelled.
fn parallel_sum(seed: u64, range: Range<u64>, cancelled: impl Fn() -> bool) -> Option<u64> {
    let mut a = 0u64;
    for x in range {
        if x % CANCEL_EVERY == 0 && cancelled() {
            return None;
        }
        a = a.wrapping_add(parallel_item(seed, x));
    }
    Some(a)
}

/// The parallel items `items` in a loop on this thread, one span per [`SERIAL_SPAN`] items.
pub(super) fn sequential_rest(
    ctx: &Ctx<'_>,
    seed: u64,
    items: Range<u64>,
) -> Result<u64, DemoError> {
    let mut a = 0u64;
    let mut x = items.start;
    while x < items.end {
        let to = (x + SERIAL_SPAN).min(items.end);
        let s = ctx.trace.start();
        let part =
            parallel_sum(seed, x..to, || ctx.cancel.is_cancelled()).ok_or(DemoError::Cancelled)?;
        ctx.trace.end(0, s, Phase::Compute, to - x, 0);
        ctx.progress.add(to - x);
        a = a.wrapping_add(part);
        x = to;
    }
    Ok(a)
}

/// The parallel items `items` on the fixed pool, in tasks of `chunk` items.
pub(super) fn parallel_rest(
    ctx: &Ctx<'_>,
    seed: u64,
    items: Range<u64>,
    chunk: u64,
) -> Result<u64, DemoError> {
    let first = items.start;
    let sum = AtomicU64::new(0);
    // The pool counts progress over its own 0..len: the bar restarts for this part.
    ctx.progress.reset();
    workpool::map_chunks(
        ctx,
        items.end - first,
        chunk,
        |r, cancel| {
            parallel_sum(seed, r.start + first..r.end + first, || {
                cancel.is_cancelled()
            })
        },
        |_, part| {
            sum.fetch_add(part, Ordering::Relaxed);
        },
    )?;
    Ok(sum.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_sum_adds_up_to_the_whole() {
        let whole = parallel_sum(7, 0..10_000, || false).unwrap();
        let a = parallel_sum(7, 0..3_333, || false).unwrap();
        let b = parallel_sum(7, 3_333..10_000, || false).unwrap();
        assert_eq!(a.wrapping_add(b), whole);
        assert_eq!(parallel_sum(7, 0..10, || true), None);
    }
}
