//! The kinds of child worker parlab can start, by name, and the dispatcher that runs one.
//!
//! Why a table passed in: each demo owns its child-side function, so the table is built next
//! to the demo registry (its `child_kinds`) and handed to [`run_kind`] by the `__worker`
//! command; `child` itself knows no demo, and imports nothing of them (no import cycle).

use anyhow::bail;

use super::ChildIo;

/// A child-side entry point.
pub type KindFn = fn(&mut ChildIo) -> anyhow::Result<()>;

/// One kind of child worker: the name `parlab __worker NAME` is started with, and what the
/// child then runs.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// The name as passed on the command line.
    pub name: &'static str,
    /// The child-side function.
    pub main: KindFn,
}

impl Kind {
    /// A kind called `name` that runs `main`.
    pub const fn new(name: &'static str, main: KindFn) -> Kind {
        Kind { name, main }
    }
}

/// The kinds `child` provides itself, whatever table the caller passes.
pub const BUILT_IN: &[Kind] = &[Kind::new("echo", echo)];

/// Runs the kind called `name`, looked up in [`BUILT_IN`] and then in `kinds`.
pub fn run_kind(name: &str, kinds: &[Kind], io: &mut ChildIo) -> anyhow::Result<()> {
    match BUILT_IN.iter().chain(kinds).find(|k| k.name == name) {
        Some(k) => (k.main)(io),
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
