//! The exercise screens' state: the list beside the lessons, and one exercise with its task,
//! the hints revealed so far, the workspace, the check running or its verdict, watch mode and
//! the yes/no question before the workspace file is overwritten (the keys:
//! [`super::exercise_keys`]).
//!
//! The app does no I/O: writing the starter, checking and watching the file are
//! [`ExerciseOp`]s the event loop carries out, answered with [`ExerciseMsg`]s. What the learner
//! did goes into the one progress file ([`crate::progress`]), the loop's to write.

use std::path::PathBuf;

pub use super::exercise_keys::{
    CONFIRM_KEYS, ConfirmAction, EXERCISE_KEYS, EXERCISES_KEYS, ExerciseAction, ListAction,
};
use super::{App, Effect, Screen};
use crate::exercise::verdict::Verdict;
use crate::exercise::workspace::{self, Started};
use crate::exercise::{Exercise, ExerciseSet};
use crate::recording::Recording;

/// Work the event loop does for the exercise screen.
#[derive(Clone, Debug, PartialEq)]
pub enum ExerciseOp {
    /// Write the starter into `dir` ([`workspace::start`]); `force` overwrites an edited file.
    Start {
        /// Exercise id.
        id: String,
        /// The workspace folder.
        dir: PathBuf,
        /// Overwrite an edited file (asked first).
        force: bool,
    },
    /// Check the workspace program, as `parlab exercise check` does.
    Check {
        /// Exercise id.
        id: String,
        /// The workspace folder.
        dir: PathBuf,
    },
    /// Stop the check running (its program first).
    Cancel,
    /// Watch the workspace file for saves (`None`: stop watching; a check running stops too).
    Watch(Option<PathBuf>),
}

/// What the event loop answers.
#[derive(Clone, Debug)]
pub enum ExerciseMsg {
    /// The starter was written or kept, or why not.
    Started(Result<Started, String>),
    /// The check's verdict, or why there is none (cancelled, no program, a broken exercise).
    Checked(Result<Box<Verdict>, String>),
    /// The learner's first run in a check, as the observer saw it (sent before its verdict).
    Ran {
        /// Exercise id.
        id: String,
        /// The run: its processes and threads, CPU and memory.
        run: Box<Recording>,
    },
    /// The workspace file changed (watch mode).
    Saved,
    /// Watching could not start.
    WatchFailed(String),
}

/// A yes/no question asked before the workspace file is overwritten.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// Start found an edited file: overwrite it with the starter?
    Overwrite,
    /// Reset: the starter back?
    Reset,
}

/// A check in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checking {
    /// When it started, ns on the shared clock (0 until the first tick).
    pub since_ns: u64,
    /// Time it has run, ns.
    pub elapsed_ns: u64,
}

/// The exercise screens' state.
#[derive(Clone, Debug, Default)]
pub struct Exercises {
    /// Selected in the list (index into the exercise set).
    pub selected: usize,
    /// Open on the exercise screen (index into the exercise set).
    pub open: Option<usize>,
    /// The open exercise's workspace folder (`None`: no data directory).
    pub dir: Option<PathBuf>,
    /// Hints revealed (kept in progress: shown again on the next visit).
    pub hints: usize,
    /// The last verdict of the open exercise.
    pub verdict: Option<Verdict>,
    /// The learner's program as the observer saw it in that check (`d` shows it on the
    /// dashboard).
    pub run: Option<Box<Recording>>,
    /// The check running, if any.
    pub checking: Option<Checking>,
    /// Watching the workspace file for saves.
    pub watching: bool,
    /// A save seen: check when the clock passes this (ns), once no check runs.
    pub due_ns: Option<u64>,
    /// The question asked, if any.
    pub confirm: Option<Confirm>,
    /// The reference solution shown (only after a pass).
    pub solution: bool,
    /// Scroll of the task pane, lines.
    pub scroll: u16,
    /// The last tick's clock, ns.
    pub now_ns: u64,
}

impl Exercises {
    /// Moves the list selection by `d`, stopping at the ends.
    pub fn move_selection(&mut self, d: i64, n: usize) {
        if n == 0 {
            return;
        }
        self.selected = (self.selected as i64 + d).clamp(0, n as i64 - 1) as usize;
    }

    /// Whether a check runs or a save waits to be checked.
    pub fn busy(&self) -> bool {
        self.checking.is_some() || self.watching
    }
}

/// The exercises of lesson `lesson`, in order.
pub fn of_lesson<'a>(set: &'a ExerciseSet, lesson: &str) -> Vec<&'a Exercise> {
    set.exercises
        .iter()
        .filter(|e| e.lesson == lesson)
        .collect()
}

impl App {
    /// The exercise open on the exercise screen.
    pub fn open_exercise(&self) -> Option<&Exercise> {
        self.ex.open.and_then(|i| self.exercises.exercises.get(i))
    }

    /// The exercise list, the selection on `first` of the lesson's exercises when given.
    pub fn show_exercises(&mut self, lesson: Option<&str>) {
        if let Some(l) = lesson
            && let Some(i) = self.exercises.exercises.iter().position(|e| e.lesson == l)
        {
            self.ex.selected = i;
        }
        if self.exercises.exercises.is_empty() {
            self.say("no exercises loaded", true);
            return;
        }
        self.screen = Screen::Exercises;
    }

    pub(super) fn exercises_act(&mut self, a: ListAction) -> Effect {
        match a {
            ListAction::Move(d) => self.ex.move_selection(d, self.exercises.exercises.len()),
            ListAction::Open => return self.open_exercise_at(self.ex.selected),
            ListAction::Back => self.screen = Screen::Home,
        }
        Effect::None
    }

    /// Opens exercise `i`: hints taken before stay revealed; a check or watch of another
    /// exercise stops.
    pub fn open_exercise_at(&mut self, i: usize) -> Effect {
        let Some(ex) = self.exercises.exercises.get(i) else {
            return Effect::None;
        };
        let stop = self.ex.busy();
        let hints = self.progress.exercise(&ex.id).map_or(0, |p| p.hints_shown);
        let dir = workspace::default_dir(ex);
        self.ex = super::exercises::Exercises {
            selected: i,
            open: Some(i),
            dir,
            hints: hints.min(ex.hints.len()),
            now_ns: self.ex.now_ns,
            ..Default::default()
        };
        self.screen = Screen::Exercise;
        if stop {
            Effect::Exercise(ExerciseOp::Watch(None))
        } else {
            Effect::None
        }
    }

    pub(super) fn exercise_act(&mut self, a: ExerciseAction) -> Effect {
        let Some(ex) = self.open_exercise() else {
            self.screen = Screen::Exercises;
            return Effect::None;
        };
        let (id, passed) = (
            ex.id.clone(),
            self.progress.exercise(&ex.id).is_some_and(|p| p.passed),
        );
        let n_hints = ex.hints.len();
        let needs_dir = matches!(
            a,
            ExerciseAction::Start
                | ExerciseAction::Check
                | ExerciseAction::Watch
                | ExerciseAction::Reset
        );
        let dir = match (&self.ex.dir, needs_dir) {
            (Some(d), _) => d.clone(),
            (None, false) => PathBuf::new(),
            (None, true) => {
                self.say(
                    "no data directory for a workspace: set PARLAB_DATA_DIR, or use `parlab exercise start ID DIR`",
                    true,
                );
                return Effect::None;
            }
        };
        match a {
            ExerciseAction::Start => {
                return Effect::Exercise(ExerciseOp::Start {
                    id,
                    dir,
                    force: false,
                });
            }
            ExerciseAction::Check => {
                if self.ex.checking.is_some() {
                    self.say("a check is running (Esc cancels it)", false);
                    return Effect::None;
                }
                return self.start_check(id, dir);
            }
            ExerciseAction::Watch => {
                self.ex.watching = !self.ex.watching;
                self.ex.due_ns = None;
                if !self.ex.watching {
                    self.say("stopped watching", false);
                    return Effect::Exercise(ExerciseOp::Watch(None));
                }
                let file = dir.join(
                    self.open_exercise()
                        .map_or_else(String::new, |e| e.workspace_file()),
                );
                self.say(
                    format!(
                        "watching {}: every save re-checks (w stops)",
                        file.display()
                    ),
                    false,
                );
                return Effect::Exercise(ExerciseOp::Watch(Some(file)));
            }
            ExerciseAction::Hint => {
                if self.ex.hints >= n_hints {
                    self.say("no more hints: that was the last one", false);
                } else {
                    self.ex.hints += 1;
                    let p = self.progress.exercise_mut(&id);
                    p.hints_shown = p.hints_shown.max(self.ex.hints);
                    self.say(format!("hint {} of {n_hints}", self.ex.hints), false);
                }
            }
            ExerciseAction::Reset => self.ex.confirm = Some(Confirm::Reset),
            ExerciseAction::Solution => {
                if passed {
                    self.ex.solution = !self.ex.solution;
                    self.ex.scroll = 0;
                } else {
                    self.say(
                        "the reference solution is shown after your program passes (c checks it)",
                        false,
                    );
                }
            }
            ExerciseAction::Dashboard => return self.show_exercise_run(),
            ExerciseAction::Next => {
                let next = self.ex.open.map_or(0, |i| i + 1);
                if next >= self.exercises.exercises.len() {
                    self.say("that was the last exercise", false);
                } else {
                    return self.open_exercise_at(next);
                }
            }
            ExerciseAction::Scroll(d) => {
                self.ex.scroll = (i64::from(self.ex.scroll) + d).clamp(0, 500) as u16;
            }
            ExerciseAction::Back => {
                if self.ex.checking.is_some() {
                    return Effect::Exercise(ExerciseOp::Cancel);
                }
                self.screen = Screen::Exercises;
                if self.ex.watching {
                    self.ex.watching = false;
                    return Effect::Exercise(ExerciseOp::Watch(None));
                }
            }
        }
        Effect::None
    }

    /// Whether the dashboard shows the learner's program from the exercise screen (where a
    /// watch keeps re-checking on every save).
    pub fn shows_exercise_run(&self) -> bool {
        self.screen == Screen::Dashboard && self.history.replaying == Some(Screen::Exercise)
    }

    /// The learner's program from the last check on the dashboard, as a replay whose Esc
    /// comes back here.
    fn show_exercise_run(&mut self) -> Effect {
        let (Some(run), Some(ex)) = (&self.ex.run, self.open_exercise()) else {
            self.say(
                "no run of your program yet: c checks it, and its first run is kept for d",
                false,
            );
            return Effect::None;
        };
        let title = format!("your program for exercise {}", ex.id);
        let rv = super::run::RunView::replay(run, &title);
        self.show_replay(rv, Screen::Exercise);
        Effect::None
    }

    fn start_check(&mut self, id: String, dir: PathBuf) -> Effect {
        // The run shown by `d` is always the latest check's (none when it does not build).
        self.ex.run = None;
        self.ex.checking = Some(Checking {
            since_ns: self.ex.now_ns,
            elapsed_ns: 0,
        });
        self.ex.due_ns = None;
        Effect::Exercise(ExerciseOp::Check { id, dir })
    }

    pub(super) fn confirm_act(&mut self, a: ConfirmAction) -> Effect {
        let asked = self.ex.confirm.take();
        let (Some(_), ConfirmAction::Yes) = (asked, a) else {
            self.say("kept your file", false);
            return Effect::None;
        };
        match (self.open_exercise(), &self.ex.dir) {
            (Some(ex), Some(dir)) => Effect::Exercise(ExerciseOp::Start {
                id: ex.id.clone(),
                dir: dir.clone(),
                force: true,
            }),
            _ => Effect::None,
        }
    }

    /// Takes in what the event loop did.
    pub(super) fn exercise_msg(&mut self, m: ExerciseMsg) -> Effect {
        self.dirty = true;
        match m {
            ExerciseMsg::Started(Ok(Started::Written(f))) => {
                self.mark_started();
                self.say(format!("wrote the starter to {}", f.display()), false);
            }
            ExerciseMsg::Started(Ok(Started::Kept(f, true))) => {
                self.mark_started();
                self.say(format!("{} is already the starter", f.display()), false);
            }
            ExerciseMsg::Started(Ok(Started::Kept(_, false))) => {
                self.ex.confirm = Some(Confirm::Overwrite);
            }
            ExerciseMsg::Started(Err(e)) => self.say(e, true),
            ExerciseMsg::Checked(r) => {
                self.ex.checking = None;
                match r {
                    Ok(v) => {
                        let id = v.id.clone();
                        self.progress.record_check(&id, v.passed, v.level);
                        if self.shows_exercise_run() {
                            // Watching from the dashboard: the verdict in a line, the whole
                            // of it one key away.
                            self.say(
                                format!("checked: {} · Esc shows the verdict", v.headline()),
                                !v.passed,
                            );
                            if let Some(s) = self.status.as_mut() {
                                s.lasting = true;
                            }
                        } else {
                            self.say(
                                if v.passed {
                                    "passed: v shows the reference solution, n the next exercise"
                                } else {
                                    "not passed yet: h shows a hint"
                                },
                                !v.passed,
                            );
                        }
                        // A verdict for an exercise no longer open is kept in progress only.
                        if self.open_exercise().is_some_and(|e| e.id == id) {
                            self.ex.verdict = Some(*v);
                        }
                    }
                    Err(e) => self.say(e, true),
                }
            }
            ExerciseMsg::Ran { id, run } => {
                if self.open_exercise().is_some_and(|e| e.id == id) {
                    self.ex.run = Some(run);
                    // A watch re-checked while the dashboard shows the program: the new run.
                    if self.shows_exercise_run() {
                        self.close_kept_replay();
                        return self.show_exercise_run();
                    }
                }
            }
            ExerciseMsg::Saved => {
                if self.ex.watching {
                    self.ex.due_ns = Some(self.ex.now_ns + workspace::DEBOUNCE.as_nanos() as u64);
                }
            }
            ExerciseMsg::WatchFailed(e) => {
                self.ex.watching = false;
                self.say(e, true);
            }
        }
        Effect::None
    }

    fn mark_started(&mut self) {
        if let Some(id) = self.open_exercise().map(|e| e.id.clone()) {
            self.progress.exercise_mut(&id);
        }
    }

    /// The clock moved: the check's elapsed time, and a save's check once it is due.
    pub(super) fn exercise_tick(&mut self, now_ns: u64) -> Effect {
        self.ex.now_ns = now_ns;
        if let Some(c) = self.ex.checking.as_mut() {
            if c.since_ns == 0 {
                c.since_ns = now_ns;
            }
            c.elapsed_ns = now_ns.saturating_sub(c.since_ns);
            self.dirty = true;
        }
        let due = self.ex.due_ns.is_some_and(|d| now_ns >= d);
        if due
            && self.ex.checking.is_none()
            && (self.screen == Screen::Exercise || self.shows_exercise_run())
            && let (Some(ex), Some(dir)) = (self.open_exercise(), self.ex.dir.clone())
        {
            let id = ex.id.clone();
            self.say("saved: checking", false);
            return self.start_check(id, dir);
        }
        Effect::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_shows_exactly_the_keys_dispatched() {
        crate::app::keys::check::table(&EXERCISES_KEYS);
        crate::app::keys::check::table(&EXERCISE_KEYS);
        crate::app::keys::check::table(&CONFIRM_KEYS);
    }
}
