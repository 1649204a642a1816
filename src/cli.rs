//! The command line: clap definitions and dispatch. Headless commands print tables, JSON or
//! CSV with the same numbers the TUI shows.

mod args;
mod check_lessons;
mod check_run;
mod exercise;
mod export;
mod list;
mod logs;
mod out;
mod present;
mod progress;
mod run;
pub(crate) mod sweep;
mod watch;

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use args::{DemoArgs, UsageError};

/// Output formats of `run` and `sweep`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Verdict lines and aligned columns, for people.
    Table,
    /// One JSON document, for scripts.
    Json,
    /// One row per variant, for spreadsheets.
    Csv,
}

/// parlab: learn parallel programming by running it.
#[derive(Debug, Parser)]
#[command(name = "parlab", version, about, long_about = None)]
pub struct Cli {
    /// What to do; none opens the lesson browser (in a terminal).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Use the lesson files in DIR (an instructor's own set) instead of the built-in lessons.
    #[arg(long, global = true, value_name = "DIR")]
    pub lessons: Option<PathBuf>,
    /// Use the exercise folders in DIR instead of the built-in exercises.
    #[arg(long, global = true, value_name = "DIR")]
    pub exercises: Option<PathBuf>,
    /// Presenter layout for a projector: big numbers, full-width timeline (key `P` toggles).
    #[arg(long, global = true)]
    pub present: bool,
}

impl Cli {
    /// The lessons to show: those in `--lessons DIR`, else the built-in set.
    pub fn lesson_set(&self) -> anyhow::Result<crate::lesson::LessonSet> {
        match &self.lessons {
            Some(dir) => crate::lesson::load_dir(dir),
            None => Ok(crate::lesson::embedded()),
        }
    }
}

impl Cli {
    /// The exercises: those in `--exercises DIR`, else the built-in set.
    pub fn exercise_set(&self) -> anyhow::Result<crate::exercise::ExerciseSet> {
        match &self.exercises {
            Some(dir) => crate::exercise::load_dir(dir).map_err(|e| args::usage(format!("{e:#}"))),
            None => Ok(crate::exercise::embedded()),
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the demos with their parameters and variants.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run a demo headless: every variant, timed, checked against sequential.
    Run(run::RunArgs),
    /// Run a demo at several worker counts: speedup curve, Amdahl fit, Karp–Flatt.
    Sweep(sweep::SweepArgs),
    /// Play a trace written by `parlab run --trace` in the dashboard (pause, speed, jump).
    Replay {
        /// The trace file.
        file: std::path::PathBuf,
    },
    /// The capstone tool: generate log files, or count their levels into a CSV on all cores.
    Logs(logs::LogsArgs),
    /// Internal: run as a child worker process of another parlab (frames on stdin/stdout).
    #[command(name = "__worker", hide = true)]
    Worker {
        /// Worker kind.
        kind: String,
        /// The parent's clock origin.
        #[arg(long)]
        origin: u64,
        /// Worker id.
        #[arg(long)]
        id: u32,
        /// Arguments for the kind.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Watch any program's processes and threads: running, waiting for a CPU, blocked.
    Watch(watch::WatchArgs),
    /// Validate lesson files: print each problem as `file:line: message`.
    CheckLessons(check_lessons::CheckLessonsArgs),
    /// Charts for slides from a trace: `--svg FILE` (timeline, per-core load, results, speedup curve), `--html FILE`.
    Export(export::ExportArgs),
    /// Code exercises: list, start, check, hint, solution, watch.
    Exercise(exercise::ExerciseArgs),
    /// Validate exercise folders: metadata (`file:line: message`), starters fail, solutions pass.
    CheckExercises(exercise::CheckExercisesArgs),
    /// Step through a lecture script (`--check` validates it: `file:line: message`).
    Present(present::PresentArgs),
    /// Your progress per lesson (runs, claims, predictions, challenges, quiz) and exercise; `--reset` clears it.
    Progress(progress::ProgressArgs),
}

/// Parses the command line, runs, and returns the exit code: 0 success, 1 a failed or
/// INCORRECT run, 2 bad input (arguments, or a trace file `replay` cannot read), 130
/// interrupted.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            if out::reader_gone(&e) {
                return ExitCode::SUCCESS;
            }
            if let Some(u) = e.downcast_ref::<UsageError>() {
                eprintln!("error: {u}");
                return ExitCode::from(2);
            }
            if let Some(t) = e.downcast_ref::<crate::report::chrome::TraceError>() {
                eprintln!("error: {t}");
                return ExitCode::from(2);
            }
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => {
            if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
                return crate::tui::run_tui(cli.lesson_set()?, cli.exercise_set()?, cli.present);
            }
            out::out(&format!(
                "{}\nstdout is not a terminal, so here is the list. Try `parlab run squaring --work heavy`.\n",
                list::text()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::List { json }) => {
            if json {
                out::out(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&list::json())?
                ))?;
            } else {
                out::out(&list::text())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Run(a)) => run::run(&a),
        Some(Command::Sweep(a)) => sweep::sweep(&a),
        Some(Command::Replay { file }) => crate::tui::run_replay(&file, cli.present),
        Some(Command::Logs(a)) => logs::logs(&a),
        Some(Command::Worker {
            kind,
            origin,
            id,
            args,
        }) => {
            crate::child::worker_main(&kind, crate::demos::child_kinds(), origin, id, args)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Watch(a)) => watch::watch(&a),
        Some(Command::CheckLessons(a)) => check_lessons::check_lessons(&a, cli.lessons.as_deref()),
        Some(Command::Export(a)) => export::export(&a),
        Some(Command::Exercise(ref a)) => exercise::exercise(a, &cli.exercise_set()?),
        Some(Command::CheckExercises(ref a)) => {
            exercise::check_exercises(a, cli.exercises.as_deref(), &cli.lesson_set()?)
        }
        Some(Command::Present(ref a)) => present::present(a, &cli.lesson_set()?),
        Some(Command::Progress(ref a)) => {
            progress::progress(a, &cli.lesson_set()?, &cli.exercise_set()?)
        }
    }
}
