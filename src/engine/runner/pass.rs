//! One pass of a variant: started on a thread of its own, watched (progress and span flushes
//! every tick), and its end sent as an event with the window that was timed.
//!
//! Why apart from the repeat loop: this is the part that touches threads, clocks and the
//! event channel; the loop above it only decides how many passes to run and keeps their
//! numbers.

use crossbeam_channel::bounded;

use super::{RunRequest, Runner, TICK};
use crate::engine::CancelToken;
use crate::engine::demo::{Ctx, Demo, DemoError, Outcome, Progress};
use crate::engine::live::Live;
use crate::engine::panic::panic_text;
use crate::engine::params::Params;
use crate::event::{Event, PassInfo};
use crate::trace::{Tracer, now_ns};

impl Runner {
    /// One pass on its own thread while this thread ticks progress and span flushes.
    pub(super) fn pass(
        &mut self,
        req: &RunRequest,
        variant: &str,
        workers: usize,
        repeat: u32,
        warmup: bool,
    ) -> Result<PassResult, DemoError> {
        self.cancel.check()?;
        let pass = self.next_pass;
        self.next_pass += 1;
        let tracer = Tracer::new(
            pass,
            req.demo.trace_slots(&req.params, workers),
            self.tx.clone(),
        );
        let live = Live::new(pass, self.tx.clone());
        let progress = Progress::default();
        self.send(Event::PassStarted(PassInfo {
            pass,
            variant: variant.to_string(),
            repeat,
            warmup,
            workers: workers as u32,
            t_ns: now_ns(),
        }));
        let t_start = now_ns();
        let ctx = Ctx {
            workers,
            cancel: &self.cancel,
            trace: &tracer,
            progress: &progress,
            live: &live,
        };
        let result = self.watch(pass, &tracer, &progress, || {
            req.demo.run(variant, &req.params, &ctx)
        });
        tracer.finish();
        let (done, total) = progress.get();
        self.send(Event::Progress { pass, done, total });
        let t_end = now_ns();
        self.pass_finished(pass, result, (t_start, t_end))
    }

    /// Runs `run` on a thread of its own, flushing spans and sending progress every [`TICK`]
    /// until it ends; a panic becomes a failure that carries the panic's message.
    fn watch<F>(
        &self,
        pass: u32,
        tracer: &Tracer,
        progress: &Progress,
        run: F,
    ) -> Result<Ran, DemoError>
    where
        F: FnOnce() -> Result<Outcome, DemoError> + Send,
    {
        let (done_tx, done_rx) = bounded(1);
        std::thread::scope(|s| {
            let spawned = std::thread::Builder::new()
                .name("parlab-pass".into())
                .spawn_scoped(s, || {
                    // Owned by this thread, so a panic drops it and the wait below ends.
                    let done_tx = done_tx;
                    let t0 = now_ns();
                    let r = run();
                    let t1 = now_ns();
                    let _ = done_tx.send(());
                    r.map(|outcome| Ran {
                        window: outcome.timed.unwrap_or((t0, t1)),
                        elapsed_ns: t1 - t0,
                        outcome,
                    })
                });
            let handle = match spawned {
                Ok(h) => h,
                Err(e) => {
                    return Err(DemoError::Failed(anyhow::anyhow!(
                        "cannot start a thread: {e}"
                    )));
                }
            };
            while let Err(crossbeam_channel::RecvTimeoutError::Timeout) = done_rx.recv_timeout(TICK)
            {
                tracer.flush();
                let (done, total) = progress.get();
                self.send(Event::Progress { pass, done, total });
            }
            handle.join().unwrap_or_else(|p| {
                Err(DemoError::Failed(anyhow::anyhow!(
                    "the demo panicked: {}",
                    panic_text(p.as_ref())
                )))
            })
        })
    }

    /// Sends the pass's end: the timed window of an outcome, or `fallback` (the whole pass,
    /// as this thread saw it) with the error.
    fn pass_finished(
        &self,
        pass: u32,
        result: Result<Ran, DemoError>,
        fallback: (u64, u64),
    ) -> Result<PassResult, DemoError> {
        match result {
            Ok(Ran {
                window: (a, b),
                elapsed_ns,
                outcome,
            }) => {
                self.send(Event::PassFinished {
                    pass,
                    start_ns: a,
                    t_ns: b,
                    outcome: Ok(outcome.clone()),
                });
                Ok(PassResult {
                    pass,
                    wall_ns: b - a,
                    elapsed_ns,
                    outcome,
                })
            }
            Err(e) => {
                self.send(Event::PassFinished {
                    pass,
                    start_ns: fallback.0,
                    t_ns: fallback.1,
                    outcome: Err(e.to_string()),
                });
                Err(e)
            }
        }
    }
}

/// What the pass thread returns: the timed window (shared clock), the whole pass's length
/// (untimed set-up included) and the outcome.
struct Ran {
    window: (u64, u64),
    elapsed_ns: u64,
    outcome: Outcome,
}

/// A finished pass as the repeat loop needs it.
pub(super) struct PassResult {
    /// Its id.
    pub(super) pass: u32,
    /// The timed window's length.
    pub(super) wall_ns: u64,
    /// The whole pass's length on its thread, untimed set-up included.
    pub(super) elapsed_ns: u64,
    /// What the demo returned.
    pub(super) outcome: Outcome,
}

/// Runs one pass of `variant` outside a [`Runner`]: no timing, no events, spans kept
/// nowhere. For unit tests and benchmarks that need a demo's answer, not its measurements.
pub fn run_pass(
    demo: &dyn Demo,
    variant: &str,
    params: &Params,
    workers: usize,
) -> Result<Outcome, DemoError> {
    let slots = demo.trace_slots(params, workers);
    with_ctx(workers, slots, &CancelToken::new(), |ctx| {
        demo.run(variant, params, ctx)
    })
}

/// Calls `f` with the context of a pass outside a [`Runner`]: `workers` workers, a tracer of
/// `slots` worker slots that keeps its spans nowhere, stopped by `cancel`. The one way unit
/// tests, benchmarks and [`run_pass`] build a context.
pub fn with_ctx<R>(
    workers: usize,
    slots: usize,
    cancel: &CancelToken,
    f: impl FnOnce(&Ctx<'_>) -> R,
) -> R {
    let trace = Tracer::new(0, slots, None);
    let progress = Progress::default();
    let live = Live::new(0, None);
    f(&Ctx {
        workers,
        cancel,
        trace: &trace,
        progress: &progress,
        live: &live,
    })
}
