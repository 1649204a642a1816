//! What a pipe-lesson pass reports: round-trip percentiles, bulk throughput, a note, and the
//! digest of everything that crossed the connection.

use super::{Measured, Plan};
use crate::engine::{Digest, Metric, Outcome, median};

/// The pass's figures and note, and the digest of what crossed the connection.
pub(super) fn outcome(sequential: bool, plan: Plan, m: &Measured) -> Outcome {
    let mut metrics = rtt_metrics(&m.rtts);
    let rate = mb_per_s(plan.size, m.bulk_ns);
    if plan.size > 0 {
        let name = if sequential {
            "hashing in memory"
        } else {
            "bulk throughput"
        };
        metrics.push(Metric::new(name, rate, "MB/s"));
    }
    metrics.push(Metric::new("message size", plan.msg as f64, "B"));
    let note = (!sequential && plan.size > 0).then(|| {
        let med = median(&m.rtts.iter().map(|&t| t as f64 / 1e3).collect::<Vec<_>>());
        format!(
            "{} round trips of {} B took {med:.1} µs each (median); {:.1} MB streamed at \
             {rate:.0} MB/s arrived intact (digest checked)",
            m.rtts.len(),
            plan.msg,
            plan.size as f64 / 1e6
        )
    });
    let mut d = Digest::new();
    d.push(m.echo);
    d.push(m.bulk);
    d.push(m.bulk_bytes);
    Outcome {
        mismatch: None,
        workers: None,
        digest: d.value(),
        items: plan.rounds + plan.bulk_msgs(),
        metrics,
        note,
        timed: Some(m.window),
    }
}

/// Round trips as metrics: median and p99 in µs.
fn rtt_metrics(rtts: &[u64]) -> Vec<Metric> {
    if rtts.is_empty() {
        return Vec::new();
    }
    let mut v = rtts.to_vec();
    v.sort_unstable();
    let p99 = v[((v.len() * 99).div_ceil(100)).saturating_sub(1)];
    let us: Vec<f64> = v.iter().map(|&t| t as f64 / 1e3).collect();
    vec![
        Metric::new("round trip, median", median(&us), "µs"),
        Metric::new("round trip, p99", p99 as f64 / 1e3, "µs"),
        Metric::new("round trips", v.len() as f64, ""),
    ]
}

fn mb_per_s(bytes: u64, ns: u64) -> f64 {
    bytes as f64 / (ns.max(1) as f64 / 1e9) / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtt_percentiles() {
        let rtts: Vec<u64> = (1..=100).map(|i| i * 1000).collect();
        let m = rtt_metrics(&rtts);
        assert_eq!(m[0].value, 50.5);
        assert_eq!(m[1].value, 99.0);
    }
}
