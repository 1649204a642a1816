//! Who sits at the other end: a peer thread (over a channel or an OS pipe pair) or a peer
//! child process (over its stdin/stdout); and the benchmark's bulk transfer to a child.

use std::time::Duration;

use anyhow::anyhow;

use super::data::Pattern;
use super::drive::{Env, Measured, drive};
use super::links::{ChildLink, Link, Traced};
use super::peer::serve;
use super::{KIND, Plan};
use crate::child::{ChildProcess, flags};
use crate::engine::{CancelToken, Ctx, DemoError, Progress};
use crate::trace::{Tracer, thread_cpu_ns};

impl Plan {
    /// The peer child's arguments.
    fn args(&self) -> Vec<String> {
        flags(&[
            ("--rounds", self.rounds),
            ("--msg", self.msg as u64),
            ("--size", self.size),
        ])
    }
}

fn env<'a>(ctx: &'a Ctx<'_>) -> Env<'a> {
    Env {
        trace: ctx.trace,
        cancel: ctx.cancel,
        progress: ctx.progress,
    }
}

/// Runs [`serve`] on a peer thread (worker 1) while this thread drives `near`. One thread,
/// spawned and joined here rather than by `support::team`: the peer owns its end of the
/// connection (moved in once), and this thread must drive the other end meanwhile.
pub(super) fn with_thread_peer<L: Link + Send>(
    ctx: &Ctx<'_>,
    plan: Plan,
    pat: &Pattern,
    (mut near, far): (L, L),
) -> Result<Measured, DemoError> {
    let env = env(ctx);
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
pub(super) fn with_process_peer(
    ctx: &Ctx<'_>,
    plan: Plan,
    pat: &Pattern,
) -> Result<Measured, DemoError> {
    let child = ChildProcess::spawn(KIND, 1, &plan.args())?;
    ctx.trace.set_pid(1, child.pid());
    let mut link = ChildLink {
        child,
        trace: ctx.trace,
    };
    let cpu0 = thread_cpu_ns();
    let m = drive(&env(ctx), &mut link, plan, pat)?;
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
