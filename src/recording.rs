//! Everything one session produced, gathered from the engine's events and the sampler's
//! samples: what reports, trace files, replays and the dashboard all read from.

use crate::engine::RunReport;
use crate::event::Event;
use crate::machine::Machine;
use crate::sampler::{LoadSummary, Sample, summarize};
use crate::trace::{TraceStore, WorkerStats};

/// A point of a named live series.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SeriesPoint {
    /// Pass id.
    pub pass: u32,
    /// Series name.
    pub name: String,
    /// When, ns.
    pub t_ns: u64,
    /// Value.
    pub value: f64,
}

/// A log line a worker wrote.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LogLine {
    /// Pass id.
    pub pass: u32,
    /// Worker.
    pub worker: u32,
    /// When, ns.
    pub t_ns: u64,
    /// Text.
    pub text: String,
}

/// Most series points a session keeps: a queue sampled every millisecond for three minutes.
/// Later points are counted in [`Recording::dropped`], never kept, so memory and trace size
/// stay bounded however long a session runs.
pub const MAX_SERIES_POINTS: usize = 200_000;

/// Most worker log lines a session keeps (later ones are counted, not kept).
pub const MAX_LOG_LINES: usize = 50_000;

/// A session's history: spans, passes, samples, series, logs and the run reports.
#[derive(Clone, Debug, Default)]
pub struct Recording {
    /// Where it was recorded.
    pub machine: Machine,
    /// Spans and passes.
    pub store: TraceStore,
    /// CPU and memory samples.
    pub samples: Vec<Sample>,
    /// Live series points.
    pub series: Vec<SeriesPoint>,
    /// Worker log lines.
    pub logs: Vec<LogLine>,
    /// Finished runs (a sweep has several).
    pub reports: Vec<RunReport>,
    /// Series points and log lines not kept past [`MAX_SERIES_POINTS`] / [`MAX_LOG_LINES`].
    pub dropped: u64,
}

impl Recording {
    /// An empty recording of this machine.
    pub fn new(machine: Machine) -> Recording {
        Recording {
            machine,
            ..Recording::default()
        }
    }

    /// Takes in one engine event.
    pub fn apply(&mut self, ev: Event) {
        self.store.apply(&ev);
        match ev {
            Event::Series {
                pass,
                name,
                t_ns,
                value,
            } if self.series.len() < MAX_SERIES_POINTS => self.series.push(SeriesPoint {
                pass,
                name,
                t_ns,
                value,
            }),
            Event::Log {
                pass,
                worker,
                t_ns,
                text,
            } if self.logs.len() < MAX_LOG_LINES => self.logs.push(LogLine {
                pass,
                worker,
                t_ns,
                text,
            }),
            Event::Series { .. } | Event::Log { .. } => self.dropped += 1,
            Event::Finished(r) => self.reports.push(*r),
            _ => {}
        }
    }

    /// Takes in one sample.
    pub fn push_sample(&mut self, s: Sample) {
        self.samples.push(s);
    }

    /// Start and end of all timed passes of `variant` in the report `report`.
    pub fn variant_window(&self, passes: &[u32]) -> Option<(u64, u64)> {
        let recs: Vec<_> = passes.iter().filter_map(|p| self.store.pass(*p)).collect();
        let from = recs.iter().map(|r| r.info.t_ns).min()?;
        let to = recs.iter().filter_map(|r| r.end_ns).max()?;
        Some((from, to))
    }

    /// CPU load during a variant's timed passes.
    pub fn load_during(&self, passes: &[u32]) -> LoadSummary {
        match self.variant_window(passes) {
            Some((from, to)) => summarize(&self.samples, from, to),
            None => LoadSummary::default(),
        }
    }

    /// Per-worker figures of one pass.
    pub fn worker_stats(&self, pass: Option<u32>) -> Vec<WorkerStats> {
        pass.map(|p| self.store.worker_stats(p)).unwrap_or_default()
    }
}
