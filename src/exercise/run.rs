//! Running one program of an exercise under limits: a time limit, a memory limit (the group's
//! proportional resident memory, PSS, with a per-process address-space limit behind it), a
//! process count and an output cap. It starts through the observer's [`Program`] (own process group, watchdog), so
//! whatever way it ends, nothing it started is left behind.

use std::time::Duration;

use crate::engine::CancelToken;
use crate::observe::child::{OutLine, Program, StartError};
use crate::observe::session::{ExitInfo, TreeSampler, Watched};
use crate::observe::tracker::Tracker;
use crate::sampler::Sample;
use crate::trace::{Span, now_ns};

use super::procs;

/// Most stdout kept, bytes: a correct answer is far smaller; more is a flood.
pub const MAX_OUTPUT: usize = 4 << 20;

/// Most processes a program may have at once (a fork bomb is stopped here).
pub const MAX_PROCESSES: usize = 200;

/// How often an observed run reads its tree (the observer's interval).
const OBSERVE_EVERY: Duration = Duration::from_millis(20);

/// How often the runner looks at the program otherwise.
const TICK: Duration = Duration::from_millis(5);

/// How often the group's memory and size are read (one pass over `/proc`).
const GROUP_EVERY: Duration = Duration::from_millis(100);

/// What one run may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Wall time.
    pub time: Duration,
    /// Resident memory of the whole group, bytes.
    pub max_rss: u64,
}

/// Why parlab stopped a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// It ran past the time limit.
    Time(Duration),
    /// Its memory went over the limit (bytes seen, limit).
    Memory(u64, u64),
    /// It started more processes than allowed.
    Processes(usize),
    /// It printed more than the output cap.
    Output(usize),
    /// The check was interrupted.
    Interrupted,
}

/// One finished run.
#[derive(Clone, Debug)]
pub struct Ran {
    /// Its stdout lines (each cut at the observer's line limit).
    pub stdout: Vec<String>,
    /// Its last stderr lines.
    pub stderr_tail: Vec<String>,
    /// Wall time, ns.
    pub wall_ns: u64,
    /// CPU time of the whole tree, ns, where readable.
    pub cpu_ns: Option<u64>,
    /// How it ended.
    pub exit: ExitInfo,
    /// Why parlab stopped it, when it did.
    pub stopped: Option<Stopped>,
    /// Largest group memory seen, bytes.
    pub peak_rss: u64,
    /// What the observer saw, for an observed run.
    pub observed: Option<Observation>,
}

impl Ran {
    /// One line saying why this run failed, or `None` when it exited with code 0.
    pub fn failure(&self) -> Option<String> {
        let mib = |b: u64| crate::units::fmt_bytes(b);
        if let Some(s) = &self.stopped {
            return Some(match s {
                Stopped::Time(t) => format!(
                    "stopped after the time limit of {} s: it hangs or is far too slow",
                    t.as_secs()
                ),
                Stopped::Memory(seen, limit) => format!(
                    "stopped: it used {} of memory, over the limit of {}",
                    mib(*seen),
                    mib(*limit)
                ),
                Stopped::Processes(n) => format!(
                    "stopped: it started {n} processes at once (limit {MAX_PROCESSES}): forks without end?"
                ),
                Stopped::Output(n) => format!(
                    "stopped: it printed over {} to stdout (limit {}): the answer is much smaller",
                    mib(*n as u64),
                    mib(MAX_OUTPUT as u64)
                ),
                Stopped::Interrupted => "interrupted".to_string(),
            });
        }
        let last = self
            .stderr_tail
            .last()
            .map_or(String::new(), |l| format!(": {l}"));
        match (self.exit.code, self.exit.signal) {
            (Some(0), _) => None,
            (Some(c), _) => Some(format!("crashed with exit code {c}{last}")),
            (None, Some(s)) => Some(format!(
                "crashed: killed by signal {s} ({}){last}",
                signal_name(s)
            )),
            (None, None) => Some("ended abnormally".to_string()),
        }
    }
}

/// The usual name of signal `s`.
pub fn signal_name(s: i32) -> &'static str {
    match s {
        4 => "SIGILL: illegal instruction",
        6 => "SIGABRT: aborted",
        7 => "SIGBUS: bus error",
        8 => "SIGFPE: arithmetic error",
        9 => "SIGKILL: killed, often by the out-of-memory killer",
        11 => "SIGSEGV: invalid memory access",
        13 => "SIGPIPE: broken pipe",
        15 => "SIGTERM: terminated",
        _ => "a signal",
    }
}

/// Wraps `cmd` so each process gets an address-space limit (a runaway allocation fails in
/// the program instead of taking the machine's memory before the next reading).
fn limited(cmd: &[String], max_rss: u64) -> Vec<String> {
    if !cfg!(unix) {
        return cmd.to_vec();
    }
    // Address space is far larger than resident memory (thread stacks, allocator arenas).
    let kib = (max_rss / 1024).saturating_mul(4).max(2 << 20);
    let mut c = vec![
        "sh".to_string(),
        "-c".into(),
        format!("ulimit -v {kib} 2>/dev/null; exec \"$@\""),
        "sh".into(),
    ];
    c.extend(cmd.iter().cloned());
    c
}

/// What the observer saw of one run: the verdict's summary reads it, the TUI replays it.
#[derive(Clone, Debug)]
pub struct Observation {
    /// Rows, processes and how it ended.
    pub watched: Watched,
    /// What each thread did.
    pub spans: Vec<Span>,
    /// Core loads and memory, as a watch samples them (the dashboard's CPU and Memory panels).
    pub samples: Vec<Sample>,
}

/// What an observed run carries while it runs.
struct Observer {
    tracker: Tracker,
    reader: crate::observe::TreeReader,
    spans: Vec<Span>,
    sampler: TreeSampler,
    samples: Vec<Sample>,
    last_read: u64,
}

impl Observer {
    fn new(pid: u32, start: u64) -> Observer {
        Observer {
            tracker: Tracker::new(pid, start),
            reader: crate::observe::TreeReader::default(),
            spans: Vec::new(),
            sampler: TreeSampler::new(start),
            samples: Vec::new(),
            // The first reading right away: a short program may be gone by the next.
            last_read: 0,
        }
    }

    /// Reads the tree every [`OBSERVE_EVERY`] and samples the cores as a watch does.
    fn tick(&mut self, pid: u32, t: u64) {
        if t - self.last_read < OBSERVE_EVERY.as_nanos() as u64 {
            return;
        }
        self.last_read = t;
        self.spans
            .extend(self.tracker.observe(t, self.reader.read(pid)));
        // A long run keeps its first samples only, so memory stays bounded.
        if let Some(s) = self.sampler.next(&self.tracker, t)
            && self.samples.len() < MAX_SAMPLES
        {
            self.samples.push(s);
        }
    }
}

/// Most samples an observed run keeps (50 ms apart: 10 minutes), so memory stays bounded.
const MAX_SAMPLES: usize = 12_000;

/// Runs `cmd` to its end or a limit; `observe` also records its threads for the verdict.
pub fn run(
    cmd: &[String],
    limits: Limits,
    observe: bool,
    cancel: Option<&CancelToken>,
) -> Result<Ran, StartError> {
    let mut program = Program::start(&limited(cmd, limits.max_rss), false)?;
    let pid = program.pid;
    let start = now_ns();
    let tasks0 = procs::system_tasks().unwrap_or(0);
    let mut observer = observe.then(|| Observer::new(pid, start));
    let (mut out, mut err, mut out_bytes) = (Vec::new(), Vec::new(), 0usize);
    let (mut stopped, mut peak_rss, mut cpu_ns) = (None, 0u64, None);
    let mut last_group = 0u64;
    let end = loop {
        let t = now_ns();
        drain(&program, &mut out, &mut err, &mut out_bytes);
        if crate::platform::has_exited(pid) {
            cpu_ns = procs::zombie_cpu_ns(pid);
            break t;
        }
        let elapsed = t - start;
        // A jump in the system's task count is the cheap sign of a fork bomb.
        let burst = procs::system_tasks().is_some_and(|n| n > tasks0 + MAX_PROCESSES as u64);
        if burst || t - last_group >= GROUP_EVERY.as_nanos() as u64 {
            last_group = t;
            if let Some(g) = procs::group(pid) {
                peak_rss = peak_rss.max(g.rss);
                if g.processes > MAX_PROCESSES {
                    stopped = Some(Stopped::Processes(g.processes));
                } else if g.rss > limits.max_rss {
                    stopped = Some(Stopped::Memory(g.rss, limits.max_rss));
                }
            }
        }
        if let Some(o) = observer.as_mut() {
            o.tick(pid, t);
        }
        if out_bytes > MAX_OUTPUT {
            stopped = Some(Stopped::Output(out_bytes));
        } else if elapsed > limits.time.as_nanos() as u64 {
            stopped = Some(Stopped::Time(limits.time));
        } else if cancel.is_some_and(CancelToken::is_cancelled) {
            stopped = Some(Stopped::Interrupted);
        }
        if stopped.is_some() {
            program.kill_group();
            break now_ns();
        }
        std::thread::sleep(TICK);
    };
    let status = program.child.wait();
    // Whatever it left running in its group ends with it.
    program.kill_group();
    let until = std::time::Instant::now() + Duration::from_millis(300);
    while out_bytes <= MAX_OUTPUT
        && let Ok(l) = program.lines.recv_deadline(until)
    {
        keep(l, &mut out, &mut err, &mut out_bytes);
    }
    let exit = match status {
        Ok(st) => crate::observe::session::exit_info(&st, false),
        Err(_) => ExitInfo {
            code: None,
            signal: None,
            cancelled: false,
        },
    };
    let observed = observer.map(|mut o| {
        o.spans.extend(o.tracker.finish(end));
        Observation {
            watched: Watched {
                tracker: o.tracker,
                start_ns: start,
                end_ns: end,
                exit: exit.clone(),
                command: cmd.join(" "),
            },
            spans: o.spans,
            samples: o.samples,
        }
    });
    drop(program);
    Ok(Ran {
        stdout: out,
        stderr_tail: err,
        wall_ns: end - start,
        cpu_ns,
        exit,
        stopped,
        peak_rss,
        observed,
    })
}

fn drain(p: &Program, out: &mut Vec<String>, err: &mut Vec<String>, bytes: &mut usize) {
    while *bytes <= MAX_OUTPUT
        && let Ok(l) = p.lines.try_recv()
    {
        keep(l, out, err, bytes);
    }
}

fn keep(l: OutLine, out: &mut Vec<String>, err: &mut Vec<String>, bytes: &mut usize) {
    if l.stderr {
        err.push(l.text);
        if err.len() > 5 {
            err.remove(0);
        }
    } else {
        *bytes += l.text.len() + 1;
        out.push(l.text);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[allow(clippy::unwrap_used)]
    fn sh(script: &str, limits: Limits) -> Ran {
        let cmd = ["sh", "-c", script].map(String::from);
        run(&cmd, limits, false, None).unwrap()
    }

    const L: Limits = Limits {
        time: Duration::from_secs(20),
        max_rss: 1 << 30,
    };

    #[test]
    fn output_exit_and_cpu() {
        let r = sh("echo a; echo b >&2; exit 3", L);
        assert_eq!(r.stdout, ["a"]);
        assert_eq!(r.stderr_tail, ["b"]);
        assert_eq!(r.failure().unwrap(), "crashed with exit code 3: b");
        assert!(r.cpu_ns.is_some());
    }

    #[test]
    fn a_hang_is_stopped_by_the_time_limit() {
        let limits = Limits {
            time: Duration::from_millis(300),
            ..L
        };
        let r = sh("sleep 30", limits);
        assert!(matches!(r.stopped, Some(Stopped::Time(_))), "{r:?}");
        assert!(r.failure().unwrap().contains("time limit"));
    }

    #[test]
    fn a_flood_is_cut() {
        let r = sh("yes 0123456789012345678901234567890123456789", L);
        assert!(
            matches!(r.stopped, Some(Stopped::Output(_))),
            "{:?}",
            r.stopped
        );
    }
}
