//! One simulated URL: its seeded latency (a sleep), its response made and hashed (the real
//! work), and fetching it on a worker's timeline.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Params;
use crate::demos::rng::splitmix64;
use crate::engine::{CancelToken, Digest};
use crate::trace::{Phase, Tracer};

/// Longest single sleep: a waiting worker checks the cancel token at least this often.
const SLICE: Duration = Duration::from_millis(20);

/// What every worker needs to fetch a URL (sent to child processes as JSON).
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Job {
    /// Mean simulated latency, µs.
    pub latency_us: u64,
    /// Latency jitter, µs either side.
    pub jitter_us: u64,
    /// Response size, bytes.
    pub bytes: usize,
    /// Seed.
    pub seed: u64,
}

impl Job {
    /// The job the parameters describe (milliseconds and KiB become µs and bytes).
    pub fn from_params(p: &Params) -> Job {
        Job {
            latency_us: p.latency.saturating_mul(1000),
            jitter_us: p.jitter.saturating_mul(1000),
            bytes: p.kib.saturating_mul(1024),
            seed: p.seed,
        }
    }

    /// The simulated latency of URL `i`, µs: mean +- jitter, seeded.
    pub fn latency_of(&self, i: u64) -> u64 {
        let r = splitmix64(self.seed ^ i.wrapping_mul(0x9FB2_1C65_1E98_DF25));
        let spread = 2 * self.jitter_us + 1;
        (self.latency_us + r % spread).saturating_sub(self.jitter_us)
    }

    /// The "response" of URL `i`, parsed: its bytes made and hashed.
    pub fn parse(&self, i: u64) -> u64 {
        let mut body = vec![0u8; self.bytes];
        let mut x = self.seed ^ i.rotate_left(17);
        for w in body.chunks_mut(8) {
            x = splitmix64(x);
            w.copy_from_slice(&x.to_le_bytes()[..w.len()]);
        }
        let mut d = Digest::new();
        d.push_bytes(&body);
        d.value()
    }
}

/// Sleeps `us` microseconds in slices, checking `cancel` between them. False if cancelled.
pub(super) fn wait(us: u64, cancel: Option<&CancelToken>) -> bool {
    let until = std::time::Instant::now() + Duration::from_micros(us);
    loop {
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return false;
        }
        let left = until.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(SLICE));
    }
}

/// Fetches URL `i` on worker `w` of `trace`: the simulated wait (a wait-for-work span) and
/// the parse (a compute span). `None` if cancelled.
pub(super) fn fetch_traced(
    job: &Job,
    i: u64,
    w: u32,
    trace: &Tracer,
    cancel: &CancelToken,
) -> Option<u64> {
    let s = trace.start();
    if !wait(job.latency_of(i), Some(cancel)) {
        return None;
    }
    trace.end(w, s, Phase::WaitWork, 0, 0);
    let s = trace.start();
    let h = job.parse(i);
    trace.end(w, s, Phase::Compute, 1, job.bytes as u64);
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_stay_within_the_jitter_and_responses_are_seeded() {
        let job = Job {
            latency_us: 20_000,
            jitter_us: 10_000,
            bytes: 100,
            seed: 7,
        };
        for i in 0..1000 {
            assert!((10_000..=30_000).contains(&job.latency_of(i)), "URL {i}");
        }
        assert_eq!(job.parse(3), job.parse(3));
        assert_ne!(job.parse(3), job.parse(4));
        assert_ne!(job.parse(3), Job { seed: 8, ..job }.parse(3));
    }
}
