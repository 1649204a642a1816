//! From readings to rows and spans: each observed thread becomes a timeline row (worker id in
//! order of first sight), each bin a state, neighbouring bins of one state one span. Processes
//! and threads that appear or vanish open and close their rows at the reading that saw it.

use std::collections::BTreeMap;

use crate::trace::{Phase, Span};

use super::classify::{Delta, SchedStats, classify};
use super::{ProcReading, procfs_ns_per_tick};

/// An open span is shipped (and a new one opened) once it is this long, so a thread that
/// stays in one state still shows up live on the timeline.
const SHIP_NS: u64 = 200_000_000;

/// One observed thread: a timeline row.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadRow {
    /// Worker id of its timeline row.
    pub id: u32,
    /// Process and thread ids.
    pub pid: u32,
    /// Thread id (the pid for a process's main thread).
    pub tid: u32,
    /// Name as a student recognises it.
    pub name: String,
    /// First and last time seen, ns.
    pub first_ns: u64,
    /// Last time seen, ns.
    pub last_ns: u64,
    /// CPU time, ns (scheduler statistics, else ticks).
    pub cpu_ns: u64,
    /// Time runnable but waiting for a CPU, ns (0 when not measurable).
    pub wait_ns: u64,
    /// Still there at the last reading.
    pub alive: bool,
    /// Time in spans of each state: running, waiting for a CPU, blocked, ns.
    pub state_ns: [u64; 3],
    last: Option<(u64, u64)>,
    ticks: u64,
    open: Option<(Phase, u64, u16)>,
    seen: u64,
}

/// One observed process.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcRow {
    /// Process id.
    pub pid: u32,
    /// Parent pid.
    pub ppid: u32,
    /// Name as a student recognises it (`MainProcess`, `worker 2`, the program's name).
    pub name: String,
    /// Program name (`comm`) when last named.
    pub comm: String,
    /// Short command line.
    pub cmdline: String,
    /// First and last time seen, ns.
    pub first_ns: u64,
    /// Last time seen, ns.
    pub last_ns: u64,
    /// CPU time of the whole process (all its threads, ended ones too), ns.
    pub cpu_ns: u64,
    /// Resident memory now and at its peak, bytes.
    pub rss: u64,
    /// Peak resident memory, bytes.
    pub peak_rss: u64,
    /// Still there at the last reading.
    pub alive: bool,
}

/// Rows, processes and the scheduler-statistics verdict of one watched program.
#[derive(Clone, Debug)]
pub struct Tracker {
    /// Rows by (pid, tid).
    pub threads: BTreeMap<(u32, u32), ThreadRow>,
    /// Processes by pid, in order of first sight through `order`.
    pub procs: BTreeMap<u32, ProcRow>,
    /// Pids in order of first sight.
    pub order: Vec<u32>,
    /// What the scheduler statistics are worth here.
    pub sched: SchedStats,
    /// Threads not given a row (beyond the row limit).
    pub dropped: u64,
    /// What the way the tree was read cannot see (no `/proc`), for the screen and report.
    pub note: Option<&'static str>,
    root: u32,
    round: u64,
    workers_named: u32,
    last_ns: u64,
}

impl Tracker {
    /// A tracker of the tree under `root`, first reading at `t0`.
    pub fn new(root: u32, t0: u64) -> Tracker {
        Tracker {
            threads: BTreeMap::new(),
            procs: BTreeMap::new(),
            order: Vec::new(),
            sched: SchedStats::Unknown,
            dropped: 0,
            note: None,
            root,
            round: 0,
            workers_named: 0,
            last_ns: t0,
        }
    }

    /// Takes in the readings made at `t`; returns the spans that closed or were shipped.
    /// Allocates nothing but the spans it returns once the rows exist.
    pub fn observe(&mut self, t: u64, readings: &[ProcReading]) -> Vec<Span> {
        let mut out = Vec::new();
        self.round += 1;
        for p in readings {
            for th in &p.threads {
                self.sched.learn(th.sched, th.ticks);
            }
        }
        for p in self.procs.values_mut() {
            p.alive = false;
        }
        for p in readings.iter().filter(|p| !p.zombie) {
            self.see_process(p, t);
            for th in &p.threads {
                self.see_thread(p, th, t, &mut out);
            }
        }
        for row in self.threads.values_mut() {
            if row.alive && row.seen != self.round {
                row.alive = false;
                close(row, row.last_ns.max(self.last_ns), &mut out);
            }
        }
        self.last_ns = t;
        out
    }

    /// Closes every open span at `t` (the program ended).
    pub fn finish(&mut self, t: u64) -> Vec<Span> {
        let mut out = Vec::new();
        for row in self.threads.values_mut() {
            if row.alive {
                row.last_ns = t;
                close(row, t, &mut out);
            }
        }
        out
    }

    fn see_process(&mut self, p: &ProcReading, t: u64) {
        if !self.procs.contains_key(&p.pid) {
            let name = self.process_name(p);
            self.order.push(p.pid);
            self.procs.insert(
                p.pid,
                ProcRow {
                    pid: p.pid,
                    ppid: p.ppid,
                    name,
                    comm: p.comm.clone(),
                    cmdline: p.cmdline.clone(),
                    first_ns: t,
                    last_ns: t,
                    cpu_ns: 0,
                    rss: 0,
                    peak_rss: 0,
                    alive: true,
                },
            );
        }
        // A process that exec'd another program (a launcher script becoming python3) is
        // named again after the program it runs now.
        if self.procs.get(&p.pid).is_some_and(|r| r.comm != p.comm) {
            let name = self.process_name(p);
            if let Some(r) = self.procs.get_mut(&p.pid) {
                r.name = name;
                r.comm.clone_from(&p.comm);
                r.cmdline.clone_from(&p.cmdline);
            }
        }
        if let Some(r) = self.procs.get_mut(&p.pid) {
            r.alive = true;
            r.last_ns = t;
            r.cpu_ns = r.cpu_ns.max(p.ticks.saturating_mul(procfs_ns_per_tick()));
            r.rss = p.rss;
            r.peak_rss = r.peak_rss.max(p.rss);
            if r.cmdline.is_empty() {
                r.cmdline.clone_from(&p.cmdline);
            }
        }
    }

    /// `MainProcess` for a Python root, the program's name for another; a Python child that
    /// runs the same program as its parent (a forked worker, named nothing by Python unless
    /// `setproctitle` is installed) becomes `worker N` in start order; any other keeps its
    /// program's name.
    fn process_name(&mut self, p: &ProcReading) -> String {
        let python = p.comm.starts_with("python");
        if p.pid == self.root {
            return if python {
                "MainProcess".into()
            } else {
                p.comm.clone()
            };
        }
        if p.cmdline.contains("forkserver") {
            return "forkserver".into();
        }
        if p.cmdline.contains("resource_tracker") {
            return "resource tracker".into();
        }
        let same = self.procs.get(&p.ppid).is_some_and(|pp| pp.comm == p.comm);
        if python && same {
            self.workers_named += 1;
            format!("worker {}", self.workers_named)
        } else {
            p.comm.clone()
        }
    }

    fn see_thread(
        &mut self,
        p: &ProcReading,
        th: &super::ThreadReading,
        t: u64,
        out: &mut Vec<Span>,
    ) {
        let key = (p.pid, th.tid);
        if !self.threads.contains_key(&key) {
            if self.threads.len() >= super::MAX_ROWS {
                self.dropped += 1;
                return;
            }
            let pname = self.procs.get(&p.pid).map_or("", |r| r.name.as_str());
            let name = row_name(pname, p.pid, th);
            let row = ThreadRow {
                id: self.threads.len() as u32,
                pid: p.pid,
                tid: th.tid,
                name,
                first_ns: t,
                last_ns: t,
                cpu_ns: 0,
                wait_ns: 0,
                alive: true,
                state_ns: [0; 3],
                last: th.sched,
                ticks: th.ticks,
                open: None,
                seen: 0,
            };
            self.threads.insert(key, row);
        }
        let stats = self.sched;
        let pname = self.procs.get(&p.pid).map_or("", |r| r.name.as_str());
        let Some(row) = self.threads.get_mut(&key) else {
            return;
        };
        row.seen = self.round;
        if !row.name.starts_with(pname) {
            row.name = row_name(pname, p.pid, th);
        }
        let d = Delta {
            dt_ns: t.saturating_sub(row.last_ns),
            run_ns: th.sched.zip(row.last).map(|(a, b)| a.0.saturating_sub(b.0)),
            wait_ns: th.sched.zip(row.last).map(|(a, b)| a.1.saturating_sub(b.1)),
            ticks: th.ticks.saturating_sub(row.ticks),
            state: th.state,
        };
        if stats == SchedStats::Works
            && let Some((run, wait)) = th.sched
        {
            row.cpu_ns = run;
            row.wait_ns = wait;
        } else {
            row.cpu_ns = th.ticks.saturating_mul(procfs_ns_per_tick());
        }
        row.last = th.sched;
        row.ticks = th.ticks;
        if d.dt_ns > 0 {
            extend(row, classify(&d, stats), t, th.core, out);
        }
        row.last_ns = t;
    }
}

/// Extends the row's open span to `t` with `phase`, closing the open one when it differs.
fn extend(row: &mut ThreadRow, phase: Phase, t: u64, core: u16, out: &mut Vec<Span>) {
    match row.open {
        Some((ph, start, _)) if ph == phase && t.saturating_sub(start) < SHIP_NS => {}
        Some(_) => {
            close(row, row.last_ns, out);
            row.open = Some((phase, row.last_ns, core));
        }
        None => row.open = Some((phase, row.last_ns, core)),
    }
}

fn close(row: &mut ThreadRow, t: u64, out: &mut Vec<Span>) {
    if let Some((phase, start, core)) = row.open.take()
        && t > start
    {
        let k = match phase {
            Phase::Compute => 0,
            Phase::WaitCpu => 1,
            _ => 2,
        };
        row.state_ns[k] += t - start;
        out.push(Span {
            pass: 0,
            worker: row.id,
            pid: Some(row.pid),
            core,
            phase,
            start_ns: start,
            end_ns: t,
            items: 0,
            bytes: 0,
            merged: 1,
        });
    }
}

/// A row's name: the process's for its main thread ("python3 4242"), else the process's and
/// the thread's ("python3/worker 4250"), or "exercise thread 4250" for a thread that only
/// inherited the process's name (a Rust thread spawned without one).
fn row_name(pname: &str, pid: u32, th: &super::ThreadReading) -> String {
    if th.tid == pid {
        format!("{pname} {pid}")
    } else if th.comm == pname {
        format!("{pname} thread {}", th.tid)
    } else {
        format!("{pname}/{} {}", th.comm, th.tid)
    }
}

#[cfg(test)]
mod tests {
    use super::super::ThreadReading;
    use super::*;

    fn proc_(pid: u32, ppid: u32, threads: &[(u32, u64, u64, char)]) -> ProcReading {
        ProcReading {
            pid,
            ppid,
            comm: "python3".into(),
            zombie: false,
            ticks: 0,
            rss: 1000,
            cmdline: "python3 pool.py".into(),
            threads: threads
                .iter()
                .map(|&(tid, run, wait, state)| ThreadReading {
                    tid,
                    comm: "python3".into(),
                    state,
                    ticks: 0,
                    core: 0,
                    sched: Some((run, wait)),
                })
                .collect(),
        }
    }

    #[test]
    fn rows_come_and_go_with_states_and_names() {
        let mut t = Tracker::new(10, 0);
        t.observe(0, &[proc_(10, 1, &[(10, 1, 0, 'S')])]);
        let both = [
            proc_(10, 1, &[(10, 2, 0, 'S')]),
            proc_(11, 10, &[(11, 19, 0, 'R')]),
        ];
        t.observe(20, &both);
        let both2 = [
            proc_(10, 1, &[(10, 3, 0, 'S')]),
            proc_(11, 10, &[(11, 39, 0, 'R')]),
        ];
        t.observe(40, &both2);
        let spans = t.observe(60, &[proc_(10, 1, &[(10, 4, 19, 'R')])]);
        // The worker vanished: its running span closed at its last sighting.
        assert!(
            spans
                .iter()
                .any(|s| s.worker == 1 && s.phase == Phase::Compute && s.end_ns == 40)
        );
        let names: Vec<_> = t.threads.values().map(|r| r.name.clone()).collect();
        assert_eq!(names, vec!["MainProcess 10", "worker 1 11"]);
        assert!(!t.procs[&11].alive && t.procs[&10].alive);
        let end = t.finish(80);
        let main: Vec<_> = end.iter().filter(|s| s.worker == 0).collect();
        assert_eq!(main.last().map(|s| s.phase), Some(Phase::WaitCpu));
        assert_eq!(t.threads[&(10, 10)].wait_ns, 19);
    }

    #[test]
    fn rows_are_named_for_the_process_and_the_thread() {
        let th = |tid: u32, comm: &str| crate::observe::ThreadReading {
            tid,
            comm: comm.into(),
            state: 'R',
            ticks: 0,
            core: 0,
            sched: None,
        };
        assert_eq!(row_name("python3", 10, &th(10, "python3")), "python3 10");
        assert_eq!(
            row_name("python3", 10, &th(12, "worker")),
            "python3/worker 12"
        );
        assert_eq!(
            row_name("exercise", 10, &th(11, "exercise")),
            "exercise thread 11"
        );
    }
}
