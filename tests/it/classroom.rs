//! Classroom: `parlab export` charts for slides (valid SVG, a row per worker, the same numbers
//! as `parlab run`), and big traces (64 and 128 workers) that stay readable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use assert_cmd::Command;
use parlab::machine::Machine;
use parlab::recording::Recording;
use parlab::sampler::Sample;
use parlab::trace::{Phase, Span};

fn parlab() -> Command {
    Command::cargo_bin("parlab").unwrap()
}

fn export(trace: &Path, dir: &Path) -> (String, String) {
    let (svg, html) = (dir.join("out.svg"), dir.join("out.html"));
    parlab()
        .args(["export", trace.to_str().unwrap(), "--svg"])
        .arg(&svg)
        .arg("--html")
        .arg(&html)
        .assert()
        .success();
    (
        std::fs::read_to_string(svg).unwrap(),
        std::fs::read_to_string(html).unwrap(),
    )
}

/// The `data-row` labels of the `<g class=CLASS>` groups of a parsed SVG.
fn rows(svg: &str, class: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .map(|n| n.attribute("data-row").unwrap_or_default().to_string())
        .collect()
}

#[test]
fn export_of_a_run_is_valid_svg_with_a_row_per_worker_and_the_run_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("run.json");
    let out = parlab()
        .args([
            "run",
            "pool",
            "--size",
            "20000",
            "--repeat",
            "2",
            "--workers",
            "3",
        ])
        .arg("--trace")
        .arg(&trace)
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    let (svg, html) = export(&trace, dir.path());
    assert_eq!(rows(&svg, "worker-row"), ["w0", "w1", "w2"]);
    assert!(!rows(&svg, "core-row").is_empty());
    // Every line `parlab run` printed is in the page, character for character.
    for line in table.lines().filter(|l| !l.trim().is_empty()) {
        assert!(html.contains(line), "missing from the HTML: {line}");
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("src=\"http"),
        "the page must be self-contained"
    );
    // The SVG carries the timing table as text too.
    let pool = table.lines().find(|l| l.starts_with("pool ")).unwrap();
    assert!(svg.contains(pool.trim_end()), "{pool}");
}

#[test]
fn export_of_a_sweep_draws_the_speedup_curve() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("sweep.json");
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
        .arg("--trace")
        .arg(&trace)
        .assert()
        .success();
    let (svg, html) = export(&trace, dir.path());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(
        doc.descendants()
            .any(|n| n.attribute("class") == Some("speedup-curve"))
    );
    assert!(html.contains("Amdahl fit") && html.contains("Karp-Flatt"));
}

#[test]
fn export_needs_an_output_and_a_readable_trace() {
    let dir = tempfile::tempdir().unwrap();
    let out = parlab().args(["export", "nope.json"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("--svg"), "{err}");
    let missing = dir.path().join("missing.json");
    parlab()
        .arg("export")
        .arg(&missing)
        .args(["--svg", "x.svg"])
        .assert()
        .code(2);
}

/// A synthetic recording of a big machine: `n` workers on `n` cores, each alternating
/// compute and waiting, with a CPU sample every 200 ms.
pub fn big_recording(n: u32) -> Recording {
    let machine = Machine {
        cores: n as usize,
        cpu_model: format!("{n}-core test server"),
        ..Machine::default()
    };
    let mut rec = Recording::new(machine);
    let mut spans = Vec::new();
    for w in 0..n {
        let mut t = 1_000_000u64;
        for k in 0..20u64 {
            let len = 10_000_000 + (u64::from(w) * 7919 + k * 104_729) % 20_000_000;
            let phase = if k % 2 == 0 {
                Phase::Compute
            } else {
                Phase::WaitWork
            };
            spans.push(Span {
                pass: 0,
                worker: w,
                pid: None,
                core: w as u16,
                phase,
                start_ns: t,
                end_ns: t + len,
                items: 1,
                bytes: 0,
                merged: 1,
            });
            t += len;
        }
    }
    rec.store.extend(&spans);
    for i in 1..=30u64 {
        rec.samples.push(Sample {
            t_ns: i * 200_000_000,
            interval_ns: 200_000_000,
            per_core: (0..n)
                .map(|c| ((c as u64 * 13 + i * 7) % 100) as f32)
                .collect(),
            rss_self: 0,
            rss_children: 0,
            children: 0,
            wait_cpu: None,
            per_child: Vec::new(),
        });
    }
    rec
}

#[test]
fn big_traces_export_with_every_worker_and_core() {
    for n in [64u32, 128] {
        let dir = tempfile::tempdir().unwrap();
        let trace = dir.path().join("big.json");
        parlab::report::chrome::write(&big_recording(n), &trace).unwrap();
        let (svg, _) = export(&trace, dir.path());
        assert_eq!(rows(&svg, "worker-row").len(), n as usize);
        assert_eq!(rows(&svg, "core-row").len(), n as usize);
    }
}

#[test]
fn the_example_lecture_checks_and_a_broken_one_names_file_and_line() {
    let intro = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/lectures/intro.toml");
    let out = parlab()
        .args(["present", "--check", intro])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("steps OK"), "{text}");
    // The outline never shows speaker notes.
    let outline = parlab().args(["present", intro]).assert().success();
    let outline = String::from_utf8_lossy(&outline.get_output().stdout).to_string();
    assert!(
        outline.contains("Amdahl") && !outline.contains("Ask the room"),
        "{outline}"
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let src = std::fs::read_to_string(intro)
        .unwrap()
        .replace("lesson = \"pool\"", "lesson = \"no-such-lesson\"");
    std::fs::write(&bad, src).unwrap();
    let out = parlab()
        .args(["present", "--check"])
        .arg(&bad)
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let line = text.lines().next().unwrap();
    assert!(line.starts_with(&format!("{}:", bad.display())), "{line}");
    assert!(line.contains("unknown lesson `no-such-lesson`"), "{line}");
}
