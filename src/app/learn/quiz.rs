//! The quiz: the open lesson's questions one at a time; after each answer the explanation of
//! the chosen choice and of the right one; each answer (right or wrong) kept in progress.

use super::super::learn_keys::QuizAction;
use super::super::{App, Effect};
use crate::progress::QuizAnswer;

/// The quiz being taken.
#[derive(Clone, Debug, PartialEq)]
pub struct QuizState {
    /// The lesson (index into the lesson set).
    pub lesson: usize,
    /// The question shown (equal to the count at the end: the score).
    pub at: usize,
    /// The choice highlighted.
    pub choice: usize,
    /// The choice answered to the question shown, once answered.
    pub answered: Option<usize>,
    /// Right answers in this sitting.
    pub right: usize,
}

impl App {
    /// Opens the quiz of the lesson in the reader.
    pub(in crate::app) fn open_quiz(&mut self) {
        let Some(i) = self.reader.open else { return };
        if self.lesson(i).is_none_or(|l| l.quizzes.is_empty()) {
            self.say("this lesson has no quiz", false);
            return;
        }
        self.learn.quiz = Some(QuizState {
            lesson: i,
            at: 0,
            choice: 0,
            answered: None,
            right: 0,
        });
    }

    /// A key in the quiz.
    pub(in crate::app) fn quiz_act(&mut self, a: QuizAction, typed: Option<char>) -> Effect {
        let Some(q) = self.learn.quiz.as_mut() else {
            return Effect::None;
        };
        let Some(lesson) = self.lessons.lessons.get(q.lesson) else {
            self.learn.quiz = None;
            return Effect::None;
        };
        let n = lesson.quizzes.len();
        let Some(question) = lesson.quizzes.get(q.at) else {
            // The score is showing: any answer key closes it.
            if matches!(a, QuizAction::Enter | QuizAction::Close) {
                self.learn.quiz = None;
            }
            return Effect::None;
        };
        let pick = match a {
            QuizAction::Close => {
                self.learn.quiz = None;
                return Effect::None;
            }
            _ if q.answered.is_some() => {
                if a == QuizAction::Enter {
                    q.at += 1;
                    q.choice = 0;
                    q.answered = None;
                }
                return Effect::None;
            }
            QuizAction::Move(d) => {
                let last = question.choices.len().saturating_sub(1) as i64;
                q.choice = (q.choice as i64 + d).clamp(0, last) as usize;
                None
            }
            QuizAction::Type => typed
                .and_then(|t| t.to_digit(10))
                .map(|d| d as usize)
                .filter(|d| (1..=question.choices.len()).contains(d))
                .map(|d| d - 1),
            QuizAction::Enter => Some(q.choice),
        };
        if let Some(chosen) = pick {
            let right = chosen == question.answer;
            q.choice = chosen;
            q.answered = Some(chosen);
            q.right += usize::from(right);
            let (at, id) = (q.at, lesson.id.clone());
            self.progress
                .lesson_mut(&id)
                .quiz
                .insert(at, QuizAnswer { chosen, right });
            if at + 1 == n {
                let right = self.learn.quiz.as_ref().map_or(0, |q| q.right);
                self.say(
                    format!("quiz: {right} of {n} right; kept in your progress"),
                    false,
                );
            }
        }
        Effect::None
    }
}
