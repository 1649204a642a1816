//! `parlab present LECTURE.toml`: an instructor's lecture script. `--check` validates it
//! (every problem as `file:line: message`, exit 1); without it, the step outline is printed
//! (titles only: speaker notes never go to the projected screen).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::args::usage;
use super::out::out;
use crate::lecture;

/// Arguments of `parlab present`.
#[derive(Debug, Clone, Args)]
pub struct PresentArgs {
    /// The lecture script (TOML; see lessons/lectures/intro.toml).
    pub lecture: PathBuf,
    /// Only validate it: print each problem as `file:line: message`.
    #[arg(long)]
    pub check: bool,
}

/// Runs `parlab present`.
pub fn present(a: &PresentArgs, lessons: &crate::lesson::LessonSet) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&a.lecture).map_err(|e| {
        usage(format!(
            "parlab present: cannot read {} ({e})",
            a.lecture.display()
        ))
    })?;
    let problems = lecture::check(&a.lecture, &text, lessons);
    for p in &problems {
        out(&format!("{p}\n"))?;
    }
    if !problems.is_empty() {
        out(&format!("{} problem(s) found\n", problems.len()))?;
        return Ok(ExitCode::FAILURE);
    }
    let lec = lecture::parse(&text).map_err(|(l, m)| usage(format!("line {l}: {m}")))?;
    if a.check {
        out(&format!("{}: {} steps OK\n", lec.title, lec.steps.len()))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut o = format!("{}\n", lec.title);
    for (i, s) in lec.steps.iter().enumerate() {
        let s = s.get_ref();
        o.push_str(&format!("{:>3}. [{:?}] {}\n", i + 1, s.kind, s.title));
    }
    out(&o)?;
    Ok(ExitCode::SUCCESS)
}
