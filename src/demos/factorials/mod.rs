//! Lesson 11 (applications): n! for every n in 1..=N with num-bigint, and the load imbalance
//! that equal chunks cause when the cost per item grows with the item.
//!
//! The cost of n! grows much faster than n, so splitting 1..=N into equal contiguous chunks
//! (one per worker) gives the last worker most of the work: the timeline shows it busy long
//! after the others went idle. Small chunks from a shared queue (dynamic scheduling) and
//! largest-first ordering even the load out. Every n! is checked by its digit count and a
//! hash of its digits, folded in n order.
//!
//! `math` computes one n!, `schedule` hands the values to workers, `report` says how
//! evenly the work was spread.

mod math;
mod report;
mod schedule;

pub use math::{Fact, compute, factorial, factorial_digits};
pub use report::last_chunk_share;

use schedule::{Schedule, chunk_ranges};

use crate::engine::{Ctx, DemoError, Digest, Outcome, TypedDemo, VariantInfo, int};
use crate::trace::now_ns;

/// Default N: sequential takes about 2.2 s of CPU in release mode on the 2-core reference
/// machine (n! costs grow about as n², so the total grows about as N³).
pub const DEFAULT_N: u64 = 8_000;
/// Name of the metric holding the busiest worker's compute CPU time: the pass's length on
/// dedicated cores, whatever else the machine runs (the benchmark reads it).
pub const BUSIEST_CPU: &str = "busiest worker's compute CPU time";
/// Chunks Python's `Pool.map` makes by default for 2 workers (4 × workers).
const PYTHON_CHUNKS: usize = 8;

/// The factorials demo.
#[derive(Debug, Default)]
pub struct Factorials;

crate::demo_variants! {
    /// How the values are split over the workers.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Static = VariantInfo::parallel(
            "static",
            "one equal contiguous chunk per worker (Python's Pool.map splits this way)",
        ),
        Dynamic = VariantInfo::parallel(
            "dynamic",
            "small chunks in order from a shared queue: a free worker takes the next",
        ),
        LargestFirst = VariantInfo::parallel(
            "largest-first",
            "small chunks from a shared queue, the most expensive (largest n) first",
        ),
    }
}

crate::demo_params! {
    /// N, and the chunk size of the queued variants.
    pub struct Params {
        size: u64 = int(DEFAULT_N, 0, 100_000, "N: compute n! for n in 1..=N"),
        chunk: u64 = int(
            0,
            0,
            100_000,
            "values per task for dynamic and largest-first; 0 = ceil(N / (32 x workers))",
        ),
    }
}

impl TypedDemo for Factorials {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "factorials";
    const TITLE: &'static str = "Applications: big-integer factorials";
    const SUMMARY: &'static str =
        "n! for n in 1..=N: equal chunks leave one worker busy long after the rest";

    fn memory_estimate(&self, params: &Params, workers: usize) -> u64 {
        // Results are small; each worker holds one n! (about N·log2(N)/8 bytes) at a time.
        let n = params.size;
        n * 64 + workers as u64 * n * 2
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = p.size;
        let w = ctx.workers.max(1) as u64;
        let chunk = match p.chunk {
            0 => n.div_ceil(32 * w).max(1),
            c => c,
        };
        ctx.progress.set_total(n);
        let t0 = now_ns();
        // Each parallel variant's split as (chunks, values per chunk), for the note.
        let ((facts, busy), split) = match variant {
            Variant::Sequential => (schedule::sequential(ctx, n)?, None),
            Variant::Static => {
                let size = n.div_ceil(w);
                let ranges = chunk_ranges(n, size);
                let r = schedule::parallel(ctx, n, &ranges, Schedule::Static)?;
                (r, Some((w, size)))
            }
            Variant::Dynamic | Variant::LargestFirst => {
                let mut ranges = chunk_ranges(n, chunk);
                if variant == Variant::LargestFirst {
                    ranges.reverse();
                }
                let r = schedule::parallel(ctx, n, &ranges, Schedule::Queue)?;
                (r, Some((n.div_ceil(chunk), chunk)))
            }
        };
        let timed = (t0, now_ns());
        let mut d = Digest::new();
        for f in &facts {
            d.push(f.digits);
            d.push(f.hash);
        }
        let mut metrics = report::metrics(&facts, &busy);
        let note = match split {
            None => report::sequential_note(&facts, n),
            Some((chunks, size)) => report::balance(&mut metrics, &busy, chunks, size),
        };
        Ok(Outcome {
            mismatch: None,
            workers: None,
            digest: d.value(),
            items: n,
            metrics,
            note: Some(note),
            timed: Some(timed),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{Demo, Params, Typed, run_pass};

    #[test]
    fn every_split_matches_sequential() {
        let demo = Typed::new(super::Factorials);
        let specs = &demo.info().params;
        for (size, chunk) in [(0, 0), (1, 0), (57, 0), (57, 5), (3, 1)] {
            let mut p = Params::defaults(specs);
            p.set(specs, "size", &size.to_string()).unwrap();
            p.set(specs, "chunk", &chunk.to_string()).unwrap();
            let seq = run_pass(&demo, "sequential", &p, 1).unwrap().digest;
            for v in ["static", "dynamic", "largest-first"] {
                for workers in [1, 3] {
                    let got = run_pass(&demo, v, &p, workers).unwrap().digest;
                    assert_eq!(got, seq, "{v} size {size} chunk {chunk} x{workers}");
                }
            }
        }
    }
}
