//! Lessons: Markdown files with a TOML front matter, parsed into a model before anything
//! draws them.
//!
//! STUB: this interface is what the TUI builds on; the lessons issue replaces the body of
//! `embedded()` / `load_dir()` with the real parser (front matter, `file:line` errors, the
//! embedded `lessons/` directory) without changing these types' meaning. Until then each demo
//! gets a lesson made from its own description.

use std::path::Path;

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
    /// Where it came from: a file path, or `embedded:NAME`.
    pub source: String,
    /// Predictions asked before a run (kept for the exercises issue).
    pub predictions: Vec<toml::Table>,
    /// Challenges with a live goal (kept for the exercises issue).
    pub challenges: Vec<toml::Table>,
    /// Quizzes (kept for the exercises issue).
    pub quizzes: Vec<toml::Table>,
    /// Notes for instructors (kept for the classroom issue).
    pub instructor_notes: Option<String>,
}

/// A lesson file that failed to parse: listed greyed, with its error.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokenLesson {
    /// File it came from.
    pub source: String,
    /// 1-based line of the problem.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The lessons found, good and broken.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonSet {
    /// Lessons that parsed, in order.
    pub lessons: Vec<Lesson>,
    /// Files that did not.
    pub broken: Vec<BrokenLesson>,
}

/// The lessons built into the binary.
pub fn embedded() -> LessonSet {
    let lessons = crate::demos::all()
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let info = d.info();
            Lesson {
                number: i + 1,
                id: info.id.to_string(),
                title: info.title.to_string(),
                summary: info.summary.to_string(),
                demo: info.id.to_string(),
                blocks: vec![Block::Text(format!(
                    "# {}\n\n{}\n",
                    info.title, info.summary
                ))],
                source: format!("embedded:{}", info.id),
                ..Lesson::default()
            }
        })
        .collect();
    LessonSet {
        lessons,
        broken: Vec::new(),
    }
}

/// The lessons in `dir` (an instructor's own set).
pub fn load_dir(dir: &Path) -> anyhow::Result<LessonSet> {
    anyhow::bail!(
        "loading lessons from {} is not implemented yet",
        dir.display()
    )
}
