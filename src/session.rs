//! A headless session: the runner on its own thread, the sampler on another, and this thread
//! gathering both into a [`Recording`]. The CLI's `run`, `sweep` and benchmarks use it.

use std::io::Write as _;

use crossbeam_channel::{select, unbounded};

use crate::engine::{CancelToken, Runner};
use crate::event::Event;
use crate::machine::Machine;
use crate::recording::Recording;
use crate::sampler::Sampler;

/// Runs `job` with a runner that reports into a fresh recording, while the sampler records
/// CPU load. When `progress` is set, a one-line progress display goes to stderr.
pub fn record<T, F>(cancel: &CancelToken, progress: bool, job: F) -> anyhow::Result<(T, Recording)>
where
    T: Send,
    F: FnOnce(&mut Runner) -> T + Send,
{
    let (ev_tx, ev_rx) = unbounded::<Event>();
    let (s_tx, s_rx) = unbounded();
    let mut rec = Recording::new(Machine::this());
    let mut sampler = Sampler::start(s_tx)?;
    let mut line = ProgressLine::new(progress);
    let out = std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("parlab-runner".into())
            .spawn_scoped(s, move || {
                let mut runner = Runner::new(Some(ev_tx), cancel.clone());
                job(&mut runner)
            })
            .map_err(|e| anyhow::anyhow!("cannot start the runner thread: {e}"))?;
        loop {
            select! {
                recv(ev_rx) -> ev => match ev {
                    Ok(ev) => { line.see(&ev); rec.apply(ev) }
                    Err(_) => break,
                },
                recv(s_rx) -> smp => if let Ok(smp) = smp { rec.push_sample(smp) },
            }
        }
        handle
            .join()
            .map_err(|_| anyhow::anyhow!("the runner panicked"))
    })?;
    sampler.stop();
    while let Ok(smp) = s_rx.try_recv() {
        rec.push_sample(smp);
    }
    line.clear();
    Ok((out, rec))
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
/// reports what completed and reaps its children.
pub fn cancel_on_signals(cancel: &CancelToken) -> anyhow::Result<()> {
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, cancel.flag())
            .map_err(|e| anyhow::anyhow!("cannot install a signal handler: {e}"))?;
    }
    Ok(())
}
