//! `parlab export TRACE --svg FILE --html FILE`: charts for slides from a trace of
//! `parlab run --trace` or `parlab sweep --trace`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::args::usage;
use crate::export::{self, Slides};
use crate::recording::Recording;
use crate::report::{chrome, summarize_run};

/// Arguments of `parlab export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The trace file (from `parlab run --trace` or `parlab sweep --trace`).
    pub trace: PathBuf,
    /// Write the charts as one SVG image to FILE.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Write one self-contained HTML page (charts and every number) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// The slides of a recording: a sweep when it holds several runs, else its one run.
pub fn slides(rec: &Recording) -> Slides<'_> {
    match rec.reports.as_slice() {
        [] => Slides {
            rec,
            run: None,
            sweep: None,
        },
        [one] => Slides {
            rec,
            run: Some(summarize_run(rec, one)),
            sweep: None,
        },
        many => Slides {
            rec,
            run: None,
            sweep: Some(super::sweep::summarize(many, &rec.machine)),
        },
    }
}

/// Runs `parlab export`.
pub fn export(a: &ExportArgs) -> anyhow::Result<ExitCode> {
    if a.svg.is_none() && a.html.is_none() {
        return Err(usage(
            "parlab export: nothing to write (give --svg FILE, --html FILE or both)",
        ));
    }
    let rec = chrome::read(&a.trace)?;
    let s = slides(&rec);
    let outputs = [
        (&a.svg, export::svg as fn(&Slides) -> String),
        (&a.html, export::html),
    ];
    for (path, render) in outputs {
        if let Some(p) = path {
            crate::datadir::write_atomic(p, render(&s).as_bytes())
                .with_context(|| format!("cannot write {}", p.display()))?;
            eprintln!("wrote {}", p.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
