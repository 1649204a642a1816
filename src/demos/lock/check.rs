//! Reading the terminal buffer back: which lines arrived whole, which were torn.

use crate::demos::support::share;
use crate::engine::Digest;

/// Torn lines sent to the live log per pass, as samples.
const SAMPLES: usize = 3;

/// The lines of a terminal buffer checked: which are whole, which were torn.
#[derive(Debug, Default, PartialEq)]
pub(super) struct LineCheck {
    /// Whole, well-formed lines, each written by the worker it names, each once.
    pub intact: u64,
    /// Order-independent hash of the intact lines' numbers.
    pub hash: u64,
    /// A few torn lines, with the worker named at their start (0 if none).
    pub samples: Vec<(u32, String)>,
}

/// Parses `worker W: hello world J` and checks that line J belongs to worker W.
pub(super) fn check_lines(text: &[u8], lines: u64, workers: usize) -> LineCheck {
    let mut seen = vec![false; usize::try_from(lines).unwrap_or(0)];
    let mut out = LineCheck::default();
    for raw in text.split(|&b| b == b'\n') {
        if raw.is_empty() {
            continue;
        }
        let line = String::from_utf8_lossy(raw);
        let parsed = line
            .strip_prefix("worker ")
            .and_then(|r| r.split_once(": hello world "))
            .and_then(|(w, j)| Some((w.parse::<usize>().ok()?, j.parse::<u64>().ok()?)));
        let ok = match parsed {
            Some((w, j)) if w < workers && share(lines, workers, w).contains(&j) => {
                let slot = &mut seen[j as usize];
                !std::mem::replace(slot, true)
            }
            _ => false,
        };
        if ok {
            if let Some((_, j)) = parsed {
                out.intact += 1;
                let mut d = Digest::new();
                d.push(j);
                out.hash = out.hash.wrapping_add(d.value());
            }
        } else if out.samples.len() < SAMPLES {
            let w = line
                .strip_prefix("worker ")
                .and_then(|r| r.split(':').next())
                .and_then(|w| w.parse().ok())
                .unwrap_or(0);
            out.samples.push((w, line.into_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torn_lines_are_counted() {
        let text = b"worker 0: hello world 0\nworker 1:worker 0: hello world 1\n hello world 2\n\n";
        let c = check_lines(text, 3, 2);
        assert_eq!(c.intact, 1);
        assert_eq!(c.samples.len(), 2);
        // Line 1 belongs to worker 0 (shares: 0..2, 2..3), so "worker 1: ... 2" is whole.
        let c = check_lines(b"worker 1: hello world 2\nworker 0: hello world 2\n", 3, 2);
        assert_eq!(c.intact, 1);
    }
}
