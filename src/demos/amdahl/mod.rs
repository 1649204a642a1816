//! Amdahl's law: a job whose first part is inherently serial (a hash chain, each step needing
//! the one before) and whose rest is split over W workers. The `serial` parameter sets the
//! serial share of the items; `parlab sweep amdahl` then measures the speedup at each worker
//! count, fits the serial fraction by least squares and shows Karp–Flatt per point.
//!
//! Both parts run the same heavy kernel per item, so the serial share of the items is the
//! serial share of the sequential time (the pass reports both).
//!
//! `work` holds the two parts, `describe` the pass's metrics and sentence.

mod describe;
mod work;

use crate::engine::{Ctx, DemoError, Digest, Outcome, TypedDemo, VariantInfo, int};
use crate::trace::{now_ns, thread_cpu_ns};

/// The Amdahl demo.
#[derive(Debug, Default)]
pub struct Amdahl;

crate::demo_variants! {
    /// The ways of running the job.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Parallel = VariantInfo::parallel(
            "parallel",
            "the serial part on one thread, then the rest split over W workers",
        ),
    }
}

crate::demo_params! {
    /// How big the job is and how much of it is serial.
    pub struct Params {
        size: u64 = int(200_000, 0, 1_000_000_000, "heavy items in all (~1.5 µs each)"),
        serial: u64 = int(
            10,
            0,
            100,
            "percent of the items that form the serial part (a dependent chain)",
        ),
        chunk: u64 = int(
            0,
            0,
            1_000_000_000,
            "items per parallel task; 0 = parallel items / (8 x workers)",
        ),
    }
}

/// How many of `size` items are serial at `percent` %.
pub fn serial_items(size: u64, percent: u64) -> u64 {
    (u128::from(size) * u128::from(percent.min(100)) / 100) as u64
}

/// Where a pass's time went: start, end of the serial part, end of the parallel part (ns).
#[derive(Clone, Copy, Debug)]
struct Times {
    t0: u64,
    t1: u64,
    t2: u64,
}

impl TypedDemo for Amdahl {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "amdahl";
    const TITLE: &'static str = "Amdahl's law: the serial part sets the limit";
    const SUMMARY: &'static str =
        "a tunable serial share runs on one thread, the rest on W workers; sweep it";

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = p.size;
        let s_items = serial_items(n, p.serial);
        let workers = match variant {
            Variant::Sequential => 1,
            Variant::Parallel => ctx.workers.max(1),
        };
        ctx.progress.set_total(n);
        let t0 = now_ns();
        let cpu0 = thread_cpu_ns();
        let seed = work::serial_chain(ctx, s_items).ok_or(DemoError::Cancelled)?;
        let t1 = now_ns();
        let total = match variant {
            Variant::Sequential => {
                let a = work::sequential_rest(ctx, seed, s_items..n)?;
                ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
                a
            }
            Variant::Parallel => {
                ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
                let chunk = match p.chunk {
                    0 => (n - s_items).div_ceil(8 * workers as u64).max(1),
                    c => c,
                };
                work::parallel_rest(ctx, seed, s_items..n, chunk)?
            }
        };
        let t2 = now_ns();
        let mut d = Digest::new();
        d.push(seed);
        d.push(total);
        let times = Times { t0, t1, t2 };
        let (metrics, note) = describe::describe(variant, p, workers, times);
        Ok(Outcome {
            mismatch: None,
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
    use crate::report::sweep::{amdahl_fit, amdahl_speedup, karp_flatt};

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
