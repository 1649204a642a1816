//! Lesson 18 (the capstone): count log levels in a directory of generated `.log` files, one
//! file per task, with the same analyzer `parlab logs analyze` runs.
//!
//! The files are generated once per parameter set into a directory under the system's temp
//! dir, reused by every pass (so passes after the first read from the page cache, as a warm
//! run of the CLI does), and removed when other parameters replace them (see `dataset`).

mod dataset;

use crate::engine::{Ctx, DemoError, Digest, Metric, Outcome, TypedDemo, VariantInfo, int};
use crate::logs::analyze::{self, Strategy};
use crate::logs::generate::GenOptions;
use crate::logs::{Analysis, Hooks, csv_out};
use crate::trace::now_ns;

/// The log-analyzer demo.
#[derive(Debug, Default)]
pub struct LogsDemo;

crate::demo_variants! {
    /// The ways of sharing the files among workers.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Pool = VariantInfo::parallel(
            "pool",
            "W threads take the next file from a shared counter, largest first",
        ),
        Rayon = VariantInfo::parallel(
            "rayon",
            "rayon parallel iterator, one job per file (work stealing)",
        ),
    }
}

crate::demo_params! {
    /// The generated dataset: how many files, how long, from which seed.
    pub struct Params {
        files: usize = int(64, 0, 10_000, "how many .log files to analyze"),
        lines: u64 = int(20_000, 0, 1_000_000, "lines per file (about 88 bytes each)"),
        seed: u64 = int(1, 0, u64::MAX, "seed of the generated files"),
    }
}

impl Variant {
    /// The analyzer's strategy this variant runs.
    fn strategy(self) -> Strategy {
        match self {
            Variant::Sequential => Strategy::Sequential,
            Variant::Pool => Strategy::Pool,
            Variant::Rayon => Strategy::Rayon,
        }
    }
}

impl TypedDemo for LogsDemo {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "logs";
    const TITLE: &'static str = "Capstone: a log analyzer";
    const SUMMARY: &'static str =
        "count ERROR/WARNING/INFO in many .log files, one file per task, streamed";

    fn finish_run(&self) {
        // The generated files are only for this run: remove them instead of leaving ~100 MB
        // in the temp directory until the next run.
        dataset::forget();
    }

    fn memory_estimate(&self, _params: &Params, workers: usize) -> u64 {
        // One read buffer and one line buffer per worker; the files stay on disk.
        workers as u64 * (256 << 10)
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let opts = GenOptions {
            files: p.files,
            lines: p.lines,
            seed: p.seed,
        };
        let data = dataset::dataset(&opts, ctx.cancel)?;
        let hooks = Hooks {
            cancel: ctx.cancel.clone(),
            trace: ctx.trace.clone(),
            progress: Some(ctx.progress.clone()),
            bytes: None,
        };
        let t0 = now_ns();
        let files = analyze::list_logs(&data.dir)
            .map_err(|e| anyhow::anyhow!("cannot list {}: {e}", data.dir.display()))?;
        let reports = analyze::analyze_files(&files, variant.strategy(), ctx.workers, &hooks)?;
        let t1 = now_ns();
        let csv = csv_out::to_bytes(&reports)?;
        let mut d = Digest::new();
        d.push_bytes(&csv);
        let a = Analysis::of(&reports);
        let secs = (t1 - t0).max(1) as f64 / 1e9;
        Ok(Outcome {
            mismatch: None,
            workers: None,
            digest: d.value(),
            items: a.files as u64,
            metrics: vec![
                Metric::new("throughput", a.bytes as f64 / 1e6 / secs, "MB/s"),
                Metric::new("files per second", a.files as f64 / secs, "files/s"),
                Metric::new("bytes read", a.bytes as f64 / 1e6, "MB"),
                Metric::new("files that failed", a.failed as f64, ""),
            ],
            note: Some(format!(
                "{} files, {:.1} MB: ERROR {}, WARNING {}, INFO {} (of {} non-empty lines)",
                a.files,
                a.bytes as f64 / 1e6,
                a.counts.error,
                a.counts.warning,
                a.counts.info,
                a.counts.lines
            )),
            timed: Some((t0, t1)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::CancelToken;

    fn run(variant: Variant, files: usize, lines: u64, workers: usize) -> Outcome {
        let p = Params {
            files,
            lines,
            seed: 1,
        };
        crate::engine::with_ctx(workers, workers + 1, &CancelToken::new(), |ctx| {
            LogsDemo.run(variant, &p, ctx).unwrap()
        })
    }

    #[test]
    fn every_variant_matches_sequential() {
        for (files, lines) in [(0, 10), (1, 10), (7, 13), (1, 0), (3, 500)] {
            let seq = run(Variant::Sequential, files, lines, 1);
            assert_eq!(seq.items, files as u64);
            for v in [Variant::Pool, Variant::Rayon] {
                for w in [1, 2, 5] {
                    assert_eq!(
                        run(v, files, lines, w).digest,
                        seq.digest,
                        "{v:?} {files} {w}"
                    );
                }
            }
        }
    }
}
