//! The headless CLI: bad input is one clear line and exit code 2; good input prints the same
//! numbers as JSON, CSV and tables.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn parlab() -> Command {
    Command::cargo_bin("parlab").unwrap()
}

fn fails_with(args: &[&str], needles: &[&str]) {
    let out = parlab().args(args).assert().code(2).get_output().clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim().lines().count(),
        1,
        "one line for {args:?}: {err}"
    );
    for n in needles {
        assert!(err.contains(n), "{args:?}: {err:?} lacks {n:?}");
    }
}

#[test]
fn unknown_demo_lists_the_valid_ids() {
    fails_with(
        &["run", "nope"],
        &["unknown demo `nope`", "squaring", "pool"],
    );
}

#[test]
fn zero_workers_names_the_flag_and_range() {
    fails_with(
        &["run", "squaring", "--workers", "0"],
        &["--workers 0", "allowed: 1..=1024"],
    );
    fails_with(
        &["sweep", "squaring", "--workers", "0..2"],
        &["--workers 0", "allowed: 1..=1024"],
    );
}

#[test]
fn size_out_of_range_names_the_flag_and_range() {
    fails_with(
        &["run", "pool", "--size", "2000000000"],
        &["--size 2000000000", "allowed: 0..=1000000000"],
    );
    fails_with(
        &["run", "pool", "--size", "lots"],
        &["--size lots", "allowed"],
    );
}

#[test]
fn unknown_variant_and_parameter_are_named() {
    fails_with(
        &["run", "squaring", "--variant", "gpu"],
        &["--variant gpu", "sequential, rayon, pool"],
    );
    fails_with(
        &["run", "squaring", "--set", "speed=3"],
        &["--set speed", "no parameter `speed`"],
    );
    fails_with(
        &["run", "squaring", "--work", "medium"],
        &["--work medium", "trivial|heavy"],
    );
    fails_with(
        &["run", "squaring", "--repeat", "0"],
        &["--repeat 0", "1..=1000"],
    );
}

#[test]
fn a_size_that_would_exhaust_memory_is_refused_with_the_estimate() {
    fails_with(
        &["run", "squaring", "--size", "4000000000"],
        &[
            "--size 4000000000",
            "would need about 59.6 GiB",
            "safe budget",
        ],
    );
}

#[test]
fn an_unwritable_trace_path_fails_before_running_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-dir").join("t.json");
    fails_with(
        &[
            "run",
            "squaring",
            "--size",
            "10",
            "--trace",
            path.to_str().unwrap(),
        ],
        &["--trace", "cannot write there"],
    );
    assert!(!path.exists());
}

#[test]
fn json_has_the_documented_fields() {
    let out = parlab()
        .args([
            "run", "squaring", "--size", "5000", "--repeat", "2", "--format", "json",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in ["demo", "params", "cores", "variants"] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let vars = v["variants"].as_array().unwrap();
    assert_eq!(vars.len(), 3);
    for var in vars {
        for k in ["name", "workers", "speedup", "efficiency", "correct"] {
            assert!(var.get(k).is_some(), "variant lacks {k}");
        }
        for k in ["median", "min", "max"] {
            assert!(var["wall_ms"][k].is_number(), "wall_ms.{k}");
        }
        assert_eq!(var["correct"], true);
        let pw = var["per_worker"].as_array().unwrap();
        assert!(!pw.is_empty());
        for k in ["id", "busy_ms", "tasks"] {
            assert!(pw[0].get(k).is_some(), "per_worker lacks {k}");
        }
        assert!(var["cpu"]["per_core_avg"].is_array() && var["cpu"]["per_core_peak"].is_array());
    }
}

#[test]
fn table_leads_with_plain_verdicts_and_csv_has_a_header() {
    parlab()
        .args([
            "run",
            "pool",
            "--size",
            "3000",
            "--workers",
            "2",
            "--repeat",
            "1",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("sequential:")
                .and(predicate::str::contains("map: "))
                .and(predicate::str::contains("(2 workers, ")),
        );
    parlab()
        .args([
            "run", "pool", "--size", "3000", "--repeat", "1", "--format", "csv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "demo,variant,workers,repeats,median_ms",
        ));
}

#[test]
fn a_trace_file_is_chrome_json_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.trace.json");
    parlab()
        .args([
            "run",
            "pool",
            "--size",
            "20000",
            "--repeat",
            "2",
            "--trace",
            path.to_str().unwrap(),
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(
        v["traceEvents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["ph"] == "X" && e["name"] == "compute")
    );
    assert!(v["otherData"]["cpu_model"].is_string());
    let rec = parlab::report::chrome::from_str(&text).unwrap();
    assert!(!rec.store.is_empty());
    assert_eq!(rec.reports.len(), 1);
    assert!(rec.machine.cores >= 1);
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".parlab-partial"))
            .count(),
        0
    );
}

#[test]
fn sweep_prints_speedup_fit_and_karp_flatt() {
    parlab()
        .args([
            "sweep",
            "pool",
            "--size",
            "20000",
            "--workers",
            "1,2",
            "--repeat",
            "1",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Amdahl fit").and(predicate::str::contains("Karp-Flatt")));
}

#[test]
fn list_and_bare_parlab_without_a_terminal() {
    parlab()
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("squaring"));
    let out = parlab()
        .args(["list", "--json"])
        .assert()
        .success()
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["demos"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["id"] == "squaring")
    );
    parlab()
        .assert()
        .success()
        .stdout(predicate::str::contains("squaring").and(predicate::str::contains("parlab run")));
}

/// A small, valid trace in the format `parlab run --trace` writes: one pass, one span.
fn trace_doc() -> serde_json::Value {
    serde_json::json!({
        "traceEvents": [
            {"ph": "M", "name": "thread_name", "pid": 1, "tid": 0, "args": {"name": "worker 0"}},
            {"ph": "X", "cat": "span", "name": "compute", "pid": 1, "tid": 0, "ts": 100.0, "dur": 50.0,
             "args": {"pass": 0, "worker": 0, "pid": null, "core": 0, "items": 10, "bytes": 0, "merged": 1}},
            {"ph": "C", "name": "cpu load %", "pid": 1, "ts": 200.0, "args": {"core 0": 50.0}}
        ],
        "displayTimeUnit": "ms",
        "parlab": {
            "format": 1,
            "machine": {"cores": 2, "physical_cores": 2, "cpu_model": "cpu", "os": "os", "host": "h",
                        "memory_bytes": 1_000_000_000u64, "parlab_version": "0.1.0"},
            "passes": [{"pass": 0, "variant": "sequential", "repeat": 0, "warmup": false, "workers": 1,
                        "t_ns": 90_000, "end_ns": 200_000, "cpu_ns": [[0, 50_000]]}],
            "samples": [], "series": [], "logs": [], "reports": []
        }
    })
}

/// Runs `parlab replay` on `text` (without a terminal) and returns its one stderr line; it
/// must fail with exit code 2 and finish (the bound only catches a hang or a huge allocation).
fn replay_refuses(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.trace.json");
    std::fs::write(&path, text).unwrap();
    let out = parlab()
        .args(["replay", path.to_str().unwrap()])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains("bad.trace.json"), "names the file: {err}");
    err
}

fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut d = trace_doc();
    edit(&mut d);
    d.to_string()
}

#[test]
fn the_crafted_base_trace_is_valid() {
    let rec = parlab::report::chrome::from_str(&trace_doc().to_string()).unwrap();
    assert_eq!(rec.store.len(), 1);
    // Without a terminal, a valid trace gets as far as asking for one.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ok.json");
    std::fs::write(&path, trace_doc().to_string()).unwrap();
    parlab()
        .args(["replay", path.to_str().unwrap()])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs a terminal"));
}

#[test]
fn replay_of_a_huge_worker_id_is_one_line() {
    let e = replay_refuses(&edited(|d| {
        d["traceEvents"][1]["args"]["worker"] = 4_000_000_000u64.into();
    }));
    assert!(e.contains("worker 4000000000 is out of range"), "{e}");
    assert!(e.contains("line 1 column"), "{e}");
    let e = replay_refuses(&edited(|d| {
        d["parlab"]["passes"][0]["cpu_ns"][0][0] = 4_000_000_000u64.into();
    }));
    assert!(
        e.contains("parlab.passes[0].cpu_ns: worker 4000000000"),
        "{e}"
    );
}

#[test]
fn replay_of_timestamps_near_the_end_of_time_is_one_line() {
    let e = replay_refuses(&edited(|d| {
        d["traceEvents"][1]["ts"] = 18_446_744_073_709_551.0.into();
    }));
    assert!(e.contains("`ts`") && e.contains("out of range"), "{e}");
    let e = replay_refuses(&edited(|d| {
        d["parlab"]["passes"][0]["end_ns"] = (u64::MAX - 1).into();
    }));
    assert!(e.contains("parlab.passes[0].end_ns"), "{e}");
    // Each time plausible, but years apart.
    let e = replay_refuses(&edited(|d| {
        d["parlab"]["passes"][0]["end_ns"] = (1u64 << 61).into();
    }));
    assert!(e.contains("more than a week apart"), "{e}");
    let e = replay_refuses(&edited(|d| {
        d["parlab"]["passes"][0]["end_ns"] = 10u64.into();
    }));
    assert!(e.contains("before its t_ns"), "{e}");
}

#[test]
fn replay_of_a_hundred_million_cores_is_one_line() {
    let e = replay_refuses(&edited(|d| {
        d["parlab"]["machine"]["cores"] = 100_000_000u64.into();
    }));
    assert!(
        e.contains("parlab.machine.cores 100000000 is out of range"),
        "{e}"
    );
}

#[test]
fn replay_of_wrong_json_types_is_one_line_with_the_position() {
    let e = replay_refuses(&edited(|d| {
        d["traceEvents"][1]["args"]["items"] = "many".into();
    }));
    assert!(
        e.contains("invalid type") && e.contains("line 1 column"),
        "{e}"
    );
    let e = replay_refuses(&edited(|d| d["parlab"]["samples"] = "none".into()));
    assert!(e.contains("invalid type"), "{e}");
    let e = replay_refuses(&edited(|d| {
        d["traceEvents"][1]["args"]
            .as_object_mut()
            .unwrap()
            .remove("worker");
    }));
    assert!(e.contains("args.worker"), "{e}");
    let e = replay_refuses(&edited(|d| {
        d.as_object_mut().unwrap().remove("parlab");
    }));
    assert!(e.contains("no `parlab` section"), "{e}");
    let e = replay_refuses("not json at all");
    assert!(e.contains("line 1 column"), "{e}");
}

#[test]
fn replay_of_a_truncated_file_is_one_line() {
    let text = serde_json::to_string_pretty(&trace_doc()).unwrap();
    let e = replay_refuses(&text[..text.len() / 2]);
    assert!(e.contains("EOF while parsing"), "{e}");
    replay_refuses("");
}

#[test]
fn replay_of_a_missing_file_says_so_without_a_terminal() {
    let out = parlab()
        .args(["replay", "/no/such/trace.json"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/trace.json"), "{err}");
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn sweep_of_a_huge_worker_range_is_refused_before_it_is_built() {
    fails_with(
        &["sweep", "squaring", "--workers", "1..99999999999"],
        &["--workers 99999999999 is out of range", "allowed: 1..=1024"],
    );
    fails_with(
        &["sweep", "squaring", "--workers", "1,2,99999999999"],
        &["--workers 99999999999 is out of range"],
    );
}

/// Whether process `pid` has a handler for SIGINT yet (Linux: the SigCgt mask in /proc).
fn catches_sigint(pid: u32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigCgt:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        .is_some_and(|m| m & (1 << (2 - 1)) != 0)
}

#[test]
fn a_second_ctrl_c_exits_at_once_with_130() {
    use std::time::{Duration, Instant};
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("parlab"))
        .args(["run", "fetch", "--set", "urls=100000", "--workers", "2"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !catches_sigint(child.id()) {
        assert!(
            Instant::now() < deadline,
            "parlab never installed its handler"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    for _ in 0..2 {
        let ok = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    }
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("parlab did not exit after two SIGINTs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130));
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `parlab list --json | true`: the reader has gone before parlab writes.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("parlab"))
        .args(["list", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{:?}: {err}", out.status);
}
