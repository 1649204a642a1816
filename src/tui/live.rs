//! The threads of a live run: the runner (its events) and the CPU sampler (its samples).

use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use crossbeam_channel::{Receiver, never, unbounded};

use crate::engine::{CancelToken, RunRequest, Runner};
use crate::event::Event;
use crate::lesson::pyrun::{self, PyRun};
use crate::sampler::{Sample, Sampler};

/// How long quitting waits for a cancelled run to wind down (children reaped) before parlab
/// leaves anyway: short enough that Ctrl-C feels immediate.
pub const QUIT_WAIT: Duration = Duration::from_millis(300);

/// The threads of a live run.
pub struct LiveRun {
    /// Cancels the run.
    pub cancel: CancelToken,
    /// The engine's events.
    pub events: Receiver<Event>,
    /// CPU samples.
    pub samples: Receiver<Sample>,
    /// The runner thread, until joined.
    pub runner: Option<JoinHandle<()>>,
    /// The sampler, until stopped.
    pub sampler: Option<Sampler>,
    /// A lesson's Python program, watched: its summary once it ended (kept in the data
    /// directory too), for the lesson text.
    pub python: Receiver<PyRun>,
}

impl LiveRun {
    /// Starts the runner on `req` and a sampler (a run goes on without CPU figures when the
    /// sampler cannot start).
    pub fn start(req: RunRequest) -> anyhow::Result<LiveRun> {
        Self::spawn(move |runner| {
            let _ = runner.run(&req);
        })
    }

    /// Starts a sweep: `req` at each of `counts` workers in turn, on one runner whose events
    /// arrive as a live run's do; the channel closes when it ends.
    pub fn start_sweep(req: RunRequest, counts: Vec<usize>) -> anyhow::Result<LiveRun> {
        Self::spawn(move |runner| {
            crate::report::sweep_run::run_counts(runner, &req, &counts);
        })
    }

    /// The runner thread doing `job`, its event channel, and the sampler.
    fn spawn(job: impl FnOnce(&mut Runner) + Send + 'static) -> anyhow::Result<LiveRun> {
        let cancel = CancelToken::new();
        let (tx, rx) = unbounded::<Event>();
        let (stx, srx) = unbounded::<Sample>();
        let sampler = Sampler::start(stx).ok();
        let c = cancel.clone();
        let runner = std::thread::Builder::new()
            .name("parlab-runner".into())
            .spawn(move || {
                job(&mut Runner::new(Some(tx), c));
            })
            .context("cannot start the runner thread")?;
        Ok(LiveRun {
            cancel,
            events: rx,
            samples: srx,
            runner: Some(runner),
            sampler,
            python: never(),
        })
    }

    /// Starts watching a program (`opts`): the observer's thread sends the events and the
    /// samples; there is no sampler of parlab's own. When the program is `lesson`'s Python,
    /// its summary is kept for the lesson text (`{{ py_wall() }}`).
    pub fn watch(
        opts: crate::observe::WatchOptions,
        lesson: Option<String>,
    ) -> anyhow::Result<LiveRun> {
        let cancel = CancelToken::new();
        let (tx, rx) = unbounded::<Event>();
        let (stx, srx) = unbounded::<Sample>();
        let (ptx, prx) = unbounded::<PyRun>();
        let c = cancel.clone();
        let runner = std::thread::Builder::new()
            .name("parlab-observer".into())
            .spawn(move || {
                // A start failure sends nothing: the loop reports a run that ended without one.
                let watched = crate::observe::watch(&opts, &tx, &stx, &c);
                if let (Ok(w), Some(id)) = (watched, lesson) {
                    let report = crate::observe::report::WatchReport::new(&w);
                    // A program stopped halfway has no figures worth quoting.
                    if report.exit.cancelled {
                        return;
                    }
                    let run = PyRun::from_report(&id, &report);
                    // Not kept (no data directory, a full disk): this session still shows it.
                    let _ = pyrun::remember(run.clone());
                    let _ = ptx.send(run);
                }
            })
            .context("cannot start the observer thread")?;
        Ok(LiveRun {
            cancel,
            events: rx,
            samples: srx,
            runner: Some(runner),
            sampler: None,
            python: prx,
        })
    }

    /// Stops the sampler (it answers at once).
    pub fn stop_sampler(&mut self) {
        if let Some(mut s) = self.sampler.take() {
            s.stop();
        }
    }

    /// Cancels and waits up to `wait` for the runner (demos stop within ~200 ms); a runner
    /// still busy after that is left to end with the process. True when it ended.
    pub fn stop_within(&mut self, wait: Duration) -> bool {
        self.cancel.cancel();
        self.stop_sampler();
        let Some(h) = self.runner.take() else {
            return true;
        };
        let until = Instant::now() + wait;
        while !h.is_finished() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
        }
        if h.is_finished() {
            let _ = h.join();
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quitting_does_not_wait_for_a_runner_that_ignores_cancel() {
        let (_tx, events) = unbounded();
        let (_stx, samples) = unbounded();
        let stubborn = std::thread::spawn(|| std::thread::sleep(Duration::from_secs(30)));
        let mut l = LiveRun {
            cancel: CancelToken::new(),
            events,
            samples,
            runner: Some(stubborn),
            sampler: None,
            python: never(),
        };
        let t = Instant::now();
        assert!(!l.stop_within(Duration::from_millis(20)));
        // A "did not hang" bound, not a timing: the runner sleeps 30 s.
        assert!(t.elapsed() < Duration::from_secs(10));
        assert!(l.cancel.is_cancelled());
    }
}
