//! What the observer saw of one run of the learner's program, in the words of the verdict:
//! "about 1.3 of 2 workers busy on average", "waiting for a CPU 35% of the time: more processes
//! than cores", "worker 1 idle for the last 40% of the time the workers computed". The figures
//! come from the observer's own report (src/observe), so `parlab watch` and the exercise
//! verdict agree.

use serde::Serialize;

use crate::observe::report::WatchReport;
use crate::trace::{Phase, Span};

use super::run::Ran;

/// A worker idle for at least this share of the workers' computing time at its end is named.
const IDLE_TAIL: f64 = 0.2;

/// Waiting for a CPU at least this share of the time is named.
const WAIT_CPU: f64 = 0.15;

/// The observer's summary of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Observed {
    /// CPU time of the whole tree ÷ wall time.
    pub busy_workers: f64,
    /// The worker count the program was offered (cores, or `PARLAB_WORKERS`).
    pub workers: usize,
    /// Processes seen.
    pub processes: usize,
    /// Share of ready time spent waiting for a CPU, where measurable.
    pub wait_cpu_share: Option<f64>,
    /// The worker idle longest at the end, and for what share of the run.
    pub idle_tail: Option<(String, f64)>,
}

impl Observed {
    /// One sentence for the verdict.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!(
            "about {:.1} of {} workers busy on average",
            self.busy_workers, self.workers
        )];
        if let Some((name, share)) = &self.idle_tail {
            parts.push(format!(
                "{name} idle for the last {:.0}% of the time the workers computed",
                share * 100.0
            ));
        }
        if let Some(w) = self.wait_cpu_share.filter(|w| *w >= WAIT_CPU) {
            parts.push(format!(
                "waiting for a CPU {:.0}% of the time: more busy processes or threads than cores",
                w * 100.0
            ));
        }
        parts.join("; ")
    }
}

/// The environment variable an exercise's programs read their worker count from.
pub const WORKERS_ENV: &str = "PARLAB_WORKERS";

/// The workers offered to the learner's program (the convention of every exercise).
pub fn offered_workers() -> usize {
    std::env::var(WORKERS_ENV)
        .ok()
        .and_then(|w| w.trim().parse().ok())
        .filter(|w| *w > 0)
        .unwrap_or_else(crate::cores)
}

/// Summarizes an observed run; `None` when the run was not observed.
pub fn summarize(ran: &Ran) -> Option<Observed> {
    let o = ran.observed.as_ref()?;
    let (w, spans) = (&o.watched, &o.spans);
    let report = WatchReport::new(w);
    let wall = ran.wall_ns.max(1) as f64;
    let busy = ran.cpu_ns.map_or(report.busy_workers, |c| {
        (c as f64 / wall).max(report.busy_workers)
    });
    Some(Observed {
        busy_workers: busy,
        workers: offered_workers(),
        processes: report.processes.len(),
        wait_cpu_share: report.wait_cpu_share,
        idle_tail: idle_tail(w, spans),
    })
}

/// A row counts as a worker when its CPU time is at least 1/REAL_WORK of the busiest row's.
const REAL_WORK: u64 = 12;

/// The worker that stopped computing earliest before the others, if that was long before:
/// its idle tail as a share of the time the workers computed (first compute of any worker to
/// the last), so interpreter start-up and the program's own ending do not count as idling.
/// Only rows that did real work count, and not the program's main thread (which starts and
/// joins the workers, so it is idle at the end by design).
fn idle_tail(w: &crate::observe::session::Watched, spans: &[Span]) -> Option<(String, f64)> {
    let tr = &w.tracker;
    let busiest = tr.threads.values().map(|r| r.cpu_ns).max().unwrap_or(0);
    // A worker with an eighth of the work (the imbalance this names) has a seventh of the
    // busiest's CPU; helper threads and start-up processes have far less.
    let workers: Vec<(&str, u64, u64)> = tr
        .threads
        .values()
        .filter(|r| {
            let root_main = r.pid == r.tid && tr.order.first() == Some(&r.pid);
            !root_main && busiest > 0 && r.cpu_ns * REAL_WORK >= busiest
        })
        .filter_map(|r| {
            let compute = spans
                .iter()
                .filter(|s| s.worker == r.id && s.phase == Phase::Compute);
            let first = compute.clone().map(|s| s.start_ns).min()?;
            let last = compute.map(|s| s.end_ns).max()?;
            Some((r.name.as_str(), first, last))
        })
        .collect();
    if workers.len() < 2 {
        return None;
    }
    let start = workers.iter().map(|w| w.1).min()?;
    let end = workers.iter().map(|w| w.2).max()?;
    let span = end.saturating_sub(start).max(1) as f64;
    workers
        .iter()
        .map(|(name, _, last)| (name.to_string(), end.saturating_sub(*last) as f64 / span))
        .filter(|(_, tail)| *tail >= IDLE_TAIL)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_what_matters() {
        let o = Observed {
            busy_workers: 1.26,
            workers: 2,
            processes: 3,
            wait_cpu_share: Some(0.35),
            idle_tail: Some(("worker 1".into(), 0.4)),
        };
        assert_eq!(
            o.describe(),
            "about 1.3 of 2 workers busy on average; worker 1 idle for the last 40% of the time \
             the workers computed; waiting for a CPU 35% of the time: more busy processes or threads than cores"
        );
        let quiet = Observed {
            wait_cpu_share: Some(0.02),
            idle_tail: None,
            ..o
        };
        assert_eq!(quiet.describe(), "about 1.3 of 2 workers busy on average");
    }
}
