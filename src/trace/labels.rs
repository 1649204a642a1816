//! Worker labels: the role a worker row plays (`producer`, `consumer`, `main`) or, under the
//! observer, the process or thread it is (`MainProcess 4242`, `ForkPoolWorker-3/…`).
//!
//! A label belongs to one pass: the same worker id can be a producer in one variant and a
//! consumer in the next. Labels are optional everywhere: a trace without them still reads,
//! and a row without one is shown by its number alone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Longest label kept, in characters: a row label never needs more, and a crafted trace
/// cannot make the store hold long strings.
pub const MAX_LABEL_CHARS: usize = 64;

/// Most labels kept in one session (one per worker and pass; a sweep stays far below).
pub const MAX_LABELS: usize = 100_000;

/// One worker's label in one pass, as sent by a demo and written to a trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerLabel {
    /// Pass id.
    pub pass: u32,
    /// Worker index.
    pub worker: u32,
    /// The role or name.
    pub label: String,
}

/// Every label of a session, bounded by [`MAX_LABELS`].
#[derive(Clone, Debug, Default)]
pub struct Labels {
    by_key: BTreeMap<(u32, u32), String>,
    /// The label each worker got last (for a view with no pass in focus).
    latest: BTreeMap<u32, String>,
}

impl Labels {
    /// Sets worker `worker`'s label in pass `pass` (cut to [`MAX_LABEL_CHARS`]; an empty
    /// label or one past [`MAX_LABELS`] is ignored).
    pub fn set(&mut self, pass: u32, worker: u32, label: &str) {
        let label: String = label.trim().chars().take(MAX_LABEL_CHARS).collect();
        if label.is_empty()
            || (self.by_key.len() >= MAX_LABELS && !self.latest.contains_key(&worker))
        {
            return;
        }
        if self.by_key.len() < MAX_LABELS {
            self.by_key.insert((pass, worker), label.clone());
        }
        self.latest.insert(worker, label);
    }

    /// The label of `worker` in `pass`; with no pass (or a pass that labelled nobody) the
    /// label it got last. `None` in a pass that labelled other workers but not this one.
    pub fn get(&self, worker: u32, pass: Option<u32>) -> Option<&str> {
        if let Some(p) = pass {
            if let Some(l) = self.by_key.get(&(p, worker)) {
                return Some(l);
            }
            if self.by_key.range((p, 0)..=(p, u32::MAX)).next().is_some() {
                return None;
            }
        }
        self.latest.get(&worker).map(String::as_str)
    }

    /// True when no worker has a label.
    pub fn is_empty(&self) -> bool {
        self.latest.is_empty()
    }

    /// Every label, by pass then worker (what a trace writes).
    pub fn all(&self) -> Vec<WorkerLabel> {
        self.by_key
            .iter()
            .map(|(&(pass, worker), label)| WorkerLabel {
                pass,
                worker,
                label: label.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_belong_to_their_pass() {
        let mut l = Labels::default();
        l.set(1, 0, "producer");
        l.set(1, 1, "consumer");
        l.set(2, 0, "consumer");
        assert_eq!(l.get(0, Some(1)), Some("producer"));
        assert_eq!(l.get(0, Some(2)), Some("consumer"));
        // Pass 2 labelled worker 0 only: worker 1 has no role there.
        assert_eq!(l.get(1, Some(2)), None);
        // A pass that labelled nobody, or no pass: the latest label.
        assert_eq!(l.get(0, Some(9)), Some("consumer"));
        assert_eq!(l.get(1, None), Some("consumer"));
        assert_eq!(l.all().len(), 3);
    }

    #[test]
    fn long_and_empty_labels() {
        let mut l = Labels::default();
        l.set(0, 0, &"x".repeat(500));
        l.set(0, 1, "  ");
        assert_eq!(l.get(0, None).map(str::len), Some(MAX_LABEL_CHARS));
        assert!(l.get(1, None).is_none());
    }
}
