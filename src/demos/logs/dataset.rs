//! The logs demo's generated dataset: a directory of `.log` files in the system's temp dir,
//! made once per parameter set and shared by every pass of a run.
//!
//! A directory left by a parlab that has exited (its lock is free) is removed the next time a
//! dataset is made.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::engine::{CancelToken, DemoError};
use crate::logs::generate::{self, AVG_LINE_BYTES, GenOptions};

/// Largest dataset the demo writes to the temp dir; bigger ones are for `parlab logs generate`.
const MAX_DATASET_BYTES: u64 = 4 << 30;
/// Prefix of the dataset directories in the temp dir.
const DIR_PREFIX: &str = "parlab-logs-";
/// Name of the lock file in a dataset directory (not `.log`, so the analyzer skips it).
const LOCK_FILE: &str = ".lock";

/// A generated directory of `.log` files, removed when the last user lets go of it.
///
/// It holds an exclusive `flock` on `.lock` inside the directory for as long as it lives, so
/// any parlab can tell a directory in use (lock held) from one left by a process that exited
/// (lock free), across PID namespaces too.
pub(super) struct Dataset {
    opts: GenOptions,
    /// Where the files are.
    pub dir: PathBuf,
    _lock: std::fs::File,
}

impl Drop for Dataset {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Takes the lock of `dir` without waiting: `Ok(Some(file))` when we hold it.
fn try_lock(dir: &Path) -> std::io::Result<Option<std::fs::File>> {
    crate::platform::try_lock_file(&dir.join(LOCK_FILE))
}

/// The dataset every pass of a run reads; dropped (and its directory removed) when the run ends.
static CACHE: Mutex<Option<Arc<Dataset>>> = Mutex::new(None);

/// Lets go of the cached dataset: its directory goes once no pass uses it.
pub(super) fn forget() {
    CACHE.lock().unwrap_or_else(PoisonError::into_inner).take();
}

/// The dataset for `opts`: the cached one, or a freshly generated one replacing it.
pub(super) fn dataset(opts: &GenOptions, cancel: &CancelToken) -> Result<Arc<Dataset>, DemoError> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
