//! Elsewhere than Linux: per-process CPU time and memory from sysinfo, one row per process,
//! no thread states and no waiting for a CPU (said on screen and in the report). sysinfo's
//! CPU figures move at its own interval ([`sysinfo::MINIMUM_CPU_UPDATE_INTERVAL`], 200 ms on
//! most systems), so the tree is read again only that often; readings in between repeat the
//! last one. Compiled everywhere, so Linux tests exercise it too
//! ([`Reading::Sysinfo`](super::Reading::Sysinfo)).

use std::time::Instant;

use sysinfo::{MINIMUM_CPU_UPDATE_INTERVAL, Pid, ProcessRefreshKind, ProcessesToUpdate, System};

use super::{ProcReading, ThreadReading};

/// What the screen and the report say when the tree is read this way.
pub const NOTE: &str = "no /proc here: per-process CPU from sysinfo every 200 ms, no thread states, waiting for a CPU not measured";

/// Reads a tree through sysinfo at its interval.
#[derive(Default)]
pub struct Reader {
    sys: Option<System>,
    at: Option<Instant>,
    readings: Vec<ProcReading>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("fallback::Reader")
            .field("processes", &self.readings.len())
            .finish()
    }
}

impl Reader {
    /// The processes under `root` (itself first, then its descendants), read again once
    /// sysinfo's interval has passed since the last time.
    pub fn read(&mut self, root: u32) -> &[ProcReading] {
        let due = self
            .at
            .is_none_or(|at| at.elapsed() >= MINIMUM_CPU_UPDATE_INTERVAL);
        let same_root = self.readings.first().is_none_or(|p| p.pid == root);
        if due || !same_root {
            if self.sys.is_none() {
                self.sys = System::new().ok();
            }
            self.readings = self
                .sys
                .as_mut()
                .map_or_else(Vec::new, |s| read_tree(s, root));
            self.at = Some(Instant::now());
        }
        &self.readings
    }
}

/// Refreshes `sys` and reads the processes under `root`.
fn read_tree(sys: &mut System, root: u32) -> Vec<ProcReading> {
    sys.refresh_processes_specifics(
        ProcessesToUpdate::All,
        true,
        ProcessRefreshKind::nothing().with_memory().with_cpu(),
    );
    let mut pids = vec![Pid::from_u32(root)];
    let mut i = 0;
    while i < pids.len() && pids.len() < super::MAX_PROCESSES {
        let parent = pids[i];
        pids.extend(
            sys.processes()
                .iter()
                // Linux lists threads as processes too: they are not children.
                .filter(|(_, p)| p.parent() == Some(parent) && p.thread_kind().is_none())
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    pids.iter()
        .filter_map(|pid| {
            let p = sys.process(*pid)?;
            let ticks = p.accumulated_cpu_time() / 10;
            let comm = p.name().to_string_lossy().into_owned();
            Some(ProcReading {
                pid: pid.as_u32(),
                ppid: p.parent().map_or(0, |x| x.as_u32()),
                comm: comm.clone(),
                zombie: false,
                ticks,
                rss: p.memory(),
                cmdline: comm.clone(),
                threads: vec![ThreadReading {
                    tid: pid.as_u32(),
                    comm,
                    state: 'S',
                    ticks,
                    core: u16::MAX,
                    sched: None,
                }],
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fallback on this system: this process and a sleeping child, one row each, CPU in
    /// ticks, no scheduler statistics.
    #[test]
    fn sysinfo_reads_the_tree_at_its_interval() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let me = std::process::id();
        let mut r = Reader::default();
        let first: Vec<u32> = r.read(me).iter().map(|p| p.pid).collect();
        assert_eq!(first.first(), Some(&me));
        assert!(first.contains(&child.id()), "{first:?}");
        let mine = &r.read(me)[0];
        assert_eq!(mine.threads.len(), 1);
        assert_eq!(mine.threads[0].sched, None);
        assert!(mine.rss > 0);
        // Within sysinfo's interval the reading repeats.
        let at = r.at;
        r.read(me);
        assert!(r.at == at || at.unwrap().elapsed() >= MINIMUM_CPU_UPDATE_INTERVAL);
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
