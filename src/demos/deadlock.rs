//! Pitfalls: deadlock. Workers move money between two accounts, A and B, each behind its own
//! lock. The natural code locks the source account, then the destination, so a transfer
//! A→B and a transfer B→A take the two locks in opposite orders: each worker can end up
//! holding one lock and waiting forever for the other.
//!
//! Nothing here can hang. Locks are taken with `try_lock` polling (spin, yield, then short
//! sleeps), so a waiting worker still sees the cancel flag. A worker waits at most `timeout`
//! ms for its second lock; then it looks at who holds what, and if the other holder is
//! waiting for the lock it holds, that is a deadlock: it reports it, releases its lock, backs
//! off for a couple of ms and tries again. The `ordered` variant takes the locks in one
//! global order (A before B) and can never deadlock.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use super::kernels;
use crate::engine::{
    CancelToken, Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, VariantInfo,
};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Heavy items computed to prepare a transfer, before any lock is taken.
const PREPARE: u64 = 200;
/// Heavy items computed while holding the first lock (reading and checking the source).
const HOLD: u64 = 40;
/// Starting balance of each account.
const START: i64 = 1_000_000;
/// Account names, by index.
const NAMES: [&str; 2] = ["A", "B"];
/// Longest sleep between two attempts to take a lock.
const MAX_POLL: Duration = Duration::from_millis(1);
/// Waits shorter than this are not recorded as wait-for-lock spans.
const MIN_WAIT_NS: u64 = 2_000;

/// The deadlock demo.
pub struct Deadlock {
    info: DemoInfo,
}

impl Deadlock {
    /// The demo with its declared parameters and variants.
    pub fn new() -> Deadlock {
        Deadlock {
            info: DemoInfo {
                id: "deadlock",
                title: "Pitfalls: deadlock and lock ordering",
                summary: "two locks taken in opposite orders deadlock; a timeout detects it, a global order fixes it",
                params: vec![
                    ParamSpec::int(
                        "size",
                        64,
                        0,
                        1_000_000,
                        "transfers (even ones go A→B, odd ones B→A)",
                    ),
                    ParamSpec::int(
                        "timeout",
                        100,
                        1,
                        10_000,
                        "ms a worker waits for its second lock before checking for a deadlock",
                    ),
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "opposite",
                        "lock the source account, then the destination: A→B and B→A can deadlock",
                    ),
                    VariantInfo::parallel(
                        "ordered",
                        "always lock A before B (one global order): no deadlock is possible",
                    ),
                ],
            },
        }
    }
}

impl Default for Deadlock {
    fn default() -> Self {
        Deadlock::new()
    }
}

/// Source and destination account of transfer `j`.
pub fn direction(j: u64) -> (usize, usize) {
    if j % 2 == 0 { (0, 1) } else { (1, 0) }
}

/// Heavy work over `n` items of stream `seed`, folded to one value.
fn work(seed: u64, n: u64) -> u64 {
    (0..n).fold(0u64, |a, k| a ^ kernels::mix(seed + k))
}

/// The two accounts and who holds / wants which lock, for the deadlock check.
struct Bank {
    accounts: [Mutex<i64>; 2],
    /// Worker + 1 holding each lock (0: nobody).
    holder: [AtomicU32; 2],
    /// Per worker: lock + 1 it is waiting for (0: none).
    wants: Vec<AtomicU32>,
    /// Set while a detected deadlock is being resolved (so it is counted once).
    episode: AtomicBool,
    deadlocks: AtomicU64,
    lost_ns: AtomicU64,
    first_report: Mutex<Option<String>>,
}

/// How an attempt to take a lock ended.
enum Got<'a> {
    Locked(MutexGuard<'a, i64>),
    TimedOut,
    Cancelled,
}

/// Takes `m` by polling `try_lock` (spin, then yield, then sleeps up to [`MAX_POLL`]), giving up
/// at `deadline` (ns) or when cancelled.
fn acquire<'a>(m: &'a Mutex<i64>, deadline: u64, cancel: &CancelToken) -> Got<'a> {
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

/// Per-worker totals: amounts moved and transfers done.
#[derive(Default)]
struct Done {
    moved: u64,
    transfers: u64,
}

/// One worker doing transfers `j ≡ w (mod workers)`; `None` when cancelled.
fn worker(ctx: &Ctx<'_>, bank: &Bank, w: u32, workers: u64, ordered: bool) -> Option<Done> {
    let n = ctx.params.int("size");
    let timeout_ns = ctx.params.int("timeout").max(1) * 1_000_000;
    let trace = ctx.trace;
    let mut done = Done::default();
    let mut j = u64::from(w);
    while j < n {
        if ctx.cancel.is_cancelled() {
            return None;
        }
        let (from, to) = direction(j);
        let (first, second) = if ordered {
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
            bank.wants[w as usize].store(second as u32 + 1, Ordering::SeqCst);
            let wait = trace.start();
            let mut deadline = wait.t.saturating_add(timeout_ns);
            let got = loop {
                match acquire(&bank.accounts[second], deadline, ctx.cancel) {
                    Got::TimedOut => {
                        let h = bank.holder[second].load(Ordering::SeqCst);
                        let cycle = h != 0
                            && bank.wants[h as usize - 1].load(Ordering::SeqCst)
                                == first as u32 + 1;
                        if cycle {
                            break None;
                        }
                        // The holder is slow, not stuck: keep waiting.
                        deadline = now_ns().saturating_add(timeout_ns);
                    }
                    Got::Cancelled => return None,
                    Got::Locked(g) => break Some(g),
                }
            };
            bank.wants[w as usize].store(0, Ordering::SeqCst);
            let waited = now_ns() - wait.t;
            if waited >= MIN_WAIT_NS {
                trace.end(w, wait, Phase::WaitLock, 0, 0);
            }
            let Some(mut g2) = got else {
                // Deadlock: report it (once per episode), let go of our lock, back off, retry.
                let h = bank.holder[second].load(Ordering::SeqCst).saturating_sub(1);
                if bank
                    .episode
                    .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
                {
                    bank.deadlocks.fetch_add(1, Ordering::Relaxed);
                    bank.lost_ns.fetch_add(waited, Ordering::Relaxed);
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
                    if let Ok(mut r) = bank.first_report.lock() {
                        r.get_or_insert(text);
                    }
                }
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
            done.moved += amount as u64;
            done.transfers += 1;
            bank.holder[second].store(0, Ordering::SeqCst);
            bank.holder[first].store(0, Ordering::SeqCst);
            drop(g2);
            drop(g1);
            bank.episode.store(false, Ordering::SeqCst);
            ctx.progress.add(1);
            break;
        }
        j += workers;
    }
    Some(done)
}

impl Demo for Deadlock {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("size");
        let (workers, ordered) = match variant {
            "sequential" => (1, false),
            "opposite" => (ctx.workers.max(1), false),
            "ordered" => (ctx.workers.max(1), true),
            other => return Err(anyhow::anyhow!("deadlock has no variant {other}").into()),
        };
        ctx.progress.set_total(n);
        let bank = Bank {
            accounts: [Mutex::new(START), Mutex::new(START)],
            holder: [AtomicU32::new(0), AtomicU32::new(0)],
            wants: (0..workers).map(|_| AtomicU32::new(0)).collect(),
            episode: AtomicBool::new(false),
            deadlocks: AtomicU64::new(0),
            lost_ns: AtomicU64::new(0),
            first_report: Mutex::new(None),
        };
        let done = std::thread::scope(|s| {
            let mut handles = Vec::new();
            for w in 0..workers as u32 {
                let bank = &bank;
                let spawned_at = now_ns();
                let h = std::thread::Builder::new()
                    .name(format!("parlab-deadlock-{w}"))
                    .spawn_scoped(s, move || {
                        let cpu0 = thread_cpu_ns();
                        let begun = ctx.trace.start();
                        ctx.trace
                            .record(w, begun.core, Phase::Startup, spawned_at, begun.t, 0, 0);
                        let r = worker(ctx, bank, w, workers as u64, ordered);
                        ctx.trace.add_cpu(w, thread_cpu_ns() - cpu0);
                        r
                    })
                    .map_err(|e| anyhow::anyhow!("cannot start worker {w}: {e}"))?;
                handles.push(h);
            }
            let mut total = Some(Done::default());
            for h in handles {
                match h.join() {
                    Ok(Some(d)) => {
                        if let Some(t) = total.as_mut() {
                            t.moved += d.moved;
                            t.transfers += d.transfers;
                        }
                    }
                    Ok(None) => total = None,
                    Err(_) => return Err(DemoError::from(anyhow::anyhow!("a worker panicked"))),
                }
            }
            Ok(total)
        })?;
        ctx.cancel.check()?;
        let done = done.ok_or(DemoError::Cancelled)?;
        let [a, b] = bank
            .accounts
            .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()));
        let deadlocks = bank.deadlocks.load(Ordering::Relaxed);
        let lost_ms = bank.lost_ns.load(Ordering::Relaxed) as f64 / 1e6;
        let first = bank.first_report.into_inner().ok().flatten();
        let note = match (variant, first) {
            (_, Some(first)) => format!(
                "{deadlocks} deadlock(s) in {n} transfers, {lost_ms:.0} ms lost waiting; first: {first}. \
                 Balances still add up (A {a} + B {b}) because every stuck transfer was retried"
            ),
            ("ordered", None) => format!(
                "no deadlock is possible: every worker locks A before B; balances A {a}, B {b}"
            ),
            ("opposite", None) if workers > 1 => format!(
                "no deadlock this time (timing decides: run it again, or raise --size); \
                 balances A {a}, B {b}"
            ),
            _ => format!("one worker cannot deadlock with itself; balances A {a}, B {b}"),
        };
        let mut d = Digest::new();
        d.push(a as u64);
        d.push(b as u64);
        d.push(done.moved);
        d.push(done.transfers);
        Ok(Outcome {
            workers: None,
            digest: d.value(),
            items: done.transfers,
            metrics: vec![
                Metric::new("deadlocks detected", deadlocks as f64, ""),
                Metric::new("time lost to deadlocks", lost_ms, "ms"),
                Metric::new("balance A + B", (a + b) as f64, ""),
            ],
            note: Some(note),
            timed: None,
        })
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
}
