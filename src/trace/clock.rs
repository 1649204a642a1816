//! One monotonic clock shared by every worker, thread or child process.
//!
//! Times are nanoseconds since an origin taken once per parlab process. The origin is a raw
//! `CLOCK_MONOTONIC` reading ([`platform::monotonic_ns`]), which is system-wide, so a child process that is handed the
//! parent's origin ([`set_origin`]) stamps its spans on the parent's time axis.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::platform;

static ORIGIN: OnceLock<u64> = OnceLock::new();
/// Set by child workers before the first reading; 0 means "not overridden".
static ORIGIN_OVERRIDE: AtomicU64 = AtomicU64::new(0);

/// The raw monotonic reading that time zero stands for.
pub fn origin_ns() -> u64 {
    let o = ORIGIN_OVERRIDE.load(Ordering::Relaxed);
    if o != 0 {
        return o;
    }
    *ORIGIN.get_or_init(platform::monotonic_ns)
}

/// Adopt another process's origin so both share one time axis (used by child workers).
pub fn set_origin(raw: u64) {
    ORIGIN_OVERRIDE.store(raw, Ordering::Relaxed);
}

/// Nanoseconds since the origin on the shared monotonic clock.
#[inline]
pub fn now_ns() -> u64 {
    platform::monotonic_ns().saturating_sub(origin_ns())
}

/// CPU time consumed by the calling thread, in nanoseconds.
#[inline]
pub fn thread_cpu_ns() -> u64 {
    platform::thread_cpu_ns()
}

/// CPU time consumed by the whole calling process, in nanoseconds.
pub fn process_cpu_ns() -> u64 {
    platform::process_cpu_ns()
}

/// The CPU core the calling thread is running on right now; `u16::MAX` where unknown (the
/// value spans store for "no core").
#[inline]
pub fn core_now() -> u16 {
    platform::current_core().unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_is_monotonic() {
        let a = now_ns();
        let b = now_ns();
        assert!(b >= a);
    }

    #[test]
    fn core_is_a_real_core() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert!((core_now() as usize) < cores.max(1024));
    }
}
