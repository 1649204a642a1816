//! Code exercises: the learner writes the parallel code, parlab checks it for correctness and
//! speed and says what held it back (issue 12).
//!
//! Why a module of its own: a lesson is read and run by parlab; an exercise is a program of the
//! learner's, run as a child under limits, compared with an oracle and timed against a
//! reference. The parts: [`parse`] reads `exercise.toml` with file:line errors, [`load`] finds
//! the embedded or `--exercises DIR` set, [`build`] turns a source file into a command (Rust is
//! compiled once per content), [`run`] runs one program under limits, [`check`] grades it,
//! [`verdict`] says so, [`workspace`] is where the learner edits; what the learner did is kept
//! in the one progress file ([`crate::progress`]).

pub mod build;
pub mod check;
pub mod load;
pub mod observed;
pub mod parse;
mod procs;
pub mod run;
pub mod verdict;
pub mod workspace;

pub use crate::lesson::BrokenLesson as Problem;
pub use load::{ExerciseSet, embedded, load_dir};

/// The language an exercise's programs are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// `python3 FILE SEED SIZE DIR`, standard library only.
    Python,
    /// `rustc -O --edition 2021 FILE`, then `BIN SEED SIZE DIR`, standard library only.
    Rust,
}

impl Language {
    /// The file extension of its programs (`py`, `rs`).
    pub fn ext(self) -> &'static str {
        match self {
            Language::Python => "py",
            Language::Rust => "rs",
        }
    }

    /// The name as written in `exercise.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Rust => "rust",
        }
    }
}

/// What it takes to pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pass {
    /// A correct answer passes (races, deadlocks, protocols).
    Correct,
    /// Correct and faster than sequential.
    Faster,
    /// Correct and within 1.5x of the reference solution (the default).
    Reference,
    /// Correct and within 1.2x of the reference solution: for an exercise whose starter is
    /// already within 1.5x on few cores (load imbalance on 2 cores costs at most 1.75x).
    Close,
}

/// The `[input]` table: the arguments every program gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Input {
    /// argv[1] of every program.
    pub seed: u64,
    /// argv[2]: sized so the sequential version takes a second or two.
    pub size: u64,
    /// argv[2] for tests and `--quick`: well under half a second.
    pub test_size: u64,
}

/// The `[check]` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckSpec {
    /// What passes.
    pub pass: Pass,
    /// A run longer than this is stopped as hanging, seconds.
    pub time_limit_s: u64,
    /// Peak memory of the whole program tree above this fails, MiB.
    pub max_rss_mib: u64,
}

/// Default `time_limit_s`: generous for a program sized for a couple of seconds.
pub const DEFAULT_TIME_LIMIT_S: u64 = 20;

/// Default `max_rss_mib`: far above any exercise's need, far below a machine's.
pub const DEFAULT_MAX_RSS_MIB: u64 = 1024;

/// The program files of an exercise, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sources {
    /// What the learner edits.
    pub starter: String,
    /// The reference solution.
    pub solution: String,
    /// The oracle: its stdout is the right answer.
    pub sequential: String,
    /// Writes the input files into DIR, when the exercise has one (`input.py` or `input.rs`).
    pub input: Option<(Language, String)>,
}

/// One exercise, loaded and valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exercise {
    /// Unique kebab-case id, equal to the folder's ID.
    pub id: String,
    /// The folder's name (`NN-ID`), for ordering and messages.
    pub folder: String,
    /// The lesson it belongs to.
    pub lesson: String,
    /// One line.
    pub title: String,
    /// The language of its programs.
    pub language: Language,
    /// What to do, in a few sentences.
    pub task: String,
    /// Hints, gentlest first.
    pub hints: Vec<String>,
    /// The arguments.
    pub input: Input,
    /// How it is graded.
    pub check: CheckSpec,
    /// The programs.
    pub sources: Sources,
    /// Where `exercise.toml` came from, for messages (`embedded:exercises/...` or a path).
    pub source: String,
}

impl Exercise {
    /// The workspace file name the learner edits (`exercise.py`, `exercise.rs`).
    pub fn workspace_file(&self) -> String {
        format!("exercise.{}", self.language.ext())
    }
}
