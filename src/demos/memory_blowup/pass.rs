//! One pass of each variant: load the dataset (once, or once per worker) or stream each
//! worker's share through one chunk-sized buffer, and tally the records.

use std::ops::Range;

use super::Variant;
use super::tally::{Held, Tally};
use crate::demos::rng::record;
use crate::demos::support::{share, team};
use crate::engine::{CancelToken, Ctx, DemoError};
use crate::trace::{Phase, thread_cpu_ns};

/// Records handled between cancel checks and per compute span.
const BLOCK: usize = 1 << 16;

/// Bytes of `len` records.
fn bytes(len: usize) -> u64 {
    (len * std::mem::size_of::<u64>()) as u64
}

/// Loads records `range` into a fresh vector (cancel checked every block).
fn load(range: Range<u64>, cancel: &CancelToken) -> Option<Vec<u64>> {
    let mut v = Vec::with_capacity((range.end - range.start) as usize);
    let mut i = range.start;
    while i < range.end {
        if cancel.is_cancelled() {
            return None;
        }
        let to = (i + BLOCK as u64).min(range.end);
        v.extend((i..to).map(record));
        i = to;
    }
    Some(v)
}

/// Loads the whole dataset of `n` records on worker `w`'s timeline, counted in `held`.
fn load_all(ctx: &Ctx<'_>, held: &Held, w: u32, n: u64) -> Option<Vec<u64>> {
    let s = ctx.trace.start();
    let all = load(0..n, ctx.cancel)?;
    held.add(bytes(all.capacity()), ctx.live);
    ctx.trace.end(w, s, Phase::Receive, n, bytes(all.len()));
    Some(all)
}

/// Processes `recs` block by block, one compute span per block.
fn process(recs: &[u64], w: u32, ctx: &Ctx<'_>) -> Option<Tally> {
    let mut t = Tally::default();
    for b in recs.chunks(BLOCK) {
        if ctx.cancel.is_cancelled() {
            return None;
        }
        let s = ctx.trace.start();
        t.add_all(b);
        ctx.trace.end(w, s, Phase::Compute, b.len() as u64, 0);
        ctx.progress.add(b.len() as u64);
    }
    Some(t)
}

/// `records` as a slice index range.
fn slice(records: Range<u64>) -> Range<usize> {
    records.start as usize..records.end as usize
}

/// `load-all`: worker `w` loads the whole dataset, then processes its share of it.
fn load_all_job(ctx: &Ctx<'_>, held: &Held, w: usize, n: u64) -> Option<Tally> {
    let all = load_all(ctx, held, w as u32, n)?;
    let t = process(&all[slice(share(n, ctx.workers, w))], w as u32, ctx);
    held.sub(bytes(all.capacity()), ctx.live);
    t
}

/// `stream`: worker `w` reads only its share, `chunk` records at a time into one buffer.
fn stream_job(ctx: &Ctx<'_>, held: &Held, w: usize, n: u64, chunk: u64) -> Option<Tally> {
    let wid = w as u32;
    let mine = share(n, ctx.workers, w);
    let chunk = chunk.max(1);
    let mut buf: Vec<u64> = Vec::with_capacity(chunk.min(mine.end - mine.start) as usize);
    held.add(bytes(buf.capacity()), ctx.live);
    let mut t = Tally::default();
    let mut i = mine.start;
    let mut ok = true;
    while i < mine.end {
        if ctx.cancel.is_cancelled() {
            ok = false;
            break;
        }
        let to = (i + chunk).min(mine.end);
        let s = ctx.trace.start();
        buf.clear();
        buf.extend((i..to).map(record));
        ctx.trace
            .end(wid, s, Phase::Receive, to - i, bytes(buf.len()));
        let s = ctx.trace.start();
        t.add_all(&buf);
        ctx.trace.end(wid, s, Phase::Compute, to - i, 0);
        ctx.progress.add(to - i);
        i = to;
    }
    held.sub(bytes(buf.capacity()), ctx.live);
    ok.then_some(t)
}

/// Runs `ctx.workers` threads of `job` and merges their tallies; `None` if any was cancelled.
fn run_workers(
    ctx: &Ctx<'_>,
    job: impl Fn(usize) -> Option<Tally> + Sync,
) -> Result<Option<Tally>, DemoError> {
    let tallies = team("mem").traced().run(ctx, ctx.workers, |w| Ok(job(w)))?;
    Ok(tallies
        .into_iter()
        .try_fold(Tally::default(), |mut all, t| {
            all.merge(&t?);
            Some(all)
        }))
}

/// The variant's work on `n` records; `Ok(None)` when cancelled.
pub(super) fn pass(
    variant: Variant,
    ctx: &Ctx<'_>,
    held: &Held,
    n: u64,
    chunk: u64,
) -> Result<Option<Tally>, DemoError> {
    match variant {
        Variant::Sequential => {
            let cpu0 = thread_cpu_ns();
            let Some(all) = load_all(ctx, held, 0, n) else {
                return Ok(None);
            };
            let t = process(&all, 0, ctx);
            held.sub(bytes(all.capacity()), ctx.live);
            drop(all);
            ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
            Ok(t)
        }
        Variant::LoadAll => run_workers(ctx, |w| load_all_job(ctx, held, w, n)),
        Variant::Stream => run_workers(ctx, |w| stream_job(ctx, held, w, n, chunk)),
        Variant::Shared => {
            // Loaded once by the coordinator (worker 0's slot, before the threads start).
            let cpu0 = thread_cpu_ns();
            let Some(all) = load_all(ctx, held, 0, n) else {
                return Ok(None);
            };
            ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
            let r = run_workers(ctx, |w| {
                process(&all[slice(share(n, ctx.workers, w))], w as u32, ctx)
            });
            held.sub(bytes(all.capacity()), ctx.live);
            r
        }
    }
}
