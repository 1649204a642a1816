//! One admission rule for a run: the worker count, each setting's value and the memory the
//! run would need. `parlab run` / `sweep`, the TUI's settings editor and the lesson loader all
//! ask here, so each limit is stated once and a refusal reads the same wherever it is made.

use super::{Demo, ParamError, Params, SetError};
use crate::units::fmt_bytes;

/// Most workers a run may use: the tracer has this many slots.
pub const MAX_WORKERS: usize = crate::trace::MAX_WORKERS;

/// The memory budget never exceeds this, however much RAM the machine has: a teaching tool
/// should not be able to push a shared machine into swap.
pub const BUDGET_CAP: u64 = 16 << 30;

/// The budget when the machine's RAM is unknown (0): small enough for any laptop.
pub const BUDGET_UNKNOWN_RAM: u64 = 4 << 30;

/// The setting name of the worker count, in lessons and the TUI's editor.
pub const WORKERS: &str = "workers";

/// Why a run is refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Refusal {
    /// A setting is unknown or out of range (the worker count included, as `workers`).
    #[error(transparent)]
    Setting(#[from] SetError),
    /// The run's estimated memory is over the budget.
    #[error(
        "this run would need about {} of memory, over the safe budget of {} (half of this machine's RAM, at most {}); choose a smaller size",
        fmt_bytes(*need),
        fmt_bytes(*budget),
        fmt_bytes(BUDGET_CAP)
    )]
    Memory {
        /// The demo's estimate, bytes.
        need: u64,
        /// The budget, bytes.
        budget: u64,
    },
}

/// The safe memory budget of a machine with `total_ram` bytes (0 = unknown): half of it, at
/// most [`BUDGET_CAP`].
pub fn memory_budget(total_ram: u64) -> u64 {
    if total_ram == 0 {
        BUDGET_UNKNOWN_RAM
    } else {
        (total_ram / 2).min(BUDGET_CAP)
    }
}

/// Checks a worker count (any size a user can type): `1..=MAX_WORKERS`.
pub fn workers(n: u64) -> Result<usize, ParamError> {
    match usize::try_from(n) {
        Ok(w) if (1..=MAX_WORKERS).contains(&w) => Ok(w),
        _ => Err(workers_error(&n.to_string())),
    }
}

/// Parses and checks a worker count typed as text.
pub fn workers_text(text: &str) -> Result<usize, ParamError> {
    let t = text.trim();
    t.parse::<u64>()
        .map_err(|_| workers_error(t))
        .and_then(workers)
}

fn workers_error(given: &str) -> ParamError {
    ParamError {
        name: WORKERS.into(),
        given: given.into(),
        allowed: format!("1..={MAX_WORKERS}"),
    }
}

/// Applies one `name = value` setting, as a lesson writes it or the TUI's editor takes it:
/// `workers`, or one of the demo's parameters within its declared range.
pub fn set(
    demo: &dyn Demo,
    params: &mut Params,
    workers_out: &mut usize,
    name: &str,
    text: &str,
) -> Result<(), SetError> {
    if name == WORKERS {
        *workers_out = workers_text(text)?;
        return Ok(());
    }
    params.set(&demo.info().params, name, text)
}

/// Admits a run of `demo` with `params` on `workers` workers on a machine with `total_ram`
/// bytes of RAM (0 = unknown): the worker count in range and the demo's memory estimate
/// within [`memory_budget`].
pub fn admit(
    demo: &dyn Demo,
    params: &Params,
    workers_n: usize,
    total_ram: u64,
) -> Result<(), Refusal> {
    workers(workers_n as u64).map_err(SetError::from)?;
    let need = demo.memory_estimate(params, workers_n);
    let budget = memory_budget(total_ram);
    if need > budget {
        return Err(Refusal::Memory { need, budget });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squaring() -> &'static dyn Demo {
        crate::demos::find("squaring").unwrap()
    }

    #[test]
    fn workers_in_range_only() {
        assert_eq!(workers(1), Ok(1));
        assert_eq!(workers(MAX_WORKERS as u64), Ok(MAX_WORKERS));
        let e = workers(99_999_999_999).unwrap_err();
        assert_eq!(
            e.to_string(),
            "workers = 99999999999 is not allowed (allowed: 1..=1024)"
        );
        assert!(workers(0).is_err());
        assert!(workers_text("x").is_err());
        assert_eq!(workers_text(" 4 "), Ok(4));
    }

    #[test]
    fn budget_is_half_the_ram_capped() {
        assert_eq!(memory_budget(0), 4 << 30);
        assert_eq!(memory_budget(8 << 30), 4 << 30);
        assert_eq!(memory_budget(1 << 40), 16 << 30);
    }

    #[test]
    fn settings_and_memory_through_one_rule() {
        let d = squaring();
        let mut p = Params::defaults(&d.info().params);
        let mut w = 2;
        set(d, &mut p, &mut w, "workers", "3").unwrap();
        assert_eq!(w, 3);
        assert!(set(d, &mut p, &mut w, "workers", "0").is_err());
        assert!(set(d, &mut p, &mut w, "colour", "3").is_err());
        set(d, &mut p, &mut w, "size", "4000000000").unwrap();
        let e = admit(d, &p, 2, 32 << 30).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("59.6 GiB"), "{msg}");
        assert!(msg.contains("safe budget of 16.0 GiB"), "{msg}");
        assert!(admit(d, &Params::defaults(&d.info().params), 2, 32 << 30).is_ok());
        assert!(admit(d, &p, 0, 32 << 30).is_err());
    }
}
