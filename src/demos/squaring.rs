//! Lesson 1: square 1..=N with a loop, a rayon parallel iterator and a fixed pool.
//!
//! With trivial per-item work, moving items to workers costs more than squaring them; with
//! heavy work, the parallel variants approach a speedup equal to the core count.

use rayon::prelude::*;

use super::kernels::{self, Work};
use super::workpool;
use crate::engine::{Ctx, DemoError, Digest, Outcome, TypedDemo, VariantInfo, int};
use crate::trace::{Phase, Tracer, now_ns, thread_cpu_ns};

/// Numbers per piece of the rayon iterator (and per progress step of the loop): big enough
/// that the inner loop vectorizes like the sequential one, small enough that rayon's work
/// stealing balances the pieces and a cancel is noticed within microseconds.
const RAYON_GRAIN: usize = 1 << 14;

/// The squaring demo.
#[derive(Debug, Default)]
pub struct Squaring;

crate::demo_variants! {
    /// The ways of squaring.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Rayon = VariantInfo::parallel(
            "rayon",
            "rayon parallel iterator over the numbers (work stealing)",
        ),
        Pool = VariantInfo::parallel("pool", "a fixed pool of W threads, map in chunks of --chunk"),
    }
}

crate::demo_params! {
    /// What a squaring run squares, and how.
    pub struct Params {
        size: u64 = int(1_000_000, 0, 4_000_000_000, "how many numbers to square (1..=size)"),
        chunk: u64 = int(
            0,
            0,
            4_000_000_000,
            "items per pool task; 0 = Python's rule ceil(size / (4 x workers))",
        ),
        work: Work = kernels::work_decl(Work::Trivial),
    }
}

fn digest(out: &[u64]) -> u64 {
    let mut d = Digest::new();
    d.push_all(out);
    d.value()
}

impl TypedDemo for Squaring {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "squaring";
    const TITLE: &'static str = "Why parallel? Squaring a million numbers";
    const SUMMARY: &'static str =
        "a loop vs a parallel iterator vs a pool, with trivial or heavy work per item";

    fn memory_estimate(&self, params: &Params, _workers: usize) -> u64 {
        // The result vector, plus per-chunk result buffers of the pool in flight.
        params.size.saturating_mul(16)
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let (n, work) = (p.size, p.work);
        let len =
            usize::try_from(n).map_err(|_| anyhow::anyhow!("size {n} does not fit in memory"))?;
        let t0 = now_ns();
        let mut out = vec![0u64; len];
        match variant {
            Variant::Sequential => {
                ctx.progress.set_total(n);
                let cpu0 = thread_cpu_ns();
                let s = ctx.trace.start();
                for (i, chunk) in out.chunks_mut(RAYON_GRAIN).enumerate() {
                    let from = (i * RAYON_GRAIN) as u64 + 1;
                    kernels::square_into(from..from + chunk.len() as u64, work, chunk, ctx.cancel)
                        .ok_or(DemoError::Cancelled)?;
                    ctx.progress.add(chunk.len() as u64);
                }
                ctx.trace.end(0, s, Phase::Compute, n, 0);
                ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
            }
            Variant::Rayon => rayon_squares(ctx, &mut out, work)?,
            Variant::Pool => {
                let chunk = match p.chunk {
                    0 => kernels::python_chunk(n, ctx.workers),
                    c => c,
                };
                workpool::map_chunks(
                    ctx,
                    n,
                    chunk,
                    |r, cancel| {
                        let mut buf = vec![0u64; (r.end - r.start) as usize];
                        kernels::square_into(r.start + 1..r.end + 1, work, &mut buf, cancel)
                            .map(|()| buf)
                    },
                    |c, buf| {
                        out[c.range.start as usize..c.range.end as usize].copy_from_slice(&buf)
                    },
                )?;
            }
        }
        let timed = (t0, now_ns());
        Ok(Outcome {
            digest: digest(&out),
            items: n,
            timed: Some(timed),
            ..Outcome::default()
        })
    }
}

/// The rayon variant: a parallel iterator over pieces of the output on a pool of exactly
/// `ctx.workers` threads; rayon's work stealing decides who squares which piece; one span per
/// piece.
fn rayon_squares(ctx: &Ctx<'_>, out: &mut [u64], work: Work) -> Result<(), DemoError> {
    ctx.progress.set_total(out.len() as u64);
    let trace: &Tracer = ctx.trace;
    let cancel = ctx.cancel;
    let worker = || rayon::current_thread_index().unwrap_or(0) as u32;
    workpool::in_rayon_pool(ctx.workers, trace, || {
        out.par_chunks_mut(RAYON_GRAIN)
            .enumerate()
            .for_each(|(i, chunk)| {
                let from = (i * RAYON_GRAIN) as u64 + 1;
                let s = trace.start();
                // A cancelled kernel leaves its chunk unfinished; the check after the pool says so.
                if kernels::square_into(from..from + chunk.len() as u64, work, chunk, cancel)
                    .is_some()
                {
                    trace.end(worker(), s, Phase::Compute, chunk.len() as u64, 0);
                    ctx.progress.add(chunk.len() as u64);
                }
            });
    })?;
    ctx.cancel.check()
}
