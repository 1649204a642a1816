//! The writing phase: every worker writes its share of `lines` lines to one shared "terminal"
//! buffer, each line as several writes (unlocked, or under a print lock) or as one whole write.
//!
//! Each write lands whole in the buffer (as one `write` system call does); a line written as
//! several writes can be split by another worker's writes, exactly as Python's unbuffered
//! `print` can.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

use super::Variant;
use super::waits::{Segment, Waits, lock};
use crate::demos::support::{share, team};
use crate::engine::{Ctx, DemoError};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Lines per span of writing.
const LINE_BATCH: u64 = 64;

/// What the writing phase produced.
pub(super) struct Written {
    /// The terminal buffer.
    pub text: Vec<u8>,
    /// Waits for the print lock, all workers together.
    pub waits: Waits,
    /// Wall time of the phase, ns.
    pub ns: u64,
}

/// The shared terminal and the print lock of the `mutex` variant.
struct Terminal {
    text: Mutex<Vec<u8>>,
    print_lock: Mutex<()>,
}

impl Terminal {
    /// Writes `bytes` as one indivisible write.
    fn write(&self, bytes: &[u8]) {
        lock(&self.text).extend_from_slice(bytes);
    }
}

/// The line number `j` of worker `w`, as `print("worker w: hello world", j)` would: four
/// writes, the last one the newline.
fn pieces(w: usize, j: u64, buf: &mut String) -> [Range<usize>; 4] {
    buf.clear();
    let _ = write!(buf, "worker {w}:");
    let a = buf.len();
    buf.push_str(" hello world");
    let b = buf.len();
    let _ = write!(buf, " {j}");
    let c = buf.len();
    buf.push('\n');
    [0..a, a..b, b..c, c..buf.len()]
}

/// Every one of `workers` workers writes its share of `lines` lines to one shared terminal
/// buffer, all starting together.
pub(super) fn write_lines(
    ctx: &Ctx<'_>,
    variant: Variant,
    workers: usize,
    lines: u64,
) -> Result<Written, DemoError> {
    let t0 = now_ns();
    let term = Terminal {
        text: Mutex::new(Vec::with_capacity(
            usize::try_from(lines.saturating_mul(32)).unwrap_or(0),
        )),
        print_lock: Mutex::new(()),
    };
    let waits = team("print").together().run(ctx, workers, |w| {
        Ok(lines_worker(ctx, variant, w, workers, lines, &term))
    })?;
    ctx.cancel.check()?;
    Ok(Written {
        text: term
            .text
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
        waits: Waits::total(&waits),
        ns: now_ns() - t0,
    })
}

/// Worker `w`'s lines, in batches of [`LINE_BATCH`]; returns its waits for the print lock.
fn lines_worker(
    ctx: &Ctx<'_>,
    variant: Variant,
    w: usize,
    workers: usize,
    lines: u64,
    term: &Terminal,
) -> Waits {
    let id = w as u32;
    let cpu0 = thread_cpu_ns();
    let mut waits = Waits::default();
    let mut buf = String::new();
    let mine = share(lines, workers, w);
    let mut j = mine.start;
    while j < mine.end && !ctx.cancel.is_cancelled() {
        let end = (j + LINE_BATCH).min(mine.end);
        let mut seg = Segment::open(ctx.trace, id, Phase::Send);
        let mut bytes = 0;
        for line in j..end {
            let p = pieces(w, line, &mut buf);
            let bs = buf.as_bytes();
            match variant {
                Variant::Sequential | Variant::Unlocked => {
                    for r in p {
                        term.write(&bs[r]);
                    }
                }
                Variant::Mutex => {
                    let _g = seg.acquire(&term.print_lock, &mut waits);
                    for r in p {
                        term.write(&bs[r]);
                    }
                }
                Variant::Atomic => term.write(bs),
            }
            seg.items += 1;
            bytes += bs.len() as u64;
        }
        seg.close(bytes);
        j = end;
    }
    ctx.trace.add_cpu(id, thread_cpu_ns() - cpu0);
    waits
}
