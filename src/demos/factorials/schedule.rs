//! Handing the values 1..=N to workers: one equal contiguous chunk each (static), or small
//! chunks from a shared queue (dynamic; largest-first is the same queue reversed).

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::math::{Fact, compute};
use crate::demos::support::team;
use crate::engine::{Ctx, DemoError};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// A compute span is closed after about this long, so the timeline fills in live.
const SPAN_NS: u64 = 20_000_000;

/// How the chunks are handed to workers. Not the demo's variant: `dynamic` and
/// `largest-first` are both a queue, in two orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Schedule {
    /// Worker w takes chunk w and nothing else.
    Static,
    /// Workers take the next chunk from a shared queue, in the order given.
    Queue,
}

/// Splits `1..=n` into `k`-value chunks (the last may be shorter).
pub(super) fn chunk_ranges(n: u64, k: u64) -> Vec<Range<u64>> {
    let k = k.max(1);
    (0..n.div_ceil(k))
        .map(|i| i * k + 1..((i + 1) * k).min(n) + 1)
        .collect()
}

/// Every value's result (indexed by n - 1) and the CPU time each worker spent computing.
pub(super) type Run = Result<(Vec<Fact>, Vec<u64>), DemoError>;

/// One worker's result: its values and the time it spent computing.
struct WorkerDone {
    values: Vec<(u64, Fact)>,
    cpu_ns: u64,
    finished_ns: u64,
}

/// Computes the values of `range` on worker `w`, closing a compute span every ~20 ms.
/// Returns the CPU time the values took; `None` if cancelled.
fn run_chunk(w: u32, range: Range<u64>, ctx: &Ctx<'_>, out: &mut Vec<(u64, Fact)>) -> Option<u64> {
    let trace = ctx.trace;
    let mut cpu = 0;
    let mut s = trace.start();
    let mut items = 0;
    for n in range {
        if ctx.cancel.is_cancelled() {
            return None;
        }
        let f = compute(n);
        cpu += f.ns;
        out.push((n, f));
        items += 1;
        ctx.progress.add(1);
        let now = now_ns();
        if now - s.t >= SPAN_NS {
            trace.record(w, s.core, Phase::Compute, s.t, now, items, 0);
            s = trace.start();
            items = 0;
        }
    }
    if items > 0 {
        trace.end(w, s, Phase::Compute, items, 0);
    }
    Some(cpu)
}

/// The reference: every value in order on the calling thread.
pub(super) fn sequential(ctx: &Ctx<'_>, n: u64) -> Run {
    let cpu0 = thread_cpu_ns();
    let mut values = Vec::with_capacity(n as usize);
    let busy = run_chunk(0, 1..n + 1, ctx, &mut values).ok_or(DemoError::Cancelled)?;
    ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
    Ok((values.into_iter().map(|(_, f)| f).collect(), vec![busy]))
}

/// Worker `w`'s part under `schedule`: its own chunk, or chunks from the queue until none
/// is left (or the run is cancelled).
fn worker(
    ctx: &Ctx<'_>,
    w: usize,
    chunks: &[Range<u64>],
    schedule: Schedule,
    next: &AtomicUsize,
) -> WorkerDone {
    let mut values = Vec::new();
    let mut cpu_ns = 0;
    let mut first = true;
    loop {
        let i = match schedule {
            Schedule::Static if first => w,
            Schedule::Static => break,
            Schedule::Queue => next.fetch_add(1, Ordering::Relaxed),
        };
        first = false;
        let Some(r) = chunks.get(i) else { break };
        match run_chunk(w as u32, r.clone(), ctx, &mut values) {
            Some(c) => cpu_ns += c,
            None => break,
        }
    }
    WorkerDone {
        values,
        cpu_ns,
        finished_ns: now_ns(),
    }
}

/// Runs `chunks` on `ctx.workers` threads under `schedule`.
pub(super) fn parallel(ctx: &Ctx<'_>, n: u64, chunks: &[Range<u64>], schedule: Schedule) -> Run {
    let next = AtomicUsize::new(0);
    let done = team("fact").traced().run(ctx, ctx.workers.max(1), |w| {
        Ok(worker(ctx, w, chunks, schedule, &next))
    })?;
    ctx.cancel.check()?;
    let end = now_ns();
    let mut facts = vec![Fact::default(); n as usize];
    let mut busy = Vec::new();
    for (w, d) in done.into_iter().enumerate() {
        // Make the wait at the end visible: idle from this worker's last value to the end.
        if end - d.finished_ns > 1_000_000 {
            ctx.trace
                .record(w as u32, u16::MAX, Phase::Idle, d.finished_ns, end, 0, 0);
        }
        for (k, f) in d.values {
            facts[k as usize - 1] = f;
        }
        busy.push(d.cpu_ns);
    }
    Ok((facts, busy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_one_to_n() {
        assert_eq!(chunk_ranges(10, 4), vec![1..5, 5..9, 9..11]);
        assert!(chunk_ranges(0, 4).is_empty());
        assert_eq!(chunk_ranges(1, 4), vec![1..2]);
    }
}
