//! The Runs screen's state: the runs kept between sessions (newest first), the selection, a
//! run marked as A for a comparison, and the comparison shown. The files are read by the event
//! loop (`Effect::LoadRuns`, `Effect::OpenRun`), never here.

use crossterm::event::KeyCode;

use super::keys::{Binding, GLOBAL, Key, Table, b, ch, code};
use super::run::RunView;
use super::{App, Effect, Screen};
use crate::runstore::{StoredRun, StoredVariant};

/// What a key does on the Runs screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryAction {
    /// Move the selection.
    Move(i64),
    /// Open the selected run as a replay.
    Open,
    /// Mark the selected run as A (again: unmark).
    Mark,
    /// Compare A (or the previous run of the lesson) with the selected run.
    Compare,
    /// Close the comparison, else go back.
    Back,
}

use HistoryAction as A;

const HISTORY: &[Binding<HistoryAction>] = &[
    b(
        "↑↓ j k wheel",
        "select a run",
        "",
        &[
            (code(KeyCode::Up), A::Move(-1)),
            (code(KeyCode::Down), A::Move(1)),
            (ch('k'), A::Move(-1)),
            (ch('j'), A::Move(1)),
            (Key::WheelUp, A::Move(-1)),
            (Key::WheelDown, A::Move(1)),
        ],
    ),
    b(
        "Enter",
        "open the run as a replay",
        "open",
        &[(code(KeyCode::Enter), A::Open)],
    ),
    b(
        "Space",
        "mark the run as A for a comparison",
        "mark A",
        &[(ch(' '), A::Mark)],
    ),
    b(
        "c",
        "compare A (else the lesson's run before it) with the selected run",
        "compare",
        &[(ch('c'), A::Compare)],
    ),
    b(
        "q Esc",
        "close the comparison, else back",
        "back",
        &[(ch('q'), A::Back), (code(KeyCode::Esc), A::Back)],
    ),
];

/// The Runs screen's keys.
pub const HISTORY_KEYS: Table<HistoryAction> = Table {
    name: "Runs",
    own: HISTORY,
    global: GLOBAL,
};

/// The Runs screen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// Kept runs, newest first.
    pub runs: Vec<StoredRun>,
    /// Selected row.
    pub selected: usize,
    /// The run marked as A (index into `runs`).
    pub marked: Option<usize>,
    /// The comparison shown: (A, B) indices into `runs`.
    pub comparing: Option<(usize, usize)>,
    /// The screen to go back to.
    pub from: Option<Screen>,
    /// Where the dashboard's Esc goes back to when it shows a replay opened from a screen (a
    /// kept run from here, the learner's program from the exercise screen).
    pub replaying: Option<Screen>,
}

impl History {
    /// Replaces the list with `oldest_first`, shown newest first.
    pub fn set(&mut self, mut oldest_first: Vec<StoredRun>) {
        oldest_first.reverse();
        self.runs = oldest_first;
        self.selected = self.selected.min(self.runs.len().saturating_sub(1));
        self.marked = None;
        self.comparing = None;
    }

    /// The run compared with `b` when none is marked: the run of the same lesson and
    /// parameters before it, else the lesson's run before it.
    fn partner(&self, b: usize) -> Option<usize> {
        let rb = self.runs.get(b)?;
        let older = || (b + 1..self.runs.len()).filter(|i| self.runs[*i].lesson == rb.lesson);
        older()
            .find(|i| {
                let r = &self.runs[*i];
                r.params == rb.params && r.workers == rb.workers
            })
            .or_else(|| older().next())
    }

    /// Acts on a key; returns the action when the app must act (open, back).
    fn act(&mut self, a: HistoryAction) -> Result<Option<HistoryAction>, String> {
        let n = self.runs.len();
        match a {
            A::Move(d) if n > 0 => {
                self.selected = (self.selected as i64 + d).clamp(0, n as i64 - 1) as usize;
            }
            A::Move(_) => {}
            A::Mark => {
                self.marked =
                    (self.marked != Some(self.selected) && n > 0).then_some(self.selected);
            }
            A::Compare => {
                let b = self.selected;
                let a = match self.marked.filter(|m| *m != b) {
                    Some(m) => m,
                    None => self.partner(b).ok_or(
                        "no earlier run of this lesson: mark one with Space, then press c on another",
                    )?,
                };
                // A is the older one, so ratios read "A took x times B".
                self.comparing = Some(if a > b { (a, b) } else { (b, a) });
            }
            A::Back if self.comparing.is_some() => self.comparing = None,
            A::Open | A::Back => return Ok(Some(a)),
        }
        Ok(None)
    }
}

impl StoredRun {
    /// What the index keeps of a finished run on the dashboard (`None` before it finished);
    /// the event loop stamps the time and writes it.
    pub fn of(run: &RunView) -> Option<StoredRun> {
        let s = run.summary.as_ref()?;
        Some(StoredRun {
            lesson: run.lesson.clone(),
            title: run.title.clone(),
            demo: run.demo.clone(),
            params: run.params.clone(),
            workers: run.workers,
            machine: s.machine.one_line(),
            cancelled: s.cancelled,
            variants: s
                .variants
                .iter()
                .map(|v| StoredVariant {
                    name: v.name.clone(),
                    median_ms: if v.repeats > 0 { v.wall_ms.median } else { 0.0 },
                    speedup: v.speedup,
                    correct: v.mark().is_tick()
                        || v.mark() == crate::report::Mark::MeasurementProblem,
                    headline: v.verdict.clone(),
                })
                .collect(),
            ..StoredRun::default()
        })
    }
}

impl App {
    /// Shows the Runs screen over `oldest_first` (the event loop read them), with the
    /// index's warning in the footer.
    pub fn runs_loaded(&mut self, oldest_first: Vec<StoredRun>, warning: Option<String>) {
        self.history.set(oldest_first);
        if self.screen != Screen::Runs {
            self.history.from = Some(self.screen);
        }
        self.screen = Screen::Runs;
        self.dirty = true;
        match warning {
            Some(w) => self.say(w, true),
            None if self.history.runs.is_empty() => self.say(
                "no kept runs yet: every run you finish in a lesson is kept here",
                false,
            ),
            None => {}
        }
    }

    /// A kept run's trace was read (or not): shows it as a replay on the dashboard.
    pub fn run_opened(
        &mut self,
        run: StoredRun,
        rec: Result<Box<crate::recording::Recording>, String>,
    ) {
        self.dirty = true;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => return self.say(e, true),
        };
        let when = crate::runstore::when::fmt_utc(run.time_unix);
        let mut rv = RunView::new(
            &format!("{} (kept run of {when})", run.title),
            &run.demo,
            run.params.clone(),
            run.workers,
            rec.machine.clone(),
        );
        rv.lesson = run.lesson.clone();
        rv.recorded_on = Some(rec.machine.clone());
        rv.player = Some(super::replay::Player::new(&rec));
        rv.now_ns = rv.player.as_ref().map_or(0, |p| p.start);
        self.show_replay(rv, Screen::Runs);
    }

    /// Shows the replay `rv` on the dashboard; its Esc goes back to `back`.
    pub(super) fn show_replay(&mut self, rv: RunView, back: Screen) {
        self.runs.push(rv);
        self.shown = self.runs.len() - 1;
        self.history.replaying = Some(back);
        self.dash.replay_only = true;
        self.dash.maximized = false;
        self.screen = Screen::Dashboard;
        self.dirty = true;
        self.pump_replay(0);
    }

    /// Leaves a replay opened from a screen for that screen; false when the dashboard was not
    /// one.
    pub(super) fn close_kept_replay(&mut self) -> bool {
        let Some(back) = self.history.replaying.take() else {
            return false;
        };
        self.dash.replay_only = false;
        if self.shown + 1 == self.runs.len() && self.live != Some(self.shown) {
            self.runs.pop();
        }
        self.shown = self.runs.len().saturating_sub(1);
        self.screen = back;
        true
    }

    pub(super) fn history_act(&mut self, a: HistoryAction) -> Effect {
        match self.history.act(a) {
            Err(e) => self.say(e, false),
            Ok(Some(A::Open)) => {
                if let Some(r) = self.history.runs.get(self.history.selected) {
                    return Effect::OpenRun { run: r.clone() };
                }
            }
            Ok(Some(A::Back)) => self.screen = self.history.from.take().unwrap_or(Screen::Home),
            Ok(_) => {}
        }
        Effect::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lesson: &str, t: u64) -> StoredRun {
        StoredRun {
            id: format!("r{t}"),
            lesson: lesson.into(),
            time_unix: t,
            ..StoredRun::default()
        }
    }

    #[test]
    fn compares_with_the_marked_run_or_the_lessons_previous_one() {
        let mut h = History::default();
        h.set(vec![run("a", 1), run("b", 2), run("a", 3)]);
        assert_eq!(h.runs[0].time_unix, 3, "newest first");
        h.act(A::Compare).unwrap();
        assert_eq!(
            h.comparing,
            Some((2, 0)),
            "the lesson's earlier run, skipping b"
        );
        h.act(A::Back).unwrap();
        assert_eq!(h.comparing, None);
        h.act(A::Move(1)).unwrap();
        assert!(h.act(A::Compare).is_err(), "b has no earlier run");
        h.act(A::Mark).unwrap();
        h.act(A::Move(-1)).unwrap();
        h.act(A::Compare).unwrap();
        assert_eq!(h.comparing, Some((1, 0)));
        assert_eq!(h.act(A::Back).unwrap(), None);
        assert_eq!(h.act(A::Back).unwrap(), Some(A::Back));
    }

    #[test]
    fn help_shows_exactly_the_keys_dispatched() {
        crate::app::keys::check::table(&HISTORY_KEYS);
    }
}
