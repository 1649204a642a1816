//! The exercise screens in the TUI, driven by messages and drawn on ratatui's TestBackend: the
//! list beside the lessons, one exercise with a (fake) verdict, hints one by one, the
//! confirm before overwriting, the solution only after a pass. Nothing here runs a program:
//! the event loop's answers are sent as the messages it would send.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::path::PathBuf;

use crossterm::event::KeyCode;
use parlab::app::exercises::{ExerciseMsg, ExerciseOp};
use parlab::app::{App, Effect, Msg, Screen};
use parlab::exercise::observed::Observed;
use parlab::exercise::verdict::{Speed, Thresholds, Verdict};
use parlab::exercise::workspace::Started;
use parlab::exercise::{CheckSpec, Exercise, ExerciseSet, Input, Language, Pass, Sources};
use parlab::lesson::{Lesson, LessonSet};
use parlab::progress::{ExerciseStatus, Progress};
use parlab::ui::theme::ThemeKind;

use crate::screen::{self, draw, machine};

fn exercise(id: &str, lesson: &str, language: Language, title: &str) -> Exercise {
    Exercise {
        id: id.into(),
        folder: format!("01-{id}"),
        lesson: lesson.into(),
        title: title.into(),
        language,
        task: "Square every number of the input with a pool of workers and print the sum. \
The starter maps one number per task; the overhead of handing out each item swamps the work.\n\n\
Choose a chunk size so that every worker gets a few big pieces."
            .into(),
        hints: vec![
            "Pool.map takes a chunksize argument.".into(),
            "About four chunks per worker balances the load and keeps the overhead small.".into(),
        ],
        input: Input {
            seed: 1,
            size: 1000,
            test_size: 10,
        },
        check: CheckSpec {
            pass: Pass::Reference,
            time_limit_s: 20,
            max_rss_mib: 1024,
        },
        sources: Sources {
            starter: "# TODO(parlab)\n".into(),
            solution: "from multiprocessing import Pool\n\nwith Pool() as p:\n    print(sum(p.map(abs, range(10), chunksize=4)))\n".into(),
            sequential: "print(45)\n".into(),
            input: None,
        },
        source: "test".into(),
    }
}

fn set() -> ExerciseSet {
    ExerciseSet {
        exercises: vec![
            exercise(
                "pool-chunksize",
                "pool",
                Language::Python,
                "Pick a chunk size",
            ),
            exercise(
                "race-counter",
                "lock",
                Language::Python,
                "Fix the lost updates",
            ),
            exercise(
                "rust-threads-sum",
                "pool",
                Language::Rust,
                "Sum with scoped threads",
            ),
        ],
        problems: Vec::new(),
    }
}

fn lessons() -> LessonSet {
    let l = |n, id: &str, title: &str| Lesson {
        number: n,
        id: id.into(),
        title: title.into(),
        summary: "s".into(),
        demo: "pool".into(),
        source: "test".into(),
        ..Lesson::default()
    };
    LessonSet {
        lessons: vec![l(3, "pool", "Pool"), l(6, "lock", "Lock")],
        broken: Vec::new(),
    }
}

fn app() -> App {
    let mut p = Progress::default();
    p.exercise_mut("race-counter").passed = true;
    p.exercise_mut("race-counter").best_level = Some(2);
    p.exercise_mut("rust-threads-sum");
    let mut a = App::new(lessons(), p, machine(), ThemeKind::Dark);
    a.exercises = set();
    a
}

fn key(app: &mut App, c: char) -> Effect {
    screen::key(app, KeyCode::Char(c))
}

fn code(app: &mut App, c: KeyCode) -> Effect {
    screen::key(app, c)
}

fn verdict(passed: bool) -> Verdict {
    Verdict {
        id: "pool-chunksize".into(),
        file: "/ws/exercise.py".into(),
        passed,
        pass_rule: Pass::Reference,
        correct: Some(true),
        failure: None,
        first_difference: None,
        speed: Some(Speed {
            runs: 3,
            speedup: 1.62,
            vs_reference: 1.21,
            reference_speedup: 1.96,
        }),
        level: Some(2),
        level_name: Some("within 1.5x of the reference".into()),
        thresholds: Thresholds::default(),
        observed: Some(Observed {
            busy_workers: 1.3,
            workers: 2,
            processes: 3,
            wait_cpu_share: None,
            idle_tail: Some(("worker 1".into(), 0.4)),
        }),
        note: None,
    }
}

/// The check's verdict arrives: passed or not.
fn checked(a: &mut App, passed: bool) {
    a.update(Msg::Exercise(ExerciseMsg::Checked(Ok(Box::new(verdict(
        passed,
    ))))));
}

/// The clock moves to `now_ns`.
fn tick(a: &mut App, now_ns: u64) -> Effect {
    a.update(Msg::Tick { now_ns, dt_ns: 1 })
}

/// The check's observed run of the first exercise arrives.
fn ran(a: &mut App) {
    a.update(Msg::Exercise(ExerciseMsg::Ran {
        id: "pool-chunksize".into(),
        run: observed_run(),
    }));
}

/// The first exercise open, its workspace at a fixed path.
fn opened() -> App {
    let mut a = app();
    key(&mut a, 'e');
    code(&mut a, KeyCode::Enter);
    a.ex.dir = Some(PathBuf::from("/data/parlab/exercises/pool-chunksize"));
    a
}

#[test]
fn list_120x40() {
    let mut a = app();
    key(&mut a, 'e');
    assert_eq!(a.screen, Screen::Exercises);
    insta::assert_snapshot!(draw(&mut a, 120, 40));
}

#[test]
fn list_80x24() {
    let mut a = app();
    key(&mut a, 'e');
    key(&mut a, 'j');
    insta::assert_snapshot!(draw(&mut a, 80, 24));
}

#[test]
fn verdict_120x40() {
    let mut a = opened();
    key(&mut a, 'h');
    checked(&mut a, true);
    a.status = None;
    insta::assert_snapshot!(draw(&mut a, 120, 40));
}

#[test]
fn verdict_80x24() {
    let mut a = opened();
    checked(&mut a, false);
    a.status = None;
    insta::assert_snapshot!(draw(&mut a, 80, 24));
}

#[test]
fn hints_one_by_one_kept_in_progress() {
    let mut a = opened();
    assert_eq!(a.ex.hints, 0);
    key(&mut a, 'h');
    key(&mut a, 'h');
    key(&mut a, 'h');
    assert_eq!(a.ex.hints, 2);
    assert_eq!(
        a.progress.exercise("pool-chunksize").unwrap().hints_shown,
        2
    );
    // Back and in again: the hints taken stay shown.
    code(&mut a, KeyCode::Esc);
    code(&mut a, KeyCode::Enter);
    assert_eq!(a.ex.hints, 2);
}

#[test]
fn start_asks_before_overwriting_an_edited_file() {
    let mut a = opened();
    let dir = a.ex.dir.clone().unwrap();
    let Effect::Exercise(ExerciseOp::Start { force: false, .. }) = key(&mut a, 's') else {
        panic!("s must ask the loop to write the starter without force");
    };
    let f = dir.join("exercise.py");
    a.update(Msg::Exercise(ExerciseMsg::Started(Ok(Started::Kept(
        f.clone(),
        false,
    )))));
    assert!(a.ex.confirm.is_some(), "an edited file needs a yes first");
    let screen = draw(&mut a, 80, 24);
    assert!(screen.contains("Overwrite"), "{screen}");
    // No keeps the file.
    assert!(matches!(key(&mut a, 'n'), Effect::None));
    assert!(a.ex.confirm.is_none());
    // Reset asks too; yes overwrites.
    assert!(matches!(key(&mut a, 'r'), Effect::None));
    assert!(a.ex.confirm.is_some());
    let Effect::Exercise(ExerciseOp::Start { force: true, .. }) = key(&mut a, 'y') else {
        panic!("yes must overwrite");
    };
    a.update(Msg::Exercise(ExerciseMsg::Started(Ok(Started::Written(f)))));
    assert_eq!(
        a.progress.exercise_status("pool-chunksize"),
        ExerciseStatus::Started
    );
}

#[test]
fn check_then_solution_only_after_a_pass_then_next() {
    let mut a = opened();
    assert!(matches!(key(&mut a, 'v'), Effect::None));
    assert!(!a.ex.solution, "no solution before a pass");
    let Effect::Exercise(ExerciseOp::Check { id, .. }) = key(&mut a, 'c') else {
        panic!("c must check");
    };
    assert_eq!(id, "pool-chunksize");
    assert!(a.ex.checking.is_some());
    let screen = draw(&mut a, 80, 24);
    assert!(screen.contains("checking"), "{screen}");
    // Esc while checking cancels (and stays).
    assert!(matches!(
        code(&mut a, KeyCode::Esc),
        Effect::Exercise(ExerciseOp::Cancel)
    ));
    assert_eq!(a.screen, Screen::Exercise);
    checked(&mut a, true);
    assert!(a.ex.checking.is_none());
    let p = a.progress.exercise("pool-chunksize").unwrap();
    assert!(p.passed && p.checks == 1 && p.best_level == Some(2));
    key(&mut a, 'v');
    assert!(a.ex.solution);
    let screen = draw(&mut a, 80, 24);
    assert!(screen.contains("chunksize=4"), "{screen}");
    key(&mut a, 'n');
    assert_eq!(a.open_exercise().unwrap().id, "race-counter");
    assert!(a.ex.verdict.is_none() && !a.ex.solution);
}

/// A watched run as a check's observer records it: the main process and two workers.
fn observed_run() -> Box<parlab::recording::Recording> {
    use parlab::event::{Event, PassInfo};
    use parlab::trace::Phase;
    use parlab::trace::Span;
    let mut rec = parlab::recording::Recording::new(machine());
    rec.apply(Event::RunStarted {
        demo: "watch".into(),
        params: Default::default(),
        workers: 1,
        variants: vec!["python3 exercise.py".into()],
    });
    rec.apply(Event::PassStarted(PassInfo {
        pass: 0,
        variant: "python3 exercise.py".into(),
        repeat: 0,
        warmup: false,
        workers: 1,
        t_ns: 1_000_000,
    }));
    let span = |worker: u32, phase: Phase, start_ms: u64, end_ms: u64| Span {
        pass: 0,
        worker,
        pid: Some(100 + worker),
        core: worker as u16,
        phase,
        start_ns: start_ms * 1_000_000,
        end_ns: end_ms * 1_000_000,
        items: 0,
        bytes: 0,
        merged: 1,
    };
    rec.apply(Event::Spans(vec![
        span(0, Phase::Blocked, 1, 400),
        span(1, Phase::Compute, 10, 390),
        span(2, Phase::Compute, 10, 200),
    ]));
    rec.apply(Event::PassFinished {
        pass: 0,
        start_ns: 1_000_000,
        t_ns: 400_000_000,
        outcome: Err(String::new()),
    });
    Box::new(rec)
}

#[test]
fn d_shows_the_checked_run_on_the_dashboard_and_esc_comes_back() {
    let mut a = opened();
    key(&mut a, 'd');
    assert_eq!(a.screen, Screen::Exercise);
    let said = a
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(said.contains("c checks it"), "{said}");
    let screen = draw(&mut a, 120, 40);
    assert!(!screen.contains("d shows your program"), "{screen}");
    ran(&mut a);
    checked(&mut a, false);
    let screen = draw(&mut a, 120, 40);
    assert!(screen.contains("d shows your program"), "{screen}");
    key(&mut a, 'd');
    assert_eq!(a.screen, Screen::Dashboard);
    assert_eq!(
        a.dash_keys().name,
        "Replay",
        "a replay: nothing to watch again"
    );
    key(&mut a, 'e'); // to the replay's end
    let screen = draw(&mut a, 120, 40);
    assert!(
        screen.contains("your program for exercise pool-chunksize"),
        "{screen}"
    );
    assert!(!screen.contains("again"), "{screen}");
    code(&mut a, KeyCode::Esc);
    assert_eq!(a.screen, Screen::Exercise);
    assert!(a.runs.is_empty(), "the replay is not kept among the runs");
    assert!(a.ex.verdict.is_some());
    // A new check drops the old run: `d` always shows the latest check's.
    key(&mut a, 'c');
    key(&mut a, 'd');
    assert_eq!(a.screen, Screen::Exercise);
}

/// Watching from the dashboard: a save re-checks, the new run replaces the one shown and the
/// footer says the verdict in a line.
#[test]
fn a_watch_rechecks_while_the_dashboard_shows_the_program() {
    let mut a = opened();
    ran(&mut a);
    checked(&mut a, false);
    key(&mut a, 'w');
    key(&mut a, 'd');
    assert_eq!(a.screen, Screen::Dashboard);
    tick(&mut a, 1_000_000_000);
    a.update(Msg::Exercise(ExerciseMsg::Saved));
    let due = tick(&mut a, 2_000_000_000);
    assert!(
        matches!(due, Effect::Exercise(ExerciseOp::Check { .. })),
        "a save is checked from the dashboard too"
    );
    ran(&mut a);
    assert_eq!(a.screen, Screen::Dashboard);
    assert_eq!(a.runs.len(), 1, "the new run replaces the one shown");
    checked(&mut a, true);
    let said = a
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert_eq!(
        said,
        "checked: passed, level 2 of 3 · Esc shows the verdict"
    );
    code(&mut a, KeyCode::Esc);
    assert_eq!(a.screen, Screen::Exercise);
    assert!(a.ex.watching && a.ex.verdict.as_ref().is_some_and(|v| v.passed));
}

#[test]
fn watch_rechecks_a_save_once_it_settles() {
    let mut a = opened();
    let Effect::Exercise(ExerciseOp::Watch(Some(f))) = key(&mut a, 'w') else {
        panic!("w must watch the workspace file");
    };
    assert!(f.ends_with("exercise.py"));
    tick(&mut a, 1_000_000_000);
    a.update(Msg::Exercise(ExerciseMsg::Saved));
    let early = tick(&mut a, 1_100_000_000);
    assert!(matches!(early, Effect::None), "debounced");
    let due = tick(&mut a, 2_000_000_000);
    assert!(matches!(due, Effect::Exercise(ExerciseOp::Check { .. })));
    // Leaving stops the watch.
    a.update(Msg::Exercise(ExerciseMsg::Checked(Err(
        "check cancelled".into()
    ))));
    assert!(matches!(
        code(&mut a, KeyCode::Esc),
        Effect::Exercise(ExerciseOp::Watch(None))
    ));
}

#[test]
fn the_reader_names_the_lessons_exercises() {
    let mut a = app();
    code(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Reader);
    let screen = draw(&mut a, 120, 40);
    assert!(screen.contains("pool-chunksize"), "{screen}");
    assert!(screen.contains("rust-threads-sum"), "{screen}");
    key(&mut a, 'e');
    assert_eq!(a.screen, Screen::Exercises);
    assert_eq!(a.ex.selected, 0);
}

/// End to end in tmux at 120x40: the exercise list from the lesson list, start, a hint, an
/// edited file kept when the learner says no, the reference solution pasted in, check, pass,
/// the solution shown, progress kept. Runs the real check (Python, a few seconds).
#[test]
fn tmux_start_edit_check_pass() {
    use crate::tui_tmux::{keys, start_shell, tmux, wait_for};
    let bin = env!("CARGO_BIN_EXE_parlab");
    let data = tempfile::tempdir().unwrap();
    let name = format!("parlab-ex-{}", std::process::id());
    let s = start_shell(&name, "120", "40");
    let cmd = format!(
        "PARLAB_DATA_DIR={} {bin}; echo PARLAB_EXIT=$?",
        data.path().display()
    );
    keys(&s.0, &[&cmd, "Enter"]);
    wait_for(&s.0, "Lessons (", 20);
    keys(&s.0, &["e"]);
    wait_for(&s.0, "Exercises (", 10);
    keys(&s.0, &["j", "j", "Enter"]);
    wait_for(&s.0, "workspace ", 10);
    keys(&s.0, &["s"]);
    wait_for(&s.0, "wrote the starter", 10);
    let file = data.path().join("exercises/race-lock/exercise.py");
    let starter = std::fs::read_to_string(&file).unwrap();
    keys(&s.0, &["h"]);
    wait_for(&s.0, "Hints (1 of", 5);
    // An edited file is never overwritten without a yes.
    std::fs::write(&file, format!("{starter}\n# mine\n")).unwrap();
    keys(&s.0, &["s"]);
    wait_for(&s.0, "Overwrite your file?", 10);
    keys(&s.0, &["n"]);
    wait_for(&s.0, "kept your file", 5);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .ends_with("# mine\n")
    );
    let solution = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/exercises/03-race-lock/solution.py"
    );
    std::fs::copy(solution, &file).unwrap();
    keys(&s.0, &["c"]);
    let done = wait_for(&s.0, "(needs", 300);
    assert!(done.contains("│ PASSED"), "{done}");
    assert!(done.contains("✓ correct"), "{done}");
    // d: the learner's processes from the check, on the dashboard; Esc comes back.
    keys(&s.0, &["d"]);
    wait_for(&s.0, "your program for exercise race-lock", 10);
    keys(&s.0, &["e"]);
    let dash = wait_for(&s.0, "q back", 10);
    assert!(
        dash.contains("Workers") && dash.contains("python3 exercise.py"),
        "{dash}"
    );
    assert!(
        !dash.contains("no sample yet"),
        "the CPU panel has the check's samples: {dash}"
    );
    keys(&s.0, &["Escape"]);
    wait_for(&s.0, "(needs", 10);
    keys(&s.0, &["v"]);
    wait_for(&s.0, "Reference solution", 5);
    keys(&s.0, &["q"]); // exercise -> list
    keys(&s.0, &["q"]); // list -> lessons
    keys(&s.0, &["q"]); // quit
    let after = wait_for(&s.0, "PARLAB_EXIT=", 10);
    assert!(after.contains("PARLAB_EXIT=0"), "{after}");
    let saved = std::fs::read_to_string(data.path().join("progress.json")).unwrap();
    let p: parlab::progress::Progress = serde_json::from_str(&saved).unwrap();
    let e = p.exercise("race-lock").unwrap();
    assert!(e.passed && e.hints_shown == 1 && e.checks == 1, "{saved}");
    let _ = tmux(&["kill-session", "-t", &s.0]);
}

/// `parlab replay` of a check's trace (`exercise check --trace`): a replay's keys, not a
/// watch's (there is no program to watch again).
#[test]
fn replay_of_a_checked_run_offers_replay_keys() {
    let rec = observed_run();
    let mut a = App::for_replay(&rec, "run.json", machine(), ThemeKind::Dark);
    assert_eq!(a.dash_keys().name, "Replay");
    key(&mut a, 'e');
    let screen = draw(&mut a, 120, 40);
    assert!(screen.contains("q quit"), "{screen}");
    assert!(!screen.contains("again"), "{screen}");
}

/// The keys help at 80x24: long descriptions wrap, and a table too tall for wrapping still
/// shows every key.
#[test]
fn keys_help_at_80x24_shows_every_key() {
    let mut a = opened();
    key(&mut a, '?');
    let screen = draw(&mut a, 80, 24);
    assert!(screen.contains("speed against the"), "{screen}");
    assert!(screen.contains("reference "), "wrapped, not cut: {screen}");
    key(&mut a, 'x');
    let rec = observed_run();
    let mut r = App::for_replay(&rec, "run.json", machine(), ThemeKind::Dark);
    key(&mut r, '?');
    let screen = draw(&mut r, 80, 24);
    for k in ["Space", "q Esc", "Ctrl-C", "1 2 3 5 6 7"] {
        assert!(screen.contains(k), "{k} missing: {screen}");
    }
}
