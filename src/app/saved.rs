//! What the lesson browser remembers between sessions: the lesson last opened and each
//! lesson's status. A small JSON file in the user's data directory, written atomically.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How far a student got with a lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LessonStatus {
    /// A run was started (and maybe cancelled).
    Run,
    /// A run completed.
    Done,
}

/// The remembered state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// Id of the lesson last opened.
    pub last_opened: Option<String>,
    /// Status per lesson id (absent = not started).
    pub status: BTreeMap<String, LessonStatus>,
}

impl Saved {
    /// Where the file lives: `tui-state.json` in [`crate::datadir::data_dir`] or the platform's
    /// equivalent; `None` when there is no home directory.
    pub fn default_path() -> Option<PathBuf> {
        crate::datadir::data_file("tui-state.json")
    }

    /// Reads the file; a missing or unreadable file is a fresh start, never an error.
    pub fn load(path: &Path) -> Saved {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Writes the file atomically (temporary file, then rename).
    pub fn store(&self, path: &Path) -> anyhow::Result<()> {
        crate::datadir::write_atomic(path, &serde_json::to_vec_pretty(self)?)
    }

    /// Records a status, never downgrading done to run.
    pub fn mark(&mut self, lesson: &str, st: LessonStatus) {
        let e = self.status.entry(lesson.to_string()).or_insert(st);
        if *e != LessonStatus::Done {
            *e = st;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_never_downgrades() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/tui-state.json");
        let mut s = Saved::load(&p);
        assert_eq!(s, Saved::default());
        s.mark("a", LessonStatus::Done);
        s.mark("a", LessonStatus::Run);
        s.last_opened = Some("a".into());
        s.store(&p).unwrap();
        let back = Saved::load(&p);
        assert_eq!(back.status["a"], LessonStatus::Done);
        assert_eq!(back.last_opened.as_deref(), Some("a"));
    }
}
