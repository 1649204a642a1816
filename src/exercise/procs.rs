//! The few kernel readings the runner's limits need, kept cheap because they run beside the
//! program being timed: a process group's size and memory (one pass over `/proc`), a zombie's
//! CPU time including its reaped children, and the system's task count (one small file) as the
//! fast trigger for a fork bomb. Linux only; elsewhere every reading is `None` and the limits
//! fall back to the time limit and the group kill.

/// A process group's size and memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Group {
    /// Processes in the group.
    pub processes: usize,
    /// Their proportional resident memory (PSS), bytes: a page shared by N processes counts
    /// 1/N in each, so forked workers that share their parent's pages copy-on-write are not
    /// counted N times (summed RSS would stop a few dozen idle forks for "memory").
    pub rss: u64,
}

/// The fields after the `)` closing the command name of `/proc/PID/stat`.
#[cfg(target_os = "linux")]
fn stat_fields(pid: &str) -> Option<Vec<u64>> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = s.rsplit_once(')')?;
    // Field 3 (the state letter) is not a number; keep the positions with a placeholder.
    Some(
        rest.split_whitespace()
            .map(|f| f.parse::<i64>().map_or(0, |v| v.max(0) as u64))
            .collect(),
    )
}

/// The processes of group `pgid` and their memory now.
pub fn group(pgid: u32) -> Option<Group> {
    #[cfg(target_os = "linux")]
    {
        let page = 4096u64;
        let mut g = Group::default();
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let name = entry.file_name();
            let Some(pid) = name
                .to_str()
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
            else {
                continue;
            };
            // After ')': state, ppid, pgrp, ... rss is field 24 (index 21 here).
            if let Some(f) = stat_fields(pid)
                && f.get(2).copied() == Some(u64::from(pgid))
            {
                g.processes += 1;
                g.rss += pss(pid).unwrap_or_else(|| f.get(21).copied().unwrap_or(0) * page);
            }
        }
        Some(g)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pgid;
        None
    }
}

/// The proportional set size of `pid`, bytes, from `/proc/PID/smaps_rollup` (Linux 4.14+).
#[cfg(target_os = "linux")]
fn pss(pid: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let line = s.lines().find(|l| l.starts_with("Pss:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// CPU time, ns, of exited-but-unreaped `pid` and every child it reaped (utime + stime +
/// cutime + cstime): the whole tree's CPU for a program whose workers were joined.
pub fn zombie_cpu_ns(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let f = stat_fields(&pid.to_string())?;
        let ticks: u64 = f.get(11..15)?.iter().sum();
        Some(ticks * crate::observe::procfs_ns_per_tick())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

/// Tasks on the whole system now (`/proc/loadavg`'s fourth field, after the `/`).
pub fn system_tasks() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/loadavg").ok()?;
    s.split_whitespace().nth(3)?.split_once('/')?.1.parse().ok()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn reads_this_group_and_the_task_count() {
        let me = rustix::process::getpgrp().as_raw_nonzero().get() as u32;
        let g = group(me).unwrap();
        assert!(g.processes >= 1 && g.rss > 0, "{g:?}");
        assert!(system_tasks().unwrap() > 0);
    }
}
