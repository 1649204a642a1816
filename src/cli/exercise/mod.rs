//! `parlab exercise ...`: the learner's loop (list, start, check, hint, solution, watch) and
//! `parlab check-exercises`, the authors' check. Exit codes: 0 passed (or done), 1 not passed,
//! 2 bad input (an unknown id, a missing file).

mod authors;
mod check;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::args::usage;
use super::out::out;
use crate::exercise::workspace::{self, Started};
use crate::exercise::{Exercise, ExerciseSet};
use crate::progress::Progress;

pub use authors::{CheckExercisesArgs, check_exercises};

/// Arguments of `parlab exercise`.
#[derive(Debug, Clone, Args)]
pub struct ExerciseArgs {
    /// What to do.
    #[command(subcommand)]
    pub cmd: ExerciseCmd,
}

/// The exercise subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum ExerciseCmd {
    /// List the exercises: id, lesson, language, title, your status.
    List,
    /// Write an exercise's starter into a workspace and say how to check it.
    Start {
        /// Exercise id (see `parlab exercise list`).
        id: String,
        /// Workspace folder (default: parlab's data directory, exercises/ID).
        dir: Option<PathBuf>,
        /// Overwrite an edited file with the starter.
        #[arg(long)]
        force: bool,
    },
    /// Check your program: correctness first, then speed against the reference.
    Check(check::CheckArgs),
    /// Show the next hint (each call shows one more).
    Hint {
        /// Exercise id.
        id: String,
    },
    /// Show the reference solution (only after your program passed).
    Solution {
        /// Exercise id.
        id: String,
    },
    /// Re-check on every save of your program (Ctrl-C ends).
    Watch(check::CheckArgs),
}

/// Runs `parlab exercise ...` on `set`.
pub fn exercise(a: &ExerciseArgs, set: &ExerciseSet) -> anyhow::Result<ExitCode> {
    match &a.cmd {
        ExerciseCmd::List => list(set),
        ExerciseCmd::Start { id, dir, force } => start(find(set, id)?, dir.clone(), *force),
        ExerciseCmd::Check(c) => check::check(c, find(set, &c.id)?),
        ExerciseCmd::Hint { id } => hint(find(set, id)?),
        ExerciseCmd::Solution { id } => solution(find(set, id)?),
        ExerciseCmd::Watch(c) => watch::watch(c, find(set, &c.id)?),
    }
}

/// The exercise `id`, or a usage error listing the known ids.
fn find<'a>(set: &'a ExerciseSet, id: &str) -> anyhow::Result<&'a Exercise> {
    set.get(id).ok_or_else(|| {
        usage(format!(
            "unknown exercise `{id}` (known: {})",
            set.ids().join(", ")
        ))
    })
}

fn list(set: &ExerciseSet) -> anyhow::Result<ExitCode> {
    let progress = Progress::load_default();
    let w = |f: fn(&Exercise) -> usize, min: usize| {
        set.exercises.iter().map(f).max().unwrap_or(0).max(min)
    };
    let (wi, wl) = (w(|e| e.id.len(), 2), w(|e| e.lesson.len(), 6));
    let mut o = format!(
        "{:wi$}  {:wl$}  {:8}  {:7}  title\n",
        "id", "lesson", "language", "status"
    );
    for e in &set.exercises {
        o.push_str(&format!(
            "{:wi$}  {:wl$}  {:8}  {:7}  {}\n",
            e.id,
            e.lesson,
            e.language.name(),
            progress.exercise_status(&e.id).word(),
            e.title
        ));
    }
    for p in &set.problems {
        o.push_str(&format!("skipped: {p}\n"));
    }
    o.push_str("Start one: parlab exercise start ID\n");
    out(&o)?;
    Ok(ExitCode::SUCCESS)
}

/// The workspace folder: as given, else the default in the data directory.
fn workspace_dir(ex: &Exercise, dir: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    dir.or_else(|| workspace::default_dir(ex)).ok_or_else(|| {
        usage("no data directory (no home directory): give a folder, e.g. `parlab exercise start ID ./ws`")
    })
}

fn start(ex: &Exercise, dir: Option<PathBuf>, force: bool) -> anyhow::Result<ExitCode> {
    let given = dir.is_some();
    let dir = workspace_dir(ex, dir)?;
    let mut started = workspace::start(ex, &dir, force)?;
    // An edited file is overwritten only after a yes: asked at a terminal, else kept with
    // the way to start over (a script never blocks on a question).
    if let Started::Kept(f, false) = &started
        && overwrite_asked(f)?
    {
        started = workspace::start(ex, &dir, true)?;
    }
    let dir_flag = if given {
        format!(" --dir {}", dir.display())
    } else {
        String::new()
    };
    let msg = match &started {
        Started::Written(f) => format!("wrote the starter to {}", f.display()),
        Started::Kept(f, true) => format!("{} is already the starter", f.display()),
        Started::Kept(f, false) => format!(
            "kept your edited {} (start again with --force to overwrite it with the starter)",
            f.display()
        ),
    };
    let mut p = Progress::load_default();
    p.exercise_mut(&ex.id);
    p.store_default()?;
    out(&format!(
        "{}: {}\n{msg}\nthe task: {}\ncheck it:  parlab exercise check {}{dir_flag}\nor re-check on every save:  parlab exercise watch {}{dir_flag}\n",
        ex.id,
        ex.title,
        dir.join("TASK.md").display(),
        ex.id,
        ex.id
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// At a terminal: whether the learner says yes to overwriting their edited `f`; elsewhere no.
fn overwrite_asked(f: &std::path::Path) -> anyhow::Result<bool> {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(false);
    }
    eprint!(
        "{} holds your edits. Overwrite it with the starter? Your edits are lost. [y/N] ",
        f.display()
    );
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

fn hint(ex: &Exercise) -> anyhow::Result<ExitCode> {
    let mut p = Progress::load_default();
    let e = p.exercise_mut(&ex.id);
    let n = (e.hints_shown + 1).min(ex.hints.len());
    e.hints_shown = e.hints_shown.max(n);
    p.store_default()?;
    let mut o = String::new();
    for (i, h) in ex.hints.iter().take(n).enumerate() {
        o.push_str(&format!("hint {} of {}: {h}\n", i + 1, ex.hints.len()));
    }
    if n == ex.hints.len() {
        o.push_str("that was the last hint\n");
    }
    out(&o)?;
    Ok(ExitCode::SUCCESS)
}

fn solution(ex: &Exercise) -> anyhow::Result<ExitCode> {
    if !Progress::load_default()
        .exercise(&ex.id)
        .is_some_and(|e| e.passed)
    {
        out(&format!(
            "the reference solution of {} is shown after your program passes: parlab exercise check {}\n",
            ex.id, ex.id
        ))?;
        return Ok(ExitCode::FAILURE);
    }
    out(&ex.sources.solution)?;
    Ok(ExitCode::SUCCESS)
}
