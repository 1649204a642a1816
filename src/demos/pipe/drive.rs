//! The parent's side of a pipe-lesson pass: ping-pong with every round trip timed, then the
//! bulk stream and the peer's reply; and the in-memory reference the peers must reproduce.

use anyhow::anyhow;

use super::data::{Pattern, check_message};
use super::links::Link;
use super::{Plan, SPAN_BYTES, SPAN_MSGS};
use crate::engine::{CancelToken, Ctx, DemoError, Digest, Progress};
use crate::trace::{Phase, Tracer, now_ns};

/// What the parent measured over one connection.
#[derive(Clone, Debug, Default)]
pub struct Measured {
    /// Every round trip, ns.
    pub rtts: Vec<u64>,
    /// Digest of the echoed messages, as received back.
    pub echo: u64,
    /// Digest the peer computed over the bulk bytes.
    pub bulk: u64,
    /// Bytes the peer says it received.
    pub bulk_bytes: u64,
    /// From the first bulk byte sent to the peer's reply, ns.
    pub bulk_ns: u64,
    /// Start and end of both phases on the shared clock.
    pub window: (u64, u64),
}

/// What the parent side needs besides the link: where spans go, when to stop.
pub struct Env<'a> {
    /// Spans (the parent is worker 0).
    pub trace: &'a Tracer,
    /// Checked between span-sized groups of messages.
    pub cancel: &'a CancelToken,
    /// Messages done.
    pub progress: &'a Progress,
}

/// The parent's side of both phases over `link`.
pub fn drive(
    env: &Env<'_>,
    link: &mut impl Link,
    plan: Plan,
    pat: &Pattern,
) -> Result<Measured, DemoError> {
    let t0 = now_ns();
    let (rtts, echo) = ping_pong(env, link, plan, pat)?;
    let b0 = now_ns();
    let (bulk, bulk_bytes) = bulk(env, link, plan, pat)?;
    let t1 = now_ns();
    Ok(Measured {
        rtts,
        echo,
        bulk,
        bulk_bytes,
        bulk_ns: t1 - b0,
        window: (t0, t1),
    })
}

/// Sends `plan.rounds` messages one at a time, each echoed back: every round trip in ns,
/// and the digest of the echoes.
fn ping_pong(
    env: &Env<'_>,
    link: &mut impl Link,
    plan: Plan,
    pat: &Pattern,
) -> Result<(Vec<u64>, u64), DemoError> {
    let mut rtts = Vec::with_capacity(plan.rounds as usize);
    let mut echo = Digest::new();
    let mut i = 0;
    while i < plan.rounds {
        env.cancel.check()?;
        let s = env.trace.start();
        let (mut k, mut bytes) = (0, 0);
        while i < plan.rounds && k < SPAN_MSGS && bytes < SPAN_BYTES {
            let msg = pat.message(i, plan.msg);
            let t = now_ns();
            link.send(msg)?;
            link.flush()?;
            let back = link
                .recv()?
                .ok_or_else(|| anyhow!("the peer closed the connection during ping-pong"))?;
            rtts.push(now_ns() - t);
            if back.len() != msg.len() {
                return Err(
                    anyhow!("echo of {} bytes came back as {}", msg.len(), back.len()).into(),
                );
            }
            check_message(&mut echo, back);
            i += 1;
            k += 1;
            bytes += msg.len() as u64;
        }
        env.trace.end(0, s, Phase::Send, k, 2 * bytes);
        env.progress.add(k);
    }
    Ok((rtts, echo.value()))
}

/// Streams the bulk messages without waiting, then reads the peer's reply: its digest of
/// what arrived, and how many bytes.
fn bulk(
    env: &Env<'_>,
    link: &mut impl Link,
    plan: Plan,
    pat: &Pattern,
) -> Result<(u64, u64), DemoError> {
    let total = plan.bulk_msgs();
    let mut j = 0;
    while j < total {
        env.cancel.check()?;
        let s = env.trace.start();
        let (mut k, mut bytes) = (0, 0);
        while j < total && k < SPAN_MSGS && bytes < SPAN_BYTES {
            let msg = pat.message(j, plan.bulk_len(j));
            link.send(msg)?;
            bytes += msg.len() as u64;
            j += 1;
            k += 1;
        }
        env.trace.end(0, s, Phase::Send, k, bytes);
        env.progress.add(k);
    }
    link.flush()?;
    let s = env.trace.start();
    let reply = link
        .recv()?
        .ok_or_else(|| anyhow!("the peer closed the connection before its reply"))?;
    let word = |r: std::ops::Range<usize>| {
        reply
            .get(r)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or_else(|| anyhow!("short reply from the peer"))
    };
    let got = (word(0..8)?, word(8..16)?);
    env.trace.end(0, s, Phase::WaitWork, 0, 0);
    Ok(got)
}

/// The in-memory answer: what the peer must hash and echo.
pub(super) fn in_memory(ctx: &Ctx<'_>, plan: Plan, pat: &Pattern) -> Result<Measured, DemoError> {
    let t0 = now_ns();
    let mut echo = Digest::new();
    for i in 0..plan.rounds {
        if i % SPAN_MSGS == 0 {
            ctx.cancel.check()?;
        }
        check_message(&mut echo, pat.message(i, plan.msg));
    }
    ctx.progress.add(plan.rounds);
    let b0 = now_ns();
    let mut d = Digest::new();
    let total = plan.bulk_msgs();
    let mut j = 0;
    while j < total {
        ctx.cancel.check()?;
        let s = ctx.trace.start();
        let (mut k, mut bytes) = (0, 0);
        while j < total && k < SPAN_MSGS && bytes < SPAN_BYTES {
            let msg = pat.message(j, plan.bulk_len(j));
            check_message(&mut d, msg);
            bytes += msg.len() as u64;
            j += 1;
            k += 1;
        }
        ctx.trace.end(0, s, Phase::Compute, k, bytes);
        ctx.progress.add(k);
    }
    d.push(plan.size);
    let t1 = now_ns();
    Ok(Measured {
        rtts: Vec::new(),
        echo: echo.value(),
        bulk: d.value(),
        bulk_bytes: plan.size,
        bulk_ns: t1 - b0,
        window: (t0, t1),
    })
}
