//! Counting log levels: list the `.log` files of a directory, stream each one line by line,
//! and count the first word of every non-empty line; one task per file on W threads.
//!
//! Memory stays flat whatever the file sizes: each worker reuses one line buffer, so a worker
//! holds one line (plus a 128 KiB read buffer) at a time. A file that cannot be opened, read,
//! or is not valid UTF-8 becomes a report carrying the error text; the run goes on.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::engine::{CancelToken, DemoError, Progress};
use crate::trace::{Phase, Tracer, now_ns, thread_cpu_ns};

/// Lines read between two looks at the cancel token.
const CANCEL_EVERY: u64 = 4096;
/// Read buffer per open file: large enough that a syscall moves many lines.
const READ_BUF: usize = 128 << 10;
/// A line buffer grown past this by one huge line is given back after the file.
const KEEP_LINE_BUF: usize = 1 << 20;

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

/// Level counts of one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Lines whose first word is `ERROR`.
    pub error: u64,
    /// Lines whose first word is `WARNING`.
    pub warning: u64,
    /// Lines whose first word is `INFO`.
    pub info: u64,
    /// Non-empty lines (any first word, DEBUG included).
    pub lines: u64,
}

impl Counts {
    /// Adds another file's counts.
    pub fn add(&mut self, o: &Counts) {
        self.error += o.error;
        self.warning += o.warning;
        self.info += o.info;
        self.lines += o.lines;
    }
}

/// The result for one file: counts, or the reason there are none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    /// File name, as in the CSV.
    pub name: String,
    /// Bytes read (up to the failure, for a failed file).
    pub bytes: u64,
    /// Counts, or the error text that takes their place in the CSV.
    pub outcome: Result<Counts, String>,
}

/// Why [`count_levels`] stopped early.
#[derive(Debug)]
pub enum CountError {
    /// Reading failed.
    Io(io::Error),
    /// Line `line` (1-based) is not valid UTF-8 from byte `byte` of the line on.
    Utf8 {
        /// Line number, from 1.
        line: u64,
        /// Offset in the line of the first bad byte.
        byte: usize,
    },
    /// The cancel token fired.
    Cancelled,
}

/// The level of a line: its first whitespace-separated word (`None` for a blank line).
#[inline]
pub fn level_of(line: &str) -> Option<&str> {
    line.split_whitespace().next()
}

/// Streams `r` line by line into `buf` (reused, cleared per line) and counts levels.
/// Returns the counts and the bytes read; on failure, the error and the bytes read so far.
pub fn count_levels<R: BufRead>(
    mut r: R,
    buf: &mut Vec<u8>,
    cancel: &CancelToken,
) -> (Result<Counts, CountError>, u64) {
    let mut c = Counts::default();
    let mut bytes = 0u64;
    let mut line_no = 0u64;
    loop {
        if line_no % CANCEL_EVERY == 0 && cancel.is_cancelled() {
            return (Err(CountError::Cancelled), bytes);
        }
        buf.clear();
        let n = match r.read_until(b'\n', buf) {
            Ok(0) => return (Ok(c), bytes),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return (Err(CountError::Io(e)), bytes),
        };
        bytes += n as u64;
        line_no += 1;
        let line = match std::str::from_utf8(buf) {
            Ok(l) => l,
            Err(e) => {
                let byte = e.valid_up_to();
                return (
                    Err(CountError::Utf8 {
                        line: line_no,
                        byte,
                    }),
                    bytes,
                );
            }
        };
        match level_of(line) {
            None => {}
            Some(level) => {
                c.lines += 1;
                match level {
                    "ERROR" => c.error += 1,
                    "WARNING" => c.warning += 1,
                    "INFO" => c.info += 1,
                    _ => {}
                }
            }
        }
    }
}

/// Analyzes one file with the worker's reused line buffer. `Err` only when cancelled.
pub fn analyze_file(
    file: &LogFile,
    buf: &mut Vec<u8>,
    cancel: &CancelToken,
) -> Result<FileReport, DemoError> {
    let report = |bytes, outcome| FileReport {
        name: file.name.clone(),
        bytes,
        outcome,
    };
    let f = match File::open(&file.path) {
        Ok(f) => f,
        Err(e) => return Ok(report(0, Err(format!("error: cannot open: {e}")))),
    };
    let (result, bytes) = count_levels(BufReader::with_capacity(READ_BUF, f), buf, cancel);
    if buf.capacity() > KEEP_LINE_BUF {
        *buf = Vec::new();
    }
    let outcome = match result {
        Ok(c) => Ok(c),
        Err(CountError::Cancelled) => return Err(DemoError::Cancelled),
        Err(CountError::Io(e)) => Err(format!("error: cannot read: {e}")),
        Err(CountError::Utf8 { line, byte }) => Err(format!(
            "error: not valid UTF-8 at line {line}, byte {}",
            byte + 1
        )),
    };
    Ok(report(bytes, outcome))
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
}

impl Hooks {
    /// Hooks that only listen to `cancel` (the CLI).
    pub fn quiet(cancel: &CancelToken) -> Hooks {
        Hooks {
            cancel: cancel.clone(),
            trace: Tracer::disabled(),
            progress: None,
        }
    }

    /// Analyzes `file` as worker `w`, with one span around it.
    fn one(&self, w: u32, file: &LogFile, buf: &mut Vec<u8>) -> Result<FileReport, DemoError> {
        let s = self.trace.start();
        let r = analyze_file(file, buf, &self.cancel)?;
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

    fn count(text: &[u8]) -> Result<Counts, CountError> {
        count_levels(text, &mut Vec::new(), &CancelToken::new()).0
    }

    #[test]
    fn first_word_is_the_level_blank_lines_are_skipped() {
        let c = count(b"ERROR a\n\n   \n  WARNING b\nINFO\nINFO c\r\nDEBUG x\nerror lower\nINFO")
            .unwrap();
        assert_eq!(
            c,
            Counts {
                error: 1,
                warning: 1,
                info: 3,
                lines: 7
            }
        );
        assert_eq!(count(b"").unwrap(), Counts::default());
    }

    #[test]
    fn bad_utf8_names_the_line() {
        match count(b"INFO ok\nINFO \xff bad\n") {
            Err(CountError::Utf8 { line: 2, byte: 5 }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cancel_stops() {
        let c = CancelToken::new();
        c.cancel();
        assert!(matches!(
            count_levels(&b"INFO\n"[..], &mut Vec::new(), &c).0,
            Err(CountError::Cancelled)
        ));
    }

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
