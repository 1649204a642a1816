//! The student's own Python run of a lesson: when the reader's `w` runs a lesson's Python
//! program under the observer, its summary (wall time, CPU per process, about how many workers
//! were busy, the share of time spent waiting for a CPU, peak memory, exit) is kept per lesson
//! in the data directory, so the lesson text quotes the student's run (`{{ py_wall() }}`)
//! beside the figure measured on another machine, in this session and the next. The app holds
//! the runs (read once at start, each new one handed over when its watch ends); this module
//! only reads and writes the file.
//!
//! The file holds the latest run of at most [`MAX_LESSONS`] lessons; an unreadable one is set
//! aside (`NAME.corrupt`) and parlab starts afresh.

use std::path::Path;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::observe::report::WatchReport;

/// The file's name in the data directory.
pub const FILE: &str = "python-runs.json";
/// Most lessons remembered (the oldest run is dropped beyond).
pub const MAX_LESSONS: usize = 64;
/// Most processes listed in one summary (the rest are counted).
pub const MAX_PROCESSES: usize = 16;
/// Largest file read: a bigger one is not parlab's and is set aside.
pub const MAX_BYTES: u64 = 1 << 20;

/// One process of a Python run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PyProcess {
    /// `MainProcess`, `worker 1`...
    pub name: String,
    /// CPU time, ms.
    pub cpu_ms: f64,
    /// Peak resident memory, bytes.
    pub peak_rss: u64,
}

/// The summary of one Python run of a lesson.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PyRun {
    /// Lesson id.
    pub lesson: String,
    /// When it ran, seconds since 1970.
    pub at: u64,
    /// Wall time, ms.
    pub wall_ms: f64,
    /// CPU time of every process, ms.
    pub cpu_ms: f64,
    /// CPU ÷ wall: about how many workers were busy.
    pub busy_workers: f64,
    /// Share of the ready time spent waiting for a CPU; `None` where not measurable.
    pub wait_cpu_share: Option<f64>,
    /// Each process's peak resident memory added up, bytes.
    pub peak_rss: u64,
    /// Processes seen.
    pub process_count: usize,
    /// The first [`MAX_PROCESSES`] of them.
    pub processes: Vec<PyProcess>,
    /// How it ended ("exit code 0").
    pub exit: String,
    /// It exited with code 0.
    pub ok: bool,
}

impl PyRun {
    /// The summary of a watched run of `lesson`'s Python program.
    pub fn from_report(lesson: &str, r: &WatchReport) -> PyRun {
        PyRun {
            lesson: lesson.to_string(),
            at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            wall_ms: r.wall_ms,
            cpu_ms: r.cpu_ms,
            busy_workers: r.busy_workers,
            wait_cpu_share: r.wait_cpu_share,
            peak_rss: r.processes.iter().map(|p| p.peak_rss).sum(),
            process_count: r.processes.len(),
            processes: r
                .processes
                .iter()
                .take(MAX_PROCESSES)
                .map(|p| PyProcess {
                    name: p.name.clone(),
                    cpu_ms: p.cpu_ms,
                    peak_rss: p.peak_rss,
                })
                .collect(),
            exit: r.exit.describe(),
            ok: r.exit.code == Some(0) && !r.exit.cancelled,
        }
    }

    /// Whether its figures are ones a run can have (a hand-edited file may hold anything).
    fn sane(&self) -> bool {
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        ok(self.wall_ms)
            && ok(self.cpu_ms)
            && ok(self.busy_workers)
            && self.wait_cpu_share.is_none_or(|w| ok(w) && w <= 1.0)
            && self.processes.len() <= MAX_PROCESSES
            && !self.lesson.is_empty()
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct PyRunsFile {
    version: u32,
    runs: Vec<PyRun>,
}

/// The runs kept in `path`; missing: none; unreadable: why.
pub fn read(path: &Path) -> Result<Vec<PyRun>, String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    if meta.len() > MAX_BYTES {
        return Err(format!(
            "{} is {} bytes, more than a Python-runs file can be",
            path.display(),
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: PyRunsFile = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is not a Python-runs file: {e}", path.display()))?;
    let mut runs: Vec<PyRun> = file.runs.into_iter().filter(PyRun::sane).collect();
    runs.truncate(MAX_LESSONS);
    Ok(runs)
}

/// The runs kept in `path`, setting an unreadable file aside (and saying so).
pub fn load(path: &Path) -> (Vec<PyRun>, Option<String>) {
    match read(path) {
        Ok(runs) => (runs, None),
        Err(why) => {
            let aside = crate::datadir::set_aside(path)
                .map_or(String::new(), |p| format!(", set aside as {}", p.display()));
            (Vec::new(), Some(format!("Python runs: {why}{aside}")))
        }
    }
}

/// Keeps `run` as its lesson's latest in `path` (replacing the one before), dropping the
/// oldest lessons beyond [`MAX_LESSONS`]; returns what the file now holds.
pub fn record(path: &Path, run: PyRun) -> anyhow::Result<Vec<PyRun>> {
    let (mut runs, _) = load(path);
    runs.retain(|r| r.lesson != run.lesson);
    runs.push(run);
    runs.sort_by_key(|r| std::cmp::Reverse(r.at));
    runs.truncate(MAX_LESSONS);
    let file = PyRunsFile { version: 1, runs };
    let bytes = serde_json::to_vec_pretty(&file).context("cannot encode the Python runs")?;
    crate::datadir::write_atomic(path, &bytes)?;
    Ok(file.runs)
}

/// The runs kept in the data directory (none where there is no data directory), and a line
/// saying why an unreadable file was set aside.
pub fn load_kept() -> (Vec<PyRun>, Option<String>) {
    crate::datadir::data_file(FILE).map_or((Vec::new(), None), |p| load(&p))
}

/// Keeps `run` in the data directory as its lesson's latest.
pub fn remember(run: PyRun) -> anyhow::Result<()> {
    let path = crate::datadir::data_file(FILE).context("no data directory to keep runs in")?;
    record(&path, run).map(drop)
}

/// `run` in place of its lesson's run in `runs` (the list the app holds).
pub fn replace(runs: &mut Vec<PyRun>, run: PyRun) {
    runs.retain(|r| r.lesson != run.lesson);
    runs.push(run);
}

#[cfg(test)]
pub(crate) mod tests;
