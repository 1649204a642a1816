//! A lecture ready to present: each step with where it starts in the file, what is wrong
//! with it (one `file:line: step N: ...` line, so a broken step shows that line and the rest
//! of the lecture still works), and what it needs loaded beforehand (a replay's trace, a
//! sweep's worker counts). Loading does the I/O; the TUI's state then holds plain data.

use std::path::Path;

use super::check::step_problems;
use super::{Kind, Step, line_of, parse};
use crate::lesson::LessonSet;
use crate::recording::Recording;

/// One step of a deck.
#[derive(Clone, Debug)]
pub struct DeckStep {
    /// The step as written.
    pub step: Step,
    /// `file:line` where it starts (what a broken step's line names).
    pub place: String,
    /// What is wrong with it: one line naming its file and line; `None` when it works.
    pub problem: Option<String>,
    /// A replay step's recording, read at load time.
    pub replay: Option<Box<Recording>>,
    /// A sweep step's worker counts (`None`: the TUI's default counts).
    pub counts: Option<Vec<usize>>,
}

/// A lecture, loaded.
#[derive(Clone, Debug)]
pub struct Deck {
    /// Its title.
    pub title: String,
    /// Planned minutes.
    pub minutes: Option<f64>,
    /// The steps, in order (never empty).
    pub steps: Vec<DeckStep>,
}

/// Loads the lecture in `text` (read from `path`). Only a file that is not a lecture at all
/// (bad TOML, no steps) is an error, as `file:line: message`; a step that cannot work is
/// kept with its problem.
pub fn load(path: &Path, text: &str, lessons: &LessonSet) -> Result<Deck, String> {
    let file = path.display();
    let lecture = parse(text).map_err(|(line, msg)| format!("{file}:{line}: {}", msg.trim()))?;
    if lecture.steps.is_empty() {
        return Err(format!("{file}:1: a lecture needs at least one [[steps]]"));
    }
    let base = path.parent().unwrap_or(Path::new("."));
    let steps = lecture
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let line = line_of(text, s.span().start);
            let place = format!("{file}:{line}");
            let mut step = load_step(s.get_ref(), base, lessons);
            step.problem = step
                .problem
                .map(|p| format!("{place}: step {}: {p}", i + 1));
            step.place = place;
            step
        })
        .collect();
    Ok(Deck {
        title: lecture.title,
        minutes: lecture.minutes,
        steps,
    })
}

/// One step with its first problem (unnumbered) and what it needs loaded.
fn load_step(s: &Step, base: &Path, lessons: &LessonSet) -> DeckStep {
    // Notes do not matter on the projector: a step without them still presents.
    // One line on a projector: the list of known lessons is for `--check`.
    let mut problem = step_problems(s, base, lessons)
        .into_iter()
        .find(|p| !p.starts_with("`notes`"))
        .map(|p| p.split(" (known: ").next().unwrap_or_default().to_string());
    let mut replay = None;
    if problem.is_none()
        && s.kind == Kind::Replay
        && let Some(t) = &s.trace
    {
        match crate::report::chrome::read(&base.join(t)) {
            Ok(rec) => replay = Some(Box::new(rec)),
            Err(e) => problem = Some(e.to_string()),
        }
    }
    let mut counts = None;
    if let (Kind::Sweep, Some(w)) = (s.kind, &s.workers) {
        let text = match w {
            toml::Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        match crate::cli::sweep::parse_workers(&text) {
            Ok(c) => counts = Some(c),
            Err(e) => problem = problem.or(Some(format!("`workers`: {e}"))),
        }
    }
    DeckStep {
        step: s.clone(),
        place: String::new(),
        problem,
        replay,
        counts,
    }
}

impl Deck {
    /// The titles and notes of every step, for the notes screen (which needs nothing else).
    pub fn outline(&self) -> Vec<(String, String)> {
        self.steps
            .iter()
            .map(|s| (s.step.title.clone(), s.step.notes.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
title = "t"

[[steps]]
kind = "note"
title = "why"
text = "cores"
notes = "say hello"

[[steps]]
kind = "run"
title = "broken"
lesson = "nope"
notes = "n"

[[steps]]
kind = "replay"
title = "big machine"
trace = "missing.json"
notes = "n"
"#;

    #[test]
    fn broken_steps_keep_one_line_naming_file_and_line() {
        let d = load(Path::new("l.toml"), TEXT, &crate::lesson::embedded()).unwrap();
        assert_eq!(d.steps.len(), 3);
        assert!(d.steps[0].problem.is_none());
        let p = d.steps[1].problem.as_deref().unwrap();
        assert!(
            p.starts_with("l.toml:10: step 2: unknown lesson `nope`"),
            "{p}"
        );
        let p = d.steps[2].problem.as_deref().unwrap();
        assert!(p.starts_with("l.toml:16: step 3: trace file"), "{p}");
    }

    #[test]
    fn a_file_that_is_no_lecture_is_an_error() {
        let e = load(
            Path::new("l.toml"),
            "title = \"t\"\nsteps = []\n",
            &crate::lesson::embedded(),
        );
        assert_eq!(
            e.unwrap_err(),
            "l.toml:1: a lecture needs at least one [[steps]]"
        );
    }
}
