//! Analyzing a directory: list its `.log` files and count each one's levels (see [`count`]),
//! one task per file on W threads.
//!
//! Memory stays flat whatever the file sizes: each worker reuses one block buffer, so a worker
//! holds one block (128 KiB) at a time, however long a file or a line is. A file that cannot be
//! opened, read, or is not valid UTF-8 becomes a report carrying the error text; the run goes
//! on.
//!
//! [`count`]: super::count

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::count::{BLOCK, CountError, Counts, count_levels, locate};
use crate::engine::{CancelToken, DemoError, Progress};
use crate::trace::{Phase, Tracer, now_ns, thread_cpu_ns};

/// A `.log` file found directly in the analyzed directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogFile {
    /// File name (lossy UTF-8), as it appears in the CSV.
    pub name: String,
    /// Full path.
    pub path: PathBuf,
    /// Size in bytes when listed (0 if it could not be read), for largest-first scheduling.
    pub size: u64,
}

/// Lists the `.log` files directly in `dir` (not in subdirectories), sorted by name.
///
/// A symbolic link counts if it leads to a regular file; one that leads nowhere is listed
/// (its row will say why it cannot be read). Directories, FIFOs and other kinds are skipped.
pub fn list_logs(dir: &Path) -> io::Result<Vec<LogFile>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "log") {
            continue;
        }
        let size = match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => m.len(),
            Ok(_) => continue,
            Err(_) => 0,
        };
        out.push(LogFile {
            name: entry.file_name().to_string_lossy().into_owned(),
            path,
            size,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The result for one file: counts, or the reason there are none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    /// File name, as in the CSV.
    pub name: String,
    /// Bytes read (up to the failure, for a failed file).
    pub bytes: u64,
    /// Counts, or the error text (starting `Error: `, as the tutorial writes it) that takes
    /// their place in the CSV.
    pub outcome: Result<Counts, String>,
}

/// Analyzes one file with the worker's reused block buffer, telling `read` the bytes of each
/// block. `Err` only when cancelled.
pub fn analyze_file(
    file: &LogFile,
    buf: &mut Vec<u8>,
    cancel: &CancelToken,
    read: &dyn Fn(u64),
) -> Result<FileReport, DemoError> {
    let report = |bytes, outcome| FileReport {
        name: file.name.clone(),
        bytes,
        outcome,
    };
    let f = match File::open(&file.path) {
        Ok(f) => f,
        Err(e) => return Ok(report(0, Err(format!("Error: cannot open: {e}")))),
    };
    let (result, bytes) = count_levels(f, buf, BLOCK, cancel, read);
    let outcome = match result {
        Ok(c) => Ok(c),
        Err(CountError::Cancelled) => return Err(DemoError::Cancelled),
        Err(CountError::Io(e)) => Err(format!("Error: cannot read: {e}")),
        Err(CountError::Utf8 { offset }) => Err(utf8_error(&file.path, offset, buf)),
    };
    Ok(report(bytes, outcome))
}

/// The error text for a file that is not valid UTF-8 from byte `offset` on: its line and the
/// byte in that line, found by reading the file again up to there (rare, so not tracked while
/// counting), or the offset alone if that read fails.
fn utf8_error(path: &Path, offset: u64, buf: &mut Vec<u8>) -> String {
    match File::open(path).and_then(|f| locate(f, offset, buf)) {
        Ok((line, byte)) => format!("Error: not valid UTF-8 at line {line}, byte {byte}"),
        Err(_) => format!("Error: not valid UTF-8 at byte {} of the file", offset + 1),
    }
}

/// How the files are shared out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// One thread, files in name order.
    Sequential,
    /// W threads taking the next file from a shared counter, largest files first.
    Pool,
    /// A rayon parallel iterator on W threads (work stealing), largest files first.
    Rayon,
}

/// What the analyzer reports to while it runs: cancel token, spans, progress.
///
/// No per-file log lines: sending an event per file wakes the consumer thread each time, and
/// on a busy machine the waker is often preempted, which showed as gaps between file spans
/// (36 ms of 70 ms on one worker); spans are batched and cost nothing like that.
#[derive(Clone)]
pub struct Hooks {
    /// Checked every few thousand lines.
    pub cancel: CancelToken,
    /// One `Compute` span per file (items = non-empty lines, bytes = bytes read).
    pub trace: Tracer,
    /// Files done, if someone watches.
    pub progress: Option<Progress>,
    /// Bytes read, if someone watches (the CLI's progress bar); its total is set to the sum
    /// of the listed sizes.
    pub bytes: Option<Progress>,
}

impl Hooks {
    /// Hooks that only listen to `cancel` (the CLI).
    pub fn quiet(cancel: &CancelToken) -> Hooks {
        Hooks {
            cancel: cancel.clone(),
            trace: Tracer::disabled(),
            progress: None,
            bytes: None,
        }
    }

    /// Analyzes `file` as worker `w`, with one span around it.
    fn one(&self, w: u32, file: &LogFile, buf: &mut Vec<u8>) -> Result<FileReport, DemoError> {
        let s = self.trace.start();
        let read = |n| {
            if let Some(b) = &self.bytes {
                b.add(n);
            }
        };
        let r = analyze_file(file, buf, &self.cancel, &read)?;
        let lines = r.outcome.as_ref().map_or(0, |c| c.lines);
        self.trace.end(w, s, Phase::Compute, lines, r.bytes);
        if let Some(p) = &self.progress {
            p.add(1);
        }
        Ok(r)
    }
}

/// The order the pool takes files in: largest first (ties by name), so the long tasks start
/// early and the short ones fill the gaps at the end.
pub fn largest_first(files: &[LogFile]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by(|&a, &b| files[b].size.cmp(&files[a].size).then(a.cmp(&b)));
    order
}

/// Analyzes every file with `strategy` on `workers` threads; reports come back in the order
/// of `files` (name order, from [`list_logs`]). `Err` only when cancelled or a thread could
/// not start.
pub fn analyze_files(
    files: &[LogFile],
    strategy: Strategy,
    workers: usize,
    hooks: &Hooks,
) -> Result<Vec<FileReport>, DemoError> {
    if let Some(p) = &hooks.progress {
        p.set_total(files.len() as u64);
    }
    if let Some(b) = &hooks.bytes {
        b.set_total(files.iter().map(|f| f.size).sum());
    }
    match strategy {
        Strategy::Sequential => {
            let cpu0 = thread_cpu_ns();
            let mut buf = Vec::new();
            let out = files
                .iter()
                .map(|f| hooks.one(0, f, &mut buf))
                .collect::<Result<Vec<_>, _>>();
            hooks.trace.add_cpu(0, thread_cpu_ns() - cpu0);
            out
        }
        Strategy::Pool => pool(files, workers, hooks),
        Strategy::Rayon => rayon_pool(files, workers, hooks),
    }
}

/// Puts `(index, report)` pairs back into input order.
fn in_order(n: usize, parts: Vec<(usize, FileReport)>) -> Result<Vec<FileReport>, DemoError> {
    let mut slots: Vec<Option<FileReport>> = vec![None; n];
    for (i, r) in parts {
        slots[i] = Some(r);
    }
    slots
        .into_iter()
        .map(|r| r.ok_or_else(|| DemoError::Failed(anyhow::anyhow!("a file was not analyzed"))))
        .collect()
}

type WorkerResult = Result<Vec<(usize, FileReport)>, DemoError>;

/// W named threads; each takes the next file (largest first) from a shared counter.
fn pool(files: &[LogFile], workers: usize, hooks: &Hooks) -> Result<Vec<FileReport>, DemoError> {
    let order = largest_first(files);
    let next = AtomicUsize::new(0);
    let results: Vec<WorkerResult> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers.max(1))
            .map(|w| {
                let (order, next) = (&order, &next);
                let spawned_at = now_ns();
                std::thread::Builder::new()
                    .name(format!("parlab-logs-{w}"))
                    .spawn_scoped(s, move || -> WorkerResult {
                        let w = w as u32;
                        let cpu0 = thread_cpu_ns();
                        let begun = hooks.trace.start();
                        hooks.trace.record(
                            w,
                            begun.core,
                            Phase::Startup,
                            spawned_at,
                            begun.t,
                            0,
                            0,
                        );
                        let mut buf = Vec::new();
                        let mut mine = Vec::new();
                        let out = loop {
                            let k = next.fetch_add(1, Ordering::Relaxed);
                            let Some(&i) = order.get(k) else {
                                break Ok(mine);
                            };
                            match hooks.one(w, &files[i], &mut buf) {
                                Ok(r) => mine.push((i, r)),
                                Err(e) => break Err(e),
                            }
                        };
                        hooks.trace.add_cpu(w, thread_cpu_ns() - cpu0);
                        out
                    })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h.join().unwrap_or_else(|_| {
                    Err(DemoError::Failed(anyhow::anyhow!("a log worker panicked")))
                }),
                Err(e) => Err(DemoError::Failed(anyhow::anyhow!(
                    "cannot start a log worker: {e}"
                ))),
            })
            .collect()
    });
    let mut parts = Vec::with_capacity(files.len());
    for r in results {
        parts.extend(r?);
    }
    in_order(files.len(), parts)
}

/// A rayon pool of exactly W threads; one rayon job per file, largest first.
fn rayon_pool(
    files: &[LogFile],
    workers: usize,
    hooks: &Hooks,
) -> Result<Vec<FileReport>, DemoError> {
    let order = largest_first(files);
    let worker = || rayon::current_thread_index().unwrap_or(0) as u32;
    let parts = crate::workers::in_rayon_pool(workers, &hooks.trace, || {
        order
            .par_iter()
            .with_max_len(1)
            .map_init(Vec::new, |buf, &i| {
                hooks.one(worker(), &files[i], buf).map(|r| (i, r))
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    in_order(files.len(), parts?)
}

/// Totals over a run's reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    /// Files analyzed (including failed ones).
    pub files: usize,
    /// Files whose row carries an error.
    pub failed: usize,
    /// Bytes read, all files.
    pub bytes: u64,
    /// Counts summed over the files that succeeded.
    pub counts: Counts,
}

impl Analysis {
    /// Sums `reports`.
    pub fn of(reports: &[FileReport]) -> Analysis {
        let mut a = Analysis {
            files: reports.len(),
            ..Analysis::default()
        };
        for r in reports {
            a.bytes += r.bytes;
            match &r.outcome {
                Ok(c) => a.counts.add(c),
                Err(_) => a.failed += 1,
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_first_breaks_ties_by_name_order() {
        let f = |size| LogFile {
            name: String::new(),
            path: PathBuf::new(),
            size,
        };
        assert_eq!(largest_first(&[f(1), f(5), f(1), f(9)]), vec![3, 1, 0, 2]);
    }
}
