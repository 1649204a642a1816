//! The challenge taken from the reader: while it is active only its knobs may change, the
//! dashboard shows a gauge of its progress on the latest finished run, and a run that meets
//! its check is kept in progress with the figure that met it.

use super::super::params::ParamsAction;
use super::super::run::RunView;
use super::super::settings::Row;
use super::App;
use crate::lesson::Lesson;
use crate::lesson::expr::{Value, eval};
use crate::lesson::measured::Measured;
use crate::progress::Met;

/// The challenge taken.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveChallenge {
    /// Its lesson's id.
    pub lesson: String,
    /// Index into the lesson's challenges.
    pub index: usize,
}

/// Where a run stands on the challenge, for the gauge.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    /// 0..1 toward the goal (1 when met).
    pub ratio: f64,
    /// The check holds on the run.
    pub met: bool,
    /// The numbers that decided it.
    pub figures: String,
}

/// Where `m` stands on challenge `c` of `l`.
pub fn standing(l: &Lesson, index: usize, m: &Measured) -> Option<Standing> {
    let c = l.challenges.get(index)?;
    let check = eval(&c.check, m).ok()?;
    let met = check.value == Value::Bool(true);
    let (ratio, figures) = match c.progress.as_ref().and_then(|p| eval(p, m).ok()) {
        Some(e) => match e.value {
            Value::Num(n) if n.is_finite() => (n.clamp(0.0, 1.0), check.notes.join("; ")),
            _ => (0.0, check.notes.join("; ")),
        },
        None => (0.0, check.notes.join("; ")),
    };
    let ratio = if met { 1.0 } else { ratio.min(0.99) };
    Some(Standing {
        ratio,
        met,
        figures,
    })
}

impl App {
    /// Takes the open lesson's challenge, or drops it when it is the one taken.
    pub(in crate::app) fn toggle_challenge(&mut self) {
        let Some(l) = self.open_lesson_ref() else {
            return;
        };
        let Some(c) = l.challenges.first() else {
            self.say("this lesson has no challenge", false);
            return;
        };
        if self
            .learn
            .challenge
            .as_ref()
            .is_some_and(|a| a.lesson == l.id)
        {
            self.learn.challenge = None;
            self.say("challenge dropped: every parameter may change again", false);
            return;
        }
        let msg = format!(
            "challenge taken: change only {}; r runs, the dashboard shows how close you are",
            c.knobs.join(", ")
        );
        self.learn.challenge = Some(ActiveChallenge {
            lesson: l.id.clone(),
            index: 0,
        });
        self.say(msg, false);
    }

    /// The active challenge's lesson and index, when it is the open lesson's.
    fn open_challenge(&self) -> Option<(&Lesson, usize)> {
        let a = self.learn.challenge.as_ref()?;
        let l = self.open_lesson_ref().filter(|l| l.id == a.lesson)?;
        Some((l, a.index))
    }

    /// Why the parameter editor may not do `a` while a challenge is active, if it may not:
    /// only the challenge's knobs change.
    pub(in crate::app) fn knob_refusal(&self, a: ParamsAction) -> Option<String> {
        if !matches!(
            a,
            ParamsAction::Step(_) | ParamsAction::Toggle | ParamsAction::Edit
        ) {
            return None;
        }
        let (l, i) = self.open_challenge()?;
        let knobs = &l.challenges.get(i)?.knobs;
        let s = self.params.settings.as_ref()?;
        let rows = s.rows();
        let row = *rows.get(self.params.row.min(rows.len().checked_sub(1)?))?;
        let name = match row {
            Row::Workers => "workers",
            Row::Param(p) => s.demo.info().params.get(p).map_or("", |spec| spec.name),
            Row::Variant(_) => "variant",
        };
        (!knobs.iter().any(|k| k == name)).then(|| {
            format!(
                "the challenge lets you change only {}; {name} stays (c in the lesson drops it)",
                knobs.join(", ")
            )
        })
    }

    /// Where `run` stands on the active challenge, when it is a finished run of its lesson.
    pub fn challenge_standing(&self, run: &RunView) -> Option<(String, Standing)> {
        let a = self.learn.challenge.as_ref()?;
        if run.lesson != a.lesson {
            return None;
        }
        let l = self.lessons.get(&a.lesson)?;
        let m = run.measured.as_ref()?;
        let goal = crate::lesson::outcome::fill(&l.challenges.get(a.index)?.goal, Some(m));
        Some((goal, standing(l, a.index, m)?))
    }

    /// Keeps the active challenge as met when `m` meets it; a notice when it does.
    pub(super) fn check_challenge(&mut self, l: &Lesson, m: &Measured) -> Option<String> {
        let a = self.learn.challenge.as_ref().filter(|a| a.lesson == l.id)?;
        let c = l.challenges.get(a.index)?;
        let s = standing(l, a.index, m)?;
        if !s.met {
            return None;
        }
        self.progress
            .lesson_mut(&l.id)
            .challenges
            .insert(c.id.clone(), Met { figure: s.figures });
        Some("challenge met ✓".into())
    }
}
