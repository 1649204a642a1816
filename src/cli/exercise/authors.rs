//! `parlab check-exercises [DIR]`: the authors' check. The metadata first (every problem as
//! `file:line: message`: keys, ids equal to folder names and unique, lessons that exist,
//! hints), then each exercise's programs: the starter must run and fail, the solution must
//! pass. `--quick` uses `test_size` (correctness and limits only).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::super::args::usage;
use super::super::out::out;
use crate::engine::CancelToken;
use crate::exercise::check::{self, Options};
use crate::exercise::{Exercise, Pass, Problem, load};

/// Arguments of `parlab check-exercises`.
#[derive(Debug, Clone, Args)]
pub struct CheckExercisesArgs {
    /// Directory of `NN-ID/` exercise folders (default: `--exercises DIR`, else the built-in set).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Small inputs, correctness and limits only: a starter that is only slow is not judged.
    #[arg(long)]
    pub quick: bool,
    /// Check the metadata only, run nothing.
    #[arg(long)]
    pub metadata_only: bool,
}

/// Runs `parlab check-exercises`; `global` is `--exercises`, `lessons` the lesson set.
pub fn check_exercises(
    a: &CheckExercisesArgs,
    global: Option<&Path>,
    lessons: &crate::lesson::LessonSet,
) -> anyhow::Result<ExitCode> {
    let (mut set, lines) = match a.dir.as_deref().or(global) {
        Some(d) if !d.is_dir() => {
            return Err(usage(format!(
                "check-exercises: {} is not a directory",
                d.display()
            )));
        }
        Some(d) => load::dir_with_lines(d)?,
        None => load::embedded_with_lines(),
    };
    let ids: Vec<&str> = lessons.lessons.iter().map(|l| l.id.as_str()).collect();
    set.check_lessons(&ids, &lines);
    let mut problems = set.problems.clone();
    let mut notes = Vec::new();
    // Speed figures the machine made meaningless: neither a pass nor a problem, and no "OK".
    let mut unjudged = Vec::new();
    if !a.metadata_only {
        let cancel = CancelToken::new();
        crate::session::cancel_on_signals(&cancel)?;
        for ex in &set.exercises {
            if cancel.is_cancelled() {
                break;
            }
            programs(
                ex,
                a.quick,
                &cancel,
                &mut problems,
                &mut notes,
                &mut unjudged,
            )?;
        }
    }
    let mut o = String::new();
    for p in &problems {
        o.push_str(&format!("{p}\n"));
    }
    for n in &notes {
        o.push_str(&format!("note: {n}\n"));
    }
    for u in &unjudged {
        o.push_str(&format!("not judged: {u}\n"));
    }
    let ok = set.exercises.len();
    o.push_str(&match (problems.is_empty(), unjudged.is_empty()) {
        (true, true) => format!("{ok} exercises OK\n"),
        (true, false) => format!(
            "no problems found, but {} speed checks could not be judged: run again on a quieter machine; {ok} exercises loaded\n",
            unjudged.len()
        ),
        _ => format!("{} problems found; {ok} exercises loaded\n", problems.len()),
    });
    out(&o)?;
    Ok(if problems.is_empty() && unjudged.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Whether `ex`'s starter may fail only at full size: on speed, or on a memory limit tighter
/// than the default that the small `--quick` input never reaches.
fn judged_on_size(ex: &Exercise) -> bool {
    ex.check.pass != Pass::Correct || ex.check.max_rss_mib != crate::exercise::DEFAULT_MAX_RSS_MIB
}

/// Runs the starter (must fail) and the solution (must pass) of `ex`.
fn programs(
    ex: &Exercise,
    quick: bool,
    cancel: &CancelToken,
    problems: &mut Vec<Problem>,
    notes: &mut Vec<String>,
    unjudged: &mut Vec<String>,
) -> anyhow::Result<()> {
    let opts = Options {
        quick,
        cancel: cancel.clone(),
        ..Options::default()
    };
    let folder = ex.source.trim_end_matches("exercise.toml");
    let at = |file: &str, message: String| Problem {
        source: format!("{folder}{file}.{}", ex.language.ext()),
        line: 1,
        message,
    };
    let file = |stem: &str| PathBuf::from(format!("{folder}{stem}.{}", ex.language.ext()));
    let starter = check::check(ex, &ex.sources.starter, &file("starter"), &opts);
    let busy = |what: &str, v: &crate::exercise::verdict::Verdict| {
        format!(
            "{}: the {what}'s speed was not judged: the reference solution was only {:.2}x faster than sequential here (a busy machine?)",
            ex.id,
            v.speed.as_ref().map_or(0.0, |s| s.reference_speedup)
        )
    };
    match starter {
        Err(e) => problems.push(at("starter", format!("{e:#}"))),
        Ok(v) if v.inconclusive() => unjudged.push(busy("starter", &v)),
        Ok(v) if v.passed && quick && judged_on_size(ex) => notes.push(format!(
            "{}: the starter is correct at test_size; it must fail on speed or memory (not measured with --quick)",
            ex.id
        )),
        Ok(v) if v.passed => problems.push(at(
            "starter",
            "the starter passes the check; it must fail (wrong, hangs, too slow or too big)".into(),
        )),
        Ok(_) => {}
    }
    match check::check(ex, &ex.sources.solution, &file("solution"), &opts) {
        Err(e) => problems.push(at("solution", format!("{e:#}"))),
        Ok(v) if v.inconclusive() => unjudged.push(busy("solution", &v)),
        Ok(v) if !v.passed => {
            let why = v
                .table()
                .lines()
                .filter(|l| l.starts_with('✗') || l.starts_with("speed"))
                .collect::<Vec<_>>()
                .join("; ");
            problems.push(at(
                "solution",
                format!("the reference solution does not pass: {why}"),
            ));
        }
        Ok(_) => {}
    }
    Ok(())
}
