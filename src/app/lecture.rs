//! A lecture presented in the TUI (`parlab present FILE`): which step is on screen and what
//! entering a step does (a lesson opened with the step's parameters, its run started, a sweep,
//! a replay of a recorded trace, a note). A step whose run or sweep is still going when the
//! instructor moves on is cancelled first; the new step starts once it has stopped.

use crate::engine::admission;
use crate::lecture::{Deck, DeckStep, Kind};

use super::lecture_keys::LectureAction;
use super::run::RunView;
use super::{App, Effect, Screen};

/// The lecture being presented.
#[derive(Clone, Debug)]
pub struct Lecture {
    /// The loaded lecture.
    pub deck: Deck,
    /// The step on screen (index into `deck.steps`).
    pub at: usize,
    /// The step whose run, sweep or replay is the one shown (so a step never shows another
    /// step's numbers while its own has not started).
    pub shown_for: Option<usize>,
    /// The step on screen waits for the previous step's run to stop before it starts.
    pub pending: bool,
}

impl Lecture {
    /// The step on screen.
    pub fn step(&self) -> Option<&DeckStep> {
        self.deck.steps.get(self.at)
    }

    /// "3/7": the position shown in the header.
    pub fn position(&self) -> String {
        format!("{}/{}", self.at + 1, self.deck.steps.len())
    }
}

impl App {
    /// Presents `deck` on its first step, which starts on the first tick.
    pub fn for_lecture(
        deck: Deck,
        lessons: crate::lesson::LessonSet,
        machine: crate::machine::Machine,
        theme: super::ThemeKind,
    ) -> App {
        let mut app = App::new(
            lessons,
            crate::progress::Progress::default(),
            machine,
            theme,
        );
        app.lecture = Some(Lecture {
            deck,
            at: 0,
            shown_for: None,
            pending: true,
        });
        app.screen = Screen::Lecture;
        app
    }

    pub(super) fn lecture_act(&mut self, a: LectureAction) -> Effect {
        let Some(l) = &self.lecture else {
            return Effect::None;
        };
        let (at, n) = (l.at as i64, l.deck.steps.len() as i64);
        match a {
            LectureAction::Move(d) => {
                let to = (at + d).clamp(0, n - 1);
                if to == at {
                    let edge = if d > 0 { "last" } else { "first" };
                    self.say(format!("this is the {edge} step"), false);
                    return Effect::None;
                }
                self.enter_step(to as usize)
            }
            LectureAction::Jump(k) if (k as i64) <= n => self.enter_step(k - 1),
            LectureAction::Jump(k) => {
                self.say(format!("there is no step {k}: this lecture has {n}"), true);
                Effect::None
            }
            LectureAction::Again => {
                if l.step().is_some_and(|s| s.step.kind == Kind::Note) {
                    self.say("a note has nothing to run: → goes on", false);
                    return Effect::None;
                }
                if self.running() || self.sweeping() {
                    self.say("the step is still running: Esc cancels it", true);
                    return Effect::None;
                }
                self.start_step()
            }
            LectureAction::Cancel if self.running() || self.sweeping() => {
                if let Some(l) = self.lecture.as_mut() {
                    l.pending = false;
                }
                self.cancel_run()
            }
            LectureAction::Cancel => Effect::None,
            LectureAction::Quit => Effect::Quit,
        }
    }

    /// Puts step `i` on screen and starts it, or cancels what is still running first.
    fn enter_step(&mut self, i: usize) -> Effect {
        let busy = self.running() || self.sweeping();
        let Some(l) = self.lecture.as_mut() else {
            return Effect::None;
        };
        l.at = i.min(l.deck.steps.len().saturating_sub(1));
        l.pending = false;
        self.dirty = true;
        self.status = None;
        if busy {
            if let Some(l) = self.lecture.as_mut() {
                l.pending = true;
            }
            let effect = self.cancel_run();
            self.say("stopping the previous step's run…", false);
            return effect;
        }
        self.start_step()
    }

    /// Starts the step on screen once the previous one's run has stopped (called each tick).
    pub(super) fn lecture_tick(&mut self) -> Effect {
        let waiting = self.lecture.as_ref().is_some_and(|l| l.pending);
        if !waiting || self.running() || self.sweeping() {
            return Effect::None;
        }
        if let Some(l) = self.lecture.as_mut() {
            l.pending = false;
        }
        self.status = None;
        self.start_step()
    }

    /// A step's run finished: the footer says what the lecture's keys do next (a run the
    /// instructor left behind ends silently).
    pub(super) fn lecture_run_ended(&mut self) {
        let Some(l) = &self.lecture else {
            return;
        };
        if l.pending {
            self.status = None;
        } else if self.status.as_ref().is_some_and(|s| !s.error) {
            let last = if l.at + 1 == l.deck.steps.len() {
                "q ends the lecture"
            } else {
                "→ next step"
            };
            self.say(format!("finished: r runs it again, {last}"), false);
        }
    }

    /// Does what the step on screen does: opens its lesson, runs, sweeps or replays.
    fn start_step(&mut self) -> Effect {
        let Some(l) = &self.lecture else {
            return Effect::None;
        };
        let at = l.at;
        let Some(s) = l.step().cloned() else {
            return Effect::None;
        };
        if s.problem.is_some() {
            // The screen shows the problem; nothing runs.
            return Effect::None;
        }
        let effect = match s.step.kind {
            Kind::Note => return Effect::None,
            Kind::Replay => {
                self.start_replay(&s);
                Effect::None
            }
            Kind::Lesson | Kind::Run | Kind::Sweep => {
                if !self.open_step_lesson(&s) {
                    return Effect::None;
                }
                match s.step.kind {
                    Kind::Lesson => {
                        self.screen = Screen::Lecture;
                        return Effect::None;
                    }
                    Kind::Sweep => self.start_sweep_over(s.counts.clone()),
                    _ => self.start_run(),
                }
            }
        };
        self.screen = Screen::Lecture;
        if let Some(l) = self.lecture.as_mut() {
            l.shown_for = Some(at);
        }
        effect
    }

    /// Opens the step's lesson with the step's parameters over the lesson's own; false (with
    /// the reason in the footer) when one is refused.
    fn open_step_lesson(&mut self, s: &DeckStep) -> bool {
        let Some(id) = &s.step.lesson else {
            return false;
        };
        let Some(i) = self.lessons.lessons.iter().position(|l| &l.id == id) else {
            self.say(format!("{}: unknown lesson `{id}`", s.place), true);
            return false;
        };
        self.home.selected = i;
        self.params.settings = None;
        self.open_lesson();
        self.screen = Screen::Lecture;
        let Some(set) = self.params.settings.as_mut() else {
            return false;
        };
        for (k, v) in &s.step.params {
            let text = match v {
                toml::Value::String(t) => t.clone(),
                other => other.to_string(),
            };
            let r = admission::set(set.demo, &mut set.params, &mut set.workers, k, &text);
            if let Err(e) = r {
                let msg = format!("{}: parameter `{k}`: {e}", s.place);
                self.say(msg, true);
                return false;
            }
        }
        if let Some(toml::Value::Integer(w)) = s.step.workers {
            set.workers = (w.max(1) as usize).min(admission::MAX_WORKERS);
        }
        true
    }

    /// Shows the step's recorded trace from its start.
    fn start_replay(&mut self, s: &DeckStep) {
        let Some(rec) = &s.replay else {
            return;
        };
        // The file's name, not its path: the projected title stays short.
        let trace = std::path::Path::new(s.step.trace.as_deref().unwrap_or("trace"));
        let source = trace.file_name().map_or_else(
            || trace.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let rv = RunView::replay(rec, &source);
        self.runs.push(rv);
        self.shown = self.runs.len() - 1;
        self.pump_replay(0);
    }
}
