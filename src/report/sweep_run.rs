//! Running a sweep over worker counts and turning its reports into speedup series: the one
//! home shared by `parlab sweep` and the TUI's Sweep view.

use crate::engine::{Correctness, RunReport, RunRequest, Runner};
use crate::report::Mark;
use crate::report::sweep::{SweepPoint, SweepSeries, karp_flatt};

/// The worker counts the TUI sweeps on a machine with `cores` cores: the powers of two up to
/// twice the cores, the cores themselves and twice them, never above `max`.
pub fn default_counts(cores: usize, max: usize) -> Vec<usize> {
    let top = (2 * cores.max(1)).min(max.max(1));
    let mut out: Vec<usize> = std::iter::successors(Some(1usize), |p| p.checked_mul(2))
        .take_while(|p| *p <= top)
        .chain([cores.max(1), top])
        .filter(|w| *w <= top)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Runs `base` at each worker count in turn. The first correct sequential answer becomes the
/// reference of the later runs (so they need not recompute it); the sweep stops early when a
/// run is cancelled or no reference could be had.
pub fn run_counts(runner: &mut Runner, base: &RunRequest, counts: &[usize]) -> Vec<RunReport> {
    let mut reports = Vec::new();
    let mut reference = None;
    for &w in counts {
        let rep = runner.run(&RunRequest {
            workers: w,
            reference,
            ..base.clone()
        });
        if reference.is_none()
            && let Some(seq) = rep.variant("sequential")
            && seq.correctness == Correctness::Correct
        {
            reference = rep.variant("sequential").and_then(|_| runner.reference());
        }
        let stop = rep.cancelled;
        reports.push(rep);
        if stop || reference.is_none() {
            break;
        }
    }
    reports
}

/// One series per parallel variant, in the order first seen, with a point per worker count
/// that completed a pass, each series fitted to Amdahl's law. A point is `correct` only when
/// its answer matched (the tick of [`Mark`]): a differing answer is never ticked.
pub fn series(reports: &[RunReport]) -> Vec<SweepSeries> {
    let mut series: Vec<SweepSeries> = Vec::new();
    for rep in reports {
        for v in rep
            .variants
            .iter()
            .filter(|v| v.name != "sequential" && !v.wall_ms.is_empty())
        {
            let mark = Mark::of(&v.correctness, v.error.is_some(), v.measurement_problem);
            let point = SweepPoint {
                workers: v.workers,
                median_ms: v.wall.median,
                speedup: v.speedup.unwrap_or(0.0),
                efficiency: v.efficiency.unwrap_or(0.0),
                karp_flatt: v.speedup.and_then(|s| karp_flatt(s, v.workers)),
                amdahl: None,
                correct: mark.is_tick() || mark == Mark::MeasurementProblem,
                measurement_problem: v.measurement_problem,
            };
            match series.iter_mut().find(|s| s.variant == v.name) {
                Some(s) => s.points.push(point),
                None => series.push(SweepSeries {
                    variant: v.name.clone(),
                    points: vec![point],
                    serial_fraction: None,
                    metrics: v.metrics.clone(),
                }),
            }
        }
    }
    for s in &mut series {
        s.fit();
    }
    series
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_powers_of_two_and_the_cores_up_to_twice_the_cores() {
        assert_eq!(default_counts(2, 1024), vec![1, 2, 4]);
        assert_eq!(default_counts(6, 1024), vec![1, 2, 4, 6, 8, 12]);
        assert_eq!(default_counts(8, 1024), vec![1, 2, 4, 8, 16]);
        assert_eq!(default_counts(8, 5), vec![1, 2, 4, 5]);
        assert_eq!(default_counts(1, 1024), vec![1, 2]);
    }
}
