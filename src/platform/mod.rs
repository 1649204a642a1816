//! Every call that only some operating systems have, in one place, each with a portable
//! fallback: parlab builds on Linux, macOS and Windows, and reads more where it can.
//!
//! Why one home: `/proc` reads and Linux-only system calls scattered through demos and the
//! child module made parlab Linux-only by accident.
//!
//! Three tiers, picked at compile time: `linux` (core ids, death with the parent, `/proc`),
//! `unix` (POSIX clocks, pipes, signals, file locks, free space) and [`fallback`] (the standard
//! library only) for whatever a system lacks. The fallback is compiled and unit-tested on
//! every system, and the tests below check that each tier offers the same signatures.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(unix)]
mod unix;

pub mod fallback;

#[cfg(not(unix))]
pub use fallback::{
    QUIT_SIGNALS, free_space, kill, monotonic_ns, pipe, process_cpu_ns, signal_group,
    thread_cpu_ns, try_lock_file,
};
#[cfg(not(target_os = "linux"))]
pub use fallback::{current_core, die_with_parent, has_exited, proc_status_bytes, wait_channel};
#[cfg(target_os = "linux")]
pub use linux::{current_core, die_with_parent, has_exited, proc_status_bytes, wait_channel};
#[cfg(unix)]
pub use unix::{
    QUIT_SIGNALS, free_space, kill, monotonic_ns, pipe, process_cpu_ns, signal_group,
    thread_cpu_ns, try_lock_file,
};

/// Peak resident memory of this process, bytes; 0 where unknown.
pub fn peak_rss() -> u64 {
    proc_status_bytes("VmHWM").unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::ffi::c_int;
    use std::fs::File;
    use std::io;
    use std::path::Path;

    use super::*;

    /// Fails to compile when a tier's function drifts from the fallback's signature.
    macro_rules! same_signatures {
        ($($f:ident: $t:ty),* $(,)?) => {
            $(let _: $t = $f; let _: $t = fallback::$f;)*
        };
    }

    #[test]
    fn every_tier_has_the_fallback_signatures() {
        same_signatures!(
            current_core: fn() -> Option<u16>,
            die_with_parent: fn(),
            proc_status_bytes: fn(&str) -> Option<u64>,
            has_exited: fn(u32) -> bool,
            wait_channel: fn(u32) -> Option<String>,
            monotonic_ns: fn() -> u64,
            thread_cpu_ns: fn() -> u64,
            process_cpu_ns: fn() -> u64,
            pipe: fn() -> io::Result<(File, File)>,
            kill: fn(u32) -> io::Result<()>,
            signal_group: fn(u32, bool) -> io::Result<()>,
            try_lock_file: fn(&Path) -> io::Result<Option<File>>,
            free_space: fn(&Path) -> Option<u64>,
        );
        let _: &[c_int] = QUIT_SIGNALS;
        let _: &[c_int] = fallback::QUIT_SIGNALS;
    }

    #[test]
    fn the_fallback_quit_signals_are_a_subset() {
        assert!(
            fallback::QUIT_SIGNALS
                .iter()
                .all(|s| QUIT_SIGNALS.contains(s))
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn peak_memory_is_known_on_linux() {
        assert!(peak_rss() > 0);
    }
}
