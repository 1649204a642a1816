//! The checks a trace passes before it becomes a recording: ids and counts within the
//! [`limits`](super::limits), every pass ending after it starts, and all times within a sane
//! stretch of each other. Each refusal names the field, as a path into the JSON.

use super::limits::{MAX_CORES, MAX_STRETCH_NS, MAX_TIMESTAMP_NS, MAX_WORKERS};
use serde::Deserialize;

use super::PassOut;
use super::capped::Capped;
use super::limits::MAX_RECORDS;
use crate::engine::RunReport;
use crate::machine::Machine;
use crate::recording::{LogLine, SeriesPoint};
use crate::sampler::Sample;
use crate::trace::{Span, WorkerLabel};

/// The `parlab` section as read: the shape `write` gives it, lists capped.
#[derive(Deserialize)]
pub(super) struct SectionIn {
    pub(super) format: u32,
    pub(super) machine: Machine,
    pub(super) passes: Capped<PassOut, MAX_RECORDS>,
    pub(super) samples: Capped<Sample, MAX_RECORDS>,
    pub(super) series: Capped<SeriesPoint, MAX_RECORDS>,
    pub(super) logs: Capped<LogLine, MAX_RECORDS>,
    pub(super) reports: Capped<RunReport, MAX_RECORDS>,
    /// Worker labels (absent from older traces).
    #[serde(default)]
    pub(super) labels: Capped<WorkerLabel, MAX_RECORDS>,
}

/// Checks the `parlab` section and the spans read from `traceEvents`.
pub(super) fn section(s: &SectionIn, spans: &[Span]) -> Result<(), String> {
    cores("parlab.machine.cores", s.machine.cores)?;
    if let Some(p) = s.machine.physical_cores {
        cores("parlab.machine.physical_cores", p)?;
    }
    let mut t = Times::default();
    for (i, p) in s.passes.0.iter().enumerate() {
        let at = Field("parlab.passes", i);
        count(at, "workers", p.info.workers as usize)?;
        t.see(at, "t_ns", p.info.t_ns)?;
        if let Some(e) = p.end_ns {
            t.see(at, "end_ns", e)?;
            if e < p.info.t_ns {
                return Err(format!(
                    "{at}.end_ns {e} is before its t_ns {}",
                    p.info.t_ns
                ));
            }
        }
        for (w, _) in &p.cpu_ns {
            worker_id(at, "cpu_ns", u64::from(*w))?;
        }
    }
    for (i, smp) in s.samples.0.iter().enumerate() {
        let at = Field("parlab.samples", i);
        t.see(at, "t_ns", smp.t_ns)?;
        if smp.per_core.len() > MAX_CORES {
            return Err(format!(
                "{at}.per_core has {} cores (allowed: at most {MAX_CORES})",
                smp.per_core.len()
            ));
        }
        if smp.interval_ns > MAX_STRETCH_NS {
            return Err(format!("{at}.interval_ns {} is too long", smp.interval_ns));
        }
    }
    for (i, p) in s.series.0.iter().enumerate() {
        t.see(Field("parlab.series", i), "t_ns", p.t_ns)?;
    }
    for (i, l) in s.logs.0.iter().enumerate() {
        let at = Field("parlab.logs", i);
        worker_id(at, "worker", u64::from(l.worker))?;
        t.see(at, "t_ns", l.t_ns)?;
    }
    for (i, l) in s.labels.0.iter().enumerate() {
        worker_id(Field("parlab.labels", i), "worker", u64::from(l.worker))?;
    }
    for (i, r) in s.reports.0.iter().enumerate() {
        let at = Field("parlab.reports", i);
        count(at, "workers", r.workers)?;
        if r.cores > MAX_CORES {
            return Err(format!(
                "{at}.cores {} is out of range (allowed: at most {MAX_CORES})",
                r.cores
            ));
        }
        for v in &r.variants {
            count(at, "variants.workers", v.workers)?;
        }
    }
    for (i, sp) in spans.iter().enumerate() {
        let at = Field("span", i);
        t.see(at, "start", sp.start_ns)?;
        t.see(at, "end", sp.end_ns)?;
    }
    t.stretch()
}

/// Where a value sits: a list and an index into it.
#[derive(Clone, Copy, Debug)]
struct Field(&'static str, usize);

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

fn cores(field: &str, n: usize) -> Result<(), String> {
    if n > MAX_CORES {
        return Err(format!(
            "{field} {n} is out of range (allowed: at most {MAX_CORES})"
        ));
    }
    Ok(())
}

fn count(at: Field, key: &str, n: usize) -> Result<(), String> {
    if n > MAX_WORKERS {
        return Err(format!(
            "{at}.{key} {n} is out of range (allowed: at most {MAX_WORKERS} workers)"
        ));
    }
    Ok(())
}

fn worker_id(at: Field, key: &str, id: u64) -> Result<(), String> {
    if id >= MAX_WORKERS as u64 {
        return Err(format!(
            "{at}.{key}: worker {id} is out of range (allowed: 0..{MAX_WORKERS})"
        ));
    }
    Ok(())
}

/// The earliest and latest timestamp seen, and where each was.
#[derive(Default)]
struct Times {
    min: Option<(u64, Field, &'static str)>,
    max: Option<(u64, Field, &'static str)>,
}

impl Times {
    fn see(&mut self, at: Field, key: &'static str, t: u64) -> Result<(), String> {
        if t > MAX_TIMESTAMP_NS {
            return Err(format!(
                "{at}.{key} {t} ns is out of range (allowed: at most {MAX_TIMESTAMP_NS})"
            ));
        }
        if self.min.is_none_or(|(m, ..)| t < m) {
            self.min = Some((t, at, key));
        }
        if self.max.is_none_or(|(m, ..)| t > m) {
            self.max = Some((t, at, key));
        }
        Ok(())
    }

    fn stretch(&self) -> Result<(), String> {
        if let (Some((a, fa, ka)), Some((b, fb, kb))) = (self.min, self.max)
            && b - a > MAX_STRETCH_NS
        {
            return Err(format!(
                "times {fa}.{ka} = {a} ns and {fb}.{kb} = {b} ns are more than a week apart (corrupt timestamps)"
            ));
        }
        Ok(())
    }
}
