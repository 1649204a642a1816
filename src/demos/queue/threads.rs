//! The threads of a queue pass: producers that block on a full queue, consumers that wait on
//! an empty one, and the depth the monitor samples. Waits are recorded as spans and summed.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use crossbeam_channel::{Receiver, RecvTimeoutError, SendTimeoutError, Sender, TrySendError};

use super::{POLL, Shape};
use crate::demos::kernels::{self, Work};
use crate::engine::Ctx;
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Blocking shorter than this is not a wait (it is the cost of the operation itself).
const MIN_WAIT_NS: u64 = 2_000;

/// Wait times gathered by every worker of a pass.
#[derive(Default)]
pub(super) struct Waits {
    pub(super) producers_blocked_ns: AtomicU64,
    pub(super) consumers_waited_ns: AtomicU64,
    pub(super) messages: AtomicU64,
    /// Deepest the queue was seen by a sender: its length after a send, or its capacity when
    /// a sender found it full. The monitor's 1 ms samples can miss a queue that fills and
    /// drains between them (or a monitor starved of CPU), and a blocked producer is proof
    /// the queue was full, so the reported maximum takes this into account.
    pub(super) max_depth: AtomicU64,
}

impl Waits {
    /// A sender saw `depth` messages in the queue.
    pub(super) fn saw_depth(&self, depth: usize) {
        self.max_depth.fetch_max(depth as u64, Ordering::Relaxed);
    }

    /// A sender found the queue `tx` full.
    pub(super) fn saw_full<T>(&self, tx: &Sender<T>) {
        self.saw_depth(tx.capacity().unwrap_or_else(|| tx.len()));
    }

    /// Milliseconds: producers blocked, consumers waited.
    pub(super) fn ms(&self) -> (f64, f64) {
        let ms = |a: &AtomicU64| a.load(Ordering::Relaxed) as f64 / 1e6;
        (
            ms(&self.producers_blocked_ns),
            ms(&self.consumers_waited_ns),
        )
    }
}

/// Sends `msg`, waiting while the queue is full; records a wait span when it had to wait.
/// `false` when cancelled or nobody receives any more.
fn send_blocking(
    ctx: &Ctx<'_>,
    w: u32,
    tx: &Sender<Vec<u64>>,
    msg: Vec<u64>,
    waits: &Waits,
) -> bool {
    let items = msg.len() as u64;
    let s = ctx.trace.start();
    let mut msg = match tx.try_send(msg) {
        Ok(()) => {
            ctx.trace.end(w, s, Phase::Send, items, items * 8);
            waits.saw_depth(tx.len());
            return true;
        }
        Err(TrySendError::Full(m)) => {
            waits.saw_full(tx);
            m
        }
        Err(TrySendError::Disconnected(_)) => return false,
    };
    // The queue is full: back-pressure. Wait for room.
    loop {
        match tx.send_timeout(msg, POLL) {
            Ok(()) => break,
            Err(SendTimeoutError::Timeout(m)) => {
                if ctx.cancel.is_cancelled() {
                    return false;
                }
                msg = m;
            }
            Err(SendTimeoutError::Disconnected(_)) => return false,
        }
    }
    let t = now_ns();
    ctx.trace
        .record(w, s.core, Phase::WaitWork, s.t, t, items, items * 8);
    waits
        .producers_blocked_ns
        .fetch_add(t - s.t, Ordering::Relaxed);
    true
}

/// A producer thread: its share of the numbers, in batches, onto the queue.
pub(super) fn produce(
    ctx: &Ctx<'_>,
    w: u32,
    s: Shape,
    range: Range<u64>,
    tx: &Sender<Vec<u64>>,
    waits: &Waits,
) {
    let cpu0 = thread_cpu_ns();
    let mut i = range.start;
    while i < range.end && !ctx.cancel.is_cancelled() {
        let end = (i + s.batch).min(range.end);
        let sp = ctx.trace.start();
        let msg: Vec<u64> = (i + 1..=end).collect();
        ctx.trace.end(w, sp, Phase::Compute, end - i, 0);
        if !send_blocking(ctx, w, tx, msg, waits) {
            break;
        }
        i = end;
    }
    ctx.trace.add_cpu(w, thread_cpu_ns() - cpu0);
}

/// A consumer thread: takes batches until the queue is closed and empty; (sum, count), or
/// `None` when cancelled.
pub(super) fn consume(
    ctx: &Ctx<'_>,
    w: u32,
    work: Work,
    rx: &Receiver<Vec<u64>>,
    waits: &Waits,
) -> Option<(u64, u64)> {
    let cpu0 = thread_cpu_ns();
    let mut sum = 0u64;
    let mut count = 0u64;
    let result = 'outer: loop {
        let wait = ctx.trace.start();
        let msg = loop {
            match rx.recv_timeout(POLL) {
                Ok(m) => break m,
                Err(RecvTimeoutError::Timeout) if ctx.cancel.is_cancelled() => break 'outer None,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break 'outer Some((sum, count)),
            }
        };
        let got = now_ns();
        let items = msg.len() as u64;
        if got - wait.t >= MIN_WAIT_NS {
            // The queue was empty: this consumer waited for a producer.
            ctx.trace
                .record(w, wait.core, Phase::WaitWork, wait.t, got, 0, 0);
            waits
                .consumers_waited_ns
                .fetch_add(got - wait.t, Ordering::Relaxed);
        } else {
            ctx.trace
                .record(w, wait.core, Phase::Receive, wait.t, got, items, items * 8);
        }
        waits.messages.fetch_add(1, Ordering::Relaxed);
        let sp = ctx.trace.start();
        for part in msg.chunks(kernels::CANCEL_EVERY as usize) {
            if ctx.cancel.is_cancelled() {
                break 'outer None;
            }
            for &x in part {
                sum = sum.wrapping_add(kernels::item(x, work));
            }
        }
        count += items;
        ctx.trace.end(w, sp, Phase::Compute, items, 0);
        ctx.progress.add(items);
    };
    ctx.trace.add_cpu(w, thread_cpu_ns() - cpu0);
    result
}

/// Queue depth samples taken by the monitor.
#[derive(Default)]
pub(super) struct Depth {
    samples: u64,
    total: u64,
    pub(super) max: u64,
}

impl Depth {
    /// Records one sample, also as the live series "queue depth".
    pub(super) fn sample(&mut self, ctx: &Ctx<'_>, depth: usize) {
        ctx.live.series("queue depth", depth as f64);
        self.samples += 1;
        self.total += depth as u64;
        self.max = self.max.max(depth as u64);
    }

    /// Mean depth over the samples.
    pub(super) fn mean(&self) -> f64 {
        if self.samples == 0 {
            0.0
        } else {
            self.total as f64 / self.samples as f64
        }
    }
}
