//! The portable fallback: what parlab does where the operating system offers nothing better
//! through the standard library. Used on systems without the Linux or Unix calls, and compiled
//! and tested on every system, so it cannot rot while CI runs on Linux.
//!
//! What is lost: no core ids on spans, no memory figures (callers show none), no per-thread or
//! per-process CPU time (0), wall-clock time instead of a monotonic clock across processes, no
//! OS pipes for the pipe lesson, and a child whose parent dies ends only when it next reads its
//! closed stdin.

use std::ffi::c_int;
use std::fs::File;
use std::io;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// No portable way to ask which core runs this thread.
pub fn current_core() -> Option<u16> {
    None
}

/// Nothing to arrange: a child still ends when parlab's end of its stdin closes.
pub fn die_with_parent() {}

/// No process status file: no memory figures.
pub fn proc_status_bytes(_field: &str) -> Option<u64> {
    None
}

/// Cannot tell: says true, and callers rely on `wait`.
pub fn has_exited(_pid: u32) -> bool {
    true
}

/// No kernel wait channel to read.
pub fn wait_channel(_pid: u32) -> Option<String> {
    None
}

/// Wall-clock nanoseconds since 1970: the one clock every process shares without OS help.
/// It can step when the system time is set; readings are never below an earlier origin's
/// difference because callers subtract with saturation.
pub fn monotonic_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// Not measurable here: 0 (no CPU figures).
pub fn thread_cpu_ns() -> u64 {
    0
}

/// Not measurable here: 0 (no CPU figures).
pub fn process_cpu_ns() -> u64 {
    0
}

/// No OS pipes through the standard library of parlab's minimum Rust version.
pub fn pipe() -> io::Result<(File, File)> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "OS pipes are not available on this system",
    ))
}

/// Without process groups: kills the group's leader only (the watched program itself).
pub fn signal_group(pgid: u32, interrupt: bool) -> io::Result<()> {
    let _ = interrupt;
    kill(pgid)
}

/// Kills process `pid` through the system-information library.
pub fn kill(pid: u32) -> io::Result<()> {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
    let pid = Pid::from_u32(pid);
    let mut sys = System::new().map_err(|e| io::Error::other(format!("{e:?}")))?;
    sys.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing(),
    );
    match sys.process(pid) {
        Some(p) if p.kill() => Ok(()),
        Some(_) => Err(io::Error::other(format!("cannot kill process {pid}"))),
        None => Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no process {pid}"),
        )),
    }
}

/// Without advisory locks, creating the lock file is taking the lock, and an existing lock
/// file counts as held: a crashed parlab's leftovers stay rather than risk removing files
/// that another parlab is using.
pub fn try_lock_file(path: &Path) -> io::Result<Option<File>> {
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(e),
    }
}

/// Not known here.
pub fn free_space(_path: &Path) -> Option<u64> {
    None
}

/// The signals that ask parlab to quit and that every system has: termination and Ctrl-C.
pub const QUIT_SIGNALS: &[c_int] = &[signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_known_and_nothing_breaks() {
        assert_eq!(current_core(), None);
        die_with_parent();
        assert_eq!(proc_status_bytes("VmRSS"), None);
        assert!(has_exited(std::process::id()));
        assert_eq!(wait_channel(std::process::id()), None);
        assert_eq!((thread_cpu_ns(), process_cpu_ns()), (0, 0));
        assert_eq!(free_space(Path::new(".")), None);
        assert_eq!(pipe().unwrap_err().kind(), io::ErrorKind::Unsupported);
    }

    #[test]
    fn the_clock_is_shared_and_advances() {
        let a = monotonic_ns();
        assert!(a > 0 && monotonic_ns() >= a);
    }

    #[test]
    fn an_existing_lock_file_counts_as_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".lock");
        let held = try_lock_file(&path).unwrap();
        assert!(held.is_some());
        assert!(try_lock_file(&path).unwrap().is_none());
        drop(held);
        assert!(try_lock_file(&path).unwrap().is_none());
    }

    #[cfg(unix)] // `sleep` is a Unix program
    #[test]
    fn kills_a_child() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        kill(child.id()).unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success());
    }
}
