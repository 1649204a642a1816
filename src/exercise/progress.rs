//! What the learner has done with each exercise: hints shown, checks run, passed or not. Kept
//! in `data_dir()/exercise-progress.json` through the data directory's one atomic write; a
//! corrupt file is set aside with one line and parlab starts fresh.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The progress file's name in the data directory.
pub const FILE: &str = "exercise-progress.json";

/// One exercise's progress.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Hints shown so far.
    pub hints_shown: usize,
    /// Checks run.
    pub checks: u32,
    /// Whether a check passed (ever).
    pub passed: bool,
    /// Highest speed level reached.
    pub best_level: Option<usize>,
}

/// Every exercise's progress, by id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// By exercise id.
    pub exercises: BTreeMap<String, Entry>,
}

impl Progress {
    /// The file, when there is a data directory.
    pub fn path() -> Option<PathBuf> {
        crate::datadir::data_file(FILE)
    }

    /// Loads the progress; a missing file is empty, a corrupt one is set aside (said on
    /// stderr in one line).
    pub fn load() -> Progress {
        let Some(path) = Self::path() else {
            return Progress::default();
        };
        let Ok(bytes) = std::fs::read(&path) else {
            return Progress::default();
        };
        match serde_json::from_slice(&bytes) {
            Ok(p) => p,
            Err(e) => {
                let aside = crate::datadir::set_aside(&path)
                    .map_or_else(String::new, |p| format!(", kept as {}", p.display()));
                eprintln!(
                    "parlab: {} was unreadable ({e}){aside}; starting fresh",
                    path.display()
                );
                Progress::default()
            }
        }
    }

    /// Saves the progress (no data directory: nothing is kept).
    pub fn save(&self) -> anyhow::Result<()> {
        match Self::path() {
            Some(p) => crate::datadir::write_atomic(&p, &serde_json::to_vec_pretty(self)?),
            None => Ok(()),
        }
    }

    /// The entry of `id`, created when missing.
    pub fn entry(&mut self, id: &str) -> &mut Entry {
        self.exercises.entry(id.to_string()).or_default()
    }

    /// The status word of `id` for lists: new, started, passed.
    pub fn status(&self, id: &str) -> &'static str {
        match self.exercises.get(id) {
            Some(e) if e.passed => "passed",
            Some(_) => "started",
            None => "new",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        let mut p = Progress::default();
        assert_eq!(p.status("a"), "new");
        p.entry("a").hints_shown = 1;
        assert_eq!(p.status("a"), "started");
        p.entry("a").passed = true;
        assert_eq!(p.status("a"), "passed");
        let back: Progress = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }
}
