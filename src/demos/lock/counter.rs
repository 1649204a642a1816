//! The counting phase: every worker adds its share of `size` increments to one shared counter,
//! racing (`load` then `store`), under a `Mutex`, or with `fetch_add`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Variant;
use super::waits::{Segment, Waits, lock};
use crate::demos::support::{share, team};
use crate::engine::{Ctx, DemoError};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Increments per compute span (and between cancel checks).
const BATCH: u64 = 4096;

/// What the counting phase produced.
pub(super) struct Counted {
    /// The counter's final value.
    pub count: u64,
    /// Waits for the counter's lock, all workers together.
    pub waits: Waits,
    /// Wall time of the phase, ns.
    pub ns: u64,
}

/// Every worker adds its share of `n` increments to one shared counter.
pub(super) fn count(ctx: &Ctx<'_>, variant: Variant, n: u64) -> Result<Counted, DemoError> {
    let t0 = now_ns();
    if variant == Variant::Sequential {
        return Ok(Counted {
            count: count_alone(ctx, n)?,
            waits: Waits::default(),
            ns: now_ns() - t0,
        });
    }
    let racy = AtomicU64::new(0);
    let guarded = Mutex::new(0u64);
    // All workers start counting together, so they really overlap.
    let waits = team("lock").together().run(ctx, ctx.workers, |w| {
        Ok(count_worker(ctx, variant, w, n, &racy, &guarded))
    })?;
    ctx.cancel.check()?;
    let count = match variant {
        Variant::Mutex => *lock(&guarded),
        _ => racy.load(Ordering::SeqCst),
    };
    Ok(Counted {
        count,
        waits: Waits::total(&waits),
        ns: now_ns() - t0,
    })
}

/// The reference: one thread counts to `n` in a plain local variable.
fn count_alone(ctx: &Ctx<'_>, n: u64) -> Result<u64, DemoError> {
    let cpu0 = thread_cpu_ns();
    let mut c = 0u64;
    let mut done = 0;
    while done < n {
        ctx.cancel.check()?;
        let b = (n - done).min(BATCH);
        let s = ctx.trace.start();
        for _ in 0..b {
            // black_box: really one add per increment, not one add of `b`.
            c = std::hint::black_box(c + 1);
        }
        ctx.trace.end(0, s, Phase::Compute, b, 0);
        ctx.progress.add(b);
        done += b;
    }
    ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
    Ok(c)
}

/// Worker `w`'s increments, in batches of [`BATCH`]; returns its waits for the lock.
fn count_worker(
    ctx: &Ctx<'_>,
    variant: Variant,
    w: usize,
    n: u64,
    racy: &AtomicU64,
    guarded: &Mutex<u64>,
) -> Waits {
    let id = w as u32;
    let cpu0 = thread_cpu_ns();
    let mut waits = Waits::default();
    let mut left = share(n, ctx.workers, w).count() as u64;
    while left > 0 && !ctx.cancel.is_cancelled() {
        let b = left.min(BATCH);
        let mut seg = Segment::open(ctx.trace, id, Phase::Compute);
        match variant {
            Variant::Unlocked | Variant::Sequential => {
                for _ in 0..b {
                    // The race: another worker may store between this load and this store.
                    // (black_box keeps the read and the write two separate instructions, as
                    // in `counter.value += 1`, instead of one non-atomic `inc` in memory.)
                    let v = std::hint::black_box(racy.load(Ordering::Relaxed));
                    racy.store(v + 1, Ordering::Relaxed);
                }
                seg.items = b;
            }
            Variant::Atomic => {
                for _ in 0..b {
                    racy.fetch_add(1, Ordering::Relaxed);
                }
                seg.items = b;
            }
            Variant::Mutex => {
                for _ in 0..b {
                    let mut g = seg.acquire(guarded, &mut waits);
                    *g += 1;
                    drop(g);
                    seg.items += 1;
                }
            }
        }
        seg.close(0);
        ctx.progress.add(b);
        left -= b;
    }
    ctx.trace.add_cpu(id, thread_cpu_ns() - cpu0);
    waits
}
