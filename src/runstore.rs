//! Runs that last: every finished TUI run is kept in the user's data directory (its trace,
//! in the format `parlab replay` reads, plus one line in a small index), so a run made
//! yesterday can be opened and compared with today's.
//!
//! Bounded by [`MAX_KEPT`] runs and [`MAX_BYTES`] of traces (the oldest go first), written
//! atomically through [`crate::datadir`]. The files are untrusted input when read back: the
//! index is size-capped and checked entry by entry, traces go through the limits of
//! [`crate::report::chrome`]; an unreadable file is set aside with one warning, never fatal.

pub mod compare;
mod index;
pub mod when;

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::recording::Recording;

pub use index::{StoredRun, StoredVariant};

/// Most runs kept: beyond this the oldest is dropped.
pub const MAX_KEPT: usize = 100;
/// Most bytes of traces kept: beyond this the oldest runs are dropped.
pub const MAX_BYTES: u64 = 256 << 20;
/// Largest index file read; a bigger one is not parlab's and is set aside.
pub const MAX_INDEX_BYTES: u64 = 16 << 20;
/// The index's file name inside [`dir`].
pub const INDEX: &str = "index.json";

/// Where runs are kept: `runs/` in the data directory (`None` without a home directory).
pub fn dir() -> Option<PathBuf> {
    crate::datadir::data_file("runs")
}

/// The runs kept in `dir`, oldest first, and a warning when the index was unreadable (it is
/// then set aside and the list starts empty).
pub fn load(dir: &Path) -> (Vec<StoredRun>, Option<String>) {
    let path = dir.join(INDEX);
    match index::read(&path) {
        Ok(runs) => (runs, None),
        Err(why) => {
            let aside = crate::datadir::set_aside(&path);
            let whereto =
                aside.map_or(String::new(), |p| format!(", set aside as {}", p.display()));
            (Vec::new(), Some(format!("kept runs: {why}{whereto}")))
        }
    }
}

/// Keeps `run` (its meta-data; `id`, `bytes` and `trace` are filled here) with the trace of
/// `rec`, then drops the oldest runs beyond the bounds. Returns the entry as kept.
pub fn save(dir: &Path, mut run: StoredRun, rec: &Recording) -> anyhow::Result<StoredRun> {
    let (mut runs, _) = load(dir);
    run.id = unique_id(&runs, &run);
    let bytes = serde_json::to_vec(&crate::report::chrome::to_json(rec))
        .context("cannot encode the run's trace")?;
    run.bytes = bytes.len() as u64;
    crate::datadir::write_atomic(&dir.join(run.trace_file()), &bytes)?;
    runs.push(run.clone());
    for gone in prune(&mut runs) {
        let _ = std::fs::remove_file(dir.join(gone.trace_file()));
    }
    let text = serde_json::to_vec_pretty(&index::IndexFile::new(runs))?;
    crate::datadir::write_atomic(&dir.join(INDEX), &text)?;
    Ok(run)
}

/// Reads the trace of `run` back; an unreadable one is set aside and the error says so.
pub fn open(dir: &Path, run: &StoredRun) -> Result<Recording, String> {
    let path = dir.join(run.trace_file());
    crate::report::chrome::read(&path).map_err(|e| {
        let aside = path
            .exists()
            .then(|| crate::datadir::set_aside(&path))
            .flatten();
        match aside {
            Some(p) => format!("{e} (set aside as {})", p.display()),
            None => e.to_string(),
        }
    })
}

/// Drops the oldest runs until at most [`MAX_KEPT`] remain and their traces fit
/// [`MAX_BYTES`] (the newest is always kept); returns the dropped ones.
fn prune(runs: &mut Vec<StoredRun>) -> Vec<StoredRun> {
    let mut gone = Vec::new();
    while runs.len() > 1
        && (runs.len() > MAX_KEPT || runs.iter().map(|r| r.bytes).sum::<u64>() > MAX_BYTES)
    {
        gone.push(runs.remove(0));
    }
    gone
}

/// A file-name-safe id, unique among `runs`: time, then demo, then a counter if needed.
fn unique_id(runs: &[StoredRun], run: &StoredRun) -> String {
    let base = format!("{}-{}", when::compact(run.time_unix), run.demo);
    let base: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut id = base.clone();
    let mut n = 1;
    while runs.iter().any(|r| r.id == id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn entry(lesson: &str, t: u64) -> StoredRun {
        StoredRun {
            lesson: lesson.into(),
            title: lesson.into(),
            demo: "squaring".into(),
            time_unix: t,
            ..StoredRun::default()
        }
    }

    #[test]
    fn keeps_runs_across_loads_and_drops_the_oldest() {
        let d = tempfile::tempdir().unwrap();
        let rec = Recording::default();
        let a = save(d.path(), entry("a", 100), &rec).unwrap();
        let b = save(d.path(), entry("a", 100), &rec).unwrap();
        assert_ne!(a.id, b.id, "same second, still two runs");
        assert!(d.path().join(a.trace_file()).exists());
        let (runs, warn) = load(d.path());
        assert_eq!((runs.len(), warn), (2, None));
        assert!(open(d.path(), &runs[0]).is_ok());

        let mut many: Vec<StoredRun> = (0..MAX_KEPT as u64 + 3).map(|t| entry("a", t)).collect();
        let gone = prune(&mut many);
        assert_eq!((many.len(), gone.len()), (MAX_KEPT, 3));
        assert_eq!(gone[0].time_unix, 0, "oldest first");
        let mut big = vec![entry("a", 1), entry("a", 2)];
        big[0].bytes = MAX_BYTES;
        big[1].bytes = 10;
        prune(&mut big);
        assert_eq!(big.len(), 1);
        assert_eq!(big[0].time_unix, 2);
    }

    #[test]
    fn corrupt_files_are_set_aside_with_one_warning() {
        let d = tempfile::tempdir().unwrap();
        let rec = Recording::default();
        let a = save(d.path(), entry("a", 5), &rec).unwrap();
        std::fs::write(d.path().join(a.trace_file()), b"{ not json").unwrap();
        let err = open(d.path(), &a).unwrap_err();
        assert!(err.contains("set aside"), "{err}");
        std::fs::write(d.path().join(INDEX), b"[[[").unwrap();
        let (runs, warn) = load(d.path());
        assert!(runs.is_empty());
        assert!(warn.unwrap().contains("set aside"));
        assert!(d.path().join("index.json.corrupt").exists());
        // And the next save starts a fresh index.
        save(d.path(), entry("b", 6), &rec).unwrap();
        assert_eq!(load(d.path()).0.len(), 1);
    }
}
