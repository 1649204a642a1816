//! The pipe variants: the producer writes 1..=n, one number or a batch per frame, into the
//! stdin pipes of W child parlab processes, which sum the squares and reply when asked.

use anyhow::Context as _;

use super::{CANCEL_EVERY, CHILD_KIND, GROUP_MIN, Part, Transfer, fold, group};
use crate::child::{ChildIo, ChildProcess, arg_u64, flags};
use crate::engine::{Ctx, DemoError};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Starts `ctx.workers` child parlab processes of [`CHILD_KIND`], each traced in its own slot,
/// and waits until each answers once, so transfers time the pipes, not process start-up.
pub fn spawn_children(ctx: &Ctx<'_>, n: u64) -> Result<Vec<ChildProcess>, DemoError> {
    let args = flags(&[("--group", group(n))]);
    let mut kids = Vec::new();
    let mut starts = Vec::new();
    for w in 0..ctx.workers.max(1) {
        ctx.cancel.check()?;
        starts.push(ctx.trace.start());
        let mut kid = ChildProcess::spawn(CHILD_KIND, w as u32, &args)?;
        ctx.trace.set_pid(w as u32, kid.pid());
        kid.send(&[])?;
        kid.flush()?;
        kids.push(kid);
    }
    for (w, (kid, s)) in kids.iter_mut().zip(starts).enumerate() {
        kid.recv(ctx.trace)?
            .context("a child process ended before it answered")?;
        ctx.trace.end(w as u32, s, Phase::Startup, 0, 0);
    }
    Ok(kids)
}

/// Sends 1..=n through the pipes of `kids`, `batch` numbers per message, messages dealt
/// round-robin, each message one frame written with its own `write` (flushed), as Python's
/// `Queue.put` writes each object. Then asks every child for its sum (an empty frame).
pub fn through_pipes(
    ctx: &Ctx<'_>,
    kids: &mut [ChildProcess],
    n: u64,
    batch: u64,
) -> Result<Transfer, DemoError> {
    let producer = kids.len() as u32;
    let batch = batch.max(1);
    let g = group(n);
    let trace = ctx.trace;
    for w in 0..producer {
        trace.label(w, "consumer process");
    }
    trace.label(producer, "producer");
    let cpu0 = thread_cpu_ns();
    let t0 = now_ns();
    let mut buf: Vec<u8> = Vec::new();
    let (mut messages, mut bytes) = (0, 0);
    let mut next = 1;
    let mut k = 0;
    let mut start = trace.start();
    let mut in_group = 0;
    while next <= n {
        let end = next.saturating_add(batch).min(n + 1);
        buf.clear();
        for x in next..end {
            buf.extend_from_slice(&x.to_le_bytes());
        }
        let kid = &mut kids[k];
        kid.send(&buf)?;
        kid.flush()?;
        k = (k + 1) % kids.len();
        messages += 1;
        if messages % CANCEL_EVERY == 0 {
            ctx.cancel.check()?;
        }
        bytes += buf.len() as u64 + 5;
        in_group += end - next;
        next = end;
        if in_group >= g {
            trace.end(producer, start, Phase::Send, in_group, 0);
            ctx.progress.add(in_group);
            in_group = 0;
            start = trace.start();
            ctx.cancel.check()?;
        }
    }
    if in_group > 0 {
        trace.end(producer, start, Phase::Send, in_group, 0);
        ctx.progress.add(in_group);
    }
    let total = collect_sums(ctx, kids)?;
    let t1 = now_ns();
    trace.add_cpu(producer, thread_cpu_ns() - cpu0);
    Ok(Transfer {
        sum: total.sum,
        items: total.items,
        messages,
        bytes,
        ns: t1 - t0,
    })
}

/// Asks every child for its sum and item count so far (an empty frame) and adds them up.
fn collect_sums(ctx: &Ctx<'_>, kids: &mut [ChildProcess]) -> Result<Part, DemoError> {
    for kid in kids.iter_mut() {
        kid.send(&[])?;
        kid.flush()?;
    }
    let mut total = Part::default();
    for kid in kids.iter_mut() {
        let reply = kid
            .recv(ctx.trace)?
            .context("a child process ended without sending its sum")?;
        let word = |i: usize| -> anyhow::Result<u64> {
            let b = reply
                .get(i * 8..i * 8 + 8)
                .and_then(|b| b.try_into().ok())
                .context("a child process sent a short reply")?;
            Ok(u64::from_le_bytes(b))
        };
        total.sum = total.sum.wrapping_add(word(0)?);
        total.items += word(1)?;
    }
    Ok(total)
}

/// Closes every child's input, collects its last spans and CPU time, and waits for its exit.
pub(super) fn finish(ctx: &Ctx<'_>, kids: Vec<ChildProcess>) -> Result<(), DemoError> {
    for kid in kids {
        kid.finish(ctx.trace)?;
    }
    Ok(())
}

/// The child side: sums the squares of the numbers it receives; an empty frame asks for the
/// sum and item count so far (16 bytes back) and starts again from zero.
pub(super) fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let group = arg_u64(&io.args, "--group").unwrap_or(GROUP_MIN).max(1);
    let (mut sum, mut count) = (0u64, 0u64);
    let (mut in_group, mut bytes) = (0u64, 0u64);
    let mut start = io.start();
    loop {
        let s = io.start();
        let Some(d) = io.recv()? else { return Ok(()) };
        if d.is_empty() {
            if in_group > 0 {
                io.end(start, Phase::Receive, in_group, bytes);
                (in_group, bytes) = (0, 0);
            }
            let mut out = [0u8; 16];
            out[..8].copy_from_slice(&sum.to_le_bytes());
            out[8..].copy_from_slice(&count.to_le_bytes());
            io.send(&out)?;
            io.flush()?;
            (sum, count) = (0, 0);
            continue;
        }
        let len = d.len() as u64;
        let mut k = 0;
        for c in d.chunks_exact(8) {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            sum = fold(sum, u64::from_le_bytes(b));
            k += 1;
        }
        if in_group == 0 {
            start = s;
        }
        count += k;
        in_group += k;
        bytes += len;
        if in_group >= group {
            io.end(start, Phase::Receive, in_group, bytes);
            (in_group, bytes) = (0, 0);
        }
    }
}
