//! Lesson 18 (the capstone): count log levels in a directory of generated `.log` files, one
//! file per task, with the same analyzer `parlab logs analyze` runs.
//!
//! The files are generated once per parameter set into a directory under the system's temp
//! dir, reused by every pass (so passes after the first read from the page cache, as a warm
//! run of the CLI does), and removed when other parameters replace them. A directory left by
//! a parlab that has exited (its lock is free) is removed the next time a dataset is made.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::engine::{
    CancelToken, Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, Params,
    VariantInfo,
};
use crate::logs::analyze::{self, Strategy};
use crate::logs::generate::{self, AVG_LINE_BYTES, GenOptions};
use crate::logs::{Analysis, Hooks, LogFile, csv_out};
use crate::trace::now_ns;

/// Largest dataset the demo writes to the temp dir; bigger ones are for `parlab logs generate`.
const MAX_DATASET_BYTES: u64 = 4 << 30;
/// Prefix of the dataset directories in the temp dir.
const DIR_PREFIX: &str = "parlab-logs-";

/// The log-analyzer demo.
pub struct LogsDemo {
    info: DemoInfo,
}

impl LogsDemo {
    /// The demo with its declared parameters and variants.
    pub fn new() -> LogsDemo {
        LogsDemo {
            info: DemoInfo {
                id: "logs",
                title: "Capstone: a log analyzer",
                summary: "count ERROR/WARNING/INFO in many .log files, one file per task, streamed",
                params: vec![
                    ParamSpec::int("files", 64, 0, 10_000, "how many .log files to analyze"),
                    ParamSpec::int(
                        "lines",
                        20_000,
                        0,
                        1_000_000,
                        "lines per file (about 88 bytes each)",
                    ),
                    ParamSpec::int("seed", 1, 0, u64::MAX, "seed of the generated files"),
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "pool",
                        "W threads take the next file from a shared counter, largest first",
                    ),
                    VariantInfo::parallel(
                        "rayon",
                        "rayon parallel iterator, one job per file (work stealing)",
                    ),
                ],
            },
        }
    }
}

impl Default for LogsDemo {
    fn default() -> Self {
        LogsDemo::new()
    }
}

impl Demo for LogsDemo {
    fn finish_run(&self) {
        // The generated files are only for this run: remove them instead of leaving ~100 MB
        // in the temp directory until the next run.
        CACHE.lock().unwrap_or_else(PoisonError::into_inner).take();
    }

    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn memory_estimate(&self, _params: &Params, workers: usize) -> u64 {
        // One read buffer and one line buffer per worker; the files stay on disk.
        workers as u64 * (256 << 10)
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let strategy = match variant {
            "sequential" => Strategy::Sequential,
            "pool" => Strategy::Pool,
            "rayon" => Strategy::Rayon,
            other => {
                return Err(DemoError::Failed(anyhow::anyhow!(
                    "logs has no variant {other}"
                )));
            }
        };
        let opts = GenOptions {
            files: usize::try_from(ctx.params.int("files"))
                .map_err(|_| anyhow::anyhow!("too many files"))?,
            lines: ctx.params.int("lines"),
            seed: ctx.params.int("seed"),
        };
        let data = dataset(&opts, ctx.cancel)?;
        let hooks = Hooks {
            cancel: ctx.cancel.clone(),
            trace: ctx.trace.clone(),
            progress: Some(ctx.progress.clone()),
        };
        let t0 = now_ns();
        let files = analyze::list_logs(&data.dir)
            .map_err(|e| anyhow::anyhow!("cannot list {}: {e}", data.dir.display()))?;
        let reports = analyze::analyze_files(&files, strategy, ctx.workers, &hooks)?;
        let t1 = now_ns();
        let csv = csv_out::to_bytes(&reports)?;
        let mut d = Digest::new();
        d.push_bytes(&csv);
        let a = Analysis::of(&reports);
        let secs = (t1 - t0).max(1) as f64 / 1e9;
        Ok(Outcome {
            workers: None,
            digest: d.value(),
            items: a.files as u64,
            metrics: vec![
                Metric::new("throughput", a.bytes as f64 / 1e6 / secs, "MB/s"),
                Metric::new("files per second", a.files as f64 / secs, "files/s"),
                Metric::new("bytes read", a.bytes as f64 / 1e6, "MB"),
                Metric::new("files that failed", a.failed as f64, ""),
            ],
            note: Some(format!(
                "{} files, {:.1} MB: ERROR {}, WARNING {}, INFO {} (of {} non-empty lines)",
                a.files,
                a.bytes as f64 / 1e6,
                a.counts.error,
                a.counts.warning,
                a.counts.info,
                a.counts.lines
            )),
            timed: Some((t0, t1)),
        })
    }
}

/// A generated directory of `.log` files, removed when the last user lets go of it.
///
/// It holds an exclusive `flock` on `.lock` inside the directory for as long as it lives, so
/// any parlab can tell a directory in use (lock held) from one left by a process that exited
/// (lock free), across PID namespaces too.
struct Dataset {
    opts: GenOptions,
    dir: PathBuf,
    _lock: std::fs::File,
}

impl Drop for Dataset {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Name of the lock file in a dataset directory (not `.log`, so the analyzer skips it).
const LOCK_FILE: &str = ".lock";

/// Takes the lock of `dir` without waiting: `Ok(Some(file))` when we hold it.
fn try_lock(dir: &Path) -> std::io::Result<Option<std::fs::File>> {
    crate::platform::try_lock_file(&dir.join(LOCK_FILE))
}

/// The dataset every pass of a run reads; dropped (and its directory removed) when the run ends.
static CACHE: Mutex<Option<Arc<Dataset>>> = Mutex::new(None);

/// The dataset for `opts`: the cached one, or a freshly generated one replacing it.
fn dataset(opts: &GenOptions, cancel: &CancelToken) -> Result<Arc<Dataset>, DemoError> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let need = (opts.files as u64)
        .saturating_mul(opts.lines)
        .saturating_mul(AVG_LINE_BYTES);
    if need > MAX_DATASET_BYTES {
        return Err(DemoError::Failed(anyhow::anyhow!(
            "{} files x {} lines is about {} MB on disk, over the demo's {} MB; \
             use `parlab logs generate` and `parlab logs analyze` for bigger sets",
            opts.files,
            opts.lines,
            need / 1_000_000,
            MAX_DATASET_BYTES / 1_000_000
        )));
    }
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(d) = cache.as_ref()
        && d.opts == *opts
        && d.dir.is_dir()
    {
        return Ok(Arc::clone(d));
    }
    // Drop our reference to the old set first: its directory goes once no pass uses it.
    *cache = None;
    let tmp = std::env::temp_dir();
    remove_stale(&tmp);
    let dir = tmp.join(format!(
        "{DIR_PREFIX}{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let lock = try_lock(&dir)
        .ok()
        .flatten()
        .ok_or_else(|| anyhow::anyhow!("cannot lock {}", dir.display()))?;
    let data = Arc::new(Dataset {
        opts: *opts,
        dir,
        _lock: lock,
    });
    generate::generate(&data.dir, opts, crate::cores(), cancel)?;
    *cache = Some(Arc::clone(&data));
    Ok(data)
}

/// Removes dataset directories in `tmp` whose lock nobody holds (their parlab has exited).
fn remove_stale(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let ours = e
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(DIR_PREFIX));
        if !ours || !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        // A directory without a lock file is being created right now, or is not ours.
        if let Ok(Some(_held)) = try_lock_existing(&e.path()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Like [`try_lock`], but only if the lock file already exists.
fn try_lock_existing(dir: &Path) -> std::io::Result<Option<std::fs::File>> {
    if dir.join(LOCK_FILE).is_file() {
        try_lock(dir)
    } else {
        Ok(None)
    }
}

/// The files of a dataset, listed (for tests and benchmarks that reuse the demo's data).
pub fn dataset_files(opts: &GenOptions) -> Result<Vec<LogFile>, DemoError> {
    let d = dataset(opts, &CancelToken::new())?;
    analyze::list_logs(&d.dir).map_err(|e| DemoError::Failed(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Live, Progress};
    use crate::trace::Tracer;

    fn run(variant: &str, files: u64, lines: u64, workers: usize) -> Outcome {
        let demo = LogsDemo::new();
        let mut params = Params::defaults(&demo.info().params);
        params
            .set(&demo.info().params, "files", &files.to_string())
            .unwrap();
        params
            .set(&demo.info().params, "lines", &lines.to_string())
            .unwrap();
        let ctx = Ctx {
            params: &params,
            workers,
            cancel: &CancelToken::new(),
            trace: &Tracer::disabled(),
            progress: &Progress::default(),
            live: &Live::new(0, None),
        };
        demo.run(variant, &ctx).unwrap()
    }

    #[test]
    fn every_variant_matches_sequential() {
        for (files, lines) in [(0, 10), (1, 10), (7, 13), (1, 0), (3, 500)] {
            let seq = run("sequential", files, lines, 1);
            assert_eq!(seq.items, files);
            for v in ["pool", "rayon"] {
                for w in [1, 2, 5] {
                    assert_eq!(
                        run(v, files, lines, w).digest,
                        seq.digest,
                        "{v} {files} {w}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_unlocked_dataset_dirs_are_swept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = |n: &str| tmp.path().join(format!("{DIR_PREFIX}{n}"));
        for n in ["dead", "alive", "creating"] {
            std::fs::create_dir(dir(n)).unwrap();
        }
        drop(try_lock(&dir("dead")).unwrap().unwrap());
        let held = try_lock(&dir("alive")).unwrap().unwrap();
        std::fs::create_dir(tmp.path().join("other")).unwrap();
        remove_stale(tmp.path());
        assert!(!dir("dead").exists());
        assert!(dir("alive").exists() && dir("creating").exists());
        assert!(tmp.path().join("other").exists());
        drop(held);
    }

    #[test]
    fn huge_datasets_are_refused() {
        let opts = GenOptions {
            files: 10_000,
            lines: 1_000_000,
            seed: 1,
        };
        assert!(dataset(&opts, &CancelToken::new()).is_err());
    }
}
