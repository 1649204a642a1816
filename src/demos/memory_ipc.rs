//! Lesson 8: memory and IPC costs. A large buffer (256 MiB by default) is handed to workers
//! that checksum it: threads share parlab's memory, so handing over a `Vec` moves 24 bytes
//! (pointer, length, capacity) and copies nothing; a child process has its own memory, so
//! the bytes are serialized into a pipe, copied by the kernel, and copied again into the
//! child's own buffer, which makes the child as big as the data it got.
//!
//! The buffer is split into one piece per worker (at 8-byte boundaries); the checksum of a
//! word depends only on its position and value, so per-piece checksums add up to the
//! sequential one. Filling the buffer and starting workers are outside the timed window:
//! the time is the hand-over plus the checksum.

use std::time::Duration;

use anyhow::Context as _;
use crossbeam_channel::{RecvTimeoutError, bounded};

use crate::child::{ChildIo, ChildProcess};
use crate::engine::{
    Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, Params, VariantInfo,
};
use crate::platform::peak_rss;
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Child worker kind of the process variant.
pub const CHILD_KIND: &str = "memory-recv";
/// Bytes per pipe frame (what Python's `send_bytes` of a 1 MiB chunk would write).
const FRAME: usize = 1 << 20;
/// Bytes per span (checksumming, sending, receiving) and between cancel checks.
const SPAN_BYTES: usize = 8 << 20;
const MIB: f64 = (1u64 << 20) as f64;

/// The memory-ipc demo.
pub struct MemoryIpc {
    info: DemoInfo,
}

impl MemoryIpc {
    /// The demo with its declared parameters and variants.
    pub fn new() -> MemoryIpc {
        MemoryIpc {
            info: DemoInfo {
                id: "memory-ipc",
                title: "Memory and IPC: threads share, processes copy",
                summary: "hand a large buffer to threads (moved, no copy) or to processes (copied through pipes)",
                params: vec![ParamSpec::int(
                    "mb",
                    256,
                    0,
                    65_536,
                    "size of the buffer in MiB (runs needing more than half the RAM are refused)",
                )],
                variants: vec![
                    VariantInfo {
                        help: "one thread checksums the buffer where it is",
                        ..VariantInfo::SEQUENTIAL
                    },
                    VariantInfo::parallel(
                        "thread-move",
                        "each of W threads is handed one piece of the buffer: ownership moves, no byte is copied",
                    ),
                    VariantInfo::parallel(
                        "process-copy",
                        "each of W child processes is sent one piece through a pipe: every byte is copied",
                    ),
                ],
            },
        }
    }
}

impl Default for MemoryIpc {
    fn default() -> Self {
        MemoryIpc::new()
    }
}

/// The checksum term of the word at index `i` (from the start of the whole buffer).
#[inline]
fn term(i: u64, w: u64) -> u64 {
    (w ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_mul(0xFF51_AFD7_ED55_8CCD)
        .rotate_left(23)
}

/// Checksum of `bytes` whose first byte is word `first_word` of the whole buffer (a tail
/// shorter than a word counts as one word, padded, marked with its length). Adds up over
/// pieces: checksum(a ++ b) = checksum(a) + checksum(b at its offset) when a is whole words.
pub fn checksum(bytes: &[u8], first_word: u64) -> u64 {
    let mut acc = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    let mut i = first_word;
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        acc = acc.wrapping_add(term(i, u64::from_le_bytes(b)));
        i += 1;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        acc = acc.wrapping_add(term(i, u64::from_le_bytes(b) ^ ((rest.len() as u64) << 56)));
    }
    acc
}

/// Fills `buf` (starting at word `first_word` of the whole buffer) with bytes that depend
/// only on the position, so any split gives the same whole. Cheap on purpose: filling is
/// not what the lesson measures.
fn fill(buf: &mut [u8], first_word: u64) {
    let mut i = first_word;
    let mut chunks = buf.chunks_exact_mut(8);
    for c in &mut chunks {
        c.copy_from_slice(&(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i >> 7)).to_le_bytes());
        i += 1;
    }
    let rest = chunks.into_remainder();
    let n = rest.len();
    rest.copy_from_slice(&i.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_le_bytes()[..n]);
}

/// Byte ranges of the W pieces: whole words each, the tail bytes in the last piece.
fn pieces(bytes: u64, workers: usize) -> Vec<std::ops::Range<u64>> {
    let k = workers.max(1) as u64;
    let words = bytes / 8;
    let (base, extra) = (words / k, words % k);
    let mut start = 0;
    (0..k)
        .map(|w| {
            let len = (base + u64::from(w < extra)) * 8;
            let end = if w + 1 == k { bytes } else { start + len };
            let r = start..end;
            start = end;
            r
        })
        .collect()
}

/// A piece of the buffer, owned.
struct Piece {
    data: Vec<u8>,
    first_word: u64,
}

/// Makes the buffer as one owned piece per worker, each allocated and filled by its own
/// thread (outside the timed window: only the hand-over and the checksum are timed).
fn make_pieces(ctx: &Ctx<'_>, bytes: u64, workers: usize) -> Result<Vec<Piece>, DemoError> {
    let ranges = pieces(bytes, workers);
    std::thread::scope(|s| {
        let mut handles = Vec::new();
        for (w, r) in ranges.into_iter().enumerate() {
            let h = std::thread::Builder::new()
                .name(format!("parlab-mem-fill-{w}"))
                .spawn_scoped(s, move || -> Result<Piece, DemoError> {
                    let len = usize::try_from(r.end - r.start).map_err(|_| {
                        anyhow::anyhow!("a piece of {} bytes does not fit", r.end - r.start)
                    })?;
                    let mut data = vec![0u8; len];
                    for (k, c) in data.chunks_mut(SPAN_BYTES).enumerate() {
                        ctx.cancel.check()?;
                        fill(c, r.start / 8 + (k * SPAN_BYTES / 8) as u64);
                    }
                    Ok(Piece {
                        data,
                        first_word: r.start / 8,
                    })
                })
                .map_err(|e| anyhow::anyhow!("cannot start a fill thread: {e}"))?;
            handles.push(h);
        }
        let mut out = Vec::new();
        for h in handles {
            out.push(
                h.join()
                    .map_err(|_| anyhow::anyhow!("a fill thread panicked"))??,
            );
        }
        Ok(out)
    })
}

/// Checksums `data` as worker `w`, one span per [`SPAN_BYTES`]; `None` if cancelled.
fn checksum_traced(ctx: &Ctx<'_>, w: u32, data: &[u8], first_word: u64) -> Option<u64> {
    let mut acc = 0u64;
    for (k, c) in data.chunks(SPAN_BYTES).enumerate() {
        if ctx.cancel.is_cancelled() {
            return None;
        }
        let s = ctx.trace.start();
        acc = acc.wrapping_add(checksum(c, first_word + (k * SPAN_BYTES / 8) as u64));
        ctx.trace
            .end(w, s, Phase::Compute, c.len() as u64 / 8, c.len() as u64);
        ctx.progress.add(c.len() as u64);
    }
    Some(acc)
}

/// What one pass measured.
struct Handed {
    sum: u64,
    copied: u64,
    /// Peak memory of each child, bytes.
    child_peaks: Vec<u64>,
    startup_ns: u64,
    t0: u64,
    t1: u64,
}

fn sequential(ctx: &Ctx<'_>, bytes: u64) -> Result<Handed, DemoError> {
    let p = make_pieces(ctx, bytes, 1)?;
    let cpu0 = thread_cpu_ns();
    let t0 = now_ns();
    let mut sum = 0u64;
    for piece in &p {
        let c =
            checksum_traced(ctx, 0, &piece.data, piece.first_word).ok_or(DemoError::Cancelled)?;
        sum = sum.wrapping_add(c);
    }
    let t1 = now_ns();
    ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
    Ok(Handed {
        sum,
        copied: 0,
        child_peaks: Vec::new(),
        startup_ns: 0,
        t0,
        t1,
    })
}

/// Threads that each wait for a piece on a channel, take ownership of it, checksum it and
/// free it. Only the `Vec`'s 24-byte header travels; the bytes stay where they are.
fn thread_move(ctx: &Ctx<'_>, bytes: u64) -> Result<Handed, DemoError> {
    let workers = ctx.workers.max(1);
    let p = make_pieces(ctx, bytes, workers)?;
    let st = now_ns();
    std::thread::scope(|s| {
        let mut senders = Vec::new();
        let (res_tx, res_rx) = bounded::<Option<(u64, Piece)>>(workers);
        for w in 0..workers {
            let (tx, rx) = bounded::<Piece>(1);
            let res_tx = res_tx.clone();
            std::thread::Builder::new()
                .name(format!("parlab-mem-{w}"))
                .spawn_scoped(s, move || {
                    let id = w as u32;
                    let cpu0 = thread_cpu_ns();
                    let got = loop {
                        match rx.recv_timeout(Duration::from_millis(20)) {
                            Ok(p) => break Some(p),
                            Err(RecvTimeoutError::Timeout) if !ctx.cancel.is_cancelled() => {}
                            Err(_) => break None,
                        }
                    };
                    let r = got.and_then(|piece| {
                        // `piece` is ours now: same bytes, same addresses, no copy. It goes
                        // back the same way, so freeing it is not timed (as in sequential).
                        checksum_traced(ctx, id, &piece.data, piece.first_word).map(|c| (c, piece))
                    });
                    ctx.trace.add_cpu(id, thread_cpu_ns() - cpu0);
                    let _ = res_tx.send(r);
                })
                .map_err(|e| anyhow::anyhow!("cannot start worker {w}: {e}"))?;
            senders.push(tx);
        }
        drop(res_tx);
        let startup_ns = now_ns() - st;
        let t0 = now_ns();
        for (w, (tx, piece)) in senders.iter().zip(p).enumerate() {
            let s = ctx.trace.start();
            tx.send(piece)
                .map_err(|_| anyhow::anyhow!("worker {w} stopped early"))?;
            ctx.trace.end((workers + w) as u32, s, Phase::Send, 1, 24);
        }
        drop(senders);
        let mut sum = 0u64;
        let mut back = Vec::new();
        for _ in 0..workers {
            match res_rx.recv() {
                Ok(Some((c, piece))) => {
                    sum = sum.wrapping_add(c);
                    back.push(piece);
                }
                _ => {
                    ctx.cancel.check()?;
                    return Err(anyhow::anyhow!("a worker stopped early").into());
                }
            }
        }
        let t1 = now_ns();
        drop(back);
        Ok(Handed {
            sum,
            copied: 0,
            child_peaks: Vec::new(),
            startup_ns,
            t0,
            t1,
        })
    })
}

/// Reads little-endian u64 number `i` of a reply.
fn word(reply: &[u8], i: usize) -> anyhow::Result<u64> {
    let b = reply
        .get(i * 8..i * 8 + 8)
        .and_then(|b| b.try_into().ok())
        .context("a child process sent a short reply")?;
    Ok(u64::from_le_bytes(b))
}

/// Child processes that each receive one piece through their pipe, in 1 MiB frames, into a
/// buffer of their own, checksum it and report their peak memory. One sender thread per
/// child (trace slot W + w) so the pipes are filled in parallel.
fn process_copy(ctx: &Ctx<'_>, bytes: u64) -> Result<Handed, DemoError> {
    let workers = ctx.workers.max(1);
    let p = make_pieces(ctx, bytes, workers)?;
    let st = now_ns();
    let mut kids = Vec::new();
    for (w, piece) in p.iter().enumerate() {
        ctx.cancel.check()?;
        let args = vec![
            "--bytes".to_string(),
            piece.data.len().to_string(),
            "--first-word".to_string(),
            piece.first_word.to_string(),
        ];
        let s = ctx.trace.start();
        let mut kid = ChildProcess::spawn(CHILD_KIND, w as u32, &args)?;
        ctx.trace.set_pid(w as u32, kid.pid());
        kid.send(&[])?; // "are you there?"
        kid.flush()?;
        kids.push((kid, s));
    }
    for (w, (kid, s)) in kids.iter_mut().enumerate() {
        kid.recv(ctx.trace)?
            .context("a child process ended before it answered")?;
        ctx.trace.end(w as u32, *s, Phase::Startup, 0, 0);
    }
    let startup_ns = now_ns() - st;
    let t0 = now_ns();
    let replies = std::thread::scope(|s| {
        let mut handles = Vec::new();
        for (w, ((kid, _), piece)) in kids.iter_mut().zip(&p).enumerate() {
            let h = std::thread::Builder::new()
                .name(format!("parlab-mem-send-{w}"))
                .spawn_scoped(s, move || -> Result<[u64; 3], DemoError> {
                    let slot = (workers + w) as u32;
                    let cpu0 = thread_cpu_ns();
                    for big in piece.data.chunks(SPAN_BYTES) {
                        ctx.cancel.check()?;
                        let s = ctx.trace.start();
                        for frame in big.chunks(FRAME) {
                            kid.send(frame)?;
                        }
                        kid.flush()?;
                        ctx.trace.end(slot, s, Phase::Send, 0, big.len() as u64);
                    }
                    kid.send(&[])?; // "that was all"
                    kid.flush()?;
                    ctx.trace.add_cpu(slot, thread_cpu_ns() - cpu0);
                    let reply = kid
                        .recv(ctx.trace)?
                        .context("a child process ended without its checksum")?;
                    Ok([word(reply, 0)?, word(reply, 1)?, word(reply, 2)?])
                })
                .map_err(|e| anyhow::anyhow!("cannot start sender {w}: {e}"))?;
            handles.push(h);
        }
        let mut out = Vec::new();
        for h in handles {
            out.push(
                h.join()
                    .map_err(|_| anyhow::anyhow!("a sender thread panicked"))??,
            );
        }
        Ok::<_, DemoError>(out)
    })?;
    let t1 = now_ns();
    for (kid, _) in kids {
        kid.finish(ctx.trace)?;
    }
    let mut sum = 0u64;
    let mut copied = 0;
    let mut child_peaks = Vec::new();
    for [c, peak, got] in replies {
        sum = sum.wrapping_add(c);
        child_peaks.push(peak);
        copied += got;
    }
    if copied != bytes {
        return Err(anyhow::anyhow!("the children got {copied} of {bytes} bytes").into());
    }
    Ok(Handed {
        sum,
        copied,
        child_peaks,
        startup_ns,
        t0,
        t1,
    })
}

/// The child side: answers an empty frame at once (the start-up handshake); then collects
/// data frames into its own buffer until the next empty frame, checksums the buffer and
/// replies with (checksum, peak RSS in bytes, bytes received).
pub fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let arg = |name: &str| -> u64 {
        io.args
            .windows(2)
            .find(|w| w[0] == name)
            .and_then(|w| w[1].parse().ok())
            .unwrap_or(0)
    };
    let expect = usize::try_from(arg("--bytes")).unwrap_or(0);
    let first_word = arg("--first-word");
    let mut pinged = false;
    // Like unpickling a bytes object: the child holds its own full copy.
    let mut mine: Vec<u8> = Vec::new();
    let mut span = io.start();
    let mut in_span = 0usize;
    loop {
        let Some(d) = io.recv()? else { return Ok(()) };
        if d.is_empty() {
            if !pinged {
                pinged = true;
                mine.reserve_exact(expect);
                io.send(&[])?;
                io.flush()?;
                span = io.start();
                continue;
            }
            if in_span > 0 {
                io.end(span, Phase::Receive, 0, in_span as u64);
            }
            let s = io.start();
            let sum = checksum(&mine, first_word);
            io.end(s, Phase::Compute, mine.len() as u64 / 8, mine.len() as u64);
            let mut out = [0u8; 24];
            out[..8].copy_from_slice(&sum.to_le_bytes());
            out[8..16].copy_from_slice(&peak_rss().to_le_bytes());
            out[16..].copy_from_slice(&(mine.len() as u64).to_le_bytes());
            io.send(&out)?;
            io.flush()?;
            mine = Vec::new();
            in_span = 0;
            continue;
        }
        mine.extend_from_slice(d);
        in_span += d.len();
        if in_span >= SPAN_BYTES {
            io.end(span, Phase::Receive, 0, in_span as u64);
            span = io.start();
            in_span = 0;
        }
    }
}

impl MemoryIpc {
    fn run_bytes(&self, variant: &str, ctx: &Ctx<'_>, bytes: u64) -> Result<Outcome, DemoError> {
        ctx.progress.set_total(bytes);
        let h = match variant {
            "sequential" => sequential(ctx, bytes)?,
            "thread-move" => thread_move(ctx, bytes)?,
            "process-copy" => process_copy(ctx, bytes)?,
            other => {
                return Err(DemoError::Failed(anyhow::anyhow!(
                    "memory-ipc has no variant {other}"
                )));
            }
        };
        let secs = (h.t1 - h.t0) as f64 / 1e9;
        let mut metrics = vec![
            Metric::new("buffer", bytes as f64 / MIB, "MiB"),
            Metric::new("bytes copied between workers", h.copied as f64 / MIB, "MiB"),
        ];
        if variant != "sequential" {
            metrics.push(Metric::new(
                "worker start-up (not timed)",
                h.startup_ns as f64 / 1e6,
                "ms",
            ));
        }
        if h.copied > 0 && secs > 0.0 {
            metrics.push(Metric::new(
                "copy + checksum rate",
                h.copied as f64 / MIB / secs,
                "MiB/s",
            ));
        }
        for (w, peak) in h.child_peaks.iter().enumerate() {
            metrics.push(Metric::new(
                format!("child {w} peak memory (VmHWM)"),
                *peak as f64 / MIB,
                "MiB",
            ));
        }
        let note = match variant {
            "thread-move" => Some(format!(
                "{} thread(s) got {:.0} MiB by moving ownership: 24 bytes each, nothing copied, no extra memory",
                ctx.workers,
                bytes as f64 / MIB
            )),
            "process-copy" => Some(format!(
                "{:.0} MiB went through pipes into {} child process(es), which grew to {:.0} MiB together while parlab still held its own copy",
                h.copied as f64 / MIB,
                h.child_peaks.len(),
                h.child_peaks.iter().sum::<u64>() as f64 / MIB
            )),
            _ => None,
        };
        let mut d = Digest::new();
        d.push(h.sum);
        Ok(Outcome {
            workers: None,
            digest: d.value(),
            items: bytes,
            metrics,
            note,
            timed: Some((h.t0, h.t1)),
        })
    }
}

impl Demo for MemoryIpc {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn memory_estimate(&self, params: &Params, workers: usize) -> u64 {
        // The buffer in parlab, a full copy spread over the children (process-copy), and a
        // frame buffer per child.
        let bytes = params.int("mb").saturating_mul(1 << 20);
        bytes
            .saturating_mul(2)
            .saturating_add((workers as u64 + 1).saturating_mul(4 << 20))
    }

    fn trace_slots(&self, _params: &Params, workers: usize) -> usize {
        // Receivers 0..W, and the senders W..2W.
        2 * workers + 1
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let bytes = ctx.params.int("mb").saturating_mul(1 << 20);
        self.run_bytes(variant, ctx, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{CancelToken, Live, Progress};
    use crate::trace::Tracer;

    fn digest(variant: &str, bytes: u64, workers: usize) -> u64 {
        let demo = MemoryIpc::new();
        let params = Params::defaults(&demo.info().params);
        let cancel = CancelToken::new();
        let trace = Tracer::new(0, 2 * workers + 1, None);
        let progress = Progress::default();
        let live = Live::new(0, None);
        let ctx = Ctx {
            params: &params,
            workers,
            cancel: &cancel,
            trace: &trace,
            progress: &progress,
            live: &live,
        };
        demo.run_bytes(variant, &ctx, bytes).unwrap().digest
    }

    #[test]
    fn every_variant_matches_sequential() {
        // Empty, one byte, a prime, fewer bytes than workers, odd sizes, 3 MiB.
        for bytes in [0, 1, 13, 3, 8 * 1021 + 5, 3 << 20] {
            let seq = digest("sequential", bytes, 1);
            for workers in [1, 2, 4] {
                for v in ["thread-move", "process-copy"] {
                    assert_eq!(digest(v, bytes, workers), seq, "{v} {bytes} B, {workers} w");
                }
            }
        }
    }

    #[test]
    fn pieces_cover_the_buffer_at_word_boundaries() {
        for (bytes, w) in [(0, 3), (3, 4), (17, 2), (80, 3)] {
            let ps = pieces(bytes, w);
            assert_eq!(ps.len(), w);
            assert_eq!(ps[0].start, 0);
            assert_eq!(ps[w - 1].end, bytes);
            for p in &ps[..w - 1] {
                assert_eq!(p.start % 8, 0);
                assert_eq!(p.end % 8, 0);
            }
        }
    }

    #[test]
    fn checksum_adds_up_over_pieces() {
        let mut buf = vec![0u8; 100];
        fill(&mut buf, 0);
        let whole = checksum(&buf, 0);
        let split = checksum(&buf[..40], 0).wrapping_add(checksum(&buf[40..], 5));
        assert_eq!(whole, split);
        assert!(peak_rss() > 0);
    }
}
