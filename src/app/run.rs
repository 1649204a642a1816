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

use super::replay::Player;
use super::rows::RowIndex;
use super::timeline::TimelineView;

mod figures;
mod follow;

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
    /// Computing ns (part of busy).
    pub compute_ns: u64,
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
    /// Lesson id (empty for a replay of a trace file): runs compare only within a lesson.
    pub lesson: String,
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
    /// The finished run's figures, as lesson claims and placeholders read them.
    pub measured: Option<crate::lesson::measured::Measured>,
}

impl RunView {
    /// A watched program (`parlab watch`, the reader's `w`) rather than a demo: no
    /// parameters to change, and `r` watches it again.
    pub fn watched(&self) -> bool {
        self.demo == super::watch::WATCH_DEMO
    }

    /// An empty live run.
    pub fn new(title: &str, demo: &str, params: Params, workers: usize, machine: Machine) -> Self {
        RunView {
            title: title.to_string(),
            demo: demo.to_string(),
            lesson: String::new(),
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
            measured: None,
        }
    }

    /// True while passes are running.
    pub fn running(&self) -> bool {
        self.state == RunState::Running
    }

    /// Takes in one engine event.
    pub fn apply(&mut self, ev: Event) {
        self.follow(&ev);
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
            self.sync_index(&touched);
        }
        if let Some(r) = finished {
            self.measured = Some(crate::lesson::measured::Measured::from_recording(
                &self.rec, &r,
            ));
            self.summary = Some(summarize_run(&self.rec, &r));
        }
    }

    /// Brings the row index of the `touched` workers (all, after a merge) up to date.
    fn sync_index(&mut self, touched: &[usize]) {
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
}
