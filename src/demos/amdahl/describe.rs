//! What an Amdahl pass measured, in metrics and one sentence.

use super::{Params, Times, Variant, serial_items};
use crate::engine::Metric;
use crate::report::sweep::amdahl_speedup;

/// Metrics and the sentence for one pass on `workers` workers.
pub(super) fn describe(
    variant: Variant,
    p: &Params,
    workers: usize,
    t: Times,
) -> (Vec<Metric>, String) {
    let (n, percent) = (p.size, p.serial);
    let s_items = serial_items(n, percent);
    let p_items = n - s_items;
    let f = percent as f64 / 100.0;
    let serial_ms = (t.t1 - t.t0) as f64 / 1e6;
    let parallel_ms = (t.t2 - t.t1) as f64 / 1e6;
    let share = if t.t2 > t.t0 {
        100.0 * (t.t1 - t.t0) as f64 / (t.t2 - t.t0) as f64
    } else {
        0.0
    };
    let mut metrics = vec![
        Metric::new("configured serial fraction", percent as f64, "%"),
        Metric::new("serial part", serial_ms, "ms"),
        Metric::new("parallel part", parallel_ms, "ms"),
        Metric::new("serial share of this pass", share, "%"),
    ];
    let note = match variant {
        Variant::Sequential => format!(
            "serial part {serial_ms:.1} ms = {share:.1}% of this pass (configured {percent}% \
             of the items); Amdahl's law caps any speedup at {}",
            if percent == 0 {
                "nothing: no part is serial".to_string()
            } else {
                format!("{:.1}x", 1.0 / f)
            }
        ),
        Variant::Parallel => {
            let limit = amdahl_speedup(f, workers as f64);
            metrics.push(Metric::new(
                format!("Amdahl's limit at {workers} workers"),
                limit,
                "x",
            ));
            format!(
                "{s_items} serial items took {serial_ms:.1} ms on one thread, {p_items} parallel \
                 items {parallel_ms:.1} ms on {workers} workers; with {percent}% serial, Amdahl's \
                 law allows at most {limit:.2}x on {workers} workers"
            )
        }
    };
    (metrics, note)
}
