//! `parlab present LECTURE.toml`: an instructor's lecture script, stepped through in the TUI
//! (each step in the presenter layout). `--notes` in a second terminal shows the speaker notes
//! of the step the presenter shows, following it over a loopback connection. `--check`
//! validates the file (every problem as `file:line: message`, exit 1). Without a terminal the
//! step outline is printed (titles only: speaker notes never go to the projected screen).

use std::io::IsTerminal as _;
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
    /// Speaker notes: follow the presenting terminal (run this in a second terminal).
    #[arg(long, conflicts_with = "check")]
    pub notes: bool,
    /// Port on 127.0.0.1 for the notes link, on both sides (default: any free port, which the
    /// presenter writes to the data directory for --notes to read).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,
}

/// Runs `parlab present`.
pub fn present(a: &PresentArgs, lessons: &crate::lesson::LessonSet) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&a.lecture).map_err(|e| {
        usage(format!(
            "parlab present: cannot read {} ({e})",
            a.lecture.display()
        ))
    })?;
    let tty = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    if tty && !a.check {
        // Broken steps show their problem on screen; the rest of the lecture still works.
        let deck = lecture::load(&a.lecture, &text, lessons).map_err(usage)?;
        return if a.notes {
            crate::tui::run_notes(&deck, a.port)
        } else {
            crate::tui::run_lecture(deck, lessons.clone(), a.port)
        };
    }
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
