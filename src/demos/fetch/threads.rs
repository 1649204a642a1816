//! The in-process variants: one thread going through the URLs, and W threads each taking the
//! next URL from a shared counter.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::Fetched;
use super::job::{Job, fetch_traced};
use crate::demos::support::team;
use crate::engine::{Ctx, DemoError};
use crate::trace::thread_cpu_ns;

/// The reference: URLs `0..n` one after another on the calling thread.
pub(super) fn sequential(ctx: &Ctx<'_>, job: &Job, n: u64) -> Fetched {
    let cpu0 = thread_cpu_ns();
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        out.push(fetch_traced(job, i, 0, ctx.trace, ctx.cancel).ok_or(DemoError::Cancelled)?);
        ctx.progress.add(1);
    }
    let cpu = thread_cpu_ns() - cpu0;
    ctx.trace.add_cpu(0, cpu);
    Ok((out, cpu))
}

/// `workers` threads, each taking the next URL from a shared counter until none is left.
pub(super) fn threads(ctx: &Ctx<'_>, job: &Job, n: u64, workers: usize) -> Fetched {
    let next = AtomicUsize::new(0);
    let results = team("fetch").traced().run(ctx, workers, |w| {
        let cpu0 = thread_cpu_ns();
        let mut got = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed) as u64;
            if i >= n {
                break;
            }
            let Some(h) = fetch_traced(job, i, w as u32, ctx.trace, ctx.cancel) else {
                break;
            };
            got.push((i, h));
            ctx.progress.add(1);
        }
        Ok((got, thread_cpu_ns() - cpu0))
    })?;
    ctx.cancel.check()?;
    let mut out = vec![0u64; n as usize];
    let mut cpu = 0;
    for (got, c) in results {
        cpu += c;
        for (i, h) in got {
            out[i as usize] = h;
        }
    }
    Ok((out, cpu))
}
