//! What a student did, kept between sessions in one file, `progress.json` in the data
//! directory: the lesson last opened and, per lesson, its runs, the last run's claims,
//! predictions (answer and grade), challenges met and quiz answers; per exercise, whether it
//! was started and passed, the best speed level and the hints taken. The lesson list, the
//! reader, the exercise list, `parlab exercise` and `parlab progress` all read this one file; it is written atomically, and a
//! corrupt one is set aside (never fatal) so a student never loses the program to it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file's name in the data directory.
pub const FILE: &str = "progress.json";

/// How far a student got with a lesson's runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LessonStatus {
    /// A run was started (and maybe cancelled).
    Run,
    /// A run completed.
    Done,
}

/// A prediction's answer: what the student said, and once a run decided it, the grade.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Predicted {
    /// What the student said.
    pub guess: Guess,
    /// The grade, once a run with the prediction's parameters finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
}

/// What the student answered to a prediction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Guess {
    /// The choice at this index (from 0), with its text as asked.
    Choice {
        /// Index of the choice.
        index: usize,
        /// Its text.
        text: String,
    },
    /// A number.
    Number(f64),
    /// Esc: the student chose not to guess (not asked again).
    Skipped,
}

/// A prediction graded on a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// Whether the guess matched the run.
    pub right: bool,
    /// What the run showed, in words with its numbers.
    pub measured: String,
}

/// A challenge met, with the run's figure that met it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Met {
    /// The numbers that decided the check.
    pub figure: String,
}

/// One quiz answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizAnswer {
    /// The choice (from 0).
    pub chosen: usize,
    /// Whether it was the right one.
    pub right: bool,
}

/// One lesson's progress.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonProgress {
    /// Run started or completed (absent: never run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<LessonStatus>,
    /// Runs completed.
    pub runs: u32,
    /// The last completed run's claims that were checked: id → held.
    pub claims: BTreeMap<String, bool>,
    /// Predictions answered, by id.
    pub predictions: BTreeMap<String, Predicted>,
    /// Challenges met, by id.
    pub challenges: BTreeMap<String, Met>,
    /// Quiz answers, by question index (from 0).
    pub quiz: BTreeMap<usize, QuizAnswer>,
}

impl LessonProgress {
    /// Claims held and claims checked on the last run.
    pub fn claims_held(&self) -> (usize, usize) {
        let held = self.claims.values().filter(|h| **h).count();
        (held, self.claims.len())
    }

    /// Quiz questions answered right and answered.
    pub fn quiz_score(&self) -> (usize, usize) {
        let right = self.quiz.values().filter(|a| a.right).count();
        (right, self.quiz.len())
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        *self == LessonProgress::default()
    }
}

/// One exercise's progress: an entry exists once it was started (or a hint taken).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExerciseProgress {
    /// Hints shown so far (they stay shown).
    pub hints_shown: usize,
    /// Checks run.
    pub checks: u32,
    /// Whether a check passed (ever): the reference solution is shown from then on.
    pub passed: bool,
    /// Highest speed level reached (0 to 3), once speed was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_level: Option<usize>,
}

/// Where a learner stands with an exercise, for lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExerciseStatus {
    /// Never started.
    New,
    /// Started (or a hint taken), not passed yet.
    Started,
    /// A check passed.
    Passed,
}

impl ExerciseStatus {
    /// The word lists show: new, started, passed.
    pub fn word(self) -> &'static str {
        match self {
            ExerciseStatus::New => "new",
            ExerciseStatus::Started => "started",
            ExerciseStatus::Passed => "passed",
        }
    }
}

/// Everything kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// Id of the lesson last opened.
    pub last_opened: Option<String>,
    /// Per lesson id.
    pub lessons: BTreeMap<String, LessonProgress>,
    /// Per exercise id (absent in files written before exercises: read as empty).
    pub exercises: BTreeMap<String, ExerciseProgress>,
}

impl Progress {
    /// Where the file lives; `None` without a data directory (nothing is kept then).
    pub fn default_path() -> Option<PathBuf> {
        crate::datadir::data_file(FILE)
    }

    /// Reads the file. Missing: a fresh start. Unreadable or corrupt: set aside as
    /// `progress.json.corrupt` and a fresh start, with one line saying so.
    pub fn load(path: &Path) -> (Progress, Option<String>) {
        let text = match std::fs::read(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Progress::default(), None);
            }
            Err(e) => {
                let msg = format!("cannot read {}: {e}; progress starts fresh", path.display());
                return (Progress::default(), Some(msg));
            }
        };
        match serde_json::from_slice(&text) {
            Ok(p) => (p, None),
            Err(e) => {
                let aside = crate::datadir::set_aside(path).map_or_else(
                    || "left in place".into(),
                    |d| format!("set aside as {}", d.display()),
                );
                let msg = format!(
                    "progress file {} is corrupt ({e}); {aside}; progress starts fresh",
                    path.display()
                );
                (Progress::default(), Some(msg))
            }
        }
    }

    /// Writes the file atomically.
    pub fn store(&self, path: &Path) -> anyhow::Result<()> {
        crate::datadir::write_atomic(path, &serde_json::to_vec_pretty(self)?)
    }

    /// The file in the data directory, for the headless commands: a warning (corrupt file set
    /// aside) goes to stderr in one line; no data directory is an empty progress.
    pub fn load_default() -> Progress {
        let Some(path) = Self::default_path() else {
            return Progress::default();
        };
        let (p, warning) = Self::load(&path);
        if let Some(w) = warning {
            eprintln!("parlab: {w}");
        }
        p
    }

    /// Writes the file in the data directory (none: nothing is kept).
    pub fn store_default(&self) -> anyhow::Result<()> {
        match Self::default_path() {
            Some(p) => self.store(&p),
            None => Ok(()),
        }
    }

    /// What this copy changed since `base` (the file as this copy last read or wrote it),
    /// applied on top of `disk` (the file now, maybe written meanwhile by `parlab exercise` in
    /// another terminal), so neither side's work is lost: an entry this copy did not change
    /// comes from disk; a lesson this copy changed is this copy's (only the TUI writes
    /// lessons); an exercise changed on both sides keeps the more of each (hints, a pass,
    /// the best level) and both sides' checks.
    pub fn rebase(&self, base: &Progress, mut disk: Progress) -> Progress {
        if self.last_opened != base.last_opened {
            disk.last_opened.clone_from(&self.last_opened);
        }
        for (id, l) in &self.lessons {
            if base.lessons.get(id) != Some(l) {
                disk.lessons.insert(id.clone(), l.clone());
            }
        }
        for (id, e) in &self.exercises {
            let before = base.exercises.get(id);
            if before == Some(e) {
                continue;
            }
            let d = disk.exercises.entry(id.clone()).or_default();
            let ours = e.checks - before.map_or(0, |b| b.checks.min(e.checks));
            d.checks += ours;
            d.hints_shown = d.hints_shown.max(e.hints_shown);
            d.passed |= e.passed;
            d.best_level = d.best_level.max(e.best_level);
        }
        disk
    }

    /// The exercise's progress, created empty (which marks it started).
    pub fn exercise_mut(&mut self, id: &str) -> &mut ExerciseProgress {
        self.exercises.entry(id.to_string()).or_default()
    }

    /// The exercise's progress, if any.
    pub fn exercise(&self, id: &str) -> Option<&ExerciseProgress> {
        self.exercises.get(id)
    }

    /// Where the learner stands with exercise `id`.
    pub fn exercise_status(&self, id: &str) -> ExerciseStatus {
        match self.exercises.get(id) {
            Some(e) if e.passed => ExerciseStatus::Passed,
            Some(_) => ExerciseStatus::Started,
            None => ExerciseStatus::New,
        }
    }

    /// Records a check's result: counted, a pass kept for good, the best level kept.
    pub fn record_check(&mut self, id: &str, passed: bool, level: Option<usize>) {
        let e = self.exercise_mut(id);
        e.checks += 1;
        e.passed |= passed;
        e.best_level = e.best_level.max(level);
    }

    /// The lesson's progress, created empty.
    pub fn lesson_mut(&mut self, id: &str) -> &mut LessonProgress {
        self.lessons.entry(id.to_string()).or_default()
    }

    /// The lesson's progress, if any.
    pub fn lesson(&self, id: &str) -> Option<&LessonProgress> {
        self.lessons.get(id)
    }

    /// Records a status, never downgrading done to run.
    pub fn mark(&mut self, lesson: &str, st: LessonStatus) {
        let l = self.lesson_mut(lesson);
        if l.status != Some(LessonStatus::Done) {
            l.status = Some(st);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_never_downgrades() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub").join(FILE);
        let (mut s, warn) = Progress::load(&p);
        assert_eq!((s.clone(), warn), (Progress::default(), None));
        s.mark("a", LessonStatus::Done);
        s.mark("a", LessonStatus::Run);
        s.last_opened = Some("a".into());
        let l = s.lesson_mut("a");
        l.runs = 2;
        l.claims.insert("c".into(), true);
        l.quiz.insert(
            1,
            QuizAnswer {
                chosen: 0,
                right: false,
            },
        );
        l.predictions.insert(
            "p".into(),
            Predicted {
                guess: Guess::Number(1.5),
                grade: Some(Grade {
                    right: true,
                    measured: "1.4x".into(),
                }),
            },
        );
        s.store(&p).unwrap();
        let (back, warn) = Progress::load(&p);
        assert_eq!(warn, None);
        assert_eq!(back, s);
        assert_eq!(back.lessons["a"].status, Some(LessonStatus::Done));
        assert_eq!(back.lessons["a"].quiz_score(), (0, 1));
    }

    #[test]
    fn exercises_live_in_the_same_file_and_old_files_read() {
        let old: Progress = serde_json::from_str(r#"{"last_opened":"a","lessons":{}}"#).unwrap();
        assert!(old.exercises.is_empty());
        let mut p = old;
        assert_eq!(p.exercise_status("x"), ExerciseStatus::New);
        p.exercise_mut("x").hints_shown = 1;
        assert_eq!(p.exercise_status("x"), ExerciseStatus::Started);
        p.record_check("x", true, Some(2));
        p.record_check("x", false, Some(1));
        assert_eq!(p.exercise_status("x"), ExerciseStatus::Passed);
        assert_eq!(p.exercise("x").unwrap().best_level, Some(2));
        assert_eq!(p.exercise("x").unwrap().checks, 2);
        let back: Progress = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn a_save_keeps_what_another_parlab_wrote_meanwhile() {
        let mut base = Progress::default();
        base.mark("a", LessonStatus::Run);
        base.exercise_mut("x").hints_shown = 1;
        // This copy (the TUI): lesson a done, a check of x, a hint of y.
        let mut ours = base.clone();
        ours.mark("a", LessonStatus::Done);
        ours.last_opened = Some("a".into());
        ours.record_check("x", false, Some(0));
        ours.exercise_mut("y").hints_shown = 2;
        // Meanwhile `parlab exercise check x` passed it, and z was started.
        let mut disk = base.clone();
        disk.record_check("x", true, Some(2));
        disk.exercise_mut("z");
        let m = ours.rebase(&base, disk);
        assert_eq!(m.lessons["a"].status, Some(LessonStatus::Done));
        assert_eq!(m.last_opened.as_deref(), Some("a"));
        let x = m.exercise("x").unwrap();
        assert!(x.passed && x.checks == 2 && x.best_level == Some(2) && x.hints_shown == 1);
        assert_eq!(m.exercise("y").unwrap().hints_shown, 2);
        assert_eq!(m.exercise_status("z"), ExerciseStatus::Started);
        // Nothing changed here: the file as it is.
        let disk2 = m.clone();
        assert_eq!(base.rebase(&base, disk2.clone()), disk2);
    }

    #[test]
    fn a_corrupt_file_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE);
        std::fs::write(&p, "{ not json").unwrap();
        let (s, warn) = Progress::load(&p);
        assert_eq!(s, Progress::default());
        assert!(warn.unwrap().contains("corrupt"));
        assert!(dir.path().join("progress.json.corrupt").exists());
        assert!(!p.exists());
    }
}
