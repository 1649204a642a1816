//! The `processes` variant: W child parlab processes (kind [`KIND`](super::KIND)), each given
//! its share of the URLs as JSON and answering with one (index, hash) frame per URL.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::job::{Job, wait};
use super::{Fetched, KIND};
use crate::child::{ChildIo, ChildProcess};
use crate::demos::support::team;
use crate::engine::{Ctx, DemoError};
use crate::trace::{Phase, process_cpu_ns};

/// How often the cancel watcher looks at the cancel token while children run.
const WATCH_EVERY: Duration = Duration::from_millis(5);

/// What a child process is given: the job and its share of URL indices.
#[derive(Debug, Serialize, Deserialize)]
struct Share {
    job: Job,
    urls: Vec<u64>,
}

/// Child side: fetches each URL of its share, sending back (index, hash) per URL and its
/// process CPU time (8 bytes) at the end.
pub fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    while let Some(frame) = io.recv()? {
        let share: Share = serde_json::from_slice(frame).context("bad fetch share")?;
        for i in share.urls {
            let s = io.start();
            wait(share.job.latency_of(i), None);
            io.end(s, Phase::WaitWork, 0, 0);
            let s = io.start();
            let h = share.job.parse(i);
            io.end(s, Phase::Compute, 1, share.job.bytes as u64);
            let mut msg = [0u8; 16];
            msg[..8].copy_from_slice(&i.to_le_bytes());
            msg[8..].copy_from_slice(&h.to_le_bytes());
            io.send(&msg)?;
            io.flush()?;
        }
        io.send(&process_cpu_ns().to_le_bytes())?;
        io.flush()?;
    }
    Ok(())
}

/// Children still running, by worker: the canceller may kill these pids (they are not yet
/// reaped, so the pid cannot belong to anyone else).
struct Running(Mutex<Vec<Option<u32>>>);

impl Running {
    fn set(&self, w: usize, pid: Option<u32>) {
        if let Ok(mut v) = self.0.lock() {
            v[w] = pid;
        }
    }

    fn kill_all(&self) {
        if let Ok(v) = self.0.lock() {
            for pid in v.iter().flatten() {
                let _ = crate::platform::kill(*pid);
            }
        }
    }

    /// Until `stop`: kills every running child once the run is cancelled, so every reader
    /// waiting on a child returns.
    fn watch(&self, ctx: &Ctx<'_>, stop: &AtomicBool) {
        while !stop.load(Ordering::Relaxed) {
            if ctx.cancel.is_cancelled() {
                self.kill_all();
            }
            std::thread::sleep(WATCH_EVERY);
        }
    }
}

/// What one child returned: (URL index, hash) pairs and its process CPU time.
type ChildResult = anyhow::Result<(Vec<(u64, u64)>, u64)>;

/// Reads the 8-byte little-endian word at `k` of a frame.
fn word(d: &[u8], k: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[k..k + 8]);
    u64::from_le_bytes(b)
}

/// One child: start it, hand it its share, collect its results.
fn run_child(w: usize, share: Share, live: &Running, ctx: &Ctx<'_>) -> ChildResult {
    let trace = ctx.trace;
    let s = trace.start();
    let mut child = ChildProcess::spawn(KIND, w as u32, &[])?;
    live.set(w, Some(child.pid()));
    trace.set_pid(w as u32, child.pid());
    trace.end(w as u32, s, Phase::Startup, 0, 0);
    let body = serde_json::to_vec(&share)?;
    child.send(&body)?;
    child.close_input();
    let mut got = Vec::with_capacity(share.urls.len());
    let mut cpu = 0;
    while let Some(d) = child.recv(trace)? {
        match d.len() {
            16 => {
                got.push((word(d, 0), word(d, 8)));
                ctx.progress.add(1);
            }
            8 => cpu = word(d, 0),
            n => anyhow::bail!("fetch child {w} sent a {n}-byte frame"),
        }
    }
    live.set(w, None);
    child.finish(trace)?;
    Ok((got, cpu))
}

/// Up to `workers` children (no more than URLs), child `w` fetching URLs `w, w + p, ...`.
pub(super) fn processes(ctx: &Ctx<'_>, job: &Job, n: u64, workers: usize) -> Fetched {
    let p = workers.min(n as usize);
    let live = Running(Mutex::new(vec![None; p]));
    let stop = AtomicBool::new(false);
    // The watcher is one helper thread beside the team, not a worker: it runs while the team
    // is joined, which `team` does not offer, so it is spawned here.
    let results = std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("parlab-fetch-watch".into())
            .spawn_scoped(s, || live.watch(ctx, &stop))
            .map_err(|e| anyhow::anyhow!("cannot start the cancel watcher of fetch: {e}"))?;
        let r = team("fetch-child").run(ctx, p, |w| {
            let share = Share {
                job: *job,
                urls: (w as u64..n).step_by(p).collect(),
            };
            let r = run_child(w, share, &live, ctx);
            live.set(w, None);
            Ok(r)
        });
        stop.store(true, Ordering::Relaxed);
        r
    })?;
    ctx.cancel.check()?;
    let mut out = vec![0u64; n as usize];
    let mut cpu = 0;
    let mut seen = 0;
    for r in results {
        let (got, c) = r?;
        cpu += c;
        seen += got.len();
        for (i, h) in got {
            let slot = out
                .get_mut(i as usize)
                .ok_or_else(|| anyhow::anyhow!("a child returned URL {i} of {n}"))?;
            *slot = h;
        }
    }
    if seen != n as usize {
        return Err(DemoError::Failed(anyhow::anyhow!(
            "children returned {seen} of {n} URLs"
        )));
    }
    Ok((out, cpu))
}
