//! Lesson 9 (applications): image processing, one task per image.
//!
//! Each task makes a synthetic RGB image from a seed (standing in for reading and decoding a
//! file, and real work like it), shrinks it to 100x100 by averaging boxes of pixels, and blurs
//! the thumbnail with three passes of a box blur (close to a Gaussian). Tasks are independent,
//! so the speedup approaches the core count; the digest hashes every output pixel in image
//! order.
//!
//! Fair baseline. On a 16-core machine the one-worker variants ran 1.94x faster than
//! `sequential` (within 2% on 2 cores). The variants ran the same kernel but not the same
//! way: every image allocated a 900 KB source buffer and two 30 KB buffers on whichever thread
//! ran it — the runner's pass thread for `sequential`, a fresh pool thread for the others —
//! and the outputs were gathered three different ways (a `Vec` on the pass thread, rayon's
//! linked list of vectors, a channel back to the caller). Whether the big buffer is reused
//! from the thread's malloc arena or mapped and first-touched again (225 page faults, and a
//! TLB shoot-down to every core the process ran on when it is unmapped, which grows with the
//! core count) then depended on the thread and its arena's history, not on the lesson. Now no
//! variant allocates or first-touches memory while timed: the output buffer and one
//! [`Scratch`] per worker are made and touched before the timed part, and every variant runs
//! the same [`render_slot`] (take a scratch, render into the image's slot, give it back).

pub mod kernel;

use std::sync::Mutex;

use rayon::prelude::*;

use self::kernel::{Job, OUT, OUT_BYTES, Scratch};
use super::workpool;
use crate::engine::{CancelToken, Ctx, DemoError, Digest, Metric, Outcome, TypedDemo};
use crate::engine::{VariantInfo, int};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// The images demo.
#[derive(Debug, Default)]
pub struct Images;

crate::demo_variants! {
    /// The ways of processing the images.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Rayon = VariantInfo::parallel(
            "rayon",
            "rayon parallel iterator over the images, one task each (work stealing)",
        ),
        Pool = VariantInfo::parallel(
            "pool",
            "a fixed pool of W threads taking one image at a time from a queue",
        ),
    }
}

crate::demo_params! {
    /// How many images, and their size.
    pub struct Params {
        images: u64 = int(200, 0, 100_000, "how many images"),
        width: u64 = int(640, 1, 8192, "width of each source image, pixels"),
        height: u64 = int(480, 1, 8192, "height of each source image, pixels"),
        seed: u64 = int(1, 0, u64::MAX, "seed of the synthetic images"),
    }
}

impl Params {
    fn job(&self) -> Job {
        Job {
            width: (self.width as usize).max(1),
            height: (self.height as usize).max(1),
            seed: self.seed,
        }
    }
}

/// What the timed part writes, made and touched before it: one slot per output image, and
/// one scratch per worker that can be rendering at once.
struct Buffers<'a> {
    job: Job,
    slots: Vec<Mutex<&'a mut [u8]>>,
    spare: Mutex<Vec<Scratch>>,
}

/// Image `i` rendered into its slot of the output with a spare scratch: the one task every
/// variant runs (two uncontended locks per image of about a millisecond).
fn render_slot(b: &Buffers<'_>, i: u64, cancel: &CancelToken) -> Option<()> {
    let mut scratch = locked(&b.spare)
        .pop()
        .unwrap_or_else(|| Scratch::new(b.job));
    let done = kernel::render(
        b.job,
        i,
        &mut scratch,
        &mut locked(&b.slots[i as usize]),
        cancel,
    );
    locked(&b.spare).push(scratch);
    done
}

/// The value behind `m`, also after a panic elsewhere (the panic is reported on its own).
fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl TypedDemo for Images {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "images";
    const TITLE: &'static str = "Applications: image processing";
    const SUMMARY: &'static str =
        "make, shrink to 100x100 and blur many images, one task per image";

    fn memory_estimate(&self, p: &Params, workers: usize) -> u64 {
        let src = p.width.saturating_mul(p.height).saturating_mul(3);
        (workers as u64 + 1)
            .saturating_mul(src)
            .saturating_add(p.images.saturating_mul(OUT_BYTES as u64))
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let (n, job) = (p.images, p.job());
        let len = usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_mul(OUT_BYTES))
            .ok_or_else(|| anyhow::anyhow!("{n} images do not fit in memory"))?;
        let mut out = vec![0u8; len];
        kernel::prefault(&mut out);
        let workers = if variant == Variant::Sequential {
            1
        } else {
            ctx.workers
        };
        let b = Buffers {
            job,
            slots: out.chunks_mut(OUT_BYTES).map(Mutex::new).collect(),
            spare: Mutex::new((0..workers).map(|_| Scratch::new(job)).collect()),
        };
        ctx.progress.set_total(n);
        let t0 = now_ns();
        match variant {
            Variant::Sequential => sequential(ctx, &b)?,
            Variant::Rayon => rayon_images(ctx, &b)?,
            Variant::Pool => {
                workpool::map_chunks(
                    ctx,
                    n,
                    1,
                    |r, cancel| r.map(|i| render_slot(&b, i, cancel)).collect(),
                    |_, ()| {},
                )?;
            }
        }
        let t1 = now_ns();
        drop(b);
        let mut d = Digest::new();
        for img in out.chunks(OUT_BYTES) {
            d.push_bytes(img);
        }
        Ok(outcome(n, job, d.value(), (t0, t1)))
    }
}

/// The reference: every image in order on this thread, one span each.
fn sequential(ctx: &Ctx<'_>, b: &Buffers<'_>) -> Result<(), DemoError> {
    let cpu0 = thread_cpu_ns();
    for i in 0..b.slots.len() as u64 {
        let s = ctx.trace.start();
        render_slot(b, i, ctx.cancel).ok_or(DemoError::Cancelled)?;
        ctx.trace.end(0, s, Phase::Compute, 1, 0);
        ctx.progress.add(1);
    }
    ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
    Ok(())
}

/// The rayon variant: a pool of exactly `ctx.workers` threads, one span per image.
fn rayon_images(ctx: &Ctx<'_>, b: &Buffers<'_>) -> Result<(), DemoError> {
    let (trace, cancel) = (ctx.trace, ctx.cancel);
    let done: Option<()> = workpool::in_rayon_pool(ctx.workers, trace, || {
        (0..b.slots.len())
            .into_par_iter()
            .with_max_len(1)
            .try_for_each(|i| {
                let i = i as u64;
                let w = rayon::current_thread_index().unwrap_or(0) as u32;
                let s = trace.start();
                render_slot(b, i, cancel)?;
                trace.end(w, s, Phase::Compute, 1, 0);
                ctx.progress.add(1);
                Some(())
            })
    })?;
    ctx.cancel.check()?;
    done.ok_or(DemoError::Cancelled)
}

/// The report of a pass: rates over the timed part, and what was made.
fn outcome(n: u64, job: Job, digest: u64, (t0, t1): (u64, u64)) -> Outcome {
    let secs = (t1 - t0).max(1) as f64 / 1e9;
    let mpx = (n * (job.width * job.height) as u64) as f64 / 1e6;
    Outcome {
        mismatch: None,
        workers: None,
        digest,
        items: n,
        metrics: vec![
            Metric::new("images per second", n as f64 / secs, "images/s"),
            Metric::new("source pixels per second", mpx / secs, "Mpx/s"),
        ],
        note: Some(format!(
            "{n} tasks, one per image: make a {}x{} image from seed {} (standing in for \
             reading and decoding a file), shrink it to {OUT}x{OUT}, blur it",
            job.width, job.height, job.seed
        )),
        timed: Some((t0, t1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Demo, Typed, run_pass};

    #[test]
    fn every_variant_makes_the_same_images() {
        let demo = Typed::new(Images);
        let mut params = crate::engine::Params::defaults(&demo.info().params);
        let specs = demo.info().params.clone();
        params.set(&specs, "images", "5").unwrap();
        params.set(&specs, "width", "64").unwrap();
        params.set(&specs, "height", "48").unwrap();
        let seq = run_pass(&demo, "sequential", &params, 1).unwrap().digest;
        for (v, w) in [("rayon", 1), ("rayon", 3), ("pool", 1), ("pool", 2)] {
            assert_eq!(
                run_pass(&demo, v, &params, w).unwrap().digest,
                seq,
                "{v} {w}"
            );
        }
    }
}
