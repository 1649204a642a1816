//! The channel variants: a producer (the pass thread) sends 1..=n over a bounded crossbeam
//! channel to W consumer threads, one number or a batch per message.

use std::ops::Range;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, SendTimeoutError, Sender, bounded};

use super::{CANCEL_EVERY, IN_FLIGHT, Part, Transfer, fold, group};
use crate::demos::support::team;
use crate::engine::{Ctx, DemoError};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// How long a blocked send or receive goes without looking at the cancel token.
const POLL: Duration = Duration::from_millis(20);

/// Sends 1..=n over a bounded crossbeam channel to `ctx.workers` consumer threads, `batch`
/// numbers per message (a bare `u64` when `batch` is 1, as Python's `put(item)` sends one
/// object).
pub fn through_channel(ctx: &Ctx<'_>, n: u64, batch: u64) -> Result<Transfer, DemoError> {
    if batch <= 1 {
        channel_transfer(ctx, n, 1, |r| r.start, |acc, &x| (fold(acc, x), 1))
    } else {
        channel_transfer(
            ctx,
            n,
            batch,
            |r| r.collect::<Vec<u64>>(),
            |acc, v: &Vec<u64>| (v.iter().fold(acc, |a, &x| fold(a, x)), v.len() as u64),
        )
    }
}

/// The channel transfer, generic over the message type `M`: `make` builds the message of a
/// range of numbers, `consume` folds a message into a consumer's sum (and counts its items).
fn channel_transfer<M, B, C>(
    ctx: &Ctx<'_>,
    n: u64,
    batch: u64,
    make: B,
    consume: C,
) -> Result<Transfer, DemoError>
where
    M: Send,
    B: Fn(Range<u64>) -> M,
    C: Fn(u64, &M) -> (u64, u64) + Sync,
{
    let consumers = ctx.workers.max(1);
    let producer = consumers as u32;
    let cap = usize::try_from((IN_FLIGHT / batch).max(2)).unwrap_or(2);
    let (tx, rx) = bounded::<M>(cap);
    let g = group(n);
    for w in 0..consumers {
        ctx.trace.label(w as u32, "consumer");
    }
    ctx.trace.label(producer, "producer");
    let consume = &consume;
    std::thread::scope(|s| {
        // The consumers' job owns the receiving end: when they are all gone, a send fails.
        let running = team("consumer").start(s, ctx, consumers, move |w| {
            Ok(take(ctx, w as u32, g, &rx, consume))
        })?;
        let cpu0 = thread_cpu_ns();
        let t0 = now_ns();
        let (messages, stopped) = send_all(ctx, producer, n, batch, g, &tx, make);
        drop(tx);
        let parts = running.join()?;
        let t1 = now_ns();
        ctx.trace.add_cpu(producer, thread_cpu_ns() - cpu0);
        ctx.cancel.check()?;
        if stopped {
            return Err(DemoError::Failed(anyhow::anyhow!(
                "the consumers stopped before the producer finished"
            )));
        }
        let total = parts.iter().fold(Part::default(), |t, p| Part {
            sum: t.sum.wrapping_add(p.sum),
            items: t.items + p.items,
        });
        Ok(Transfer {
            sum: total.sum,
            items: total.items,
            messages,
            bytes: 0,
            ns: t1 - t0,
        })
    })
}

/// A consumer: folds messages until the channel is closed and empty (or the run is
/// cancelled), one span per group of at least `g` items.
fn take<M>(
    ctx: &Ctx<'_>,
    id: u32,
    g: u64,
    rx: &Receiver<M>,
    consume: &impl Fn(u64, &M) -> (u64, u64),
) -> Part {
    let trace = ctx.trace;
    let cpu0 = thread_cpu_ns();
    let mut part = Part::default();
    let mut start = trace.start();
    let mut in_group = 0;
    loop {
        match rx.recv_timeout(POLL) {
            Ok(m) => {
                if in_group == 0 {
                    start = trace.start();
                }
                let (sum, k) = consume(part.sum, &m);
                part.sum = sum;
                part.items += k;
                in_group += k;
                if in_group >= g {
                    trace.end(id, start, Phase::Receive, in_group, 0);
                    ctx.progress.add(in_group);
                    in_group = 0;
                }
            }
            Err(RecvTimeoutError::Timeout) if ctx.cancel.is_cancelled() => break,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    if in_group > 0 {
        trace.end(id, start, Phase::Receive, in_group, 0);
        ctx.progress.add(in_group);
    }
    trace.add_cpu(id, thread_cpu_ns() - cpu0);
    part
}

/// The producer: sends 1..=n in messages of `batch` numbers; how many messages, and whether
/// it stopped early (cancelled, or nobody receives any more).
fn send_all<M>(
    ctx: &Ctx<'_>,
    producer: u32,
    n: u64,
    batch: u64,
    g: u64,
    tx: &Sender<M>,
    make: impl Fn(Range<u64>) -> M,
) -> (u64, bool) {
    let trace = ctx.trace;
    let mut messages = 0;
    let mut next = 1;
    let mut start = trace.start();
    let mut in_group = 0;
    let mut stopped = false;
    'send: while next <= n {
        let end = next.saturating_add(batch).min(n + 1);
        let mut m = make(next..end);
        // A timeout only to notice a cancel while the consumers are behind.
        loop {
            match tx.send_timeout(m, POLL) {
                Ok(()) => break,
                Err(SendTimeoutError::Timeout(back)) if !ctx.cancel.is_cancelled() => m = back,
                Err(_) => {
                    stopped = true;
                    break 'send;
                }
            }
        }
        messages += 1;
        in_group += end - next;
        next = end;
        if messages % CANCEL_EVERY == 0 && ctx.cancel.is_cancelled() {
            stopped = true;
            break;
        }
        if in_group >= g {
            trace.end(producer, start, Phase::Send, in_group, 0);
            in_group = 0;
            start = trace.start();
            if ctx.cancel.is_cancelled() {
                stopped = true;
                break;
            }
        }
    }
    if in_group > 0 {
        trace.end(producer, start, Phase::Send, in_group, 0);
    }
    (messages, stopped)
}
