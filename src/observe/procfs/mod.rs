//! Linux: readings of a process tree from `/proc`: every process (children found through
//! `/proc/PID/task/TID/children`, else by parent pid), every thread's state, CPU counters and
//! scheduler statistics, and each process's memory and command line.
//!
//! Why `/proc` and not sysinfo: sysinfo gives per-process CPU at 200 ms at best and nothing of
//! the time a thread spent runnable but waiting for a CPU, which is the figure oversubscription
//! lessons need. The parsers here are pure functions over bytes (no `String` per reading), so
//! tests feed them text; [`reader`] keeps the files open between readings.

pub mod reader;

use std::fs;

use super::ProcReading;

pub use reader::Reader;

/// Clock ticks per second of `utime`/`stime` (`USER_HZ`: 100 on every Linux parlab targets).
pub const TICKS_PER_SEC: u64 = 100;

/// The fields of a `stat` file parlab uses, borrowed from the text read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stat<'a> {
    /// The command name (`comm`), as the kernel wrote it.
    pub comm: &'a [u8],
    /// State letter: R running or runnable, S/D sleeping, Z zombie...
    pub state: char,
    /// Parent pid.
    pub ppid: u32,
    /// utime + stime, clock ticks.
    pub ticks: u64,
    /// CPU it last ran on.
    pub core: u16,
}

/// A decimal number from ASCII digits; `None` for anything else (or an overflow).
fn num(b: &[u8]) -> Option<u64> {
    if b.is_empty() {
        return None;
    }
    b.iter().try_fold(0u64, |n, d| {
        d.is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(u64::from(d - b'0')))?
    })
}

/// The whitespace-separated fields of `s`.
fn fields(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    s.split(|b| b.is_ascii_whitespace())
        .filter(|f| !f.is_empty())
}

/// Parses a `/proc/PID/stat` or `/proc/PID/task/TID/stat` line. The command name sits in
/// parentheses and may hold spaces and parentheses itself, so fields are counted after the
/// last `)`.
pub fn parse_stat(s: &[u8]) -> Option<Stat<'_>> {
    let open = s.iter().position(|b| *b == b'(')?;
    let close = s.iter().rposition(|b| *b == b')')?;
    let comm = s.get(open + 1..close)?;
    let mut f = fields(s.get(close + 1..)?);
    let state = char::from(*f.next()?.first()?);
    let ppid = u32::try_from(num(f.next()?)?).ok()?;
    // Fields after the state: ppid is 1, utime 11, stime 12, processor 36.
    let mut f = f.skip(9);
    let utime = num(f.next()?)?;
    let stime = num(f.next()?)?;
    let core = f
        .nth(23)
        .and_then(num)
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(u16::MAX);
    Some(Stat {
        comm,
        state,
        ppid,
        ticks: utime.saturating_add(stime),
        core,
    })
}

/// Parses a `schedstat` line: ns on a CPU, ns runnable waiting for one.
pub fn parse_schedstat(s: &[u8]) -> Option<(u64, u64)> {
    let mut it = fields(s).map(num);
    Some((it.next()??, it.next()??))
}

/// Resident memory from the text of a `statm` file, bytes (pages of 4 KiB).
pub fn parse_statm_rss(s: &[u8]) -> Option<u64> {
    let pages = num(fields(s).nth(1)?)?;
    Some(pages.saturating_mul(4096))
}

/// The pids listed in a `children` file.
pub fn parse_pids(s: &[u8]) -> impl Iterator<Item = u32> + '_ {
    fields(s).filter_map(|v| u32::try_from(num(v)?).ok())
}

/// A short command line: the program's base name and its arguments, at most `max` chars.
pub fn short_cmdline(raw: &[u8], max: usize) -> String {
    let mut parts = raw
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let Some(first) = parts.next() else {
        return String::new();
    };
    let base = first.rsplit('/').next().unwrap_or(&first).to_string();
    let mut out = std::iter::once(base)
        .chain(parts)
        .collect::<Vec<_>>()
        .join(" ");
    if out.chars().count() > max {
        out = out.chars().take(max.saturating_sub(1)).collect::<String>() + "…";
    }
    out
}

/// The children of `parent` found by reading every process's parent pid: for kernels without
/// `children` files (rare; this allocates, the usual path does not).
pub fn scan_children(parent: u32) -> Vec<u32> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            fs::read(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| parse_stat(&s).map(|s| s.ppid))
                == Some(parent)
        })
        .collect()
}

/// Reads one process (its threads, memory and command line); `None` once it is gone.
pub fn read_process(pid: u32) -> Option<ProcReading> {
    let mut r = Reader::new(super::Reading::Plain, 1);
    r.read_one(pid).cloned()
}

/// Reads the whole tree under `root` once (root first, then in order of first sight).
pub fn read_tree(root: u32) -> Vec<ProcReading> {
    Reader::new(super::Reading::Plain, 1).read(root).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines_parse_with_odd_names() {
        let line = b"1234 (a (b) c) R 1 1234 1234 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 3 0 \
                    100 1000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 5 0 0";
        let s = parse_stat(line).unwrap();
        assert_eq!(s.comm, b"a (b) c");
        assert_eq!((s.state, s.ppid, s.ticks, s.core), ('R', 1, 300, 5));
        assert_eq!(parse_stat(b"garbage"), None);
        // A short line (old kernels): no processor field.
        let short = b"7 (x) S 1 7 7 0 -1 0 0 0 0 0 3 4";
        assert_eq!(
            parse_stat(short).map(|s| (s.ticks, s.core)),
            Some((7, u16::MAX))
        );
    }

    #[test]
    fn schedstat_statm_children_and_cmdline() {
        assert_eq!(parse_schedstat(b"123 456 7\n"), Some((123, 456)));
        assert_eq!(parse_schedstat(b""), None);
        assert_eq!(parse_schedstat(b"12x 4 1"), None);
        assert_eq!(parse_statm_rss(b"100 25 3"), Some(25 * 4096));
        assert_eq!(parse_pids(b"12 34 \n").collect::<Vec<_>>(), vec![12, 34]);
        assert_eq!(
            short_cmdline(b"/usr/bin/python3\0lesson.py\0-v\0", 48),
            "python3 lesson.py -v"
        );
        assert_eq!(short_cmdline(b"/bin/abcdefgh\0", 5), "abcd…");
        assert_eq!(num(b"99999999999999999999999"), None);
    }

    #[test]
    fn this_process_reads_with_its_threads() {
        let me = read_process(std::process::id()).unwrap();
        assert!(!me.threads.is_empty());
        assert!(me.rss > 0);
        assert!(!me.cmdline.is_empty());
        assert_eq!(read_tree(std::process::id())[0].pid, me.pid);
    }
}
