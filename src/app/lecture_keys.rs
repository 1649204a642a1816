//! The lecture screen's key table (`parlab present FILE`): step forward and back, run the
//! step again, jump to a step, quit. Arrow keys step (the presenter does not move a cursor).
//! And the notes screen's (`--notes`): only quit.

use crossterm::event::KeyCode;

use super::keys::{Binding, GLOBAL, Key, Table, b, ch, code};

/// What a key does while a lecture is presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LectureAction {
    /// Go this many steps forward (negative: back).
    Move(i64),
    /// Run the step again (a run, a sweep, a replay from its start).
    Again,
    /// Go to step N (1-based, as on screen).
    Jump(usize),
    /// Cancel the step's run or sweep.
    Cancel,
    /// Leave the lecture.
    Quit,
}

use LectureAction as L;

const OWN: &[Binding<LectureAction>] = &[
    b(
        "→ n Space",
        "next step",
        "next",
        &[
            (code(KeyCode::Right), L::Move(1)),
            (ch('n'), L::Move(1)),
            (ch(' '), L::Move(1)),
        ],
    ),
    b(
        "← p Backspace",
        "previous step",
        "back",
        &[
            (code(KeyCode::Left), L::Move(-1)),
            (ch('p'), L::Move(-1)),
            (code(KeyCode::Backspace), L::Move(-1)),
        ],
    ),
    b("r", "run the step again", "again", &[(ch('r'), L::Again)]),
    b(
        "1 2 3 4 5 6 7 8 9",
        "jump to step N",
        "step N",
        &[
            (ch('1'), L::Jump(1)),
            (ch('2'), L::Jump(2)),
            (ch('3'), L::Jump(3)),
            (ch('4'), L::Jump(4)),
            (ch('5'), L::Jump(5)),
            (ch('6'), L::Jump(6)),
            (ch('7'), L::Jump(7)),
            (ch('8'), L::Jump(8)),
            (ch('9'), L::Jump(9)),
        ],
    ),
    b(
        "Esc",
        "cancel the step's run or sweep",
        "",
        &[(code(KeyCode::Esc), L::Cancel)],
    ),
    b("q", "quit the lecture", "quit", &[(ch('q'), L::Quit)]),
];

/// The lecture screen's keys.
pub const LECTURE_KEYS: Table<LectureAction> = Table {
    name: "Lecture",
    own: OWN,
    global: GLOBAL,
};

/// What a key does on the notes screen (`parlab present FILE --notes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotesAction {
    /// Leave the notes.
    Quit,
}

const NOTES: &[Binding<NotesAction>] = &[b(
    "q Esc Ctrl-C",
    "quit the notes (the presenter goes on)",
    "quit",
    &[
        (ch('q'), NotesAction::Quit),
        (code(KeyCode::Esc), NotesAction::Quit),
        (Key::Ctrl('c'), NotesAction::Quit),
    ],
)];

/// The notes screen's keys.
pub const NOTES_KEYS: Table<NotesAction> = Table {
    name: "Speaker notes",
    own: NOTES,
    global: &[],
};

#[cfg(test)]
mod tests {
    #[test]
    fn help_shows_exactly_the_keys_dispatched() {
        crate::app::keys::check::table(&super::LECTURE_KEYS);
        crate::app::keys::check::table(&super::NOTES_KEYS);
    }
}
