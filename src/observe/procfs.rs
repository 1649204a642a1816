//! Linux: one reading of a process tree from `/proc`: every process (children found through
//! `/proc/PID/task/TID/children`, else by parent pid), every thread's state, CPU counters and
//! scheduler statistics, and each process's memory and command line.
//!
//! Why `/proc` and not sysinfo: sysinfo gives per-process CPU at 200 ms at best and nothing of
//! the time a thread spent runnable but waiting for a CPU, which is the figure oversubscription
//! lessons need. The parsers are pure functions so tests feed them text.

use std::collections::HashMap;
use std::fs;

use super::{ProcReading, ThreadReading};

/// Clock ticks per second of `utime`/`stime` (`USER_HZ`: 100 on every Linux parlab targets).
pub const TICKS_PER_SEC: u64 = 100;

/// The fields of a `stat` file parlab uses.
#[derive(Clone, Debug, PartialEq)]
pub struct Stat {
    /// The command name (`comm`).
    pub comm: String,
    /// State letter: R running or runnable, S/D sleeping, Z zombie...
    pub state: char,
    /// Parent pid.
    pub ppid: u32,
    /// utime + stime, clock ticks.
    pub ticks: u64,
    /// CPU it last ran on.
    pub core: u16,
}

/// Parses a `/proc/PID/stat` or `/proc/PID/task/TID/stat` line. The command name sits in
/// parentheses and may hold spaces and parentheses itself, so fields are counted after the
/// last `)`.
pub fn parse_stat(s: &str) -> Option<Stat> {
    let open = s.find('(')?;
    let (head, rest) = s.rsplit_once(')')?;
    let comm = head.get(open + 1..)?.to_string();
    let f: Vec<&str> = rest.split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok());
    Some(Stat {
        comm,
        state: f.first()?.chars().next()?,
        ppid: u32::try_from(num(1)?).ok()?,
        ticks: num(11)?.saturating_add(num(12)?),
        core: num(36)
            .and_then(|c| u16::try_from(c).ok())
            .unwrap_or(u16::MAX),
    })
}

/// Parses a `schedstat` line: ns on a CPU, ns runnable waiting for one.
pub fn parse_schedstat(s: &str) -> Option<(u64, u64)> {
    let mut it = s.split_whitespace().map(|v| v.parse::<u64>().ok());
    Some((it.next()??, it.next()??))
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

/// Resident memory from the text of a `statm` file, bytes (pages of 4 KiB).
fn parse_statm_rss(s: &str) -> Option<u64> {
    let pages: u64 = s.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages.saturating_mul(4096))
}

/// What the previous reading saw, so the next one reads less: a thread whose scheduler
/// counters did not move neither ran nor waited (its `stat` is not read again), a command
/// line is read once per program, and the children of threads other than the main one are
/// looked for every [`ALL_CHILDREN_EVERY`] readings. This keeps watching 64 threads within
/// the observer's cost target.
#[derive(Debug, Default)]
pub struct Cache {
    threads: HashMap<(u32, u32), ThreadReading>,
    seen: HashMap<(u32, u32), ThreadReading>,
    cmdlines: HashMap<u32, (String, String)>,
    round: u64,
}

/// Readings between two looks at every thread's children (the main thread's: every reading).
pub const ALL_CHILDREN_EVERY: u64 = 5;

/// Reads one process (its threads, memory and command line); `None` once it is gone.
pub fn read_process(pid: u32) -> Option<ProcReading> {
    read_process_with(pid, &mut Cache::default())
}

fn read_process_with(pid: u32, cache: &mut Cache) -> Option<ProcReading> {
    let base = format!("/proc/{pid}");
    let st = parse_stat(&fs::read_to_string(format!("{base}/stat")).ok()?)?;
    let mut threads = Vec::new();
    for e in fs::read_dir(format!("{base}/task")).ok()?.flatten() {
        let Some(tid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let dir = format!("{base}/task/{tid}");
        let sched = fs::read_to_string(format!("{dir}/schedstat"))
            .ok()
            .and_then(|s| parse_schedstat(&s));
        if let Some(prev) = cache.threads.get(&(pid, tid))
            && sched.is_some_and(|s| s.0 > 0)
            && prev.sched == sched
        {
            // Neither ran nor waited since the last reading: asleep.
            let mut t = prev.clone();
            t.state = if t.state == 'R' { 'S' } else { t.state };
            cache.seen.insert((pid, tid), t.clone());
            threads.push(t);
            continue;
        }
        let Some(ts) = fs::read_to_string(format!("{dir}/stat"))
            .ok()
            .and_then(|s| parse_stat(&s))
        else {
            continue;
        };
        let reading = ThreadReading {
            tid,
            comm: ts.comm,
            state: ts.state,
            ticks: ts.ticks,
            core: ts.core,
            sched,
        };
        cache.seen.insert((pid, tid), reading.clone());
        threads.push(reading);
    }
    threads.sort_by_key(|t| t.tid);
    let cmdline = match cache.cmdlines.get(&pid) {
        Some((comm, cmd)) if *comm == st.comm => cmd.clone(),
        _ => {
            let cmd = fs::read(format!("{base}/cmdline"))
                .map(|raw| short_cmdline(&raw, 48))
                .unwrap_or_default();
            if !cmd.is_empty() {
                cache.cmdlines.insert(pid, (st.comm.clone(), cmd.clone()));
            }
            cmd
        }
    };
    Some(ProcReading {
        pid,
        ppid: st.ppid,
        comm: st.comm,
        zombie: st.state == 'Z' || st.state == 'X',
        ticks: st.ticks,
        rss: fs::read_to_string(format!("{base}/statm"))
            .ok()
            .and_then(|s| parse_statm_rss(&s))
            .unwrap_or(0),
        cmdline,
        threads,
    })
}

/// The children of `pid`: from every thread's `children` file, else (kernels without it) by
/// scanning every process's parent pid.
fn children(pid: u32, threads: &[ThreadReading], all: bool) -> Vec<u32> {
    let mut out = Vec::new();
    let mut any = false;
    for t in threads.iter().filter(|t| all || t.tid == pid) {
        if let Ok(s) = fs::read_to_string(format!("/proc/{pid}/task/{}/children", t.tid)) {
            any = true;
            out.extend(s.split_whitespace().filter_map(|v| v.parse::<u32>().ok()));
        }
    }
    if !any {
        out = scan_children(pid);
    }
    out
}

fn scan_children(parent: u32) -> Vec<u32> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| parse_stat(&s))
                .is_some_and(|s| s.ppid == parent)
        })
        .collect()
}

/// Reads the whole tree under `root` (root first, then breadth first).
pub fn read_tree(root: u32) -> Vec<ProcReading> {
    read_tree_with(root, &mut Cache::default())
}

/// [`read_tree`] reading less where the previous reading (`cache`) tells enough.
pub fn read_tree_with(root: u32, cache: &mut Cache) -> Vec<ProcReading> {
    let all = cache.round % ALL_CHILDREN_EVERY == 0;
    cache.round += 1;
    let mut out: Vec<ProcReading> = Vec::new();
    let mut todo = vec![root];
    while let Some(pid) = todo.pop() {
        if out.len() >= super::MAX_PROCESSES || out.iter().any(|p| p.pid == pid) {
            continue;
        }
        if let Some(p) = read_process_with(pid, cache) {
            todo.extend(children(pid, &p.threads, all));
            out.push(p);
        }
    }
    cache.threads = std::mem::take(&mut cache.seen);
    let live: std::collections::HashSet<u32> = out.iter().map(|p| p.pid).collect();
    cache.cmdlines.retain(|pid, _| live.contains(pid));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines_parse_with_odd_names() {
        let line = "1234 (a (b) c) R 1 1234 1234 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 3 0 \
                    100 1000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 5 0 0";
        let s = parse_stat(line).unwrap();
        assert_eq!(s.comm, "a (b) c");
        assert_eq!((s.state, s.ppid, s.ticks, s.core), ('R', 1, 300, 5));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn schedstat_and_cmdline() {
        assert_eq!(parse_schedstat("123 456 7\n"), Some((123, 456)));
        assert_eq!(parse_schedstat(""), None);
        assert_eq!(
            short_cmdline(b"/usr/bin/python3\0lesson.py\0-v\0", 48),
            "python3 lesson.py -v"
        );
        assert_eq!(short_cmdline(b"/bin/abcdefgh\0", 5), "abcd…");
        assert_eq!(parse_statm_rss("100 25 3"), Some(25 * 4096));
    }

    #[test]
    fn this_process_reads_with_its_threads() {
        let me = read_process(std::process::id()).unwrap();
        assert!(!me.threads.is_empty());
        assert!(me.rss > 0);
        assert!(!me.cmdline.is_empty());
    }
}
