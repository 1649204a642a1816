//! The demos, one file each, and the registry that lists them.
//!
//! A demo knows nothing of the UI: it computes, records spans on the tracer it is given and
//! returns a digest the runner compares with `sequential`.

pub mod amdahl;
pub mod analysis;
pub mod chunking;
pub mod deadlock;
pub mod debugging;
pub mod factorials;
pub mod fetch;
pub mod images;
pub mod kernels;
pub mod lock;
pub mod logs;
pub mod memory_blowup;
pub mod memory_ipc;
pub mod pipe;
pub mod pool;
pub mod process;
pub mod queue;
pub mod rng;
pub mod squaring;
pub mod start_methods;
pub mod sums;
pub mod support;
pub mod workpool;

use std::sync::OnceLock;

use crate::child::Kind;
use crate::engine::{Demo, Typed};

/// Every kind of child process the demos start, registered by the demo that owns it: the
/// table `parlab __worker KIND` looks the kind up in.
pub fn child_kinds() -> &'static [Kind] {
    const KINDS: &[Kind] = &[
        process::CHILD,
        queue::CHILD,
        pipe::CHILD,
        chunking::CHILD,
        memory_ipc::CHILD,
        Kind::new(fetch::KIND, fetch::child_main),
        Kind::new(start_methods::KIND, start_methods::child_main),
    ];
    KINDS
}

/// Every demo, in lesson order.
pub fn all() -> &'static [Box<dyn Demo>] {
    static ALL: OnceLock<Vec<Box<dyn Demo>>> = OnceLock::new();
    ALL.get_or_init(|| {
        vec![
            Box::new(Typed::new(squaring::Squaring)),
            Box::new(Typed::new(process::ProcessDemo)),
            Box::new(Typed::new(pool::PoolDemo)),
            Box::new(Typed::new(queue::QueueDemo)),
            Box::new(Typed::new(pipe::PipeDemo)),
            Box::new(Typed::new(lock::LockDemo)),
            Box::new(Typed::new(chunking::Chunking)),
            Box::new(Typed::new(memory_ipc::MemoryIpc)),
            // Applications: images, fetch, factorials, analysis (one lesson each).
            Box::new(Typed::new(images::Images)),
            Box::new(Typed::new(fetch::Fetch)),
            Box::new(Typed::new(factorials::Factorials)),
            Box::new(Typed::new(analysis::Analysis::new())),
            Box::new(Typed::new(memory_blowup::MemoryBlowup)),
            Box::new(Typed::new(debugging::Debugging)),
            Box::new(Typed::new(deadlock::Deadlock)),
            Box::new(Typed::new(start_methods::StartMethods)),
            Box::new(Typed::new(amdahl::Amdahl)),
            Box::new(Typed::new(logs::LogsDemo)),
        ]
    })
}

/// The demo with id `id`.
pub fn find(id: &str) -> Option<&'static dyn Demo> {
    all().iter().find(|d| d.info().id == id).map(|d| d.as_ref())
}

/// Every demo id, for error messages.
pub fn ids() -> Vec<&'static str> {
    all().iter().map(|d| d.info().id).collect()
}
