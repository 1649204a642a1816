//! Lessons 6-8 (lock, chunking, memory-ipc) through the public engine: every variant agrees
//! with sequential (or differs as declared), and cancelling a process-based pass stops it
//! promptly and leaves no child process behind.

// Helpers outside #[test] functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use parlab::engine::{CancelToken, Correctness, DemoError, Params, RunRequest, Runner};

use crate::common;

fn params(demo: &str, set: &[(&str, &str)]) -> Params {
    let d = parlab::demos::find(demo).unwrap();
    let mut p = Params::defaults(&d.info().params);
    for (k, v) in set {
        p.set(&d.info().params, k, v).unwrap();
    }
    p
}

#[test]
fn every_variant_agrees_with_sequential_through_the_runner() {
    let _children = common::starts_children();
    for (demo, set) in [
        ("lock", vec![("size", "200000"), ("lines", "2000")]),
        ("chunking", vec![("size", "20011")]),
        ("memory-ipc", vec![("mb", "3")]),
    ] {
        let req = RunRequest {
            demo: parlab::demos::find(demo).unwrap(),
            params: params(demo, &set),
            workers: 2,
            variants: Vec::new(),
            repeats: Some(1),
            reference: None,
        };
        let report = Runner::new(None, CancelToken::new()).run(&req);
        assert!(!report.has_failures(), "{demo}: {report:#?}");
        for v in &report.variants {
            assert!(
                matches!(
                    v.correctness,
                    Correctness::Correct | Correctness::DiffersAsExpected
                ),
                "{demo} {}: {:?}",
                v.name,
                v.correctness
            );
        }
    }
}

#[test]
fn cancelling_a_process_pass_stops_it_and_reaps_every_child() {
    let _alone = common::counts_children();
    for (demo, variant, set, kind) in [
        (
            "chunking",
            "pipe-per-item",
            vec![("size", "100000000")],
            "chunking-sum",
        ),
        (
            "chunking",
            "pipe-sweep",
            vec![("size", "100000000")],
            "chunking-sum",
        ),
        (
            "memory-ipc",
            "process-copy",
            vec![("mb", "1024")],
            "memory-recv",
        ),
    ] {
        let d = parlab::demos::find(demo).unwrap();
        let p = params(demo, &set);
        let cancel = CancelToken::new();
        let h = common::Harness::new(d, &p, 2);
        let ctx = h.ctx(&cancel);
        let (result, stopped_in) = std::thread::scope(|s| {
            let h = s.spawn(|| d.run(variant, &p, &ctx));
            // Wait until the children are running and data flows.
            let t = Instant::now();
            while common::children(kind).len() < 2 && t.elapsed() < Duration::from_secs(20) {
                std::thread::sleep(Duration::from_millis(10));
            }
            std::thread::sleep(Duration::from_millis(200));
            assert!(
                !h.is_finished(),
                "{demo} {variant} finished before the cancel"
            );
            cancel.cancel();
            let c = Instant::now();
            let r = h.join().unwrap();
            (r, c.elapsed())
        });
        assert!(
            matches!(result, Err(DemoError::Cancelled)),
            "{demo} {variant}: {result:?}"
        );
        // Only "did not hang": the latency is measured by `cargo bench --bench cancel`.
        assert!(
            stopped_in < common::STOP_BOUND,
            "{demo} {variant} took {stopped_in:?} to stop"
        );
        eprintln!("{demo} {variant}: stopped {stopped_in:?} after the cancel");
        let left = common::children(kind);
        assert!(left.is_empty(), "{demo} {variant} left children {left:?}");
    }
}
