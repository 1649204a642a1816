//! `parlab exercise check ID`: one verdict, as a table or JSON; progress remembers a pass.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::super::args::usage;
use super::super::out::out;
use crate::engine::CancelToken;
use crate::exercise::check::{self, DEFAULT_RUNS, Options};
use crate::exercise::verdict::Verdict;
use crate::exercise::{Exercise, workspace};
use crate::progress::Progress;

/// Output formats of a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum VerdictFormat {
    /// Lines for people.
    Table,
    /// One JSON document, for graders.
    Json,
}

/// Arguments of `parlab exercise check` and `watch`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Exercise id.
    pub id: String,
    /// The workspace folder (default: the one `parlab exercise start ID` made).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Check this program file instead of the workspace's.
    #[arg(long, value_name = "FILE", conflicts_with = "dir")]
    pub file: Option<PathBuf>,
    /// Small input, correctness and limits only (no speed levels): seconds, not tens.
    #[arg(long)]
    pub quick: bool,
    /// Timed runs of each program; the best counts.
    #[arg(long, default_value_t = DEFAULT_RUNS as u64, value_parser = clap::value_parser!(u64).range(1..=20))]
    pub runs: u64,
    /// Stop a run after this many seconds (default: the exercise's limit).
    #[arg(long, value_name = "S", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub time_limit_s: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerdictFormat::Table)]
    pub format: VerdictFormat,
    /// Also write your program's first run, as the observer saw it, to FILE as a trace:
    /// `parlab replay FILE` shows its processes and threads on the dashboard
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

impl CheckArgs {
    /// The program file to check; a usage error when it is missing.
    pub fn program(&self, ex: &Exercise) -> anyhow::Result<PathBuf> {
        let f = match (&self.file, &self.dir) {
            (Some(f), _) => f.clone(),
            (None, Some(d)) => workspace::file(ex, d),
            (None, None) => workspace::default_dir(ex)
                .map(|d| workspace::file(ex, &d))
                .ok_or_else(|| usage("no data directory: give --dir DIR or --file FILE"))?,
        };
        if !f.is_file() {
            return Err(usage(format!(
                "no program at {}: write one with `parlab exercise start {}`{}",
                f.display(),
                ex.id,
                self.dir
                    .as_ref()
                    .map_or(String::new(), |d| format!(" {}", d.display()))
            )));
        }
        Ok(f)
    }

    /// The check's options.
    pub fn options(&self, cancel: CancelToken) -> Options {
        Options {
            quick: self.quick,
            runs: self.runs as usize,
            time_limit: self.time_limit_s.map(Duration::from_secs),
            cancel,
            trace: self.trace.clone(),
        }
    }
}

/// Checks the program once and records the result; the verdict and whether it passed.
pub fn check_once(a: &CheckArgs, ex: &Exercise, cancel: &CancelToken) -> anyhow::Result<Verdict> {
    let file = a.program(ex)?;
    let text = std::fs::read_to_string(&file)
        .map_err(|e| usage(format!("cannot read {}: {e}", file.display())))?;
    let v = check::check(ex, &text, &file, &a.options(cancel.clone()))?;
    let mut p = Progress::load_default();
    // A quick check proves correctness only: it passes an exercise graded on correctness.
    let counts = !a.quick || ex.check.pass == crate::exercise::Pass::Correct;
    p.record_check(&ex.id, v.passed && counts, v.level);
    p.store_default()?;
    Ok(v)
}

/// Prints a verdict in the chosen format.
pub fn print(v: &Verdict, format: VerdictFormat) -> anyhow::Result<()> {
    match format {
        VerdictFormat::Table => out(&v.table())?,
        VerdictFormat::Json => out(&format!("{}\n", serde_json::to_string_pretty(v)?))?,
    }
    Ok(())
}

/// Runs `parlab exercise check`: exit 0 only when passed.
pub fn check(a: &CheckArgs, ex: &Exercise) -> anyhow::Result<ExitCode> {
    if let Some(p) = &a.trace {
        crate::datadir::check_writable(p)
            .map_err(|e| usage(format!("--trace {}: {e}", p.display())))?;
    }
    let cancel = CancelToken::new();
    crate::session::cancel_on_signals(&cancel)?;
    let v = check_once(a, ex, &cancel)?;
    print(&v, a.format)?;
    if let Some(p) = a.trace.as_ref().filter(|p| p.is_file()) {
        eprintln!(
            "your program's run written to {}: `parlab replay {}` shows it on the dashboard",
            p.display(),
            p.display()
        );
    }
    Ok(if v.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
