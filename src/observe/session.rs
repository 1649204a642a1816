//! One watch: start the program, sample its tree every interval, and speak the engine's
//! events (one run, one pass named after the program, a worker row per thread, its output as
//! log lines) and samples, so the dashboard, the recording and `--trace` need nothing new.

use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

use super::child::{OutLine, Program, StartError};
use super::tracker::Tracker;
use crate::engine::{CancelToken, Outcome, Params};
use crate::event::{Event, PassInfo};
use crate::sampler::Sample;
use crate::sampler::cores::CoreLoad;
use crate::sampler::memory::{ChildMem, keep_largest};
use crate::trace::now_ns;

/// How long an interrupted program gets to end before its group is killed.
const GRACE: Duration = Duration::from_secs(2);

/// What to watch and how.
#[derive(Clone, Debug)]
pub struct WatchOptions {
    /// Program and arguments.
    pub cmd: Vec<String>,
    /// Time between readings of the tree (20 ms by default).
    pub interval: Duration,
    /// Whether the program reads parlab's stdin (headless) or gets none (the dashboard).
    pub stdin: bool,
    /// Whether its output lines are copied to parlab's stderr as they come (headless).
    pub echo: bool,
    /// How the tree is read (the default, frugal `/proc`; the bench compares, tests force
    /// the sysinfo fallback).
    pub reading: super::Reading,
}

/// How the program ended.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ExitInfo {
    /// Its exit code, when it exited.
    pub code: Option<i32>,
    /// The signal that ended it, when one did.
    pub signal: Option<i32>,
    /// The cancel (Ctrl-C, Esc) stopped it.
    pub cancelled: bool,
}

impl ExitInfo {
    /// "exit code 0", "killed by signal 9", "interrupted".
    pub fn describe(&self) -> String {
        match (self.code, self.signal) {
            _ if self.cancelled => "stopped by parlab (interrupted)".to_string(),
            (Some(c), _) => format!("exit code {c}"),
            (None, Some(s)) => format!("ended by signal {s}"),
            (None, None) => "ended".to_string(),
        }
    }
}

/// Everything one watch measured.
#[derive(Clone, Debug)]
pub struct Watched {
    /// Rows and processes.
    pub tracker: Tracker,
    /// Start and end, ns on the shared clock.
    pub start_ns: u64,
    /// End, ns.
    pub end_ns: u64,
    /// How it ended.
    pub exit: ExitInfo,
    /// The command line as given.
    pub command: String,
}

/// Runs the watch to the program's end (or `cancel`), sending events and samples as it
/// goes. Fails only when the program cannot start; then nothing was sent.
pub fn watch(
    opts: &WatchOptions,
    tx: &Sender<Event>,
    stx: &Sender<Sample>,
    cancel: &CancelToken,
) -> Result<Watched, StartError> {
    let mut program = Program::start(&opts.cmd, opts.stdin)?;
    let start = now_ns();
    let label = super::report::short_command(&opts.cmd);
    start_events(tx, &label, start);
    let mut tracker = Tracker::new(program.pid, start);
    let mut sampler = TreeSampler::new(start);
    let mut reader = super::TreeReader::new(opts.reading, opts.interval);
    tracker.note = reader.note();
    if let Some(note) = tracker.note {
        let _ = tx.send(Event::Log {
            pass: 0,
            worker: 0,
            t_ns: start,
            text: format!("note: {note}"),
        });
    }
    let mut interrupted_at = None::<Instant>;
    let (mut waited, mut announced) = (0u64, 0u32);
    let status = loop {
        let t = now_ns();
        let spans = tracker.observe(t, reader.read(program.pid));
        if !spans.is_empty() {
            let _ = tx.send(Event::Spans(spans));
        }
        announced = announce(&tracker, announced, t, tx);
        if let Some(mut smp) = sampler.next(&tracker, t) {
            let now_waited: u64 = tracker.threads.values().map(|r| r.wait_ns).sum();
            if tracker.sched.note().is_none() && tracker.note.is_none() {
                smp.wait_cpu = Some(
                    (now_waited.saturating_sub(waited) as f64 / smp.interval_ns as f64) as f32,
                );
            }
            waited = now_waited;
            let _ = stx.send(smp);
        }
        forward(&program.lines, tx, opts.echo);
        if let Ok(Some(st)) = program.child.try_wait() {
            break st;
        }
        if cancel.is_cancelled() {
            match interrupted_at {
                None => {
                    program.interrupt();
                    interrupted_at = Some(Instant::now());
                }
                Some(at) if at.elapsed() > GRACE => program.kill_group(),
                Some(_) => {}
            }
        }
        std::thread::sleep(opts.interval);
    };
    let end = now_ns();
    // What the program left running in its group ends with it.
    program.kill_group();
    let spans = tracker.finish(end);
    if !spans.is_empty() {
        let _ = tx.send(Event::Spans(spans));
    }
    let exit = exit_info(&status, interrupted_at.is_some());
    finish_events(&tracker, tx, (start, end), &exit, &label);
    // Lines still in the pipes (the readers end once the group is gone).
    let until = Instant::now() + Duration::from_millis(300);
    while let Ok(l) = program.lines.recv_deadline(until) {
        send_line(l, tx, opts.echo);
    }
    drop(program);
    Ok(Watched {
        tracker,
        start_ns: start,
        end_ns: end,
        exit,
        command: opts.cmd.join(" "),
    })
}

/// The recording of a watch that sent no events as it went (an exercise check observes its
/// runs quietly): the same events [`watch`] sends, so a replay draws it as it draws a watch.
pub fn recording_of(
    w: &Watched,
    spans: Vec<crate::trace::Span>,
    samples: Vec<Sample>,
    cmd: &[String],
    machine: crate::machine::Machine,
) -> crate::recording::Recording {
    let (tx, rx) = crossbeam_channel::unbounded();
    let label = super::report::short_command(cmd);
    start_events(&tx, &label, w.start_ns);
    let _ = tx.send(Event::Spans(spans));
    finish_events(&w.tracker, &tx, (w.start_ns, w.end_ns), &w.exit, &label);
    drop(tx);
    let mut rec = crate::recording::Recording::new(machine);
    rx.iter().for_each(|e| rec.apply(e));
    samples.into_iter().for_each(|s| rec.push_sample(s));
    rec
}

/// A watch is one run of one pass, named for the command: its first two events.
fn start_events(tx: &Sender<Event>, label: &str, start: u64) {
    let _ = tx.send(Event::RunStarted {
        demo: "watch".into(),
        params: Params::default(),
        workers: 1,
        variants: vec![label.to_string()],
    });
    let _ = tx.send(Event::PassStarted(PassInfo {
        pass: 0,
        variant: label.to_string(),
        repeat: 0,
        warmup: false,
        workers: 1,
        t_ns: start,
    }));
}

/// Samples a watched tree as often as core loads mean something ([`CoreLoad::min_interval`]):
/// one home for a watch and an exercise check's observed run.
pub struct TreeSampler {
    cores: Option<CoreLoad>,
    last: u64,
}

impl TreeSampler {
    /// The first sample covers the time from `start`.
    pub fn new(start: u64) -> TreeSampler {
        TreeSampler {
            cores: CoreLoad::new(),
            last: start,
        }
    }

    /// The sample due at `t` (none before the interval has passed): the cores' loads since
    /// the last one and the memory of the tree's live processes.
    pub fn next(&mut self, tr: &Tracker, t: u64) -> Option<Sample> {
        if t.saturating_sub(self.last) < CoreLoad::min_interval().as_nanos() as u64 {
            return None;
        }
        let per_core = self.cores.as_mut().map(CoreLoad::read).unwrap_or_default();
        let s = sample(tr, per_core, t, t - self.last);
        self.last = t;
        Some(s)
    }
}

/// One sample of a watched tree: the cores' loads (`per_core`, read by the caller) and the
/// memory of its live processes, the largest named.
fn sample(tr: &Tracker, per_core: Vec<f32>, t: u64, interval_ns: u64) -> Sample {
    let alive = tr.procs.values().filter(|p| p.alive);
    let mut per_child: Vec<ChildMem> = alive
        .clone()
        .map(|p| ChildMem {
            pid: p.pid,
            name: p.name.clone(),
            rss: p.rss,
        })
        .collect();
    keep_largest(&mut per_child);
    Sample {
        t_ns: t,
        interval_ns,
        per_core,
        rss_self: crate::platform::proc_status_bytes("VmRSS").unwrap_or(0),
        rss_children: alive.clone().map(|p| p.rss).sum(),
        children: alive.count() as u32,
        wait_cpu: None,
        per_child,
    }
}

/// Names the rows first seen since `from` in the log ("w3 is worker 1 4242 · python3 pool.py"),
/// so the timeline's row numbers read as processes and threads; returns the next row id.
fn announce(tr: &Tracker, from: u32, t: u64, tx: &Sender<Event>) -> u32 {
    let mut fresh: Vec<_> = tr.threads.values().filter(|r| r.id >= from).collect();
    fresh.sort_by_key(|r| r.id);
    for r in &fresh {
        let cmd = tr.procs.get(&r.pid).map_or("", |p| p.cmdline.as_str());
        let _ = tx.send(Event::WorkerLabel {
            pass: 0,
            worker: r.id,
            label: r.name.clone(),
        });
        let _ = tx.send(Event::Log {
            pass: 0,
            worker: r.id,
            t_ns: t,
            text: format!("row w{} is {} · {cmd}", r.id, r.name),
        });
    }
    fresh.last().map_or(from, |r| r.id + 1)
}

fn forward(lines: &crossbeam_channel::Receiver<OutLine>, tx: &Sender<Event>, echo: bool) {
    while let Ok(l) = lines.try_recv() {
        send_line(l, tx, echo);
    }
}

fn send_line(l: OutLine, tx: &Sender<Event>, echo: bool) {
    if echo {
        eprintln!("{}", l.text);
    }
    let _ = tx.send(Event::Log {
        pass: 0,
        worker: 0,
        t_ns: l.t_ns,
        text: if l.stderr {
            format!("stderr: {}", l.text)
        } else {
            l.text
        },
    });
}

/// How a program ended, in the report's terms; `cancelled` when parlab stopped it.
pub(crate) fn exit_info(st: &std::process::ExitStatus, cancelled: bool) -> ExitInfo {
    #[cfg(unix)]
    let signal = std::os::unix::process::ExitStatusExt::signal(st);
    #[cfg(not(unix))]
    let signal = None;
    ExitInfo {
        code: st.code(),
        signal,
        cancelled,
    }
}

/// Per-row CPU, the pass's end and the run's report.
fn finish_events(
    tr: &Tracker,
    tx: &Sender<Event>,
    (start, end): (u64, u64),
    exit: &ExitInfo,
    label: &str,
) {
    for r in tr.threads.values() {
        // Rows are named again when a process execs or Python names it: the last name wins.
        let _ = tx.send(Event::WorkerLabel {
            pass: 0,
            worker: r.id,
            label: r.name.clone(),
        });
        let _ = tx.send(Event::WorkerCpu {
            pass: 0,
            worker: r.id,
            cpu_ns: r.cpu_ns,
        });
    }
    let outcome = Outcome {
        digest: 0,
        items: 0,
        metrics: Vec::new(),
        note: Some(exit.describe()),
        mismatch: None,
        timed: None,
        workers: Some(tr.procs.len()),
    };
    let _ = tx.send(Event::PassFinished {
        pass: 0,
        start_ns: start,
        t_ns: end,
        outcome: Ok(outcome),
    });
    let report = super::report::run_report(tr, label, (start, end), exit);
    let _ = tx.send(Event::Finished(Box::new(report)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::Reading;
    use crate::observe::report::WatchReport;

    /// The fallback of systems without `/proc`, forced here: a row per process, no waiting
    /// figure, and the screen and the report say why.
    #[test]
    fn the_sysinfo_fallback_watches_and_says_what_it_cannot_see() {
        let opts = WatchOptions {
            cmd: vec!["sh".into(), "-c".into(), "sleep 0.5 & wait".into()],
            interval: Duration::from_millis(20),
            stdin: false,
            echo: false,
            reading: Reading::Sysinfo,
        };
        let (tx, rx) = crossbeam_channel::unbounded();
        let (stx, _srx) = crossbeam_channel::unbounded();
        let w = watch(&opts, &tx, &stx, &CancelToken::new()).unwrap();
        let r = WatchReport::new(&w);
        assert_eq!(r.exit.code, Some(0));
        assert_eq!(r.wait_cpu_share, None);
        assert!(
            r.note.as_deref().is_some_and(|n| n.contains("sysinfo")),
            "{r:?}"
        );
        assert!(!r.processes.is_empty());
        assert!(r.processes.iter().all(|p| p.threads.len() == 1), "{r:?}");
        drop(tx);
        let said = rx
            .iter()
            .any(|e| matches!(e, Event::Log { text, .. } if text.contains("sysinfo")));
        assert!(said, "the log names the fallback");
    }
}
