//! The debugging demo's log: every line goes to the live view and is kept, and the pass's
//! note reads it as a person would, looking for a task with fewer results than items.

use std::sync::Mutex;

use crate::engine::{Ctx, DemoError};
use crate::trace::now_ns;

/// Log lines quoted in the note.
const QUOTED: usize = 2;

/// A log line kept for the note: time since the pass began, worker, text.
pub(super) struct Line {
    t_ns: u64,
    worker: u32,
    text: String,
}

/// The pass's log: each line goes to the live view and is kept for the note.
pub(super) struct Log {
    /// When the pass began (ns).
    pub t0: u64,
    lines: Mutex<Vec<Line>>,
}

impl Log {
    /// An empty log for a pass that began at `t0`.
    pub fn new(t0: u64) -> Log {
        Log {
            t0,
            lines: Mutex::new(Vec::new()),
        }
    }

    /// Writes `text` as worker `worker`, stamped now.
    pub fn write(&self, ctx: &Ctx<'_>, worker: u32, text: String) {
        let t_ns = now_ns();
        ctx.live.log(worker, text.clone());
        if let Ok(mut l) = self.lines.lock() {
            l.push(Line { t_ns, worker, text });
        }
    }

    /// The lines written, in order.
    pub fn into_lines(self) -> Result<Vec<Line>, DemoError> {
        Ok(self
            .lines
            .into_inner()
            .map_err(|_| anyhow::anyhow!("log lock poisoned"))?)
    }
}

/// A log line as a person reads it: `[+12.3 ms w1] task 7 done: ...`.
fn quote(t0: u64, l: &Line) -> String {
    format!(
        "[+{:.1} ms w{}] {}",
        l.t_ns.saturating_sub(t0) as f64 / 1e6,
        l.worker,
        l.text
    )
}

/// Whether a line is a "done" line with fewer results than items.
fn shows_loss(text: &str) -> bool {
    text.split_once(" done: ")
        .and_then(|(_, rest)| {
            let mut it = rest.split(", ");
            let a = it.next()?.strip_suffix(" in")?.to_string();
            let b = it.next()?.strip_suffix(" out")?.to_string();
            Some(a != b)
        })
        .unwrap_or(false)
}

/// Reading the log as a person would: which "done" lines have fewer results than items?
pub(super) fn suspects(lines: &[Line]) -> Vec<&Line> {
    lines.iter().filter(|l| shows_loss(&l.text)).collect()
}

/// The pass's sentence: the culprit's line if any, else two quoted lines.
pub(super) fn note(t0: u64, lines: &[Line], suspects: &[&Line], n: u64, workers: usize) -> String {
    if let Some(bad) = suspects.first() {
        return format!(
            "the answer is wrong and nothing crashed; the log names the culprit: {} \
             ({} of {} tasks show fewer results than items)",
            quote(t0, bad),
            suspects.len(),
            n
        );
    }
    let quoted: Vec<String> = lines
        .iter()
        .filter(|l| l.text.contains(" done: "))
        .take(QUOTED)
        .map(|l| quote(t0, l))
        .collect();
    format!(
        "{n} tasks on {workers} worker(s), {} log lines, every task's results match its items; \
         e.g. {}",
        lines.len(),
        if quoted.is_empty() {
            "(no tasks)".to_string()
        } else {
            quoted.join(" / ")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_done_line_with_fewer_results_is_a_suspect() {
        assert!(shows_loss(
            "task 3 done: 6000 in, 4096 out, partial sum 0x1, 1.00 ms"
        ));
        assert!(!shows_loss(
            "task 3 done: 600 in, 600 out, partial sum 0x1, 1.00 ms"
        ));
        assert!(!shows_loss("task 3 start: 6000 items"));
        let line = Line {
            t_ns: 2_500_000,
            worker: 1,
            text: "task 7 done: 6000 in, 4096 out".into(),
        };
        assert_eq!(
            quote(1_000_000, &line),
            "[+1.5 ms w1] task 7 done: 6000 in, 4096 out"
        );
    }
}
