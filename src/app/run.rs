//! One run as the dashboard sees it: the recording being filled by engine events (live) or by
//! a replay, its progress, its results once finished, and its timeline view.
//!
//! Pure state: events go in through [`RunView::apply`] and [`RunView::push_sample`], the
//! clock through [`RunView::set_now`]. Nothing here reads a clock or a channel, so a test can
//! build any moment of a run from a recorded trace.

use std::collections::BTreeMap;

use crate::engine::Params;
use crate::event::{Event, PassInfo};
use crate::machine::Machine;
use crate::recording::Recording;
use crate::report::{RunSummary, summarize_run};
use crate::sampler::Sample;
use crate::trace::{Phase, WorkerStats};

use super::replay::Player;
use super::timeline::TimelineView;
use crate::ui::timeline::RowIndex;

/// Where a run is.
#[derive(Clone, Debug, PartialEq)]
pub enum RunState {
    /// Passes are still running.
    Running,
    /// Every variant completed.
    Done,
    /// Esc (or a signal) stopped it; what completed is kept.
    Cancelled,
    /// The runner failed or panicked.
    Failed(String),
}

/// Per-worker totals of one pass, added up from span batches as they arrive (so the live
/// breakdown costs nothing per frame, whatever the span count).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WorkerAcc {
    /// Busy ns.
    pub busy_ns: u64,
    /// Waiting ns.
    pub waiting_ns: u64,
    /// Compute spans (tasks).
    pub tasks: u64,
    /// Items computed.
    pub items: u64,
}

/// One run on the dashboard.
#[derive(Clone, Debug)]
pub struct RunView {
    /// Lesson title (or the trace's demo, for a replay).
    pub title: String,
    /// Demo id.
    pub demo: String,
    /// Parameter values.
    pub params: Params,
    /// Workers for parallel variants.
    pub workers: usize,
    /// Variants in run order (from the engine's `RunStarted`).
    pub variants: Vec<String>,
    /// Everything recorded so far.
    pub rec: Recording,
    /// Where it is.
    pub state: RunState,
    /// Whether a cancel was asked for and the runner has not stopped yet.
    pub cancelling: bool,
    /// The pass running now.
    pub current: Option<PassInfo>,
    /// Items done and total of the current pass.
    pub progress: (u64, u64),
    /// When the current pass's progress started counting (ns), for the ETA.
    pub pass_started_ns: u64,
    /// First pass start, ns.
    pub start_ns: Option<u64>,
    /// The latest time known: the clock while running, the last pass end when done.
    pub now_ns: u64,
    /// The flat results, once finished.
    pub summary: Option<RunSummary>,
    /// Zoom, scroll and cursor.
    pub timeline: TimelineView,
    /// Worker totals per pass.
    pub acc: BTreeMap<u32, Vec<WorkerAcc>>,
    /// Per-worker index of the timeline rows (kept in step with the store).
    pub index: Vec<RowIndex>,
    /// The replay driving this view, if it is one.
    pub player: Option<Player>,
    /// For a replay: the machine it was recorded on.
    pub recorded_on: Option<Machine>,
}

impl RunView {
    /// An empty live run.
    pub fn new(title: &str, demo: &str, params: Params, workers: usize, machine: Machine) -> Self {
        RunView {
            title: title.to_string(),
            demo: demo.to_string(),
            params,
            workers,
            variants: Vec::new(),
            rec: Recording::new(machine),
            state: RunState::Running,
            cancelling: false,
            current: None,
            progress: (0, 0),
            pass_started_ns: 0,
            start_ns: None,
            now_ns: 0,
            summary: None,
            timeline: TimelineView::default(),
            acc: BTreeMap::new(),
            index: Vec::new(),
            player: None,
            recorded_on: None,
        }
    }

    /// True while passes are running.
    pub fn running(&self) -> bool {
        self.state == RunState::Running
    }

    /// Takes in one engine event.
    pub fn apply(&mut self, ev: Event) {
        match &ev {
            Event::RunStarted {
                demo,
                params,
                workers,
                variants,
            } => {
                self.demo.clone_from(demo);
                self.params = params.clone();
                self.workers = *workers;
                self.variants.clone_from(variants);
            }
            Event::PassStarted(p) => {
                self.start_ns.get_or_insert(p.t_ns);
                self.current = Some(p.clone());
                self.progress = (0, 0);
                self.pass_started_ns = p.t_ns;
                self.now_ns = self.now_ns.max(p.t_ns);
            }
            Event::Spans(batch) => {
                for s in batch {
                    let row = self.acc.entry(s.pass).or_default();
                    let w = s.worker as usize;
                    if row.len() <= w {
                        row.resize(w + 1, WorkerAcc::default());
                    }
                    let a = &mut row[w];
                    if s.phase.is_busy() {
                        a.busy_ns += s.dur_ns();
                    } else if s.phase.is_waiting() {
                        a.waiting_ns += s.dur_ns();
                    }
                    if s.phase == Phase::Compute {
                        a.tasks += u64::from(s.merged);
                        a.items += s.items;
                    }
                    self.now_ns = self.now_ns.max(s.end_ns);
                }
            }
            Event::Progress { done, total, .. } => self.progress = (*done, *total),
            Event::PassFinished { t_ns, .. } => {
                self.now_ns = self.now_ns.max(*t_ns);
            }
            Event::Finished(report) => {
                self.state = if report.cancelled {
                    RunState::Cancelled
                } else {
                    RunState::Done
                };
                self.cancelling = false;
                self.current = None;
                self.now_ns = self.end_of_passes().max(self.start_ns.unwrap_or(0));
            }
            _ => {}
        }
        let finished = if let Event::Finished(r) = &ev {
            Some(r.as_ref().clone())
        } else {
            None
        };
        let touched: Vec<usize> = match &ev {
            Event::Spans(b) => {
                let mut w: Vec<usize> = b.iter().map(|s| s.worker as usize).collect();
                w.sort_unstable();
                w.dedup();
                w
            }
            _ => Vec::new(),
        };
        self.rec.apply(ev);
        if !touched.is_empty() {
            let n = self.rec.store.worker_count();
            if self.index.len() < n {
                self.index.resize_with(n, RowIndex::default);
            }
            // A merge (memory budget) rewrites every row: resync them all.
            let all = self.rec.store.merged() > 0;
            for w in 0..n {
                if all || touched.binary_search(&w).is_ok() {
                    self.index[w].sync(self.rec.store.worker(w));
                }
            }
        }
        if let Some(r) = finished {
            self.summary = Some(summarize_run(&self.rec, &r));
        }
    }

    /// Takes in one CPU sample.
    pub fn push_sample(&mut self, s: Sample) {
        self.rec.push_sample(s);
    }

    /// Advances the clock while running (live: the shared monotonic clock; replay: the
    /// playback position).
    pub fn set_now(&mut self, t: u64) {
        if self.running() {
            self.now_ns = self.now_ns.max(t);
        }
    }

    /// Marks the run failed (the runner thread died without a report).
    pub fn fail(&mut self, why: String) {
        if self.running() {
            self.state = RunState::Failed(why);
            self.current = None;
            self.cancelling = false;
        }
    }

    fn end_of_passes(&self) -> u64 {
        self.rec
            .store
            .passes()
            .iter()
            .filter_map(|p| p.end_ns)
            .max()
            .unwrap_or(self.now_ns)
    }

    /// The run's extent on the shared clock, `[start, end]`.
    pub fn extent(&self) -> (u64, u64) {
        let start = self.start_ns.unwrap_or(self.now_ns);
        let end = if self.running() {
            self.now_ns
        } else {
            self.end_of_passes()
        };
        (start, end.max(start))
    }

    /// Elapsed run time, ns.
    pub fn elapsed_ns(&self) -> u64 {
        let (s, e) = self.extent();
        e - s
    }

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
