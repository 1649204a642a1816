//! A fixed pool of worker threads that maps a kernel over chunks of `0..n`: parlab's
//! equivalent of Python's `Pool(W).map`, with every step traced.
//!
//! The coordinator queues every chunk up front (as `Pool.map` does), workers take chunks
//! from the shared queue, and results travel back on a second channel in completion order.
//! Pool start-up is part of the measured time, as it is in Python.

use std::ops::Range;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, unbounded};

use super::support::team;
use crate::engine::{CancelToken, Ctx, DemoError};
use crate::trace::Phase;

/// Waits shorter than this are not recorded as wait-for-work spans (they are noise).
const MIN_WAIT_NS: u64 = 2_000;

/// One chunk of work: its index in input order and the item range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// Position in input order.
    pub index: usize,
    /// Items of the chunk.
    pub range: Range<u64>,
}

/// Splits `0..n` into chunks of `chunk` items (the last may be shorter).
pub fn chunks(n: u64, chunk: u64) -> Vec<Chunk> {
    let chunk = chunk.max(1);
    (0..n.div_ceil(chunk))
        .map(|i| Chunk {
            index: i as usize,
            range: i * chunk..((i + 1) * chunk).min(n),
        })
        .collect()
}

/// Runs `kernel` on every chunk with `ctx.workers` threads, handing each result to
/// `on_result` on the calling thread in completion order. `kernel` returns `None` when it
/// noticed the cancel token.
pub fn map_chunks<R, K, F>(
    ctx: &Ctx<'_>,
    n: u64,
    chunk: u64,
    kernel: K,
    mut on_result: F,
) -> Result<(), DemoError>
where
    R: Send,
    K: Fn(Range<u64>, &CancelToken) -> Option<R> + Sync,
    F: FnMut(Chunk, R),
{
    let work = chunks(n, chunk);
    let total = work.len();
    ctx.progress.set_total(n);
    let (task_tx, task_rx) = unbounded::<Chunk>();
    let (res_tx, res_rx) = unbounded::<(Chunk, R)>();
    for c in work {
        // The receiver lives until the scope below ends.
        let _ = task_tx.send(c);
    }
    drop(task_tx);
    let kernel = &kernel;
    std::thread::scope(|s| {
        // The team runs on a thread of its own; the results arrive here meanwhile. The job
        // owns the results' sender, so the channel closes when every worker is done.
        let running = team("pool").traced().start(s, ctx, ctx.workers, move |w| {
            pool_worker(ctx, w as u32, &task_rx, &res_tx, kernel);
            Ok(())
        })?;
        let received = take_results(ctx, total, &res_rx, &mut on_result);
        // The workers' first real failure (a panic) explains a short count best.
        running.join()?;
        let received = received?;
        ctx.cancel.check()?;
        if received < total {
            return Err(DemoError::Failed(anyhow::anyhow!(
                "pool workers stopped after {received} of {total} chunks"
            )));
        }
        Ok(())
    })
}

/// One pool worker: takes chunks until none are left, runs `kernel` on each and sends the
/// result back, recording waits for work and compute spans.
fn pool_worker<R>(
    ctx: &Ctx<'_>,
    w: u32,
    tasks: &Receiver<Chunk>,
    results: &Sender<(Chunk, R)>,
    kernel: &impl Fn(Range<u64>, &CancelToken) -> Option<R>,
) {
    let (trace, cancel) = (ctx.trace, ctx.cancel);
    // Back-to-back spans share their boundary: one clock read each.
    let mut wait = trace.start();
    while !cancel.is_cancelled() {
        let Ok(c) = tasks.recv() else { break };
        let s = trace.start();
        if s.t - wait.t >= MIN_WAIT_NS {
            trace.record(w, wait.core, Phase::WaitWork, wait.t, s.t, 0, 0);
        }
        let items = c.range.end - c.range.start;
        let Some(r) = kernel(c.range.clone(), cancel) else {
            break;
        };
        wait = trace.end_then_start(w, s, Phase::Compute, items, 0);
        ctx.progress.add(items);
        if results.send((c, r)).is_err() {
            break;
        }
    }
}

/// Hands results to `on_result` as they arrive until all `total` came or the workers are
/// gone; how many came.
fn take_results<R>(
    ctx: &Ctx<'_>,
    total: usize,
    results: &Receiver<(Chunk, R)>,
    on_result: &mut impl FnMut(Chunk, R),
) -> Result<usize, DemoError> {
    let mut received = 0;
    while received < total {
        match results.recv_timeout(Duration::from_millis(20)) {
            Ok((c, r)) => {
                on_result(c, r);
                received += 1;
            }
            Err(RecvTimeoutError::Timeout) if ctx.cancel.is_cancelled() => {
                return Err(DemoError::Cancelled);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    Ok(received)
}

/// The rayon pool helper, at home in [`crate::workers`] (the log analyzer uses it too).
pub use crate::workers::in_rayon_pool;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_range() {
        let cs = chunks(10, 3);
        assert_eq!(cs.len(), 4);
        assert_eq!(cs[3].range, 9..10);
        assert!(chunks(0, 5).is_empty());
        assert_eq!(chunks(1, 5)[0].range, 0..1);
    }
}
