//! The thread variants: one thread checksums the buffer where it is, or W threads are each
//! handed a piece by moving ownership (only the `Vec`'s 24-byte header travels).

use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded};

use super::Handed;
use super::data::{Piece, checksum_traced, make_pieces};
use crate::demos::support::team;
use crate::engine::{Ctx, DemoError};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// One thread checksums the whole buffer in place.
pub(super) fn sequential(ctx: &Ctx<'_>, bytes: u64) -> Result<Handed, DemoError> {
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
        t0,
        t1,
        ..Handed::default()
    })
}

/// Threads that each wait for a piece on a channel, take ownership of it, checksum it and
/// hand it back. Only the `Vec`'s 24-byte header travels; the bytes stay where they are.
pub(super) fn thread_move(ctx: &Ctx<'_>, bytes: u64) -> Result<Handed, DemoError> {
    let workers = ctx.workers.max(1);
    let p = make_pieces(ctx, bytes, workers)?;
    let (senders, inboxes): (Vec<_>, Vec<_>) = (0..workers).map(|_| bounded::<Piece>(1)).unzip();
    let (ready_tx, ready_rx) = bounded::<()>(workers);
    let (res_tx, res_rx) = bounded::<(u64, Piece)>(workers);
    let st = now_ns();
    std::thread::scope(|s| {
        // The job owns the result sender: when every worker is done, receiving stops.
        let running = team("mem").start(s, ctx, workers, move |w| {
            let _ = ready_tx.send(());
            take_piece(ctx, w as u32, &inboxes[w], &res_tx)
        })?;
        // Start-up is not timed: wait until every worker runs.
        for _ in 0..workers {
            if ready_rx.recv().is_err() {
                break;
            }
        }
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
        // The pieces come back, so freeing them is not timed (as in sequential).
        let mut back = Vec::with_capacity(workers);
        for (c, piece) in res_rx.iter().take(workers) {
            sum = sum.wrapping_add(c);
            back.push(piece);
        }
        let t1 = now_ns();
        running.join()?;
        if back.len() < workers {
            return Err(anyhow::anyhow!("a worker stopped early").into());
        }
        drop(back);
        Ok(Handed {
            sum,
            startup_ns,
            t0,
            t1,
            ..Handed::default()
        })
    })
}

/// A worker of `thread_move`: waits for its piece, checksums it (it owns the same bytes at
/// the same addresses: no copy) and sends the checksum and the piece back.
fn take_piece(
    ctx: &Ctx<'_>,
    id: u32,
    inbox: &Receiver<Piece>,
    results: &Sender<(u64, Piece)>,
) -> Result<(), DemoError> {
    let cpu0 = thread_cpu_ns();
    let got = loop {
        match inbox.recv_timeout(Duration::from_millis(20)) {
            Ok(p) => break Some(p),
            Err(RecvTimeoutError::Timeout) if !ctx.cancel.is_cancelled() => {}
            Err(_) => break None,
        }
    };
    let r = got.and_then(|piece| {
        checksum_traced(ctx, id, &piece.data, piece.first_word).map(|c| (c, piece))
    });
    ctx.trace.add_cpu(id, thread_cpu_ns() - cpu0);
    let (c, piece) = r.ok_or(DemoError::Cancelled)?;
    let _ = results.send((c, piece));
    Ok(())
}
