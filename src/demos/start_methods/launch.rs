//! Starting one worker for one task, on a new thread or in a new child process, and timing
//! its start-up and its exit.

use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context as _;

use super::{KIND, task_result_cancellable};
use crate::child::ChildProcess;
use crate::demos::support;
use crate::engine::{Ctx, DemoError};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// What one started worker measured.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Started {
    pub result: u64,
    pub startup_ns: u64,
    pub teardown_ns: u64,
    pub rss: u64,
}

/// Runs task `t` on a new thread in worker slot `w`.
pub(super) fn on_thread(ctx: &Ctx<'_>, w: u32, t: u64, items: u64) -> Result<Started, DemoError> {
    let name = format!("start-{w}");
    let spawned = now_ns();
    let ready = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    // A team of one: the thread's own start-up span and CPU go to slot `w`, not to the
    // team's worker 0, so they are recorded here rather than by `traced()`.
    let r = support::team(&name).run(ctx, 1, |_| {
        let cpu0 = thread_cpu_ns();
        let begun = ctx.trace.start();
        ready.store(begun.t, Ordering::Relaxed);
        ctx.trace
            .record(w, begun.core, Phase::Startup, spawned, begun.t, 0, 0);
        let c = ctx.trace.start();
        let r = task_result_cancellable(t, items, || ctx.cancel.is_cancelled());
        ctx.trace.end(w, c, Phase::Compute, items, 0);
        done.store(now_ns(), Ordering::Relaxed);
        ctx.trace.add_cpu(w, thread_cpu_ns() - cpu0);
        Ok(r)
    })?;
    let joined = now_ns();
    let result = r.into_iter().flatten().next().ok_or(DemoError::Cancelled)?;
    Ok(Started {
        result,
        startup_ns: ready.load(Ordering::Relaxed).saturating_sub(spawned),
        teardown_ns: joined.saturating_sub(done.load(Ordering::Relaxed)),
        rss: 0,
    })
}

/// Runs task `t` in a new child process in worker slot `w`.
pub(super) fn on_process(ctx: &Ctx<'_>, w: u32, t: u64, items: u64) -> Result<Started, DemoError> {
    let spawned = now_ns();
    let args = [spawned.to_string(), t.to_string(), items.to_string()];
    let mut child = ChildProcess::spawn(KIND, w, &args)?;
    ctx.trace.set_pid(w, child.pid());
    let data = child
        .recv(ctx.trace)?
        .context("the child exited without a result")?;
    let field = |i: usize| -> u64 {
        data.get(i * 8..i * 8 + 8)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u64::from_le_bytes)
    };
    let (result, rss, ready, done) = (field(0), field(1), field(2), field(3));
    if data.len() != 32 {
        return Err(anyhow::anyhow!("the child sent {} bytes, expected 32", data.len()).into());
    }
    child.finish(ctx.trace)?;
    let reaped = now_ns();
    Ok(Started {
        result,
        startup_ns: ready.saturating_sub(spawned),
        teardown_ns: reaped.saturating_sub(done),
        rss,
    })
}
