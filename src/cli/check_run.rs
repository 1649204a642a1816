//! `parlab check-lessons --run`: runs each lesson's demo at the parameters its claims need
//! and prints every claim as held / NOT HELD / needs N cores / not measured, so an author can
//! keep the lessons true on a new machine. Judging is `lesson::outcome`'s, shared with the
//! reader and the dashboard, so the three never disagree.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use super::args::{Resolved, check_memory, usage};
use super::out::out;
use crate::demos;
use crate::engine::admission;
use crate::engine::{CancelToken, Params, RunRequest};
use crate::lesson::activity::{Claim, When};
use crate::lesson::measured::Measured;
use crate::lesson::outcome::{Outcome, judge};
use crate::lesson::{Lesson, LessonSet};
use crate::session;

/// Claims judged so far, for the summary line and the exit code.
#[derive(Debug, Default)]
struct Tally {
    held: usize,
    failed: usize,
    needs_cores: usize,
}

/// Runs the claims of every lesson in `set` (only `only` when given); exit 1 when a claim
/// does not hold or cannot be measured (an unknown figure is the lesson's bug).
pub fn run_claims(set: &LessonSet, only: Option<&str>) -> anyhow::Result<ExitCode> {
    let lessons: Vec<&Lesson> = match only {
        Some(id) => vec![set.get(id).ok_or_else(|| {
            let ids: Vec<&str> = set.lessons.iter().map(|l| l.id.as_str()).collect();
            usage(format!(
                "check-lessons --lesson {id}: no such lesson (lessons: {})",
                ids.join(", ")
            ))
        })?],
        None => set.lessons.iter().collect(),
    };
    let cancel = CancelToken::new();
    session::cancel_on_signals(&cancel)?;
    let mut tally = Tally::default();
    for broken in &set.broken {
        out(&format!("{broken}\n"))?;
        tally.failed += 1;
    }
    for lesson in lessons {
        for (when, claims) in groups(&lesson.claims) {
            let Some(m) = measure(lesson, &when, &cancel)? else {
                out("interrupted\n")?;
                return Ok(ExitCode::from(130));
            };
            for claim in claims {
                let o = judge(claim, &m);
                out(&format!("{}\n", line(&lesson.id, claim, &o)))?;
                match o {
                    Outcome::Held(_) => tally.held += 1,
                    Outcome::NeedsCores(_) => tally.needs_cores += 1,
                    _ => tally.failed += 1,
                }
            }
        }
    }
    out(&format!(
        "{} held, {} not held or not measured, {} need more cores\n",
        tally.held, tally.failed, tally.needs_cores
    ))?;
    Ok(if tally.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The claims grouped by the parameter values they need, in first-seen order: one run each.
fn groups(claims: &[Claim]) -> Vec<(When, Vec<&Claim>)> {
    let mut out: Vec<(When, Vec<&Claim>)> = Vec::new();
    for c in claims {
        match out.iter_mut().find(|(w, _)| *w == c.when) {
            Some((_, cs)) => cs.push(c),
            None => out.push((c.when.clone(), vec![c])),
        }
    }
    out
}

/// Runs `lesson`'s demo at its parameters overridden by `when` (`workers` among them, else
/// the logical cores); `None` when interrupted.
fn measure(lesson: &Lesson, when: &When, cancel: &CancelToken) -> anyhow::Result<Option<Measured>> {
    let demo = demos::find(&lesson.demo)
        .ok_or_else(|| usage(format!("{}: unknown demo `{}`", lesson.id, lesson.demo)))?;
    let specs = &demo.info().params;
    let mut params = Params::defaults(specs);
    let mut workers = crate::cores();
    for (k, v) in lesson.params.iter().chain(when) {
        admission::set(demo, &mut params, &mut workers, k, v).map_err(|_| {
            usage(format!(
                "{}: {k} = {v} is not a valid value for demo `{}` (run check-lessons)",
                lesson.source, lesson.demo
            ))
        })?;
    }
    let r = Resolved {
        demo,
        params,
        variants: Vec::new(),
        repeats: None,
    };
    check_memory(&r, workers)?;
    let req = RunRequest {
        demo: r.demo,
        params: r.params,
        workers,
        variants: r.variants,
        repeats: r.repeats,
        reference: None,
    };
    let progress = std::io::stderr().is_terminal();
    let (report, rec) = session::record(cancel, progress, |runner| runner.run(&req))?;
    if report.cancelled || cancel.is_cancelled() {
        return Ok(None);
    }
    Ok(Some(Measured::from_recording(&rec, &report)))
}

/// `LESSON CLAIM: held — detail`, with `(needs a quiet machine)` for a quiet claim.
fn line(lesson: &str, claim: &Claim, o: &Outcome) -> String {
    let word = match o {
        Outcome::Held(_) => "held".to_string(),
        Outcome::NotHeld(_) => "NOT HELD".to_string(),
        Outcome::NeedsCores(n) => format!("needs {n} cores"),
        Outcome::OtherParams(_) => "not checked".to_string(),
        Outcome::NotMeasured(_) => "not measured".to_string(),
    };
    let quiet = if claim.quiet {
        " (needs a quiet machine)"
    } else {
        ""
    };
    format!("{lesson} {}: {word} — {}{quiet}", claim.id, o.detail())
}
