//! What a factorials pass reports: the digits, where the work lies, and how evenly the split
//! spread it over the workers.

use super::math::Fact;
use super::{BUSIEST_CPU, PYTHON_CHUNKS};
use crate::engine::Metric;

/// The share of all work (sum of measured n! CPU times) that falls into the last of `chunks`
/// equal contiguous chunks.
pub fn last_chunk_share(facts: &[Fact], chunks: usize) -> f64 {
    let total: u64 = facts.iter().map(|f| f.ns).sum();
    if total == 0 || facts.is_empty() {
        return 0.0;
    }
    let size = facts.len().div_ceil(chunks.max(1));
    let start = (chunks.max(1) - 1) * size;
    let last: u64 = facts.iter().skip(start).map(|f| f.ns).sum();
    last as f64 / total as f64
}

/// The metrics every variant reports: digits, the last chunk's share, the busiest worker.
pub(super) fn metrics(facts: &[Fact], busy: &[u64]) -> Vec<Metric> {
    let total_digits: u64 = facts.iter().map(|f| f.digits).sum();
    vec![
        Metric::new("digits of all n! together", total_digits as f64, ""),
        Metric::new(
            "work in the last of 8 equal chunks (Python's default split for 2 workers)",
            100.0 * last_chunk_share(facts, PYTHON_CHUNKS),
            "%",
        ),
        Metric::new(
            BUSIEST_CPU,
            busy.iter().copied().max().unwrap_or(0) as f64 / 1e6,
            "ms",
        ),
    ]
}

/// The reference's note: where the work lies among n = 1..=N.
pub(super) fn sequential_note(facts: &[Fact], n: u64) -> String {
    format!(
        "n! for n in 1..={n}: the last of 8 equal chunks holds {:.0}% of the work, \
         the second half {:.0}%",
        100.0 * last_chunk_share(facts, PYTHON_CHUNKS),
        100.0 * last_chunk_share(facts, 2)
    )
}

/// A parallel variant's balance metrics (appended to `metrics`) and note, for a split into
/// `chunks` chunks of `size` values.
pub(super) fn balance(metrics: &mut Vec<Metric>, busy: &[u64], chunks: u64, size: u64) -> String {
    let max = busy.iter().copied().max().unwrap_or(0) as f64;
    let mean = busy.iter().sum::<u64>() as f64 / busy.len().max(1) as f64;
    let imbalance = if mean > 0.0 { max / mean } else { 1.0 };
    let min = busy.iter().copied().min().unwrap_or(0) as f64;
    metrics.push(Metric::new(
        "imbalance (busiest worker's compute CPU time / mean)",
        imbalance,
        "x",
    ));
    metrics.push(Metric::new(
        "busiest worker's extra CPU time over the least busy",
        (max - min) / 1e6,
        "ms",
    ));
    // What this split allows on dedicated cores, whatever else the machine is doing.
    metrics.push(Metric::new(
        "best speedup this split allows (all work / busiest worker's)",
        if max > 0.0 {
            mean * busy.len() as f64 / max
        } else {
            1.0
        },
        "x",
    ));
    format!(
        "busiest worker computed {:.0}% more than the mean ({chunks} chunks of {size} values)",
        100.0 * (imbalance - 1.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_share_of_increasing_work() {
        let facts: Vec<Fact> = (1..=8)
            .map(|i| Fact {
                ns: i,
                ..Fact::default()
            })
            .collect();
        assert!((last_chunk_share(&facts, 2) - 26.0 / 36.0).abs() < 1e-9);
    }
}
