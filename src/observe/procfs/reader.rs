//! Reading one tree again and again at little cost, since the observer reads it every 20 ms
//! and its cost target is 2% of one core while watching 64 threads.
//!
//! What makes it cheap ([`Reading::Frugal`](crate::observe::Reading::Frugal)): each `stat`,
//! `schedstat`, `statm`, `children` file and each `task` directory is opened once and read
//! again from offset 0 (`pread`; the kernel formats it anew), not opened and closed each time;
//! a thread whose scheduler counters did not move since the last reading neither ran nor
//! waited, so its `stat` is not read; a thread found sleeping (not runnable, no CPU since the
//! last reading) is read again only every few readings ([`sleeper_every`]: at most every
//! [`SLEEPER_LATENCY`], so a wake-up still shows within 100 ms, in the bin where it is seen);
//! the readings, their names and the buffers are kept and updated in place, so a reading
//! allocates nothing once the tree stopped changing. [`Reading::Plain`] is the way before:
//! every file opened, read and closed at every reading, every thread read every time.

use std::mem::MaybeUninit;
use std::time::Duration;

use super::{parse_pids, parse_schedstat, parse_stat, parse_statm_rss, short_cmdline};
use crate::observe::{MAX_PROCESSES, ProcReading, Reading, ThreadReading};

mod files;
mod slots;

use files::Bufs;
use slots::{ProcSlot, ThreadSlot, retain_pair};

/// Most files kept open at once (four per process, two per thread): well within the usual
/// limit of 1024 descriptors; beyond it the rest are opened for each reading.
pub const MAX_OPEN: usize = 600;

/// Readings between two looks at every thread's children (the main thread's: every reading).
pub const ALL_CHILDREN_EVERY: u64 = 5;

/// Longest time a sleeping thread goes unread: a wake-up shows within it.
pub const SLEEPER_LATENCY: Duration = Duration::from_millis(100);

/// Most readings between two reads of a sleeping thread.
pub const SLEEPER_MAX_EVERY: u32 = 4;

/// How often a sleeping thread is read at `interval`: every 4th reading at the default 20 ms
/// (80 ms apart), every reading from 100 ms on; never further apart than [`SLEEPER_LATENCY`].
pub fn sleeper_every(interval: Duration) -> u32 {
    let n = SLEEPER_LATENCY.as_nanos() / interval.as_nanos().max(1);
    u32::try_from(n)
        .unwrap_or(u32::MAX)
        .clamp(1, SLEEPER_MAX_EVERY)
}

/// Reads the tree under a root again and again (see the module's doc).
#[derive(Debug)]
pub struct Reader {
    every: u32,
    readings: Vec<ProcReading>,
    slots: Vec<ProcSlot>,
    round: u64,
    bufs: Bufs,
}

impl Reader {
    /// A reader in `mode` (`Frugal` or `Plain`) that reads sleeping threads every `every`
    /// readings (see [`sleeper_every`]; `Plain` reads every thread every time).
    pub fn new(mode: Reading, every: u32) -> Reader {
        let keep = mode == Reading::Frugal;
        Reader {
            every: if keep { every.max(1) } else { 1 },
            readings: Vec::new(),
            slots: Vec::new(),
            round: 0,
            bufs: Bufs {
                text: vec![0; 4096],
                dir: vec![MaybeUninit::uninit(); 8192],
                path: String::with_capacity(64),
                tids: Vec::new(),
                todo: Vec::new(),
                room: 0,
                keep,
            },
        }
    }

    /// Reads the tree under `root` now: root first, then every process in order of first
    /// sight (a parent before its children), at most [`MAX_PROCESSES`].
    pub fn read(&mut self, root: u32) -> &[ProcReading] {
        self.round += 1;
        let all = self.round % ALL_CHILDREN_EVERY == 1;
        self.bufs.room = MAX_OPEN.saturating_sub(self.slots.iter().map(ProcSlot::open).sum());
        self.bufs.todo.clear();
        self.bufs.todo.push(root);
        while let Some(pid) = self.bufs.todo.pop() {
            let at = self.readings.iter().position(|p| p.pid == pid);
            if at.is_some_and(|i| self.slots[i].seen == self.round)
                || (at.is_none() && self.readings.len() >= MAX_PROCESSES)
            {
                continue;
            }
            if let Some(i) = self.read_at(pid, at) {
                self.children(i, all);
            }
        }
        let round = self.round;
        retain_pair(&mut self.readings, &mut self.slots, |s| s.seen == round);
        &self.readings
    }

    /// Reads the process `pid` alone now (its threads, memory and command line).
    pub fn read_one(&mut self, pid: u32) -> Option<&ProcReading> {
        self.round += 1;
        let at = self.readings.iter().position(|p| p.pid == pid);
        let i = self.read_at(pid, at)?;
        self.readings.get(i)
    }

    /// Reads process `pid` into its slot (`at`, or a new one); its index while it lives.
    fn read_at(&mut self, pid: u32, at: Option<usize>) -> Option<usize> {
        let i = at.unwrap_or_else(|| {
            self.readings.push(ProcReading {
                pid,
                ppid: 0,
                comm: String::new(),
                zombie: false,
                ticks: 0,
                rss: 0,
                cmdline: String::new(),
                threads: Vec::new(),
            });
            self.slots.push(ProcSlot::default());
            self.readings.len() - 1
        });
        let (r, s, b) = (&mut self.readings[i], &mut self.slots[i], &mut self.bufs);
        let ok = read_process(r, s, b, self.round, self.every);
        if !ok && at.is_none() {
            self.readings.pop();
            self.slots.pop();
        }
        ok.then_some(i)
    }

    /// Queues the children of the process at `i`: its main thread's every reading, every
    /// thread's when `all` (a Python Pool starts workers from a helper thread), and those
    /// already seen.
    fn children(&mut self, i: usize, all: bool) {
        let (r, s, b) = (&self.readings[i], &mut self.slots[i], &mut self.bufs);
        let pid = r.pid;
        let mut any = false;
        b.path_for(pid, pid, "children");
        if let Some(n) = b.read(&mut s.children) {
            any = true;
            b.todo.extend(parse_pids(&b.text[..n]));
        }
        for t in r.threads.iter().filter(|t| all && t.tid != pid) {
            b.path_for(pid, t.tid, "children");
            if let Some(n) = b.read(&mut None) {
                any = true;
                b.todo.extend(parse_pids(&b.text[..n]));
            }
        }
        if !any {
            b.todo.extend(super::scan_children(pid));
        }
        // A child seen before stays in sight between two looks at every thread: one started
        // by another thread is listed only in that thread's `children` file.
        b.todo.extend(
            self.readings
                .iter()
                .filter(|c| c.ppid == pid && c.pid != pid)
                .map(|c| c.pid),
        );
    }
}

/// Updates `r` (and its threads) from the files of its process; false once it is gone.
fn read_process(
    r: &mut ProcReading,
    s: &mut ProcSlot,
    b: &mut Bufs,
    round: u64,
    every: u32,
) -> bool {
    let pid = r.pid;
    b.path_for(pid, 0, "stat");
    let Some(n) = b.read(&mut s.stat) else {
        return false;
    };
    let Some(st) = parse_stat(&b.text[..n]) else {
        return false;
    };
    let renamed = r.comm.as_bytes() != st.comm;
    if renamed {
        r.comm = String::from_utf8_lossy(st.comm).into_owned();
    }
    r.ppid = st.ppid;
    r.ticks = st.ticks;
    r.zombie = st.state == 'Z' || st.state == 'X';
    b.path_for(pid, 0, "statm");
    r.rss = b
        .read(&mut s.statm)
        .and_then(|n| parse_statm_rss(&b.text[..n]))
        .unwrap_or(0);
    if renamed || r.cmdline.is_empty() {
        // Once per program (again after an exec): the one read that allocates.
        b.path_for(pid, 0, "cmdline");
        r.cmdline = std::fs::read(&b.path)
            .map(|raw| short_cmdline(&raw, 48))
            .unwrap_or_default();
    }
    if !b.list_tasks(pid, &mut s.task) {
        return false;
    }
    for k in 0..b.tids.len() {
        let tid = b.tids[k];
        let (i, fresh) = match r.threads.binary_search_by_key(&tid, |t| t.tid) {
            Ok(i) => (i, false),
            Err(i) => {
                r.threads.insert(i, ThreadReading::new(tid));
                s.threads.insert(i, ThreadSlot::default());
                (i, true)
            }
        };
        if read_thread(pid, &mut r.threads[i], &mut s.threads[i], b, fresh, every) {
            s.threads[i].seen = round;
        }
    }
    retain_pair(&mut r.threads, &mut s.threads, |t| t.seen == round);
    s.seen = round;
    true
}

/// Updates one thread's reading; false once it is gone. A sleeping thread is skipped for
/// `every - 1` readings (its last reading stands); one whose scheduler counters did not move
/// keeps its last `stat` figures (and is not running).
fn read_thread(
    pid: u32,
    t: &mut ThreadReading,
    s: &mut ThreadSlot,
    b: &mut Bufs,
    fresh: bool,
    every: u32,
) -> bool {
    if !fresh && s.skip > 0 {
        s.skip -= 1;
        return true;
    }
    b.path_for(pid, t.tid, "schedstat");
    let sched = b
        .read(&mut s.sched)
        .and_then(|n| parse_schedstat(&b.text[..n]));
    if !fresh && sched.is_some_and(|x| x.0 > 0) && sched == t.sched {
        // Neither ran nor waited since the last reading: asleep.
        if t.state == 'R' {
            t.state = 'S';
        }
        s.skip = every - 1;
        return true;
    }
    b.path_for(pid, t.tid, "stat");
    let Some(n) = b.read(&mut s.stat) else {
        return false;
    };
    let Some(st) = parse_stat(&b.text[..n]) else {
        return false;
    };
    let quiet = !fresh && st.state != 'R' && st.ticks == t.ticks && sched == t.sched;
    if t.comm.as_bytes() != st.comm {
        t.comm = String::from_utf8_lossy(st.comm).into_owned();
    }
    t.state = st.state;
    t.ticks = st.ticks;
    t.core = st.core;
    t.sched = sched;
    s.skip = if quiet { every - 1 } else { 0 };
    true
}

#[cfg(test)]
mod tests;
