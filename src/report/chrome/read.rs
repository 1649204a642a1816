//! Reading a trace back: typed serde structs, every list capped while it is parsed and every
//! number checked against [`limits`](super::limits) before anything is sized from it.
//!
//! A bad file becomes one [`TraceError`] line (the file, what is wrong and, from serde, the
//! line and column), never an abort, a huge allocation or a panic.

use std::fmt;
use std::io::Read as _;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, SeqAccess, Visitor};

use super::FORMAT;
use super::check::SectionIn;
use super::limits::{MAX_FILE_BYTES, MAX_SPANS, MAX_TIMESTAMP_NS, MAX_WORKERS};
use crate::event::Event;
use crate::recording::Recording;
use crate::trace::{Phase, Span};

/// A trace file that cannot be replayed: one line saying which file and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TraceError(pub String);

/// Reads a trace written by [`write`](super::write) back into a recording.
pub fn read(path: &Path) -> Result<Recording, TraceError> {
    let bad = |what: String| TraceError(format!("trace {}: {what}", path.display()));
    let size = std::fs::metadata(path)
        .map_err(|e| bad(format!("cannot read it ({e})")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(bad(format!(
            "{} is larger than a parlab trace can be ({})",
            crate::units::fmt_bytes(size),
            crate::units::fmt_bytes(MAX_FILE_BYTES)
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| bad(format!("cannot read it ({e})")))?;
    // `take`: a file that grows while it is read still stops at the cap.
    let reader = std::io::BufReader::new(file.take(MAX_FILE_BYTES));
    let doc: DocIn = serde_json::from_reader(reader).map_err(|e| bad(e.to_string()))?;
    build(doc).map_err(bad)
}

/// Parses a trace document held in memory.
pub fn from_str(text: &str) -> Result<Recording, TraceError> {
    let doc: DocIn = serde_json::from_str(text).map_err(|e| TraceError(e.to_string()))?;
    build(doc).map_err(TraceError)
}

/// The document: the span events (everything else in `traceEvents` is for trace viewers) and
/// the `parlab` section.
#[derive(Deserialize)]
struct DocIn {
    #[serde(rename = "traceEvents")]
    spans: SpanEvents,
    parlab: Option<SectionIn>,
}

/// One entry of `traceEvents`; only span events (`ph` X, `cat` span) are used.
#[derive(Deserialize)]
struct EventIn {
    #[serde(default)]
    ph: String,
    #[serde(default)]
    cat: String,
    #[serde(default)]
    name: String,
    ts: Option<f64>,
    dur: Option<f64>,
    args: Option<SpanArgs>,
}

/// The `args` of a span event (other events' args have none of these keys).
#[derive(Deserialize)]
struct SpanArgs {
    pass: Option<u32>,
    worker: Option<u64>,
    pid: Option<u32>,
    core: Option<u16>,
    items: Option<u64>,
    bytes: Option<u64>,
    merged: Option<u32>,
}

/// The spans of `traceEvents`, converted and checked one event at a time, so the other
/// events are never held.
struct SpanEvents(Vec<Span>);

impl<'de> Deserialize<'de> for SpanEvents {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SpanEvents;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of trace events")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                let mut i = 0usize;
                while let Some(e) = seq.next_element::<EventIn>()? {
                    if e.ph == "X" && e.cat == "span" {
                        if out.len() == MAX_SPANS {
                            return Err(de::Error::custom(format!(
                                "more than {MAX_SPANS} spans (the limit for a trace)"
                            )));
                        }
                        let s = span(e)
                            .map_err(|m| de::Error::custom(format!("traceEvents[{i}]: {m}")))?;
                        out.push(s);
                    }
                    i += 1;
                }
                Ok(SpanEvents(out))
            }
        }
        d.deserialize_seq(V)
    }
}

/// A span event as a [`Span`], or what is wrong with it.
fn span(e: EventIn) -> Result<Span, String> {
    let a = e.args.ok_or("a span without `args`")?;
    let need = |v: Option<u64>, k: &str| v.ok_or_else(|| format!("a span without `args.{k}`"));
    let worker = need(a.worker, "worker")?;
    if worker >= MAX_WORKERS as u64 {
        return Err(format!(
            "worker {worker} is out of range (allowed: 0..{MAX_WORKERS})"
        ));
    }
    let phase =
        Phase::from_name(&e.name).ok_or_else(|| format!("unknown span name `{}`", e.name))?;
    let start_ns = ns(e.ts.ok_or("a span without `ts`")?, "ts")?;
    let end_ns = start_ns + ns(e.dur.ok_or("a span without `dur`")?, "dur")?;
    if end_ns > MAX_TIMESTAMP_NS {
        return Err(format!(
            "span end {end_ns} ns is past {MAX_TIMESTAMP_NS} ns"
        ));
    }
    let merged = a.merged.ok_or("a span without `args.merged`")?;
    if merged == 0 {
        return Err("`args.merged` is 0 (a span stands for at least 1)".into());
    }
    Ok(Span {
        pass: a.pass.ok_or("a span without `args.pass`")?,
        worker: worker as u32,
        pid: a.pid,
        core: a.core.ok_or("a span without `args.core`")?,
        phase,
        start_ns,
        end_ns,
        items: need(a.items, "items")?,
        bytes: need(a.bytes, "bytes")?,
        merged,
    })
}

/// Microseconds (as the format writes them) to ns, within `0..=MAX_TIMESTAMP_NS`.
fn ns(us: f64, field: &str) -> Result<u64, String> {
    let ns = (us * 1000.0).round();
    if ns >= 0.0 && ns <= MAX_TIMESTAMP_NS as f64 {
        Ok(ns as u64)
    } else {
        Err(format!(
            "`{field}` {us} µs is out of range (allowed: 0..={} µs)",
            MAX_TIMESTAMP_NS / 1000
        ))
    }
}

/// Checks the section against the limits and builds the recording.
fn build(doc: DocIn) -> Result<Recording, String> {
    let s = doc
        .parlab
        .ok_or("no `parlab` section (was it written by `parlab run --trace`?)")?;
    if s.format > FORMAT {
        return Err(format!(
            "trace format {} is newer than this parlab understands ({FORMAT})",
            s.format
        ));
    }
    let mut spans = doc.spans.0;
    super::check::section(&s, &spans)?;
    let mut rec = Recording::new(s.machine);
    for p in s.passes.0 {
        rec.store.apply(&Event::PassStarted(p.info.clone()));
        for (worker, cpu_ns) in p.cpu_ns {
            rec.store.apply(&Event::WorkerCpu {
                pass: p.info.pass,
                worker,
                cpu_ns,
            });
        }
        if let Some(t) = p.end_ns {
            rec.store.apply(&Event::PassFinished {
                pass: p.info.pass,
                start_ns: p.info.t_ns,
                t_ns: t,
                outcome: Err(String::new()),
            });
        }
    }
    // In row order, so the store appends instead of inserting.
    spans.sort_by_key(|s| (s.worker, s.start_ns));
    rec.store.extend(&spans);
    for l in s.labels.0 {
        rec.store.apply(&Event::WorkerLabel {
            pass: l.pass,
            worker: l.worker,
            label: l.label,
        });
    }
    rec.samples = s.samples.0;
    rec.series = s.series.0;
    rec.logs = s.logs.0;
    rec.reports = s.reports.0;
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microseconds_to_ns_within_range() {
        assert_eq!(ns(1.5, "ts"), Ok(1_500));
        assert!(ns(-1.0, "ts").is_err());
        assert!(ns(1e300, "ts").is_err());
    }
}
