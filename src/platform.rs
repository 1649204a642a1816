//! Every call that only some operating systems have, in one place, each with a portable
//! fallback: parlab builds on Linux, macOS and Windows, and reads more where it can.
//!
//! Why one home: `/proc` reads and Linux-only system calls scattered through demos and the
//! child module made parlab Linux-only by accident.

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

/// Peak resident memory of this process (`VmHWM`), bytes; 0 where unknown.
pub fn peak_rss() -> u64 {
    proc_status_bytes("VmHWM").unwrap_or(0)
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

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_is_running() {
        assert!(!has_exited(std::process::id()));
        assert!(peak_rss() > 0);
    }
}
