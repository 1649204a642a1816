//! The student's side of a lesson: predictions asked before its first run and graded by the
//! run, the challenge taken from the reader (only its knobs may change), and the quiz. What the
//! student did goes to [`crate::progress`]; grading and judging stay in `lesson` (one home).

pub mod challenge;
pub mod predict;
pub mod quiz;

pub use challenge::ActiveChallenge;
pub use predict::Asking;
pub use quiz::QuizState;

use super::App;
use super::settings::Settings;
use crate::lesson::outcome::{self, Outcome};

/// The dialogs open and the challenge taken.
#[derive(Clone, Debug, Default)]
pub struct Learn {
    /// Predictions being asked (a modal before the run starts).
    pub asking: Option<Asking>,
    /// The quiz being taken (a modal over the reader).
    pub quiz: Option<QuizState>,
    /// The challenge taken.
    pub challenge: Option<ActiveChallenge>,
}

/// The settings' values as text, `workers` included, as a run's `Measured::params` has them.
pub fn settings_params(s: &Settings) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = s
        .params
        .0
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    out.push(("workers".into(), s.workers.to_string()));
    out
}

impl App {
    /// After run `li` finished: counts it, keeps its claims, grades the predictions waiting
    /// for it and checks the challenge; says what was decided in one line.
    pub(super) fn learn_after_run(&mut self, li: usize) {
        let Some(run) = self.runs.get(li) else { return };
        let Some(m) = run.measured.clone() else {
            return;
        };
        let Some(lesson) = self.lessons.get(&run.lesson).cloned() else {
            return;
        };
        let lp = self.progress.lesson_mut(&lesson.id);
        lp.runs += 1;
        lp.claims.clear();
        for c in &lesson.claims {
            match outcome::judge(c, &m) {
                Outcome::Held(_) => lp.claims.insert(c.id.clone(), true),
                Outcome::NotHeld(_) => lp.claims.insert(c.id.clone(), false),
                _ => None,
            };
        }
        let mut notices = self.grade_predictions(&lesson, &m);
        notices.extend(self.check_challenge(&lesson, &m));
        if !notices.is_empty() {
            self.say(
                format!("{} (the lesson says why)", notices.join(" · ")),
                false,
            );
        }
    }
}
