//! Lesson 4: P producers and C consumers over a bounded queue: a crossbeam channel between
//! threads, then the same with producer child processes streaming through OS pipes, then
//! Python's pitfall of joining a producer before draining what it sent.
//!
//! Producers send the numbers of their share of 1..=size in batches of `batch`; consumers
//! apply the per-item kernel and sum. The answer (sum and count) equals the plain loop's. A
//! monitor samples the queue depth every millisecond (`ctx.live` series "queue depth"): with
//! heavy per-item work the consumers are the bottleneck, the queue sits full and producers
//! block (back-pressure: their wait spans); with trivial work the queue stays near empty and
//! consumers wait for work instead.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::anyhow;
use crossbeam_channel::{Receiver, RecvTimeoutError, SendTimeoutError, Sender, bounded};

use super::kernels::{self, Work};
use super::process::{self, arg_u64, share, sum_digest};
use crate::child::{ChildIo, ChildProcess};
use crate::engine::{
    Ctx, Demo, DemoError, DemoInfo, Metric, Outcome, ParamSpec, Params, VariantInfo,
};
use crate::platform::{has_exited, wait_channel};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Child worker kind of this demo: a producer process.
pub const KIND: &str = "queue-producer";
/// Blocking shorter than this is not a wait (it is the cost of the operation itself).
const MIN_WAIT_NS: u64 = 2_000;
/// How often the monitor samples the queue depth.
const SAMPLE: Duration = Duration::from_millis(1);
/// Longest a blocked worker goes without checking the cancel token.
const POLL: Duration = Duration::from_millis(10);
/// How long `join-first` waits for its producers before calling them stuck.
pub const JOIN_TIMEOUT: Duration = Duration::from_millis(200);
/// Bytes an OS pipe buffers by default on Linux.
const PIPE_BUFFER: u64 = 64 * 1024;

/// The queue demo.
pub struct QueueDemo {
    info: DemoInfo,
}

impl QueueDemo {
    /// The demo with its declared parameters and variants.
    pub fn new() -> QueueDemo {
        let work = kernels::work_param("heavy");
        QueueDemo {
            info: DemoInfo {
                id: "queue",
                title: "Queue: producers and consumers",
                summary: "a bounded queue between producers and consumers: back-pressure, queue depth, pipes",
                params: vec![
                    ParamSpec::int("size", 200_000, 0, 1_000_000_000, "how many items to pass"),
                    ParamSpec::int(
                        "capacity",
                        16,
                        1,
                        1_000_000,
                        "queue capacity, in messages (batches)",
                    ),
                    ParamSpec::int("batch", 100, 1, 1_000_000, "items per message"),
                    ParamSpec::int("producers", 1, 1, 64, "producer workers"),
                    ParamSpec::int(
                        "consumers",
                        0,
                        0,
                        64,
                        "consumer workers; 0 = as many as --workers",
                    ),
                    work,
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "channel",
                        "producer and consumer threads over a bounded crossbeam channel",
                    ),
                    VariantInfo::parallel(
                        "pipe",
                        "producer child processes stream batches through OS pipes to consumer threads",
                    ),
                    VariantInfo::parallel(
                        "join-first",
                        "as pipe, but main joins the producers before draining: stuck, detected, then drained",
                    ),
                ],
            },
        }
    }
}

impl Default for QueueDemo {
    fn default() -> Self {
        QueueDemo::new()
    }
}

/// The run's shape: who is who and how big messages are.
#[derive(Clone, Copy, Debug)]
struct Shape {
    n: u64,
    batch: u64,
    capacity: usize,
    producers: usize,
    consumers: usize,
    work: Work,
}

impl Shape {
    fn new(params: &Params, workers: usize) -> Shape {
        let consumers = match params.usize("consumers") {
            0 => workers.max(1),
            c => c,
        };
        Shape {
            n: params.int("size"),
            batch: params.int("batch").max(1),
            capacity: params.usize("capacity").max(1),
            producers: params.usize("producers").max(1),
            consumers,
            work: Work::from_param(params.text("work")),
        }
    }

    /// Worker id of consumer `c` (producers come first).
    fn consumer_id(&self, c: usize) -> u32 {
        (self.producers + c) as u32
    }

    /// Worker id of the main thread (monitor, joiner).
    fn main_id(&self) -> u32 {
        (self.producers + self.consumers) as u32
    }
}

/// Wait times gathered by every worker of a pass.
#[derive(Default)]
struct Waits {
    producers_blocked_ns: AtomicU64,
    consumers_waited_ns: AtomicU64,
    messages: AtomicU64,
}

impl Demo for QueueDemo {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn trace_slots(&self, params: &Params, workers: usize) -> usize {
        let s = Shape::new(params, workers);
        s.producers + s.consumers + 1
    }

    fn memory_estimate(&self, params: &Params, _workers: usize) -> u64 {
        let s = Shape::new(params, 1);
        // Messages in flight: the queue, plus one being built or consumed per worker.
        (s.capacity as u64 + (s.producers + s.consumers) as u64)
            .saturating_mul(s.batch)
            .saturating_mul(8)
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let shape = Shape::new(ctx.params, ctx.workers);
        ctx.progress.set_total(shape.n);
        match variant {
            "sequential" => sequential(ctx, shape),
            "channel" => parallel(ctx, shape, Source::Threads),
            "pipe" => parallel(ctx, shape, Source::Processes { join_first: false }),
            "join-first" => parallel(ctx, shape, Source::Processes { join_first: true }),
            other => Err(DemoError::Failed(anyhow!("queue has no variant {other}"))),
        }
    }
}

fn sequential(ctx: &Ctx<'_>, s: Shape) -> Result<Outcome, DemoError> {
    let cpu0 = thread_cpu_ns();
    let mut sp = ctx.trace.start();
    let sum = process::sum_share(
        0..s.n,
        s.work,
        || ctx.cancel.is_cancelled(),
        |items| {
            ctx.trace.end(0, sp, Phase::Compute, items, 0);
            ctx.progress.add(items);
            sp = ctx.trace.start();
        },
    )
    .ok_or(DemoError::Cancelled)?;
    ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
    Ok(Outcome {
        digest: sum_digest(sum, s.n),
        items: s.n,
        ..Outcome::default()
    })
}

/// Where the items come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// Producer threads sending on the channel.
    Threads,
    /// Producer child processes writing to pipes; a reader thread per pipe feeds the channel.
    Processes { join_first: bool },
}

/// Sends `msg`, waiting while the queue is full; records a wait span when it had to wait.
/// `false` when cancelled or nobody receives any more.
fn send_blocking(
    ctx: &Ctx<'_>,
    w: u32,
    tx: &Sender<Vec<u64>>,
    msg: Vec<u64>,
    waits: &Waits,
) -> bool {
    let items = msg.len() as u64;
    let s = ctx.trace.start();
    let mut msg = match tx.try_send(msg) {
        Ok(()) => {
            ctx.trace.end(w, s, Phase::Send, items, items * 8);
            return true;
        }
        Err(crossbeam_channel::TrySendError::Full(m)) => m,
        Err(crossbeam_channel::TrySendError::Disconnected(_)) => return false,
    };
    // The queue is full: back-pressure. Wait for room.
    loop {
        match tx.send_timeout(msg, POLL) {
            Ok(()) => break,
            Err(SendTimeoutError::Timeout(m)) => {
                if ctx.cancel.is_cancelled() {
                    return false;
                }
                msg = m;
            }
            Err(SendTimeoutError::Disconnected(_)) => return false,
        }
    }
    let t = now_ns();
    ctx.trace
        .record(w, s.core, Phase::WaitWork, s.t, t, items, items * 8);
    waits
        .producers_blocked_ns
        .fetch_add(t - s.t, Ordering::Relaxed);
    true
}

/// A producer thread: its share of the numbers, in batches, onto the queue.
fn produce(
    ctx: &Ctx<'_>,
    w: u32,
    s: Shape,
    range: Range<u64>,
    tx: &Sender<Vec<u64>>,
    waits: &Waits,
) {
    let cpu0 = thread_cpu_ns();
    let mut i = range.start;
    while i < range.end && !ctx.cancel.is_cancelled() {
        let end = (i + s.batch).min(range.end);
        let sp = ctx.trace.start();
        let msg: Vec<u64> = (i + 1..=end).collect();
        ctx.trace.end(w, sp, Phase::Compute, end - i, 0);
        if !send_blocking(ctx, w, tx, msg, waits) {
            break;
        }
        i = end;
    }
    ctx.trace.add_cpu(w, thread_cpu_ns() - cpu0);
}

/// A consumer thread: takes batches until the queue is closed and empty; (sum, count), or
/// `None` when cancelled.
fn consume(
    ctx: &Ctx<'_>,
    w: u32,
    work: Work,
    rx: &Receiver<Vec<u64>>,
    waits: &Waits,
) -> Option<(u64, u64)> {
    let cpu0 = thread_cpu_ns();
    let mut sum = 0u64;
    let mut count = 0u64;
    let result = 'outer: loop {
        let wait = ctx.trace.start();
        let msg = loop {
            match rx.recv_timeout(POLL) {
                Ok(m) => break m,
                Err(RecvTimeoutError::Timeout) if ctx.cancel.is_cancelled() => break 'outer None,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break 'outer Some((sum, count)),
            }
        };
        let got = now_ns();
        let items = msg.len() as u64;
        if got - wait.t >= MIN_WAIT_NS {
            // The queue was empty: this consumer waited for a producer.
            ctx.trace
                .record(w, wait.core, Phase::WaitWork, wait.t, got, 0, 0);
            waits
                .consumers_waited_ns
                .fetch_add(got - wait.t, Ordering::Relaxed);
        } else {
            ctx.trace
                .record(w, wait.core, Phase::Receive, wait.t, got, items, items * 8);
        }
        waits.messages.fetch_add(1, Ordering::Relaxed);
        let sp = ctx.trace.start();
        for part in msg.chunks(kernels::CANCEL_EVERY as usize) {
            if ctx.cancel.is_cancelled() {
                break 'outer None;
            }
            for &x in part {
                sum = sum.wrapping_add(kernels::item(x, work));
            }
        }
        count += items;
        ctx.trace.end(w, sp, Phase::Compute, items, 0);
        ctx.progress.add(items);
    };
    ctx.trace.add_cpu(w, thread_cpu_ns() - cpu0);
    result
}

/// Queue depth samples taken by the monitor.
#[derive(Default)]
struct Depth {
    samples: u64,
    total: u64,
    max: u64,
}

impl Depth {
    fn sample(&mut self, ctx: &Ctx<'_>, depth: usize) {
        ctx.live.series("queue depth", depth as f64);
        self.samples += 1;
        self.total += depth as u64;
        self.max = self.max.max(depth as u64);
    }

    fn mean(&self) -> f64 {
        if self.samples == 0 {
            0.0
        } else {
            self.total as f64 / self.samples as f64
        }
    }
}

/// What `join-first` saw when it tried to join its producers.
struct JoinAttempt {
    waited_ms: f64,
    stuck: usize,
    wchan: Option<String>,
}

/// Waits up to [`JOIN_TIMEOUT`] for every producer process to exit without reading their
/// pipes: Python's `p.join()` before `q.get()`.
fn try_join(ctx: &Ctx<'_>, s: Shape, kids: &[ChildProcess]) -> Result<JoinAttempt, DemoError> {
    let sp = ctx.trace.start();
    let deadline = now_ns() + JOIN_TIMEOUT.as_nanos() as u64;
    let stuck = loop {
        ctx.cancel.check()?;
        let stuck = kids.iter().filter(|k| !has_exited(k.pid())).count();
        if stuck == 0 || now_ns() >= deadline {
            break stuck;
        }
        std::thread::sleep(SAMPLE);
    };
    let wchan = kids
        .iter()
        .find(|k| !has_exited(k.pid()))
        .and_then(|k| wait_channel(k.pid()));
    ctx.trace.end(s.main_id(), sp, Phase::WaitWork, 0, 0);
    Ok(JoinAttempt {
        waited_ms: (now_ns() - sp.t) as f64 / 1e6,
        stuck,
        wchan,
    })
}

/// A reader thread: frames from one producer process onto the queue, then reaps it.
fn forward(ctx: &Ctx<'_>, mut kid: ChildProcess, tx: &Sender<Vec<u64>>) -> Result<(), DemoError> {
    loop {
        ctx.cancel.check()?;
        let Some(frame) = kid.recv(ctx.trace)? else {
            break;
        };
        let mut msg: Vec<u64> = frame
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
            .collect();
        // Blocking here leaves the child blocked on its full pipe: back-pressure crosses the
        // process boundary. The child's own send spans show it.
        loop {
            match tx.send_timeout(msg, POLL) {
                Ok(()) => break,
                Err(SendTimeoutError::Timeout(m)) => {
                    ctx.cancel.check()?;
                    msg = m;
                }
                Err(SendTimeoutError::Disconnected(_)) => {
                    return Err(DemoError::Failed(anyhow!("the consumers stopped early")));
                }
            }
        }
    }
    kid.finish(ctx.trace)?;
    Ok(())
}

fn parallel(ctx: &Ctx<'_>, s: Shape, source: Source) -> Result<Outcome, DemoError> {
    let waits = Waits::default();
    let (tx, rx) = bounded::<Vec<u64>>(s.capacity);
    let mut kids = Vec::new();
    let mut join = None;
    if let Source::Processes { join_first } = source {
        for p in 0..s.producers {
            ctx.cancel.check()?;
            let r = share(s.n, s.producers, p);
            let args = [
                "--from".to_string(),
                r.start.to_string(),
                "--to".to_string(),
                r.end.to_string(),
                "--batch".to_string(),
                s.batch.to_string(),
            ];
            let kid = ChildProcess::spawn(KIND, p as u32, &args)?;
            ctx.trace.set_pid(p as u32, kid.pid());
            kids.push(kid);
        }
        if join_first {
            join = Some(try_join(ctx, s, &kids)?);
        }
    }
    let mut depth = Depth::default();
    let (done_tx, done_rx) = bounded::<Option<(u64, u64)>>(s.consumers);
    let outcome = std::thread::scope(|sc| -> Result<(u64, u64), DemoError> {
        let mut feeders = Vec::new();
        let spawn_err = |what: &str, e: std::io::Error| anyhow!("cannot start {what}: {e}");
        match source {
            Source::Threads => {
                for p in 0..s.producers {
                    let tx = tx.clone();
                    let waits = &waits;
                    let range = share(s.n, s.producers, p);
                    let h = std::thread::Builder::new()
                        .name(format!("parlab-producer-{p}"))
                        .spawn_scoped(sc, move || {
                            produce(ctx, p as u32, s, range, &tx, waits);
                            Ok(())
                        })
                        .map_err(|e| spawn_err("a producer thread", e))?;
                    feeders.push(h);
                }
            }
            Source::Processes { .. } => {
                for (p, kid) in kids.drain(..).enumerate() {
                    let tx = tx.clone();
                    let h = std::thread::Builder::new()
                        .name(format!("parlab-pipe-reader-{p}"))
                        .spawn_scoped(sc, move || forward(ctx, kid, &tx))
                        .map_err(|e| spawn_err("a pipe reader thread", e))?;
                    feeders.push(h);
                }
            }
        }
        drop(tx);
        for c in 0..s.consumers {
            let rx = rx.clone();
            let done_tx = done_tx.clone();
            let waits = &waits;
            std::thread::Builder::new()
                .name(format!("parlab-consumer-{c}"))
                .spawn_scoped(sc, move || {
                    let r = consume(ctx, s.consumer_id(c), s.work, &rx, waits);
                    let _ = done_tx.send(r);
                })
                .map_err(|e| spawn_err("a consumer thread", e))?;
        }
        drop(done_tx);
        // The monitor: sample the depth every millisecond until every consumer is done.
        let mut sum = 0u64;
        let mut count = 0u64;
        let mut finished = 0;
        depth.sample(ctx, rx.len());
        while finished < s.consumers {
            match done_rx.recv_timeout(SAMPLE) {
                Ok(Some((a, b))) => {
                    sum = sum.wrapping_add(a);
                    count += b;
                    finished += 1;
                }
                Ok(None) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => depth.sample(ctx, rx.len()),
            }
        }
        depth.sample(ctx, rx.len());
        drop(rx);
        let fed: Vec<Result<(), DemoError>> = feeders
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(DemoError::Failed(anyhow!("a producer panicked"))))
            })
            .collect();
        // A cancel makes every worker stop early; report that, not their complaints.
        ctx.cancel.check()?;
        fed.into_iter().collect::<Result<Vec<()>, _>>()?;
        if finished < s.consumers {
            return Err(DemoError::Failed(anyhow!("a consumer stopped early")));
        }
        Ok((sum, count))
    });
    let (sum, count) = outcome?;
    let blocked = waits.producers_blocked_ns.load(Ordering::Relaxed) as f64 / 1e6;
    let waited = waits.consumers_waited_ns.load(Ordering::Relaxed) as f64 / 1e6;
    let mut metrics = vec![
        Metric::new("queue depth, mean", depth.mean(), "messages"),
        Metric::new("queue depth, max", depth.max as f64, "messages"),
        Metric::new("consumers waiting for work", waited, "ms"),
        Metric::new(
            "messages",
            waits.messages.load(Ordering::Relaxed) as f64,
            "",
        ),
    ];
    let mut note = match source {
        Source::Threads => {
            metrics.insert(
                2,
                Metric::new("producers blocked on a full queue", blocked, "ms"),
            );
            Some(if blocked > waited {
                format!(
                    "producers spent {blocked:.1} ms blocked on a full queue (back-pressure): the \
                     consumers are the bottleneck"
                )
            } else {
                format!(
                    "consumers spent {waited:.1} ms waiting on an empty queue: the producers are \
                     the bottleneck"
                )
            })
        }
        Source::Processes { .. } => Some(if depth.mean() > s.capacity as f64 / 2.0 {
            format!(
                "the queue stayed {:.0}% full: the consumers are the bottleneck, and the \
                     producer processes block writing to their full pipes (their send spans)",
                100.0 * depth.mean() / s.capacity as f64
            )
        } else {
            format!(
                "the queue stayed mostly empty: consumers spent {waited:.1} ms waiting for \
                     items to come through the pipes"
            )
        }),
    };
    if let Some(j) = join {
        metrics.push(Metric::new("waited in join", j.waited_ms, "ms"));
        metrics.push(Metric::new("producers stuck in join", j.stuck as f64, ""));
        note = Some(join_note(&s, &j));
    }
    Ok(Outcome {
        workers: None,
        digest: sum_digest(sum, count),
        items: count,
        metrics,
        note,
        timed: None,
    })
}

fn join_note(s: &Shape, j: &JoinAttempt) -> String {
    let bytes = s.n * 8;
    if j.stuck == 0 {
        format!(
            "join returned after {:.1} ms: all {bytes} bytes fit in the pipe buffers ({} KiB \
             each), so the producers could exit. The bug hides at this size; try --size 100000",
            j.waited_ms,
            PIPE_BUFFER / 1024
        )
    } else {
        let wchan = j
            .wchan
            .as_deref()
            .map(|w| format!(" (the kernel says it sleeps in {w})"))
            .unwrap_or_default();
        format!(
            "join did not return: after {:.0} ms {} producer(s) were still blocked writing to a \
             full pipe{wchan} that nobody reads until join returns: a deadlock. parlab gave up \
             waiting, drained the queue, then joined",
            j.waited_ms, j.stuck
        )
    }
}

/// Child side of [`KIND`]: streams the numbers of its share in batches on stdout.
pub fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let from = arg_u64(&io.args, "--from")?;
    let to = arg_u64(&io.args, "--to")?;
    let batch = arg_u64(&io.args, "--batch")?.max(1);
    let stop = process::stop_when_parent_closes();
    let mut buf = Vec::new();
    let mut i = from;
    while i < to {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let end = (i + batch).min(to);
        buf.clear();
        for x in i + 1..=end {
            buf.extend_from_slice(&x.to_le_bytes());
        }
        // One message per batch, pushed to the pipe at once: blocks while the pipe is full.
        let sp = io.start();
        io.send(&buf)?;
        io.flush()?;
        io.end(sp, Phase::Send, end - i, buf.len() as u64);
        i = end;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(variant: &str, set: &[(&str, &str)], workers: usize) -> Outcome {
        let demo = QueueDemo::new();
        let specs = &demo.info().params;
        let mut params = Params::defaults(specs);
        for (k, v) in set {
            params.set(specs, k, v).unwrap();
        }
        crate::engine::run_pass(&demo, variant, &params, workers).unwrap()
    }

    #[test]
    fn channel_matches_sequential() {
        // The process variants are checked in tests/procs.rs (they need the built binary).
        for size in ["0", "1", "1009", "3", "200000"] {
            for (set, w) in [
                (vec![("size", size)], 2),
                (vec![("size", size), ("producers", "3"), ("batch", "7")], 4),
                (
                    vec![("size", size), ("capacity", "1"), ("work", "trivial")],
                    1,
                ),
            ] {
                let seq = run("sequential", &set, 1).digest;
                assert_eq!(run("channel", &set, w).digest, seq, "{set:?} workers {w}");
            }
        }
    }

    #[test]
    fn back_pressure_is_measured() {
        // Heavy consumers, a tiny queue: the producer must block.
        let o = run("channel", &[("size", "20000"), ("capacity", "1")], 1);
        let blocked = o
            .metrics
            .iter()
            .find(|m| m.name == "producers blocked on a full queue")
            .unwrap();
        assert!(blocked.value > 0.0);
        assert!(o.note.unwrap().contains("back-pressure"));
    }

    #[test]
    fn join_note_says_whether_it_hid() {
        let s = Shape::new(&Params::defaults(&QueueDemo::new().info().params), 2);
        let fine = JoinAttempt {
            waited_ms: 1.0,
            stuck: 0,
            wchan: None,
        };
        assert!(join_note(&s, &fine).starts_with("join returned"));
        let stuck = JoinAttempt {
            waited_ms: 200.0,
            stuck: 1,
            wchan: Some("pipe_write".into()),
        };
        assert!(join_note(&s, &stuck).contains("pipe_write"));
    }
}
