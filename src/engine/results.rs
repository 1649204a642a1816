//! What a run produced: per-variant statistics (median / min / max, speedup with its spread,
//! efficiency, correctness against `sequential`) and the whole run's report.
//!
//! Why apart from the runner: the runner decides *when* passes run; this file decides what
//! their numbers *mean*, and the report types are what the CLI, the TUI and the JSON read.

use serde::{Deserialize, Serialize};

use super::demo::{Expect, Metric, Outcome, VariantInfo};
use super::params::Params;
use super::stats::median;

/// Wall time statistics of a variant's timed passes, in ms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WallStats {
    /// Median.
    pub median: f64,
    /// Fastest.
    pub min: f64,
    /// Slowest.
    pub max: f64,
}

/// Whether a variant's answer was right.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Correctness {
    /// Every pass produced the sequential digest.
    Correct,
    /// Some pass did not. Never hidden.
    Incorrect {
        /// Sequential digest.
        expected: u64,
        /// The first different digest.
        got: u64,
    },
    /// Differs from sequential, as the lesson intends (an unsynchronized counter).
    DiffersAsExpected,
    /// Not checked (no sequential pass completed, e.g. cancelled early).
    Unchecked,
}

impl Correctness {
    /// True unless INCORRECT.
    pub fn ok(&self) -> bool {
        !matches!(self, Correctness::Incorrect { .. })
    }
}

/// One variant's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantReport {
    /// Variant name.
    pub name: String,
    /// Workers it used (1 for sequential).
    pub workers: usize,
    /// Pass ids of its timed passes, in order (the spans of each carry the id).
    pub passes: Vec<u32>,
    /// Wall time of each timed pass, ms.
    pub wall_ms: Vec<f64>,
    /// Statistics of `wall_ms`.
    pub wall: WallStats,
    /// Sequential median / this median.
    pub speedup: Option<f64>,
    /// Smallest and largest speedup over the repeats (sequential median / each pass).
    pub speedup_range: Option<(f64, f64)>,
    /// Speedup / workers.
    pub efficiency: Option<f64>,
    /// A one-worker parallel variant clearly faster than sequential: a measurement problem,
    /// not a speedup (see [`super::baseline`]).
    #[serde(default)]
    pub measurement_problem: bool,
    /// Whether the answer was right.
    pub correctness: Correctness,
    /// How the first differing pass's answer differs, in the demo's words (`None` when the
    /// answer matched or the demo does not say): the headline quotes it.
    #[serde(default)]
    pub mismatch: Option<String>,
    /// The pass whose time is the median (per-worker figures come from it).
    pub median_pass: Option<u32>,
    /// Metrics and note of the median pass.
    pub metrics: Vec<Metric>,
    /// A sentence from the demo about its result.
    pub note: Option<String>,
    /// Items per pass.
    pub items: u64,
    /// True if a cancel cut this variant short.
    pub cancelled: bool,
    /// Error text if a pass failed.
    pub error: Option<String>,
}

/// A whole run: every variant of one demo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// Demo id.
    pub demo: String,
    /// Parameter values.
    pub params: Params,
    /// Workers for parallel variants.
    pub workers: usize,
    /// Logical cores of this machine.
    pub cores: usize,
    /// Variants in run order, sequential first.
    pub variants: Vec<VariantReport>,
    /// True if cancelled; `variants` then holds what completed.
    pub cancelled: bool,
}

impl RunReport {
    /// The report of `name`.
    pub fn variant(&self, name: &str) -> Option<&VariantReport> {
        self.variants.iter().find(|v| v.name == name)
    }

    /// True when some variant was INCORRECT or failed.
    pub fn has_failures(&self) -> bool {
        self.variants
            .iter()
            .any(|v| !v.correctness.ok() || v.error.is_some())
    }
}

impl VariantReport {
    /// A report with no passes yet: `workers` until a pass says otherwise.
    pub(super) fn new(name: &str, workers: usize) -> VariantReport {
        VariantReport {
            name: name.to_string(),
            workers,
            passes: Vec::new(),
            wall_ms: Vec::new(),
            wall: WallStats::default(),
            speedup: None,
            speedup_range: None,
            efficiency: None,
            measurement_problem: false,
            correctness: Correctness::Unchecked,
            mismatch: None,
            median_pass: None,
            metrics: Vec::new(),
            note: None,
            items: 0,
            cancelled: false,
            error: None,
        }
    }

    /// Fills the statistics from the timed passes (`wall_ms`, and `outcomes` in the same
    /// order, at least one): wall times, the median pass's picture, correctness against
    /// `reference` (sequential digest, median ms) and the speedup over it.
    pub(super) fn summarize(
        &mut self,
        v: &VariantInfo,
        outcomes: &[Outcome],
        reference: Option<Reference>,
    ) {
        let ms = &self.wall_ms;
        let med = median(ms);
        self.wall = WallStats {
            median: med,
            min: ms.iter().copied().fold(f64::INFINITY, f64::min),
            max: ms.iter().copied().fold(0.0, f64::max),
        };
        // The pass closest to the median stands for the variant's per-worker picture.
        let mi = (0..ms.len())
            .min_by(|&a, &b| (ms[a] - med).abs().total_cmp(&(ms[b] - med).abs()))
            .unwrap_or(0);
        self.median_pass = Some(self.passes[mi]);
        self.metrics = outcomes[mi].metrics.clone();
        self.note = outcomes[mi].note.clone();
        self.items = outcomes[mi].items;
        if let Some(w) = outcomes[mi].workers {
            self.workers = w;
        }
        let expected = if v.name == "sequential" {
            Some(outcomes[0].digest)
        } else {
            reference.map(|r| r.digest)
        };
        self.correctness = correctness(expected, outcomes, v.expect);
        self.mismatch = expected
            .and_then(|exp| outcomes.iter().find(|o| o.digest != exp))
            .and_then(|o| o.mismatch.clone());
        self.set_speedup(v, reference);
    }

    /// Speedup, its spread and efficiency: 1 for sequential (its spread is its own), else
    /// against the reference median when there is one.
    fn set_speedup(&mut self, v: &VariantInfo, reference: Option<Reference>) {
        let w = self.wall;
        if v.name == "sequential" {
            self.speedup = Some(1.0);
            self.speedup_range = Some((w.median / w.max.max(1e-9), w.median / w.min.max(1e-9)));
            self.efficiency = Some(1.0);
        } else if let Some(r) = reference {
            let seq_ms = r.median_ms;
            let s = seq_ms / w.median.max(1e-9);
            self.speedup = Some(s);
            self.speedup_range = Some((seq_ms / w.max.max(1e-9), seq_ms / w.min.max(1e-9)));
            self.efficiency = Some(s / self.workers.max(1) as f64);
            // Flagged only when the medians and the best passes both say so: noise only
            // adds time, so one slow sequential pass cannot fake a problem.
            let best = r.best_ms / w.min.max(1e-9);
            let too_fast = |s| super::baseline::one_worker_too_fast(v, self.workers, Some(s));
            self.measurement_problem = self.speedup.is_some_and(too_fast) && too_fast(best);
        }
    }
}

/// Correct when every outcome has the `expected` digest; a difference is the lesson for a
/// variant that may differ, INCORRECT (with the first different digest) otherwise.
fn correctness(expected: Option<u64>, outcomes: &[Outcome], expect: Expect) -> Correctness {
    match expected {
        None => Correctness::Unchecked,
        Some(exp) => match outcomes.iter().find(|o| o.digest != exp) {
            None => Correctness::Correct,
            Some(_) if expect == Expect::MayDiffer => Correctness::DiffersAsExpected,
            Some(o) => Correctness::Incorrect {
                expected: exp,
                got: o.digest,
            },
        },
    }
}

/// What the other variants are measured against: the sequential variant's answer and times.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reference {
    /// Digest of the sequential answer.
    pub digest: u64,
    /// Median wall time of a sequential pass, ms: the base of every speedup.
    pub median_ms: f64,
    /// Fastest sequential pass, ms: the fair-baseline rule compares best with best, which
    /// noise (it only ever adds time) cannot fake.
    pub best_ms: f64,
}

impl Reference {
    /// A reference.
    pub fn new(digest: u64, median_ms: f64, best_ms: f64) -> Reference {
        Reference {
            digest,
            median_ms,
            best_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(digest: u64, items: u64) -> Outcome {
        Outcome {
            digest,
            items,
            ..Outcome::default()
        }
    }

    fn timed(name: &str, wall_ms: &[f64]) -> VariantReport {
        let mut vr = VariantReport::new(name, 4);
        vr.wall_ms = wall_ms.to_vec();
        vr.passes = (10..10 + wall_ms.len() as u32).collect();
        vr
    }

    #[test]
    fn sequential_is_its_own_reference() {
        let mut vr = timed("sequential", &[30.0, 10.0, 20.0]);
        let outs = [outcome(5, 1), outcome(5, 2), outcome(5, 3)];
        vr.summarize(&VariantInfo::SEQUENTIAL, &outs, None);
        let wall = WallStats {
            median: 20.0,
            min: 10.0,
            max: 30.0,
        };
        assert_eq!(vr.wall, wall);
        assert_eq!(vr.median_pass, Some(12));
        assert_eq!(vr.items, 3, "the median pass's picture");
        assert_eq!(vr.correctness, Correctness::Correct);
        assert_eq!(vr.speedup, Some(1.0));
        assert_eq!(vr.speedup_range, Some((20.0 / 30.0, 2.0)));
        assert_eq!(vr.efficiency, Some(1.0));
    }

    #[test]
    fn a_parallel_variant_is_measured_against_the_reference() {
        let v = VariantInfo::parallel("rayon", "");
        let mut vr = timed("rayon", &[10.0, 5.0]);
        vr.summarize(
            &v,
            &[outcome(5, 1), outcome(6, 1)],
            Some(Reference::new(5, 30.0, 30.0)),
        );
        assert_eq!(
            vr.correctness,
            Correctness::Incorrect {
                expected: 5,
                got: 6
            }
        );
        assert_eq!(vr.speedup, Some(4.0));
        assert_eq!(vr.speedup_range, Some((3.0, 6.0)));
        assert_eq!(vr.efficiency, Some(1.0));
        assert!(!vr.measurement_problem);

        let racy = VariantInfo {
            expect: Expect::MayDiffer,
            ..v.clone()
        };
        let mut vr = timed("racy", &[10.0]);
        vr.summarize(&racy, &[outcome(6, 1)], Some(Reference::new(5, 30.0, 30.0)));
        assert_eq!(vr.correctness, Correctness::DiffersAsExpected);

        let mut vr = timed("rayon", &[10.0]);
        vr.summarize(&v, &[outcome(6, 1)], None);
        assert_eq!(vr.correctness, Correctness::Unchecked);
        assert_eq!(vr.speedup, None);
    }

    #[test]
    fn a_one_worker_variant_is_flagged_only_when_best_and_median_agree() {
        let v = VariantInfo::parallel("pool", "");
        let flagged = |seq: Reference, walls: &[f64]| {
            let mut vr = timed("pool", walls);
            vr.workers = 1;
            vr.summarize(&v, &vec![outcome(5, 1); walls.len()], Some(seq));
            vr.measurement_problem
        };
        // Medians 1.5x apart, best passes too: a real problem.
        assert!(flagged(Reference::new(5, 30.0, 29.0), &[20.0, 20.0, 21.0]));
        // A noisy sequential median, but its best pass was as fast: noise, not flagged.
        assert!(!flagged(Reference::new(5, 33.0, 29.5), &[29.0, 29.0, 30.0]));
    }
}
