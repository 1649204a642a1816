//! The CPU and memory sampler: its own named thread reading per-core load ([`cores`]: every
//! 50 ms from `/proc/stat` on Linux, sysinfo's interval elsewhere) and parlab's own tree
//! ([`own`]: memory, and time its threads waited for a CPU), shipping owned [`Sample`]s on a
//! crossbeam channel. It shares nothing with the code that draws or reports the samples.

pub mod cores;
pub mod memory;
pub mod own;

use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, bounded};
use serde::{Deserialize, Serialize};

use crate::trace::now_ns;

/// One reading: load of every core over the interval ending at `t_ns`, and memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// End of the interval, ns on the shared clock.
    pub t_ns: u64,
    /// Length of the interval the loads cover, ns.
    pub interval_ns: u64,
    /// Load of each logical core, 0..=100 %.
    pub per_core: Vec<f32>,
    /// Resident memory of parlab itself, bytes.
    pub rss_self: u64,
    /// Resident memory of parlab's child processes together, bytes.
    pub rss_children: u64,
    /// How many child processes are alive.
    pub children: u32,
    /// Threads' worth of time parlab's threads (or a watched program's) spent runnable but
    /// waiting for a CPU over the interval: 1.5 means one and a half threads waited all along.
    /// `None` where not measured (older traces, kernels without scheduler statistics).
    #[serde(default)]
    pub wait_cpu: Option<f32>,
    /// Each child process's memory, the largest [`memory::MAX_CHILDREN_PER_SAMPLE`] (older
    /// traces have none: their Memory panel shows the children's total).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub per_child: Vec<memory::ChildMem>,
}

/// The interval: 50 ms on Linux (so a 200 ms run gets several samples), sysinfo's minimum
/// for meaningful CPU usage elsewhere.
pub fn interval() -> Duration {
    cores::CoreLoad::min_interval()
}

/// A running sampler. Dropping it (or [`Sampler::stop`]) stops and joins the thread.
pub struct Sampler {
    stop: Option<Sender<()>>,
    handle: Option<JoinHandle<()>>,
}

impl Sampler {
    /// Starts sampling into `tx`. Fails only if the OS refuses a thread or sysinfo cannot read
    /// the system.
    pub fn start(tx: Sender<Sample>) -> anyhow::Result<Sampler> {
        Sampler::spawn(tx, run)
    }

    /// Starts `body` as the sampler thread: it sends into `tx` until the stop channel (its
    /// second argument) closes. [`Sampler::start`] passes the real reader; tests pass one
    /// that stops early, to check that a session survives a sampler that goes away.
    pub fn spawn(
        tx: Sender<Sample>,
        body: fn(&Sender<Sample>, &Receiver<()>),
    ) -> anyhow::Result<Sampler> {
        let (stop_tx, stop_rx) = bounded::<()>(0);
        let handle = std::thread::Builder::new()
            .name("parlab-sampler".into())
            .spawn(move || body(&tx, &stop_rx))
            .map_err(|e| anyhow::anyhow!("cannot start the sampler thread: {e}"))?;
        Ok(Sampler {
            stop: Some(stop_tx),
            handle: Some(handle),
        })
    }

    /// Stops the thread and waits for it (at most one interval).
    pub fn stop(&mut self) {
        self.stop.take();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(tx: &Sender<Sample>, stop: &Receiver<()>) {
    let Some(mut cores) = cores::CoreLoad::new() else {
        return;
    };
    let mut tree = own::OwnTree::new();
    let mut last = now_ns();
    loop {
        // A closed stop channel (the handle was dropped) ends the loop at once.
        match stop.recv_timeout(interval()) {
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            _ => return,
        }
        let t = now_ns();
        let o = tree.read(t - last);
        let sample = Sample {
            t_ns: t,
            interval_ns: t - last,
            per_core: cores.read(),
            rss_self: o.rss_self,
            rss_children: o.rss_children,
            children: o.children,
            wait_cpu: o.wait_cpu,
            per_child: o.per_child,
        };
        last = t;
        if tx.send(sample).is_err() {
            return;
        }
    }
}

/// Average and peak load of each core over the samples that overlap `[from, to]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadSummary {
    /// Mean load per core, %.
    pub per_core_avg: Vec<f32>,
    /// Highest load per core, %.
    pub per_core_peak: Vec<f32>,
    /// Samples that went into it; 0 when the window was shorter than one interval and fell
    /// between readings.
    pub samples: usize,
    /// Peak memory of parlab, bytes.
    pub peak_rss_self: u64,
    /// Peak memory of its children, bytes.
    pub peak_rss_children: u64,
    /// Peak of each child with the highest peaks (`kind pid`, bytes), then of the others.
    pub peak_per_child: Vec<(String, u64)>,
}

/// Summarizes the samples whose interval overlaps the window `[from, to]`.
pub fn summarize(samples: &[Sample], from: u64, to: u64) -> LoadSummary {
    let hit: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.t_ns >= from && s.t_ns.saturating_sub(s.interval_ns) <= to)
        .collect();
    let cores = hit.iter().map(|s| s.per_core.len()).max().unwrap_or(0);
    let mut avg = vec![0f32; cores];
    let mut peak = vec![0f32; cores];
    for s in &hit {
        for (i, &l) in s.per_core.iter().enumerate() {
            avg[i] += l;
            peak[i] = peak[i].max(l);
        }
    }
    if !hit.is_empty() {
        for a in &mut avg {
            *a /= hit.len() as f32;
        }
    }
    LoadSummary {
        per_core_avg: avg,
        per_core_peak: peak,
        samples: hit.len(),
        peak_rss_self: hit.iter().map(|s| s.rss_self).max().unwrap_or(0),
        peak_rss_children: hit.iter().map(|s| s.rss_children).max().unwrap_or(0),
        peak_per_child: memory::child_peaks(hit.iter().copied(), memory::TOP_CHILDREN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: u64, loads: &[f32]) -> Sample {
        Sample {
            t_ns: t,
            interval_ns: 100,
            per_core: loads.to_vec(),
            rss_self: t,
            rss_children: 0,
            children: 0,
            wait_cpu: None,
            per_child: Vec::new(),
        }
    }

    #[test]
    fn summary_averages_and_peaks_overlapping_samples() {
        let xs = [
            s(100, &[10.0, 0.0]),
            s(200, &[90.0, 50.0]),
            s(300, &[100.0, 100.0]),
        ];
        let l = summarize(&xs, 150, 210);
        assert_eq!(l.samples, 2);
        assert_eq!(l.per_core_avg, vec![95.0, 75.0]);
        assert_eq!(l.per_core_peak, vec![100.0, 100.0]);
        assert_eq!(summarize(&xs, 1000, 2000).samples, 0);
    }

    #[test]
    fn sampler_delivers_and_stops() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let mut sm = Sampler::start(tx).unwrap();
        let first = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(!first.per_core.is_empty());
        assert!(first.rss_self > 0);
        sm.stop();
    }
}
