//! Lessons 6-8 (lock, chunking, memory-ipc) through the public engine: every variant agrees
//! with sequential (or differs as declared), and cancelling a process-based pass stops it
//! promptly and leaves no child process behind.

// Helpers outside #[test] functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use parlab::engine::{
    CancelToken, Correctness, Ctx, DemoError, Live, Params, Progress, RunRequest, Runner,
};
use parlab::trace::Tracer;

/// The tests of this file run one at a time, so one test's children are not mistaken for
/// another's leftovers.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn params(demo: &str, set: &[(&str, &str)]) -> Params {
    let d = parlab::demos::find(demo).unwrap();
    let mut p = Params::defaults(&d.info().params);
    for (k, v) in set {
        p.set(&d.info().params, k, v).unwrap();
    }
    p
}

/// Children of this process still running a worker kind (zombies excluded).
fn live_children(kind: &str) -> Vec<u32> {
    let me = std::process::id().to_string();
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // Fields after the ")" that ends the command name: state, ppid, ...
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.len() < 2 || f[1] != me || f[0] == "Z" {
            continue;
        }
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmd).contains(kind) {
            out.push(pid);
        }
    }
    out
}

#[test]
fn every_variant_agrees_with_sequential_through_the_runner() {
    let _one = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
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
    let _one = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
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
        let trace = Tracer::new(0, d.trace_slots(&p, 2), None);
        let progress = Progress::default();
        let live = Live::new(0, None);
        let ctx = Ctx {
            params: &p,
            workers: 2,
            cancel: &cancel,
            trace: &trace,
            progress: &progress,
            live: &live,
        };
        let (result, stopped_in) = std::thread::scope(|s| {
            let h = s.spawn(|| d.run(variant, &ctx));
            // Wait until the children are running and data flows.
            let t = Instant::now();
            while live_children(kind).len() < 2 && t.elapsed() < Duration::from_secs(20) {
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
        // 200 ms in a release build; debug builds on a busy machine get some slack.
        assert!(
            stopped_in < Duration::from_millis(500),
            "{demo} {variant} took {stopped_in:?} to stop"
        );
        eprintln!("{demo} {variant}: stopped {stopped_in:?} after the cancel");
        let left = live_children(kind);
        assert!(left.is_empty(), "{demo} {variant} left children {left:?}");
    }
}
