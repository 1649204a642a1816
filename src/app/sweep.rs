//! The Sweep view's state: the open lesson's demo run at several worker counts (one run per
//! count, on the live-run machinery), its progress, and the speedup series with their Amdahl
//! fits as [`crate::report::sweep_run::series`] computes them for `parlab sweep` too.

use crossterm::event::KeyCode;

use super::keys::{Binding, GLOBAL, Table, b, ch, code};
use super::run::RunState;
use super::{App, Effect, Screen};
use crate::engine::{Params, RunReport, RunRequest};
use crate::event::Event;
use crate::report::sweep::SweepSeries;
use crate::report::sweep_run::{default_counts, series};

/// What a key does in the Sweep view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepAction {
    /// Cancel a running sweep, else go back.
    Back,
    /// Sweep again.
    Again,
}

const SWEEP: &[Binding<SweepAction>] = &[
    b(
        "Esc q",
        "cancel the sweep (what completed stays), else back",
        "cancel/back",
        &[
            (code(KeyCode::Esc), SweepAction::Back),
            (ch('q'), SweepAction::Back),
        ],
    ),
    b(
        "r",
        "sweep again",
        "again",
        &[(ch('r'), SweepAction::Again)],
    ),
];

/// The Sweep view's keys.
pub const SWEEP_KEYS: Table<SweepAction> = Table {
    name: "Sweep",
    own: SWEEP,
    global: GLOBAL,
};

/// A sweep over worker counts.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepView {
    /// Lesson title.
    pub title: String,
    /// Demo id.
    pub demo: String,
    /// Parameter values (the same at every count).
    pub params: Params,
    /// Worker counts, in the order they run.
    pub counts: Vec<usize>,
    /// Logical cores of this machine.
    pub cores: usize,
    /// One report per count that completed.
    pub reports: Vec<RunReport>,
    /// The count running now.
    pub at_workers: Option<usize>,
    /// The variant running now.
    pub variant: Option<String>,
    /// Items done and total of the current pass.
    pub progress: (u64, u64),
    /// Where it is.
    pub state: RunState,
    /// Speedup over workers, per parallel variant, fitted.
    pub series: Vec<SweepSeries>,
    /// The screen to go back to.
    pub from: Screen,
}

impl SweepView {
    /// True while counts are still running.
    pub fn running(&self) -> bool {
        self.state == RunState::Running
    }

    /// Takes in one event of the sweep's runs.
    pub fn apply(&mut self, ev: Event) {
        match ev {
            Event::RunStarted { workers, .. } => self.at_workers = Some(workers),
            Event::PassStarted(p) => {
                self.variant = Some(p.variant.clone());
                self.progress = (0, 0);
            }
            Event::Progress { done, total, .. } => self.progress = (done, total),
            Event::Finished(r) => {
                self.reports.push(*r);
                self.series = series(&self.reports);
            }
            _ => {}
        }
    }

    /// The runs ended (all counts, a cancel, or no reference to measure against).
    pub fn ended(&mut self) {
        let cancelled = self.reports.iter().any(|r| r.cancelled);
        self.state = if cancelled {
            RunState::Cancelled
        } else if self.reports.len() < self.counts.len() {
            RunState::Failed(
                "stopped early: the sequential answer could not be checked, so there is no reference"
                    .into(),
            )
        } else {
            RunState::Done
        };
        self.at_workers = None;
        self.variant = None;
    }
}

impl App {
    /// Whether a sweep is running.
    pub fn sweeping(&self) -> bool {
        self.sweep.as_ref().is_some_and(SweepView::running)
    }

    /// Starts a sweep of the open lesson's demo over worker counts up to twice the cores
    /// (fewer when the admission rule's memory budget says so).
    pub fn start_sweep(&mut self) -> Effect {
        self.start_sweep_over(None)
    }

    /// Starts a sweep over `counts` (a lecture's own), else over the default counts.
    pub fn start_sweep_over(&mut self, counts: Option<Vec<usize>>) -> Effect {
        if self.running() || self.sweeping() {
            self.say(
                "a run is in progress: wait for it or cancel it with Esc",
                true,
            );
            return Effect::None;
        }
        let Some(s) = self.params.settings.clone() else {
            self.say("this lesson has no demo to sweep", true);
            return Effect::None;
        };
        let max = crate::engine::admission::MAX_WORKERS;
        let mut counts = counts.unwrap_or_else(|| default_counts(self.machine.cores, max));
        while counts.len() > 1 {
            let mut top = s.clone();
            top.workers = counts.last().copied().unwrap_or(1);
            if top.check_memory(self.machine.memory_bytes).is_ok() {
                break;
            }
            counts.pop();
        }
        let info = s.demo.info();
        let title = self
            .open_lesson_ref()
            .map_or_else(|| info.title.to_string(), |l| l.title.clone());
        let from = match self.screen {
            Screen::Sweep => self.sweep.as_ref().map_or(Screen::Reader, |v| v.from),
            other => other,
        };
        self.sweep = Some(SweepView {
            title,
            demo: info.id.to_string(),
            params: s.params.clone(),
            counts: counts.clone(),
            cores: self.machine.cores,
            reports: Vec::new(),
            at_workers: None,
            variant: None,
            progress: (0, 0),
            state: RunState::Running,
            series: Vec::new(),
            from,
        });
        self.screen = Screen::Sweep;
        self.say(
            format!("sweeping {} over {counts:?} workers: Esc cancels", info.id),
            false,
        );
        let variants = s.variants();
        Effect::StartSweep {
            req: RunRequest {
                demo: s.demo,
                params: s.params,
                workers: 1,
                variants,
                repeats: None,
                reference: None,
            },
            counts,
        }
    }

    pub(super) fn sweep_act(&mut self, a: SweepAction) -> Effect {
        match a {
            SweepAction::Back if self.sweeping() => {
                self.say("cancelling the sweep… (what completed stays)", false);
                return Effect::Cancel;
            }
            SweepAction::Back => {
                self.screen = self.sweep.as_ref().map_or(Screen::Reader, |v| v.from);
            }
            SweepAction::Again => return self.start_sweep(),
        }
        Effect::None
    }

    /// The sweep's runner ended.
    pub(super) fn sweep_ended(&mut self) {
        let said = self.sweep.as_mut().map(|v| {
            v.ended();
            let msg = match &v.state {
                RunState::Done => "sweep finished: r sweeps again, q goes back".to_string(),
                RunState::Cancelled => "sweep cancelled: what completed is shown".to_string(),
                RunState::Failed(why) => format!("sweep {why}"),
                RunState::Running => String::new(),
            };
            (msg, matches!(v.state, RunState::Failed(_)))
        });
        if let Some((msg, error)) = said {
            self.say(msg, error);
            self.dirty = true;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn help_shows_exactly_the_keys_dispatched() {
        crate::app::keys::check::table(&super::SWEEP_KEYS);
    }
}
