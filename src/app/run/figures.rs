//! What the dashboard reads off a run: ETA, the pass under the cursor, per-worker figures of
//! a pass, interim medians.

use super::{RunView, WorkerAcc};
use crate::event::PassInfo;
use crate::trace::WorkerStats;

impl RunView {
    /// Estimated ns left in the current pass, from its rate so far.
    pub fn pass_eta_ns(&self) -> Option<u64> {
        let (done, total) = self.progress;
        if done == 0 || total == 0 || done >= total {
            return None;
        }
        let spent = self.now_ns.saturating_sub(self.pass_started_ns) as f64;
        Some((spent * (total - done) as f64 / done as f64) as u64)
    }

    /// Number of worker rows on the timeline.
    pub fn rows(&self) -> usize {
        self.rec.store.worker_count()
    }

    /// The pass that contains `t`, if any.
    pub fn pass_at(&self, t: u64) -> Option<&PassInfo> {
        self.rec
            .store
            .passes()
            .iter()
            .rev()
            .find(|p| p.info.t_ns <= t && p.end_ns.is_none_or(|e| t <= e))
            .map(|p| &p.info)
    }

    /// The pass the per-worker panel describes: the one under the cursor, else the running
    /// one, else the median pass of the last variant, else the last pass.
    pub fn focus_pass(&self) -> Option<u32> {
        if let Some(p) = self.timeline.cursor.and_then(|t| self.pass_at(t)) {
            return Some(p.pass);
        }
        if let Some(p) = &self.current {
            return Some(p.pass);
        }
        let rep = self.rec.reports.last();
        rep.and_then(|r| r.variants.iter().rev().find_map(|v| v.median_pass))
            .or_else(|| self.rec.store.passes().last().map(|p| p.info.pass))
    }

    /// Per-worker figures of `pass`: busy / waiting / idle, tasks, CPU and wall time. A pass
    /// still running counts its wall time up to now.
    pub fn worker_stats(&self, pass: u32) -> Vec<WorkerStats> {
        let Some(rec) = self.rec.store.pass(pass) else {
            return Vec::new();
        };
        let end = rec.end_ns.unwrap_or(self.now_ns);
        let wall = end.saturating_sub(rec.info.t_ns);
        let Some(acc) = self.acc.get(&pass) else {
            return Vec::new();
        };
        acc.iter()
            .enumerate()
            .filter(|(_, a)| **a != WorkerAcc::default())
            .map(|(w, a)| WorkerStats {
                id: w as u32,
                pid: None,
                busy_ns: a.busy_ns,
                compute_ns: a.compute_ns,
                waiting_ns: a.waiting_ns,
                idle_ns: wall.saturating_sub(a.busy_ns + a.waiting_ns),
                tasks: a.tasks,
                items: a.items,
                cpu_ns: rec.cpu_ns.get(&(w as u32)).copied(),
                wall_ns: wall,
            })
            .collect()
    }

    /// Median wall ms of the timed passes of `variant` finished so far (while running).
    pub fn interim_ms(&self, variant: &str) -> Option<(f64, usize)> {
        let mut walls: Vec<f64> = self
            .rec
            .store
            .passes()
            .iter()
            .filter(|p| p.info.variant == variant && !p.info.warmup)
            .filter_map(|p| p.end_ns.map(|e| e.saturating_sub(p.info.t_ns) as f64 / 1e6))
            .collect();
        if walls.is_empty() {
            return None;
        }
        walls.sort_by(f64::total_cmp);
        Some((walls[walls.len() / 2], walls.len()))
    }
}
