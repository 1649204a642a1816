//! The deadlock demo's workers: each does its share of the transfers, taking the two account
//! locks in the variant's order, and backs off when it finds itself in a deadlock.

use std::sync::MutexGuard;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::bank::{Bank, Got, acquire};
use crate::demos::kernels;
use crate::engine::Ctx;
use crate::trace::{Phase, now_ns};

/// Heavy items computed to prepare a transfer, before any lock is taken.
const PREPARE: u64 = 200;
/// Heavy items computed while holding the first lock (reading and checking the source).
const HOLD: u64 = 40;
/// Waits shorter than this are not recorded as wait-for-lock spans.
const MIN_WAIT_NS: u64 = 2_000;

/// Source and destination account of transfer `j`.
pub fn direction(j: u64) -> (usize, usize) {
    if j % 2 == 0 { (0, 1) } else { (1, 0) }
}

/// Heavy work over `n` items of stream `seed`, folded to one value.
fn work(seed: u64, n: u64) -> u64 {
    (0..n).fold(0u64, |a, k| a ^ kernels::mix(seed + k))
}

/// Per-worker totals: amounts moved and transfers done.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Done {
    pub moved: u64,
    pub transfers: u64,
}

/// What every worker of a pass does: `n` transfers shared by `workers`, each waiting
/// `timeout_ns` for its second lock before it checks for a deadlock.
pub(super) struct Plan {
    pub n: u64,
    pub timeout_ns: u64,
    pub workers: u64,
    /// Whether locks are taken in one global order (A before B).
    pub ordered: bool,
}

/// How waiting for the second lock ended, unless cancelled.
enum Second<'a> {
    Locked(MutexGuard<'a, i64>),
    /// A deadlock, already reported: let go of the first lock and retry.
    Deadlock,
}

impl Plan {
    /// One worker doing transfers `j ≡ w (mod workers)`; `None` when cancelled.
    pub fn worker(&self, ctx: &Ctx<'_>, bank: &Bank, w: u32) -> Option<Done> {
        let mut done = Done::default();
        let mut j = u64::from(w);
        while j < self.n {
            if ctx.cancel.is_cancelled() {
                return None;
            }
            done.moved += self.transfer(ctx, bank, w, j)?;
            done.transfers += 1;
            j += self.workers;
        }
        Some(done)
    }

    /// Transfer `j` by worker `w`, retried until it is not in a deadlock: the amount moved,
    /// `None` when cancelled.
    fn transfer(&self, ctx: &Ctx<'_>, bank: &Bank, w: u32, j: u64) -> Option<u64> {
        let trace = ctx.trace;
        let (from, to) = direction(j);
        let (first, second) = if self.ordered {
            (from.min(to), from.max(to))
        } else {
            (from, to)
        };
        let s = trace.start();
        let prepared = work(j << 24, PREPARE);
        trace.end(w, s, Phase::Compute, 1, 0);
        loop {
            let s = trace.start();
            let Got::Locked(mut g1) = acquire(&bank.accounts[first], u64::MAX, ctx.cancel) else {
                return None;
            };
            if now_ns() - s.t >= MIN_WAIT_NS {
                trace.end(w, s, Phase::WaitLock, 0, 0);
            }
            bank.holder[first].store(w + 1, Ordering::SeqCst);
            let s = trace.start();
            let checked = work((j << 24) + PREPARE, HOLD);
            trace.end(w, s, Phase::Compute, 0, 0);
            let Second::Locked(mut g2) = self.second_lock(ctx, bank, w, first, second)? else {
                // Deadlock: let go of our lock, back off, retry.
                bank.holder[first].store(0, Ordering::SeqCst);
                drop(g1);
                let s = trace.start();
                std::thread::sleep(Duration::from_millis(2 + u64::from(w)));
                trace.end(w, s, Phase::Idle, 0, 0);
                continue;
            };
            bank.holder[second].store(w + 1, Ordering::SeqCst);
            let amount = ((prepared ^ checked) % 100 + 1) as i64;
            let (src, dst) = if first == from {
                (&mut g1, &mut g2)
            } else {
                (&mut g2, &mut g1)
            };
            **src -= amount;
            **dst += amount;
            bank.holder[second].store(0, Ordering::SeqCst);
            bank.holder[first].store(0, Ordering::SeqCst);
            drop(g2);
            drop(g1);
            bank.episode.store(false, Ordering::SeqCst);
            ctx.progress.add(1);
            return Some(amount as u64);
        }
    }

    /// Worker `w`, holding lock `first`, waits for `second`: after each `timeout_ns` it checks
    /// for a deadlock (reported here) and otherwise keeps waiting. `None` when cancelled.
    fn second_lock<'a>(
        &self,
        ctx: &Ctx<'_>,
        bank: &'a Bank,
        w: u32,
        first: usize,
        second: usize,
    ) -> Option<Second<'a>> {
        bank.wants[w as usize].store(second as u32 + 1, Ordering::SeqCst);
        let wait = ctx.trace.start();
        let mut deadline = wait.t.saturating_add(self.timeout_ns);
        let got = loop {
            match acquire(&bank.accounts[second], deadline, ctx.cancel) {
                Got::TimedOut if bank.is_cycle(first, second) => break Second::Deadlock,
                // The holder is slow, not stuck: keep waiting.
                Got::TimedOut => deadline = now_ns().saturating_add(self.timeout_ns),
                Got::Cancelled => return None,
                Got::Locked(g) => break Second::Locked(g),
            }
        };
        bank.wants[w as usize].store(0, Ordering::SeqCst);
        let waited = now_ns() - wait.t;
        if waited >= MIN_WAIT_NS {
            ctx.trace.end(w, wait, Phase::WaitLock, 0, 0);
        }
        if matches!(got, Second::Deadlock) {
            bank.report(ctx, w, first, second, waited);
        }
        Some(got)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_alternate() {
        assert_eq!(direction(0), (0, 1));
        assert_eq!(direction(1), (1, 0));
    }
}
