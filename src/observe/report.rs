//! The headless summary of a watch: wall time, CPU time per process and thread, about how
//! many workers were busy on average, the share of time spent waiting for a CPU, peak memory
//! per process and how the program ended; as a table for people or JSON for scripts.

use serde::Serialize;

use super::session::{ExitInfo, Watched};
use super::tracker::Tracker;
use crate::engine::{Correctness, Params, RunReport, VariantReport, WallStats};
use crate::units::{fmt_bytes, fmt_ms};

/// One thread's figures.
#[derive(Clone, Debug, Serialize)]
pub struct ThreadFigures {
    /// Thread id.
    pub tid: u32,
    /// Row name.
    pub name: String,
    /// CPU time, ms.
    pub cpu_ms: f64,
    /// Time runnable but waiting for a CPU, ms (0 when not measurable).
    pub wait_cpu_ms: f64,
    /// Timeline time in each state (running, waiting for a CPU, blocked), ms: what the
    /// rows show, bins of one reading interval each.
    pub states_ms: [f64; 3],
}

/// One process's figures.
#[derive(Clone, Debug, Serialize)]
pub struct ProcessFigures {
    /// Process id.
    pub pid: u32,
    /// Parent pid.
    pub ppid: u32,
    /// Name (`MainProcess`, `worker 1`, a program's name).
    pub name: String,
    /// Short command line.
    pub cmdline: String,
    /// CPU time of all its threads, ms.
    pub cpu_ms: f64,
    /// Peak resident memory, bytes.
    pub peak_rss: u64,
    /// First and last seen, ms after the start.
    pub seen_ms: (f64, f64),
    /// Its threads.
    pub threads: Vec<ThreadFigures>,
}

/// The whole summary.
#[derive(Clone, Debug, Serialize)]
pub struct WatchReport {
    /// The command as given.
    pub command: String,
    /// How it ended.
    pub exit: ExitInfo,
    /// Wall time, ms.
    pub wall_ms: f64,
    /// CPU time of every process, ms.
    pub cpu_ms: f64,
    /// CPU ÷ wall: about how many workers were busy on average.
    pub busy_workers: f64,
    /// Share of the time threads were ready to run that they spent waiting for a CPU, 0..1;
    /// `None` where it cannot be measured.
    pub wait_cpu_share: Option<f64>,
    /// Processes in order of first sight.
    pub processes: Vec<ProcessFigures>,
    /// What could not be measured here, when something could not.
    pub note: Option<String>,
}

const MS: f64 = 1e6;

impl WatchReport {
    /// Summarizes a finished watch.
    pub fn new(w: &Watched) -> WatchReport {
        let tr = &w.tracker;
        let processes: Vec<ProcessFigures> = tr
            .order
            .iter()
            .filter_map(|pid| tr.procs.get(pid))
            .map(|p| {
                let threads: Vec<ThreadFigures> = tr
                    .threads
                    .values()
                    .filter(|r| r.pid == p.pid)
                    .map(|r| ThreadFigures {
                        tid: r.tid,
                        name: r.name.clone(),
                        cpu_ms: r.cpu_ns as f64 / MS,
                        wait_cpu_ms: r.wait_ns as f64 / MS,
                        states_ms: r.state_ns.map(|n| n as f64 / MS),
                    })
                    .collect();
                let by_threads: f64 = threads.iter().map(|t| t.cpu_ms).sum();
                ProcessFigures {
                    pid: p.pid,
                    ppid: p.ppid,
                    name: p.name.clone(),
                    cmdline: p.cmdline.clone(),
                    cpu_ms: (p.cpu_ns as f64 / MS).max(by_threads),
                    peak_rss: p.peak_rss,
                    seen_ms: (
                        p.first_ns.saturating_sub(w.start_ns) as f64 / MS,
                        p.last_ns.saturating_sub(w.start_ns) as f64 / MS,
                    ),
                    threads,
                }
            })
            .collect();
        let wall_ms = w.end_ns.saturating_sub(w.start_ns) as f64 / MS;
        let cpu_ms: f64 = processes.iter().map(|p| p.cpu_ms).sum();
        let wait_ms: f64 = tr.threads.values().map(|r| r.wait_ns as f64 / MS).sum();
        let run_ms: f64 = tr.threads.values().map(|r| r.cpu_ns as f64 / MS).sum();
        let measurable = tr.sched.note().is_none() && tr.note.is_none();
        WatchReport {
            command: w.command.clone(),
            exit: w.exit.clone(),
            wall_ms,
            cpu_ms,
            busy_workers: if wall_ms > 0.0 { cpu_ms / wall_ms } else { 0.0 },
            wait_cpu_share: (measurable && run_ms + wait_ms > 0.0)
                .then(|| wait_ms / (run_ms + wait_ms)),
            processes,
            note: tr.note.or(tr.sched.note()).map(str::to_string),
        }
    }

    /// The table for people.
    pub fn table(&self) -> String {
        let mut s = format!(
            "watched: {}  ({})\nwall time {} · CPU time {} · about {:.1} workers busy on average (CPU ÷ wall)\n",
            self.command,
            self.exit.describe(),
            fmt_ms(self.wall_ms),
            fmt_ms(self.cpu_ms),
            self.busy_workers
        );
        match self.wait_cpu_share {
            Some(w) => {
                s += &format!(
                    "waiting for a CPU: {:.0}% of the time its threads were ready to run\n",
                    100.0 * w
                )
            }
            None => s += "waiting for a CPU: cannot be measured here\n",
        }
        if let Some(n) = &self.note {
            s += &format!("note: {n}\n");
        }
        s += &format!(
            "\n{:<28} {:>8} {:>10} {:>10} {:>10} {:>10}\n",
            "process / thread", "pid", "CPU", "wait CPU", "peak mem", "seen"
        );
        for p in &self.processes {
            s += &format!(
                "{:<28} {:>8} {:>10} {:>10} {:>10} {:>10}  {}\n",
                p.name,
                p.pid,
                fmt_ms(p.cpu_ms),
                "",
                fmt_bytes(p.peak_rss),
                format!("{:.0}-{:.0} ms", p.seen_ms.0, p.seen_ms.1),
                p.cmdline
            );
            for t in &p.threads {
                s += &format!(
                    "  {:<26} {:>8} {:>10} {:>10}\n",
                    t.name,
                    t.tid,
                    fmt_ms(t.cpu_ms),
                    fmt_ms(t.wait_cpu_ms)
                );
            }
        }
        s
    }
}

/// The command as a short label: the program's base name and its arguments.
pub fn short_command(cmd: &[String]) -> String {
    let joined: Vec<u8> = cmd.join("\0").into_bytes();
    #[cfg(target_os = "linux")]
    return super::procfs::short_cmdline(&joined, 48);
    #[cfg(not(target_os = "linux"))]
    return String::from_utf8_lossy(&joined).replace('\0', " ");
}

/// The engine's report of a watch: one variant, the program, so the dashboard's results and
/// a trace read it like any run.
pub fn run_report(
    tr: &Tracker,
    label: &str,
    (start, end): (u64, u64),
    exit: &ExitInfo,
) -> RunReport {
    let ms = end.saturating_sub(start) as f64 / MS;
    let name = label.to_string();
    RunReport {
        demo: "watch".into(),
        params: Params::default(),
        workers: tr.procs.len().max(1),
        cores: crate::cores(),
        variants: vec![VariantReport {
            name,
            workers: tr.procs.len().max(1),
            passes: vec![0],
            wall_ms: vec![ms],
            wall: WallStats {
                median: ms,
                min: ms,
                max: ms,
            },
            speedup: None,
            speedup_range: None,
            efficiency: None,
            measurement_problem: false,
            correctness: Correctness::Unchecked,
            median_pass: Some(0),
            metrics: Vec::new(),
            note: Some(match tr.note {
                Some(n) => format!("{} · {n}", exit.describe()),
                None => exit.describe(),
            }),
            mismatch: None,
            items: 0,
            cancelled: exit.cancelled,
            error: None,
        }],
        cancelled: exit.cancelled,
    }
}
