//! What a start-methods pass measured, in metrics and one sentence.

use super::Variant;
use super::launch::Started;
use crate::engine::{Metric, median};

/// Metrics and the sentence for one pass of `n` tasks of `items` items on `workers` launchers.
pub(super) fn describe(
    variant: Variant,
    workers: usize,
    results: &[Started],
    n: u64,
    items: u64,
) -> (Vec<Metric>, String) {
    let med = |f: &dyn Fn(&Started) -> u64| {
        let xs: Vec<f64> = results.iter().map(|r| f(r) as f64).collect();
        median(&xs)
    };
    let teardown = med(&|r| r.teardown_ns);
    let up = med(&|r| r.startup_ns);
    match variant {
        Variant::Threads => (
            vec![
                Metric::new("start-ups", n as f64, ""),
                Metric::new("thread start-up (spawn to running), median", up / 1e3, "µs"),
                Metric::new("thread exit + join, median", teardown / 1e3, "µs"),
            ],
            format!(
                "{n} fresh threads on {workers} launchers: a thread starts in {:.0} µs and \
                 exits + joins in {:.0} µs (median); it shares parlab's memory",
                up / 1e3,
                teardown / 1e3
            ),
        ),
        Variant::Processes => {
            let rss = med(&|r| r.rss) / 1e6;
            (
                vec![
                    Metric::new("start-ups", n as f64, ""),
                    Metric::new(
                        "process start-up (spawn to running), median",
                        up / 1e6,
                        "ms",
                    ),
                    Metric::new("process exit + reap, median", teardown / 1e6, "ms"),
                    Metric::new("child peak memory (VmHWM), median", rss, "MB"),
                ],
                format!(
                    "{n} re-executed parlab children on {workers} launchers: a child starts in \
                     {:.2} ms, exits and is reaped in {:.2} ms (median), and has its own \
                     {rss:.1} MB of resident memory",
                    up / 1e6,
                    teardown / 1e6
                ),
            )
        }
        Variant::Sequential => (
            vec![Metric::new("start-ups", 0.0, "")],
            format!(
                "{n} tasks of {items} heavy items each in a plain loop: no worker to start, \
                 so this is the work alone"
            ),
        ),
    }
}
