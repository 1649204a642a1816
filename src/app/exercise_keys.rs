//! The exercise screens' key tables: the list, one exercise, and the yes/no question asked
//! before the workspace file is overwritten.

use crossterm::event::KeyCode;

use super::keys::{Binding, GLOBAL, Key, TYPING, Table, b, ch, code};

/// What a key does on the exercise list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListAction {
    /// Move the selection by this many exercises.
    Move(i64),
    /// Open the selected exercise.
    Open,
    /// Back to the lessons.
    Back,
}

/// What a key does on one exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExerciseAction {
    /// Write the starter into the workspace (asks before overwriting an edited file).
    Start,
    /// Check the workspace program.
    Check,
    /// Re-check on every save (again: stop).
    Watch,
    /// Reveal the next hint.
    Hint,
    /// The starter back, after a yes.
    Reset,
    /// Show the reference solution (after a pass).
    Solution,
    /// The learner's program from the last check on the dashboard.
    Dashboard,
    /// The next exercise.
    Next,
    /// Scroll the task by this many lines.
    Scroll(i64),
    /// Cancel the check running, else back to the list.
    Back,
}

/// What a key does while a yes/no question is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmAction {
    /// Yes.
    Yes,
    /// No.
    No,
}

use ListAction as L;

const LIST: &[Binding<ListAction>] = &[
    b(
        "↑↓ j k wheel",
        "select an exercise",
        "",
        &[
            (code(KeyCode::Up), L::Move(-1)),
            (code(KeyCode::Down), L::Move(1)),
            (ch('j'), L::Move(1)),
            (ch('k'), L::Move(-1)),
            (Key::WheelUp, L::Move(-1)),
            (Key::WheelDown, L::Move(1)),
        ],
    ),
    b(
        "Enter → l",
        "open the exercise",
        "open",
        &[
            (code(KeyCode::Enter), L::Open),
            (code(KeyCode::Right), L::Open),
            (ch('l'), L::Open),
        ],
    ),
    b(
        "PgUp PgDn g G",
        "jump in the list",
        "",
        &[
            (code(KeyCode::PageUp), L::Move(-10)),
            (code(KeyCode::PageDown), L::Move(10)),
            (ch('g'), L::Move(-10_000)),
            (ch('G'), L::Move(10_000)),
        ],
    ),
    b(
        "Esc ← q e",
        "back to the lessons",
        "lessons",
        &[
            (code(KeyCode::Esc), L::Back),
            (code(KeyCode::Left), L::Back),
            (ch('q'), L::Back),
            (ch('e'), L::Back),
        ],
    ),
];

use ExerciseAction as X;

const ONE: &[Binding<ExerciseAction>] = &[
    b(
        "s",
        "start: write the starter into the workspace",
        "start",
        &[(ch('s'), X::Start)],
    ),
    b(
        "c",
        "check: correctness, then speed against the reference",
        "check",
        &[(ch('c'), X::Check)],
    ),
    b(
        "w",
        "watch: re-check on every save (again: stop)",
        "watch",
        &[(ch('w'), X::Watch)],
    ),
    b("h", "show the next hint", "hint", &[(ch('h'), X::Hint)]),
    b(
        "r",
        "reset: the starter back (asks first)",
        "reset",
        &[(ch('r'), X::Reset)],
    ),
    b(
        "v",
        "view the reference solution (after a pass)",
        "solution",
        &[(ch('v'), X::Solution)],
    ),
    b("n", "next exercise", "next", &[(ch('n'), X::Next)]),
    b(
        "d",
        "your program's processes in the last check, on the dashboard (Esc comes back)",
        "dashboard",
        &[(ch('d'), X::Dashboard)],
    ),
    b(
        "↑↓ j k PgUp PgDn wheel",
        "scroll the task",
        "",
        &[
            (code(KeyCode::Up), X::Scroll(-1)),
            (code(KeyCode::Down), X::Scroll(1)),
            (ch('j'), X::Scroll(1)),
            (ch('k'), X::Scroll(-1)),
            (code(KeyCode::PageUp), X::Scroll(-10)),
            (code(KeyCode::PageDown), X::Scroll(10)),
            (Key::WheelUp, X::Scroll(-3)),
            (Key::WheelDown, X::Scroll(3)),
        ],
    ),
    b(
        "Esc ← q",
        "cancel the check running, else back to the list",
        "back",
        &[
            (code(KeyCode::Esc), X::Back),
            (code(KeyCode::Left), X::Back),
            (ch('q'), X::Back),
        ],
    ),
];

const CONFIRM: &[Binding<ConfirmAction>] = &[
    b(
        "y Y Enter",
        "yes",
        "yes",
        &[
            (ch('y'), ConfirmAction::Yes),
            (ch('Y'), ConfirmAction::Yes),
            (code(KeyCode::Enter), ConfirmAction::Yes),
        ],
    ),
    b(
        "n N Esc",
        "no: keep the file",
        "no",
        &[
            (ch('n'), ConfirmAction::No),
            (ch('N'), ConfirmAction::No),
            (code(KeyCode::Esc), ConfirmAction::No),
        ],
    ),
];

/// The keys of the exercise list.
pub const EXERCISES_KEYS: Table<ListAction> = Table {
    name: "Exercises",
    own: LIST,
    global: GLOBAL,
};

/// The keys of one exercise.
pub const EXERCISE_KEYS: Table<ExerciseAction> = Table {
    name: "Exercise",
    own: ONE,
    global: GLOBAL,
};

/// The keys of the yes/no question.
pub const CONFIRM_KEYS: Table<ConfirmAction> = Table {
    name: "Overwrite?",
    own: CONFIRM,
    global: TYPING,
};
