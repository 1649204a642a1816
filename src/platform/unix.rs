//! Unix (Linux, macOS, the BSDs): POSIX clocks, OS pipes, signals, advisory file locks and
//! file-system space, through `rustix`.

use std::ffi::c_int;
use std::fs::File;
use std::io;
use std::path::Path;

use rustix::time::{ClockId, clock_gettime};

fn raw_ns(id: ClockId) -> u64 {
    let ts = clock_gettime(id);
    (ts.tv_sec as u64).saturating_mul(1_000_000_000) + ts.tv_nsec as u64
}

/// A raw `CLOCK_MONOTONIC` reading in nanoseconds: system-wide, so two processes can share
/// one time axis.
pub fn monotonic_ns() -> u64 {
    raw_ns(ClockId::Monotonic)
}

/// CPU time consumed by the calling thread, in nanoseconds.
pub fn thread_cpu_ns() -> u64 {
    raw_ns(ClockId::ThreadCPUTime)
}

/// CPU time consumed by the whole calling process, in nanoseconds.
pub fn process_cpu_ns() -> u64 {
    raw_ns(ClockId::ProcessCPUTime)
}

/// An OS pipe: (read end, write end).
pub fn pipe() -> io::Result<(File, File)> {
    let (r, w) = rustix::pipe::pipe()?;
    Ok((File::from(r), File::from(w)))
}

/// Kills process `pid` at once (`SIGKILL`). The caller must know the pid is its own
/// unreaped child, so it cannot belong to anyone else.
pub fn kill(pid: u32) -> io::Result<()> {
    let p = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("bad pid {pid}")))?;
    Ok(rustix::process::kill_process(
        p,
        rustix::process::Signal::KILL,
    )?)
}

/// Sends process group `pgid` an interrupt (`SIGINT`, what Ctrl-C sends) or, with
/// `interrupt` false, `SIGKILL`. The observer starts a watched program in a group of its own,
/// so this reaches the program and every process it started, and nothing else.
pub fn signal_group(pgid: u32, interrupt: bool) -> io::Result<()> {
    let p = i32::try_from(pgid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("bad pgid {pgid}")))?;
    let sig = if interrupt {
        rustix::process::Signal::INT
    } else {
        rustix::process::Signal::KILL
    };
    Ok(rustix::process::kill_process_group(p, sig)?)
}

/// Opens (creating if needed) the lock file `path` and locks it without waiting:
/// `Some(file)` while we hold it (until the file is dropped or this process ends), `None`
/// when another process holds it.
pub fn try_lock_file(path: &Path) -> io::Result<Option<File>> {
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    match rustix::fs::flock(&f, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(f)),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Bytes free for an unprivileged user on the file system that holds the existing `path`.
pub fn free_space(path: &Path) -> Option<u64> {
    let s = rustix::fs::statvfs(path).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

/// The signals that ask parlab to quit: termination, Ctrl-C, and a closed terminal.
pub const QUIT_SIGNALS: &[c_int] = &[
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGHUP,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read as _, Write as _};

    #[test]
    fn pipes_carry_bytes() {
        let (mut r, mut w) = pipe().unwrap();
        w.write_all(b"hi").unwrap();
        drop(w);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "hi");
    }

    #[test]
    fn a_held_lock_is_refused_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".lock");
        let held = try_lock_file(&path).unwrap().unwrap();
        assert!(try_lock_file(&path).unwrap().is_none());
        drop(held);
        assert!(try_lock_file(&path).unwrap().is_some());
    }

    #[test]
    fn clocks_advance_and_space_is_known() {
        let a = monotonic_ns();
        assert!(monotonic_ns() >= a && a > 0);
        assert!(process_cpu_ns() > 0);
        assert!(free_space(Path::new(".")).is_some());
    }
}
