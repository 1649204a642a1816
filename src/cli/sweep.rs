//! `parlab sweep`: one demo at several worker counts; speedup curve, Amdahl fit, Karp–Flatt.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Args;

use super::Format;
use super::args::{DemoArgs, check_memory, check_workers_u64, usage};
use crate::engine::{CancelToken, RunRequest};
use crate::report::sweep::{self, SweepSummary};
use crate::report::sweep_run::{run_counts, series};
use crate::session;

/// Arguments of `parlab sweep`.
#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    /// Demo and parameters.
    #[command(flatten)]
    pub demo: DemoArgs,
    /// Worker counts: a list `1,2,4` or a range `1..8` (default: 1 to the logical cores).
    #[arg(long)]
    pub workers: Option<String>,
    /// Also write the whole sweep as a trace to FILE (`parlab export FILE --svg` draws it).
    #[arg(long, value_name = "FILE")]
    pub trace: Option<std::path::PathBuf>,
}

/// Parses `1,2,4`, `1..8` or `1..=8`.
pub fn parse_workers(s: &str) -> anyhow::Result<Vec<usize>> {
    let bad = || {
        usage(format!(
            "--workers {s}: expected a list like 1,2,4 or a range like 1..8"
        ))
    };
    let mut out: Vec<usize> = if let Some((a, b)) = s.split_once("..") {
        let a: u64 = a.trim().parse().map_err(|_| bad())?;
        let b: u64 = b
            .trim()
            .trim_start_matches('=')
            .parse()
            .map_err(|_| bad())?;
        if a > b {
            return Err(bad());
        }
        // Both ends are admitted before the range is built, so it holds at most MAX_WORKERS.
        (check_workers_u64(a)?..=check_workers_u64(b)?).collect()
    } else {
        s.split(',')
            .map(|x| x.trim().parse::<u64>().map_err(|_| bad()))
            .map(|x| x.and_then(check_workers_u64))
            .collect::<Result<_, _>>()?
    };
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Runs `parlab sweep`: the demo at each worker count, then the curves printed in the
/// chosen format; exit 130 when cancelled, 1 when a variant failed.
pub fn sweep(a: &SweepArgs) -> anyhow::Result<ExitCode> {
    let r = a.demo.resolve()?;
    let counts = match &a.workers {
        Some(s) => parse_workers(s)?,
        None => (1..=crate::cores()).collect(),
    };
    check_memory(&r, counts.iter().copied().max().unwrap_or(1))?;
    if let Some(p) = &a.trace {
        super::run::check_trace_path(p)?;
    }
    let cancel = CancelToken::new();
    session::cancel_on_signals(&cancel)?;
    let base = RunRequest {
        demo: r.demo,
        params: r.params.clone(),
        workers: 1,
        variants: r.variants.clone(),
        repeats: r.repeats,
        reference: None,
    };
    let (reports, rec) = session::record(&cancel, std::io::stderr().is_terminal(), |runner| {
        run_counts(runner, &base, &counts)
    })?;
    let mut summary = summarize(&reports, &rec.machine);
    summary.demo = r.demo.info().id.to_string();
    summary.params = r.params;
    match a.demo.format {
        Format::Table => print!("{}", sweep::table(&summary)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
        Format::Csv => print!("{}", sweep::csv(&summary)?),
    }
    if let Some(p) = &a.trace {
        crate::report::chrome::write(&rec, p)?;
        eprintln!("trace written to {}", p.display());
    }
    let failed = reports.iter().any(|r| r.has_failures());
    Ok(if summary.cancelled {
        ExitCode::from(130)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The sweep's summary from its run reports (one per worker count), as printed live and as
/// `parlab export` draws it from a trace.
pub fn summarize(
    reports: &[crate::engine::RunReport],
    machine: &crate::machine::Machine,
) -> SweepSummary {
    let first = reports.first();
    SweepSummary {
        demo: first.map_or(String::new(), |r| r.demo.clone()),
        params: first.map_or_else(Default::default, |r| r.params.clone()),
        cores: first.map_or(machine.cores, |r| r.cores),
        machine: machine.clone(),
        sequential_ms: first
            .and_then(|r| r.variant("sequential"))
            .map_or(0.0, |v| v.wall.median),
        series: series(reports),
        cancelled: reports.iter().any(|r| r.cancelled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_lists_and_ranges() {
        assert_eq!(parse_workers("1,2,4").unwrap(), vec![1, 2, 4]);
        assert_eq!(parse_workers("1..4").unwrap(), vec![1, 2, 3, 4]);
        assert_eq!(parse_workers("2..=3").unwrap(), vec![2, 3]);
        assert!(parse_workers("0,1").is_err());
        assert!(parse_workers("4..1").is_err());
        assert!(parse_workers("x").is_err());
        let e = parse_workers("1..99999999999").unwrap_err().to_string();
        assert!(e.contains("--workers 99999999999 is out of range"), "{e}");
    }
}
