//! Amdahl's law: a job whose first part is inherently serial (a hash chain, each step needing
//! the one before) and whose rest is split over W workers. The `serial` parameter sets the
//! serial share of the items; `parlab sweep amdahl` then measures the speedup at each worker
//! count, fits the serial fraction by least squares and shows Karp–Flatt per point.
//!
//! Both parts run the same heavy kernel per item, so the serial share of the items is the
//! serial share of the sequential time (the pass reports both).

use std::sync::atomic::{AtomicU64, Ordering};

use super::kernels::{self, CANCEL_EVERY};
use super::workpool;
use crate::engine::{
    Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, VariantInfo,
};
use crate::report::sweep::amdahl_speedup;
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Items of the serial chain per span (and between cancel checks, via the kernel's rule).
const SERIAL_SPAN: u64 = 4096;

/// The Amdahl demo.
pub struct Amdahl {
    info: DemoInfo,
}

impl Amdahl {
    /// The demo with its declared parameters and variants.
    pub fn new() -> Amdahl {
        Amdahl {
            info: DemoInfo {
                id: "amdahl",
                title: "Amdahl's law: the serial part sets the limit",
                summary: "a tunable serial share runs on one thread, the rest on W workers; sweep it",
                params: vec![
                    ParamSpec::int(
                        "size",
                        200_000,
                        0,
                        1_000_000_000,
                        "heavy items in all (~1.5 µs each)",
                    ),
                    ParamSpec::int(
                        "serial",
                        10,
                        0,
                        100,
                        "percent of the items that form the serial part (a dependent chain)",
                    ),
                    ParamSpec::int(
                        "chunk",
                        0,
                        0,
                        1_000_000_000,
                        "items per parallel task; 0 = parallel items / (8 x workers)",
                    ),
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "parallel",
                        "the serial part on one thread, then the rest split over W workers",
                    ),
                ],
            },
        }
    }
}

impl Default for Amdahl {
    fn default() -> Self {
        Amdahl::new()
    }
}

/// How many of `size` items are serial at `percent` %.
pub fn serial_items(size: u64, percent: u64) -> u64 {
    (u128::from(size) * u128::from(percent.min(100)) / 100) as u64
}

/// The serial part: a chain where step k needs step k − 1. Records one span per
/// [`SERIAL_SPAN`] items on worker 0; `None` when cancelled.
fn serial_chain(ctx: &Ctx<'_>, items: u64) -> Option<u64> {
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
fn parallel_sum(
    seed: u64,
    range: std::ops::Range<u64>,
    cancelled: impl Fn() -> bool,
) -> Option<u64> {
    let mut a = 0u64;
    for x in range {
        if x % CANCEL_EVERY == 0 && cancelled() {
            return None;
        }
        a = a.wrapping_add(parallel_item(seed, x));
    }
    Some(a)
}

impl Demo for Amdahl {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("size");
        let percent = ctx.params.int("serial");
        let s_items = serial_items(n, percent);
        let p_items = n - s_items;
        let workers = if variant == "sequential" {
            1
        } else {
            ctx.workers.max(1)
        };
        if !matches!(variant, "sequential" | "parallel") {
            return Err(anyhow::anyhow!("amdahl has no variant {variant}").into());
        }
        ctx.progress.set_total(n);
        let t0 = now_ns();
        let cpu0 = thread_cpu_ns();
        let seed = serial_chain(ctx, s_items).ok_or(DemoError::Cancelled)?;
        let t1 = now_ns();
        let total = if variant == "sequential" {
            let mut a = 0u64;
            let mut x = s_items;
            while x < n {
                let to = (x + SERIAL_SPAN).min(n);
                let s = ctx.trace.start();
                let part = parallel_sum(seed, x..to, || ctx.cancel.is_cancelled())
                    .ok_or(DemoError::Cancelled)?;
                ctx.trace.end(0, s, Phase::Compute, to - x, 0);
                ctx.progress.add(to - x);
                a = a.wrapping_add(part);
                x = to;
            }
            ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
            a
        } else {
            ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
            let chunk = match ctx.params.int("chunk") {
                0 => p_items.div_ceil(8 * workers as u64).max(1),
                c => c,
            };
            let sum = AtomicU64::new(0);
            // The pool counts progress over its own 0..p_items: the bar restarts for this part.
            ctx.progress.reset();
            workpool::map_chunks(
                ctx,
                p_items,
                chunk,
                |r, cancel| {
                    parallel_sum(seed, r.start + s_items..r.end + s_items, || {
                        cancel.is_cancelled()
                    })
                },
                |_, part| {
                    sum.fetch_add(part, Ordering::Relaxed);
                },
            )?;
            sum.into_inner()
        };
        let t2 = now_ns();
        let mut d = Digest::new();
        d.push(seed);
        d.push(total);
        let f = percent as f64 / 100.0;
        let serial_ms = (t1 - t0) as f64 / 1e6;
        let parallel_ms = (t2 - t1) as f64 / 1e6;
        let share = if t2 > t0 {
            100.0 * (t1 - t0) as f64 / (t2 - t0) as f64
        } else {
            0.0
        };
        let mut metrics = vec![
            Metric::new("configured serial fraction", percent as f64, "%"),
            Metric::new("serial part", serial_ms, "ms"),
            Metric::new("parallel part", parallel_ms, "ms"),
            Metric::new("serial share of this pass", share, "%"),
        ];
        let note = if variant == "sequential" {
            format!(
                "serial part {serial_ms:.1} ms = {share:.1}% of this pass (configured {percent}% \
                 of the items); Amdahl's law caps any speedup at {}",
                if percent == 0 {
                    "nothing: no part is serial".to_string()
                } else {
                    format!("{:.1}x", 1.0 / f)
                }
            )
        } else {
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
        };
        Ok(Outcome {
            workers: None,
            digest: d.value(),
            items: n,
            metrics,
            note: Some(note),
            timed: Some((t0, t2)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sweep::{amdahl_fit, karp_flatt};

    #[test]
    fn serial_share_is_the_setting() {
        assert_eq!(serial_items(200_000, 10), 20_000);
        assert_eq!(serial_items(0, 50), 0);
        assert_eq!(serial_items(7, 100), 7);
        assert_eq!(serial_items(u64::MAX, 100), u64::MAX);
    }

    /// A loose check on a computed model (no timing): speedups Amdahl's law predicts for the
    /// demo's own split are fitted back to the configured fraction.
    #[test]
    fn fit_recovers_the_configured_fraction_from_the_model() {
        for percent in [0u64, 5, 10, 25, 50] {
            let f = serial_items(200_000, percent) as f64 / 200_000.0;
            let pts: Vec<(usize, f64)> =
                (1..=4).map(|p| (p, amdahl_speedup(f, p as f64))).collect();
            let got = amdahl_fit(&pts).unwrap();
            assert!(
                (got - percent as f64 / 100.0).abs() < 0.01,
                "{percent}%: {got}"
            );
            for &(p, s) in &pts[1..] {
                assert!((karp_flatt(s, p).unwrap() - f).abs() < 1e-9);
            }
        }
    }
}
