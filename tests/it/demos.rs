//! Every demo, every variant: the parallel answer equals the sequential one, across sizes 0, 1,
//! a prime, fewer items than workers, and the default. Also: cancelling stops a run promptly
//! (does not hang) and reports what completed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use parlab::engine::{CancelToken, Correctness, ParamKind, Params, RunReport, RunRequest, Runner};

use crate::common;

const WORKERS: usize = 3;

fn run(demo: &'static dyn parlab::engine::Demo, params: Params) -> RunReport {
    let req = RunRequest {
        demo,
        params,
        workers: WORKERS,
        variants: vec![],
        repeats: Some(1),
        reference: None,
    };
    Runner::new(None, CancelToken::new()).run(&req)
}

fn check(report: &RunReport, what: &str) {
    assert!(!report.cancelled, "{what}: cancelled");
    for v in &report.variants {
        assert!(
            v.error.is_none(),
            "{what} {}: failed: {:?}",
            v.name,
            v.error
        );
        assert!(
            matches!(
                v.correctness,
                Correctness::Correct | Correctness::DiffersAsExpected
            ),
            "{what} {}: {:?}",
            v.name,
            v.correctness
        );
    }
    let declared = parlab::demos::find(&report.demo).map_or(0, |d| d.info().variants.len());
    assert_eq!(report.variants.len(), declared, "{what}: every variant ran");
}

/// Sizes worth trying for a demo's `size` parameter, within its range.
fn sizes(demo: &dyn parlab::engine::Demo) -> Vec<u64> {
    let Some(ParamKind::Int { min, max, default }) =
        demo.info().param("size").map(|p| p.kind.clone())
    else {
        return vec![];
    };
    let mut v: Vec<u64> = [0, 1, 2, 97, default]
        .into_iter()
        .filter(|s| (min..=max).contains(s))
        .collect();
    v.dedup();
    v
}

#[test]
fn every_variant_of_every_demo_matches_sequential() {
    let _children = common::starts_children();
    for demo in parlab::demos::all() {
        let demo: &'static dyn parlab::engine::Demo = demo.as_ref();
        let info = demo.info();
        let defaults = Params::defaults(&info.params);
        check(
            &run(demo, defaults.clone()),
            &format!("{} (defaults)", info.id),
        );
        for size in sizes(demo) {
            let mut p = defaults.clone();
            p.set(&info.params, "size", &size.to_string()).unwrap();
            check(&run(demo, p), &format!("{} size={size}", info.id));
        }
    }
}

#[test]
fn heavy_and_trivial_work_and_odd_chunks_agree() {
    for id in ["squaring", "pool"] {
        let demo = parlab::demos::find(id).unwrap();
        let specs = &demo.info().params;
        for (work, chunk, size) in [
            ("trivial", "1", "101"),
            ("heavy", "7", "1000"),
            ("trivial", "1000000", "5"),
        ] {
            let mut p = Params::defaults(specs);
            p.set(specs, "work", work).unwrap();
            p.set(specs, "chunk", chunk).unwrap();
            p.set(specs, "size", size).unwrap();
            check(
                &run(demo, p),
                &format!("{id} work={work} chunk={chunk} size={size}"),
            );
        }
    }
}

#[test]
fn a_cancelled_run_stops_promptly_and_reports_what_completed() {
    let demo = parlab::demos::find("squaring").unwrap();
    let specs = &demo.info().params;
    let mut p = Params::defaults(specs);
    p.set(specs, "work", "heavy").unwrap();
    p.set(specs, "size", "200000000").unwrap(); // minutes of work if not cancelled
    let cancel = CancelToken::new();
    let req = RunRequest {
        demo,
        params: p,
        workers: 2,
        variants: vec![],
        repeats: Some(1),
        reference: None,
    };
    let c = cancel.clone();
    let waiter = std::thread::spawn(move || Runner::new(None, c).run(&req));
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    cancel.cancel();
    let report = waiter.join().unwrap();
    let took = t.elapsed();
    eprintln!("cancel took {took:?}");
    // Only "did not hang": the latency is measured by `cargo bench --bench cancel`.
    assert!(took < common::STOP_BOUND, "cancel took {took:?}");
    assert!(report.cancelled);
    assert_eq!(report.variants.len(), 1, "stopped in the first variant");
    assert!(report.variants[0].cancelled);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Any size, chunk and worker count: the pool and rayon answers equal the loop's.
    #[test]
    fn random_sizes_chunks_and_workers_agree(size in 0u64..5000, chunk in 0u64..600, workers in 1usize..6, heavy in proptest::bool::ANY) {
        for id in ["squaring", "pool"] {
            let demo = parlab::demos::find(id).unwrap();
            let specs = &demo.info().params;
            let mut p = Params::defaults(specs);
            p.set(specs, "size", &size.to_string()).unwrap();
            p.set(specs, "chunk", &chunk.to_string()).unwrap();
            p.set(specs, "work", if heavy { "heavy" } else { "trivial" }).unwrap();
            let req = RunRequest { demo, params: p, workers, variants: vec![], repeats: Some(1), reference: None };
            let report = Runner::new(None, CancelToken::new()).run(&req);
            check(&report, &format!("{id} size={size} chunk={chunk} workers={workers}"));
        }
    }
}
