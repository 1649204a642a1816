//! Per-core load between two readings: `/proc/stat` on Linux (cheap enough for every 50 ms,
//! so a 200 ms run gets several samples), sysinfo elsewhere (at its own minimum interval).

/// Reads per-core load as the change since the previous reading.
pub struct CoreLoad {
    #[cfg(target_os = "linux")]
    prev: Vec<(u64, u64)>,
    #[cfg(not(target_os = "linux"))]
    sys: sysinfo::System,
}

impl CoreLoad {
    /// Takes the first reading; `None` where the system cannot be read.
    pub fn new() -> Option<CoreLoad> {
        #[cfg(target_os = "linux")]
        {
            let prev = read_proc_stat()?;
            Some(CoreLoad { prev })
        }
        #[cfg(not(target_os = "linux"))]
        {
            use sysinfo::{CpuRefreshKind, RefreshKind, System};
            let mut sys = System::new_with_specifics(
                RefreshKind::nothing().with_cpu(CpuRefreshKind::nothing().with_usage()),
            )
            .ok()?;
            sys.refresh_cpu_usage();
            Some(CoreLoad { sys })
        }
    }

    /// The shortest interval whose loads mean something here.
    pub fn min_interval() -> std::time::Duration {
        if cfg!(target_os = "linux") {
            std::time::Duration::from_millis(50)
        } else {
            sysinfo::MINIMUM_CPU_UPDATE_INTERVAL.max(std::time::Duration::from_millis(100))
        }
    }

    /// Load of each core since the previous call, 0..=100 %.
    pub fn read(&mut self) -> Vec<f32> {
        #[cfg(target_os = "linux")]
        {
            let Some(now) = read_proc_stat() else {
                return Vec::new();
            };
            let loads = loads(&self.prev, &now);
            self.prev = now;
            loads
        }
        #[cfg(not(target_os = "linux"))]
        {
            self.sys.refresh_cpu_usage();
            self.sys.cpus().iter().map(|c| c.usage()).collect()
        }
    }
}

/// Busy and total jiffies of each `cpuN` line of `/proc/stat` text.
pub fn parse_proc_stat(text: &str) -> Vec<(u64, u64)> {
    text.lines()
        .filter(|l| l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit))
        .map(|l| {
            let v: Vec<u64> = l
                .split_whitespace()
                .skip(1)
                .filter_map(|x| x.parse().ok())
                .collect();
            let total: u64 = v.iter().take(8).sum();
            // idle and iowait are the 4th and 5th fields.
            let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
            (total.saturating_sub(idle), total)
        })
        .collect()
}

/// Per-core load between two readings, %.
pub fn loads(prev: &[(u64, u64)], now: &[(u64, u64)]) -> Vec<f32> {
    now.iter()
        .enumerate()
        .map(|(i, &(b, t))| {
            let (pb, pt) = prev.get(i).copied().unwrap_or((b, t));
            let dt = t.saturating_sub(pt);
            if dt == 0 {
                0.0
            } else {
                (100.0 * b.saturating_sub(pb) as f64 / dt as f64).clamp(0.0, 100.0) as f32
            }
        })
        .collect()
}

#[cfg(target_os = "linux")]
fn read_proc_stat() -> Option<Vec<(u64, u64)>> {
    let v = parse_proc_stat(&std::fs::read_to_string("/proc/stat").ok()?);
    (!v.is_empty()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_from_two_readings() {
        let a = parse_proc_stat(
            "cpu  1 1 1 1 1 0 0 0\ncpu0 10 0 0 90 0 0 0 0 0 0\ncpu1 0 0 0 100 0 0 0 0\nintr 5",
        );
        assert_eq!(a, vec![(10, 100), (0, 100)]);
        let b = [(60, 200), (0, 200)];
        assert_eq!(loads(&a, &b), vec![50.0, 0.0]);
        assert_eq!(loads(&b, &b), vec![0.0, 0.0]);
    }

    #[test]
    fn this_machine_reads() {
        let mut c = CoreLoad::new().unwrap();
        std::thread::sleep(CoreLoad::min_interval());
        assert!(!c.read().is_empty());
    }
}
