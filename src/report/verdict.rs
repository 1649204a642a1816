//! The plain-words verdict of one variant: how it compares with sequential and whether its
//! answer is right, in one line a learner reads first.

use crate::engine::{Correctness, VariantReport, baseline};
use crate::units::fmt_ms;

/// The plain-words verdict of one variant, e.g.
/// "rayon: 1.93x faster than sequential (2 workers, 96% efficiency), correct".
pub fn verdict(v: &VariantReport) -> String {
    let check = match &v.correctness {
        Correctness::Correct => "correct".to_string(),
        Correctness::Incorrect { .. } => {
            "INCORRECT: its answer differs from sequential".to_string()
        }
        Correctness::DiffersAsExpected => {
            "differs from sequential, as this lesson expects".to_string()
        }
        Correctness::Unchecked => "not checked (no sequential answer to compare with)".to_string(),
    };
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
    if v.name == "sequential" {
        return format!(
            "sequential: {} per pass, the reference, {check}{cancelled}",
            fmt_ms(v.wall.median)
        );
    }
    let workers = format!(
        "{} worker{}",
        v.workers,
        if v.workers == 1 { "" } else { "s" }
    );
    match (v.speedup, v.efficiency) {
        (Some(s), Some(_)) if v.measurement_problem => {
            format!("{}, {check}{cancelled}", baseline::problem_text(&v.name, s))
        }
        (Some(s), Some(e)) => {
            let how = if (0.95..=1.05).contains(&s) {
                "about as fast as sequential".to_string()
            } else if s > 1.0 {
                format!("{s:.2}x faster than sequential")
            } else {
                format!("{:.2}x slower than sequential", 1.0 / s.max(1e-9))
            };
            format!(
                "{}: {how} ({workers}, {:.0}% efficiency), {check}{cancelled}",
                v.name,
                e * 100.0
            )
        }
        _ => format!(
            "{}: {} per pass ({workers}), {check}{cancelled}",
            v.name,
            fmt_ms(v.wall.median)
        ),
    }
}
