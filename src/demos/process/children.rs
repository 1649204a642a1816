//! The process variants: W child processes each sum their share and report back; joined
//! (`processes`), or left running while main returns (`no-join`).

use anyhow::anyhow;

use super::msg::Msg;
use super::{KIND, startup_metrics};
use crate::child::{ChildProcess, flags};
use crate::demos::kernels::Work;
use crate::demos::sums::sum_digest;
use crate::demos::support::share;
use crate::engine::{Choice as _, Ctx, DemoError, Metric, Outcome};
use crate::platform::has_exited;
use crate::trace::now_ns;

/// A started share child and when its spawn call began.
struct Share {
    child: ChildProcess,
    spawned_at: u64,
    startup: Option<u64>,
    done: Option<(u64, u64)>,
}

fn spawn_shares(ctx: &Ctx<'_>, n: u64, work: Work) -> Result<Vec<Share>, DemoError> {
    let w_count = ctx.workers.max(1);
    let mut kids = Vec::with_capacity(w_count);
    for w in 0..w_count {
        ctx.cancel.check()?;
        let r = share(n, w_count, w);
        let spawned_at = now_ns();
        let mut args = flags(&[
            ("--from", r.start),
            ("--to", r.end),
            ("--spawned", spawned_at),
        ]);
        args.extend(["--work".to_string(), work.name().to_string()]);
        let child = ChildProcess::spawn(KIND, w as u32, &args)?;
        ctx.trace.set_pid(w as u32, child.pid());
        kids.push(Share {
            child,
            spawned_at,
            startup: None,
            done: None,
        });
    }
    Ok(kids)
}

impl Share {
    /// Reads the child's messages until its result arrives (the first half of a join).
    fn wait_result(&mut self, ctx: &Ctx<'_>) -> Result<(u64, u64), DemoError> {
        while self.done.is_none() {
            ctx.cancel.check()?;
            let frame = self
                .child
                .recv(ctx.trace)?
                .ok_or_else(|| anyhow!("a worker process ended without its result"))?;
            match Msg::decode(frame)? {
                Msg::Started(t) => self.startup = Some(t.saturating_sub(self.spawned_at)),
                Msg::Progress(i) => ctx.progress.add(i),
                Msg::Done(s, c) => self.done = Some((s, c)),
            }
        }
        ctx.cancel.check()?;
        Ok(self.done.unwrap_or_default())
    }
}

/// W child processes, each joined: the answer has every share.
pub(super) fn processes(ctx: &Ctx<'_>, n: u64, work: Work) -> Result<Outcome, DemoError> {
    let mut kids = spawn_shares(ctx, n, work)?;
    let mut sum = 0u64;
    let mut count = 0u64;
    for k in &mut kids {
        let (s, c) = k.wait_result(ctx)?;
        sum = sum.wrapping_add(s);
        count += c;
    }
    let startups: Vec<u64> = kids.iter().filter_map(|k| k.startup).collect();
    // join: wait for each process to exit (and collect its CPU time).
    for k in kids {
        k.child.finish(ctx.trace)?;
    }
    Ok(Outcome {
        digest: sum_digest(sum, count),
        items: n,
        metrics: startup_metrics("process", &startups),
        ..Outcome::default()
    })
}

/// W child processes, and main returns at once: its answer counts only what had finished.
pub(super) fn no_join(ctx: &Ctx<'_>, n: u64, work: Work) -> Result<Outcome, DemoError> {
    let t0 = now_ns();
    let mut kids = spawn_shares(ctx, n, work)?;
    // Main is done here: it returns without joining. What has finished by now?
    let returned = now_ns();
    let finished: Vec<bool> = kids.iter().map(|k| has_exited(k.child.pid())).collect();
    let mut sum = 0u64;
    let mut count = 0u64;
    for (k, _) in kids.iter_mut().zip(&finished).filter(|(_, f)| **f) {
        let (s, c) = k.wait_result(ctx)?;
        sum = sum.wrapping_add(s);
        count += c;
    }
    // parlab still reaps every worker, as Python joins non-daemon processes at exit.
    let reap0 = now_ns();
    let mut startups = Vec::new();
    for mut k in kids {
        k.wait_result(ctx)?;
        startups.extend(k.startup);
        k.child.finish(ctx.trace)?;
    }
    let reaped_ms = (now_ns() - reap0) as f64 / 1e6;
    let done = finished.iter().filter(|f| **f).count();
    let returned_ms = (returned - t0) as f64 / 1e6;
    let mut metrics = vec![
        Metric::new("main returned after", returned_ms, "ms"),
        Metric::new("workers finished when main returned", done as f64, ""),
        Metric::new("items counted by main", count as f64, ""),
        Metric::new("waited afterwards to reap the rest", reaped_ms, "ms"),
    ];
    metrics.extend(startup_metrics("process", &startups));
    let note = format!(
        "main returned {returned_ms:.2} ms after starting {} worker processes; {done} of them \
         had finished, so its answer counts {count} of {n} items. The others kept running: \
         parlab waited {reaped_ms:.1} ms more to reap them.",
        finished.len()
    );
    Ok(Outcome {
        mismatch: Some(format!("counted {count} of {n} items")),
        workers: None,
        digest: sum_digest(sum, count),
        items: count,
        metrics,
        note: Some(note),
        // The whole pass, reaping included: parlab cannot leave the workers running.
        timed: None,
    })
}
