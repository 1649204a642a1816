//! The runs the app keeps (at most [`MAX_RUNS`]): opening a lesson's settings, starting,
//! cancelling and following a live run, feeding a replay, and choosing the run shown.

use super::run::{RunState, RunView};
use super::settings::Settings;
use super::{App, Effect, Focus, LowerTab, Screen};
use crate::engine::RunRequest;
use crate::event::Event;
use crate::progress::LessonStatus;

/// Runs kept in memory for comparison (the oldest is dropped beyond this).
pub const MAX_RUNS: usize = 6;

impl App {
    /// Opens the selected lesson in the reader (its settings fresh when it changed).
    pub fn open_lesson(&mut self) -> Effect {
        let sel = self.home.selected;
        let Some(lesson) = self.lesson(sel).cloned() else {
            return Effect::None;
        };
        if self.reader.open != Some(sel) || self.params.settings.is_none() {
            self.params.settings = None;
            match crate::demos::find(&lesson.demo) {
                Some(demo) => {
                    let (s, problems) = Settings::for_lesson(demo, &lesson, self.machine.cores);
                    self.params.settings = Some(s);
                    if let Some(p) = problems.first() {
                        self.say(p.clone(), true);
                    }
                }
                None => self.say(
                    format!(
                        "lesson {}: there is no demo called `{}`",
                        lesson.id, lesson.demo
                    ),
                    true,
                ),
            }
            self.reader.scroll = 0;
            self.params.row = 0;
        }
        self.reader.open = Some(sel);
        self.screen = Screen::Reader;
        self.progress.last_opened = Some(lesson.id);
        Effect::None
    }

    /// Indices of the runs of the open lesson (all runs when none is open).
    pub fn lesson_runs(&self) -> Vec<usize> {
        let Some(demo) = self.open_lesson_ref().map(|l| l.demo.clone()) else {
            return (0..self.runs.len()).collect();
        };
        (0..self.runs.len())
            .filter(|i| self.runs[*i].demo == demo)
            .collect()
    }

    fn mark_open_lesson(&mut self, st: LessonStatus) {
        if let Some(id) = self.open_lesson_ref().map(|l| l.id.clone()) {
            self.progress.mark(&id, st);
        }
    }

    /// Starts a run of the open lesson with the current settings.
    pub fn start_run(&mut self) -> Effect {
        if self.running() || self.sweeping() {
            self.say("a run is in progress: Esc cancels it", true);
            self.screen = Screen::Dashboard;
            return Effect::None;
        }
        let Some(s) = self.params.settings.clone() else {
            self.say("this lesson has no demo to run", true);
            return Effect::None;
        };
        if self.ask_predictions_first() {
            return Effect::None;
        }
        if let Err(e) = s.check_memory(self.machine.memory_bytes) {
            self.say(e, true);
            return Effect::None;
        }
        let info = s.demo.info();
        let title = self
            .open_lesson_ref()
            .map_or_else(|| info.title.to_string(), |l| l.title.clone());
        let mut rv = RunView::new(
            &title,
            info.id,
            s.params.clone(),
            s.workers,
            self.machine.clone(),
        );
        rv.variants = info.variants.iter().map(|v| v.name.to_string()).collect();
        rv.lesson = self
            .open_lesson_ref()
            .map_or_else(String::new, |l| l.id.clone());
        if self.runs.len() >= MAX_RUNS {
            self.runs.remove(0);
        }
        self.runs.push(rv);
        self.shown = self.runs.len() - 1;
        self.live = Some(self.shown);
        self.screen = Screen::Dashboard;
        self.dash.focus = Focus::Timeline;
        self.dash.lower_tab = LowerTab::Results;
        self.dash.panel = None;
        self.dash.maximized = false;
        self.dash.reset_scroll();
        self.mark_open_lesson(LessonStatus::Run);
        let plural = if s.workers == 1 { "" } else { "s" };
        self.say(
            format!(
                "running {} with {} worker{plural}: Esc cancels",
                info.id, s.workers
            ),
            false,
        );
        Effect::Start {
            req: RunRequest {
                demo: s.demo,
                params: s.params.clone(),
                workers: s.workers,
                variants: s.variants(),
                repeats: None,
                reference: None,
            },
        }
    }

    /// Asks the live run to stop; what completed stays on screen.
    pub(super) fn cancel_run(&mut self) -> Effect {
        if let Some(r) = self.live.and_then(|i| self.runs.get_mut(i)) {
            r.cancelling = true;
        }
        self.say("cancelling… (what completed stays on screen)", false);
        Effect::Cancel
    }

    /// Takes in one event of the live run.
    pub(super) fn engine(&mut self, ev: Event) -> Effect {
        if let Some(s) = self.sweep.as_mut().filter(|s| s.running()) {
            s.apply(ev);
            self.dirty = true;
            return Effect::None;
        }
        let Some(li) = self.live else {
            return Effect::None;
        };
        let Some(run) = self.runs.get_mut(li) else {
            return Effect::None;
        };
        let done = matches!(ev, Event::Finished(_));
        run.apply(ev);
        self.dirty = true;
        if done {
            self.live = None;
            let (state, title) = (run.state.clone(), run.title.clone());
            self.mark_open_lesson(if state == RunState::Done {
                LessonStatus::Done
            } else {
                LessonStatus::Run
            });
            let msg = match state {
                RunState::Cancelled => format!("{title}: cancelled; what completed is shown"),
                _ => format!("{title}: finished. r runs again, p changes parameters"),
            };
            self.say(msg, false);
            self.learn_after_run(li);
            if let Some(entry) = self.runs.get(li).and_then(crate::runstore::StoredRun::of) {
                return Effect::Keep { run: li, entry };
            }
        }
        Effect::None
    }

    /// A finished run was written to the data directory (or not: said once, never fatal).
    pub(super) fn kept(&mut self, r: Result<Box<crate::runstore::StoredRun>, String>) {
        match r {
            Ok(run) => {
                if !self.history.runs.is_empty() {
                    self.history.runs.insert(0, *run);
                }
            }
            Err(e) => self.say(format!("this run was not kept: {e}"), true),
        }
    }

    /// The live run's runner thread died without a report.
    pub(super) fn runner_gone(&mut self, why: String) {
        if let Some(i) = self.live.take()
            && let Some(r) = self.runs.get_mut(i)
        {
            r.fail(why.clone());
            self.say(format!("the run failed: {why}"), true);
            self.dirty = true;
        }
    }

    /// Feeds the shown replay whatever became due.
    pub(super) fn pump_replay(&mut self, dt_ns: u64) {
        let Some(run) = self.runs.get_mut(self.shown) else {
            return;
        };
        let Some(p) = run.player.as_mut() else {
            return;
        };
        if p.at_end() && p.pos >= p.end {
            return;
        }
        p.advance(dt_ns);
        let pos = p.pos;
        let (evs, smps) = p.due();
        for e in evs {
            run.apply(e);
        }
        for s in smps {
            run.push_sample(s);
        }
        run.set_now(pos);
        self.dirty = true;
    }

    /// Shows the previous (`d` < 0) or next run of the open lesson.
    pub(super) fn browse_runs(&mut self, d: i64) {
        let runs = self.lesson_runs();
        if runs.is_empty() {
            return;
        }
        let at = runs
            .iter()
            .position(|i| *i == self.shown)
            .unwrap_or(runs.len() - 1) as i64;
        let n = (at + d).clamp(0, runs.len() as i64 - 1) as usize;
        self.shown = runs[n];
        self.say(format!("showing run {} of {}", n + 1, runs.len()), false);
    }
}
