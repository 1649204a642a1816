//! Lesson 7: chunked communication. N numbers travel from a producer to W consumers that sum
//! their squares, one number per message or in batches, through a crossbeam channel between
//! threads or through pipes to child parlab processes. Every message has a fixed cost
//! (a channel hand-off, a `write` system call), so batching divides that cost by the batch
//! size, until the per-item work dominates: the knee of the sweep.
//!
//! The producer is the pass thread (trace slot W), the consumers are threads or children
//! 0..W. Spans cover groups of at least [`GROUP_MIN`] items, never single messages.

mod channel;
mod pipes;
mod sweep;
mod transfer;

use crate::child::Kind;
use crate::engine::{Ctx, DemoError, Outcome, TypedDemo, VariantInfo, int};
use crate::trace::{Phase, thread_cpu_ns};

pub use channel::through_channel;
pub use pipes::{spawn_children, through_pipes};
pub use sweep::{SWEEP, knee};
pub use transfer::Transfer;
use transfer::{Part, digest_of, transfer_metrics};

/// Fewest items per span (producer and consumers).
pub const GROUP_MIN: u64 = 8192;
/// Messages between cancel checks (a few ms even at one item per `write`).
const CANCEL_EVERY: u64 = 1024;
/// Items in flight in the channel at most (it is bounded like a pipe).
const IN_FLIGHT: u64 = 1 << 18;
/// Child worker kind of the process variants.
pub const CHILD_KIND: &str = "chunking-sum";
/// This demo's child kind, for the table `parlab __worker` runs from.
pub const CHILD: Kind = Kind::new(CHILD_KIND, pipes::child_main);

/// The chunking demo.
#[derive(Debug, Default)]
pub struct Chunking;

crate::demo_variants! {
    /// How the numbers travel, and in what messages.
    pub enum Variant {
        Sequential = VariantInfo {
            help: "no messages: one thread sums the squares in place",
            ..VariantInfo::SEQUENTIAL
        },
        ChanPerItem = VariantInfo::parallel(
            "chan-per-item",
            "one number per message over a crossbeam channel to W consumer threads",
        ),
        ChanBatched = VariantInfo::parallel(
            "chan-batched",
            "--batch numbers per message over the channel",
        ),
        PipePerItem = VariantInfo::parallel(
            "pipe-per-item",
            "one number per message (one write) through pipes to W child processes",
        ),
        PipeBatched = VariantInfo::parallel(
            "pipe-batched",
            "--batch numbers per message through the pipes",
        ),
        ChanSweep = VariantInfo::parallel(
            "chan-sweep",
            "the channel at every batch size 1..100000: throughput of each, and the knee",
        ),
        PipeSweep = VariantInfo::parallel(
            "pipe-sweep",
            "the pipes at every batch size 1..100000: throughput of each, and the knee",
        ),
    }
}

crate::demo_params! {
    /// How many numbers travel, and how many per message when batched.
    pub struct Params {
        size: u64 = int(100_000, 0, 1_000_000_000, "how many numbers to send (1..=size)"),
        batch: u64 = int(
            1_000,
            1,
            1_000_000,
            "numbers per message in the -batched variants (the tutorial uses 1000)",
        ),
    }
}

/// What consumers do with each number: add its square.
#[inline]
fn fold(acc: u64, x: u64) -> u64 {
    acc.wrapping_add(x.wrapping_mul(x))
}

/// The answer every variant must reach: the sum of squares of 1..=n (wrapping).
pub fn expected_sum(n: u64) -> u64 {
    (1..=n).fold(0, fold)
}

/// Items per span for a transfer of `n` items (at most ~256 spans per worker).
fn group(n: u64) -> u64 {
    (n / 256).max(GROUP_MIN)
}

impl TypedDemo for Chunking {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "chunking";
    const TITLE: &'static str = "Chunking: one message per item vs batches";
    const SUMMARY: &'static str = "send N numbers one per message or in batches, through a \
                                   channel and a pipe; find the knee";

    fn memory_estimate(&self, p: &Params, workers: usize) -> u64 {
        // Messages in flight in the channel, and one message buffer per child and the parent.
        let msg = p.batch.max(SWEEP[SWEEP.len() - 1]).saturating_mul(8);
        (IN_FLIGHT * 8 + (1 << 22)).saturating_add(msg.saturating_mul(2 * workers as u64 + 4))
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let (n, batch) = (p.size, p.batch.max(1));
        let one = |t: Transfer, pipe| (transfer_metrics(&t, pipe), None, vec![t.sum]);
        let (metrics, note, sums) = match variant {
            Variant::Sequential => (Vec::new(), None, vec![sequential(ctx, n)?]),
            Variant::ChanPerItem => one(channel(ctx, n, 1)?, false),
            Variant::ChanBatched => one(channel(ctx, n, batch)?, false),
            Variant::PipePerItem => one(pipe(ctx, n, 1)?, true),
            Variant::PipeBatched => one(pipe(ctx, n, batch)?, true),
            Variant::ChanSweep | Variant::PipeSweep => {
                let s = sweep::sweep(ctx, n, variant == Variant::PipeSweep)?;
                (s.metrics, s.note, s.sums)
            }
        };
        Ok(Outcome {
            mismatch: None,
            workers: None,
            digest: digest_of(&sums),
            items: n,
            metrics,
            note,
            timed: None,
        })
    }
}

/// No messages: one thread folds 1..=n in place.
fn sequential(ctx: &Ctx<'_>, n: u64) -> Result<u64, DemoError> {
    ctx.progress.set_total(n);
    let cpu0 = thread_cpu_ns();
    let mut sum = 0;
    let mut x = 1;
    while x <= n {
        ctx.cancel.check()?;
        let end = (x + (1 << 16)).min(n + 1);
        let s = ctx.trace.start();
        // black_box: really fold every number, as the consumers do (without it the compiler
        // replaces the loop by the closed formula for the sum).
        sum = (x..end).fold(sum, |a, x| fold(a, std::hint::black_box(x)));
        ctx.trace.end(0, s, Phase::Compute, end - x, 0);
        ctx.progress.add(end - x);
        x = end;
    }
    ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
    Ok(sum)
}

/// One transfer over the channel.
fn channel(ctx: &Ctx<'_>, n: u64, batch: u64) -> Result<Transfer, DemoError> {
    ctx.progress.set_total(n);
    through_channel(ctx, n, batch)
}

/// One transfer through the pipes, the children started before and reaped after.
fn pipe(ctx: &Ctx<'_>, n: u64, batch: u64) -> Result<Transfer, DemoError> {
    ctx.progress.set_total(n);
    let mut kids = spawn_children(ctx, n)?;
    let t = through_pipes(ctx, &mut kids, n, batch)?;
    pipes::finish(ctx, kids)?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Demo, Digest, Params as Map, Typed};

    fn run(variant: &str, size: u64, workers: usize) -> Outcome {
        let demo = Typed::new(Chunking);
        let mut params = Map::defaults(&demo.info().params);
        params
            .set(&demo.info().params, "size", &size.to_string())
            .unwrap();
        params.set(&demo.info().params, "batch", "7").unwrap();
        crate::engine::run_pass(&demo, variant, &params, workers).unwrap()
    }

    #[test]
    fn every_variant_matches_sequential() {
        // Empty, one, a prime, fewer items than workers, the default.
        for size in [0, 1, 10_007, 2, 100_000] {
            let seq = run("sequential", size, 1).digest;
            let mut d = Digest::new();
            d.push(expected_sum(size));
            assert_eq!(seq, d.value());
            for workers in [1, 3] {
                for v in Typed::new(Chunking).info().variants.iter().skip(1) {
                    if v.name.ends_with("sweep") && size == 100_000 && workers == 3 {
                        continue; // the sweeps are slow in debug builds; 1 worker covers them
                    }
                    assert_eq!(
                        run(v.name, size, workers).digest,
                        seq,
                        "{} size {size} workers {workers}",
                        v.name
                    );
                }
            }
        }
    }

    #[test]
    fn expected_sum_is_the_sum_of_squares() {
        assert_eq!(expected_sum(3), 14);
        assert_eq!(expected_sum(0), 0);
    }
}
