//! The application demos (images, fetch, factorials, analysis): every variant's digest
//! equals sequential for sizes 0, 1, a prime, fewer items than workers and a small default;
//! known factorials; cancellation stops every variant (no hang; the latency is measured by
//! `cargo bench --bench cancel`) with every child process reaped.

// Helpers outside #[test] fns panic on failure too: that is how a test reports it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use parlab::demos;
use parlab::engine::{CancelToken, Demo, DemoError, Outcome, Params};

use crate::common;

const WORKERS: usize = 4;

fn params(demo: &dyn Demo, set: &[(&str, String)]) -> Params {
    let info = demo.info();
    let mut p = Params::defaults(&info.params);
    for (k, v) in set {
        p.set(&info.params, k, v).unwrap();
    }
    p
}

fn run(
    demo: &dyn Demo,
    variant: &str,
    p: &Params,
    cancel: &CancelToken,
) -> Result<Outcome, DemoError> {
    let workers = if variant == "sequential" { 1 } else { WORKERS };
    common::run_pass(demo, variant, p, workers, cancel)
}

/// Every variant of `id` against sequential, for each size of parameter `size_param`.
fn all_variants_agree(id: &str, size_param: &str, sizes: &[u64], extra: &[(&str, String)]) {
    let demo = demos::find(id).unwrap();
    for &n in sizes {
        let mut set = extra.to_vec();
        set.push((size_param, n.to_string()));
        let p = params(demo, &set);
        let c = CancelToken::new();
        let seq = run(demo, "sequential", &p, &c).unwrap();
        assert_eq!(seq.items, n, "{id} {size_param}={n}");
        for v in demo.info().variants.iter().skip(1) {
            let o = run(demo, v.name, &p, &c).unwrap_or_else(|e| panic!("{id}/{}: {e}", v.name));
            assert_eq!(
                o.digest, seq.digest,
                "{id}/{} {size_param}={n} {extra:?}",
                v.name
            );
            assert!(o.note.is_some(), "{id}/{} has a note", v.name);
            assert!(!o.metrics.is_empty(), "{id}/{} has metrics", v.name);
        }
    }
}

// 0, 1, a prime, fewer than WORKERS, and a small stand-in for the default.
const SIZES: [u64; 5] = [0, 1, 13, 3, 40];

#[test]
fn images_variants_agree() {
    let small = [("width", "64".to_string()), ("height", "48".to_string())];
    all_variants_agree("images", "images", &SIZES, &small);
    // Sources smaller than the 100x100 output (stretched) and of odd shape.
    let odd = [("width", "37".to_string()), ("height", "211".to_string())];
    all_variants_agree("images", "images", &[5], &odd);
}

#[test]
fn fetch_variants_agree() {
    let _children = common::starts_children();
    let fast = [
        ("latency", "2".to_string()),
        ("jitter", "1".to_string()),
        ("kib", "4".to_string()),
    ];
    let mut by_workers = fast.to_vec();
    by_workers.push(("concurrency", "0".to_string()));
    all_variants_agree("fetch", "urls", &SIZES, &by_workers);
    let mut many = fast.to_vec();
    many.push(("concurrency", "7".to_string()));
    all_variants_agree("fetch", "urls", &[3, 30], &many);
}

#[test]
fn factorials_variants_agree() {
    all_variants_agree("factorials", "size", &[0, 1, 13, 3, 300], &[]);
    all_variants_agree("factorials", "size", &[101], &[("chunk", "7".to_string())]);
}

#[test]
fn analysis_variants_agree() {
    all_variants_agree("analysis", "records", &[0, 1, 13, 3, 20_000], &[]);
    all_variants_agree(
        "analysis",
        "records",
        &[10_007],
        &[("chunk", "333".to_string())],
    );
}

#[test]
fn factorials_known_values() {
    use parlab::demos::factorials::{compute, factorial, factorial_digits};
    assert_eq!(factorial(20).to_string(), "2432902008176640000");
    assert_eq!(factorial(0).to_string(), "1");
    let f = factorial(1000);
    assert_eq!(factorial_digits(&f, 1000), 2568);
    assert_eq!(compute(1000).digits, 2568);
    assert_eq!(compute(20).digits, 19);
    // 10000! has 35660 digits.
    assert_eq!(compute(10_000).digits, 35_660);
}

/// Starts `variant` of `id`, cancels it after `after`, and checks it stopped (did not hang).
fn cancels_promptly(id: &str, variant: &str, set: &[(&str, String)], after: Duration) {
    let demo = demos::find(id).unwrap();
    let p = params(demo, set);
    let cancel = CancelToken::new();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        let c = cancel.clone();
        let p = &p;
        s.spawn(move || {
            let r = run(demo, variant, p, &c);
            let _ = tx.send((Instant::now(), r.map(|_| ())));
        });
        std::thread::sleep(after);
        let t = Instant::now();
        cancel.cancel();
        let (done, r) = rx.recv_timeout(common::STOP_BOUND).expect("the pass ended");
        let took = done.saturating_duration_since(t);
        assert!(
            matches!(r, Err(DemoError::Cancelled)),
            "{id}/{variant} was not cancelled: {r:?}"
        );
        assert!(
            took < common::STOP_BOUND,
            "{id}/{variant} took {took:?} to stop"
        );
    });
}

#[test]
fn every_variant_stops_when_cancelled() {
    let after = Duration::from_millis(150);
    for v in ["sequential", "rayon", "pool"] {
        cancels_promptly("images", v, &[("width", "2000".to_string())], after);
        cancels_promptly("analysis", v, &[("records", "3000000".to_string())], after);
    }
    for v in ["sequential", "static", "dynamic", "largest-first"] {
        cancels_promptly("factorials", v, &[], after);
    }
    let slow = [
        ("latency", "1000".to_string()),
        ("jitter", "500".to_string()),
    ];
    for v in ["sequential", "threads"] {
        cancels_promptly("fetch", v, &slow, after);
    }
}

#[test]
fn cancelled_fetch_processes_are_reaped() {
    let _alone = common::counts_children();
    let slow = [
        ("latency", "1000".to_string()),
        ("jitter", "500".to_string()),
    ];
    cancels_promptly("fetch", "processes", &slow, Duration::from_millis(300));
    let left = common::children(demos::fetch::KIND);
    assert!(left.is_empty(), "children still present: {left:?}");
}
