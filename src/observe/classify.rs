//! One thread, one bin: was it running, waiting for a CPU, or blocked? And whether this
//! kernel's scheduler statistics can tell the waiting apart at all.

use crate::trace::Phase;

use super::procfs_ns_per_tick;

/// What the scheduler statistics of this kernel are worth, learned from the readings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchedStats {
    /// Nothing seen yet that tells.
    Unknown,
    /// `schedstat` counts time on a CPU: waiting for one is measured.
    Works,
    /// No `schedstat`, or it reads `0 0 N` while threads use CPU (some VMs): waiting for a
    /// CPU cannot be measured; running comes from `utime`/`stime` and the state letter.
    Absent,
}

impl SchedStats {
    /// Learns from one thread's reading: its `schedstat` pair and its CPU ticks.
    pub fn learn(&mut self, sched: Option<(u64, u64)>, ticks: u64) {
        if *self == SchedStats::Works {
            return;
        }
        match sched {
            Some((run, _)) if run > 0 => *self = SchedStats::Works,
            _ if ticks > 0 => *self = SchedStats::Absent,
            _ => {}
        }
    }

    /// The sentence the screen and the report show when waiting cannot be measured.
    pub fn note(self) -> Option<&'static str> {
        (self == SchedStats::Absent).then_some(
            "this kernel keeps no scheduler statistics: waiting for a CPU cannot be measured",
        )
    }
}

/// Counter changes of one thread over one bin.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Delta {
    /// Bin length, ns.
    pub dt_ns: u64,
    /// ns on a CPU (schedstat), when measured.
    pub run_ns: Option<u64>,
    /// ns runnable but waiting for a CPU (schedstat), when measured.
    pub wait_ns: Option<u64>,
    /// utime + stime ticks.
    pub ticks: u64,
    /// State letter at the end of the bin.
    pub state: char,
}

/// The state that filled most of the bin. With scheduler statistics: the largest of time
/// running, time waiting for a CPU, and the rest (blocked). Without: CPU ticks mean running,
/// state `R` without progress means waiting for a CPU, anything else blocked.
pub fn classify(d: &Delta, stats: SchedStats) -> Phase {
    if let (SchedStats::Works, Some(run), Some(wait)) = (stats, d.run_ns, d.wait_ns) {
        let blocked = d.dt_ns.saturating_sub(run + wait);
        if run + wait == 0 && d.state == 'R' {
            // Counters move at scheduler ticks: a runnable thread with no tick yet.
            return Phase::WaitCpu;
        }
        return if run >= wait && run >= blocked {
            Phase::Compute
        } else if wait >= blocked {
            Phase::WaitCpu
        } else {
            Phase::Blocked
        };
    }
    let cpu = d.ticks.saturating_mul(procfs_ns_per_tick());
    if cpu > 0 {
        Phase::Compute
    } else if d.state == 'R' {
        Phase::WaitCpu
    } else {
        Phase::Blocked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(run: u64, wait: u64, state: char) -> Delta {
        Delta {
            dt_ns: 20,
            run_ns: Some(run),
            wait_ns: Some(wait),
            ticks: 0,
            state,
        }
    }

    #[test]
    fn the_largest_share_wins() {
        let w = SchedStats::Works;
        assert_eq!(classify(&d(15, 3, 'R'), w), Phase::Compute);
        assert_eq!(classify(&d(4, 12, 'R'), w), Phase::WaitCpu);
        assert_eq!(classify(&d(1, 1, 'S'), w), Phase::Blocked);
        assert_eq!(classify(&d(0, 0, 'R'), w), Phase::WaitCpu);
    }

    #[test]
    fn without_schedstat_ticks_and_state_decide() {
        let mut s = SchedStats::Unknown;
        s.learn(Some((0, 0)), 0);
        assert_eq!(s, SchedStats::Unknown);
        s.learn(Some((0, 0)), 5);
        assert_eq!(s, SchedStats::Absent);
        assert!(s.note().is_some());
        let mut x = d(0, 0, 'R');
        x.ticks = 1;
        assert_eq!(classify(&x, s), Phase::Compute);
        x.ticks = 0;
        assert_eq!(classify(&x, s), Phase::WaitCpu);
        x.state = 'S';
        assert_eq!(classify(&x, s), Phase::Blocked);
        let mut w = SchedStats::Unknown;
        w.learn(Some((10, 0)), 0);
        assert_eq!(w, SchedStats::Works);
    }
}
