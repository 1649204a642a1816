//! Watching a program on the dashboard: the run view a watch fills, and the reader's `w`,
//! which runs the open lesson's first Python block under the observer.

use std::time::Duration;

use super::run::RunView;
use super::{App, Effect, Focus, LowerTab, Screen};
use crate::lesson::Block;
use crate::observe::WatchOptions;

/// Time between readings of a watched program from the dashboard.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(20);

impl App {
    /// A fresh live run view for watching `label`, shown on the dashboard.
    pub fn begin_watch(&mut self, title: &str, label: &str) {
        let mut rv = RunView::new(
            title,
            "watch",
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
        self.begin_watch(&format!("{title} (Python, watched)"), &label);
        Effect::Watch {
            opts: WatchOptions {
                cmd: vec!["python3".into()],
                interval: WATCH_INTERVAL,
                stdin: false,
                echo: false,
                reading: crate::observe::Reading::default(),
            },
            python: Some((id, code)),
        }
    }
}
