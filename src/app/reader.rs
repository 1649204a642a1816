//! The lesson reader's state: which lesson is open, the scroll, the code tab on narrow
//! terminals, and its key table.

use crossterm::event::KeyCode;

use super::keys::{Binding, GLOBAL, Key, Table, b, ch, code};

/// Which code block the reader shows when the terminal is too narrow for both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeTab {
    /// The Python sketch.
    Python,
    /// The Rust parlab runs.
    Rust,
}

/// What a key does in the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReaderAction {
    /// Scroll by this many lines.
    Scroll(i64),
    /// To the top.
    Top,
    /// To the bottom.
    Bottom,
    /// Switch Python / Rust.
    Tab,
    /// Run the lesson's demo.
    Run,
    /// Show the last run's dashboard.
    Dashboard,
    /// The runs kept between sessions.
    Runs,
    /// Sweep the demo over worker counts.
    Sweep,
    /// Run the lesson's Python program under the observer.
    Watch,
    /// Take the lesson's challenge (or drop it).
    Challenge,
    /// Take the lesson's quiz.
    Quiz,
    /// The code exercises, this lesson's first.
    Exercises,
    /// Back to the lessons.
    Back,
}

use ReaderAction as R;

const READER: &[Binding<ReaderAction>] = &[
    b(
        "↑↓ j k",
        "scroll",
        "",
        &[
            (code(KeyCode::Up), R::Scroll(-1)),
            (code(KeyCode::Down), R::Scroll(1)),
            (ch('j'), R::Scroll(1)),
            (ch('k'), R::Scroll(-1)),
        ],
    ),
    b(
        "PgUp PgDn b Space",
        "scroll a page",
        "",
        &[
            (code(KeyCode::PageUp), R::Scroll(-15)),
            (code(KeyCode::PageDown), R::Scroll(15)),
            (ch('b'), R::Scroll(-15)),
            (ch(' '), R::Scroll(15)),
        ],
    ),
    b(
        "Home End g G",
        "top / bottom",
        "",
        &[
            (code(KeyCode::Home), R::Top),
            (code(KeyCode::End), R::Bottom),
            (ch('g'), R::Top),
            (ch('G'), R::Bottom),
        ],
    ),
    b(
        "t Tab",
        "switch Python / Rust (narrow terminals)",
        "Python/Rust",
        &[(ch('t'), R::Tab), (code(KeyCode::Tab), R::Tab)],
    ),
    b("r", "run this lesson's demo", "run", &[(ch('r'), R::Run)]),
    b(
        "w",
        "watch this lesson's Python program run (python3), its figures quoted in the text",
        "watch Python",
        &[(ch('w'), R::Watch)],
    ),
    b(
        "c",
        "take the lesson's challenge (again: drop it)",
        "challenge",
        &[(ch('c'), R::Challenge)],
    ),
    b("x", "take the lesson's quiz", "quiz", &[(ch('x'), R::Quiz)]),
    b(
        "e",
        "code exercises (this lesson's first; the lesson names its own)",
        "",
        &[(ch('e'), R::Exercises)],
    ),
    b(
        "d → l",
        "show the last run's dashboard",
        "dashboard",
        &[
            (ch('d'), R::Dashboard),
            (code(KeyCode::Right), R::Dashboard),
            (ch('l'), R::Dashboard),
        ],
    ),
    b(
        "R",
        "runs kept between sessions (open, compare)",
        "runs",
        &[(ch('R'), R::Runs)],
    ),
    b(
        "S",
        "sweep over worker counts: speedup curve, ideal line, Amdahl fit",
        "sweep",
        &[(ch('S'), R::Sweep)],
    ),
    b(
        "wheel",
        "scroll",
        "",
        &[
            (Key::WheelUp, R::Scroll(-3)),
            (Key::WheelDown, R::Scroll(3)),
        ],
    ),
    b(
        "q Esc ← h",
        "back to the lessons",
        "back",
        &[
            (ch('q'), R::Back),
            (code(KeyCode::Esc), R::Back),
            (code(KeyCode::Left), R::Back),
            (ch('h'), R::Back),
        ],
    ),
];

/// The reader's keys.
pub const READER_KEYS: Table<ReaderAction> = Table {
    name: "Lesson",
    own: READER,
    global: GLOBAL,
};

/// The reader's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Reader {
    /// Lesson open (index into the lesson set).
    pub open: Option<usize>,
    /// Scroll, lines.
    pub scroll: usize,
    /// Largest useful scroll at the last draw (told by a [`Msg::Layout`](super::Msg)).
    pub max: usize,
    /// Code tab on narrow terminals.
    pub code_tab: CodeTab,
}

impl Default for Reader {
    fn default() -> Reader {
        Reader {
            open: None,
            scroll: 0,
            max: usize::MAX,
            code_tab: CodeTab::Python,
        }
    }
}

impl Reader {
    /// Scrolls by `d` lines within what the last draw showed.
    pub fn scroll_by(&mut self, d: i64) {
        let max = i64::try_from(self.max).unwrap_or(i64::MAX);
        self.scroll = (self.scroll as i64).saturating_add(d).clamp(0, max) as usize;
    }

    /// Acts on a key; returns the action when the app must act (run, dashboard, back).
    pub fn act(&mut self, a: ReaderAction) -> Option<ReaderAction> {
        match a {
            R::Scroll(d) => self.scroll_by(d),
            R::Top => self.scroll = 0,
            R::Bottom => self.scroll = self.max,
            R::Tab => {
                self.code_tab = match self.code_tab {
                    CodeTab::Python => CodeTab::Rust,
                    CodeTab::Rust => CodeTab::Python,
                };
            }
            R::Run
            | R::Watch
            | R::Challenge
            | R::Quiz
            | R::Exercises
            | R::Dashboard
            | R::Runs
            | R::Sweep
            | R::Back => return Some(a),
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_shows_exactly_the_keys_dispatched() {
        crate::app::keys::check::table(&READER_KEYS);
    }

    #[test]
    fn scroll_stays_within_the_drawn_text() {
        let mut r = Reader {
            max: 10,
            ..Reader::default()
        };
        r.act(R::Scroll(-5));
        assert_eq!(r.scroll, 0);
        r.act(R::Scroll(50));
        assert_eq!(r.scroll, 10);
    }
}
