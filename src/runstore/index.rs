//! The index of kept runs: one small entry per run (enough for the Runs screen and for a
//! comparison without opening any trace), read back as untrusted input.

use std::io::Read as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::Params;

const FORMAT: u32 = 1;
/// Longest text field believed (titles, headlines, machine lines).
const MAX_TEXT: usize = 4096;
/// Most variants one entry may list.
const MAX_VARIANTS: usize = 64;

/// One variant of a kept run, as the index remembers it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredVariant {
    /// Variant name.
    pub name: String,
    /// Median wall time, ms (0 when no pass completed).
    pub median_ms: f64,
    /// Sequential median / this median.
    pub speedup: Option<f64>,
    /// Whether its answer matched sequential's (the tick of [`crate::report::Mark`]).
    pub correct: bool,
    /// Its plain-words verdict.
    pub headline: String,
}

/// One kept run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredRun {
    /// File-name-safe unique id; the trace is `ID.json` beside the index.
    pub id: String,
    /// Lesson id (empty when none was open).
    pub lesson: String,
    /// Lesson title.
    pub title: String,
    /// Demo id.
    pub demo: String,
    /// Parameter values.
    pub params: Params,
    /// Workers for parallel variants.
    pub workers: usize,
    /// When it finished, seconds since the Unix epoch.
    pub time_unix: u64,
    /// The machine, in one line.
    pub machine: String,
    /// Whether it was cancelled.
    pub cancelled: bool,
    /// Size of its trace file, bytes.
    pub bytes: u64,
    /// Its variants in run order.
    pub variants: Vec<StoredVariant>,
}

impl StoredRun {
    /// The trace's file name.
    pub fn trace_file(&self) -> String {
        format!("{}.json", self.id)
    }

    /// The headline of the run: its first parallel variant that is wrong, else the fastest
    /// parallel variant's verdict (one home: [`crate::report::verdict`] wrote it).
    pub fn headline(&self) -> &str {
        let par = || self.variants.iter().filter(|v| v.name != "sequential");
        par()
            .find(|v| !v.correct)
            .or_else(|| {
                par().max_by(|a, b| {
                    a.speedup
                        .unwrap_or(0.0)
                        .total_cmp(&b.speedup.unwrap_or(0.0))
                })
            })
            .or(self.variants.first())
            .map_or("", |v| v.headline.as_str())
    }

    /// "workers=4 size=1000000 work=heavy": the parameters in one line.
    pub fn params_line(&self) -> String {
        format!("workers={} {}", self.workers, self.params)
    }

    fn plausible(&self) -> bool {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 120
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let texts = [&self.lesson, &self.title, &self.demo, &self.machine];
        id_ok
            && texts.iter().all(|t| t.len() <= MAX_TEXT)
            && self.variants.len() <= MAX_VARIANTS
            && self.params.0.len() <= MAX_VARIANTS
            && self
                .variants
                .iter()
                .all(|v| v.name.len() <= MAX_TEXT && v.headline.len() <= MAX_TEXT)
    }
}

/// The file: a format number and the runs, oldest first.
#[derive(Serialize, Deserialize)]
pub(super) struct IndexFile {
    format: u32,
    runs: Vec<StoredRun>,
}

impl IndexFile {
    /// The file holding `runs`.
    pub(super) fn new(runs: Vec<StoredRun>) -> IndexFile {
        IndexFile {
            format: FORMAT,
            runs,
        }
    }
}

/// Reads the index at `path`: empty when it does not exist, an error (one line) when it is
/// too large, not JSON, of another format, or names a run with an unsafe file name.
pub(super) fn read(path: &Path) -> Result<Vec<StoredRun>, String> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {} ({e})", path.display())),
    };
    let mut text = Vec::new();
    file.take(super::MAX_INDEX_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|e| format!("cannot read {} ({e})", path.display()))?;
    if text.len() as u64 > super::MAX_INDEX_BYTES {
        return Err(format!("{} is larger than an index can be", path.display()));
    }
    let doc: IndexFile = serde_json::from_slice(&text)
        .map_err(|e| format!("{} is not a run index ({e})", path.display()))?;
    if doc.format != FORMAT {
        return Err(format!(
            "{} has format {}, not {FORMAT}",
            path.display(),
            doc.format
        ));
    }
    if let Some(bad) = doc.runs.iter().position(|r| !r.plausible()) {
        return Err(format!("{}: run {} is malformed", path.display(), bad + 1));
    }
    let mut runs = doc.runs;
    let extra = runs.len().saturating_sub(super::MAX_KEPT);
    runs.drain(..extra);
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unsafe_ids_and_other_formats() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("index.json");
        assert_eq!(read(&p).unwrap(), Vec::new(), "missing: empty");
        let mut r = StoredRun {
            id: "../../etc/passwd".into(),
            ..StoredRun::default()
        };
        std::fs::write(
            &p,
            serde_json::to_vec(&IndexFile::new(vec![r.clone()])).unwrap(),
        )
        .unwrap();
        assert!(read(&p).unwrap_err().contains("malformed"));
        r.id = "ok-1".into();
        std::fs::write(&p, serde_json::to_vec(&IndexFile::new(vec![r])).unwrap()).unwrap();
        assert_eq!(read(&p).unwrap().len(), 1);
        std::fs::write(&p, br#"{"format": 9, "runs": []}"#).unwrap();
        assert!(read(&p).unwrap_err().contains("format 9"));
    }

    #[test]
    fn the_headline_is_a_wrong_answer_first() {
        let v = |name: &str, s: f64, correct: bool| StoredVariant {
            name: name.into(),
            speedup: Some(s),
            correct,
            headline: format!("{name} line"),
            ..StoredVariant::default()
        };
        let mut r = StoredRun {
            variants: vec![
                v("sequential", 1.0, true),
                v("a", 2.0, true),
                v("b", 1.5, true),
            ],
            ..StoredRun::default()
        };
        assert_eq!(r.headline(), "a line");
        r.variants.push(v("no-join", 3.0, false));
        assert_eq!(r.headline(), "no-join line");
    }
}
