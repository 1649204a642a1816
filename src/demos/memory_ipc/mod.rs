//! Lesson 8: memory and IPC costs. A large buffer (256 MiB by default) is handed to workers
//! that checksum it: threads share parlab's memory, so handing over a `Vec` moves 24 bytes
//! (pointer, length, capacity) and copies nothing; a child process has its own memory, so
//! the bytes are serialized into a pipe, copied by the kernel, and copied again into the
//! child's own buffer, which makes the child as big as the data it got.
//!
//! The buffer is split into one piece per worker (at 8-byte boundaries); the checksum of a
//! word depends only on its position and value, so per-piece checksums add up to the
//! sequential one. Filling the buffer and starting workers are outside the timed window:
//! the time is the hand-over plus the checksum.

mod data;
mod processes;
mod threads;

use crate::child::Kind;
use crate::engine::{Ctx, DemoError, Digest, Metric, Outcome, TypedDemo, VariantInfo, int};

pub use data::checksum;

/// Child worker kind of the process variant.
pub const CHILD_KIND: &str = "memory-recv";
/// This demo's child kind, for the table `parlab __worker` runs from.
pub const CHILD: Kind = Kind::new(CHILD_KIND, processes::child_main);
/// Bytes per span (checksumming, sending, receiving) and between cancel checks.
const SPAN_BYTES: usize = 8 << 20;
const MIB: f64 = (1u64 << 20) as f64;

/// The memory-ipc demo.
#[derive(Debug, Default)]
pub struct MemoryIpc;

crate::demo_variants! {
    /// How the buffer reaches the workers.
    pub enum Variant {
        Sequential = VariantInfo {
            help: "one thread checksums the buffer where it is",
            ..VariantInfo::SEQUENTIAL
        },
        ThreadMove = VariantInfo::parallel(
            "thread-move",
            "each of W threads is handed one piece of the buffer: ownership moves, no byte is copied",
        ),
        ProcessCopy = VariantInfo::parallel(
            "process-copy",
            "each of W child processes is sent one piece through a pipe: every byte is copied",
        ),
    }
}

crate::demo_params! {
    /// How big the buffer is.
    pub struct Params {
        mb: u64 = int(
            256,
            0,
            65_536,
            "size of the buffer in MiB (runs needing more than half the RAM are refused)",
        ),
    }
}

/// What one pass measured.
#[derive(Debug, Default)]
struct Handed {
    sum: u64,
    copied: u64,
    /// Peak memory of each child, bytes.
    child_peaks: Vec<u64>,
    startup_ns: u64,
    t0: u64,
    t1: u64,
}

impl TypedDemo for MemoryIpc {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "memory-ipc";
    const TITLE: &'static str = "Memory and IPC: threads share, processes copy";
    const SUMMARY: &'static str = "hand a large buffer to threads (moved, no copy) or to \
                                   processes (copied through pipes)";

    fn memory_estimate(&self, p: &Params, workers: usize) -> u64 {
        // The buffer in parlab, a full copy spread over the children (process-copy), and a
        // frame buffer per child.
        let bytes = p.mb.saturating_mul(1 << 20);
        bytes
            .saturating_mul(2)
            .saturating_add((workers as u64 + 1).saturating_mul(4 << 20))
    }

    fn trace_slots(&self, _params: &Params, workers: usize) -> usize {
        // Receivers 0..W, and the senders W..2W.
        2 * workers + 1
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        run_bytes(variant, ctx, p.mb.saturating_mul(1 << 20))
    }
}

/// One pass over a buffer of `bytes` bytes (tests use sizes that are not whole MiB).
fn run_bytes(variant: Variant, ctx: &Ctx<'_>, bytes: u64) -> Result<Outcome, DemoError> {
    ctx.progress.set_total(bytes);
    let h = match variant {
        Variant::Sequential => threads::sequential(ctx, bytes)?,
        Variant::ThreadMove => threads::thread_move(ctx, bytes)?,
        Variant::ProcessCopy => processes::process_copy(ctx, bytes)?,
    };
    let mut d = Digest::new();
    d.push(h.sum);
    Ok(Outcome {
        mismatch: None,
        workers: None,
        digest: d.value(),
        items: bytes,
        metrics: metrics(variant, bytes, &h),
        note: note(variant, ctx.workers, bytes, &h),
        timed: Some((h.t0, h.t1)),
    })
}

fn metrics(variant: Variant, bytes: u64, h: &Handed) -> Vec<Metric> {
    let secs = (h.t1 - h.t0) as f64 / 1e9;
    let mut metrics = vec![
        Metric::new("buffer", bytes as f64 / MIB, "MiB"),
        Metric::new("bytes copied between workers", h.copied as f64 / MIB, "MiB"),
    ];
    if variant != Variant::Sequential {
        metrics.push(Metric::new(
            "worker start-up (not timed)",
            h.startup_ns as f64 / 1e6,
            "ms",
        ));
    }
    if h.copied > 0 && secs > 0.0 {
        metrics.push(Metric::new(
            "copy + checksum rate",
            h.copied as f64 / MIB / secs,
            "MiB/s",
        ));
    }
    for (w, peak) in h.child_peaks.iter().enumerate() {
        metrics.push(Metric::new(
            format!("child {w} peak memory (VmHWM)"),
            *peak as f64 / MIB,
            "MiB",
        ));
    }
    metrics
}

fn note(variant: Variant, workers: usize, bytes: u64, h: &Handed) -> Option<String> {
    match variant {
        Variant::Sequential => None,
        Variant::ThreadMove => Some(format!(
            "{workers} thread(s) got {:.0} MiB by moving ownership: 24 bytes each, nothing copied, no extra memory",
            bytes as f64 / MIB
        )),
        Variant::ProcessCopy => Some(format!(
            "{:.0} MiB went through pipes into {} child process(es), which grew to {:.0} MiB together while parlab still held its own copy",
            h.copied as f64 / MIB,
            h.child_peaks.len(),
            h.child_peaks.iter().sum::<u64>() as f64 / MIB
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::CancelToken;

    fn digest(variant: Variant, bytes: u64, workers: usize) -> u64 {
        crate::engine::with_ctx(workers, 2 * workers + 1, &CancelToken::new(), |ctx| {
            run_bytes(variant, ctx, bytes).unwrap().digest
        })
    }

    #[test]
    fn every_variant_matches_sequential() {
        // Empty, one byte, a prime, fewer bytes than workers, odd sizes, 3 MiB.
        for bytes in [0, 1, 13, 3, 8 * 1021 + 5, 3 << 20] {
            let seq = digest(Variant::Sequential, bytes, 1);
            for workers in [1, 2, 4] {
                for v in [Variant::ThreadMove, Variant::ProcessCopy] {
                    assert_eq!(
                        digest(v, bytes, workers),
                        seq,
                        "{v:?} {bytes} B, {workers} w"
                    );
                }
            }
        }
    }
}
