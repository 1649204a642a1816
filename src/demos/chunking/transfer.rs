//! What one transfer of the chunking lesson moved and how fast, and the figures and digest a
//! pass reports from its transfers.

use crate::engine::{Digest, Metric};

/// One transfer of `n` numbers at one batch size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Transfer {
    /// Sum of squares the consumers computed.
    pub sum: u64,
    /// Numbers they received.
    pub items: u64,
    /// Messages sent.
    pub messages: u64,
    /// Bytes written to pipes (0 for the channel).
    pub bytes: u64,
    /// From the first send to the last consumer's answer, ns.
    pub ns: u64,
}

impl Transfer {
    /// Numbers per second, in millions.
    pub fn m_items_per_s(&self) -> f64 {
        if self.ns == 0 {
            0.0
        } else {
            self.items as f64 * 1e3 / self.ns as f64
        }
    }
}

/// A consumer's total.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Part {
    pub(super) sum: u64,
    pub(super) items: u64,
}

/// The answer's digest: the first transfer's sum, and any that disagrees with it.
pub(super) fn digest_of(sums: &[u64]) -> u64 {
    let mut d = Digest::new();
    if let Some(&first) = sums.first() {
        d.push(first);
        // A sweep point that disagrees with the first makes the digest differ.
        for &s in &sums[1..] {
            if s != first {
                d.push(s);
            }
        }
    }
    d.value()
}

/// Throughput, messages and time per message of one transfer (and bytes, for the pipes).
pub(super) fn transfer_metrics(t: &Transfer, pipe: bool) -> Vec<Metric> {
    let per_message = if t.messages == 0 {
        0.0
    } else {
        t.ns as f64 / t.messages as f64 / 1e3
    };
    let mut m = vec![
        Metric::new("throughput", t.m_items_per_s(), "M items/s"),
        Metric::new("messages", t.messages as f64, ""),
        Metric::new("time per message", per_message, "µs"),
    ];
    if pipe {
        m.push(Metric::new(
            "bytes through the pipes",
            t.bytes as f64 / 1e6,
            "MB",
        ));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_flags_a_disagreeing_sweep_point() {
        assert_eq!(digest_of(&[5, 5, 5]), digest_of(&[5]));
        assert_ne!(digest_of(&[5, 6, 5]), digest_of(&[5]));
    }
}
