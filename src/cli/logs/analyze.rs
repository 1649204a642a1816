//! `parlab logs analyze`: count the levels of every `.log` file of a directory into a CSV, and
//! say where the time went.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::{mb, ms, plural, secs};
use crate::cli::args::{check_workers, usage};
use crate::engine::{CancelToken, DemoError, Progress};
use crate::logs::analyze::{self, Strategy};
use crate::logs::{Analysis, Hooks, csv_out};
use crate::session;

/// Runs `parlab logs analyze`: checks the arguments, counts (with a progress bar on a
/// terminal), writes the CSV, prints the summary.
pub(super) fn analyze_cmd(
    dir: &Path,
    out: &Path,
    workers: Option<usize>,
) -> anyhow::Result<ExitCode> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(usage(format!("DIR {}: not a directory", dir.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(usage(format!("DIR {}: no such directory", dir.display())));
        }
        Err(e) => return Err(usage(format!("DIR {}: {e}", dir.display()))),
    }
    let workers = check_workers(workers.unwrap_or_else(crate::cores))?;
    let to_stdout = out.as_os_str() == "-";
    if !to_stdout {
        crate::datadir::check_writable(out)
            .map_err(|e| usage(format!("--out {}: {e}", out.display())))?;
    }
    let cancel = CancelToken::new();
    session::cancel_on_signals(&cancel)?;

    let t0 = Instant::now();
    let cpu0 = crate::trace::process_cpu_ns();
    let files = analyze::list_logs(dir)
        .map_err(|e| anyhow::anyhow!("cannot list {}: {e}", dir.display()))?;
    let t_list = t0.elapsed();
    let bytes = Progress::default();
    let hooks = Hooks {
        bytes: Some(bytes.clone()),
        ..Hooks::quiet(&cancel)
    };
    let counted = super::bar::while_showing(&bytes, || {
        analyze::analyze_files(&files, Strategy::Pool, workers, &hooks)
    });
    let reports = match counted {
        Ok(r) => r,
        Err(DemoError::Cancelled) => {
            eprintln!("interrupted; no CSV written");
            return Ok(ExitCode::from(130));
        }
        Err(DemoError::Failed(e)) => return Err(e),
    };
    let t_count = t0.elapsed() - t_list;
    if to_stdout {
        csv_out::write_rows(std::io::stdout().lock(), &reports)?;
    } else {
        csv_out::write_atomic(out, &reports)?;
    }
    let total = t0.elapsed();
    let cpu = Duration::from_nanos(crate::trace::process_cpu_ns().saturating_sub(cpu0));
    let t_write = total - t_list - t_count;

    let a = Analysis::of(&reports);
    let mut text = summary(dir, workers, &a, [t_list, t_count, t_write, total, cpu]);
    if !to_stdout {
        text.push_str(&format!(
            "wrote {} ({} rows + header)\n",
            out.display(),
            crate::units::fmt_count(a.files as u64)
        ));
    }
    // With the CSV on stdout, the summary goes to stderr so the two do not mix.
    if to_stdout {
        eprint!("{text}");
    } else {
        crate::cli::out::out(&text)?;
    }
    if a.failed > 0 {
        eprintln!("{}", failure_line(&reports, &a));
    }
    if a.files == 0 {
        eprintln!(
            "error: no .log files directly in {} (subdirectories are not searched)",
            dir.display()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(if a.failed == a.files {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The report printed after an analysis: totals, counts, where the time went, throughput.
fn summary(dir: &Path, workers: usize, a: &Analysis, t: [Duration; 5]) -> String {
    let [list, count, write, total, cpu] = t;
    let s = total.as_secs_f64().max(1e-9);
    format!(
        "analyzed {} in {} with {}: {} MB, {} non-empty lines\n\
         counts: ERROR {}  WARNING {}  INFO {}  (DEBUG and other first words are not columns)\n\
         time: {} total = list {} + count {} + write CSV {}\n\
         cpu: {} user+system over all workers = {:.2} cores busy on average\n\
         throughput: {:.0} files/s, {:.0} MB/s (MB = 10^6 bytes)\n",
        plural(a.files as u64, ".log file"),
        dir.display(),
        plural(workers as u64, "worker"),
        mb(a.bytes),
        crate::units::fmt_count(a.counts.lines),
        crate::units::fmt_count(a.counts.error),
        crate::units::fmt_count(a.counts.warning),
        crate::units::fmt_count(a.counts.info),
        secs(total),
        ms(list),
        ms(count),
        ms(write),
        secs(cpu),
        cpu.as_secs_f64() / s,
        a.files as f64 / s,
        a.bytes as f64 / 1e6 / s,
    )
}

/// One line naming the failed files (the first three) and why.
fn failure_line(reports: &[analyze::FileReport], a: &Analysis) -> String {
    let failed: Vec<String> = reports
        .iter()
        .filter_map(|r| {
            let e = r.outcome.as_ref().err()?;
            Some(format!("{} ({})", r.name, e.trim_start_matches("Error: ")))
        })
        .collect();
    let mut line = format!(
        "warning: {} of {} files could not be analyzed (their rows carry the error): {}",
        a.failed,
        a.files,
        failed
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if failed.len() > 3 {
        line.push_str(&format!(" and {} more", failed.len() - 3));
    }
    line
}
