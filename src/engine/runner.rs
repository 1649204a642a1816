//! The runner: every variant, warmed up and repeated, timed, and checked against sequential.

use std::time::Duration;

use crossbeam_channel::Sender;

use super::demo::{Demo, DemoError, Outcome};
use super::params::Params;
use super::results::{Correctness, Reference, RunReport, VariantReport};
use super::{CancelToken, VariantInfo};
use crate::event::Event;

mod pass;

pub use pass::{run_pass, with_ctx};

/// How often a running pass reports progress and flushes spans.
const TICK: Duration = Duration::from_millis(50);
/// Repeats aim to fill about this much time per variant.
const REPEAT_BUDGET_NS: u64 = 1_000_000_000;
/// Fewest and most repeats chosen automatically.
const MIN_REPEATS: u32 = 3;
const MAX_REPEATS: u32 = 15;
/// A first pass at least this long is kept as a timed repeat instead of a warm-up: whatever
/// a warm-up removes (page faults, cold caches, thread start) is noise at this length.
const LONG_PASS_NS: u64 = 250_000_000;

/// What to run.
#[derive(Clone)]
pub struct RunRequest {
    /// The demo.
    pub demo: &'static dyn Demo,
    /// Parameter values, already validated.
    pub params: Params,
    /// Workers for parallel variants.
    pub workers: usize,
    /// Variants to run; empty means all. `sequential` always runs (it is the reference).
    pub variants: Vec<String>,
    /// Timed repeats per variant; `None` chooses so a variant takes about a second.
    pub repeats: Option<u32>,
    /// A sequential result from an earlier run with the same parameters (digest, median ms):
    /// when given, sequential is not run again (a sweep runs it once).
    pub reference: Option<Reference>,
}

/// Runs demos, numbering passes across runs so one trace can hold several runs (a sweep).
pub struct Runner {
    tx: Option<Sender<Event>>,
    cancel: CancelToken,
    next_pass: u32,
    /// Digest of the last sequential variant run, the reference for the ones after it.
    last_digest: Option<u64>,
    last_reference: Option<Reference>,
}

impl Runner {
    /// A runner that reports on `tx` (or only returns the report when `None`).
    pub fn new(tx: Option<Sender<Event>>, cancel: CancelToken) -> Runner {
        Runner {
            tx,
            cancel,
            next_pass: 0,
            last_digest: None,
            last_reference: None,
        }
    }

    /// The sequential answer of the last run (digest, median ms), to pass as
    /// [`RunRequest::reference`] to later runs with the same parameters.
    pub fn reference(&self) -> Option<Reference> {
        self.last_reference
    }

    fn send(&self, ev: Event) {
        if let Some(tx) = &self.tx {
            // A consumer that went away no longer needs events.
            let _ = tx.send(ev);
        }
    }

    /// Runs every requested variant and returns what completed.
    pub fn run(&mut self, req: &RunRequest) -> RunReport {
        let info = req.demo.info();
        let variants: Vec<&VariantInfo> = info
            .variants
            .iter()
            .filter(|v| {
                if v.name == "sequential" {
                    req.reference.is_none()
                } else {
                    req.variants.is_empty() || req.variants.iter().any(|n| n == v.name)
                }
            })
            .collect();
        self.send(Event::RunStarted {
            demo: info.id.to_string(),
            params: req.params.clone(),
            workers: req.workers,
            variants: variants.iter().map(|v| v.name.to_string()).collect(),
        });
        let mut report = RunReport {
            demo: info.id.to_string(),
            params: req.params.clone(),
            workers: req.workers,
            cores: crate::cores(),
            variants: Vec::new(),
            cancelled: false,
        };
        let mut reference = req.reference;
        for v in variants {
            let vr = self.run_variant(req, v, reference);
            if v.name == "sequential"
                && let Correctness::Correct = vr.correctness
                && let Some(d) = self.last_digest
            {
                reference = Some(Reference::new(d, vr.wall.median, vr.wall.min));
                self.last_reference = reference;
            }
            let stop = vr.cancelled;
            report.variants.push(vr);
            if stop {
                report.cancelled = true;
                break;
            }
        }
        req.demo.finish_run();
        self.send(Event::Finished(Box::new(report.clone())));
        report
    }

    /// All passes of one variant (a warm-up, then the timed repeats), summarized.
    fn run_variant(
        &mut self,
        req: &RunRequest,
        v: &VariantInfo,
        reference: Option<Reference>,
    ) -> VariantReport {
        let workers = if v.parallel { req.workers } else { 1 };
        let mut vr = VariantReport::new(v.name, workers);
        let outcomes = self.timed_passes(req, v, &mut vr);
        self.last_digest = None;
        if outcomes.is_empty() {
            return vr;
        }
        vr.summarize(v, &outcomes, reference);
        if v.name == "sequential" {
            self.last_digest = Some(outcomes[0].digest);
        }
        vr
    }

    /// Runs the passes of `variant`, recording each timed one's id and wall time in `vr`
    /// (and a cancel or failure, which ends them); returns their outcomes in the same order.
    fn timed_passes(
        &mut self,
        req: &RunRequest,
        v: &VariantInfo,
        vr: &mut VariantReport,
    ) -> Vec<Outcome> {
        let variant = v.name;
        let mut outcomes: Vec<Outcome> = Vec::new();
        let mut target = req.repeats.unwrap_or(MIN_REPEATS);
        let mut warmup = req.repeats.is_none();
        let mut repeat = 0u32;
        // After an untimed warm-up, the first timed pass plans the repeats again: the warm-up
        // may have paid one-time costs (a dataset generated) that no later pass pays.
        let mut replan = false;
        while repeat < target {
            match self.pass(req, variant, vr.workers, repeat, warmup) {
                Ok(p) => {
                    if replan {
                        replan = false;
                        target = repeat_target(p.wall_ns, p.elapsed_ns);
                    }
                    if warmup {
                        warmup = false;
                        target = repeat_target(p.wall_ns, p.elapsed_ns);
                        // The reference always gets an untimed warm-up, however long: its first
                        // pass pays the run's one-time costs (a dataset generated, fresh
                        // memory touched, files read into the page cache) that no later pass
                        // pays, and every speedup is measured against it.
                        if p.wall_ns < LONG_PASS_NS || !v.parallel {
                            replan = true;
                            continue; // a real warm-up: not timed
                        }
                    }
                    vr.passes.push(p.pass);
                    vr.wall_ms.push(p.wall_ns as f64 / 1e6);
                    outcomes.push(p.outcome);
                    repeat += 1;
                }
                Err(DemoError::Cancelled) => {
                    vr.cancelled = true;
                    break;
                }
                Err(DemoError::Failed(e)) => {
                    vr.error = Some(format!("{e:#}"));
                    break;
                }
            }
        }
        outcomes
    }
}

/// Timed repeats after a first pass of `wall_ns` timed (`elapsed_ns` in all): enough to
/// fill [`REPEAT_BUDGET_NS`], within [`MIN_REPEATS`]..=[`MAX_REPEATS`].
fn repeat_target(wall_ns: u64, elapsed_ns: u64) -> u32 {
    // Budget by what a pass really costs, untimed set-up included.
    let per = elapsed_ns.max(wall_ns).max(1);
    // Passes over a second get two repeats: a demo with four variants then finishes in
    // seconds, not minutes.
    let min = if per > REPEAT_BUDGET_NS {
        2
    } else {
        MIN_REPEATS
    };
    (REPEAT_BUDGET_NS / per).clamp(min as u64, MAX_REPEATS as u64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Ctx, DemoInfo};

    /// A demo whose `sequential` returns digest 7 and whose `broken` panics, naming its
    /// workers in the message, as a bug in a lesson's code would.
    struct Toy(DemoInfo);

    impl Demo for Toy {
        fn info(&self) -> &DemoInfo {
            &self.0
        }

        fn run(&self, variant: &str, _: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
            if variant == "broken" {
                panic!("a bug with {} workers", ctx.workers);
            }
            Ok(Outcome {
                digest: 7,
                items: 1,
                ..Outcome::default()
            })
        }
    }

    fn toy() -> &'static Toy {
        Box::leak(Box::new(Toy(DemoInfo {
            id: "toy",
            title: "Toy",
            summary: "toy",
            params: Vec::new(),
            variants: vec![
                VariantInfo::SEQUENTIAL,
                VariantInfo::parallel("broken", "panics"),
            ],
        })))
    }

    fn request(repeats: Option<u32>) -> RunRequest {
        RunRequest {
            demo: toy(),
            params: Params::default(),
            workers: 3,
            variants: Vec::new(),
            repeats,
            reference: None,
        }
    }

    #[test]
    fn a_panicking_pass_fails_with_the_panic_message() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let report = Runner::new(Some(tx), CancelToken::new()).run(&request(Some(2)));
        let want = "the demo panicked: a bug with 3 workers";
        let broken = report.variant("broken").expect("broken ran");
        assert_eq!(broken.error.as_deref(), Some(want));
        assert!(broken.passes.is_empty());
        assert!(report.has_failures());
        let failed: Vec<String> = rx
            .try_iter()
            .filter_map(|ev| match ev {
                Event::PassFinished {
                    outcome: Err(e), ..
                } => Some(e),
                _ => None,
            })
            .collect();
        assert_eq!(failed, vec![want.to_string()]);
    }

    #[test]
    fn a_warm_up_pass_is_not_timed() {
        let mut runner = Runner::new(None, CancelToken::new());
        let mut req = request(None);
        req.variants = vec!["sequential".into()];
        let report = runner.run(&req);
        let seq = report.variant("sequential").expect("sequential ran");
        assert_eq!(seq.correctness, Correctness::Correct);
        assert_eq!(seq.passes.first(), Some(&1), "pass 0 was the warm-up");
        let n = seq.passes.len() as u32;
        assert!((MIN_REPEATS..=MAX_REPEATS).contains(&n), "{n} repeats");
        assert_eq!(seq.wall_ms.len(), seq.passes.len());
        assert_eq!(
            runner.reference(),
            Some(Reference::new(7, seq.wall.median, seq.wall.min))
        );
    }

    #[test]
    fn repeats_fill_the_budget_within_their_bounds() {
        let ms = 1_000_000;
        assert_eq!(repeat_target(0, 0), MAX_REPEATS);
        assert_eq!(repeat_target(ms, ms), MAX_REPEATS);
        assert_eq!(repeat_target(50 * ms, 100 * ms), 10, "set-up counts");
        assert_eq!(repeat_target(400 * ms, 400 * ms), MIN_REPEATS);
        assert_eq!(
            repeat_target(2_000 * ms, 2_000 * ms),
            2,
            "long passes get two"
        );
    }
}
