//! The dashboard's key tables: a live run's, and a replay's (no parameters, no new runs).
//! The rows both share are defined once.

use crossterm::event::KeyCode;

use super::keys::{Binding, Key, b, ch, code};

/// The lower panel shown on small terminals, where the dashboard's panels become tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LowerTab {
    /// Verdicts and numbers.
    Results,
    /// Per-worker breakdown.
    Workers,
    /// CPU heat strip.
    Cpu,
    /// Parameter editor.
    Params,
    /// A demo's named series over time (queue depth) against its capacity.
    Queue,
    /// Memory of parlab and its children over time.
    Memory,
    /// The workers' log lines.
    Log,
}

impl LowerTab {
    /// Every lower panel, in tab order (the number keys `1`..`7`).
    pub const ALL: [LowerTab; 7] = [
        LowerTab::Results,
        LowerTab::Workers,
        LowerTab::Cpu,
        LowerTab::Params,
        LowerTab::Queue,
        LowerTab::Memory,
        LowerTab::Log,
    ];

    /// Its name, as its title and tab say.
    pub fn name(self) -> &'static str {
        match self {
            LowerTab::Results => "Results",
            LowerTab::Workers => "Workers",
            LowerTab::Cpu => "CPU",
            LowerTab::Params => "Parameters",
            LowerTab::Queue => "Queue depth",
            LowerTab::Memory => "Memory",
            LowerTab::Log => "Log",
        }
    }

    /// Its place in [`LowerTab::ALL`] (its scroll slot; its number key is one more).
    pub fn index(self) -> usize {
        LowerTab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// What a key does on the dashboard's timeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DashAction {
    /// Run again with the current parameters.
    Run,
    /// Cancel the live run; with none, back (or quit a replay).
    Cancel,
    /// Back to the lesson (a replay quits).
    Back,
    /// Give the parameter editor the keyboard.
    Params,
    /// Show this lower tab.
    Tab(LowerTab),
    /// Show an earlier (-1) or later (+1) run.
    Browse(i64),
    /// The runs kept between sessions.
    Runs,
    /// Sweep the demo over worker counts.
    Sweep,
    /// Zoom the timeline in.
    ZoomIn,
    /// Zoom it out.
    ZoomOut,
    /// Show the whole run.
    Fit,
    /// Scroll the window by eighths.
    Scroll(i64),
    /// Move the cursor by columns (Shift: eight times as far).
    Cursor(i64),
    /// Move the cursor by worker rows.
    Row(i64),
    /// Cursor to the start (`false`) or the end (`true`).
    CursorTo(bool),
    /// Hide the cursor.
    HideCursor,
    /// Replay: pause / play.
    Pause,
    /// Replay: slower.
    Slower,
    /// Replay: faster.
    Faster,
    /// Replay: jump to the end.
    ToEnd,
    /// Toggle the presenter layout.
    Present,
    /// Give the next (+1) or previous (-1) panel the keyboard.
    Focus(i64),
    /// Scroll the focused panel by pages (the timeline: by eight worker rows).
    Page(i64),
    /// Maximize the focused panel, or restore it.
    Maximize,
}

use DashAction as D;

const CURSOR_TIME: &[(Key, DashAction)] = &[
    (code(KeyCode::Left), D::Cursor(-1)),
    (code(KeyCode::Right), D::Cursor(1)),
    (ch('h'), D::Cursor(-1)),
    (ch('l'), D::Cursor(1)),
];
const CURSOR_ROW: Binding<DashAction> = b(
    "↑↓ j k",
    "timeline: move the cursor between workers; other panels: scroll",
    "",
    &[
        (code(KeyCode::Up), D::Row(-1)),
        (code(KeyCode::Down), D::Row(1)),
        (ch('j'), D::Row(1)),
        (ch('k'), D::Row(-1)),
    ],
);
const ZOOM: &[(Key, DashAction)] = &[
    (ch('+'), D::ZoomIn),
    (ch('='), D::ZoomIn),
    (ch('-'), D::ZoomOut),
    (Key::WheelUp, D::ZoomIn),
    (Key::WheelDown, D::ZoomOut),
];
const SCROLL: &[(Key, DashAction)] = &[(ch('H'), D::Scroll(-1)), (ch('L'), D::Scroll(1))];
const FIT: Binding<DashAction> = b(
    "0 f",
    "fit the whole run",
    "",
    &[(ch('0'), D::Fit), (ch('f'), D::Fit)],
);
const ENDS: Binding<DashAction> = b(
    "Home End",
    "cursor to start / end",
    "",
    &[
        (code(KeyCode::Home), D::CursorTo(false)),
        (code(KeyCode::End), D::CursorTo(true)),
    ],
);
const PRESENT: Binding<DashAction> = b(
    "P",
    "presenter layout: big numbers, full-width timeline (toggle)",
    "",
    &[(ch('P'), D::Present)],
);
const HIDE: Binding<DashAction> = b("c", "hide the cursor", "", &[(ch('c'), D::HideCursor)]);
const FOCUS: Binding<DashAction> = b(
    "Tab S-Tab",
    "next / previous panel (the focused one has a bright border)",
    "panel",
    &[
        (code(KeyCode::Tab), D::Focus(1)),
        (code(KeyCode::BackTab), D::Focus(-1)),
    ],
);
const PAGE: Binding<DashAction> = b(
    "PgUp PgDn",
    "scroll the focused panel by a page",
    "",
    &[
        (code(KeyCode::PageUp), D::Page(-1)),
        (code(KeyCode::PageDown), D::Page(1)),
    ],
);
const MAXIMIZE: Binding<DashAction> = b(
    "Enter z",
    "maximize the focused panel (Esc restores)",
    "maximize",
    &[(code(KeyCode::Enter), D::Maximize), (ch('z'), D::Maximize)],
);
const TABS: &[(Key, DashAction)] = &[
    (ch('1'), D::Tab(LowerTab::Results)),
    (ch('2'), D::Tab(LowerTab::Workers)),
    (ch('3'), D::Tab(LowerTab::Cpu)),
    (ch('4'), D::Tab(LowerTab::Params)),
    (ch('5'), D::Tab(LowerTab::Queue)),
    (ch('6'), D::Tab(LowerTab::Memory)),
    (ch('7'), D::Tab(LowerTab::Log)),
];

/// The keys of a live run's dashboard.
pub const DASHBOARD: &[Binding<DashAction>] = &[
    b(
        "r",
        "run again with the current parameters",
        "run again",
        &[(ch('r'), D::Run)],
    ),
    b(
        "Esc",
        "restore a maximized panel, else cancel the run (what completed stays)",
        "cancel",
        &[(code(KeyCode::Esc), D::Cancel)],
    ),
    b(
        "p",
        "edit parameters (workers, size, chunk, variants)",
        "parameters",
        &[(ch('p'), D::Params)],
    ),
    b(
        "← → h l",
        "move the timeline cursor in time (Shift: faster)",
        "",
        CURSOR_TIME,
    ),
    CURSOR_ROW,
    FOCUS,
    PAGE,
    MAXIMIZE,
    b("+ = - wheel", "zoom the timeline in / out", "zoom", ZOOM),
    b("H L", "scroll the timeline earlier / later", "", SCROLL),
    FIT,
    ENDS,
    HIDE,
    b(
        "[ ]",
        "previous / next run (compare)",
        "runs",
        &[(ch('['), D::Browse(-1)), (ch(']'), D::Browse(1))],
    ),
    b(
        "1 2 3 4 5 6 7",
        "results / workers / CPU / parameters / queue depth / memory / log",
        "",
        TABS,
    ),
    PRESENT,
    b("q", "back to the lesson", "back", &[(ch('q'), D::Back)]),
    b(
        "R",
        "runs kept between sessions (open, compare)",
        "", // in ? help: the 80-column footer keeps its room for `? help`
        &[(ch('R'), D::Runs)],
    ),
    b(
        "S",
        "sweep over worker counts: speedup curve, ideal line, Amdahl fit",
        "",
        &[(ch('S'), D::Sweep)],
    ),
];

const REPLAY_TABS: &[(Key, DashAction)] = &[
    (ch('1'), D::Tab(LowerTab::Results)),
    (ch('2'), D::Tab(LowerTab::Workers)),
    (ch('3'), D::Tab(LowerTab::Cpu)),
    (ch('5'), D::Tab(LowerTab::Queue)),
    (ch('6'), D::Tab(LowerTab::Memory)),
    (ch('7'), D::Tab(LowerTab::Log)),
];

/// The keys of a replay, with the binding that leaves it last: no parameters, no new runs, no
/// fourth tab. One list for the two ways a replay ends (quit, or back to a screen).
macro_rules! replay_keys {
    ($leave:expr) => {
        &[
            b("Space", "pause / play", "pause", &[(ch(' '), D::Pause)]),
            b(
                "< > , .",
                "slower / faster (x0.25 … x8)",
                "speed",
                &[
                    (ch('<'), D::Slower),
                    (ch('>'), D::Faster),
                    (ch(','), D::Slower),
                    (ch('.'), D::Faster),
                ],
            ),
            b("e", "jump to the end", "end", &[(ch('e'), D::ToEnd)]),
            PRESENT,
            b("← → h l", "move the timeline cursor", "", CURSOR_TIME),
            CURSOR_ROW,
            FOCUS,
            PAGE,
            MAXIMIZE,
            b("+ = - wheel", "zoom in / out", "zoom", ZOOM),
            b("H L", "scroll earlier / later", "", SCROLL),
            FIT,
            ENDS,
            HIDE,
            b(
                "1 2 3 5 6 7",
                "results / workers / CPU / queue depth / memory / log",
                "",
                REPLAY_TABS,
            ),
            $leave,
        ]
    };
}

/// The keys of a replay (`parlab replay`): no parameters, no new runs, no fourth tab.
pub const REPLAY: &[Binding<DashAction>] = replay_keys!(b(
    "q Esc",
    "quit (Esc first restores a maximized panel)",
    "quit",
    &[(ch('q'), D::Back), (code(KeyCode::Esc), D::Cancel)],
));

/// The keys of a replay opened from a screen (a kept run from the runs, the learner's program
/// from an exercise): the same, but leaving goes back there.
pub const REPLAY_OPENED: &[Binding<DashAction>] = replay_keys!(b(
    "q Esc",
    "back to the screen it was opened from (Esc first restores a maximized panel)",
    "back",
    &[(ch('q'), D::Back), (code(KeyCode::Esc), D::Cancel)],
));

/// The keys of a watched program (`parlab watch`, the reader's `w`): no parameters, no
/// sweep, no replay speed; `r` watches the same program again.
pub const WATCH: &[Binding<DashAction>] = &[
    b(
        "r",
        "watch the same program again",
        "again",
        &[(ch('r'), D::Run)],
    ),
    b(
        "Esc",
        "restore a maximized panel, else stop the program (Ctrl-C to its group, then kill)",
        "stop",
        &[(code(KeyCode::Esc), D::Cancel)],
    ),
    b(
        "← → h l",
        "move the timeline cursor in time",
        "",
        CURSOR_TIME,
    ),
    CURSOR_ROW,
    FOCUS,
    PAGE,
    MAXIMIZE,
    b("+ = - wheel", "zoom the timeline in / out", "zoom", ZOOM),
    b("H L", "scroll the timeline earlier / later", "", SCROLL),
    FIT,
    ENDS,
    HIDE,
    b(
        "[ ]",
        "previous / next run (compare)",
        "runs",
        &[(ch('['), D::Browse(-1)), (ch(']'), D::Browse(1))],
    ),
    b(
        "1 2 3 5 6 7",
        "results / workers / CPU / queue depth / memory / log (the program's output)",
        "",
        REPLAY_TABS,
    ),
    PRESENT,
    b(
        "q",
        "back to the lesson (`parlab watch`: quit)",
        "back",
        &[(ch('q'), D::Back)],
    ),
];

/// The keys while a panel is maximized, in every mode: what restores it comes first, so the
/// footer says how back out of it; the panel keeps its scrolling, focus and tabs.
pub const MAXIMIZED: &[Binding<DashAction>] = &[
    b(
        "Esc Enter z",
        "restore the maximized panel",
        "restore",
        &[
            (code(KeyCode::Esc), D::Cancel),
            (code(KeyCode::Enter), D::Maximize),
            (ch('z'), D::Maximize),
        ],
    ),
    CURSOR_ROW,
    PAGE,
    FOCUS,
    b(
        "← → h l",
        "move the timeline cursor in time",
        "",
        CURSOR_TIME,
    ),
    b("+ = - wheel", "zoom the timeline in / out", "zoom", ZOOM),
    b(
        "1 2 3 5 6 7",
        "results / workers / CPU / queue depth / memory / log",
        "",
        REPLAY_TABS,
    ),
    b("q", "back", "back", &[(ch('q'), D::Back)]),
];

#[cfg(test)]
mod tests {
    use crate::app::dashboard::{DASHBOARD_KEYS, MAXIMIZED_KEYS, REPLAY_KEYS, WATCH_KEYS};
    use crate::app::keys::check;

    #[test]
    fn help_shows_exactly_the_keys_dispatched() {
        check::table(&DASHBOARD_KEYS);
        check::table(&REPLAY_KEYS);
        check::table(&crate::app::dashboard::REPLAY_OPENED_KEYS);
        check::table(&WATCH_KEYS);
        check::table(&MAXIMIZED_KEYS);
    }

    #[test]
    fn a_watch_offers_no_parameters_sweep_or_replay_speed() {
        let keys: Vec<&str> = super::WATCH.iter().map(|b| b.keys).collect();
        for k in ["p", "S", "Space", "e", "< > , ."] {
            assert!(!keys.contains(&k), "{k}");
        }
    }
}
