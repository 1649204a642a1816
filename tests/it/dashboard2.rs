//! Issue 9 leftovers on ratatui's TestBackend: worker rows named by their role, the zoomed
//! time axis with a cursor, the Memory panel's per-child legend, and replays that play the
//! recorded series and log lines; plus the trace round trip of labels and per-child memory.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use crossterm::event::KeyCode;
use parlab::app::{App, LowerTab};
use parlab::event::Event;
use parlab::recording::{LogLine, Recording, SeriesPoint};
use parlab::sampler::memory::ChildMem;
use parlab::ui::theme::ThemeKind;

use crate::screen::{draw, key};

/// The fixture with roles on the parallel passes' workers (one label longer than any row
/// label has room for), two children's memory in every sample, a queue series and log lines.
fn rich() -> Recording {
    let mut rec = crate::screen::squaring();
    let passes: Vec<(u32, u32)> = rec
        .store
        .passes()
        .iter()
        .map(|p| (p.info.pass, p.info.workers))
        .collect();
    for (pass, workers) in passes {
        for w in 0..workers {
            let label = match w {
                0 => "producer",
                1 => "a-consumer-with-a-very-long-name",
                _ => "consumer",
            };
            if workers > 1 {
                rec.store.apply(&Event::WorkerLabel {
                    pass,
                    worker: w,
                    label: label.into(),
                });
            }
        }
    }
    let n = rec.samples.len() as u64;
    for (i, s) in rec.samples.iter_mut().enumerate() {
        let i = i as u64;
        s.per_child = vec![
            ChildMem {
                pid: 4242,
                name: "mem-child".into(),
                rss: (20 + 3 * i) << 20,
            },
            ChildMem {
                pid: 4243,
                name: "queue-producer".into(),
                rss: (10 + (n - i)) << 20,
            },
        ];
        s.rss_children = s.per_child.iter().map(|c| c.rss).sum();
        s.children = 2;
    }
    let last = rec.store.passes().last().unwrap().info.clone();
    for i in 0..40u64 {
        rec.series.push(SeriesPoint {
            pass: last.pass,
            name: "queue depth".into(),
            t_ns: last.t_ns + i * 10_000_000,
            value: (i % 9) as f64,
        });
    }
    for i in 0..12u64 {
        rec.logs.push(LogLine {
            pass: last.pass,
            worker: (i % 4) as u32,
            t_ns: last.t_ns + i * 30_000_000,
            text: format!("item {i} handled"),
        });
    }
    rec
}

/// A replay of `rec` played to its end.
fn at_end(rec: &Recording) -> App {
    let mut a = App::for_replay(rec, "test", rec.machine.clone(), ThemeKind::Dark);
    key(&mut a, KeyCode::Char('e'));
    a
}

#[test]
fn labelled_rows() {
    let mut a = at_end(&rich());
    let s = draw(&mut a, 120, 40);
    assert!(s.contains("w0 producer"), "{s}");
    assert!(s.contains("w1 a-consumer-wit…"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn labelled_rows_80x24() {
    let mut a = at_end(&rich());
    let s = draw(&mut a, 80, 24);
    assert!(s.contains("w0 produc"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn zoomed_axis_with_cursor() {
    let mut a = at_end(&rich());
    draw(&mut a, 120, 40);
    key(&mut a, KeyCode::Char('j'));
    for _ in 0..10 {
        key(&mut a, KeyCode::Char('+'));
    }
    for _ in 0..3 {
        key(&mut a, KeyCode::Right);
    }
    let s = draw(&mut a, 120, 40);
    assert!(s.contains("zoom x1024"), "{s}");
    // The axis line: distinct labels, and the cursor's mark on none of them.
    let axis = s.lines().find(|l| l.contains('┴')).unwrap();
    let labels: Vec<&str> = axis
        .split('┴')
        .skip(1)
        .map(|x| {
            x.split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches('▲')
        })
        .collect();
    let mut dedup = labels.clone();
    dedup.dedup();
    assert_eq!(labels, dedup, "{axis}");
    assert!(labels.len() >= 2, "{axis}");
    assert!(!axis.contains("▲s") && !axis.contains("s▲"), "{axis}");
    insta::assert_snapshot!(s);
}

#[test]
fn memory_legend_per_child() {
    let mut a = at_end(&rich());
    draw(&mut a, 120, 40);
    while a.dash.panel != Some(LowerTab::Memory) {
        key(&mut a, KeyCode::Tab);
    }
    key(&mut a, KeyCode::Char('z'));
    let s = draw(&mut a, 120, 40);
    for name in ["parlab", "mem-child 4242", "queue-producer 4243"] {
        assert!(s.contains(name), "{name} missing:\n{s}");
    }
    // The legend's peaks are the headless report's whole-run figures (one function for both).
    let rec = rich();
    let peaks =
        parlab::sampler::memory::series(&rec.samples, parlab::sampler::memory::TOP_CHILDREN);
    for m in &peaks {
        let want = format!("{} ≤{}", m.name, parlab::units::fmt_bytes(m.peak));
        assert!(s.contains(&want), "{want} missing:\n{s}");
    }
    insta::assert_snapshot!(s);
}

#[test]
fn replay_plays_series_and_log_lines() {
    let rec = rich();
    // Mid-way nothing of the last pass's series is there yet; at the end all of it.
    let mut a = App::for_replay(&rec, "test", rec.machine.clone(), ThemeKind::Dark);
    assert!(a.runs[0].rec.series.is_empty());
    key(&mut a, KeyCode::Char('e'));
    assert_eq!(a.runs[0].rec.series.len(), rec.series.len());
    assert_eq!(a.runs[0].rec.logs.len(), rec.logs.len());
    let s = draw(&mut a, 120, 40);
    assert!(s.contains("Queue depth") && s.contains("Memory"), "{s}");
    // The Log panel did not fit beside them at 120 columns: Tab brings it to the charts' place.
    while a.dash.panel != Some(LowerTab::Log) {
        key(&mut a, KeyCode::Tab);
    }
    let s = draw(&mut a, 120, 40);
    assert!(s.contains("Log · 12 lines"), "{s}");
    insta::assert_snapshot!(s);
}

/// No axis label is cut: a narrow chart drops its time label rather than show "67s" for 7.67s.
#[test]
fn narrow_charts_keep_labels_whole() {
    let mut a = at_end(&rich());
    let s = draw(&mut a, 120, 40);
    assert!(!s.contains(" 67s"), "{s}");
    // At 110 columns one chart fits beside Workers and CPU: its labels whole or left out.
    let s = draw(&mut a, 110, 40);
    assert!(!s.contains(" 67s") && !s.contains(" .67s"), "{s}");
    assert!(
        !s.contains("Queue depth ·") || s.contains("Queue depth · max"),
        "{s}"
    );
}

/// The headless report prints the Memory panel's peaks: parlab, each child, over the run.
#[test]
fn report_prints_memory_per_process() {
    let out = assert_cmd::Command::cargo_bin("parlab")
        .unwrap()
        .args(["run", "memory-ipc", "--set", "mb=8", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mem = v["memory"].as_array().unwrap();
    assert_eq!(mem[0][0], "parlab", "{mem:?}");
    // Children live a few sampling intervals on a loaded machine, maybe none are sampled:
    // those that are carry their kind and pid.
    assert!(
        mem.iter().skip(1).all(|m| {
            let n = m[0].as_str().unwrap();
            n.starts_with("memory-recv ") || n == "others" || n == "children"
        }),
        "{mem:?}"
    );
}

#[test]
fn traces_keep_labels_and_per_child_memory() {
    let rec = rich();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.json");
    parlab::report::chrome::write(&rec, &path).unwrap();
    let back = parlab::report::chrome::read(&path).unwrap();
    assert_eq!(back.store.labels().all(), rec.store.labels().all());
    assert_eq!(back.samples[3].per_child, rec.samples[3].per_child);
    // An older trace (no labels, no per-child memory) still reads.
    let old = crate::screen::squaring();
    assert!(old.store.labels().is_empty());
    assert!(old.samples.iter().all(|s| s.per_child.is_empty()));
}
