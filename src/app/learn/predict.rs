//! Predictions: asked in a small dialog when the run key is pressed before the lesson's first
//! run (each one not yet answered whose `when` matches the settings), remembered in progress,
//! and graded by the first finished run with its parameters.

use super::super::learn_keys::PredictAction;
use super::super::{App, Effect};
use super::settings_params;
use crate::lesson::grade::{grade, when_matches};
use crate::lesson::measured::Measured;
use crate::lesson::{Answer, Lesson, Prediction};
use crate::progress::{Guess, Predicted};

/// The predictions being asked.
#[derive(Clone, Debug, PartialEq)]
pub struct Asking {
    /// The lesson (index into the lesson set).
    pub lesson: usize,
    /// Indices of its predictions to ask, in order.
    pub queue: Vec<usize>,
    /// Which of `queue` is asked now.
    pub at: usize,
    /// The choice highlighted.
    pub choice: usize,
    /// The number typed so far.
    pub typed: String,
    /// What was wrong with the last answer.
    pub error: Option<String>,
}

impl Asking {
    /// The prediction asked now.
    pub fn current<'a>(&self, l: &'a Lesson) -> Option<&'a Prediction> {
        self.queue.get(self.at).and_then(|i| l.predictions.get(*i))
    }
}

impl App {
    /// Opens the prediction dialog when the open lesson has predictions not yet answered that
    /// this run would grade; true when it did (the run starts once they are answered).
    pub(in crate::app) fn ask_predictions_first(&mut self) -> bool {
        // A lecture's runs are the instructor's: the class predicts aloud, not in a dialog.
        if self.lecture.is_some() {
            return false;
        }
        let (Some(i), Some(s)) = (self.reader.open, self.params.settings.as_ref()) else {
            return false;
        };
        let Some(l) = self.lessons.lessons.get(i) else {
            return false;
        };
        let params = settings_params(s);
        let answered = self.progress.lesson(&l.id);
        let queue: Vec<usize> = (0..l.predictions.len())
            .filter(|j| {
                let p = &l.predictions[*j];
                answered.is_none_or(|a| !a.predictions.contains_key(&p.id))
                    && when_matches(&p.when, &params)
            })
            .collect();
        if queue.is_empty() {
            return false;
        }
        self.learn.asking = Some(Asking {
            lesson: i,
            queue,
            at: 0,
            choice: 0,
            typed: String::new(),
            error: None,
        });
        true
    }

    /// A key in the prediction dialog.
    pub(in crate::app) fn predict_act(&mut self, a: PredictAction, typed: Option<char>) -> Effect {
        let Some(ask) = self.learn.asking.as_mut() else {
            return Effect::None;
        };
        let Some(lesson) = self.lessons.lessons.get(ask.lesson) else {
            self.learn.asking = None;
            return Effect::None;
        };
        let Some(p) = ask.current(lesson) else {
            self.learn.asking = None;
            return Effect::None;
        };
        ask.error = None;
        let guess = match (&p.answer, a) {
            (_, PredictAction::Skip) => Some(Guess::Skipped),
            (Answer::Choices(c), PredictAction::Move(d)) => {
                ask.choice = (ask.choice as i64 + d).clamp(0, c.len() as i64 - 1) as usize;
                None
            }
            (Answer::Choices(c), PredictAction::Type) => {
                let n = typed.and_then(|t| t.to_digit(10)).map_or(0, |d| d as usize);
                (1..=c.len()).contains(&n).then(|| {
                    ask.choice = n - 1;
                    choice(c, n - 1)
                })
            }
            (Answer::Choices(c), PredictAction::Answer) => Some(choice(c, ask.choice)),
            (Answer::Choices(_), PredictAction::Delete)
            | (Answer::Number { .. }, PredictAction::Move(_)) => None,
            (Answer::Number { .. }, PredictAction::Type) => {
                ask.typed
                    .extend(typed.filter(|c| c.is_ascii_digit() || matches!(c, '.' | '-')));
                None
            }
            (Answer::Number { .. }, PredictAction::Delete) => {
                ask.typed.pop();
                None
            }
            (Answer::Number { .. }, PredictAction::Answer) => match ask.typed.trim().parse::<f64>()
            {
                Ok(n) if n.is_finite() => Some(Guess::Number(n)),
                _ => {
                    ask.error = Some("type a number, e.g. 1.5 (Esc skips)".into());
                    None
                }
            },
        };
        let Some(guess) = guess else {
            return Effect::None;
        };
        let (id, lesson_id) = (p.id.clone(), lesson.id.clone());
        ask.at += 1;
        ask.choice = 0;
        ask.typed.clear();
        let done = ask.at >= ask.queue.len();
        self.progress
            .lesson_mut(&lesson_id)
            .predictions
            .insert(id, Predicted { guess, grade: None });
        if done {
            self.learn.asking = None;
            return self.start_run();
        }
        Effect::None
    }

    /// Grades `lesson`'s answered predictions still waiting for a run like `m`; one notice each.
    pub(super) fn grade_predictions(&mut self, lesson: &Lesson, m: &Measured) -> Vec<String> {
        let lp = self.progress.lesson_mut(&lesson.id);
        let mut notices = Vec::new();
        for p in &lesson.predictions {
            let Some(answer) = lp.predictions.get_mut(&p.id) else {
                continue;
            };
            if answer.grade.is_some() {
                continue;
            }
            if let Some(g) = grade(p, &answer.guess, m) {
                let word = if g.right {
                    "✓ right"
                } else {
                    "✗ not this time"
                };
                notices.push(format!("your prediction: {word}"));
                answer.grade = Some(g);
            }
        }
        notices
    }
}

fn choice(c: &[(String, crate::lesson::expr::Expr)], i: usize) -> Guess {
    Guess::Choice {
        index: i,
        text: c.get(i).map_or_else(String::new, |(t, _)| t.clone()),
    }
}
