//! The process side of the queue lesson: producer child processes writing batches to their
//! pipes, reader threads forwarding them onto the queue, and `join-first`'s attempt to join
//! the producers before anyone reads.

use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::anyhow;
use crossbeam_channel::{SendTimeoutError, Sender};

use super::threads::Waits;
use super::{KIND, POLL, SAMPLE, Shape};
use crate::child::{ChildIo, ChildProcess, arg_u64, flags, stop_when_parent_closes};
use crate::demos::support::share;
use crate::engine::{Ctx, DemoError};
use crate::platform::{has_exited, wait_channel};
use crate::trace::{Phase, now_ns};

/// How long `join-first` waits for its producers before calling them stuck.
pub const JOIN_TIMEOUT: Duration = Duration::from_millis(200);
/// Bytes an OS pipe buffers by default on Linux.
const PIPE_BUFFER: u64 = 64 * 1024;

/// Starts one producer process per share of the numbers.
pub(super) fn spawn_producers(ctx: &Ctx<'_>, s: Shape) -> Result<Vec<ChildProcess>, DemoError> {
    let mut kids = Vec::with_capacity(s.producers);
    for p in 0..s.producers {
        ctx.cancel.check()?;
        let r = share(s.n, s.producers, p);
        let args = flags(&[("--from", r.start), ("--to", r.end), ("--batch", s.batch)]);
        let kid = ChildProcess::spawn(KIND, p as u32, &args)?;
        ctx.trace.set_pid(p as u32, kid.pid());
        kids.push(kid);
    }
    Ok(kids)
}

/// What `join-first` saw when it tried to join its producers.
pub(super) struct JoinAttempt {
    pub(super) waited_ms: f64,
    pub(super) stuck: usize,
    wchan: Option<String>,
}

/// Waits up to [`JOIN_TIMEOUT`] for every producer process to exit without reading their
/// pipes: Python's `p.join()` before `q.get()`.
pub(super) fn try_join(
    ctx: &Ctx<'_>,
    s: Shape,
    kids: &[ChildProcess],
) -> Result<JoinAttempt, DemoError> {
    let sp = ctx.trace.start();
    let deadline = now_ns() + JOIN_TIMEOUT.as_nanos() as u64;
    let stuck = loop {
        ctx.cancel.check()?;
        let stuck = kids.iter().filter(|k| !has_exited(k.pid())).count();
        if stuck == 0 || now_ns() >= deadline {
            break stuck;
        }
        std::thread::sleep(SAMPLE);
    };
    let wchan = kids
        .iter()
        .find(|k| !has_exited(k.pid()))
        .and_then(|k| wait_channel(k.pid()));
    ctx.trace.end(s.main_id(), sp, Phase::WaitWork, 0, 0);
    Ok(JoinAttempt {
        waited_ms: (now_ns() - sp.t) as f64 / 1e6,
        stuck,
        wchan,
    })
}

/// A reader thread: frames from one producer process onto the queue, then reaps it.
pub(super) fn forward(
    ctx: &Ctx<'_>,
    mut kid: ChildProcess,
    tx: &Sender<Vec<u64>>,
    waits: &Waits,
) -> Result<(), DemoError> {
    loop {
        ctx.cancel.check()?;
        let Some(frame) = kid.recv(ctx.trace)? else {
            break;
        };
        let mut msg: Vec<u64> = frame
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
            .collect();
        // Blocking here leaves the child blocked on its full pipe: back-pressure crosses the
        // process boundary. The child's own send spans show it.
        loop {
            match tx.send_timeout(msg, POLL) {
                Ok(()) => {
                    waits.saw_depth(tx.len());
                    break;
                }
                Err(SendTimeoutError::Timeout(m)) => {
                    waits.saw_full(tx);
                    ctx.cancel.check()?;
                    msg = m;
                }
                Err(SendTimeoutError::Disconnected(_)) => {
                    return Err(DemoError::Failed(anyhow!("the consumers stopped early")));
                }
            }
        }
    }
    kid.finish(ctx.trace)?;
    Ok(())
}

/// What `join-first` tells the learner: the deadlock, or why it hid at this size.
pub(super) fn join_note(s: &Shape, j: &JoinAttempt) -> String {
    let bytes = s.n * 8;
    if j.stuck == 0 {
        format!(
            "join returned after {:.1} ms: all {bytes} bytes fit in the pipe buffers ({} KiB \
             each), so the producers could exit. The bug hides at this size; try --size 100000",
            j.waited_ms,
            PIPE_BUFFER / 1024
        )
    } else {
        let wchan = j
            .wchan
            .as_deref()
            .map(|w| format!(" (the kernel says it sleeps in {w})"))
            .unwrap_or_default();
        format!(
            "join did not return: after {:.0} ms {} producer(s) were still blocked writing to a \
             full pipe{wchan} that nobody reads until join returns: a deadlock. parlab gave up \
             waiting, drained the queue, then joined",
            j.waited_ms, j.stuck
        )
    }
}

/// Child side of [`KIND`]: streams the numbers of its share in batches on stdout.
pub(super) fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let from = arg_u64(&io.args, "--from")?;
    let to = arg_u64(&io.args, "--to")?;
    let batch = arg_u64(&io.args, "--batch")?.max(1);
    let stop = stop_when_parent_closes();
    let mut buf = Vec::new();
    let mut i = from;
    while i < to {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let end = (i + batch).min(to);
        buf.clear();
        for x in i + 1..=end {
            buf.extend_from_slice(&x.to_le_bytes());
        }
        // One message per batch, pushed to the pipe at once: blocks while the pipe is full.
        let sp = io.start();
        io.send(&buf)?;
        io.flush()?;
        io.end(sp, Phase::Send, end - i, buf.len() as u64);
        i = end;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::queue::Params;
    use crate::engine::{DemoParams as _, Params as Map};

    #[test]
    fn join_note_says_whether_it_hid() {
        let p = Params::from_params(&Map::defaults(&Params::specs()));
        let s = Shape::new(&p, 2);
        let fine = JoinAttempt {
            waited_ms: 1.0,
            stuck: 0,
            wchan: None,
        };
        assert!(join_note(&s, &fine).starts_with("join returned"));
        let stuck = JoinAttempt {
            waited_ms: 200.0,
            stuck: 1,
            wchan: Some("pipe_write".into()),
        };
        assert!(join_note(&s, &stuck).contains("pipe_write"));
    }
}
