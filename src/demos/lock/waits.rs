//! Taking a lock and showing the wait: a batch's span is cut where its worker waited for a
//! lock, so the timeline shows the waits the lesson is about.

use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

use crate::trace::{Phase, Tracer, now_ns};

/// Lock waits at least this long get their own wait-for-lock span on the timeline; shorter
/// ones are only added to the total (there can be millions of them).
const MIN_WAIT_NS: u64 = 1_000;

/// Takes `m`, also when a panicking worker poisoned it: the demo's data stays meaningful (a
/// counter, a buffer of whole writes), and the panic itself is reported by the team.
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Lock waits of one worker.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Waits {
    /// Acquisitions that found the lock taken.
    pub contended: u64,
    /// Time spent waiting in those, ns.
    pub ns: u64,
}

impl Waits {
    /// The waits of all workers together.
    pub fn total(all: &[Waits]) -> Waits {
        all.iter().fold(Waits::default(), |a, w| Waits {
            contended: a.contended + w.contended,
            ns: a.ns + w.ns,
        })
    }
}

/// The open span of one batch of a worker, cut where the worker waited for a lock.
pub(super) struct Segment<'t> {
    trace: &'t Tracer,
    w: u32,
    core: u16,
    phase: Phase,
    start: u64,
    /// Items done since the span began.
    pub items: u64,
}

impl<'t> Segment<'t> {
    /// Begins a span of `phase` for worker `w` now.
    pub fn open(trace: &'t Tracer, w: u32, phase: Phase) -> Segment<'t> {
        let s = trace.start();
        Segment {
            trace,
            w,
            core: s.core,
            phase,
            start: s.t,
            items: 0,
        }
    }

    /// Takes `m`, timing the wait only when it is contended (so the uncontended path stays
    /// cheap). A wait of at least [`MIN_WAIT_NS`] closes the span so far, records a
    /// wait-for-lock span and begins a new one.
    pub fn acquire<'a, T>(&mut self, m: &'a Mutex<T>, waits: &mut Waits) -> MutexGuard<'a, T> {
        match m.try_lock() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => {
                let t0 = now_ns();
                let g = lock(m);
                let t1 = now_ns();
                waits.contended += 1;
                waits.ns += t1 - t0;
                if t1 - t0 >= MIN_WAIT_NS {
                    let (w, core) = (self.w, self.core);
                    self.trace
                        .record(w, core, self.phase, self.start, t0, self.items, 0);
                    self.trace.record(w, core, Phase::WaitLock, t0, t1, 0, 0);
                    self.start = t1;
                    self.items = 0;
                }
                g
            }
        }
    }

    /// Ends the span now, with `bytes` written in the whole batch.
    pub fn close(self, bytes: u64) {
        self.trace.record(
            self.w,
            self.core,
            self.phase,
            self.start,
            now_ns(),
            self.items,
            bytes,
        );
    }
}
