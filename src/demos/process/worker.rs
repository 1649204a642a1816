//! The child side of the process demo: sum one share, reporting the first timestamp,
//! progress and the result.

use std::sync::atomic::Ordering;

use super::msg::Msg;
use crate::child::{ChildIo, arg, arg_u64, stop_when_parent_closes};
use crate::demos::kernels::Work;
use crate::demos::sums::sum_share;
use crate::trace::{Phase, SpanStart, core_now, now_ns};

/// A child reports progress (and its spans) about this often.
const REPORT_NS: u64 = 20_000_000;

/// Child side of [`KIND`](super::KIND): sums its share, reporting its first timestamp,
/// progress and result.
pub(super) fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let first = now_ns();
    let core = core_now();
    let from = arg_u64(&io.args, "--from")?;
    let to = arg_u64(&io.args, "--to")?;
    let spawned = arg_u64(&io.args, "--spawned")?;
    let text = arg(&io.args, "--work")?;
    let work = <Work as crate::engine::Choice>::from_name(text)
        .ok_or_else(|| anyhow::anyhow!("--work {text} is not trivial or heavy"))?;
    let startup = SpanStart {
        t: spawned.min(first),
        core,
    };
    io.end(startup, Phase::Startup, 0, 0);
    io.send(&Msg::Started(first).encode())?;
    io.flush()?;
    let stop = stop_when_parent_closes();
    let mut sp = io.start();
    let mut sent = Ok(());
    let mut pending = 0;
    let mut last_report = now_ns();
    let sum = sum_share(
        from..to,
        work,
        || stop.load(Ordering::Relaxed),
        |items| {
            io.end(sp, Phase::Compute, items, 0);
            pending += items;
            // Every write wakes the parent; on a busy machine that can cost this worker its
            // core, so progress (and spans) go out in rare, small reports.
            if sent.is_ok() && now_ns() - last_report >= REPORT_NS {
                sent = io
                    .send(&Msg::Progress(pending).encode())
                    .and_then(|()| io.flush());
                pending = 0;
                last_report = now_ns();
            }
            sp = io.start();
        },
    );
    sent?;
    let Some(sum) = sum else { return Ok(()) };
    io.send(&Msg::Progress(pending).encode())?;
    io.send(&Msg::Done(sum, to.saturating_sub(from)).encode())?;
    io.flush()
}
