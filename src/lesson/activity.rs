//! What a lesson asks of the student and promises about a run, typed from the front matter:
//! claims (the "What to notice" list, each checked on every run), predictions asked before the
//! first run, challenges with a live goal, and quizzes after the lesson. Reading them
//! (`read`) checks every expression, variant and parameter value against the lesson's demo,
//! with the file line of the offending key, so a lesson that loads can always be evaluated.

pub(super) mod read;

pub(super) use read::{Reader, Tables, expr_problem};

use super::expr::Expr;

/// Parameter values a claim or prediction needs the run to have (`when = { work = "heavy" }`),
/// as text, in file order.
pub type When = Vec<(String, String)>;

/// One "What to notice" point: a sentence and the check that makes it true or not on a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// Unique within the lesson (progress and `check-lessons --run` name it).
    pub id: String,
    /// The sentence, with `{{ expr }}` placeholders.
    pub text: String,
    /// Parameter values the run must have for the check to apply.
    pub when: When,
    /// True when the claim holds.
    pub check: Expr,
    /// Needs at least this many cores, else "needs N cores" instead of failing.
    pub cores: Option<usize>,
    /// Needs an otherwise idle machine (said on screen).
    pub quiet: bool,
    /// File line of its `id`.
    pub line: usize,
}

/// How a prediction is answered and graded.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Pick one; each choice is right when its expression is true on the run.
    Choices(Vec<(String, Expr)>),
    /// Type a number; right within `tolerance` (relative) of `expr` on the run.
    Number {
        /// The measured value to guess.
        expr: Expr,
        /// Relative tolerance, e.g. 0.25.
        tolerance: f64,
    },
}

/// A question asked before the lesson's first run, graded by what the run measures.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// Unique within the lesson.
    pub id: String,
    /// The question.
    pub question: String,
    /// Parameter values the grading run must have.
    pub when: When,
    /// Choices or a number.
    pub answer: Answer,
    /// Why, shown after grading.
    pub explain: String,
    /// File line of its `id`.
    pub line: usize,
}

/// A goal on the knobs, with live progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    /// Unique within the lesson.
    pub id: String,
    /// The goal in words.
    pub goal: String,
    /// Parameters the student may change (`variant` and `workers` allowed too).
    pub knobs: Vec<String>,
    /// True when the goal is reached.
    pub check: Expr,
    /// 0..1 toward the goal, for the gauge.
    pub progress: Option<Expr>,
    /// File line of its `id`.
    pub line: usize,
}

/// A multiple-choice question after the lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Quiz {
    /// The question.
    pub question: String,
    /// The choices.
    pub choices: Vec<String>,
    /// Index of the right choice.
    pub answer: usize,
    /// Why each choice is right or wrong, one per choice.
    pub explain: Vec<String>,
    /// File line of its `question`.
    pub line: usize,
}

/// Everything a lesson's front matter says about runs and the student.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exercises {
    /// "What to notice", checked on every run.
    pub claims: Vec<Claim>,
    /// Asked before the first run.
    pub predictions: Vec<Prediction>,
    /// Goals with live progress.
    pub challenges: Vec<Challenge>,
    /// After the lesson.
    pub quizzes: Vec<Quiz>,
}
