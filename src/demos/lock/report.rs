//! What a lock pass reports: counts, waits and torn lines as metrics, and the sentence under
//! the result.

use super::Variant;
use super::counter::Counted;
use super::lines::Written;
use crate::engine::Metric;

/// One pass's figures, for the metrics and the note.
pub(super) struct Pass<'a> {
    pub variant: Variant,
    pub workers: usize,
    /// Increments asked for.
    pub n: u64,
    /// Lines asked for.
    pub lines: u64,
    /// Lines that arrived torn.
    pub torn: u64,
    pub counted: &'a Counted,
    pub written: &'a Written,
}

impl Pass<'_> {
    fn lost(&self) -> u64 {
        self.n.saturating_sub(self.counted.count)
    }

    /// The metrics: the count and its losses, lock waits (`mutex`), torn lines, times.
    pub fn metrics(&self) -> Vec<Metric> {
        let (n, counted, written) = (self.n, self.counted, self.written);
        let per_inc = if n == 0 {
            0.0
        } else {
            counted.ns as f64 / n as f64
        };
        let mutex = self.variant == Variant::Mutex;
        let mut metrics = vec![
            Metric::new("expected count", n as f64, ""),
            Metric::new("actual count", counted.count as f64, ""),
            Metric::new("lost updates", self.lost() as f64, ""),
            Metric::new("time per increment", per_inc, "ns"),
            Metric::new("counting", counted.ns as f64 / 1e6, "ms"),
        ];
        if mutex {
            metrics.push(Metric::new(
                "counter lock: contended acquisitions",
                counted.waits.contended as f64,
                "",
            ));
            metrics.push(Metric::new(
                "counter lock: time waiting (all workers)",
                counted.waits.ns as f64 / 1e6,
                "ms",
            ));
        }
        metrics.push(Metric::new(
            "lines torn",
            self.torn as f64,
            format!("of {}", self.lines),
        ));
        metrics.push(Metric::new("writing lines", written.ns as f64 / 1e6, "ms"));
        if mutex {
            metrics.push(Metric::new(
                "print lock: time waiting (all workers)",
                written.waits.ns as f64 / 1e6,
                "ms",
            ));
        }
        metrics
    }

    /// How the answer differs from sequential's, for the headline.
    pub fn mismatch(&self) -> String {
        format!(
            "counted {} of {} increments; {} of {} lines torn",
            self.counted.count, self.n, self.torn, self.lines
        )
    }

    /// The sentence under the result: what was lost or what the safety cost.
    pub fn note(&self) -> Option<String> {
        let (n, lost) = (self.n, self.lost());
        match self.variant {
            Variant::Unlocked => {
                let pct = if n == 0 {
                    0.0
                } else {
                    100.0 * lost as f64 / n as f64
                };
                let mut s = format!(
                    "expected {n}, got {}: {lost} updates ({pct:.1}%) were lost; {} of {} lines were torn",
                    self.counted.count, self.torn, self.lines
                );
                if self.workers == 1 {
                    s.push_str(" (one worker cannot race with itself)");
                } else if lost == 0 {
                    s.push_str(
                        " (the workers never ran at the same moment: on a busy machine they can share one core; run again)",
                    );
                }
                Some(s)
            }
            Variant::Mutex => Some(format!(
                "no update lost and no line torn; workers waited {:.1} ms for the counter lock",
                self.counted.waits.ns as f64 / 1e6
            )),
            Variant::Atomic => Some(
                "no update lost: fetch_add reads and writes in one indivisible step; whole-line writes never tear"
                    .to_string(),
            ),
            Variant::Sequential => None,
        }
    }
}
