//! Pitfalls: memory blow-up. W workers each load a whole generated dataset (W copies) versus
//! each streaming its own share in fixed-size chunks, with the peak memory shown two ways:
//! bytes the workers' buffers hold (counted exactly) and the process's resident memory
//! (measured from `/proc/self/status` while the pass runs).
//!
//! The dataset is generated from a seed, record by record, the way a file would be read line
//! by line; "loading" it means materializing every record in a `Vec`. The answer (a histogram
//! of the records and a sum) is the same whichever way the records arrive.
//!
//! `pass` runs each variant, `tally` holds the answer and the byte count.

mod pass;
mod tally;

pub use tally::Tally;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tally::Held;

use crate::engine::{Ctx, DemoError, Metric, Outcome, TypedDemo, VariantInfo, int};
use crate::platform::proc_status_bytes;

/// How often the resident-memory watcher reads `/proc/self/status`.
const RSS_EVERY: Duration = Duration::from_millis(2);

/// The memory blow-up demo.
#[derive(Debug, Default)]
pub struct MemoryBlowup;

crate::demo_variants! {
    /// Who holds which records.
    pub enum Variant {
        Sequential = VariantInfo {
            help: "one thread loads the whole dataset, then processes it",
            ..VariantInfo::SEQUENTIAL
        },
        LoadAll = VariantInfo::parallel(
            "load-all",
            "every worker loads the whole dataset (W copies), then processes its share",
        ),
        Shared = VariantInfo::parallel(
            "shared",
            "the dataset is loaded once; threads read their shares of the one copy",
        ),
        // Streaming never builds the whole dataset: less work than sequential by design.
        Stream = VariantInfo::parallel(
            "stream",
            "every worker reads only its share, one chunk at a time into one buffer",
        )
        .doing_other_work(),
    }
}

crate::demo_params! {
    /// The dataset's size and the streaming chunk.
    pub struct Params {
        size: u64 = int(
            8_000_000,
            0,
            1_000_000_000,
            "records in the dataset (8 bytes each)",
        ),
        chunk: u64 = int(65_536, 1, 1_000_000_000, "records per chunk when streaming"),
    }
}

/// Reads the resident memory every few ms until `stop`; returns the highest value seen.
fn watch_rss(stop: &AtomicBool) -> u64 {
    let mut peak = proc_status_bytes("VmRSS").unwrap_or(0);
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(RSS_EVERY);
        peak = peak.max(proc_status_bytes("VmRSS").unwrap_or(0));
    }
    peak.max(proc_status_bytes("VmRSS").unwrap_or(0))
}

impl TypedDemo for MemoryBlowup {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "memory-blowup";
    const TITLE: &'static str = "Pitfalls: memory blow-up";
    const SUMMARY: &'static str =
        "every worker loads the whole dataset vs streams its share in chunks; peak memory";

    fn memory_estimate(&self, params: &Params, workers: usize) -> u64 {
        // `load-all` holds one copy per worker.
        params
            .size
            .saturating_mul(8)
            .saturating_mul(workers.max(1) as u64)
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = p.size;
        usize::try_from(n.saturating_mul(8))
            .map_err(|_| anyhow::anyhow!("size {n} does not fit in memory"))?;
        ctx.progress.set_total(n);
        let held = Held::default();
        let stop = AtomicBool::new(false);
        let rss0 = proc_status_bytes("VmRSS").unwrap_or(0);
        // The watcher is one helper thread beside the pass, not a worker team: it samples
        // while the pass runs on this thread. Without it the pass still runs (peak 0).
        let (result, rss_peak) = std::thread::scope(|s| {
            let watcher = std::thread::Builder::new()
                .name("parlab-rss-watch".into())
                .spawn_scoped(s, || watch_rss(&stop));
            let r = pass::pass(variant, ctx, &held, n, p.chunk);
            stop.store(true, Ordering::Relaxed);
            let peak = match watcher {
                Ok(h) => h.join().unwrap_or(0),
                Err(_) => 0,
            };
            (r, peak)
        });
        let Some(tally) = result? else {
            return Err(DemoError::Cancelled);
        };
        ctx.cancel.check()?;
        let peak_held = held.peak() as f64 / 1e6;
        let growth = rss_peak.saturating_sub(rss0) as f64 / 1e6;
        let dataset = (n * 8) as f64 / 1e6;
        Ok(Outcome {
            mismatch: None,
            workers: None,
            digest: tally.digest(),
            items: n,
            metrics: vec![
                Metric::new("dataset", dataset, "MB"),
                Metric::new("peak data held by workers (counted)", peak_held, "MB"),
                Metric::new(
                    "peak resident memory (measured)",
                    rss_peak as f64 / 1e6,
                    "MB",
                ),
                Metric::new("resident memory growth during the pass", growth, "MB"),
            ],
            note: Some(note(variant, dataset, peak_held, growth)),
            timed: None,
        })
    }
}

/// The sentence under the result: what was held, counted and measured (MB).
fn note(variant: Variant, dataset: f64, peak_held: f64, growth: f64) -> String {
    use crate::engine::Variants as _;
    let mut note = format!(
        "the dataset is {dataset:.1} MB; {} held at most {peak_held:.1} MB of records \
         ({:.2}x the dataset) and parlab's resident memory rose by {growth:.1} MB",
        variant.info().name,
        if dataset > 0.0 {
            peak_held / dataset
        } else {
            0.0
        }
    );
    if growth < 0.5 * peak_held {
        note.push_str(
            " (less than counted: the allocator reused memory it kept from an earlier pass)",
        );
    }
    note
}

#[cfg(test)]
mod tests {
    use crate::engine::{Demo, Params, Typed, run_pass};

    #[test]
    fn every_variant_matches_sequential() {
        let demo = Typed::new(super::MemoryBlowup);
        let specs = &demo.info().params;
        for (size, chunk) in [(0, 1), (1, 1), (100_003, 4_096), (7, 2)] {
            let mut p = Params::defaults(specs);
            p.set(specs, "size", &size.to_string()).unwrap();
            p.set(specs, "chunk", &chunk.to_string()).unwrap();
            let seq = run_pass(&demo, "sequential", &p, 1).unwrap().digest;
            for v in ["load-all", "shared", "stream"] {
                for workers in [1, 3] {
                    let got = run_pass(&demo, v, &p, workers).unwrap().digest;
                    assert_eq!(got, seq, "{v} size {size} chunk {chunk} x{workers}");
                }
            }
        }
    }
}
