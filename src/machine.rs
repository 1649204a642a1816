//! A description of the machine a run happened on, written into traces so a replay on
//! another machine says where the numbers came from.

use serde::{Deserialize, Serialize};

/// The machine: cores, CPU model, OS, parlab version.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Logical cores.
    pub cores: usize,
    /// Physical cores, when known.
    pub physical_cores: Option<usize>,
    /// CPU model name.
    pub cpu_model: String,
    /// OS name and version.
    pub os: String,
    /// Host name.
    pub host: String,
    /// Total memory, bytes.
    pub memory_bytes: u64,
    /// parlab version that recorded it.
    pub parlab_version: String,
}

impl Machine {
    /// Describes the machine parlab runs on now.
    pub fn this() -> Machine {
        use sysinfo::{CpuRefreshKind, MemoryRefreshKind, RefreshKind, System};
        let sys = System::new_with_specifics(
            RefreshKind::nothing()
                .with_cpu(CpuRefreshKind::nothing())
                .with_memory(MemoryRefreshKind::nothing().with_ram()),
        )
        .ok();
        Machine {
            cores: crate::cores(),
            physical_cores: System::physical_core_count().ok(),
            cpu_model: sys
                .as_ref()
                .and_then(|s| s.cpus().first().map(|c| c.brand().trim().to_string()))
                .filter(|b| !b.is_empty())
                .unwrap_or_else(|| "unknown CPU".into()),
            os: System::long_os_version().unwrap_or_else(|_| std::env::consts::OS.to_string()),
            host: System::host_name().unwrap_or_default(),
            memory_bytes: sys.as_ref().map_or(0, System::total_memory),
            parlab_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    /// One line: "2 cores, AMD EPYC 7B13, Debian GNU/Linux 12, parlab 0.1.0".
    pub fn one_line(&self) -> String {
        format!(
            "{} cores, {}, {}, parlab {}",
            self.cores, self.cpu_model, self.os, self.parlab_version
        )
    }
}
