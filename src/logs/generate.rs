//! Reproducible synthetic log files: `app-000.log`, `app-001.log`, ... each line a level word,
//! an ISO-8601 timestamp, a component and a message.
//!
//! Every file has its own seeded generator (derived from the run's seed and the file's index),
//! so the same `--seed` gives byte-identical files whatever the number of threads writing them.
//! The level mix is roughly what a service logs: mostly INFO and DEBUG, some WARNING, few ERROR.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::engine::{CancelToken, DemoError};

/// Lines written between two looks at the cancel token.
const CANCEL_EVERY: u64 = 4096;
/// About how long a generated line is, newline included (for size estimates).
pub const AVG_LINE_BYTES: u64 = 88;
/// 2024-01-01T00:00:00Z in seconds since the Unix epoch: where timestamps start.
const EPOCH_2024: u64 = 1_704_067_200;

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenOptions {
    /// How many files.
    pub files: usize,
    /// Lines in each file.
    pub lines: u64,
    /// Seed of the generator; the same seed gives the same bytes.
    pub seed: u64,
}

/// What was generated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenStats {
    /// Files written.
    pub files: usize,
    /// Lines written, all files.
    pub lines: u64,
    /// Bytes written, all files.
    pub bytes: u64,
    /// Wall time.
    pub elapsed: Duration,
}

/// SplitMix64: tiny, fast, and good enough to make logs look varied.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for file `index` of a run seeded with `seed`.
    pub fn for_file(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ 0x5EED_1065_0000_0000);
        let mix = r.next_u64();
        Rng(mix ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() >> 32) * n) >> 32
    }
}

/// The name of file `index` of `files`: zero-padded so name order is index order.
pub fn file_name(index: usize, files: usize) -> String {
    let width = files.saturating_sub(1).to_string().len().max(3);
    format!("app-{index:0width$}.log")
}

const COMPONENTS: [&str; 8] = [
    "http",
    "db",
    "auth",
    "cache",
    "billing",
    "scheduler",
    "mailer",
    "search",
];
const PATHS: [&str; 6] = [
    "/api/users",
    "/api/orders",
    "/api/cart",
    "/login",
    "/api/search",
    "/static/app.js",
];
const HOSTS: [&str; 4] = [
    "db-1.internal",
    "db-2.internal",
    "payments.example",
    "smtp.example",
];

/// Writes one line: level, timestamp (`ts_ms` since the epoch), component, message.
fn write_line<W: Write>(w: &mut W, rng: &mut Rng, ts_ms: u64) -> io::Result<()> {
    let roll = rng.below(1000);
    let level = match roll {
        0..20 => "ERROR",
        20..100 => "WARNING",
        100..650 => "INFO",
        _ => "DEBUG",
    };
    let comp = COMPONENTS[rng.below(COMPONENTS.len() as u64) as usize];
    let (y, mo, d, h, mi, s) = civil(ts_ms / 1000);
    write!(
        w,
        "{level} {y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z [{comp}] ",
        ts_ms % 1000
    )?;
    let id = rng.below(100_000);
    let ms = 1 + rng.below(900);
    let n = 1 + rng.below(5);
    let path = PATHS[rng.below(PATHS.len() as u64) as usize];
    let host = HOSTS[rng.below(HOSTS.len() as u64) as usize];
    match (level, rng.below(3)) {
        ("ERROR", 0) => writeln!(w, "connection to {host} refused (attempt {n})"),
        ("ERROR", 1) => writeln!(w, "request {id} failed: timeout after {ms}0 ms"),
        ("ERROR", _) => writeln!(w, "payment {id} declined: upstream returned 502"),
        ("WARNING", 0) => writeln!(w, "slow query took {ms}0 ms: SELECT * FROM orders"),
        ("WARNING", 1) => writeln!(w, "retrying {host} after {ms} ms (attempt {n})"),
        ("WARNING", _) => writeln!(w, "disk usage at {}%", 80 + rng.below(20)),
        ("INFO", 0) => writeln!(w, "GET {path}/{id} 200 in {ms} ms"),
        ("INFO", 1) => writeln!(w, "user {id} signed in from {path}"),
        ("INFO", _) => writeln!(w, "job {id} finished in {ms} ms ({n} steps)"),
        (_, 0) => writeln!(w, "cache hit key=user:{id}"),
        (_, 1) => writeln!(w, "pool stats active={n} idle={} queued=0", 8 - n),
        (_, _) => writeln!(w, "parsed request headers for {path} ({ms} bytes)"),
    }
}

/// Seconds since the epoch to (year, month, day, hour, minute, second), proleptic Gregorian.
fn civil(secs: u64) -> (u64, u64, u64, u64, u64, u64) {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil, for days >= 0.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Writes the `opts.lines` lines of file `index` to `w`; returns the bytes written, or `None`
/// when `cancel` fired.
pub fn write_lines<W: Write>(
    w: W,
    index: usize,
    opts: &GenOptions,
    cancel: &CancelToken,
) -> io::Result<Option<u64>> {
    let mut w = CountingWriter { inner: w, bytes: 0 };
    let mut rng = Rng::for_file(opts.seed, index as u64);
    // Each file covers its own stretch of time: file i starts i hours after the run's start.
    let mut ts = (EPOCH_2024 + opts.seed % 365 * 86_400 + index as u64 * 3600) * 1000;
    for line in 0..opts.lines {
        if line % CANCEL_EVERY == 0 && cancel.is_cancelled() {
            return Ok(None);
        }
        ts += rng.below(400);
        write_line(&mut w, &mut rng, ts)?;
    }
    w.flush()?;
    Ok(Some(w.bytes))
}

struct CountingWriter<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes file `index` into `dir`; returns its bytes, or `None` when cancelled (the partial
/// file is removed).
fn write_file(
    dir: &Path,
    index: usize,
    opts: &GenOptions,
    cancel: &CancelToken,
) -> anyhow::Result<Option<u64>> {
    let path: PathBuf = dir.join(file_name(index, opts.files));
    let f = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    let written = write_lines(BufWriter::with_capacity(1 << 17, f), index, opts, cancel)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if written.is_none() {
        let _ = std::fs::remove_file(&path);
    }
    Ok(written)
}

/// Writes `opts.files` files into `dir` (created if missing) with `workers` threads.
pub fn generate(
    dir: &Path,
    opts: &GenOptions,
    workers: usize,
    cancel: &CancelToken,
) -> Result<GenStats, DemoError> {
    let t0 = Instant::now();
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let next = AtomicUsize::new(0);
    let workers = workers.clamp(1, opts.files.max(1));
    let results: Vec<anyhow::Result<Option<u64>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let next = &next;
                std::thread::Builder::new()
                    .name(format!("parlab-loggen-{w}"))
                    .spawn_scoped(s, move || -> anyhow::Result<Option<u64>> {
                        let mut bytes = 0;
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= opts.files {
                                return Ok(Some(bytes));
                            }
                            match write_file(dir, i, opts, cancel)? {
                                Some(b) => bytes += b,
                                None => return Ok(None),
                            }
                        }
                    })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a generator thread panicked"))),
                Err(e) => Err(anyhow::anyhow!("cannot start a generator thread: {e}")),
            })
            .collect()
    });
    let mut bytes = 0;
    for r in results {
        match r? {
            Some(b) => bytes += b,
            None => return Err(DemoError::Cancelled),
        }
    }
    cancel.check()?;
    Ok(GenStats {
        files: opts.files,
        lines: opts.lines * opts.files as u64,
        bytes,
        elapsed: t0.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(index: usize, opts: &GenOptions) -> String {
        let mut out = Vec::new();
        write_lines(&mut out, index, opts, &CancelToken::new()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let a = GenOptions {
            files: 3,
            lines: 500,
            seed: 7,
        };
        assert_eq!(text(1, &a), text(1, &a));
        assert_ne!(text(1, &a), text(2, &a));
        assert_ne!(text(1, &a), text(1, &GenOptions { seed: 8, ..a }));
    }

    #[test]
    fn lines_start_with_a_level_and_a_timestamp_and_the_mix_is_realistic() {
        let opts = GenOptions {
            files: 1,
            lines: 20_000,
            seed: 1,
        };
        let t = text(0, &opts);
        let mut n = std::collections::HashMap::new();
        for line in t.lines() {
            let mut words = line.split_whitespace();
            *n.entry(words.next().unwrap()).or_insert(0u32) += 1;
            let ts = words.next().unwrap();
            assert!(ts.starts_with("2024-") && ts.ends_with('Z'), "{line}");
        }
        assert_eq!(n.values().sum::<u32>(), 20_000);
        assert!(n["ERROR"] > 200 && n["ERROR"] < 700, "{n:?}");
        assert!(
            n["WARNING"] > n["ERROR"] && n["INFO"] > n["WARNING"],
            "{n:?}"
        );
        assert!(n["DEBUG"] > n["WARNING"], "{n:?}");
        let avg = t.len() as u64 / 20_000;
        assert!(
            avg.abs_diff(AVG_LINE_BYTES) < 15,
            "average line {avg} bytes"
        );
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(EPOCH_2024), (2024, 1, 1, 0, 0, 0));
        assert_eq!(
            civil(EPOCH_2024 + 59 * 86_400 + 3661),
            (2024, 2, 29, 1, 1, 1)
        );
    }

    #[test]
    fn names_sort_in_index_order() {
        assert_eq!(file_name(7, 200), "app-007.log");
        assert_eq!(file_name(7, 20_000), "app-00007.log");
        assert!(file_name(99, 1000) < file_name(100, 1000));
    }
}
