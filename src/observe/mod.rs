//! The observer: runs any command as a child in a process group of its own and samples every
//! process and thread of its tree about every 20 ms, so `parlab watch` (and the reader's `w`
//! key on a lesson's Python program) draws it on the same dashboard as parlab's own demos.
//!
//! Why its own module: the demos record their own spans; a program of the student's records
//! nothing, so its timeline is reconstructed from what the kernel says about each thread
//! (running, waiting for a CPU, blocked). The parts: [`procfs`] reads (Linux; sysinfo
//! elsewhere), [`classify`] decides a bin's state, [`tracker`] turns readings into rows and
//! spans, [`child`] starts and ends the program, [`session`] drives them and speaks the
//! engine's [`Event`](crate::event::Event)s, [`report`] is the headless summary.

pub mod child;
pub mod classify;
#[cfg(not(target_os = "linux"))]
mod fallback;
#[cfg(target_os = "linux")]
pub mod procfs;
pub mod report;
pub mod session;
pub mod tracker;

pub use session::{WatchOptions, watch};

/// Most processes read in one sampling round: a fork bomb costs a capped reading.
pub const MAX_PROCESSES: usize = 512;

/// Most threads given a timeline row (the trace's worker limit).
pub const MAX_ROWS: usize = crate::trace::MAX_WORKERS;

/// One thread as read at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadReading {
    /// Thread id.
    pub tid: u32,
    /// Thread name (`comm`).
    pub comm: String,
    /// State letter (R, S, D, Z...).
    pub state: char,
    /// utime + stime, clock ticks.
    pub ticks: u64,
    /// CPU it last ran on (`u16::MAX` when unknown).
    pub core: u16,
    /// ns on a CPU and ns waiting for one, where the kernel keeps them.
    pub sched: Option<(u64, u64)>,
}

/// One process as read at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcReading {
    /// Process id.
    pub pid: u32,
    /// Parent pid.
    pub ppid: u32,
    /// Process name (`comm`).
    pub comm: String,
    /// Exited, not yet reaped.
    pub zombie: bool,
    /// utime + stime of the whole process, ticks.
    pub ticks: u64,
    /// Resident memory, bytes.
    pub rss: u64,
    /// Short command line.
    pub cmdline: String,
    /// Its threads.
    pub threads: Vec<ThreadReading>,
}

/// ns per CPU tick of the readings (`USER_HZ`; sysinfo's milliseconds become ticks of 10 ms).
pub fn procfs_ns_per_tick() -> u64 {
    10_000_000
}

/// Reads a tree again and again, reading less each time where the last reading tells
/// enough (Linux; elsewhere every reading is whole).
#[derive(Debug, Default)]
pub struct TreeReader {
    #[cfg(target_os = "linux")]
    cache: procfs::Cache,
}

impl TreeReader {
    /// Reads the tree under `root` now.
    pub fn read(&mut self, root: u32) -> Vec<ProcReading> {
        #[cfg(target_os = "linux")]
        return procfs::read_tree_with(root, &mut self.cache);
        #[cfg(not(target_os = "linux"))]
        return fallback::read_tree(root);
    }
}

/// Reads the tree under `root` now, whole.
pub fn read_tree(root: u32) -> Vec<ProcReading> {
    #[cfg(target_os = "linux")]
    return procfs::read_tree(root);
    #[cfg(not(target_os = "linux"))]
    return fallback::read_tree(root);
}

/// What this system lets the observer see, for the screen and the report; `None` on Linux.
pub fn platform_note() -> Option<&'static str> {
    if cfg!(target_os = "linux") {
        None
    } else {
        Some(
            "this system has no /proc: per-process CPU from sysinfo, no thread states, waiting for a CPU not measured",
        )
    }
}
