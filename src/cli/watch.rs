//! `parlab watch [--interval MS] [--trace FILE] [--format table|json] -- CMD ARGS...`: any
//! program's processes and threads, live on the dashboard (in a terminal) or as a report.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use crossbeam_channel::unbounded;

use super::args::usage;
use super::out::out;
use crate::engine::CancelToken;
use crate::machine::Machine;
use crate::observe::report::WatchReport;
use crate::observe::{WatchOptions, watch as observe};
use crate::recording::Recording;
use crate::report::chrome;

/// Shortest and longest reading interval accepted, ms.
const INTERVAL_MS: (u64, u64) = (5, 1000);

/// Output formats of `watch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum WatchFormat {
    /// A summary and one row per process and thread, for people.
    Table,
    /// One JSON document, for scripts.
    Json,
}

/// Arguments of `parlab watch`.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Milliseconds between readings of the program's processes and threads (5 to 1000).
    #[arg(long, value_name = "MS", default_value_t = 20)]
    pub interval: u64,
    /// Also write the observed timeline to FILE as Chrome trace JSON (`parlab replay FILE`).
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// A report instead of the dashboard (the default when stdout is not a terminal: table).
    #[arg(long, value_enum)]
    pub format: Option<WatchFormat>,
    /// The program and its arguments, after `--`.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        required = true,
        value_name = "CMD"
    )]
    pub cmd: Vec<String>,
}

/// Runs `parlab watch`: exit 0 when the program succeeded, 1 when it failed, 2 when it could
/// not start (or bad arguments), 130 when interrupted.
pub fn watch(a: &WatchArgs) -> anyhow::Result<ExitCode> {
    if !(INTERVAL_MS.0..=INTERVAL_MS.1).contains(&a.interval) {
        return Err(usage(format!(
            "--interval {}: allowed {} to {} ms",
            a.interval, INTERVAL_MS.0, INTERVAL_MS.1
        )));
    }
    if let Some(p) = &a.trace {
        super::run::check_trace_path(p)?;
    }
    let tui =
        a.format.is_none() && std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    let opts = WatchOptions {
        cmd: a.cmd.clone(),
        interval: Duration::from_millis(a.interval),
        stdin: !tui,
        echo: !tui,
        reading: crate::observe::Reading::default(),
    };
    if tui {
        if !crate::observe::child::can_start(&a.cmd[0]) {
            return Err(usage(format!(
                "cannot start `{}`: no such program",
                a.cmd[0]
            )));
        }
        return crate::tui::run_watch(opts, a.trace.as_deref());
    }
    let cancel = CancelToken::new();
    crate::session::cancel_on_signals(&cancel)?;
    let (tx, rx) = unbounded();
    let (stx, srx) = unbounded();
    let w = observe(&opts, &tx, &stx, &cancel).map_err(|e| usage(e.to_string()))?;
    let report = WatchReport::new(&w);
    match a.format.unwrap_or(WatchFormat::Table) {
        WatchFormat::Table => out(&report.table())?,
        WatchFormat::Json => out(&format!("{}\n", serde_json::to_string_pretty(&report)?))?,
    }
    if let Some(p) = &a.trace {
        drop((tx, stx));
        let mut rec = Recording::new(Machine::this());
        rx.iter().for_each(|e| rec.apply(e));
        srx.iter().for_each(|s| rec.push_sample(s));
        chrome::write(&rec, p)?;
        eprintln!(
            "trace written to {} ({} spans)",
            p.display(),
            rec.store.len()
        );
    }
    Ok(if w.exit.cancelled {
        ExitCode::from(130)
    } else if w.exit.code == Some(0) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
