//! Elsewhere than Linux: per-process CPU time and memory from sysinfo, one row per process,
//! no thread states and no waiting for a CPU (said on screen and in the report).

use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};

use super::{ProcReading, ThreadReading};

/// Reads the processes under `root` (itself and its descendants).
pub fn read_tree(root: u32) -> Vec<ProcReading> {
    let Ok(mut sys) = System::new() else {
        return Vec::new();
    };
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
                .filter(|(_, p)| p.parent() == Some(parent))
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
