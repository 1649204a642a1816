//! `parlab logs generate` and `parlab logs analyze`: the capstone as a real command-line tool.
//!
//! Exit codes: 0 done (even if some files failed: their rows say why), 1 nothing could be
//! analyzed (no `.log` file, or every one failed) or writing failed, 2 bad input, 130
//! interrupted.

mod analyze;
mod bar;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::args::usage;
use crate::engine::{CancelToken, DemoError};
use crate::logs::analyze::list_logs;
use crate::logs::generate::{self, AVG_LINE_BYTES, GenOptions};
use crate::session;
use crate::units::fmt_bytes;

/// Most files `generate` writes in one go.
const MAX_FILES: usize = 100_000;
/// Most lines per file `generate` writes.
const MAX_LINES: u64 = 1_000_000_000;

/// Arguments of `parlab logs`.
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// generate or analyze.
    #[command(subcommand)]
    pub command: LogsCommand,
}

/// The two halves of the capstone.
#[derive(Debug, Subcommand)]
pub enum LogsCommand {
    /// Write reproducible .log files (app-000.log ...) into DIR, created if missing.
    Generate {
        /// Directory to write into.
        dir: PathBuf,
        /// How many files.
        #[arg(long, default_value_t = 100)]
        files: usize,
        /// Lines per file (about 88 bytes each).
        #[arg(long, default_value_t = 10_000)]
        lines: u64,
        /// Seed: the same seed writes the same bytes.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Count ERROR / WARNING / INFO lines in every .log file directly in DIR; write a CSV.
    Analyze {
        /// Directory holding the .log files (subdirectories are not searched).
        dir: PathBuf,
        /// CSV to write (atomically); `-` prints it on stdout.
        #[arg(long, default_value = "results.csv")]
        out: PathBuf,
        /// Worker threads, one file at a time each (default: logical cores).
        #[arg(long)]
        workers: Option<usize>,
    },
}

/// Runs `parlab logs ...`.
pub fn logs(a: &LogsArgs) -> anyhow::Result<ExitCode> {
    match &a.command {
        LogsCommand::Generate {
            dir,
            files,
            lines,
            seed,
        } => generate_cmd(
            dir,
            &GenOptions {
                files: *files,
                lines: *lines,
                seed: *seed,
            },
        ),
        LogsCommand::Analyze { dir, out, workers } => analyze::analyze_cmd(dir, out, *workers),
    }
}

fn generate_cmd(dir: &Path, opts: &GenOptions) -> anyhow::Result<ExitCode> {
    if !(1..=MAX_FILES).contains(&opts.files) {
        return Err(usage(format!(
            "--files {} is out of range (allowed: 1..={MAX_FILES})",
            opts.files
        )));
    }
    if opts.lines > MAX_LINES {
        return Err(usage(format!(
            "--lines {} is out of range (allowed: 0..={MAX_LINES})",
            opts.lines
        )));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(usage(format!("DIR {}: not a directory", dir.display())));
    }
    let need = (opts.files as u64)
        .saturating_mul(opts.lines)
        .saturating_mul(AVG_LINE_BYTES);
    if let Some(free) = free_space(dir)
        && need > free
    {
        return Err(usage(format!(
            "--files {} --lines {}: about {} needed but only {} free under {}",
            opts.files,
            opts.lines,
            fmt_bytes(need),
            fmt_bytes(free),
            dir.display()
        )));
    }
    let others = list_logs(dir).map_or(0, |fs| {
        fs.iter()
            .filter(|f| !is_generated_name(&f.name, opts.files))
            .count()
    });
    let cancel = CancelToken::new();
    session::cancel_on_signals(&cancel)?;
    let stats = match generate::generate(dir, opts, crate::cores(), &cancel) {
        Ok(s) => s,
        Err(DemoError::Cancelled) => {
            eprintln!("interrupted; the files written so far are complete, the rest are missing");
            return Ok(ExitCode::from(130));
        }
        Err(DemoError::Failed(e)) => return Err(e),
    };
    super::out::out(&format!(
        "wrote {} x {} lines ({}, {} MB) to {} in {} (seed {})\n",
        plural(stats.files as u64, "file"),
        crate::units::fmt_count(opts.lines),
        fmt_bytes(stats.bytes),
        mb(stats.bytes),
        dir.display(),
        secs(stats.elapsed),
        opts.seed
    ))?;
    if others > 0 {
        super::out::out(&format!(
            "note: {} already held {others} other .log file(s); analyze will count them too\n",
            dir.display()
        ))?;
    }
    super::out::out(&format!(
        "next: parlab logs analyze {} --out results.csv\n",
        dir.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Whether `name` is one of the names `generate` writes for a run of `files` files.
fn is_generated_name(name: &str, files: usize) -> bool {
    name.strip_prefix("app-")
        .and_then(|r| r.strip_suffix(".log"))
        .and_then(|n| n.parse::<usize>().ok())
        .is_some_and(|i| i < files && generate::file_name(i, files) == name)
}

/// Bytes free for an unprivileged user on the file system that holds `dir` (or would).
fn free_space(dir: &Path) -> Option<u64> {
    let mut p = dir;
    loop {
        if p.exists() {
            return crate::platform::free_space(p);
        }
        p = match p.parent() {
            Some(q) if !q.as_os_str().is_empty() => q,
            _ => Path::new("."),
        };
    }
}

/// "1 file", "2,000 files".
pub(super) fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", crate::units::fmt_count(n))
    }
}

pub(super) fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1e6)
}

pub(super) fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

pub(super) fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 1.0 {
        format!("{ms:.3} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping() {
        assert_eq!(crate::units::fmt_count(0), "0");
        assert_eq!(crate::units::fmt_count(999), "999");
        assert_eq!(crate::units::fmt_count(1000), "1,000");
        assert_eq!(crate::units::fmt_count(4_000_000), "4,000,000");
    }

    #[test]
    fn generated_names() {
        assert!(is_generated_name("app-007.log", 200));
        assert!(!is_generated_name("app-7.log", 200));
        assert!(!is_generated_name("app-200.log", 200));
        assert!(!is_generated_name("other.log", 200));
    }
}
