//! Lecture scripts: a TOML file in which an instructor lists the steps of a class (a note, a
//! lesson's run with its parameters, a sweep, a replay of a recorded trace), each with its
//! speaker notes. `parlab present --check LECTURE.toml` validates one the way
//! `check-lessons` validates lessons: every problem as `file:line: message`.

mod check;
mod deck;
pub mod link;
pub mod notes;

use serde::Deserialize;
use toml::Spanned;

pub use check::check;
pub use deck::{Deck, DeckStep, load};

/// What a step does on the projected screen.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Only a heading and a line of text: a point to make.
    Note,
    /// Open a lesson in the reader.
    Lesson,
    /// Run a lesson's demo with the step's parameters.
    Run,
    /// Sweep a lesson's demo over worker counts.
    Sweep,
    /// Replay a trace file (recorded on a bigger machine).
    Replay,
}

/// One step, as written.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What it does.
    pub kind: Kind,
    /// Heading shown while the step is on screen.
    pub title: String,
    /// Text shown on the projected screen (a note step's body).
    #[serde(default)]
    pub text: String,
    /// Lesson id (lesson, run and sweep steps).
    pub lesson: Option<String>,
    /// Demo parameters over the lesson's own (run and sweep steps).
    #[serde(default)]
    pub params: toml::Table,
    /// Workers: a count for a run, a list or range (`1,2,4`, `1..8`) for a sweep.
    pub workers: Option<toml::Value>,
    /// Trace file for a replay step, relative to the lecture file.
    pub trace: Option<String>,
    /// Speaker notes: shown only by `parlab present --notes`, never on the projected screen.
    pub notes: String,
    /// Planned minutes for this step (the notes screen's clock compares against it).
    pub minutes: Option<f64>,
}

/// A lecture, as written.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lecture {
    /// Title.
    pub title: String,
    /// Planned length, minutes.
    pub minutes: Option<f64>,
    /// The steps in order, each with where it starts in the file.
    pub steps: Vec<Spanned<Step>>,
}

/// 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parses a lecture; a syntax or shape error becomes `(line, message)`.
pub fn parse(text: &str) -> Result<Lecture, (usize, String)> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        (line, e.message().to_string())
    })
}
