//! What processing the records yields (a histogram and a sum, the same whichever way the
//! records arrive), and the exact count of bytes the workers' buffers hold.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::engine::{Digest, Live};

/// Histogram buckets.
const BUCKETS: usize = 16;

/// What processing yields: a histogram of the records' top bits and the sum of their low bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Records per bucket.
    pub counts: [u64; BUCKETS],
    /// Sum of the low 32 bits of every record.
    pub sum: u64,
}

impl Tally {
    /// Counts `recs` in.
    pub(super) fn add_all(&mut self, recs: &[u64]) {
        for &r in recs {
            self.counts[(r >> 60) as usize] += 1;
            self.sum = self.sum.wrapping_add(r & 0xFFFF_FFFF);
        }
    }

    /// Adds another worker's tally (order does not matter).
    pub(super) fn merge(&mut self, o: &Tally) {
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        self.sum = self.sum.wrapping_add(o.sum);
    }

    /// The digest compared with sequential.
    pub(super) fn digest(&self) -> u64 {
        let mut d = Digest::new();
        d.push_all(&self.counts);
        d.push(self.sum);
        d.value()
    }
}

/// Bytes held by the workers' record buffers right now and at most, counted exactly.
#[derive(Default)]
pub(super) struct Held {
    now: AtomicU64,
    peak: AtomicU64,
}

impl Held {
    /// A buffer of `bytes` was allocated.
    pub fn add(&self, bytes: u64, live: &Live) {
        let now = self.now.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.peak.fetch_max(now, Ordering::Relaxed);
        live.series("data held (MB)", now as f64 / 1e6);
    }

    /// A buffer of `bytes` was freed.
    pub fn sub(&self, bytes: u64, live: &Live) {
        let now = self.now.fetch_sub(bytes, Ordering::Relaxed) - bytes;
        live.series("data held (MB)", now as f64 / 1e6);
    }

    /// The most held at once, bytes.
    pub fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_merge_in_any_order() {
        let recs: Vec<u64> = (0..1000).map(crate::demos::rng::record).collect();
        let mut whole = Tally::default();
        whole.add_all(&recs);
        let (mut a, mut b) = (Tally::default(), Tally::default());
        a.add_all(&recs[..333]);
        b.add_all(&recs[333..]);
        b.merge(&a);
        assert_eq!(b, whole);
        assert_eq!(b.counts.iter().sum::<u64>(), 1000);
    }
}
