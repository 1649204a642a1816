//! `parlab check-lessons [DIR]`: validates lesson files and prints every problem as
//! `file:line: message` (exit 1), or "N lessons OK" (exit 0). With `--run`, runs every
//! lesson's claims on this machine instead (see `check_run`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::args::usage;
use crate::lesson::{self, Check};

/// Arguments of `parlab check-lessons`.
#[derive(Debug, Clone, Args)]
pub struct CheckLessonsArgs {
    /// Directory of `NN-slug.md` lesson files (default: `--lessons DIR`, else the lessons
    /// built into parlab).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Run each lesson's demo at the parameters its claims need and print every claim as
    /// held / NOT HELD / needs N cores (exit 1 when one does not hold; wants a quiet machine).
    #[arg(long)]
    pub run: bool,
    /// With `--run`: only this lesson (by id).
    #[arg(long, value_name = "ID", requires = "run")]
    pub lesson: Option<String>,
}

/// Runs `parlab check-lessons`; `global_dir` is the `--lessons` option.
pub fn check_lessons(a: &CheckLessonsArgs, global_dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let dir = a.dir.as_deref().or(global_dir);
    if let Some(dir) = dir.filter(|d| !d.is_dir()) {
        return Err(usage(format!(
            "check-lessons: {} is not a directory",
            dir.display()
        )));
    }
    if a.run {
        let set = match dir {
            Some(dir) => lesson::load_dir(dir)?,
            None => lesson::embedded(),
        };
        return super::check_run::run_claims(&set, a.lesson.as_deref());
    }
    let check = match dir {
        Some(dir) => lesson::check_dir(dir)?,
        None => lesson::check_embedded(),
    };
    super::out::out(&report(&check))?;
    Ok(if check.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The printed report: one line per problem, then a summary line.
pub fn report(check: &Check) -> String {
    let mut out = String::new();
    for p in &check.problems {
        out.push_str(&format!("{p}\n"));
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if check.problems.is_empty() {
        out.push_str(&format!("{} lesson{} OK\n", check.ok, plural(check.ok)));
    } else {
        let n = check.problems.len();
        out.push_str(&format!(
            "{n} problem{} found; {} lesson{} OK\n",
            plural(n),
            check.ok,
            plural(check.ok)
        ));
    }
    if !check.uncovered_demos.is_empty() {
        out.push_str(&format!(
            "no lesson file yet for demo{}: {} (a built-in description stands in)\n",
            plural(check.uncovered_demos.len()),
            check.uncovered_demos.join(", ")
        ));
    }
    out
}
