//! Every key of every screen, as data: the help overlay lists them all, the footer the few
//! with a `short` name. [`App::update`](super::App::update) is the one place that acts on them.

use super::{App, Focus, Screen};

/// One key (or key group) and what it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The keys, as shown: `↑↓ j k`.
    pub keys: &'static str,
    /// What they do.
    pub what: &'static str,
    /// Its name in the footer; empty when it is not shown there.
    pub short: &'static str,
}

const fn b(keys: &'static str, what: &'static str, short: &'static str) -> Binding {
    Binding { keys, what, short }
}

const HOME: &[Binding] = &[
    b("↑↓ j k", "select a lesson", ""),
    b("Enter → l", "open the lesson", "open"),
    b("r", "open and run its demo", "run"),
    b("/", "filter lessons by words", "filter"),
    b("PgUp PgDn g G", "jump in the list", ""),
    b("wheel", "move the selection", ""),
    b("q Esc", "quit parlab", "quit"),
];

const FILTER: &[Binding] = &[
    b("type", "filter by title, summary or number", "filter"),
    b("Enter", "keep the filter", "keep"),
    b("Esc", "clear the filter", "clear"),
    b("↑↓", "select", ""),
];

const READER: &[Binding] = &[
    b("↑↓ j k", "scroll", ""),
    b("PgUp PgDn b Space", "scroll a page", ""),
    b("g G", "top / bottom", ""),
    b(
        "t Tab",
        "switch Python / Rust (narrow terminals)",
        "Python/Rust",
    ),
    b("r", "run this lesson's demo", "run"),
    b("d → l", "show the last run's dashboard", "dashboard"),
    b("wheel", "scroll", ""),
    b("q Esc ← h", "back to the lessons", "back"),
];

const DASHBOARD: &[Binding] = &[
    b("r", "run again with the current parameters", "run again"),
    b("Esc", "cancel the run (what completed stays)", "cancel"),
    b(
        "p",
        "edit parameters (workers, size, chunk, variants)",
        "parameters",
    ),
    b(
        "← → h l",
        "move the timeline cursor in time (Shift: faster)",
        "",
    ),
    b("↑↓ j k", "move the cursor between workers", ""),
    b("+ - z Z wheel", "zoom the timeline in / out", "zoom"),
    b("H L", "scroll the timeline earlier / later", ""),
    b("0 f", "fit the whole run", ""),
    b("Home End", "cursor to start / end", ""),
    b("c", "hide the cursor", ""),
    b("[ ]", "previous / next run (compare)", "runs"),
    b(
        "1 2 3 4",
        "results / workers / CPU / parameters (small terminals)",
        "",
    ),
    b("q", "back to the lesson", "back"),
];

const PARAMS: &[Binding] = &[
    b("↑↓ j k", "choose a parameter", "choose"),
    b(
        "← → h l",
        "decrease / increase (numbers halve / double)",
        "change",
    ),
    b(
        "Enter",
        "type an exact value (Enter sets, Esc cancels)",
        "type",
    ),
    b("Space", "turn a variant on / off", ""),
    b("r", "run with these values", "run"),
    b("p Esc Tab", "back to the timeline", "done"),
];

const REPLAY: &[Binding] = &[
    b("Space", "pause / play", "pause"),
    b("< > , .", "slower / faster (x0.25 … x8)", "speed"),
    b("e", "jump to the end", "end"),
    b("← → h l", "move the timeline cursor", ""),
    b("↑↓ j k", "move the cursor between workers", ""),
    b("+ - z Z wheel", "zoom in / out", "zoom"),
    b("H L", "scroll earlier / later", ""),
    b("0 f", "fit the whole run", ""),
    b("1 2 3", "results / workers / CPU (small terminals)", ""),
    b("q Esc", "quit", "quit"),
];

const GLOBAL: &[Binding] = &[
    b("?", "this help (any key closes it)", "help"),
    b("T", "dark / light theme (NO_COLOR: plain)", ""),
    b("Ctrl-C", "quit at once (a run is cancelled)", ""),
];

/// The keys of the screen showing now, then the global ones.
pub fn bindings(app: &App) -> (&'static str, Vec<Binding>) {
    let (name, own): (&str, &[Binding]) = if app.filtering {
        ("Lessons: filter", FILTER)
    } else {
        match app.screen {
            Screen::Home => ("Lessons", HOME),
            Screen::Reader => ("Lesson", READER),
            Screen::Dashboard if app.replay_only => ("Replay", REPLAY),
            Screen::Dashboard if app.focus == Focus::Params => ("Parameters", PARAMS),
            Screen::Dashboard => ("Dashboard", DASHBOARD),
        }
    };
    (name, own.iter().chain(GLOBAL).copied().collect())
}
