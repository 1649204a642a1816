//! Snapshots of the TUI's screens, drawn on ratatui's TestBackend from fixed lessons and a
//! recorded trace (`tests/fixtures/squaring.trace.json`), so nothing depends on this
//! machine's name, core count or timings.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use parlab::app::replay::Player;
use parlab::app::run::RunView;
use parlab::app::{App, Effect, Msg, Screen};
use parlab::lesson::pyrun::PyRun;
use parlab::lesson::{Block, CodePair, Lesson, LessonSet};
use parlab::progress::{LessonStatus, Progress};
use parlab::ui::theme::ThemeKind;

use crate::screen::{draw, key, machine};

const PROSE: &str = "# Why parallel?\n\nSquaring a million numbers takes a *plain loop* about \
two milliseconds. Splitting the work over **every core** should make it faster, but only when \
each piece of work is big enough to pay for handing it out.\n\n## What to look at\n\n- the \
timeline: one row per worker\n- the `speedup` and the efficiency\n\n1. press r\n2. read the \
verdict\n";

const PY: &str = "from multiprocessing import Pool\n\ndef square(x):\n    return x * x  # trivial\n\nwith Pool() as p:\n    out = p.map(square, range(1, 1_000_001))\n";
const RS: &str = "use rayon::prelude::*;\n\nfn main() {\n    let out: Vec<u64> = (1..=1_000_000u64)\n        .into_par_iter()\n        .map(|x| x * x)\n        .collect();\n    println!(\"{}\", out.len());\n}\n";

fn lessons() -> LessonSet {
    let l1 = Lesson {
        number: 1,
        id: "why-parallel".into(),
        title: "Why parallel? Squaring a million numbers".into(),
        summary: "a loop vs a pool vs a parallel iterator; trivial vs heavy work".into(),
        demo: "squaring".into(),
        params: vec![
            ("work".into(), "heavy".into()),
            ("size".into(), "200000".into()),
        ],
        blocks: vec![
            Block::Text(PROSE.into()),
            Block::Code(CodePair {
                python: Some(PY.into()),
                rust: Some(RS.into()),
            }),
            Block::Text("## What to notice\n\n- sequential is the reference\n".into()),
        ],
        source: "test".into(),
        ..Lesson::default()
    };
    let l2 = Lesson {
        number: 2,
        id: "pool".into(),
        title: "Pool: a fixed team of workers".into(),
        summary: "map over items in chunks; ordered vs unordered results".into(),
        demo: "pool".into(),
        source: "test".into(),
        ..Lesson::default()
    };
    LessonSet {
        lessons: vec![l1, l2],
        broken: Vec::new(),
    }
}

fn app() -> App {
    let mut progress = Progress::default();
    progress.mark("pool", LessonStatus::Done);
    App::new(lessons(), progress, machine(), ThemeKind::Dark)
}

/// The dashboard of lesson 1 as a live run would have it at `frac` of the recording.
fn dashboard_at(frac: f64) -> App {
    let mut a = app();
    key(&mut a, KeyCode::Enter);
    let rec = crate::screen::squaring();
    let mut p = Player::new(&rec);
    p.pos = p.start + ((p.end - p.start) as f64 * frac) as u64;
    let title = a.lesson(0).unwrap().title.clone();
    let mut run = RunView::new(&title, "squaring", Default::default(), 4, machine());
    let (evs, samples) = p.due();
    for e in evs {
        run.apply(e);
    }
    for s in samples {
        run.push_sample(s);
    }
    run.set_now(p.pos);
    a.runs.push(run);
    a.shown = 0;
    a.live = Some(0);
    a.screen = Screen::Dashboard;
    a.status = None;
    a
}

#[test]
fn home() {
    let mut a = app();
    insta::assert_snapshot!(draw(&mut a, 80, 24));
}

#[test]
fn home_filter() {
    let mut a = app();
    key(&mut a, KeyCode::Char('/'));
    for c in "pool".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    insta::assert_snapshot!(draw(&mut a, 80, 24));
}

#[test]
fn reader_narrow_tabs() {
    let mut a = app();
    key(&mut a, KeyCode::Enter);
    a.status = None;
    insta::assert_snapshot!(draw(&mut a, 80, 24));
    key(&mut a, KeyCode::Char('G'));
    key(&mut a, KeyCode::Char('t'));
    insta::assert_snapshot!("reader_narrow_rust_tab_bottom", draw(&mut a, 80, 24));
}

#[test]
fn reader_wide_side_by_side() {
    let mut a = app();
    key(&mut a, KeyCode::Enter);
    a.status = None;
    insta::assert_snapshot!(draw(&mut a, 160, 40));
}

#[test]
fn dashboard_mid_run() {
    let mut a = dashboard_at(0.5);
    assert!(a.running());
    insta::assert_snapshot!(draw(&mut a, 120, 40));
}

#[test]
fn dashboard_finished() {
    let mut a = dashboard_at(1.0);
    assert!(!a.running());
    insta::assert_snapshot!(draw(&mut a, 120, 40));
}

#[test]
fn dashboard_finished_small_tabs() {
    let mut a = dashboard_at(1.0);
    insta::assert_snapshot!(draw(&mut a, 80, 24));
    key(&mut a, KeyCode::Char('2'));
    insta::assert_snapshot!("dashboard_small_workers_tab", draw(&mut a, 80, 24));
    key(&mut a, KeyCode::Char('3'));
    insta::assert_snapshot!("dashboard_small_cpu_tab", draw(&mut a, 80, 24));
}

#[test]
fn dashboard_cursor_zoom_and_params() {
    let mut a = dashboard_at(1.0);
    draw(&mut a, 120, 40);
    key(&mut a, KeyCode::Char('j'));
    for _ in 0..3 {
        key(&mut a, KeyCode::Char('+'));
    }
    key(&mut a, KeyCode::Char('p'));
    key(&mut a, KeyCode::Enter);
    for c in "1".chars() {
        key(&mut a, KeyCode::Backspace);
        key(&mut a, KeyCode::Char(c));
    }
    insta::assert_snapshot!(draw(&mut a, 120, 40));
}

#[test]
fn dashboard_large() {
    let mut a = dashboard_at(1.0);
    insta::assert_snapshot!(draw(&mut a, 300, 80));
}

#[test]
fn help_overlay() {
    let mut a = dashboard_at(1.0);
    key(&mut a, KeyCode::Char('?'));
    insta::assert_snapshot!(draw(&mut a, 120, 40));
}

#[test]
fn too_small() {
    let mut a = app();
    insta::assert_snapshot!(draw(&mut a, 60, 15));
}

#[test]
fn replay_paused_midway_and_at_end() {
    let rec = crate::screen::squaring();
    let mut a = App::for_replay(&rec, "squaring.trace.json", machine(), ThemeKind::Dark);
    key(&mut a, KeyCode::Char(' ')); // pause
    let (start, end) = {
        let p = a.runs[0].player.as_ref().unwrap();
        (p.start, p.end)
    };
    // Half the recording at x1, paused: nothing moves.
    a.update(Msg::Tick {
        now_ns: 0,
        dt_ns: (end - start) / 2,
    });
    assert_eq!(a.runs[0].player.as_ref().unwrap().pos, start);
    key(&mut a, KeyCode::Char(' ')); // play
    a.update(Msg::Tick {
        now_ns: 0,
        dt_ns: (end - start) / 2,
    });
    key(&mut a, KeyCode::Char(' '));
    insta::assert_snapshot!(draw(&mut a, 120, 40));
    key(&mut a, KeyCode::Char('e'));
    assert!(!a.runs[0].running());
    insta::assert_snapshot!("replay_end", draw(&mut a, 120, 40));
}

#[test]
fn keys_move_between_screens_and_q_quits() {
    let mut a = app();
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Reader);
    key(&mut a, KeyCode::Char('q'));
    assert_eq!(a.screen, Screen::Home);
    assert!(matches!(
        a.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('q'),
            KeyModifiers::NONE
        ))),
        parlab::app::Effect::Quit
    ));
}

/// A run of 64 workers on a 128-core machine: rows scroll, cores group into the rows there
/// are, the average line stays.
fn big_machine_run() -> App {
    use parlab::event::{Event, PassInfo};
    use parlab::sampler::Sample;
    use parlab::trace::{Phase, Span};
    let mut big = machine();
    big.cores = 128;
    let mut run = RunView::new("big", "squaring", Default::default(), 64, big.clone());
    run.apply(Event::PassStarted(PassInfo {
        pass: 0,
        variant: "pool".into(),
        repeat: 0,
        warmup: false,
        workers: 64,
        t_ns: 0,
    }));
    let mut spans = Vec::new();
    for w in 0..64u32 {
        for i in 0..50u64 {
            let phase = if (i + u64::from(w)) % 5 == 0 {
                Phase::WaitLock
            } else {
                Phase::Compute
            };
            let len = 1_000_000 + u64::from(w) * 10_000;
            spans.push(Span {
                pass: 0,
                worker: w,
                pid: None,
                core: (w * 2) as u16,
                phase,
                start_ns: i * len,
                end_ns: (i + 1) * len,
                items: 100,
                bytes: 0,
                merged: 1,
            });
        }
    }
    run.apply(Event::Spans(spans));
    for k in 1..=10u64 {
        run.push_sample(Sample {
            t_ns: k * 20_000_000,
            interval_ns: 20_000_000,
            per_core: (0..128)
                .map(|c| ((c * 7 + k as usize * 13) % 101) as f32)
                .collect(),
            rss_self: 50 << 20,
            rss_children: 0,
            children: 0,
            wait_cpu: None,
            per_child: Vec::new(),
        });
    }
    run.apply(Event::PassFinished {
        pass: 0,
        start_ns: 0,
        t_ns: 200_000_000,
        outcome: Err("synthetic".into()),
    });
    let mut a = App::new(lessons(), Progress::default(), big, ThemeKind::Plain);
    a.runs.push(run);
    a.shown = 0;
    a.screen = Screen::Dashboard;
    a
}

#[test]
fn dashboard_64_workers_128_cores() {
    let mut a = big_machine_run();
    insta::assert_snapshot!(draw(&mut a, 120, 40));
    // The cursor walks down the rows; the rows scroll to keep it visible.
    for _ in 0..40 {
        key(&mut a, KeyCode::Char('j'));
    }
    insta::assert_snapshot!("dashboard_64_workers_scrolled", draw(&mut a, 120, 40));
    insta::assert_snapshot!("dashboard_64_workers_large", draw(&mut a, 300, 80));
}

#[test]
fn last_opened_lesson_is_selected_on_start() {
    let progress = Progress {
        last_opened: Some("pool".into()),
        ..Progress::default()
    };
    let a = App::new(lessons(), progress, machine(), ThemeKind::Dark);
    assert_eq!(a.home.selected, 1);
}

fn ctrl_c() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

fn quits(a: &mut App, msg: Msg) -> bool {
    matches!(a.update(msg), parlab::app::Effect::Quit)
}

#[test]
fn esc_on_the_list_clears_the_filter_and_never_quits() {
    let mut a = app();
    key(&mut a, KeyCode::Char('/'));
    key(&mut a, KeyCode::Char('p'));
    key(&mut a, KeyCode::Enter); // keep the filter, back to the list
    assert_eq!(a.home.filter, "p");
    assert!(!quits(&mut a, Msg::Key(KeyCode::Esc.into())));
    assert!(a.home.filter.is_empty());
    for _ in 0..3 {
        assert!(!quits(&mut a, Msg::Key(KeyCode::Esc.into())));
    }
    assert_eq!(a.screen, Screen::Home);
    let footer = draw(&mut a, 80, 24);
    assert!(footer.contains("q quit"), "{footer}");
    assert!(quits(&mut a, Msg::Key(KeyCode::Char('q').into())));
}

#[test]
fn ctrl_c_quits_at_once_from_every_screen() {
    // The list, its filter, the help overlay, the reader, the dashboard, the parameter
    // editor, a value being typed, and a replay.
    let mut a = app();
    assert!(quits(&mut a, ctrl_c()));
    key(&mut a, KeyCode::Char('/'));
    assert!(quits(&mut a, ctrl_c()));
    let mut a = app();
    key(&mut a, KeyCode::Char('?'));
    assert!(a.help);
    assert!(quits(&mut a, ctrl_c()));
    let mut a = app();
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Reader);
    assert!(quits(&mut a, ctrl_c()));
    let mut a = dashboard_at(0.5);
    assert!(a.running());
    assert!(quits(&mut a, ctrl_c()));
    key(&mut a, KeyCode::Char('p'));
    assert!(quits(&mut a, ctrl_c()));
    key(&mut a, KeyCode::Enter);
    assert!(a.params.editing.is_some());
    assert!(quits(&mut a, ctrl_c()));
    let mut r = App::for_replay(
        &crate::screen::squaring(),
        "t.json",
        machine(),
        ThemeKind::Dark,
    );
    assert!(quits(&mut r, ctrl_c()));
}

#[test]
fn help_and_footer_come_from_the_keys_dispatched() {
    // REPLAY has no fourth tab and says so; the filter's help names ids.
    let mut r = App::for_replay(
        &crate::screen::squaring(),
        "t.json",
        machine(),
        ThemeKind::Dark,
    );
    let (name, help) = r.keys_help();
    assert_eq!(name, "Replay");
    assert!(help.iter().any(|h| h.keys == "1 2 3 5 6 7"));
    key(&mut r, KeyCode::Char('4'));
    assert_eq!(r.dash.lower_tab, parlab::app::LowerTab::Results);
    let mut a = app();
    key(&mut a, KeyCode::Char('/'));
    let (_, help) = a.keys_help();
    assert!(help.iter().any(|h| h.what.contains("id")), "{help:?}");
}

/// A demo whose every pass panics, as a bug in a lesson's code would.
struct Panics(parlab::engine::DemoInfo);

impl parlab::engine::Demo for Panics {
    fn info(&self) -> &parlab::engine::DemoInfo {
        &self.0
    }

    fn run(
        &self,
        _variant: &str,
        _params: &parlab::engine::Params,
        _ctx: &parlab::engine::Ctx<'_>,
    ) -> Result<parlab::engine::Outcome, parlab::engine::DemoError> {
        panic!("a bug in the demo");
    }
}

#[test]
fn a_demo_that_panics_fails_its_run_and_the_dashboard_goes_on() {
    use parlab::engine::{CancelToken, DemoInfo, RunRequest, Runner, VariantInfo};
    let demo: &'static Panics = Box::leak(Box::new(Panics(DemoInfo {
        id: "panics",
        title: "Panics",
        summary: "panics",
        params: Vec::new(),
        variants: vec![VariantInfo::SEQUENTIAL],
    })));
    let (tx, rx) = crossbeam_channel::unbounded();
    let req = RunRequest {
        demo,
        params: Default::default(),
        workers: 2,
        variants: Vec::new(),
        repeats: Some(1),
        reference: None,
    };
    let runner = std::thread::spawn(move || Runner::new(Some(tx), CancelToken::new()).run(&req));
    let mut a = dashboard_at(0.0);
    a.runs[0] = RunView::new("Panics", "panics", Default::default(), 2, machine());
    for ev in rx {
        a.update(Msg::Engine(ev));
    }
    let report = runner.join().expect("the runner itself does not panic");
    assert!(report.has_failures());
    assert!(!a.running(), "the run ended");
    assert_eq!(a.live, None);
    let screen = draw(&mut a, 120, 40);
    assert!(screen.contains("panicked"), "{screen}");
    // The dashboard still answers keys.
    key(&mut a, KeyCode::Char('2'));
    assert_eq!(a.dash.lower_tab, parlab::app::LowerTab::Workers);
    key(&mut a, KeyCode::Char('q'));
    assert_eq!(a.screen, Screen::Reader);
}

/// After a run the Results panel lists each claim of the run's lesson with its outcome and
/// the numbers that decided it; a claim for other parameters says how to check it.
#[test]
fn dashboard_results_show_the_lessons_claims() {
    use parlab::lesson::activity::Claim;
    let claim = |id: &str, text: &str, check: &str, when: &[(&str, &str)]| Claim {
        id: id.into(),
        text: text.into(),
        when: when
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        check: parlab::lesson::expr::parse(check).unwrap(),
        cores: None,
        quiet: false,
        line: 1,
    };
    let mut a = dashboard_at(1.0);
    a.lessons.lessons[0].claims = vec![
        claim(
            "correct",
            "The loop's answer is the reference ({{ workers }} workers).",
            "correct(sequential)",
            &[],
        ),
        claim(
            "trivial",
            "With trivial work the pool loses ({{ cores }} cores).",
            "workers > 1000",
            &[("work", "trivial")],
        ),
    ];
    a.runs[0].lesson = "why-parallel".into();
    assert!(a.runs[0].measured.is_some(), "the fixture run finished");
    draw(&mut a, 120, 40);
    key(&mut a, KeyCode::Char('1')); // focus Results, then scroll to its end
    draw(&mut a, 120, 40); // the panel's length is measured at a draw, as in the app
    for _ in 0..40 {
        key(&mut a, KeyCode::Down);
    }
    let screen = draw(&mut a, 120, 40);
    assert!(screen.contains("Claims"), "{screen}");
    assert!(
        screen.contains("✓ held The loop's answer is the reference"),
        "{screen}"
    );
    assert!(
        screen.contains("· not checked With trivial work the pool loses (– cores)"),
        "{screen}"
    );
    assert!(
        screen.contains("(run with work =") && screen.contains("trivial to check)"),
        "{screen}"
    );
}

#[test]
fn reader_w_runs_the_lessons_python_and_its_figures_fill_the_text() {
    let mut a = app();
    a.lessons.lessons[0]
        .blocks
        .insert(1, Block::Text("Your Python: {{ py_wall() }} wall.".into()));
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Reader);
    let before = draw(&mut a, 120, 40);
    assert!(before.contains("Your Python: – wall."), "{before}");
    assert!(
        before.contains("w watch Python"),
        "the footer names the key"
    );

    // No python3: one line says so, the reader stays.
    a.python3 = false;
    key(&mut a, KeyCode::Char('w'));
    assert_eq!(a.screen, Screen::Reader);
    let said = draw(&mut a, 120, 40);
    assert!(said.contains("python3 is not installed"), "{said}");

    // With python3: the lesson's Python block goes to the observer.
    a.python3 = true;
    let effect = key(&mut a, KeyCode::Char('w'));
    assert!(
        matches!(&effect, Effect::Watch { python: Some((id, code)), .. } if id == "why-parallel" && code == PY),
        "w watches the lesson's Python block"
    );
    assert_eq!(a.screen, Screen::Dashboard);

    // Its summary, handed over when the watch ended, fills the text.
    a.python_ran(PyRun {
        lesson: "why-parallel".into(),
        at: 1,
        wall_ms: 1234.4,
        cpu_ms: 2300.0,
        busy_workers: 1.86,
        wait_cpu_share: Some(0.12),
        peak_rss: 36 << 20,
        process_count: 3,
        processes: Vec::new(),
        exit: "exit code 0".into(),
        ok: true,
    });
    a.screen = Screen::Reader;
    let after = draw(&mut a, 120, 40);
    assert!(after.contains("Your Python: 1234 ms wall."), "{after}");
}
