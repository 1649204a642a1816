//! Lesson 6: many workers update one shared thing. A counter incremented without a lock loses
//! updates; a `Mutex` or an atomic add does not, at a cost. Lines written in small pieces
//! without a lock tear; under a print lock, or as one write per line, they do not.
//!
//! Safe Rust cannot have a data race, so the unsynchronized counter is the honest version of
//! the bug: an `AtomicU64` read with `load` and written back with `store(v + 1)`. Each step is
//! atomic, the pair is not, so two workers that read the same value both write the same
//! value + 1 and one increment is lost: a real lost-update race.
//!
//! The pass has two phases, each in its own file: counting (`counter`) and writing lines to
//! a shared terminal buffer (`lines`), read back by `check`; `waits` times lock waits,
//! `report` turns the figures into metrics and a note.

mod check;
mod counter;
mod lines;
mod report;
mod waits;

use crate::engine::{Ctx, DemoError, Digest, Expect, Outcome, TypedDemo, VariantInfo, int};
use crate::trace::now_ns;

/// The lock demo.
#[derive(Debug, Default)]
pub struct LockDemo;

crate::demo_variants! {
    /// How the workers synchronize (the counter and the lines alike).
    pub enum Variant {
        /// One worker: the reference.
        Sequential = VariantInfo::SEQUENTIAL,
        /// `load` then `store(v + 1)`; lines as several unlocked writes.
        Unlocked = VariantInfo {
            name: "unlocked",
            help: "read, then write value + 1, no lock (loses updates); lines as 4 unlocked writes",
            expect: Expect::MayDiffer,
            parallel: true,
            other_work: false,
        },
        /// A `Mutex<u64>`; lines as several writes under a print lock.
        Mutex = VariantInfo::parallel(
            "mutex",
            "a Mutex around the counter; lines as 4 writes under a print lock",
        ),
        /// `fetch_add`; each line as one whole write.
        Atomic = VariantInfo::parallel(
            "atomic",
            "one atomic fetch_add per increment; each line as one whole write",
        ),
    }
}

crate::demo_params! {
    /// How much the workers count and write.
    pub struct Params {
        size: u64 = int(
            4_000_000,
            0,
            10_000_000_000,
            "increments of the shared counter, split over the workers",
        ),
        lines: u64 = int(
            20_000,
            0,
            10_000_000,
            "lines the workers write to one shared terminal buffer",
        ),
    }
}

impl TypedDemo for LockDemo {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "lock";
    const TITLE: &'static str = "Lock: one counter, many workers";
    const SUMMARY: &'static str =
        "lost updates without a lock, a Mutex, an atomic add; torn lines without a print lock";

    fn memory_estimate(&self, params: &Params, _workers: usize) -> u64 {
        // The terminal buffer (about 30 bytes a line) and the checker's table.
        params.lines.saturating_mul(40)
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let (n, lines) = (p.size, p.lines);
        let workers = match variant {
            Variant::Sequential => 1,
            _ => ctx.workers,
        };
        ctx.progress.set_total(n);
        let t0 = now_ns();
        let counted = counter::count(ctx, variant, n)?;
        let written = lines::write_lines(ctx, variant, workers, lines)?;
        let t1 = now_ns();

        let check = check::check_lines(&written.text, lines, workers);
        for (w, text) in &check.samples {
            ctx.live.log(*w, format!("torn line: {text:?}"));
        }
        let pass = report::Pass {
            variant,
            workers,
            n,
            lines,
            torn: lines - check.intact,
            counted: &counted,
            written: &written,
        };
        let mut d = Digest::new();
        d.push(counted.count);
        d.push(check.intact);
        d.push(check.hash);
        Ok(Outcome {
            mismatch: Some(pass.mismatch()),
            workers: None,
            digest: d.value(),
            items: n,
            metrics: pass.metrics(),
            note: pass.note(),
            timed: Some((t0, t1)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Demo, Params as Map, Typed};

    fn run(variant: &str, size: u64, lines: u64, workers: usize) -> Outcome {
        let demo = Typed::new(LockDemo);
        let specs = &demo.info().params;
        let mut params = Map::defaults(specs);
        params.set(specs, "size", &size.to_string()).unwrap();
        params.set(specs, "lines", &lines.to_string()).unwrap();
        crate::engine::run_pass(&demo, variant, &params, workers).unwrap()
    }

    #[test]
    fn synchronized_variants_match_sequential() {
        for (size, lines) in [(0, 0), (1, 1), (10_007, 997), (3, 2), (2_000_000, 4_000)] {
            for workers in [1, 2, 4] {
                let seq = run("sequential", size, lines, 1).digest;
                for v in ["mutex", "atomic"] {
                    assert_eq!(
                        run(v, size, lines, workers).digest,
                        seq,
                        "{v} size {size} lines {lines} workers {workers}"
                    );
                }
            }
        }
    }

    #[test]
    fn one_unlocked_worker_loses_nothing() {
        let seq = run("sequential", 100_000, 500, 1).digest;
        assert_eq!(run("unlocked", 100_000, 500, 1).digest, seq);
    }
}
