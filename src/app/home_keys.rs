//! The lesson browser's two key tables: the list, and the filter line while it is typed.

use crossterm::event::KeyCode;

use super::keys::{Binding, GLOBAL, Key, TYPING, Table, b, ch, code};

/// What a key does on the lesson list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HomeAction {
    /// Move the selection by this many lessons.
    Move(i64),
    /// Open the selected lesson.
    Open,
    /// Open it and run its demo.
    Run,
    /// Start typing a filter.
    Filter,
    /// Clear the filter (never quits).
    Clear,
    /// The runs kept between sessions.
    Runs,
    /// The code exercises.
    Exercises,
    /// Leave parlab.
    Quit,
}

/// What a key does while the filter is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterAction {
    /// Add the typed letter.
    Type,
    /// Delete the last letter.
    Delete,
    /// Keep the filter and go back to the list.
    Keep,
    /// Clear the filter.
    Clear,
    /// Move the selection.
    Move(i64),
}

use HomeAction as H;

const HOME: &[Binding<HomeAction>] = &[
    b(
        "↑↓ j k",
        "select a lesson",
        "",
        &[
            (code(KeyCode::Up), H::Move(-1)),
            (code(KeyCode::Down), H::Move(1)),
            (ch('j'), H::Move(1)),
            (ch('k'), H::Move(-1)),
        ],
    ),
    b(
        "Enter → l",
        "open the lesson",
        "open",
        &[
            (code(KeyCode::Enter), H::Open),
            (code(KeyCode::Right), H::Open),
            (ch('l'), H::Open),
        ],
    ),
    b("r", "open and run its demo", "run", &[(ch('r'), H::Run)]),
    b(
        "e",
        "code exercises: write it, check it, see why",
        "exercises",
        &[(ch('e'), H::Exercises)],
    ),
    b(
        "/",
        "filter lessons by words",
        "filter",
        &[(ch('/'), H::Filter)],
    ),
    b(
        "PgUp PgDn Home End g G",
        "jump in the list",
        "",
        &[
            (code(KeyCode::PageUp), H::Move(-10)),
            (code(KeyCode::PageDown), H::Move(10)),
            (code(KeyCode::Home), H::Move(-10_000)),
            (code(KeyCode::End), H::Move(10_000)),
            (ch('g'), H::Move(-10_000)),
            (ch('G'), H::Move(10_000)),
        ],
    ),
    b(
        "wheel",
        "move the selection",
        "",
        &[(Key::WheelUp, H::Move(-1)), (Key::WheelDown, H::Move(1))],
    ),
    b(
        "Esc",
        "clear the filter",
        "",
        &[(code(KeyCode::Esc), H::Clear)],
    ),
    b(
        "R",
        "runs kept between sessions (open, compare)",
        "runs",
        &[(ch('R'), H::Runs)],
    ),
    b("q", "quit parlab", "quit", &[(ch('q'), H::Quit)]),
];

use FilterAction as F;

const FILTER: &[Binding<FilterAction>] = &[
    b(
        "type",
        "filter by title, summary, id or number",
        "filter",
        &[(Key::Text, F::Type)],
    ),
    b(
        "Backspace",
        "delete a letter",
        "",
        &[(code(KeyCode::Backspace), F::Delete)],
    ),
    b(
        "Enter",
        "keep the filter",
        "keep",
        &[(code(KeyCode::Enter), F::Keep)],
    ),
    b(
        "Esc",
        "clear the filter",
        "clear",
        &[(code(KeyCode::Esc), F::Clear)],
    ),
    b(
        "↑↓ wheel",
        "select",
        "",
        &[
            (code(KeyCode::Up), F::Move(-1)),
            (code(KeyCode::Down), F::Move(1)),
            (Key::WheelUp, F::Move(-1)),
            (Key::WheelDown, F::Move(1)),
        ],
    ),
];

/// The keys of the lesson list.
pub const HOME_KEYS: Table<HomeAction> = Table {
    name: "Lessons",
    own: HOME,
    global: GLOBAL,
};

/// The keys while the filter is typed.
pub const FILTER_KEYS: Table<FilterAction> = Table {
    name: "Lessons: filter",
    own: FILTER,
    global: TYPING,
};
