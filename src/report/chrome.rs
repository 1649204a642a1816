//! Chrome trace-event JSON: Perfetto and chrome://tracing open it, `parlab replay` reads it.
//!
//! Spans become complete (`X`) events, one track per worker; pass boundaries sit on a
//! "runner" track; CPU load and memory become counter (`C`) events. Everything parlab needs
//! to rebuild the recording that Perfetto has no place for (the machine, the pass list, the
//! samples, the run reports) goes under a top-level `parlab` key, which trace viewers ignore.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::engine::RunReport;
use crate::event::PassInfo;
use crate::machine::Machine;
use crate::recording::{LogLine, Recording, SeriesPoint};
use crate::sampler::Sample;

mod capped;
mod check;
pub mod limits;
mod read;

pub use read::{TraceError, from_str, read};

/// Track id of the runner's pass markers.
const RUNNER_TID: u64 = 1_000_000;
/// Version of the `parlab` section.
const FORMAT: u32 = 1;

/// One pass as written (and read back by [`read`]).
#[derive(Serialize, Deserialize)]
struct PassOut {
    #[serde(flatten)]
    info: PassInfo,
    end_ns: Option<u64>,
    cpu_ns: Vec<(u32, u64)>,
}

#[derive(Serialize)]
struct ParlabSection {
    format: u32,
    machine: Machine,
    passes: Vec<PassOut>,
    samples: Vec<Sample>,
    series: Vec<SeriesPoint>,
    logs: Vec<LogLine>,
    reports: Vec<RunReport>,
}

fn us(ns: u64) -> f64 {
    ns as f64 / 1000.0
}

/// Builds the whole trace document.
pub fn to_json(rec: &Recording) -> Value {
    let me = u64::from(std::process::id());
    let mut ev: Vec<Value> = Vec::with_capacity(rec.store.len() + rec.samples.len() * 2 + 16);
    ev.push(json!({"ph": "M", "name": "process_name", "pid": me, "args": {"name": format!("parlab ({})", rec.machine.one_line())}}));
    ev.push(json!({"ph": "M", "name": "thread_name", "pid": me, "tid": RUNNER_TID, "args": {"name": "runner: passes"}}));
    for w in 0..rec.store.worker_count() {
        let pid = rec
            .store
            .worker(w)
            .iter()
            .find_map(|s| s.pid)
            .map_or(me, u64::from);
        ev.push(json!({"ph": "M", "name": "thread_name", "pid": pid, "tid": w, "args": {"name": format!("worker {w}")}}));
        for s in rec.store.worker(w) {
            ev.push(json!({
                "ph": "X", "cat": "span", "name": s.phase.name(),
                "pid": s.pid.map_or(me, u64::from), "tid": s.worker,
                "ts": us(s.start_ns), "dur": us(s.dur_ns()),
                "args": {"pass": s.pass, "worker": s.worker, "pid": s.pid, "core": s.core, "items": s.items, "bytes": s.bytes, "merged": s.merged}
            }));
        }
    }
    for p in rec.store.passes() {
        let end = p.end_ns.unwrap_or(p.info.t_ns);
        let name = format!(
            "{}{} #{}",
            p.info.variant,
            if p.info.warmup { " (warm-up)" } else { "" },
            p.info.repeat
        );
        ev.push(json!({"ph": "X", "cat": "pass", "name": name, "pid": me, "tid": RUNNER_TID, "ts": us(p.info.t_ns), "dur": us(end - p.info.t_ns), "args": {"pass": p.info.pass, "workers": p.info.workers}}));
    }
    for s in &rec.samples {
        let cores: serde_json::Map<String, Value> = s
            .per_core
            .iter()
            .enumerate()
            .map(|(i, l)| (format!("core {i}"), json!(l)))
            .collect();
        ev.push(
            json!({"ph": "C", "name": "cpu load %", "pid": me, "ts": us(s.t_ns), "args": cores}),
        );
        ev.push(json!({"ph": "C", "name": "memory MB", "pid": me, "ts": us(s.t_ns), "args": {"parlab": s.rss_self as f64 / 1e6, "children": s.rss_children as f64 / 1e6}}));
    }
    let m = &rec.machine;
    let section = ParlabSection {
        format: FORMAT,
        machine: m.clone(),
        passes: rec
            .store
            .passes()
            .iter()
            .map(|p| PassOut {
                info: p.info.clone(),
                end_ns: p.end_ns,
                cpu_ns: p.cpu_ns.iter().map(|(k, v)| (*k, *v)).collect(),
            })
            .collect(),
        samples: rec.samples.clone(),
        series: rec.series.clone(),
        logs: rec.logs.clone(),
        reports: rec.reports.clone(),
    };
    json!({
        "traceEvents": ev,
        "displayTimeUnit": "ms",
        "otherData": {
            "cores": m.cores.to_string(), "cpu_model": m.cpu_model, "os": m.os,
            "host": m.host, "parlab_version": m.parlab_version,
        },
        "parlab": section,
    })
}

/// Writes the trace to `path` atomically: a temporary file beside it, renamed at the end, so
/// a failure never leaves half a file. A device or FIFO is written in place
/// ([`crate::datadir::is_special`]).
pub fn write(rec: &Recording, path: &Path) -> anyhow::Result<()> {
    if crate::datadir::is_special(path) {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        let mut w = BufWriter::new(f);
        serde_json::to_writer(&mut w, &to_json(rec))?;
        return w
            .flush()
            .with_context(|| format!("cannot write {}", path.display()));
    }
    let tmp = temp_path(path);
    let result = (|| {
        let f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        let mut w = BufWriter::new(f);
        serde_json::to_writer(&mut w, &to_json(rec))?;
        w.flush()?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The temporary name [`write`] uses for `path`.
pub fn temp_path(path: &Path) -> std::path::PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".parlab-partial");
    path.with_file_name(name)
}
