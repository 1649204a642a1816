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

mod parallel;
mod pipes;
mod threads;

use std::time::Duration;

use super::kernels::{self, Work};
use super::sums::{sum_digest, sum_share};
use crate::child::Kind;
use crate::engine::{Ctx, DemoError, Outcome, TypedDemo, VariantInfo, int};
use crate::trace::{Phase, thread_cpu_ns};

pub use pipes::JOIN_TIMEOUT;

/// Child worker kind of this demo: a producer process.
pub const KIND: &str = "queue-producer";
/// This demo's child kind, for the table `parlab __worker` runs from.
pub const CHILD: Kind = Kind::new(KIND, pipes::child_main);
/// How often the monitor samples the queue depth.
const SAMPLE: Duration = Duration::from_millis(1);
/// Longest a blocked worker goes without checking the cancel token.
const POLL: Duration = Duration::from_millis(10);

/// The queue demo.
#[derive(Debug, Default)]
pub struct QueueDemo;

crate::demo_variants! {
    /// Where the producers are, and when main joins them.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Channel = VariantInfo::parallel(
            "channel",
            "producer and consumer threads over a bounded crossbeam channel",
        ),
        Pipe = VariantInfo::parallel(
            "pipe",
            "producer child processes stream batches through OS pipes to consumer threads",
        ),
        JoinFirst = VariantInfo::parallel(
            "join-first",
            "as pipe, but main joins the producers before draining: stuck, detected, then drained",
        ),
    }
}

crate::demo_params! {
    /// How many items pass, in what messages, between how many workers.
    pub struct Params {
        size: u64 = int(200_000, 0, 1_000_000_000, "how many items to pass"),
        capacity: usize = int(16, 1, 1_000_000, "queue capacity, in messages (batches)"),
        batch: u64 = int(100, 1, 1_000_000, "items per message"),
        producers: usize = int(1, 1, 64, "producer workers"),
        consumers: usize = int(0, 0, 64, "consumer workers; 0 = as many as --workers"),
        work: Work = kernels::work_decl(Work::Heavy),
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
    fn new(p: &Params, workers: usize) -> Shape {
        let consumers = match p.consumers {
            0 => workers.max(1),
            c => c,
        };
        Shape {
            n: p.size,
            batch: p.batch.max(1),
            capacity: p.capacity.max(1),
            producers: p.producers.max(1),
            consumers,
            work: p.work,
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

    /// Names each worker row's role, so the timeline reads `w0 producer`, `w2 consumer`.
    fn label_roles(&self, ctx: &Ctx<'_>, source: Source) {
        let producer = match source {
            Source::Threads => "producer",
            Source::Processes { .. } => "producer process",
        };
        for p in 0..self.producers {
            ctx.trace.label(p as u32, producer);
        }
        for c in 0..self.consumers {
            ctx.trace.label(self.consumer_id(c), "consumer");
        }
        ctx.trace.label(self.main_id(), "main");
    }
}

/// Where the items come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// Producer threads sending on the channel.
    Threads,
    /// Producer child processes writing to pipes; a reader thread per pipe feeds the channel.
    Processes { join_first: bool },
}

impl TypedDemo for QueueDemo {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "queue";
    const TITLE: &'static str = "Queue: producers and consumers";
    const SUMMARY: &'static str =
        "a bounded queue between producers and consumers: back-pressure, queue depth, pipes";

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

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let shape = Shape::new(p, ctx.workers);
        ctx.progress.set_total(shape.n);
        let processes = |join_first| Source::Processes { join_first };
        match variant {
            Variant::Sequential => sequential(ctx, shape),
            Variant::Channel => parallel::parallel(ctx, shape, Source::Threads),
            Variant::Pipe => parallel::parallel(ctx, shape, processes(false)),
            Variant::JoinFirst => parallel::parallel(ctx, shape, processes(true)),
        }
    }
}

fn sequential(ctx: &Ctx<'_>, s: Shape) -> Result<Outcome, DemoError> {
    let cpu0 = thread_cpu_ns();
    let mut sp = ctx.trace.start();
    let sum = sum_share(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Demo, DemoParams as _, Params as Map, Typed};

    fn run(variant: &str, set: &[(&str, &str)], workers: usize) -> Outcome {
        let demo = Typed::new(QueueDemo);
        let specs = &demo.info().params;
        let mut params = Map::defaults(specs);
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
        // A producer that blocked found the queue full: the maximum depth says so, even when
        // no 1 ms sample of the monitor caught it.
        let max = o
            .metrics
            .iter()
            .find(|m| m.name == "queue depth, max")
            .unwrap();
        assert_eq!(max.value, 1.0);
    }

    #[test]
    fn defaults_give_the_declared_shape() {
        let p = Params::from_params(&Map::defaults(&Params::specs()));
        let s = Shape::new(&p, 3);
        assert_eq!((s.n, s.batch, s.capacity), (200_000, 100, 16));
        assert_eq!((s.producers, s.consumers, s.main_id()), (1, 3, 4));
    }
}
