//! The child process's side of the `processes` variant: one task, then its measurements.

use anyhow::Context as _;

use super::task_result;
use crate::child::ChildIo;
use crate::platform::proc_status_bytes;
use crate::trace::{Phase, SpanStart, now_ns};

/// Name of the child worker kind.
pub const KIND: &str = "start-task";

/// Child side: args are `SPAWNED_NS TASK ITEMS`. Records its start-up span (from the
/// parent's spawn call to here) and its compute span, then sends
/// `[result, peak RSS bytes, running-at ns, compute-end ns]` as four little-endian u64.
pub fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let arg = |i: usize| -> anyhow::Result<u64> {
        io.args
            .get(i)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("{KIND}: argument {i} missing or not a number"))
    };
    let (spawned, task, items) = (arg(0)?, arg(1)?, arg(2)?);
    let ready = io.start();
    io.end(
        SpanStart {
            t: spawned,
            core: ready.core,
        },
        Phase::Startup,
        0,
        0,
    );
    let s = io.start();
    let r = task_result(task, items);
    io.end(s, Phase::Compute, items, 0);
    let end = now_ns();
    let hwm = proc_status_bytes("VmHWM").unwrap_or(0);
    let mut out = Vec::with_capacity(32);
    for v in [r, hwm, ready.t, end] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    io.send(&out)?;
    io.flush()
}
