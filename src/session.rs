//! A headless session: the runner on its own thread, the sampler on another, and this thread
//! gathering both into a [`Recording`]. The CLI's `run`, `sweep` and benchmarks use it.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crossbeam_channel::{Sender, never, select, unbounded};

use crate::engine::{CancelToken, Runner};
use crate::event::Event;
use crate::machine::Machine;
use crate::recording::Recording;
use crate::sampler::{Sample, Sampler};

/// Runs `job` with a runner that reports into a fresh recording, while the sampler records
/// CPU load. When `progress` is set, a one-line progress display goes to stderr. A sampler
/// that cannot start or stops early costs the CPU figures and one warning line, not the run.
pub fn record<T, F>(cancel: &CancelToken, progress: bool, job: F) -> anyhow::Result<(T, Recording)>
where
    T: Send,
    F: FnOnce(&mut Runner) -> T + Send,
{
    let mut warn = |m: &str| eprintln!("warning: {m}");
    record_with(cancel, progress, Sampler::start, &mut warn, job).map(|(t, rec, _)| (t, rec))
}

/// [`record`] with the sampler's start and the warning sink given (the seam tests use to
/// stand in a sampler that fails or stops); also returns how often the gathering loop woke.
fn record_with<T, F, S>(
    cancel: &CancelToken,
    progress: bool,
    start_sampler: S,
    warn: &mut dyn FnMut(&str),
    job: F,
) -> anyhow::Result<(T, Recording, usize)>
where
    T: Send,
    F: FnOnce(&mut Runner) -> T + Send,
    S: FnOnce(Sender<Sample>) -> anyhow::Result<Sampler>,
{
    let (ev_tx, ev_rx) = unbounded::<Event>();
    let (s_tx, s_rx) = unbounded();
    let mut rec = Recording::new(Machine::this());
    let mut sampler = match start_sampler(s_tx) {
        Ok(s) => Some(s),
        Err(e) => {
            warn(&format!("no CPU figures for this run: {e:#}"));
            None
        }
    };
    // Once the sampler is gone its channel is closed for good: stop listening to it, or
    // `select!` would return at once forever (a busy spin).
    let mut samples = if sampler.is_some() {
        s_rx.clone()
    } else {
        never()
    };
    let mut line = ProgressLine::new(progress);
    let mut wakeups = 0usize;
    let out = std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("parlab-runner".into())
            .spawn_scoped(s, move || {
                let mut runner = Runner::new(Some(ev_tx), cancel.clone());
                job(&mut runner)
            })
            .map_err(|e| anyhow::anyhow!("cannot start the runner thread: {e}"))?;
        loop {
            wakeups += 1;
            select! {
                recv(ev_rx) -> ev => match ev {
                    Ok(ev) => { line.see(&ev); rec.apply(ev) }
                    Err(_) => break,
                },
                recv(samples) -> smp => match smp {
                    Ok(smp) => rec.push_sample(smp),
                    Err(_) => {
                        line.clear();
                        warn("the CPU sampler stopped; the run goes on without further CPU figures");
                        samples = never();
                    }
                },
            }
        }
        handle
            .join()
            .map_err(|_| anyhow::anyhow!("the runner panicked"))
    })?;
    if let Some(sm) = sampler.as_mut() {
        sm.stop();
    }
    while let Ok(smp) = s_rx.try_recv() {
        rec.push_sample(smp);
    }
    line.clear();
    Ok((out, rec, wakeups))
}

/// The stderr progress line: variant, pass, items done.
struct ProgressLine {
    on: bool,
    label: String,
    shown: bool,
}

impl ProgressLine {
    fn new(on: bool) -> ProgressLine {
        ProgressLine {
            on,
            label: String::new(),
            shown: false,
        }
    }

    fn see(&mut self, ev: &Event) {
        if !self.on {
            return;
        }
        match ev {
            Event::PassStarted(p) => {
                self.label = if p.warmup {
                    format!("{} warm-up", p.variant)
                } else {
                    format!("{} pass {}", p.variant, p.repeat + 1)
                };
            }
            Event::Progress { done, total, .. } if *total > 0 => {
                let pct = 100.0 * *done as f64 / *total as f64;
                eprint!(
                    "\r\x1b[2K  running {} … {pct:3.0}% ({done} of {total} items)   (Ctrl-C stops)",
                    self.label
                );
                let _ = std::io::stderr().flush();
                self.shown = true;
            }
            _ => {}
        }
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        }
    }
}

/// Makes Ctrl-C and SIGTERM set `cancel` instead of killing parlab, so a run stops cleanly,
/// reports what completed and reaps its children. A second one exits at once with code 130
/// (for a run that does not stop soon enough): child workers then die with parlab, as they
/// do when their stdin closes.
pub fn cancel_on_signals(cancel: &CancelToken) -> anyhow::Result<()> {
    let seen = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let installed =
            signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(&seen))
                // The order matters: the exit is armed by the first signal, taken by the second.
                .and_then(|_| signal_hook::flag::register(sig, Arc::clone(&seen)))
                .and_then(|_| signal_hook::flag::register(sig, cancel.flag()));
        installed.map_err(|e| anyhow::anyhow!("cannot install a signal handler: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A job that outlives the sampler: long enough for a spinning loop to wake millions of
    /// times, while a loop that waits wakes only for the two channels closing.
    fn wait_a_little(_: &mut Runner) -> u32 {
        std::thread::sleep(std::time::Duration::from_millis(300));
        7
    }

    #[test]
    fn a_sampler_that_cannot_start_is_reported_once_and_the_run_goes_on() {
        let mut warnings = Vec::new();
        let mut warn = |m: &str| warnings.push(m.to_string());
        let (out, rec, _) = record_with(
            &CancelToken::new(),
            false,
            |_| Err(anyhow::anyhow!("no threads today")),
            &mut warn,
            wait_a_little,
        )
        .unwrap();
        assert_eq!(out, 7);
        assert!(rec.samples.is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("no threads today"), "{warnings:?}");
    }

    #[test]
    fn a_sampler_that_stops_is_reported_once_and_not_spun_on() {
        let mut warnings = Vec::new();
        let mut warn = |m: &str| warnings.push(m.to_string());
        let (out, _, wakeups) = record_with(
            &CancelToken::new(),
            false,
            |tx| Sampler::spawn(tx, |_, _| {}),
            &mut warn,
            wait_a_little,
        )
        .unwrap();
        assert_eq!(out, 7);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("sampler stopped"), "{warnings:?}");
        assert!(wakeups < 50, "the loop woke {wakeups} times: it spins");
    }
}
