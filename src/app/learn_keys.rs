//! The keys of the two student dialogs: the predictions asked before a lesson's first run, and
//! the quiz. One table each drives dispatch, the footer and the `?` help.

use crossterm::event::KeyCode;

use super::keys::{Binding, Key, TYPING, Table, b, code};

/// What a key does while a prediction is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PredictAction {
    /// Move the choice up or down.
    Move(i64),
    /// A typed character: a choice's number, or part of the predicted number.
    Type,
    /// Delete the last typed character.
    Delete,
    /// Answer with the choice or number.
    Answer,
    /// Skip this question (remembered; not asked again).
    Skip,
}

const PREDICT: &[Binding<PredictAction>] = &[
    b(
        "↑↓",
        "choose",
        "choose",
        &[
            (code(KeyCode::Up), PredictAction::Move(-1)),
            (code(KeyCode::Down), PredictAction::Move(1)),
        ],
    ),
    b(
        "type",
        "a choice's number, or the number you predict",
        "",
        &[(Key::Text, PredictAction::Type)],
    ),
    b(
        "Backspace",
        "delete a typed character",
        "",
        &[(code(KeyCode::Backspace), PredictAction::Delete)],
    ),
    b(
        "Enter",
        "answer",
        "answer",
        &[(code(KeyCode::Enter), PredictAction::Answer)],
    ),
    b(
        "Esc",
        "skip the question (the run goes on)",
        "skip",
        &[(code(KeyCode::Esc), PredictAction::Skip)],
    ),
];

/// The prediction dialog's keys.
pub const PREDICT_KEYS: Table<PredictAction> = Table {
    name: "Predict",
    own: PREDICT,
    global: TYPING,
};

/// What a key does in the quiz.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuizAction {
    /// Move the choice up or down.
    Move(i64),
    /// A typed character: a choice's number answers with it.
    Type,
    /// Answer with the chosen choice, or go on to the next question.
    Enter,
    /// Close the quiz (answers so far are kept).
    Close,
}

const QUIZ: &[Binding<QuizAction>] = &[
    b(
        "↑↓",
        "choose",
        "choose",
        &[
            (code(KeyCode::Up), QuizAction::Move(-1)),
            (code(KeyCode::Down), QuizAction::Move(1)),
        ],
    ),
    b(
        "type",
        "a choice's number answers with it",
        "",
        &[(Key::Text, QuizAction::Type)],
    ),
    b(
        "Enter",
        "answer / next question",
        "answer / next",
        &[(code(KeyCode::Enter), QuizAction::Enter)],
    ),
    b(
        "Esc",
        "close the quiz (answers so far are kept)",
        "close",
        &[(code(KeyCode::Esc), QuizAction::Close)],
    ),
];

/// The quiz's keys.
pub const QUIZ_KEYS: Table<QuizAction> = Table {
    name: "Quiz",
    own: QUIZ,
    global: TYPING,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_shows_exactly_the_keys_dispatched() {
        crate::app::keys::check::table(&PREDICT_KEYS);
        crate::app::keys::check::table(&QUIZ_KEYS);
    }
}
