//! The analysis lesson's data and its map step: generated JSON log records, parsed and
//! counted per level.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::{AddAssign, Range};

use serde::Deserialize;

use crate::demos::rng::Rng;
use crate::engine::{CancelToken, Digest};

/// Levels counted, in report order.
pub const LEVELS: [&str; 4] = ["ERROR", "WARNING", "INFO", "DEBUG"];
/// Records between cancel checks inside a task.
const CHECK_EVERY: usize = 1024;
/// Bytes one generated record takes, about (for the memory estimate).
pub const RECORD_BYTES: u64 = 190;

/// Generated records: JSON lines in one buffer and where each line starts.
pub struct Records {
    /// The (records, seed) they were made from.
    pub key: (u64, u64),
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

    /// A hash of every figure, compared with sequential's.
    pub fn digest(&self) -> u64 {
        let mut d = Digest::new();
        d.push_all(&self.levels);
        d.push_all(&[self.other, self.invalid, self.latency_ms]);
        d.value()
    }
}

/// Map: parses records `range` and counts them. `None` if cancelled. The one copy of the
/// hot code, whichever variant calls it.
#[inline(never)]
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
