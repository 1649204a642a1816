//! Lesson 5: a two-ended connection to a peer: round-trip latency (ping-pong) and bulk
//! throughput, through a crossbeam channel to a thread, an OS pipe to a thread, and an OS
//! pipe to a real child parlab process.
//!
//! One pass has two phases. Ping-pong: the parent sends `rounds` messages of `msg` bytes one
//! at a time and the peer echoes each back; every round trip is timed (median and p99).
//! Bulk: the parent streams `size` bytes in `msg`-byte messages without waiting; the peer
//! checksums everything it receives and replies with the digest, so the throughput figure covers
//! data that provably arrived intact. `sequential` hashes the same messages in memory: the
//! answer every connection must reproduce.

mod data;
mod drive;
mod links;
mod peer;
mod peers;
mod report;

use anyhow::anyhow;

use crate::child::Kind;
use crate::engine::{Ctx, DemoError, Outcome, TypedDemo, VariantInfo, int};

pub use data::{Pattern, check_message};
pub use drive::{Env, Measured, drive};
pub use links::{ChannelEnd, ChildLink, Link, PeerEnd, PipeEnd, channel_pair, pipe_pair};
pub use peer::serve;
pub use peers::bulk_to_child;

/// Child worker kind of this demo: the far end of the pipe.
pub const KIND: &str = "pipe-peer";
/// This demo's child kind, for the table `parlab __worker` runs from.
pub const CHILD: Kind = Kind::new(KIND, peer::child_main);
/// Ping-pong moves at most this many bytes each way (1 MiB messages: 64 round trips).
pub const PING_BUDGET: u64 = 64 << 20;
/// A span covers at most this many messages...
const SPAN_MSGS: u64 = 256;
/// ...or this many bytes.
const SPAN_BYTES: u64 = 1 << 20;
/// Messages a channel holds before the sender blocks (a pipe holds 64 KiB).
const CHANNEL_CAPACITY: usize = 16;

/// The pipe demo.
#[derive(Debug, Default)]
pub struct PipeDemo;

crate::demo_variants! {
    /// What sits at the other end of the connection.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Channel = VariantInfo::parallel(
            "channel",
            "a thread at the other end of a crossbeam channel (no OS pipe)",
        ),
        ThreadPipe = VariantInfo::parallel("thread-pipe", "a thread at the other end of an OS pipe"),
        Process = VariantInfo::parallel(
            "process",
            "a child parlab process at the other end of an OS pipe (its stdin/stdout)",
        ),
    }
}

crate::demo_params! {
    /// How big the messages are and how much a pass moves.
    pub struct Params {
        msg: usize = int(64 << 10, 8, 1 << 20, "bytes per message (8 B to 1 MiB)"),
        size: u64 = int(64 << 20, 0, 4 << 30, "bytes streamed one way in the bulk phase"),
        rounds: u64 = int(
            1000,
            0,
            1_000_000,
            "ping-pong round trips (fewer for big messages: at most 64 MiB each way)",
        ),
    }
}

/// What one pass moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Bytes per message.
    pub msg: usize,
    /// Ping-pong round trips.
    pub rounds: u64,
    /// Bytes streamed in the bulk phase.
    pub size: u64,
}

impl Plan {
    /// From the demo's parameters; rounds capped by [`PING_BUDGET`].
    pub fn new(p: &Params) -> Plan {
        let msg = p.msg.max(1);
        Plan {
            msg,
            rounds: p.rounds.min(PING_BUDGET / msg as u64),
            size: p.size,
        }
    }

    /// Messages in the bulk phase (the last may be shorter).
    pub fn bulk_msgs(&self) -> u64 {
        self.size.div_ceil(self.msg as u64)
    }

    /// Length of bulk message `j`.
    pub fn bulk_len(&self, j: u64) -> usize {
        let m = self.msg as u64;
        (self.size - j * m).min(m) as usize
    }
}

impl TypedDemo for PipeDemo {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "pipe";
    const TITLE: &'static str = "Pipe: a two-ended connection to another process";
    const SUMMARY: &'static str = "ping-pong latency and bulk throughput: channel, OS pipe to a \
                                   thread, OS pipe to a process";

    fn trace_slots(&self, _params: &Params, _workers: usize) -> usize {
        2
    }

    fn memory_estimate(&self, p: &Params, _workers: usize) -> u64 {
        // The pattern, plus buffered messages on both sides of a channel.
        (p.msg as u64).saturating_mul(2 * CHANNEL_CAPACITY as u64 + 8)
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let plan = Plan::new(p);
        let pat = Pattern::new(plan.msg);
        ctx.progress.set_total(plan.rounds + plan.bulk_msgs());
        if variant != Variant::Sequential {
            ctx.trace.label(0, "parent");
            let peer = if variant == Variant::Process {
                "peer process"
            } else {
                "peer thread"
            };
            ctx.trace.label(1, peer);
        }
        let m = match variant {
            Variant::Sequential => drive::in_memory(ctx, plan, &pat)?,
            Variant::Channel => peers::with_thread_peer(ctx, plan, &pat, channel_pair())?,
            Variant::ThreadPipe => peers::with_thread_peer(ctx, plan, &pat, pipe_pair()?)?,
            Variant::Process => peers::with_process_peer(ctx, plan, &pat)?,
        };
        if m.bulk_bytes != plan.size {
            return Err(
                anyhow!("the peer received {} of {} bytes", m.bulk_bytes, plan.size).into(),
            );
        }
        Ok(report::outcome(variant == Variant::Sequential, plan, &m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Demo, DemoParams as _, Params as Map, Typed};

    fn run(variant: &str, msg: u64, size: u64, rounds: u64) -> Outcome {
        let demo = Typed::new(PipeDemo);
        let specs = &demo.info().params;
        let mut params = Map::defaults(specs);
        params.set(specs, "msg", &msg.to_string()).unwrap();
        params.set(specs, "size", &size.to_string()).unwrap();
        params.set(specs, "rounds", &rounds.to_string()).unwrap();
        crate::engine::run_pass(&demo, variant, &params, 2).unwrap()
    }

    #[test]
    fn thread_peers_match_sequential() {
        // The process variant is checked in tests/procs.rs (it needs the built binary).
        for (msg, size, rounds) in [
            (8, 0, 0),
            (8, 1, 1),
            (64, 1009, 7),
            (4096, 3, 2),
            (1 << 20, (1 << 20) + 13, 3),
            (64 << 10, 4 << 20, 100),
        ] {
            let seq = run("sequential", msg, size, rounds);
            for v in ["channel", "thread-pipe"] {
                let o = run(v, msg, size, rounds);
                assert_eq!(o.digest, seq.digest, "{v} msg {msg} size {size}");
            }
        }
    }

    #[test]
    fn ping_pong_is_capped_for_big_messages() {
        let specs = Params::specs();
        let mut p = Map::defaults(&specs);
        p.set(&specs, "msg", "1048576").unwrap();
        assert_eq!(Plan::new(&Params::from_params(&p)).rounds, 64);
        p.set(&specs, "msg", "8").unwrap();
        assert_eq!(Plan::new(&Params::from_params(&p)).rounds, 1000);
    }

    #[test]
    fn bulk_lengths_add_up() {
        let plan = Plan {
            msg: 10,
            rounds: 0,
            size: 25,
        };
        assert_eq!(plan.bulk_msgs(), 3);
        let total: usize = (0..3).map(|j| plan.bulk_len(j)).sum();
        assert_eq!(total, 25);
    }
}
