//! Lesson 5: a two-ended connection to a peer: round-trip latency (ping-pong) and bulk
//! throughput, through a crossbeam channel to a thread, an OS pipe to a thread, and an OS
//! pipe to a real child parlab process.
//!
//! One pass has two phases. Ping-pong: the parent sends `rounds` messages of `msg` bytes one
//! at a time and the peer echoes each back; every round trip is timed (median and p99).
//! Bulk: the parent streams `size` bytes in `msg`-byte messages without waiting; the peer
//! checksums everything it receives and replies with the digest, so the throughput figure covers
//! data that provably arrived intact. `sequential` hashes the same messages in memory: the
//! answer every connection must reproduce.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write as _};
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use crossbeam_channel::{Receiver, Sender, bounded};

use super::process::arg_u64;
use crate::child::{ChildIo, ChildProcess, Tag, read_frame, write_frame};
use crate::engine::{
    CancelToken, Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, Params,
    Progress, VariantInfo, median,
};
use crate::trace::{Phase, SpanStart, Tracer, now_ns, thread_cpu_ns};

/// Child worker kind of this demo: the far end of the pipe.
pub const KIND: &str = "pipe-peer";
/// Ping-pong moves at most this many bytes each way (1 MiB messages: 64 round trips).
pub const PING_BUDGET: u64 = 64 << 20;
/// A span covers at most this many messages...
const SPAN_MSGS: u64 = 256;
/// ...or this many bytes.
const SPAN_BYTES: u64 = 1 << 20;
/// Most spans the peer records in the bulk phase (see [`serve`]).
const BULK_SPANS: u64 = 1000;
/// Messages a channel holds before the sender blocks (a pipe holds 64 KiB).
const CHANNEL_CAPACITY: usize = 16;
/// Buffer size of the framed pipe ends (as the child protocol uses).
const BUF: usize = 1 << 16;

/// The pipe demo.
pub struct PipeDemo {
    info: DemoInfo,
}

impl PipeDemo {
    /// The demo with its declared parameters and variants.
    pub fn new() -> PipeDemo {
        PipeDemo {
            info: DemoInfo {
                id: "pipe",
                title: "Pipe: a two-ended connection to another process",
                summary: "ping-pong latency and bulk throughput: channel, OS pipe to a thread, OS pipe to a process",
                params: vec![
                    ParamSpec::int(
                        "msg",
                        64 << 10,
                        8,
                        1 << 20,
                        "bytes per message (8 B to 1 MiB)",
                    ),
                    ParamSpec::int(
                        "size",
                        64 << 20,
                        0,
                        4 << 30,
                        "bytes streamed one way in the bulk phase",
                    ),
                    ParamSpec::int(
                        "rounds",
                        1000,
                        0,
                        1_000_000,
                        "ping-pong round trips (fewer for big messages: at most 64 MiB each way)",
                    ),
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "channel",
                        "a thread at the other end of a crossbeam channel (no OS pipe)",
                    ),
                    VariantInfo::parallel("thread-pipe", "a thread at the other end of an OS pipe"),
                    VariantInfo::parallel(
                        "process",
                        "a child parlab process at the other end of an OS pipe (its stdin/stdout)",
                    ),
                ],
            },
        }
    }
}

impl Default for PipeDemo {
    fn default() -> Self {
        PipeDemo::new()
    }
}

/// What one pass moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Bytes per message.
    pub msg: usize,
    /// Ping-pong round trips.
    pub rounds: u64,
    /// Bytes streamed in the bulk phase.
    pub size: u64,
}

impl Plan {
    /// From the demo's parameters; rounds capped by [`PING_BUDGET`].
    pub fn new(params: &Params) -> Plan {
        let msg = params.usize("msg").max(1);
        Plan {
            msg,
            rounds: params.int("rounds").min(PING_BUDGET / msg as u64),
            size: params.int("size"),
        }
    }

    /// Messages in the bulk phase (the last may be shorter).
    pub fn bulk_msgs(&self) -> u64 {
        self.size.div_ceil(self.msg as u64)
    }

    /// Length of bulk message `j`.
    pub fn bulk_len(&self, j: u64) -> usize {
        let m = self.msg as u64;
        (self.size - j * m).min(m) as usize
    }

    fn args(&self) -> Vec<String> {
        vec![
            "--rounds".into(),
            self.rounds.to_string(),
            "--msg".into(),
            self.msg.to_string(),
            "--size".into(),
            self.size.to_string(),
        ]
    }
}

/// Message contents: pseudo-random bytes; message `i` is a window into them, so messages
/// differ without costing anything to make.
pub struct Pattern {
    base: Vec<u8>,
    msg: usize,
}

impl Pattern {
    /// Bytes for messages of up to `msg` bytes.
    pub fn new(msg: usize) -> Pattern {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let base = (0..2 * msg.max(8))
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        Pattern { base, msg }
    }

    /// Message `i`, `len` bytes long (`len <= msg`).
    pub fn message(&self, i: u64, len: usize) -> &[u8] {
        let off = (i.wrapping_mul(7919) % self.msg.max(1) as u64) as usize;
        &self.base[off..off + len]
    }
}

/// A position-sensitive checksum of one message (Fletcher-style sums over 64-bit words in
/// four independent lanes), folded into `d`. Fast enough (several GB/s) that checking the
/// data does not limit the pipe's measured throughput, yet any changed, lost or reordered
/// word changes it.
pub fn check_message(d: &mut Digest, bytes: &[u8]) {
    let mut s1 = [0u64; 4];
    let mut s2 = [0u64; 4];
    let mut blocks = bytes.chunks_exact(32);
    for b in &mut blocks {
        for k in 0..4 {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[8 * k..8 * k + 8]);
            s1[k] = s1[k].wrapping_add(u64::from_le_bytes(w));
            s2[k] = s2[k].wrapping_add(s1[k]);
        }
    }
    for s in s1.iter().chain(&s2) {
        d.push(*s);
    }
    d.push_bytes(blocks.remainder());
}

/// One end of a connection that carries whole messages.
pub trait Link {
    /// Sends a message (perhaps buffered until [`Link::flush`]).
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()>;
    /// Pushes buffered messages out.
    fn flush(&mut self) -> anyhow::Result<()>;
    /// The next message; `None` when the other end closed.
    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>>;
}

/// The peer's end: a link that can also record spans.
pub trait PeerEnd: Link {
    /// Marks the start of a span.
    fn span_start(&self) -> SpanStart;
    /// Records a span from `s` to now.
    fn span_end(&mut self, s: SpanStart, phase: Phase, items: u64, bytes: u64);
}

/// An OS pipe pair carrying frames, as the child protocol does (tag, length, payload).
pub struct PipeEnd {
    r: BufReader<File>,
    w: BufWriter<File>,
    buf: Vec<u8>,
}

/// Two connected [`PipeEnd`]s over two OS pipes.
pub fn pipe_pair() -> anyhow::Result<(PipeEnd, PipeEnd)> {
    let (r1, w1) = crate::platform::pipe().context("cannot create a pipe")?;
    let (r2, w2) = crate::platform::pipe().context("cannot create a pipe")?;
    let end = |r: File, w: File| PipeEnd {
        r: BufReader::with_capacity(BUF, r),
        w: BufWriter::with_capacity(BUF, w),
        buf: Vec::new(),
    };
    Ok((end(r1, w2), end(r2, w1)))
}

impl Link for PipeEnd {
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        write_frame(&mut self.w, Tag::Data, data)
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        Ok(self.w.flush()?)
    }

    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        Ok(read_frame(&mut self.r, &mut self.buf)?.map(|_| self.buf.as_slice()))
    }
}

/// A crossbeam channel pair; sending copies the message into a fresh buffer.
pub struct ChannelEnd {
    tx: Sender<Vec<u8>>,
    rx: Receiver<Vec<u8>>,
    last: Vec<u8>,
}

/// Two connected [`ChannelEnd`]s.
pub fn channel_pair() -> (ChannelEnd, ChannelEnd) {
    let (t1, r1) = bounded(CHANNEL_CAPACITY);
    let (t2, r2) = bounded(CHANNEL_CAPACITY);
    let end = |tx, rx| ChannelEnd {
        tx,
        rx,
        last: Vec::new(),
    };
    (end(t1, r2), end(t2, r1))
}

impl Link for ChannelEnd {
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.tx
            .send(data.to_vec())
            .map_err(|_| anyhow!("the other end of the channel is gone"))
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        Ok(())
    }

    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        match self.rx.recv() {
            Ok(v) => {
                self.last = v;
                Ok(Some(&self.last))
            }
            Err(_) => Ok(None),
        }
    }
}

/// A peer thread's end with the tracer it records on.
struct Traced<L> {
    link: L,
    trace: Tracer,
    worker: u32,
}

impl<L: Link> Link for Traced<L> {
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.link.send(data)
    }
    fn flush(&mut self) -> anyhow::Result<()> {
        self.link.flush()
    }
    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        self.link.recv()
    }
}

impl<L: Link> PeerEnd for Traced<L> {
    fn span_start(&self) -> SpanStart {
        self.trace.start()
    }
    fn span_end(&mut self, s: SpanStart, phase: Phase, items: u64, bytes: u64) {
        self.trace.end(self.worker, s, phase, items, bytes);
    }
}

impl Link for ChildIo {
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        ChildIo::send(self, data)
    }
    fn flush(&mut self) -> anyhow::Result<()> {
        ChildIo::flush(self)
    }
    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        ChildIo::recv(self)
    }
}

impl PeerEnd for ChildIo {
    fn span_start(&self) -> SpanStart {
        self.start()
    }
    fn span_end(&mut self, s: SpanStart, phase: Phase, items: u64, bytes: u64) {
        self.end(s, phase, items, bytes);
    }
}

/// The parent's end of a child process's stdin/stdout.
pub struct ChildLink<'a> {
    child: ChildProcess,
    trace: &'a Tracer,
}

impl Link for ChildLink<'_> {
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.child.send(data)
    }
    fn flush(&mut self) -> anyhow::Result<()> {
        self.child.flush()
    }
    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        self.child.recv(self.trace)
    }
}

/// The far end: echoes `rounds` messages, then hashes `plan.size` bytes of bulk messages and
/// replies with the digest and the byte count.
pub fn serve(end: &mut impl PeerEnd, plan: Plan) -> anyhow::Result<()> {
    let mut echo = Vec::new();
    let mut done = 0;
    while done < plan.rounds {
        let s = end.span_start();
        let (mut k, mut bytes) = (0, 0);
        while done < plan.rounds && k < SPAN_MSGS && bytes < SPAN_BYTES {
            let Some(m) = end.recv()? else {
                return Ok(());
            };
            echo.clear();
            echo.extend_from_slice(m);
            end.send(&echo)?;
            end.flush()?;
            done += 1;
            k += 1;
            bytes += echo.len() as u64;
        }
        end.span_end(s, Phase::Send, k, 2 * bytes);
    }
    let mut d = Digest::new();
    let mut got = 0u64;
    let total = plan.bulk_msgs();
    // The parent only writes during the bulk phase; it reads nothing until our reply. A child
    // sends its spans on the same stdout whenever 1024 have piled up, and a span frame that
    // fills the pipe would block us while the parent blocks writing to us: a deadlock. So the
    // bulk phase records at most BULK_SPANS spans, which leave with the reply.
    let per_span = (SPAN_MSGS.min(SPAN_BYTES / plan.msg.max(1) as u64))
        .max(total.div_ceil(BULK_SPANS))
        .max(1);
    let mut j = 0;
    while j < total {
        let s = end.span_start();
        let (mut k, mut bytes) = (0, 0);
        while j < total && k < per_span {
            let Some(m) = end.recv()? else {
                return Ok(());
            };
            check_message(&mut d, m);
            bytes += m.len() as u64;
            j += 1;
            k += 1;
        }
        got += bytes;
        end.span_end(s, Phase::Receive, k, bytes);
    }
    d.push(got);
    let mut reply = [0u8; 16];
    reply[..8].copy_from_slice(&d.value().to_le_bytes());
    reply[8..].copy_from_slice(&got.to_le_bytes());
    end.send(&reply)?;
    end.flush()
}

/// Child side of [`KIND`].
pub fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let plan = Plan {
        msg: usize::try_from(arg_u64(&io.args, "--msg")?)?,
        rounds: arg_u64(&io.args, "--rounds")?,
        size: arg_u64(&io.args, "--size")?,
    };
    serve(io, plan)
}

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
    let mut m = Measured {
        rtts: Vec::with_capacity(plan.rounds as usize),
        ..Measured::default()
    };
    let t0 = now_ns();
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
            m.rtts.push(now_ns() - t);
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
    m.echo = echo.value();
    let b0 = now_ns();
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
    m.bulk = word(0..8)?;
    m.bulk_bytes = word(8..16)?;
    let t1 = now_ns();
    env.trace.end(0, s, Phase::WaitWork, 0, 0);
    m.bulk_ns = t1 - b0;
    m.window = (t0, t1);
    Ok(m)
}

/// The in-memory answer: what the peer must hash and echo.
fn in_memory(ctx: &Ctx<'_>, plan: Plan, pat: &Pattern) -> Result<Measured, DemoError> {
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

/// Runs [`serve`] on a peer thread (worker 1) while this thread drives `near`.
fn with_thread_peer<L: Link + Send>(
    ctx: &Ctx<'_>,
    plan: Plan,
    pat: &Pattern,
    (mut near, far): (L, L),
) -> Result<Measured, DemoError> {
    let env = Env {
        trace: ctx.trace,
        cancel: ctx.cancel,
        progress: ctx.progress,
    };
    std::thread::scope(|s| {
        let mut far = Traced {
            link: far,
            trace: ctx.trace.clone(),
            worker: 1,
        };
        let peer = std::thread::Builder::new()
            .name("parlab-pipe-peer".into())
            .spawn_scoped(s, move || {
                let cpu0 = thread_cpu_ns();
                let r = serve(&mut far, plan);
                far.trace.add_cpu(1, thread_cpu_ns() - cpu0);
                r
            })
            .map_err(|e| anyhow!("cannot start the peer thread: {e}"))?;
        let cpu0 = thread_cpu_ns();
        let r = drive(&env, &mut near, plan, pat);
        ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
        // Closing our end lets the peer finish (or fail fast if we stopped early).
        drop(near);
        let peer = peer
            .join()
            .map_err(|_| anyhow!("the peer thread panicked"))?;
        let m = r?;
        peer?;
        Ok(m)
    })
}

/// Starts a peer child process and drives it.
fn with_process_peer(ctx: &Ctx<'_>, plan: Plan, pat: &Pattern) -> Result<Measured, DemoError> {
    let child = ChildProcess::spawn(KIND, 1, &plan.args())?;
    ctx.trace.set_pid(1, child.pid());
    let mut link = ChildLink {
        child,
        trace: ctx.trace,
    };
    let env = Env {
        trace: ctx.trace,
        cancel: ctx.cancel,
        progress: ctx.progress,
    };
    let cpu0 = thread_cpu_ns();
    let m = drive(&env, &mut link, plan, pat)?;
    ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
    link.child.finish(ctx.trace)?;
    Ok(m)
}

/// One bulk transfer of `size` bytes in `msg`-byte messages to a child process, for the
/// benchmark: the peer's digest and the time from the first byte sent to its reply (the
/// child's start-up is not included).
pub fn bulk_to_child(msg: usize, size: u64) -> anyhow::Result<(u64, Duration)> {
    let plan = Plan {
        msg,
        rounds: 0,
        size,
    };
    let trace = Tracer::disabled();
    let cancel = CancelToken::new();
    let progress = Progress::default();
    let env = Env {
        trace: &trace,
        cancel: &cancel,
        progress: &progress,
    };
    let mut link = ChildLink {
        child: ChildProcess::spawn(KIND, 1, &plan.args())?,
        trace: &trace,
    };
    let m = drive(&env, &mut link, plan, &Pattern::new(msg)).map_err(|e| anyhow!("{e}"))?;
    link.child.finish(&trace)?;
    Ok((m.bulk, Duration::from_nanos(m.bulk_ns)))
}

/// Round trips as metrics: median and p99 in µs.
fn rtt_metrics(rtts: &[u64]) -> Vec<Metric> {
    if rtts.is_empty() {
        return Vec::new();
    }
    let mut v = rtts.to_vec();
    v.sort_unstable();
    let p99 = v[((v.len() * 99).div_ceil(100)).saturating_sub(1)];
    let us: Vec<f64> = v.iter().map(|&t| t as f64 / 1e3).collect();
    vec![
        Metric::new("round trip, median", median(&us), "µs"),
        Metric::new("round trip, p99", p99 as f64 / 1e3, "µs"),
        Metric::new("round trips", v.len() as f64, ""),
    ]
}

fn mb_per_s(bytes: u64, ns: u64) -> f64 {
    bytes as f64 / (ns.max(1) as f64 / 1e9) / 1e6
}

impl Demo for PipeDemo {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn trace_slots(&self, _params: &Params, _workers: usize) -> usize {
        2
    }

    fn memory_estimate(&self, params: &Params, _workers: usize) -> u64 {
        // The pattern, plus buffered messages on both sides of a channel.
        params
            .int("msg")
            .saturating_mul(2 * CHANNEL_CAPACITY as u64 + 8)
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let plan = Plan::new(ctx.params);
        let pat = Pattern::new(plan.msg);
        ctx.progress.set_total(plan.rounds + plan.bulk_msgs());
        let m = match variant {
            "sequential" => in_memory(ctx, plan, &pat)?,
            "channel" => with_thread_peer(ctx, plan, &pat, channel_pair())?,
            "thread-pipe" => with_thread_peer(ctx, plan, &pat, pipe_pair()?)?,
            "process" => with_process_peer(ctx, plan, &pat)?,
            other => return Err(anyhow!("pipe has no variant {other}").into()),
        };
        if m.bulk_bytes != plan.size {
            return Err(
                anyhow!("the peer received {} of {} bytes", m.bulk_bytes, plan.size).into(),
            );
        }
        let mut metrics = rtt_metrics(&m.rtts);
        let rate = mb_per_s(plan.size, m.bulk_ns);
        if plan.size > 0 {
            let name = if variant == "sequential" {
                "hashing in memory"
            } else {
                "bulk throughput"
            };
            metrics.push(Metric::new(name, rate, "MB/s"));
        }
        metrics.push(Metric::new("message size", plan.msg as f64, "B"));
        let note = (variant != "sequential" && plan.size > 0).then(|| {
            let med = median(&m.rtts.iter().map(|&t| t as f64 / 1e3).collect::<Vec<_>>());
            format!(
                "{} round trips of {} B took {med:.1} µs each (median); {:.1} MB streamed at \
                 {rate:.0} MB/s arrived intact (digest checked)",
                m.rtts.len(),
                plan.msg,
                plan.size as f64 / 1e6
            )
        });
        let mut d = Digest::new();
        d.push(m.echo);
        d.push(m.bulk);
        d.push(m.bulk_bytes);
        Ok(Outcome {
            workers: None,
            digest: d.value(),
            items: plan.rounds + plan.bulk_msgs(),
            metrics,
            note,
            timed: Some(m.window),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(variant: &str, msg: u64, size: u64, rounds: u64) -> Outcome {
        let demo = PipeDemo::new();
        let specs = &demo.info().params;
        let mut params = Params::defaults(specs);
        params.set(specs, "msg", &msg.to_string()).unwrap();
        params.set(specs, "size", &size.to_string()).unwrap();
        params.set(specs, "rounds", &rounds.to_string()).unwrap();
        crate::engine::run_pass(&demo, variant, &params, 2).unwrap()
    }

    #[test]
    fn thread_peers_match_sequential() {
        // The process variant is checked in tests/procs.rs (it needs the built binary).
        for (msg, size, rounds) in [
            (8, 0, 0),
            (8, 1, 1),
            (64, 1009, 7),
            (4096, 3, 2),
            (1 << 20, (1 << 20) + 13, 3),
            (64 << 10, 4 << 20, 100),
        ] {
            let seq = run("sequential", msg, size, rounds);
            for v in ["channel", "thread-pipe"] {
                let o = run(v, msg, size, rounds);
                assert_eq!(o.digest, seq.digest, "{v} msg {msg} size {size}");
            }
        }
    }

    #[test]
    fn ping_pong_is_capped_for_big_messages() {
        let demo = PipeDemo::new();
        let specs = &demo.info().params;
        let mut p = Params::defaults(specs);
        p.set(specs, "msg", "1048576").unwrap();
        assert_eq!(Plan::new(&p).rounds, 64);
        p.set(specs, "msg", "8").unwrap();
        assert_eq!(Plan::new(&p).rounds, 1000);
    }

    #[test]
    fn checksum_sees_changed_and_swapped_words() {
        let sum = |b: &[u8]| {
            let mut d = Digest::new();
            check_message(&mut d, b);
            d.value()
        };
        let pat = Pattern::new(4096);
        let a = pat.message(3, 4096).to_vec();
        let mut swapped = a.clone();
        swapped[..64].rotate_left(32);
        let mut flipped = a.clone();
        flipped[4095] ^= 1;
        assert_ne!(sum(&a), sum(&swapped));
        assert_ne!(sum(&a), sum(&flipped));
        assert_ne!(sum(&a[..4000]), sum(&a[..4001]));
    }

    #[test]
    fn bulk_lengths_add_up() {
        let plan = Plan {
            msg: 10,
            rounds: 0,
            size: 25,
        };
        assert_eq!(plan.bulk_msgs(), 3);
        let total: usize = (0..3).map(|j| plan.bulk_len(j)).sum();
        assert_eq!(total, 25);
    }

    #[test]
    fn rtt_percentiles() {
        let rtts: Vec<u64> = (1..=100).map(|i| i * 1000).collect();
        let m = rtt_metrics(&rtts);
        assert_eq!(m[0].value, 50.5);
        assert_eq!(m[1].value, 99.0);
    }
}
