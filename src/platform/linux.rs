//! Linux: the running core, death with the parent, and what `/proc` tells about processes.

/// The CPU core the calling thread is running on right now.
pub fn current_core() -> Option<u16> {
    u16::try_from(rustix::thread::sched_getcpu()).ok()
}

/// Asks the kernel to kill this process when its parent dies (`PR_SET_PDEATHSIG`), so a child
/// ends even while it is busy computing and never reads its closed stdin.
pub fn die_with_parent() {
    let _ = rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
}

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`); `None` where there is none.
pub fn proc_status_bytes(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    status_field_bytes(&s, field)
}

/// The value of `field` (in kB) in the text of a `/proc/PID/status` file, in bytes.
fn status_field_bytes(status: &str, field: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line
        .trim_start_matches(field)
        .trim_start_matches(':')
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kb.saturating_mul(1024))
}

/// Whether process `pid` has exited (it is a zombie waiting to be reaped, or gone). Where
/// `/proc` cannot tell, says true: callers then rely on `wait`.
pub fn has_exited(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name in parentheses, which may contain spaces.
        Ok(s) => s
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|st| st == "Z" || st == "X"),
        Err(_) => true,
    }
}

/// The kernel function process `pid` is sleeping in (`pipe_write`...), when readable.
pub fn wait_channel(pid: u32) -> Option<String> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/wchan")).ok()?;
    let s = s.trim();
    (!s.is_empty() && s != "0").then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_in_bytes() {
        let s = "Name:\tparlab\nVmHWM:\t  2048 kB\nVmRSS:\t1024 kB\n";
        assert_eq!(status_field_bytes(s, "VmRSS"), Some(1024 * 1024));
        assert_eq!(status_field_bytes(s, "VmHWM"), Some(2048 * 1024));
        assert_eq!(status_field_bytes(s, "VmSwap"), None);
    }

    #[test]
    fn this_process_is_running_on_a_core() {
        assert!(!has_exited(std::process::id()));
        assert!(proc_status_bytes("VmHWM").is_some_and(|b| b > 0));
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert!(current_core().is_some_and(|c| usize::from(c) < cores.max(1024)));
    }
}
