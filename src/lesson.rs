//! Lessons: Markdown files with a TOML front matter, parsed into a model before anything
//! draws them.
//!
//! # The format
//!
//! One file per lesson, named `NN-slug.md`; lessons are listed in the order of the `NN`
//! prefix (files without one come last, by name). A file starts with a TOML front matter
//! between two `+++` lines, followed by the Markdown body:
//!
//! ````text
//! +++
//! id = "pool"                        # required, unique slug: lowercase letters, digits, -
//! title = "Pool: a fixed team of workers"   # required
//! summary = "one line for the list"  # optional
//! demo = "pool"                      # required, a demo id from `parlab list`
//! instructor_notes = "..."           # optional
//!
//! [params]                           # optional: the demo's starting parameters,
//! size = 200000                      # each checked against the demo's range
//! work = "heavy"
//!
//! [[claims]]                         # optional arrays of tables, typed and checked against
//! # ...                              # the demo (see `activity`): claims, predictions,
//!                                    # challenges, quizzes
//! +++
//! # Pool: a fixed team of workers
//!
//! Prose in Markdown ...
//!
//! ```python
//! # a Python sketch
//! ```
//!
//! ```rust
//! // the Rust parlab runs
//! ```
//! ````
//!
//! Any other front-matter key is an error. In the body, a fenced `python` block followed
//! directly (only blank lines between) by a fenced `rust` block becomes one [`CodePair`]
//! shown side by side; a lone `python` or `rust` block is a pair with one side. Other fenced
//! blocks stay in the surrounding [`Block::Text`].
//!
//! # Errors
//!
//! Every problem is reported as `file:line: message`, with the line of the offending
//! front-matter key or body line: a missing or unterminated front matter, TOML syntax errors,
//! unknown fields, a missing `id`/`title`/`demo`, an unknown demo, a parameter the demo does
//! not have or a value outside its range, an id used by two files, an unclosed code fence.
//! One bad lesson never hides the good ones: it goes to [`LessonSet::broken`] and the rest
//! load. `parlab check-lessons [DIR]` prints every problem and exits 1 if there is any.
//!
//! # Where lessons come from
//!
//! [`embedded`] returns the files of the repository's `lessons/` directory, compiled into the
//! binary by `build.rs`; a registered demo that no lesson file covers yet gets a built-in
//! lesson made from its own description ([`Lesson::is_builtin`]), so every demo is listed.
//! [`load_dir`] reads an instructor's own directory (`parlab --lessons DIR`), as is.

pub mod activity;
mod body;
pub mod expr;
mod fields;
mod front;
pub mod grade;
mod load;
pub mod measured;
pub mod outcome;
pub mod placeholder;
mod raw;

use std::fmt;
use std::path::Path;

pub use activity::{Answer, Challenge, Claim, Prediction, Quiz};
pub use load::{BUILTIN_PREFIX, EMBEDDED_PREFIX};

/// One piece of a lesson body, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// Markdown prose (headings, emphasis, lists, paragraphs), to be rendered.
    Text(String),
    /// A Python sketch and the Rust parlab runs, shown side by side (or as tabs when narrow).
    Code(CodePair),
}

/// A fenced `python` block and the `rust` block paired with it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodePair {
    /// The Python sketch.
    pub python: Option<String>,
    /// The Rust that runs.
    pub rust: Option<String>,
}

/// A parsed lesson.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lesson {
    /// 1-based position in the lesson list.
    pub number: usize,
    /// Unique slug: `why-parallel`.
    pub id: String,
    /// Title.
    pub title: String,
    /// One-line summary for the browser.
    pub summary: String,
    /// Demo id the lesson runs.
    pub demo: String,
    /// Default parameter values for the demo, as written (validated against the demo).
    pub params: Vec<(String, String)>,
    /// The body, in order.
    pub blocks: Vec<Block>,
    /// Where it came from: a file path, `embedded:lessons/NAME` for a shipped file, or
    /// `built-in:DEMO` for a lesson made from a demo's description.
    pub source: String,
    /// "What to notice": claims checked on every run.
    pub claims: Vec<Claim>,
    /// Predictions asked before the first run.
    pub predictions: Vec<Prediction>,
    /// Challenges with a live goal.
    pub challenges: Vec<Challenge>,
    /// Multiple-choice questions after the lesson.
    pub quizzes: Vec<Quiz>,
    /// Notes for instructors (kept for the classroom issue).
    pub instructor_notes: Option<String>,
}

impl Lesson {
    /// Whether this lesson was made from a demo's own description because no lesson file
    /// covers the demo yet (only in the [`embedded`] set).
    pub fn is_builtin(&self) -> bool {
        self.source.starts_with(BUILTIN_PREFIX)
    }

    /// The first code pair of the body, if any (the lesson's Python sketch and its Rust).
    pub fn code(&self) -> Option<&CodePair> {
        self.blocks.iter().find_map(|b| match b {
            Block::Code(c) => Some(c),
            Block::Text(_) => None,
        })
    }
}

/// A lesson file that failed to parse: listed greyed, with its error. Also the shape of one
/// problem reported by [`check_dir`] and [`check_embedded`].
#[derive(Clone, Debug, PartialEq)]
pub struct BrokenLesson {
    /// File it came from.
    pub source: String,
    /// 1-based line of the problem.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for BrokenLesson {
    /// `file:line: message`, the form editors and `check-lessons` use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.source, self.line, self.message)
    }
}

/// The lessons found, good and broken.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonSet {
    /// Lessons that parsed, in order.
    pub lessons: Vec<Lesson>,
    /// Files that did not.
    pub broken: Vec<BrokenLesson>,
}

impl LessonSet {
    /// The lesson with id `id`.
    pub fn get(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }
}

/// What checking a set of lesson files found: every problem, not only the first per file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Check {
    /// Lesson files that passed.
    pub ok: usize,
    /// Every problem, as `file:line: message`, in file order.
    pub problems: Vec<BrokenLesson>,
    /// Demos without a lesson file (only reported for the embedded set, where a built-in
    /// lesson stands in for each).
    pub uncovered_demos: Vec<String>,
}

/// The lessons built into the binary, plus a built-in lesson for every registered demo that
/// no lesson file covers.
pub fn embedded() -> LessonSet {
    load::embedded().set
}

/// The lessons in `dir` (an instructor's own set): every `*.md` file in it. Fails only when
/// the directory cannot be read; a bad file goes to [`LessonSet::broken`].
pub fn load_dir(dir: &Path) -> anyhow::Result<LessonSet> {
    Ok(load::dir(dir)?.set)
}

/// Checks the embedded lessons: every problem in every file.
pub fn check_embedded() -> Check {
    load::embedded().check
}

/// Checks the lesson files in `dir`: every problem in every file.
pub fn check_dir(dir: &Path) -> anyhow::Result<Check> {
    Ok(load::dir(dir)?.check)
}

/// Parses one lesson file's text on its own (no duplicate-id check), reporting its problems.
/// `source` names the file in messages; the lesson's number is 1.
pub fn parse(source: &str, text: &str) -> Result<Lesson, Vec<BrokenLesson>> {
    load::parse_one(source, text)
}
