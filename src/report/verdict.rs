//! The plain-words verdict of one variant: how it compares with sequential and whether its
//! answer is right, in one line a learner reads first. The one home of the headline text and
//! of the ✓ / ✗ mark, for the CLI table, the JSON and the TUI alike.
//!
//! Honesty rule: a variant whose answer differs from sequential is never headlined by its
//! speed ("faster") nor given a tick, even when the lesson means it to differ.

use crate::engine::{Correctness, VariantReport, baseline};
use crate::units::fmt_ms;

/// Why an efficiency above 100% is possible: said wherever one shows, so a student does not
/// take it for a measuring error.
pub const EFFICIENCY_OVER_100: &str = "above 100%: the work waits (sleeps, I/O) and more \
     workers than cores overlap the waiting, or each worker's share fits the caches better";

/// The mark beside a variant's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Its answer matched sequential's.
    Correct,
    /// Its answer differed and was supposed to match, or a pass failed.
    Incorrect,
    /// Its answer differed, as the lesson means it to: still not a tick.
    IncorrectAsExpected,
    /// Correct, but its speed is a measurement problem, not a speedup.
    MeasurementProblem,
    /// Not checked (no sequential answer).
    Unchecked,
}

impl Mark {
    /// The mark of a variant with this check result, error and fair-baseline flag.
    pub fn of(c: &Correctness, failed: bool, measurement_problem: bool) -> Mark {
        match c {
            _ if failed => Mark::Incorrect,
            Correctness::Incorrect { .. } => Mark::Incorrect,
            Correctness::DiffersAsExpected => Mark::IncorrectAsExpected,
            Correctness::Unchecked => Mark::Unchecked,
            Correctness::Correct if measurement_problem => Mark::MeasurementProblem,
            Correctness::Correct => Mark::Correct,
        }
    }

    /// The glyph: ✓ only for a right answer.
    pub fn glyph(self) -> &'static str {
        match self {
            Mark::Correct => "✓",
            Mark::Incorrect | Mark::IncorrectAsExpected => "✗",
            Mark::MeasurementProblem => "!",
            Mark::Unchecked => "·",
        }
    }

    /// The glyph with its qualifier, for the CLI table's `ok` column.
    pub fn label(self) -> &'static str {
        match self {
            Mark::Correct => "✓",
            Mark::Incorrect => "✗",
            Mark::IncorrectAsExpected => "✗ (as expected)",
            Mark::MeasurementProblem => "✓ (measurement problem)",
            Mark::Unchecked => "· (not checked)",
        }
    }

    /// True only for a right answer (the tick).
    pub fn is_tick(self) -> bool {
        self == Mark::Correct
    }
}

/// The efficiency as a percentage, with [`EFFICIENCY_OVER_100`] when it is above 100%.
pub fn efficiency_text(e: f64) -> String {
    if e > 1.005 {
        format!("{:.0}% efficiency, {EFFICIENCY_OVER_100}", e * 100.0)
    } else {
        format!("{:.0}% efficiency", e * 100.0)
    }
}

/// The plain-words verdict of one variant, e.g.
/// "rayon: 1.93x faster than sequential (2 workers, 96% efficiency), correct" or
/// "no-join: INCORRECT, as this lesson expects: counted 0 of 100000 items (3.50 ms per pass, 2 workers)".
pub fn verdict(v: &VariantReport) -> String {
    if let Some(e) = &v.error {
        return format!("{}: FAILED: {e}", v.name);
    }
    if v.wall_ms.is_empty() {
        return format!("{}: cancelled before a pass completed", v.name);
    }
    let cancelled = if v.cancelled {
        " (cancelled; from the passes that completed)"
    } else {
        ""
    };
    let workers = format!(
        "{} worker{}",
        v.workers,
        if v.workers == 1 { "" } else { "s" }
    );
    let per_pass = format!("{} per pass, {workers}", fmt_ms(v.wall.median));
    let how = v
        .mismatch
        .as_deref()
        .unwrap_or("its answer differs from sequential");
    let check = match &v.correctness {
        Correctness::Incorrect { .. } => {
            return format!("{}: INCORRECT: {how} ({per_pass}){cancelled}", v.name);
        }
        Correctness::DiffersAsExpected => {
            return format!(
                "{}: INCORRECT, as this lesson expects: {how} ({per_pass}){cancelled}",
                v.name
            );
        }
        Correctness::Correct => "correct",
        Correctness::Unchecked => "not checked (no sequential answer to compare with)",
    };
    if v.name == "sequential" {
        return format!(
            "sequential: {} per pass, the reference, {check}{cancelled}",
            fmt_ms(v.wall.median)
        );
    }
    match (v.speedup, v.efficiency) {
        (Some(s), Some(_)) if v.measurement_problem => {
            format!("{}, {check}{cancelled}", baseline::problem_text(&v.name, s))
        }
        (Some(s), Some(e)) => {
            let how = than_sequential(s);
            format!(
                "{}: {how} ({workers}, {}), {check}{cancelled}",
                v.name,
                efficiency_text(e)
            )
        }
        _ => format!("{}: {per_pass}, {check}{cancelled}", v.name),
    }
}

/// A speedup in words: "1.46x faster than sequential", "2.63x slower than sequential" (never
/// "0.38x faster"), "about as fast as sequential" within 5%. The one home of that phrase.
pub fn than_sequential(s: f64) -> String {
    if (0.95..=1.05).contains(&s) {
        "about as fast as sequential".to_string()
    } else if s > 1.0 {
        format!("{s:.2}x faster than sequential")
    } else {
        format!("{:.2}x slower than sequential", 1.0 / s.max(1e-9))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speedup_below_one_is_slower_never_a_fraction_faster() {
        assert_eq!(than_sequential(0.38), "2.63x slower than sequential");
        assert_eq!(than_sequential(1.46), "1.46x faster than sequential");
        assert_eq!(than_sequential(1.02), "about as fast as sequential");
    }
    use crate::engine::WallStats;

    fn report(name: &str, c: Correctness, mismatch: Option<&str>) -> VariantReport {
        VariantReport {
            name: name.into(),
            workers: 2,
            passes: vec![1],
            wall_ms: vec![3.5],
            wall: WallStats {
                median: 3.5,
                min: 3.5,
                max: 3.5,
            },
            speedup: Some(1.99),
            speedup_range: None,
            efficiency: Some(0.99),
            measurement_problem: false,
            correctness: c,
            mismatch: mismatch.map(str::to_string),
            median_pass: Some(1),
            metrics: vec![],
            note: None,
            items: 0,
            cancelled: false,
            error: None,
        }
    }

    #[test]
    fn a_differing_answer_is_never_faster_nor_ticked() {
        let c = Correctness::DiffersAsExpected;
        let v = report("no-join", c.clone(), Some("counted 0 of 100000 items"));
        let line = verdict(&v);
        assert!(
            line.starts_with(
                "no-join: INCORRECT, as this lesson expects: counted 0 of 100000 items"
            ),
            "{line}"
        );
        assert!(!line.contains("faster"), "{line}");
        assert!(!Mark::of(&c, false, false).is_tick());
        let bad = Correctness::Incorrect {
            expected: 1,
            got: 2,
        };
        let line = verdict(&report("rayon", bad.clone(), None));
        assert!(
            line.starts_with("rayon: INCORRECT: its answer differs"),
            "{line}"
        );
        assert!(!line.contains("faster"), "{line}");
        assert_eq!(Mark::of(&bad, false, false).glyph(), "✗");
        assert!(Mark::of(&Correctness::Correct, false, false).is_tick());
        assert!(!Mark::of(&Correctness::Correct, true, false).is_tick());
    }

    #[test]
    fn efficiency_over_100_is_explained() {
        let mut v = report("fetch", Correctness::Correct, None);
        v.efficiency = Some(1.3);
        let line = verdict(&v);
        assert!(
            line.contains("130% efficiency, above 100%: the work waits"),
            "{line}"
        );
        assert_eq!(efficiency_text(0.96), "96% efficiency");
    }
}
