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
//!
//! `bank` holds the accounts, their locks and the deadlock check; `transfer` the workers.

mod bank;
mod transfer;

use std::sync::atomic::Ordering;

use super::support;
use crate::engine::{Ctx, DemoError, Digest, Metric, Outcome, TypedDemo, VariantInfo, int};
use bank::Bank;
pub use transfer::direction;
use transfer::{Done, Plan};

/// The deadlock demo.
#[derive(Debug, Default)]
pub struct Deadlock;

crate::demo_variants! {
    /// The ways of taking the two locks.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Opposite = VariantInfo::parallel(
            "opposite",
            "lock the source account, then the destination: A→B and B→A can deadlock",
        ),
        Ordered = VariantInfo::parallel(
            "ordered",
            "always lock A before B (one global order): no deadlock is possible",
        ),
    }
}

crate::demo_params! {
    /// How many transfers, and how long a worker waits before checking for a deadlock.
    pub struct Params {
        size: u64 = int(64, 0, 1_000_000, "transfers (even ones go A→B, odd ones B→A)"),
        timeout: u64 = int(
            100,
            1,
            10_000,
            "ms a worker waits for its second lock before checking for a deadlock",
        ),
    }
}

impl TypedDemo for Deadlock {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "deadlock";
    const TITLE: &'static str = "Pitfalls: deadlock and lock ordering";
    const SUMMARY: &'static str = "two locks taken in opposite orders deadlock; a timeout detects it, a global order fixes it";

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = p.size;
        let (workers, ordered) = match variant {
            Variant::Sequential => (1, false),
            Variant::Opposite => (ctx.workers.max(1), false),
            Variant::Ordered => (ctx.workers.max(1), true),
        };
        ctx.progress.set_total(n);
        let bank = Bank::new(workers);
        let plan = Plan {
            n,
            timeout_ns: p.timeout.max(1) * 1_000_000,
            workers: workers as u64,
            ordered,
        };
        let parts = support::team("deadlock").traced().run(ctx, workers, |w| {
            plan.worker(ctx, &bank, w as u32)
                .ok_or(DemoError::Cancelled)
        })?;
        ctx.cancel.check()?;
        let done = parts.iter().fold(Done::default(), |t, d| Done {
            moved: t.moved + d.moved,
            transfers: t.transfers + d.transfers,
        });
        let deadlocks = bank.deadlocks.load(Ordering::Relaxed);
        let lost_ms = bank.lost_ns.load(Ordering::Relaxed) as f64 / 1e6;
        let (balances, first) = bank.close();
        let [a, b] = balances;
        let note = note(variant, workers, n, first, balances, deadlocks, lost_ms);
        let mut d = Digest::new();
        d.push(a as u64);
        d.push(b as u64);
        d.push(done.moved);
        d.push(done.transfers);
        Ok(Outcome {
            mismatch: None,
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

/// The pass's sentence: the first deadlock report if any, else why there was none.
fn note(
    variant: Variant,
    workers: usize,
    n: u64,
    first: Option<String>,
    [a, b]: [i64; 2],
    deadlocks: u64,
    lost_ms: f64,
) -> String {
    match (variant, first) {
        (_, Some(first)) => format!(
            "{deadlocks} deadlock(s) in {n} transfers, {lost_ms:.0} ms lost waiting; first: {first}. \
             Balances still add up (A {a} + B {b}) because every stuck transfer was retried"
        ),
        (Variant::Ordered, None) => {
            format!("no deadlock is possible: every worker locks A before B; balances A {a}, B {b}")
        }
        (Variant::Opposite, None) if workers > 1 => format!(
            "no deadlock this time (timing decides: run it again, or raise --size); \
             balances A {a}, B {b}"
        ),
        _ => format!("one worker cannot deadlock with itself; balances A {a}, B {b}"),
    }
}
