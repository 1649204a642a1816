//! The process variant: each of W child processes is sent its piece through its stdin pipe,
//! in 1 MiB frames, into a buffer of its own; every byte is copied.

use std::sync::{Mutex, PoisonError};

use anyhow::Context as _;

use super::data::{Piece, checksum, make_pieces};
use super::{CHILD_KIND, Handed, SPAN_BYTES};
use crate::child::{ChildIo, ChildProcess, arg_u64, flags};
use crate::demos::support::team;
use crate::engine::{Ctx, DemoError};
use crate::platform::peak_rss;
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Bytes per pipe frame (what Python's `send_bytes` of a 1 MiB chunk would write).
const FRAME: usize = 1 << 20;

/// Reads little-endian u64 number `i` of a reply.
fn word(reply: &[u8], i: usize) -> anyhow::Result<u64> {
    let b = reply
        .get(i * 8..i * 8 + 8)
        .and_then(|b| b.try_into().ok())
        .context("a child process sent a short reply")?;
    Ok(u64::from_le_bytes(b))
}

/// Child processes that each receive one piece through their pipe, checksum it and report
/// their peak memory. One sender thread per child (trace slot W + w) so the pipes are filled
/// in parallel.
pub(super) fn process_copy(ctx: &Ctx<'_>, bytes: u64) -> Result<Handed, DemoError> {
    let workers = ctx.workers.max(1);
    let p = make_pieces(ctx, bytes, workers)?;
    let st = now_ns();
    let kids = spawn_receivers(ctx, &p)?;
    let startup_ns = now_ns() - st;
    let t0 = now_ns();
    let replies = team("mem-send").run(ctx, workers, |w| {
        let mut kid = kids[w].lock().unwrap_or_else(PoisonError::into_inner);
        send_piece(ctx, (workers + w) as u32, &mut kid, &p[w])
    })?;
    let t1 = now_ns();
    for kid in kids {
        kid.into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .finish(ctx.trace)?;
    }
    let mut h = Handed {
        startup_ns,
        t0,
        t1,
        ..Handed::default()
    };
    for [c, peak, got] in replies {
        h.sum = h.sum.wrapping_add(c);
        h.child_peaks.push(peak);
        h.copied += got;
    }
    if h.copied != bytes {
        return Err(anyhow::anyhow!("the children got {} of {bytes} bytes", h.copied).into());
    }
    Ok(h)
}

/// Starts one child per piece and waits until each has answered once (start-up is not
/// timed), recording each child's start-up span.
fn spawn_receivers(ctx: &Ctx<'_>, p: &[Piece]) -> Result<Vec<Mutex<ChildProcess>>, DemoError> {
    let mut kids = Vec::new();
    for (w, piece) in p.iter().enumerate() {
        ctx.cancel.check()?;
        let args = flags(&[
            ("--bytes", piece.data.len() as u64),
            ("--first-word", piece.first_word),
        ]);
        let s = ctx.trace.start();
        let mut kid = ChildProcess::spawn(CHILD_KIND, w as u32, &args)?;
        ctx.trace.set_pid(w as u32, kid.pid());
        kid.send(&[])?; // "are you there?"
        kid.flush()?;
        kids.push((kid, s));
    }
    let mut out = Vec::with_capacity(kids.len());
    for (w, (mut kid, s)) in kids.into_iter().enumerate() {
        kid.recv(ctx.trace)?
            .context("a child process ended before it answered")?;
        ctx.trace.end(w as u32, s, Phase::Startup, 0, 0);
        out.push(Mutex::new(kid));
    }
    Ok(out)
}

/// Sends `piece` to `kid` in frames (spans on trace slot `slot`), then "that was all"; the
/// child's reply: checksum, peak memory, bytes it received.
fn send_piece(
    ctx: &Ctx<'_>,
    slot: u32,
    kid: &mut ChildProcess,
    piece: &Piece,
) -> Result<[u64; 3], DemoError> {
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
}

/// The child side: answers an empty frame at once (the start-up handshake); then collects
/// data frames into its own buffer until the next empty frame, checksums the buffer and
/// replies with (checksum, peak RSS in bytes, bytes received).
pub(super) fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let expect = usize::try_from(arg_u64(&io.args, "--bytes")?)?;
    let first_word = arg_u64(&io.args, "--first-word")?;
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
