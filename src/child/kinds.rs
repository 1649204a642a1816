//! The kinds of child worker parlab can start, by name. Each demo that uses processes adds
//! its child-side function here.

use anyhow::bail;

use super::ChildIo;
use crate::demos;

/// A child-side entry point.
pub type KindFn = fn(&mut ChildIo) -> anyhow::Result<()>;

/// Every kind: name and entry point.
pub const KINDS: &[(&str, KindFn)] = &[
    ("echo", echo),
    ("chunking-sum", crate::demos::chunking::child_main),
    ("memory-recv", crate::demos::memory_ipc::child_main),
    (demos::process::KIND, demos::process::child_main),
    (demos::queue::KIND, demos::queue::child_main),
    (demos::pipe::KIND, demos::pipe::child_main),
    (crate::demos::fetch::KIND, crate::demos::fetch::child_main),
    (
        crate::demos::start_methods::KIND,
        crate::demos::start_methods::child_main,
    ),
];

/// Runs the kind called `name`.
pub fn run_kind(name: &str, io: &mut ChildIo) -> anyhow::Result<()> {
    match KINDS.iter().find(|(n, _)| *n == name) {
        Some((_, f)) => f(io),
        None => bail!("unknown worker kind `{name}`"),
    }
}

/// Sends every data frame back unchanged, until the parent closes the pipe. Used by tests
/// and as the simplest possible worker.
fn echo(io: &mut ChildIo) -> anyhow::Result<()> {
    loop {
        let s = io.start();
        let Some(d) = io.recv()? else { return Ok(()) };
        let d = d.to_vec();
        io.end(s, crate::trace::Phase::Receive, 1, d.len() as u64);
        io.send(&d)?;
        io.flush()?;
    }
}
