//! Routing: a key goes to the table of the screen showing (the lesson list, its filter, the
//! reader, the dashboard, the parameter editor, a value being typed), the same table the
//! footer and the `?` help are drawn from; global keys first.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use super::dashboard_keys::DashAction;
use super::exercise_keys::{CONFIRM_KEYS, EXERCISE_KEYS, EXERCISES_KEYS};
use super::history::HISTORY_KEYS;
use super::home::{FILTER_KEYS, HOME_KEYS, HomeAction};
use super::keys::{Described, Global, Help, Hit, Table};
use super::learn_keys::{PREDICT_KEYS, QUIZ_KEYS};
use super::lecture_keys::LECTURE_KEYS;
use super::params::{EDIT_KEYS, Outcome, PARAMS_KEYS};
use super::reader::{READER_KEYS, ReaderAction};
use super::sweep::SWEEP_KEYS;
use super::{App, Effect, Focus, Screen};

/// Which table is in force.
enum Keys {
    Predict,
    Quiz,
    Home,
    Filter,
    Reader,
    Dashboard,
    Params,
    Edit,
    Runs,
    Sweep,
    Lecture,
    Confirm,
    Exercises,
    Exercise,
}

impl App {
    fn keys_in_force(&self) -> Keys {
        // The student dialogs sit over any screen and take every key.
        if self.learn.asking.is_some() {
            return Keys::Predict;
        }
        if self.learn.quiz.is_some() {
            return Keys::Quiz;
        }
        if self.ex.confirm.is_some() && self.screen == Screen::Exercise {
            return Keys::Confirm;
        }
        match self.screen {
            Screen::Home if self.home.filtering => Keys::Filter,
            Screen::Home => Keys::Home,
            Screen::Reader => Keys::Reader,
            Screen::Dashboard if self.dash.focus == Focus::Params && !self.dash.replay_only => {
                if self.params.editing.is_some() {
                    Keys::Edit
                } else {
                    Keys::Params
                }
            }
            Screen::Dashboard => Keys::Dashboard,
            Screen::Runs => Keys::Runs,
            Screen::Sweep => Keys::Sweep,
            Screen::Lecture => Keys::Lecture,
            Screen::Exercises => Keys::Exercises,
            Screen::Exercise => Keys::Exercise,
        }
    }

    fn table(&self) -> &'static dyn Described {
        match self.keys_in_force() {
            Keys::Predict => &PREDICT_KEYS,
            Keys::Quiz => &QUIZ_KEYS,
            Keys::Home => &HOME_KEYS,
            Keys::Filter => &FILTER_KEYS,
            Keys::Reader => &READER_KEYS,
            Keys::Dashboard => self.dash_keys(),
            Keys::Params => &PARAMS_KEYS,
            Keys::Edit => &EDIT_KEYS,
            Keys::Runs => &HISTORY_KEYS,
            Keys::Sweep => &SWEEP_KEYS,
            Keys::Lecture => &LECTURE_KEYS,
            Keys::Confirm => &CONFIRM_KEYS,
            Keys::Exercises => &EXERCISES_KEYS,
            Keys::Exercise => &EXERCISE_KEYS,
        }
    }

    /// The keys of the screen showing, for the footer and the help overlay: its name and
    /// its lines (own keys, then global ones). The same tables dispatch the keys.
    pub fn keys_help(&self) -> (&'static str, Vec<Help>) {
        let t = self.table();
        (t.name(), t.lines())
    }

    pub(super) fn key(&mut self, k: &KeyEvent) -> Effect {
        if self.help {
            self.help = false;
            let ctrl_c = k.modifiers.contains(KeyModifiers::CONTROL)
                && matches!(k.code, KeyCode::Char('c' | 'C'));
            return if ctrl_c { Effect::Quit } else { Effect::None };
        }
        let typed = match k.code {
            KeyCode::Char(c) => Some(c),
            _ => None,
        };
        let shift = k.modifiers.contains(KeyModifiers::SHIFT);
        match self.keys_in_force() {
            Keys::Predict => self.found(PREDICT_KEYS.find(k), |a, me| me.predict_act(a, typed)),
            Keys::Quiz => self.found(QUIZ_KEYS.find(k), |a, me| me.quiz_act(a, typed)),
            Keys::Home => self.found(HOME_KEYS.find(k), |a, me| me.home_act(a)),
            Keys::Filter => self.found(FILTER_KEYS.find(k), |a, me| {
                me.home.filter_act(a, typed, &me.lessons);
                Effect::None
            }),
            Keys::Reader => self.found(READER_KEYS.find(k), |a, me| me.reader_act(a)),
            Keys::Dashboard => self.found(self.dash_keys().find(k), |a, me| me.dash_act(a, shift)),
            Keys::Params => self.found(PARAMS_KEYS.find(k), |a, me| {
                if let Some(why) = me.knob_refusal(a) {
                    me.say(why, true);
                    return Effect::None;
                }
                let out = me.params.act(a);
                me.params_outcome(out)
            }),
            Keys::Edit => self.found(EDIT_KEYS.find(k), |a, me| {
                let out = me.params.edit(a, typed);
                me.params_outcome(out)
            }),
            Keys::Runs => self.found(HISTORY_KEYS.find(k), |a, me| me.history_act(a)),
            Keys::Sweep => self.found(SWEEP_KEYS.find(k), |a, me| me.sweep_act(a)),
            Keys::Lecture => self.found(LECTURE_KEYS.find(k), |a, me| me.lecture_act(a)),
            Keys::Confirm => self.found(CONFIRM_KEYS.find(k), |a, me| me.confirm_act(a)),
            Keys::Exercises => self.found(EXERCISES_KEYS.find(k), |a, me| me.exercises_act(a)),
            Keys::Exercise => self.found(EXERCISE_KEYS.find(k), |a, me| me.exercise_act(a)),
        }
    }

    fn found<A>(&mut self, hit: Option<Hit<A>>, own: impl FnOnce(A, &mut App) -> Effect) -> Effect {
        match hit {
            None => Effect::None,
            Some(Hit::Global(Global::Help)) => {
                self.help = true;
                Effect::None
            }
            Some(Hit::Global(Global::Theme)) => {
                self.theme = self.theme.toggled();
                Effect::None
            }
            Some(Hit::Global(Global::Quit)) => Effect::Quit,
            Some(Hit::Own(a)) => own(a, self),
        }
    }

    pub(super) fn mouse(&mut self, m: MouseEvent) -> Effect {
        let up = match m.kind {
            MouseEventKind::ScrollUp => true,
            MouseEventKind::ScrollDown => false,
            _ => return Effect::None,
        };
        self.dirty = true;
        match self.keys_in_force() {
            Keys::Home => wheel(&HOME_KEYS, up).map_or(Effect::None, |a| self.home_act(a)),
            Keys::Filter => {
                if let Some(a) = wheel(&FILTER_KEYS, up) {
                    self.home.filter_act(a, None, &self.lessons);
                }
                Effect::None
            }
            Keys::Reader => wheel(&READER_KEYS, up).map_or(Effect::None, |a| self.reader_act(a)),
            Keys::Runs => wheel(&HISTORY_KEYS, up).map_or(Effect::None, |a| self.history_act(a)),
            Keys::Exercises => {
                wheel(&EXERCISES_KEYS, up).map_or(Effect::None, |a| self.exercises_act(a))
            }
            Keys::Exercise => {
                wheel(&EXERCISE_KEYS, up).map_or(Effect::None, |a| self.exercise_act(a))
            }
            Keys::Sweep | Keys::Predict | Keys::Quiz | Keys::Lecture | Keys::Confirm => {
                Effect::None
            }
            // The wheel zooms the timeline whichever panel has the keyboard.
            Keys::Dashboard | Keys::Params | Keys::Edit => {
                wheel(self.dash_keys(), up).map_or(Effect::None, |a| self.dash_act(a, false))
            }
        }
    }

    fn home_act(&mut self, a: HomeAction) -> Effect {
        match self.home.act(a, &self.lessons) {
            Some(HomeAction::Open) => self.open_lesson(),
            Some(HomeAction::Run) => {
                self.open_lesson();
                if self.reader.open.is_some() {
                    return self.start_run();
                }
                Effect::None
            }
            Some(HomeAction::Runs) => Effect::LoadRuns,
            Some(HomeAction::Exercises) => {
                self.show_exercises(None);
                Effect::None
            }
            Some(HomeAction::Quit) => Effect::Quit,
            _ => Effect::None,
        }
    }

    fn reader_act(&mut self, a: ReaderAction) -> Effect {
        match self.reader.act(a) {
            Some(ReaderAction::Back) => self.screen = Screen::Home,
            Some(ReaderAction::Run) => return self.start_run(),
            Some(ReaderAction::Runs) => return Effect::LoadRuns,
            Some(ReaderAction::Sweep) => return self.start_sweep(),
            Some(ReaderAction::Watch) => return self.watch_python(),
            Some(ReaderAction::Challenge) => self.toggle_challenge(),
            Some(ReaderAction::Quiz) => self.open_quiz(),
            Some(ReaderAction::Exercises) => {
                let lesson = self.open_lesson_ref().map(|l| l.id.clone());
                self.show_exercises(lesson.as_deref());
            }
            Some(ReaderAction::Dashboard) => match self.lesson_runs().last() {
                None => self.say("no run yet: press r to run this lesson's demo", false),
                Some(last) => {
                    self.shown = *last;
                    self.screen = Screen::Dashboard;
                }
            },
            _ => {}
        }
        Effect::None
    }

    fn dash_act(&mut self, a: DashAction, shift: bool) -> Effect {
        let run = self.runs.get_mut(self.shown);
        match self.dash.act(a, run, shift) {
            Some(DashAction::Run) if self.shows_watch() => return self.watch_again(),
            Some(DashAction::Run) => return self.start_run(),
            Some(DashAction::Cancel) if self.running() => return self.cancel_run(),
            Some(DashAction::Runs) => return Effect::LoadRuns,
            Some(DashAction::Sweep) => return self.start_sweep(),
            Some(DashAction::Cancel | DashAction::Back) => {
                if self.close_kept_replay() {
                    return Effect::None;
                }
                if self.dash.replay_only {
                    return Effect::Quit;
                }
                self.screen = Screen::Reader;
            }
            Some(DashAction::Browse(d)) => self.browse_runs(d),
            Some(DashAction::Present) => self.present = !self.present,
            Some(DashAction::ToEnd) => {
                if let Some(p) = self
                    .runs
                    .get_mut(self.shown)
                    .and_then(|r| r.player.as_mut())
                {
                    p.jump_to_end();
                }
                self.pump_replay(0);
            }
            _ => {}
        }
        Effect::None
    }

    fn params_outcome(&mut self, out: Outcome) -> Effect {
        match out {
            Outcome::None => {}
            Outcome::Done => self.dash.focus = Focus::Timeline,
            Outcome::Run => {
                self.dash.focus = Focus::Timeline;
                return self.start_run();
            }
            Outcome::Say(text, error) => self.say(text, error),
        }
        Effect::None
    }
}

fn wheel<A: Copy>(t: &Table<A>, up: bool) -> Option<A> {
    t.wheel(up)
}
