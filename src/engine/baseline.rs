//! The fair-baseline rule: a parallel variant on one worker does the sequential work plus
//! the parallel machinery, so it can be slower than `sequential` but never clearly faster.
//!
//! Why: when it is faster, the two did not do the same work the same way (an allocator in a
//! different state, fresh memory touched for the first time on one side only, a reference
//! pass that follows a cold set-up), and every speedup of that demo is inflated by the same
//! factor. The runner flags such a variant instead of reporting it as a speedup; the table,
//! the JSON, `sweep` and the TUI show the flag.

use super::{Expect, VariantInfo};

/// How much faster than `sequential` a one-worker parallel variant may run before it counts
/// as a measurement problem: 10%, above the run-to-run noise of a quiet machine, well below
/// the 1.4x–1.9x that unfair baselines produced.
pub const ONE_WORKER_TOLERANCE: f64 = 0.10;

/// True when variant `v`, which used `workers` workers and measured `speedup` over
/// `sequential`, is a measurement problem rather than a speedup. Only a parallel variant that
/// must give the sequential answer the same way is judged: one meant to differ (an
/// unsynchronized counter, a truncating bug) or declared as doing other work (streaming) may
/// well be faster.
pub fn one_worker_too_fast(v: &VariantInfo, workers: usize, speedup: Option<f64>) -> bool {
    v.parallel
        && v.expect == Expect::SameAsSequential
        && !v.other_work
        && workers == 1
        && speedup.is_some_and(|s| s > 1.0 + ONE_WORKER_TOLERANCE)
}

/// The sentence that replaces the speedup verdict of such a variant, e.g. "rayon: 1 worker
/// ran 1.38x faster than sequential: a measurement problem, not a speedup".
pub fn problem_text(name: &str, speedup: f64) -> String {
    format!(
        "{name}: 1 worker ran {speedup:.2}x faster than sequential: a measurement problem, not a speedup"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_clearly_faster_single_worker_is_flagged() {
        let rayon = VariantInfo::parallel("rayon", "");
        assert!(one_worker_too_fast(&rayon, 1, Some(1.38)));
        assert!(one_worker_too_fast(&rayon, 1, Some(1.11)));
        // Within the tolerance, or slower (overhead): a fair measurement.
        assert!(!one_worker_too_fast(&rayon, 1, Some(1.10)));
        assert!(!one_worker_too_fast(&rayon, 1, Some(1.05)));
        assert!(!one_worker_too_fast(&rayon, 1, Some(0.6)));
        // More workers may be faster; sequential itself and unmeasured variants are not judged.
        assert!(!one_worker_too_fast(&rayon, 2, Some(1.9)));
        assert!(!one_worker_too_fast(&VariantInfo::SEQUENTIAL, 1, Some(1.5)));
        assert!(!one_worker_too_fast(&rayon, 1, None));
        // Variants that differ by design are not judged either.
        let buggy = VariantInfo {
            expect: Expect::MayDiffer,
            ..rayon.clone()
        };
        assert!(!one_worker_too_fast(&buggy, 1, Some(1.7)));
        assert!(!one_worker_too_fast(
            &rayon.doing_other_work(),
            1,
            Some(3.7)
        ));
    }

    #[test]
    fn the_text_says_what_it_is() {
        assert_eq!(
            problem_text("rayon", 1.38),
            "rayon: 1 worker ran 1.38x faster than sequential: a measurement problem, not a speedup"
        );
    }

    #[test]
    fn a_flagged_variant_is_not_called_a_speedup() {
        use crate::engine::{Correctness, VariantReport, WallStats};
        let mut v = VariantReport {
            name: "rayon".into(),
            workers: 1,
            passes: vec![0],
            wall_ms: vec![10.0],
            wall: WallStats {
                median: 10.0,
                min: 10.0,
                max: 10.0,
            },
            speedup: Some(1.38),
            speedup_range: Some((1.38, 1.38)),
            efficiency: Some(1.38),
            measurement_problem: true,
            correctness: Correctness::Correct,
            mismatch: None,
            median_pass: Some(0),
            metrics: Vec::new(),
            note: None,
            items: 1,
            cancelled: false,
            error: None,
        };
        assert_eq!(
            crate::report::verdict(&v),
            "rayon: 1 worker ran 1.38x faster than sequential: a measurement problem, not a \
             speedup, correct"
        );
        v.measurement_problem = false;
        assert!(crate::report::verdict(&v).starts_with("rayon: 1.38x faster than sequential"));
    }
}
