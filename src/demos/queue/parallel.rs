//! A parallel queue pass: feeders (producer threads, or reader threads of producer
//! processes) fill the bounded queue, consumer threads drain it, and the calling thread
//! samples its depth until the consumers are done.

use std::sync::{Mutex, PoisonError};

use anyhow::anyhow;
use crossbeam_channel::{RecvTimeoutError, bounded};

use super::pipes::{self, JoinAttempt};
use super::threads::{Depth, Waits, consume, produce};
use super::{SAMPLE, Shape, Source};
use crate::child::ChildProcess;
use crate::demos::sums::sum_digest;
use crate::demos::support::{share, team};
use crate::engine::{Ctx, DemoError, Metric, Outcome};

/// The `channel`, `pipe` and `join-first` variants.
pub(super) fn parallel(ctx: &Ctx<'_>, s: Shape, source: Source) -> Result<Outcome, DemoError> {
    s.label_roles(ctx, source);
    let waits = Waits::default();
    let mut kids = Vec::new();
    let mut join = None;
    if let Source::Processes { join_first } = source {
        kids = pipes::spawn_producers(ctx, s)?;
        if join_first {
            join = Some(pipes::try_join(ctx, s, &kids)?);
        }
    }
    let mut depth = Depth::default();
    let (sum, count) = run_workers(ctx, s, source, kids, &waits, &mut depth)?;
    let (metrics, note) = report(s, source, &waits, &depth, join.as_ref());
    Ok(Outcome {
        mismatch: None,
        workers: None,
        digest: sum_digest(sum, count),
        items: count,
        metrics,
        note: Some(note),
        timed: None,
    })
}

/// Runs the feeders and consumers while sampling the queue; the consumers' (sum, count).
fn run_workers(
    ctx: &Ctx<'_>,
    s: Shape,
    source: Source,
    kids: Vec<ChildProcess>,
    waits: &Waits,
    depth: &mut Depth,
) -> Result<(u64, u64), DemoError> {
    let kids: Vec<Mutex<Option<ChildProcess>>> =
        kids.into_iter().map(|k| Mutex::new(Some(k))).collect();
    std::thread::scope(|sc| {
        // Made in here, so an early return drops the queue and no feeder waits on it.
        let (tx, rx) = bounded::<Vec<u64>>(s.capacity);
        let (done_tx, done_rx) = bounded::<()>(1);
        // Each team's job owns its end of the queue: the queue closes when the last feeder
        // is done, and `done` disconnects when the last consumer is.
        let feeders = match source {
            Source::Threads => team("producer").start(sc, ctx, s.producers, move |p| {
                produce(ctx, p as u32, s, share(s.n, s.producers, p), &tx, waits);
                Ok(())
            })?,
            Source::Processes { .. } => {
                team("pipe-reader").start(sc, ctx, kids.len(), move |p| {
                    let kid = kids
                        .get(p)
                        .and_then(|k| k.lock().unwrap_or_else(PoisonError::into_inner).take());
                    let kid = kid.ok_or_else(|| anyhow!("producer process {p} is missing"))?;
                    pipes::forward(ctx, kid, &tx, waits)
                })?
            }
        };
        let queue = rx.clone();
        let consumers = team("consumer").start(sc, ctx, s.consumers, move |c| {
            let _done = &done_tx;
            consume(ctx, s.consumer_id(c), s.work, &queue, waits).ok_or(DemoError::Cancelled)
        })?;
        // The monitor: sample the depth every millisecond until every consumer is done.
        depth.sample(ctx, rx.len());
        while let Err(RecvTimeoutError::Timeout) = done_rx.recv_timeout(SAMPLE) {
            depth.sample(ctx, rx.len());
        }
        depth.sample(ctx, rx.len());
        drop(rx);
        let (fed, consumed) = (feeders.join(), consumers.join());
        // A cancel makes every worker stop early; report that, not their complaints.
        ctx.cancel.check()?;
        fed?;
        Ok(consumed?
            .into_iter()
            .fold((0u64, 0u64), |(a, b), (s, c)| (a.wrapping_add(s), b + c)))
    })
}

/// The pass's metrics and the note saying where the bottleneck was.
fn report(
    s: Shape,
    source: Source,
    waits: &Waits,
    depth: &Depth,
    join: Option<&JoinAttempt>,
) -> (Vec<Metric>, String) {
    let (blocked, waited) = waits.ms();
    let messages = waits.messages.load(std::sync::atomic::Ordering::Relaxed);
    // The monitor's samples or what a sender saw, whichever was deeper (a blocked producer
    // means the queue was full, even if no 1 ms sample caught it).
    let max = depth
        .max
        .max(waits.max_depth.load(std::sync::atomic::Ordering::Relaxed));
    let mut metrics = vec![
        Metric::new("queue depth, mean", depth.mean(), "messages"),
        Metric::new("queue depth, max", max as f64, "messages"),
        Metric::new("consumers waiting for work", waited, "ms"),
        Metric::new("messages", messages as f64, ""),
    ];
    let note = match source {
        Source::Threads => {
            metrics.insert(
                2,
                Metric::new("producers blocked on a full queue", blocked, "ms"),
            );
            if blocked > waited {
                format!(
                    "producers spent {blocked:.1} ms blocked on a full queue (back-pressure): the \
                     consumers are the bottleneck"
                )
            } else {
                format!(
                    "consumers spent {waited:.1} ms waiting on an empty queue: the producers are \
                     the bottleneck"
                )
            }
        }
        Source::Processes { .. } if depth.mean() > s.capacity as f64 / 2.0 => format!(
            "the queue stayed {:.0}% full: the consumers are the bottleneck, and the \
                 producer processes block writing to their full pipes (their send spans)",
            100.0 * depth.mean() / s.capacity as f64
        ),
        Source::Processes { .. } => format!(
            "the queue stayed mostly empty: consumers spent {waited:.1} ms waiting for \
                 items to come through the pipes"
        ),
    };
    let Some(j) = join else {
        return (metrics, note);
    };
    metrics.push(Metric::new("waited in join", j.waited_ms, "ms"));
    metrics.push(Metric::new("producers stuck in join", j.stuck as f64, ""));
    (metrics, pipes::join_note(&s, j))
}
