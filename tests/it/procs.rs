//! The process-based demos of lessons 2, 4 and 5 against the real binary: every variant
//! agrees with sequential, and cancelling a pass mid-run returns promptly and leaves no child
//! process behind.

#![allow(clippy::unwrap_used)] // test helpers: a failure should panic with its message

use std::time::{Duration, Instant};

use parlab::demos;
use parlab::engine::{CancelToken, Demo, DemoError, Expect, Params};

use crate::common;

fn params(demo: &dyn Demo, set: &[(&str, String)]) -> Params {
    let specs = &demo.info().params;
    let mut p = Params::defaults(specs);
    for (k, v) in set {
        p.set(specs, k, v).unwrap();
    }
    p
}

/// Every variant's digest equals sequential's, for each parameter set.
fn agree(id: &str, sets: &[Vec<(&str, String)>], workers: &[usize]) {
    let demo = demos::find(id).unwrap();
    let cancel = CancelToken::new();
    for set in sets {
        let p = params(demo, set);
        let seq = common::run_pass(demo, "sequential", &p, 1, &cancel).unwrap();
        for v in &demo.info().variants[1..] {
            for &w in workers {
                let o = common::run_pass(demo, v.name, &p, w, &cancel)
                    .unwrap_or_else(|e| panic!("{id} {} {p} workers {w}: {e}", v.name));
                if v.expect == Expect::SameAsSequential {
                    assert_eq!(o.digest, seq.digest, "{id} {} {p} workers {w}", v.name);
                }
            }
        }
    }
}

fn sizes(extra: &[(&'static str, &str)]) -> Vec<Vec<(&'static str, String)>> {
    // 0, 1, a prime, fewer items than workers, and the default.
    let mut out: Vec<Vec<(&'static str, String)>> = ["0", "1", "1009", "3"]
        .iter()
        .map(|s| vec![("size", s.to_string())])
        .collect();
    out.push(Vec::new());
    for set in &mut out {
        set.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    }
    out
}

#[test]
fn process_variants_agree_with_sequential() {
    let _children = common::starts_children();
    agree("process", &sizes(&[]), &[2, 4]);
}

#[test]
fn queue_variants_agree_with_sequential() {
    let _children = common::starts_children();
    agree("queue", &sizes(&[]), &[2]);
    agree(
        "queue",
        &sizes(&[("producers", "3"), ("work", "trivial")]),
        &[1, 4],
    );
}

#[test]
fn pipe_variants_agree_with_sequential() {
    let _children = common::starts_children();
    agree("pipe", &sizes(&[("rounds", "5")]), &[2]);
    agree("pipe", &sizes(&[("msg", "8"), ("rounds", "3")])[..4], &[2]);
    agree(
        "pipe",
        &[vec![("msg", "1048576".into()), ("size", "3145741".into())]],
        &[2],
    );
    // Over 1024 x 256 tiny messages: once, the child's span frames filled its stdout while the
    // parent was still writing (a deadlock).
    agree(
        "pipe",
        &[vec![
            ("msg", "8".into()),
            ("size", "4M".into()),
            ("rounds", "3".into()),
        ]],
        &[2],
    );
}

#[test]
fn no_join_counts_what_finished_and_reaps_the_rest() {
    let _alone = common::counts_children();
    let demo = demos::find("process").unwrap();
    let p = params(demo, &[]);
    let o = common::run_pass(demo, "no-join", &p, 2, &CancelToken::new()).unwrap();
    let finished = o
        .metrics
        .iter()
        .find(|m| m.name == "workers finished when main returned")
        .unwrap();
    assert!(finished.value <= 2.0);
    assert!(o.note.unwrap().contains("main returned"));
    assert!(common::children(demos::process::KIND).is_empty());
}

#[test]
fn join_first_detects_the_deadlock_only_when_the_pipe_fills() {
    let _children = common::starts_children();
    let demo = demos::find("queue").unwrap();
    let cancel = CancelToken::new();
    let small = params(demo, &[("size", "100".into())]);
    let o = common::run_pass(demo, "join-first", &small, 2, &cancel).unwrap();
    assert!(o.note.unwrap().starts_with("join returned"));
    let big = params(
        demo,
        &[("size", "100000".into()), ("work", "trivial".into())],
    );
    let o = common::run_pass(demo, "join-first", &big, 2, &cancel).unwrap();
    assert!(o.note.unwrap().starts_with("join did not return"));
}

/// Starts `variant`, cancels it once its children run, and checks it stops promptly and
/// leaves none behind.
fn cancel_mid_run(id: &str, variant: &str, kind: &str, set: &[(&str, String)]) {
    let demo = demos::find(id).unwrap();
    let p = params(demo, set);
    let cancel = CancelToken::new();
    std::thread::scope(|s| {
        let h = s.spawn(|| common::run_pass(demo, variant, &p, 2, &cancel));
        let t0 = Instant::now();
        while common::children(kind).is_empty() && t0.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            !common::children(kind).is_empty(),
            "{id} {variant}: no child started"
        );
        std::thread::sleep(Duration::from_millis(100));
        let c0 = Instant::now();
        cancel.cancel();
        let r = h.join().unwrap();
        let took = c0.elapsed();
        assert!(
            matches!(r, Err(DemoError::Cancelled)),
            "{id} {variant}: {:?}",
            r.map(|o| o.digest)
        );
        // Only "did not hang": the latency is measured by `cargo bench --bench cancel`.
        assert!(took < common::STOP_BOUND, "{id} {variant}: took {took:?}");
        eprintln!("{id} {variant}: stopped {took:?} after cancel");
    });
    assert_eq!(
        common::children(kind),
        Vec::<u32>::new(),
        "{id} {variant}: children left"
    );
}

#[test]
fn cancelling_leaves_no_child_process() {
    let _alone = common::counts_children();
    let big = |s: &str| vec![("size", s.to_string())];
    cancel_mid_run(
        "process",
        "processes",
        demos::process::KIND,
        &big("5000000"),
    );
    cancel_mid_run("process", "no-join", demos::process::KIND, &big("5000000"));
    cancel_mid_run("queue", "pipe", demos::queue::KIND, &big("5000000"));
    cancel_mid_run("queue", "join-first", demos::queue::KIND, &big("5000000"));
    cancel_mid_run(
        "pipe",
        "process",
        demos::pipe::KIND,
        &[("size", (4u64 << 30).to_string())],
    );
}
