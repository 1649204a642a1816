//! The two accounts behind their locks, who holds and wants which lock, and taking a lock in
//! a way that can time out and be cancelled.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use crate::engine::{CancelToken, Ctx};
use crate::trace::now_ns;

/// Starting balance of each account.
const START: i64 = 1_000_000;
/// Account names, by index.
pub(super) const NAMES: [&str; 2] = ["A", "B"];
/// Longest sleep between two attempts to take a lock.
const MAX_POLL: Duration = Duration::from_millis(1);

/// The two accounts and who holds / wants which lock, for the deadlock check.
pub(super) struct Bank {
    pub accounts: [Mutex<i64>; 2],
    /// Worker + 1 holding each lock (0: nobody).
    pub holder: [AtomicU32; 2],
    /// Per worker: lock + 1 it is waiting for (0: none).
    pub wants: Vec<AtomicU32>,
    /// Set while a detected deadlock is being resolved (so it is counted once).
    pub episode: AtomicBool,
    pub deadlocks: AtomicU64,
    pub lost_ns: AtomicU64,
    first_report: Mutex<Option<String>>,
}

impl Bank {
    /// Two accounts at their starting balance, for `workers` workers.
    pub fn new(workers: usize) -> Bank {
        Bank {
            accounts: [Mutex::new(START), Mutex::new(START)],
            holder: [AtomicU32::new(0), AtomicU32::new(0)],
            wants: (0..workers).map(|_| AtomicU32::new(0)).collect(),
            episode: AtomicBool::new(false),
            deadlocks: AtomicU64::new(0),
            lost_ns: AtomicU64::new(0),
            first_report: Mutex::new(None),
        }
    }

    /// Whether worker `w`, holding lock `first` and waiting for `second`, is in a cycle: the
    /// holder of `second` waits for `first`.
    pub fn is_cycle(&self, first: usize, second: usize) -> bool {
        let h = self.holder[second].load(Ordering::SeqCst);
        h != 0 && self.wants[h as usize - 1].load(Ordering::SeqCst) == first as u32 + 1
    }

    /// Reports the deadlock worker `w` found after waiting `waited` ns (once per episode).
    pub fn report(&self, ctx: &Ctx<'_>, w: u32, first: usize, second: usize, waited: u64) {
        let h = self.holder[second].load(Ordering::SeqCst).saturating_sub(1);
        if self
            .episode
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            return;
        }
        self.deadlocks.fetch_add(1, Ordering::Relaxed);
        self.lost_ns.fetch_add(waited, Ordering::Relaxed);
        let text = format!(
            "deadlock detected after {:.0} ms: worker {w} holds {} wants {}, \
             worker {h} holds {} wants {}; worker {w} backs off",
            waited as f64 / 1e6,
            NAMES[first],
            NAMES[second],
            NAMES[second],
            NAMES[first]
        );
        ctx.live.log(w, text.clone());
        if let Ok(mut r) = self.first_report.lock() {
            r.get_or_insert(text);
        }
    }

    /// The final balances of A and B, and the first deadlock report.
    pub fn close(self) -> ([i64; 2], Option<String>) {
        let balances = self
            .accounts
            .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()));
        (balances, self.first_report.into_inner().ok().flatten())
    }
}

/// How an attempt to take a lock ended.
pub(super) enum Got<'a> {
    Locked(MutexGuard<'a, i64>),
    TimedOut,
    Cancelled,
}

/// Takes `m` by polling `try_lock` (spin, then yield, then sleeps up to [`MAX_POLL`]), giving up
/// at `deadline` (ns) or when cancelled.
pub(super) fn acquire<'a>(m: &'a Mutex<i64>, deadline: u64, cancel: &CancelToken) -> Got<'a> {
    let mut tries = 0u32;
    loop {
        match m.try_lock() {
            Ok(g) => return Got::Locked(g),
            Err(TryLockError::Poisoned(p)) => return Got::Locked(p.into_inner()),
            Err(TryLockError::WouldBlock) => {}
        }
        if cancel.is_cancelled() {
            return Got::Cancelled;
        }
        if now_ns() >= deadline {
            return Got::TimedOut;
        }
        tries += 1;
        if tries < 64 {
            std::hint::spin_loop();
        } else if tries < 128 {
            std::thread::yield_now();
        } else {
            let k = (tries - 128).min(5);
            std::thread::sleep((Duration::from_micros(32) * (1 << k)).min(MAX_POLL));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acquire_times_out_and_cancels() {
        let m = Mutex::new(0i64);
        let _held = m.lock().unwrap();
        let c = CancelToken::new();
        assert!(matches!(
            acquire(&m, now_ns() + 1_000_000, &c),
            Got::TimedOut
        ));
        c.cancel();
        assert!(matches!(acquire(&m, u64::MAX, &c), Got::Cancelled));
    }

    #[test]
    fn a_cycle_is_each_holding_what_the_other_wants() {
        let bank = Bank::new(2);
        // Worker 0 holds A (0) and wants B (1); worker 1 holds B.
        bank.holder[0].store(1, Ordering::SeqCst);
        bank.holder[1].store(2, Ordering::SeqCst);
        bank.wants[0].store(2, Ordering::SeqCst);
        assert!(!bank.is_cycle(0, 1), "worker 1 wants nothing yet");
        bank.wants[1].store(1, Ordering::SeqCst);
        assert!(bank.is_cycle(0, 1));
        assert!(bank.is_cycle(1, 0));
    }
}
