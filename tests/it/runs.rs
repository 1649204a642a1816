//! Runs that last, honest headlines and the Sweep view: kept runs written and read back
//! through the run store (a tempdir, as a new session would find them), the Runs screen and
//! its comparison, the Sweep view at 80×24 and 120×40, and the CLI's headline for a variant
//! whose answer differs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use assert_cmd::Command;
use crossterm::event::KeyCode;
use parlab::app::run::{RunState, RunView};
use parlab::app::sweep::SweepView;
use parlab::app::{App, Effect, Msg, Screen};
use parlab::engine::{Params, RunReport, Value};
use parlab::lesson::LessonSet;
use parlab::progress::Progress;
use parlab::report::sweep::{SweepPoint, SweepSeries};
use parlab::runstore::{self, StoredRun, StoredVariant};
use parlab::ui::theme::ThemeKind;

use crate::screen::{draw, key, machine};

fn app() -> App {
    App::new(
        LessonSet::default(),
        Progress::default(),
        machine(),
        ThemeKind::Dark,
    )
}

fn stored(lesson: &str, t: u64, size: u64, workers: usize, pool_ms: f64, ok: bool) -> StoredRun {
    let mut params = Params::default();
    params.0.insert("size".into(), Value::Int(size));
    params.0.insert("work".into(), Value::Text("heavy".into()));
    let v = |name: &str, ms: f64, correct: bool, headline: &str| StoredVariant {
        name: name.into(),
        median_ms: ms,
        speedup: Some(20.0 / ms),
        correct,
        headline: headline.into(),
    };
    StoredRun {
        id: format!("run-{t}"),
        lesson: lesson.into(),
        title: lesson.into(),
        demo: "squaring".into(),
        params,
        workers,
        time_unix: t,
        machine: "4 cores, Test CPU, TestOS, parlab 0.0.0".into(),
        variants: vec![
            v(
                "sequential",
                20.0,
                true,
                "sequential: 20.00 ms per pass, the reference, correct",
            ),
            v(
                "pool",
                pool_ms,
                ok,
                if ok {
                    "pool: 1.90x faster than sequential (2 workers, 95% efficiency), correct"
                } else {
                    "pool: INCORRECT: its answer differs from sequential (10.00 ms per pass, 2 workers)"
                },
            ),
        ],
        ..StoredRun::default()
    }
}

#[test]
fn a_run_kept_in_one_session_opens_and_compares_in_the_next() {
    let dir = tempfile::tempdir().unwrap();
    // Session one: a finished run is kept as the event loop keeps it.
    let rec = crate::screen::squaring();
    let mut run = RunView::new("Why parallel?", "squaring", Params::default(), 4, machine());
    run.lesson = "why-parallel".into();
    let mut p = parlab::app::replay::Player::new(&rec);
    p.jump_to_end();
    for e in p.due().0 {
        run.apply(e);
    }
    let mut entry = StoredRun::of(&run).expect("a finished run has an entry");
    entry.time_unix = 1_796_000_000;
    runstore::save(dir.path(), entry.clone(), &run.rec).unwrap();
    entry.time_unix += 86_400;
    entry.workers = 2;
    runstore::save(dir.path(), entry, &run.rec).unwrap();

    // Session two: a fresh app lists them, opens one as a replay, compares the two.
    let mut a = app();
    a.screen = Screen::Home;
    assert!(matches!(key(&mut a, KeyCode::Char('R')), Effect::LoadRuns));
    let (runs, warning) = runstore::load(dir.path());
    assert_eq!((runs.len(), warning), (2, None));
    a.update(Msg::RunsLoaded {
        runs,
        warning: None,
    });
    assert_eq!(a.screen, Screen::Runs);
    assert_eq!(a.history.runs[0].workers, 2, "newest first");
    key(&mut a, KeyCode::Char('c'));
    let screen = draw(&mut a, 120, 40);
    assert!(screen.contains("what differs: workers 4 → 2"), "{screen}");
    assert!(screen.contains("A / B"), "{screen}");
    key(&mut a, KeyCode::Esc);
    let Effect::OpenRun { run } = key(&mut a, KeyCode::Enter) else {
        panic!("Enter opens the selected run");
    };
    let rec = runstore::open(dir.path(), &run).map(Box::new);
    a.update(Msg::RunOpened {
        run: Box::new(run),
        rec,
    });
    assert_eq!(a.screen, Screen::Dashboard);
    assert!(a.shown_run().unwrap().player.is_some());
    key(&mut a, KeyCode::Esc);
    assert_eq!(
        a.screen,
        Screen::Runs,
        "Esc goes back to the runs, not out of parlab"
    );
}

#[test]
fn runs_screen_and_comparison() {
    let mut a = app();
    a.update(Msg::RunsLoaded {
        runs: vec![
            stored("why-parallel", 1_796_000_000, 200_000, 2, 10.5, true),
            stored("pool", 1_796_000_600, 1_000, 2, 12.0, true),
            stored("why-parallel", 1_796_086_400, 400_000, 4, 10.0, false),
        ],
        warning: None,
    });
    a.status = None;
    insta::assert_snapshot!("runs_list_120x40", draw(&mut a, 120, 40));
    key(&mut a, KeyCode::Char('c'));
    insta::assert_snapshot!("runs_compare_80x24", draw(&mut a, 80, 24));
    // Marking a run of another lesson: the screen says they do not compare.
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char(' '));
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Char('c'));
    let s = draw(&mut a, 120, 40);
    assert!(
        s.contains("runs of different lessons do not compare"),
        "{s}"
    );
}

fn sweep_view(done: bool) -> SweepView {
    let counts = vec![1, 2, 4, 8];
    let ran = if done { 4 } else { 2 };
    let speedups = [1.0, 1.9, 3.4, 3.6];
    let mut series = SweepSeries {
        variant: "pool".into(),
        points: counts[..ran]
            .iter()
            .zip(speedups)
            .map(|(&w, s)| SweepPoint {
                workers: w,
                median_ms: 20.0 / s,
                speedup: s,
                efficiency: s / w as f64,
                karp_flatt: None,
                amdahl: None,
                correct: true,
                measurement_problem: false,
            })
            .collect(),
        serial_fraction: None,
        metrics: vec![],
    };
    series.fit();
    SweepView {
        title: "Why parallel?".into(),
        demo: "squaring".into(),
        params: Params::default(),
        counts: counts.clone(),
        cores: 4,
        reports: counts[..ran]
            .iter()
            .map(|&w| RunReport {
                demo: "squaring".into(),
                params: Params::default(),
                workers: w,
                cores: 4,
                variants: vec![],
                cancelled: false,
            })
            .collect(),
        at_workers: (!done).then_some(4),
        variant: (!done).then(|| "pool".into()),
        progress: (500, 1000),
        state: if done {
            RunState::Done
        } else {
            RunState::Running
        },
        series: vec![series],
        from: Screen::Reader,
    }
}

#[test]
fn sweep_view_while_running_and_finished() {
    let mut a = app();
    a.sweep = Some(sweep_view(false));
    a.screen = Screen::Sweep;
    insta::assert_snapshot!("sweep_running_80x24", draw(&mut a, 80, 24));
    a.sweep = Some(sweep_view(true));
    insta::assert_snapshot!("sweep_done_120x40", draw(&mut a, 120, 40));
    insta::assert_snapshot!("sweep_done_80x24", draw(&mut a, 80, 24));
    // Esc on a finished sweep goes back where it came from.
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen, Screen::Reader);
}

#[test]
fn a_differing_answer_is_never_headlined_faster_in_the_cli() {
    let out = Command::cargo_bin("parlab")
        .unwrap()
        .args([
            "run",
            "process",
            "--variant",
            "no-join",
            "--workers",
            "2",
            "--repeat",
            "1",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("no-join:"))
        .unwrap_or_else(|| panic!("no no-join verdict in {text}"));
    if line.contains("INCORRECT") {
        assert!(
            line.contains("INCORRECT, as this lesson expects: counted "),
            "{line}"
        );
        assert!(!line.contains("faster"), "{line}");
        let row = text
            .lines()
            .find(|l| l.starts_with("no-join ") && l.contains('✗'))
            .unwrap_or_else(|| panic!("no no-join row in {text}"));
        assert!(
            row.contains("✗ (as expected)") && !row.contains('✓'),
            "{row}"
        );
        // A wrong answer's time is no speedup: neither speedup nor efficiency is quoted.
        assert!(!row.contains('%') && !row.contains("x ("), "{row}");
    }
}
