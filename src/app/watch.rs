//! Watching a program on the dashboard: the run view a watch fills, and the reader's `w`,
//! which runs the open lesson's first Python block under the observer.

use std::time::Duration;

use super::dashboard::WATCH_KEYS;
use super::dashboard_keys::DashAction;
use super::keys::Table;
use super::run::RunView;
use super::{App, Effect, Focus, LowerTab, Screen};
use crate::lesson::Block;
use crate::observe::WatchOptions;

/// The demo name a watched program's run view carries.
pub const WATCH_DEMO: &str = "watch";

/// Time between readings of a watched program from the dashboard.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(20);

/// What it takes to watch a program again: its titles, the options, and a lesson's Python
/// program (lesson id, code) when it was one.
#[derive(Clone, Debug)]
pub struct Rerun {
    /// The dashboard's title.
    pub title: String,
    /// The program's short label.
    pub label: String,
    /// How it was watched.
    pub opts: WatchOptions,
    /// The lesson's Python program, written to its file again on each watch.
    pub python: Option<(String, String)>,
}

impl App {
    /// True when the run shown is a watched program, live or just finished (a replay of one,
    /// such as an exercise check's run, has a replay's keys: nothing to watch again).
    pub fn shows_watch(&self) -> bool {
        self.runs
            .get(self.shown)
            .is_some_and(|r| r.watched() && r.player.is_none())
    }

    /// The dashboard's keys in force: a maximized panel's, a watched program's, a replay's or a
    /// live run's.
    pub fn dash_keys(&self) -> &'static Table<DashAction> {
        if self.dash.maximized {
            &super::dashboard::MAXIMIZED_KEYS
        } else if self.shows_watch() {
            &WATCH_KEYS
        } else if self.history.replaying.is_some() {
            &super::dashboard::REPLAY_OPENED_KEYS
        } else {
            self.dash.keys()
        }
    }

    /// `r` on a watched program: the same program again, on a fresh run view.
    pub fn watch_again(&mut self) -> Effect {
        if self.running() {
            self.say("the program is still running: Esc stops it", true);
            return Effect::None;
        }
        let Some(r) = self.rerun.clone() else {
            return Effect::None;
        };
        self.begin_watch(&r.title, &r.label);
        Effect::Watch {
            opts: r.opts,
            python: r.python,
        }
    }

    /// A fresh live run view for watching `label`, shown on the dashboard.
    pub fn begin_watch(&mut self, title: &str, label: &str) {
        let mut rv = RunView::new(
            title,
            WATCH_DEMO,
            crate::engine::Params::default(),
            1,
            self.machine.clone(),
        );
        rv.variants = vec![label.to_string()];
        if self.runs.len() >= super::runs::MAX_RUNS {
            self.runs.remove(0);
        }
        self.runs.push(rv);
        self.shown = self.runs.len() - 1;
        self.live = Some(self.shown);
        self.screen = Screen::Dashboard;
        self.dash.focus = Focus::Timeline;
        self.dash.lower_tab = LowerTab::Results;
        self.say(
            format!("watching {label}: one row per thread (running, waiting for a CPU, blocked); Esc stops it"),
            false,
        );
    }

    /// The reader's `w`: the lesson's first Python block, run with `python3` under the
    /// observer.
    pub fn watch_python(&mut self) -> Effect {
        if self.running() {
            self.say("a run is in progress: Esc cancels it", true);
            return Effect::None;
        }
        if !self.python3 {
            self.say(
                "python3 is not installed: the lesson's Python cannot run here (r still runs the demo)",
                true,
            );
            return Effect::None;
        }
        let Some(lesson) = self.open_lesson_ref() else {
            return Effect::None;
        };
        let code = lesson.blocks.iter().find_map(|b| match b {
            Block::Code(c) => c.python.clone(),
            Block::Text(_) => None,
        });
        let Some(code) = code else {
            self.say("this lesson has no Python program to watch", true);
            return Effect::None;
        };
        let (id, title) = (lesson.id.clone(), lesson.title.clone());
        let label = format!("python3 {id}.py");
        let rerun = Rerun {
            title: format!("{title} (Python, watched)"),
            label,
            opts: WatchOptions {
                cmd: vec!["python3".into()],
                interval: WATCH_INTERVAL,
                stdin: false,
                echo: false,
                reading: crate::observe::Reading::default(),
            },
            python: Some((id, code)),
        };
        self.rerun = Some(rerun.clone());
        self.begin_watch(&rerun.title, &rerun.label);
        Effect::Watch {
            opts: rerun.opts,
            python: rerun.python,
        }
    }

    /// The student's latest Python run of `lesson`, when there is one.
    pub fn python_run(&self, lesson: &str) -> Option<&crate::lesson::pyrun::PyRun> {
        self.python_runs.iter().find(|r| r.lesson == lesson)
    }

    /// A lesson's Python program finished under the observer: its figures fill the lesson
    /// text from now on.
    pub fn python_ran(&mut self, run: crate::lesson::pyrun::PyRun) {
        crate::lesson::pyrun::replace(&mut self.python_runs, run);
        self.dirty = true;
    }
}
