//! The pitfalls and Amdahl demos: every variant meant to match sequential does, across sizes;
//! the buggy debugging variant differs and its log names the culprit; the deadlock demo
//! always terminates, also when cancelled; every demo stops when cancelled and leaves no
//! child process behind. No timing is asserted (the generous bounds below only catch hangs).

#![allow(clippy::unwrap_used)] // test helpers: a failed lookup is a test failure

use std::time::Duration;

use parlab::demos;
use parlab::engine::{CancelToken, DemoError, Expect, Outcome, Params};
use parlab::event::Event;
use parlab::trace::Tracer;

use crate::common;

const DEMOS: [&str; 5] = [
    "memory-blowup",
    "debugging",
    "deadlock",
    "start-methods",
    "amdahl",
];
/// Bound for "it returned at all" (debug builds on a busy 2-core machine).
const HANG: Duration = Duration::from_secs(120);

fn params(id: &str, set: &[(&str, String)]) -> Params {
    let demo = demos::find(id).unwrap();
    let mut p = Params::defaults(&demo.info().params);
    for (k, v) in set {
        p.set(&demo.info().params, k, v).unwrap();
    }
    p
}

/// Runs one pass on its own thread; panics if it does not return within [`HANG`].
/// Returns the outcome and the pids of any child processes it used.
fn pass(
    id: &'static str,
    variant: &'static str,
    workers: usize,
    p: Params,
    cancel: CancelToken,
) -> (Result<Outcome, DemoError>, Vec<u32>) {
    let (done_tx, done_rx) = crossbeam_channel::bounded(1);
    std::thread::spawn(move || {
        let demo = demos::find(id).unwrap();
        let (tx, rx) = crossbeam_channel::unbounded();
        let trace = Tracer::new(0, demo.trace_slots(&p, workers), Some(tx));
        let h = common::Harness::traced(trace, workers);
        let r = demo.run(variant, &p, &h.ctx(&cancel));
        h.finish();
        let mut pids: Vec<u32> = rx
            .iter()
            .filter_map(|ev| match ev {
                Event::Spans(b) => Some(b.into_iter().filter_map(|s| s.pid).collect::<Vec<_>>()),
                _ => None,
            })
            .flatten()
            .collect();
        pids.sort_unstable();
        pids.dedup();
        let _ = done_tx.send((r, pids));
    });
    done_rx
        .recv_timeout(HANG)
        .unwrap_or_else(|_| panic!("{id}/{variant} did not return within {HANG:?}"))
}

fn digest(id: &'static str, variant: &'static str, workers: usize, p: &Params) -> u64 {
    let (r, pids) = pass(id, variant, workers, p.clone(), CancelToken::new());
    for pid in pids {
        assert!(
            !common::alive(pid),
            "{id}/{variant}: child {pid} outlived the pass"
        );
    }
    match r {
        Ok(o) => o.digest,
        Err(e) => panic!("{id}/{variant} ({p}): {e}"),
    }
}

/// Sizes 0, 1, a prime, fewer items than workers, and the default (None).
fn sizes() -> [Option<u64>; 5] {
    [Some(0), Some(1), Some(13), Some(2), None]
}

fn check_matches_sequential(id: &'static str, extra: &[(&str, String)]) {
    let demo = demos::find(id).unwrap();
    let workers = 3;
    for size in sizes() {
        let mut set: Vec<(&str, String)> = extra.to_vec();
        if let Some(n) = size {
            set.push(("size", n.to_string()));
        }
        let p = params(id, &set);
        let seq = digest(id, "sequential", 1, &p);
        for v in demo.info().variants.iter().skip(1) {
            if v.expect == Expect::MayDiffer {
                continue;
            }
            assert_eq!(
                digest(id, v.name, workers, &p),
                seq,
                "{id}/{} with {p}",
                v.name
            );
        }
    }
}

#[test]
fn memory_blowup_variants_match_sequential() {
    check_matches_sequential("memory-blowup", &[]);
    check_matches_sequential("memory-blowup", &[("chunk", "5".into())]);
}

#[test]
fn debugging_logged_matches_and_buggy_differs() {
    check_matches_sequential("debugging", &[]);
    for n in [1u64, 13] {
        let p = params("debugging", &[("size", n.to_string())]);
        let seq = digest("debugging", "sequential", 1, &p);
        let (r, _) = pass("debugging", "buggy", 2, p, CancelToken::new());
        let o = r.unwrap();
        assert_ne!(o.digest, seq, "the truncated task must change the answer");
        let note = o.note.unwrap();
        assert!(note.contains("6000 in, 4096 out"), "{note}");
    }
}

#[test]
fn deadlock_variants_match_sequential_and_terminate() {
    check_matches_sequential("deadlock", &[("timeout", "5".into())]);
    // More transfers, more workers: whatever deadlocks happen are detected and resolved.
    for workers in [2, 3, 4] {
        let p = params(
            "deadlock",
            &[("size", "300".into()), ("timeout", "2".into())],
        );
        let seq = digest("deadlock", "sequential", 1, &p);
        for v in ["opposite", "ordered"] {
            assert_eq!(digest("deadlock", v, workers, &p), seq, "{v} x{workers}");
        }
    }
}

#[test]
fn start_methods_match_sequential_and_reap_children() {
    check_matches_sequential("start-methods", &[("items", "50".into())]);
}

#[test]
fn amdahl_matches_sequential_at_any_serial_share() {
    check_matches_sequential("amdahl", &[]);
    for serial in ["0", "50", "100"] {
        check_matches_sequential(
            "amdahl",
            &[("serial", serial.into()), ("size", "999".into())],
        );
    }
}

/// Every variant of every demo, cancelled shortly after it starts, stops with `Cancelled`
/// (or had already finished) and leaves no child process behind.
#[test]
fn every_variant_stops_when_cancelled() {
    for id in DEMOS {
        let demo = demos::find(id).unwrap();
        let big: Vec<(&str, String)> = match id {
            "deadlock" => vec![("size", "1000000".into()), ("timeout", "10000".into())],
            "start-methods" => vec![("size", "100000".into())],
            "debugging" => vec![("size", "1000000".into())],
            "memory-blowup" => vec![("size", "100000000".into())],
            _ => vec![("size", "400000000".into())],
        };
        for v in &demo.info().variants {
            let cancel = CancelToken::new();
            let c = cancel.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                c.cancel();
            });
            // Streaming holds one buffer per worker and runs at memory speed: it gets the
            // largest dataset, so that it is still running when the cancel comes.
            let mut big = big.clone();
            if (id, v.name) == ("memory-blowup", "stream") {
                big = vec![("size", "1000000000".into())];
            }
            let (r, pids) = pass(id, v.name, 2, params(id, &big), cancel);
            assert!(
                matches!(r, Err(DemoError::Cancelled)),
                "{id}/{}: expected Cancelled, got {:?}",
                v.name,
                r.map(|o| o.digest)
            );
            for pid in pids {
                assert!(
                    !common::alive(pid),
                    "{id}/{}: child {pid} outlived the pass",
                    v.name
                );
            }
        }
    }
}

/// The deadlock demo with a detection timeout far longer than the test: a real deadlock would
/// hold both workers for 10 s, so returning promptly on cancel proves waiting workers still
/// watch the cancel flag.
#[test]
fn deadlock_stuck_workers_still_cancel() {
    let p = params(
        "deadlock",
        &[("size", "1000000".into()), ("timeout", "10000".into())],
    );
    for _ in 0..3 {
        let cancel = CancelToken::new();
        let c = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            c.cancel();
        });
        let (r, _) = pass("deadlock", "opposite", 2, p.clone(), cancel);
        assert!(matches!(r, Err(DemoError::Cancelled)));
    }
}
