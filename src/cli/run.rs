//! `parlab run`: every variant of one demo, timed and checked, as a table, JSON or CSV.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::Format;
use super::args::{DemoArgs, check_memory, check_workers, usage};
use super::out::out;
use crate::engine::{CancelToken, RunRequest};
use crate::report::{self, chrome};
use crate::session;

/// Arguments of `parlab run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Demo and parameters.
    #[command(flatten)]
    pub demo: DemoArgs,
    /// Workers for the parallel variants (default: logical cores).
    #[arg(long)]
    pub workers: Option<usize>,
    /// Also write every span, sample and the machine description to FILE as Chrome trace JSON
    /// (opens in Perfetto; `parlab replay FILE` plays it).
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

/// Checks that `path` can be written before the run ([`crate::datadir::check_writable`]).
pub fn check_trace_path(path: &std::path::Path) -> anyhow::Result<()> {
    crate::datadir::check_writable(path)
        .map_err(|e| usage(format!("--trace {}: {e}", path.display())))
}

/// Runs `parlab run`.
pub fn run(a: &RunArgs) -> anyhow::Result<ExitCode> {
    let r = a.demo.resolve()?;
    let workers = check_workers(a.workers.unwrap_or_else(crate::cores))?;
    check_memory(&r, workers)?;
    if let Some(p) = &a.trace {
        check_trace_path(p)?;
    }
    let cancel = CancelToken::new();
    session::cancel_on_signals(&cancel)?;
    let req = RunRequest {
        demo: r.demo,
        params: r.params,
        workers,
        variants: r.variants,
        repeats: r.repeats,
        reference: None,
    };
    let (report, rec) = session::record(&cancel, std::io::stderr().is_terminal(), |runner| {
        runner.run(&req)
    })?;
    let summary = report::summarize_run(&rec, &report);
    match a.demo.format {
        Format::Table => out(&report::table(&summary))?,
        Format::Json => out(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?,
        Format::Csv => out(&report::csv(&summary)?)?,
    }
    if let Some(p) = &a.trace {
        chrome::write(&rec, p)?;
        eprintln!(
            "trace written to {} ({} spans); open it in https://ui.perfetto.dev",
            p.display(),
            rec.store.len()
        );
    }
    Ok(if report.cancelled {
        ExitCode::from(130)
    } else if report.has_failures() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
