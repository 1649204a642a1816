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
    assert!(!dir.path().join("run.trace.json.parlab-partial").exists());
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
