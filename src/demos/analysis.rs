//! Lesson 12 (applications): data analysis as map then reduce.
//!
//! Many JSON log records (one per line, generated in memory from a seed, the way a service
//! writes them) are parsed with serde_json in parallel chunks; each chunk counts the levels
//! ERROR / WARNING / INFO / DEBUG (map), and the per-chunk counts are added up (reduce). The
//! records are made once per parameter set and reused by later passes: only parsing and
//! counting are timed.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::{AddAssign, Range};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Deserialize;

use super::kernels;
use super::rng::Rng;
use super::workpool;
use crate::engine::{
    CancelToken, Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, Params,
    VariantInfo,
};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Levels counted, in report order.
pub const LEVELS: [&str; 4] = ["ERROR", "WARNING", "INFO", "DEBUG"];
/// Records per rayon leaf task and per sequential span.
const LEAF: usize = 8192;
/// Records between cancel checks inside a pool task.
const CHECK_EVERY: usize = 1024;
/// Bytes one generated record takes, about (for the memory estimate).
const RECORD_BYTES: u64 = 190;

/// The analysis demo.
pub struct Analysis {
    info: DemoInfo,
    /// Records of the last parameter set, kept so later passes time only the analysis.
    cache: Mutex<Option<Arc<Records>>>,
}

impl Analysis {
    /// The demo with its declared parameters and variants.
    pub fn new() -> Analysis {
        Analysis {
            info: DemoInfo {
                id: "analysis",
                title: "Applications: log analysis (map, then reduce)",
                summary: "count the levels of many JSON log records: parse in parallel, add up",
                params: vec![
                    ParamSpec::int("records", 1_000_000, 0, 20_000_000, "JSON log records"),
                    ParamSpec::int(
                        "chunk",
                        0,
                        0,
                        20_000_000,
                        "records per pool task; 0 = Python's rule ceil(records / (4 x workers))",
                    ),
                    ParamSpec::int("seed", 1, 0, u64::MAX, "seed of the generated records"),
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "rayon",
                        "rayon: parse chunks in parallel (work stealing), reduce the counts",
                    ),
                    VariantInfo::parallel(
                        "pool",
                        "a fixed pool of W threads maps chunks; the caller adds the counts",
                    ),
                ],
            },
            cache: Mutex::new(None),
        }
    }
}

impl Default for Analysis {
    fn default() -> Self {
        Analysis::new()
    }
}

/// Generated records: JSON lines in one buffer and where each line starts.
pub struct Records {
    key: (u64, u64),
    text: String,
    /// Start of each line, plus the end of the text.
    starts: Vec<usize>,
}

impl Records {
    /// `n` records from `seed`: a realistic mix of levels, services, hosts and messages.
    /// `None` if cancelled.
    pub fn generate(n: u64, seed: u64, cancel: &CancelToken) -> Option<Records> {
        const SERVICES: [&str; 5] = ["auth", "billing", "search", "api", "mailer"];
        const MSGS: [&str; 6] = [
            "request served",
            "cache miss, fetching from origin",
            "user login ok",
            "retrying upstream call",
            "slow query detected",
            "connection reset by peer",
        ];
        let mut rng = Rng::new(seed);
        let mut text = String::with_capacity((n * RECORD_BYTES) as usize);
        let mut starts = Vec::with_capacity(n as usize + 1);
        for i in 0..n {
            if i % CHECK_EVERY as u64 == 0 && cancel.is_cancelled() {
                return None;
            }
            starts.push(text.len());
            let level = match rng.below(100) {
                0..5 => "ERROR",
                5..20 => "WARNING",
                20..80 => "INFO",
                _ => "DEBUG",
            };
            let t = 1_700_000_000_000 + i * 37 + rng.below(37);
            let _ = writeln!(
                text,
                r#"{{"ts":{t},"level":"{level}","service":"{}","host":"web-{:02}","latency_ms":{},"msg":"{}","request_id":"{:016x}"}}"#,
                SERVICES[rng.below(5) as usize],
                rng.below(32),
                rng.below(2000),
                MSGS[rng.below(6) as usize],
                rng.next_u64()
            );
        }
        starts.push(text.len());
        Some(Records {
            key: (n, seed),
            text,
            starts,
        })
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Record `i`, without its newline.
    pub fn line(&self, i: usize) -> &str {
        self.text[self.starts[i]..self.starts[i + 1]].trim_end_matches('\n')
    }

    /// Bytes of JSON.
    pub fn bytes(&self) -> usize {
        self.text.len()
    }
}

/// One parsed record: every field is read (as a real analysis would), the level is counted.
#[derive(Deserialize)]
#[allow(dead_code)] // fields are parsed and validated; only some are used
struct Record<'a> {
    ts: u64,
    #[serde(borrow)]
    level: Cow<'a, str>,
    #[serde(borrow)]
    service: Cow<'a, str>,
    #[serde(borrow)]
    host: Cow<'a, str>,
    latency_ms: u32,
    #[serde(borrow)]
    msg: Cow<'a, str>,
    #[serde(borrow)]
    request_id: Cow<'a, str>,
}

/// Counts per level (in [`LEVELS`] order), other levels, unparsable lines, and the sum of
/// latencies (a second figure, so a lost or doubled chunk shows in the digest).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// ERROR, WARNING, INFO, DEBUG.
    pub levels: [u64; 4],
    /// Records with any other level.
    pub other: u64,
    /// Lines that were not a valid record.
    pub invalid: u64,
    /// Sum of `latency_ms` over valid records.
    pub latency_ms: u64,
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        for (a, b) in self.levels.iter_mut().zip(o.levels) {
            *a += b;
        }
        self.other += o.other;
        self.invalid += o.invalid;
        self.latency_ms += o.latency_ms;
    }
}

impl Counts {
    fn add_line(&mut self, line: &str) {
        match serde_json::from_str::<Record<'_>>(line) {
            Ok(r) => {
                match LEVELS.iter().position(|l| *l == r.level) {
                    Some(k) => self.levels[k] += 1,
                    None => self.other += 1,
                }
                self.latency_ms += u64::from(r.latency_ms);
            }
            Err(_) => self.invalid += 1,
        }
    }

    fn digest(&self) -> u64 {
        let mut d = Digest::new();
        d.push_all(&self.levels);
        d.push_all(&[self.other, self.invalid, self.latency_ms]);
        d.value()
    }
}

/// Map: parses records `range` and counts them. `None` if cancelled.
pub fn count(recs: &Records, range: Range<usize>, cancel: &CancelToken) -> Option<Counts> {
    let mut c = Counts::default();
    for (k, i) in range.enumerate() {
        if k % CHECK_EVERY == 0 && cancel.is_cancelled() {
            return None;
        }
        c.add_line(recs.line(i));
    }
    Some(c)
}

impl Analysis {
    /// The records for `n` and `seed`, made on first use (not timed: the lesson is about
    /// analysing them). `None` if cancelled while making them.
    fn records(&self, n: u64, seed: u64, cancel: &CancelToken) -> Option<Arc<Records>> {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        match &*cache {
            Some(r) if r.key == (n, seed) => Some(Arc::clone(r)),
            _ => {
                *cache = None; // free the old set before making the new one
                let r = Arc::new(Records::generate(n, seed, cancel)?);
                *cache = Some(Arc::clone(&r));
                Some(r)
            }
        }
    }
}

impl Demo for Analysis {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn memory_estimate(&self, params: &Params, _workers: usize) -> u64 {
        params.int("records").saturating_mul(RECORD_BYTES + 8)
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("records");
        let recs = self
            .records(n, ctx.params.int("seed"), ctx.cancel)
            .ok_or(DemoError::Cancelled)?;
        let len = recs.len();
        ctx.progress.set_total(n);
        let t0 = now_ns();
        let counts = match variant {
            "sequential" => {
                let cpu0 = thread_cpu_ns();
                let mut total = Counts::default();
                for start in (0..len).step_by(LEAF) {
                    let r = start..(start + LEAF).min(len);
                    let items = r.len() as u64;
                    let s = ctx.trace.start();
                    total += count(&recs, r, ctx.cancel).ok_or(DemoError::Cancelled)?;
                    ctx.trace.end(0, s, Phase::Compute, items, 0);
                    ctx.progress.add(items);
                }
                ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
                total
            }
            "rayon" => rayon_counts(ctx, &recs)?,
            "pool" => {
                let chunk = match ctx.params.int("chunk") {
                    0 => kernels::python_chunk(n, ctx.workers),
                    c => c,
                };
                let mut total = Counts::default();
                workpool::map_chunks(
                    ctx,
                    n,
                    chunk,
                    |r, cancel| count(&recs, r.start as usize..r.end as usize, cancel),
                    |_, c| total += c,
                )?;
                total
            }
            other => {
                return Err(DemoError::Failed(anyhow::anyhow!(
                    "analysis has no variant {other}"
                )));
            }
        };
        let t1 = now_ns();
        let secs = (t1 - t0).max(1) as f64 / 1e9;
        let mb = recs.bytes() as f64 / 1e6;
        let mut metrics = vec![
            Metric::new("records per second", n as f64 / secs, "records/s"),
            Metric::new("JSON parsed per second", mb / secs, "MB/s"),
        ];
        for (l, c) in LEVELS.iter().zip(counts.levels) {
            metrics.push(Metric::new(format!("{l} records"), c as f64, ""));
        }
        let levels: Vec<String> = LEVELS
            .iter()
            .zip(counts.levels)
            .map(|(l, c)| format!("{l} {c}"))
            .collect();
        Ok(Outcome {
            workers: None,
            digest: counts.digest(),
            items: n,
            metrics,
            note: Some(format!(
                "{n} JSON records ({mb:.1} MB) parsed and counted: {}; {} other, {} invalid",
                levels.join(", "),
                counts.other,
                counts.invalid
            )),
            timed: Some((t0, t1)),
        })
    }
}

/// The rayon variant: leaves of [`LEAF`] records map to counts (one span each), rayon
/// reduces them pairwise.
fn rayon_counts(ctx: &Ctx<'_>, recs: &Records) -> Result<Counts, DemoError> {
    let (trace, cancel) = (ctx.trace, ctx.cancel);
    let len = recs.len();
    let total: Option<Counts> = workpool::in_rayon_pool(ctx.workers, trace, || {
        (0..len.div_ceil(LEAF))
            .into_par_iter()
            .map(|k| {
                let r = k * LEAF..((k + 1) * LEAF).min(len);
                let items = r.len() as u64;
                let w = rayon::current_thread_index().unwrap_or(0) as u32;
                let s = trace.start();
                let c = count(recs, r, cancel)?;
                trace.end(w, s, Phase::Compute, items, 0);
                ctx.progress.add(items);
                Some(c)
            })
            .try_reduce(Counts::default, |mut a, b| {
                a += b;
                Some(a)
            })
    })?;
    ctx.cancel.check()?;
    total.ok_or(DemoError::Cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_records_parse_and_count() {
        let recs = Records::generate(1000, 3, &CancelToken::new()).unwrap();
        assert_eq!(recs.len(), 1000);
        let c = count(&recs, 0..recs.len(), &CancelToken::new()).unwrap();
        assert_eq!(c.levels.iter().sum::<u64>(), 1000);
        assert_eq!((c.other, c.invalid), (0, 0));
        assert!(c.levels.iter().all(|&k| k > 0), "{c:?}");
    }

    #[test]
    fn odd_lines_are_counted_as_such() {
        let mut c = Counts::default();
        c.add_line(r#"{"ts":1,"level":"TRACE","service":"a","host":"b","latency_ms":2,"msg":"x\"y","request_id":"r"}"#);
        c.add_line("not json");
        assert_eq!((c.other, c.invalid, c.latency_ms), (1, 1, 2));
    }
}
