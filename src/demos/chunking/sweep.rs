//! The sweep variants: the same transfer at every batch size of [`SWEEP`], the throughput of
//! each, and the knee: the smallest batch that gets close to the best.

use super::channel::through_channel;
use super::pipes::{finish, spawn_children, through_pipes};
use crate::child::ChildProcess;
use crate::engine::{Ctx, DemoError, Metric, Progress, median};
use crate::trace::now_ns;

/// Batch sizes of the sweep variants.
pub const SWEEP: [u64; 11] = [
    1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000,
];
/// A sweep point repeats its transfer until it has run this long (median kept)...
const POINT_MIN_NS: u64 = 20_000_000;
/// ...or this many times.
const POINT_MAX_REPEATS: usize = 25;
/// Share of the best throughput that counts as "reached the knee".
const KNEE: f64 = 0.9;

/// What a sweep found: a metric per batch size and the knee's, a note, every transfer's sum.
pub(super) struct Swept {
    pub(super) metrics: Vec<Metric>,
    pub(super) note: Option<String>,
    pub(super) sums: Vec<u64>,
}

/// Sweeps the pipes (`pipe`) or the channel over every batch size of [`SWEEP`].
pub(super) fn sweep(ctx: &Ctx<'_>, n: u64, pipe: bool) -> Result<Swept, DemoError> {
    ctx.progress.set_total(n * SWEEP.len() as u64);
    let mut kids = if pipe {
        spawn_children(ctx, n)?
    } else {
        Vec::new()
    };
    let mut metrics = Vec::new();
    let mut points = Vec::new();
    let mut sums = Vec::new();
    for b in SWEEP {
        let m = point(ctx, &mut kids, pipe, n, b, &mut sums)?;
        metrics.push(Metric::new(format!("batch {b}"), m, "M items/s"));
        points.push((b, m));
    }
    finish(ctx, kids)?;
    let note = knee_metrics(&points, pipe, &mut metrics);
    Ok(Swept {
        metrics,
        note,
        sums,
    })
}

/// One sweep point: repeats short transfers at batch size `b` (a batch of 100000 is two
/// messages) and keeps the median throughput, so one hiccup of the machine does not make or
/// break a point. Every transfer's sum goes to `sums`.
fn point(
    ctx: &Ctx<'_>,
    kids: &mut [ChildProcess],
    pipe: bool,
    n: u64,
    b: u64,
    sums: &mut Vec<u64>,
) -> Result<f64, DemoError> {
    let quiet = Progress::default();
    let mut thr = Vec::new();
    let t_point = now_ns();
    loop {
        // Only the first transfer of a point counts towards progress.
        let c = Ctx {
            progress: if thr.is_empty() { ctx.progress } else { &quiet },
            ..*ctx
        };
        let t = if pipe {
            through_pipes(&c, kids, n, b)?
        } else {
            through_channel(&c, n, b)?
        };
        thr.push(t.m_items_per_s());
        sums.push(t.sum);
        let spent = now_ns() - t_point;
        let more = spent < POINT_MIN_NS || (thr.len() < 3 && spent < 5 * POINT_MIN_NS);
        if !more || thr.len() >= POINT_MAX_REPEATS {
            return Ok(median(&thr));
        }
    }
}

/// Adds the knee's metrics to `metrics`; the note comparing batched with one per message.
fn knee_metrics(points: &[(u64, f64)], pipe: bool, metrics: &mut Vec<Metric>) -> Option<String> {
    let (knee, best) = knee(points)?;
    let per_item = points[0].1;
    let best_thr = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let ratio = if per_item > 0.0 {
        best_thr / per_item
    } else {
        0.0
    };
    metrics.push(Metric::new(
        "knee: smallest batch within 90% of the best",
        knee as f64,
        "items",
    ));
    metrics.push(Metric::new("best batch", best as f64, "items"));
    metrics.push(Metric::new("best vs one item per message", ratio, "x"));
    if let Some(p) = points.iter().find(|p| p.0 == 1000)
        && per_item > 0.0
    {
        metrics.push(Metric::new(
            "batch 1000 vs one item per message (Python: 49.5x)",
            p.1 / per_item,
            "x",
        ));
    }
    Some(format!(
        "{}: {per_item:.2} M items/s one per message, {best_thr:.1} M items/s at batch {best} ({ratio:.0}x); batches of {knee} already reach 90% of that (Python's queue: 49.5x for lists of 1000)",
        if pipe { "pipes" } else { "channel" }
    ))
}

/// The smallest batch size reaching [`KNEE`] of the best throughput, and the best one.
pub fn knee(points: &[(u64, f64)]) -> Option<(u64, u64)> {
    let best = points.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let knee = points
        .iter()
        .find(|p| p.1 >= KNEE * best.1)
        .map_or(best.0, |p| p.0);
    Some((knee, best.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_knee_is_the_smallest_batch_near_the_best() {
        let pts = [(1, 1.0), (10, 8.0), (100, 9.5), (1000, 10.0), (10_000, 9.8)];
        assert_eq!(knee(&pts), Some((100, 1000)));
        assert_eq!(knee(&[]), None);
    }
}
