//! The recording side: per-worker buffers flushed in batches onto the run's event channel.

use std::sync::{Arc, Mutex, PoisonError};

use crossbeam_channel::Sender;
use crossbeam_utils::CachePadded;

use super::clock::{core_now, now_ns};
use super::span::{Phase, Span};
use crate::event::Event;

/// Spans a worker buffers before its batch is sent even if no one asked for a flush.
const BATCH: usize = 4096;
/// Worker slots per tracer; worker ids at or above this share the last slot.
pub const MAX_WORKERS: usize = 1024;

/// Where a span began: the time and the core, taken together at the start.
#[derive(Clone, Copy, Debug)]
pub struct SpanStart {
    /// Start, ns on the shared clock.
    pub t: u64,
    /// Core at the start.
    pub core: u16,
}

#[derive(Default)]
struct Slot {
    spans: Vec<Span>,
    cpu_ns: Option<u64>,
    pid: Option<u32>,
}

struct Inner {
    pass: u32,
    slots: Box<[CachePadded<Mutex<Slot>>]>,
    tx: Option<Sender<Event>>,
}

/// Records the spans of one timed run. Cheap to clone; every worker holds one.
///
/// Each worker writes only its own slot, so the lock taken per span is uncontended (a few
/// ns). Batches leave when a slot fills up and whenever the runner calls [`Tracer::flush`]
/// (it does so every ~50 ms so a UI can draw the run live).
#[derive(Clone)]
pub struct Tracer {
    inner: Arc<Inner>,
}

impl Tracer {
    /// A tracer for pass `pass` that sends batches on `tx` (or keeps nothing when `None`).
    pub fn new(pass: u32, workers: usize, tx: Option<Sender<Event>>) -> Tracer {
        let n = workers.clamp(1, MAX_WORKERS);
        let slots = (0..n)
            .map(|_| CachePadded::new(Mutex::new(Slot::default())))
            .collect();
        Tracer {
            inner: Arc::new(Inner { pass, slots, tx }),
        }
    }

    /// A tracer that records nothing anywhere (for benchmarks of untraced kernels).
    pub fn disabled() -> Tracer {
        Tracer::new(0, 1, None)
    }

    /// The pass id spans are stamped with.
    pub fn pass(&self) -> u32 {
        self.inner.pass
    }

    fn slot(&self, worker: u32) -> std::sync::MutexGuard<'_, Slot> {
        let i = (worker as usize).min(self.inner.slots.len() - 1);
        self.inner.slots[i]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks the start of a span: the time and the core, read on the calling thread.
    #[inline]
    pub fn start(&self) -> SpanStart {
        SpanStart {
            core: core_now(),
            t: now_ns(),
        }
    }

    /// Ends a span begun with [`Tracer::start`] now.
    #[inline]
    pub fn end(&self, worker: u32, start: SpanStart, phase: Phase, items: u64, bytes: u64) {
        let end = now_ns();
        self.record(worker, start.core, phase, start.t, end, items, bytes);
    }

    /// Ends a span and starts the next at the same instant, reading the clock once: for
    /// workers whose spans follow each other without a gap.
    #[inline]
    pub fn end_then_start(
        &self,
        worker: u32,
        start: SpanStart,
        phase: Phase,
        items: u64,
        bytes: u64,
    ) -> SpanStart {
        let next = self.start();
        self.record(worker, start.core, phase, start.t, next.t, items, bytes);
        next
    }

    /// Runs `f` as one span of `phase` and returns its result.
    #[inline]
    pub fn span<T>(&self, worker: u32, phase: Phase, items: u64, f: impl FnOnce() -> T) -> T {
        let s = self.start();
        let out = f();
        self.end(worker, s, phase, items, 0);
        out
    }

    /// Records a span whose times were measured elsewhere (e.g. in a child process).
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &self,
        worker: u32,
        core: u16,
        phase: Phase,
        start_ns: u64,
        end_ns: u64,
        items: u64,
        bytes: u64,
    ) {
        let pass = self.inner.pass;
        let mut slot = self.slot(worker);
        let pid = slot.pid;
        slot.spans.push(Span {
            pass,
            worker,
            pid,
            core,
            phase,
            start_ns,
            end_ns,
            items,
            bytes,
            merged: 1,
        });
        if slot.spans.len() >= BATCH {
            let batch = std::mem::take(&mut slot.spans);
            drop(slot);
            self.send(batch);
        }
    }

    /// Notes that `worker` is a child process with this pid (stamped on its later spans).
    pub fn set_pid(&self, worker: u32, pid: u32) {
        self.slot(worker).pid = Some(pid);
    }

    /// Names the role `worker` plays in this pass (`producer`, `consumer`, `main`): the
    /// timeline, the Workers panel, exports and replays show it beside the worker's number.
    pub fn label(&self, worker: u32, label: &str) {
        if let Some(tx) = &self.inner.tx {
            let _ = tx.send(Event::WorkerLabel {
                pass: self.inner.pass,
                worker,
                label: label.to_string(),
            });
        }
    }

    /// Adds CPU time consumed by `worker` (thread CPU time, or a child's process CPU time).
    pub fn add_cpu(&self, worker: u32, cpu_ns: u64) {
        let mut slot = self.slot(worker);
        slot.cpu_ns = Some(slot.cpu_ns.unwrap_or(0) + cpu_ns);
    }

    fn send(&self, batch: Vec<Span>) {
        if let Some(tx) = &self.inner.tx {
            // The receiver only goes away when the consumer quit; losing spans then is fine.
            let _ = tx.send(Event::Spans(batch));
        }
    }

    /// Sends every buffered span now.
    pub fn flush(&self) {
        for i in 0..self.inner.slots.len() {
            let batch = std::mem::take(&mut self.slot(i as u32).spans);
            if !batch.is_empty() {
                self.send(batch);
            }
        }
    }

    /// Flushes, then reports each worker's CPU time (once, at the end of the run).
    pub fn finish(&self) {
        self.flush();
        let pass = self.inner.pass;
        for i in 0..self.inner.slots.len() {
            let cpu = self.slot(i as u32).cpu_ns.take();
            if let (Some(cpu_ns), Some(tx)) = (cpu, &self.inner.tx) {
                let _ = tx.send(Event::WorkerCpu {
                    pass,
                    worker: i as u32,
                    cpu_ns,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_arrive_on_flush_and_finish() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let t = Tracer::new(7, 2, Some(tx));
        let s = t.start();
        t.end(1, s, Phase::Compute, 10, 0);
        t.add_cpu(1, 500);
        assert!(rx.try_recv().is_err(), "nothing sent before a flush");
        t.finish();
        let mut spans = 0;
        let mut cpu = 0;
        while let Ok(ev) = rx.try_recv() {
            match ev {
                Event::Spans(b) => {
                    assert_eq!(b[0].pass, 7);
                    assert_eq!(b[0].worker, 1);
                    assert_eq!(b[0].items, 10);
                    spans += b.len();
                }
                Event::WorkerCpu { cpu_ns, .. } => cpu += cpu_ns,
                _ => {}
            }
        }
        assert_eq!((spans, cpu), (1, 500));
    }

    #[test]
    fn a_full_batch_is_sent_without_a_flush() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let t = Tracer::new(0, 1, Some(tx));
        for i in 0..BATCH as u64 {
            t.record(0, 0, Phase::Compute, i, i + 1, 1, 0);
        }
        assert!(matches!(rx.try_recv(), Ok(Event::Spans(b)) if b.len() == BATCH));
    }
}
