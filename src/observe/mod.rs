//! The observer: runs any command as a child in a process group of its own and samples every
//! process and thread of its tree about every 20 ms, so `parlab watch` (and the reader's `w`
//! key on a lesson's Python program) draws it on the same dashboard as parlab's own demos.
//!
//! Why its own module: the demos record their own spans; a program of the student's records
//! nothing, so its timeline is reconstructed from what the kernel says about each thread
//! (running, waiting for a CPU, blocked). The parts: `procfs` reads (Linux; [`fallback`]:
//! sysinfo elsewhere), [`classify`] decides a bin's state, [`tracker`] turns readings into rows and
//! spans, [`child`] starts and ends the program, [`session`] drives them and speaks the
//! engine's [`Event`](crate::event::Event)s, [`report`] is the headless summary.

pub mod child;
pub mod classify;
pub mod fallback;
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

impl ThreadReading {
    /// A thread not read yet.
    pub fn new(tid: u32) -> ThreadReading {
        ThreadReading {
            tid,
            comm: String::new(),
            state: '?',
            ticks: 0,
            core: u16::MAX,
            sched: None,
        }
    }
}

/// ns per CPU tick of the readings (`USER_HZ`; sysinfo's milliseconds become ticks of 10 ms).
pub fn procfs_ns_per_tick() -> u64 {
    10_000_000
}

/// How the observer reads a tree: what the cost bench compares and what tests force.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reading {
    /// Linux `/proc`, files kept open and read again, sleeping threads read every few
    /// readings, nothing allocated per reading (the default; sysinfo elsewhere).
    #[default]
    Frugal,
    /// Linux `/proc`, every file opened, read and closed at every reading, every thread read
    /// every time: the bench's "before".
    Plain,
    /// Per-process CPU and memory from sysinfo at its own interval, no threads: what other
    /// systems get (forced on Linux by tests).
    Sysinfo,
}

impl Reading {
    /// The way this system can honour: `Sysinfo` where there is no `/proc`.
    pub fn here(self) -> Reading {
        if cfg!(target_os = "linux") {
            self
        } else {
            Reading::Sysinfo
        }
    }

    /// What this way of reading cannot see, for the screen and the report; `None` for
    /// `/proc`.
    pub fn note(self) -> Option<&'static str> {
        (self.here() == Reading::Sysinfo).then_some(fallback::NOTE)
    }
}

/// Reads a tree again and again, reading less each time where the last reading tells
/// enough (see [`Reading`]).
#[derive(Debug)]
pub struct TreeReader {
    way: Way,
}

#[derive(Debug)]
enum Way {
    #[cfg(target_os = "linux")]
    Procfs(procfs::Reader),
    Sysinfo(Box<fallback::Reader>),
}

impl TreeReader {
    /// A reader for readings `interval` apart, in the way `reading` (see [`Reading::here`]).
    pub fn new(reading: Reading, interval: std::time::Duration) -> TreeReader {
        #[cfg(not(target_os = "linux"))]
        let _ = interval; // sysinfo reads at its own interval
        let way = match reading.here() {
            #[cfg(target_os = "linux")]
            r @ (Reading::Frugal | Reading::Plain) => Way::Procfs(procfs::Reader::new(
                r,
                procfs::reader::sleeper_every(interval),
            )),
            _ => Way::Sysinfo(Box::default()),
        };
        TreeReader { way }
    }

    /// Reads the tree under `root` now (root first, a parent before its children).
    pub fn read(&mut self, root: u32) -> &[ProcReading] {
        match &mut self.way {
            #[cfg(target_os = "linux")]
            Way::Procfs(r) => r.read(root),
            Way::Sysinfo(r) => r.read(root),
        }
    }

    /// What this reader cannot see (sysinfo: threads, states, waiting), for the screen.
    pub fn note(&self) -> Option<&'static str> {
        matches!(self.way, Way::Sysinfo(_)).then_some(fallback::NOTE)
    }
}

impl Default for TreeReader {
    fn default() -> TreeReader {
        TreeReader::new(Reading::default(), std::time::Duration::from_millis(20))
    }
}
