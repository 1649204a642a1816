//! Lectures (`parlab present FILE`): stepping through one on ratatui's TestBackend
//! (snapshots of a note, a run in the presenter layout, going back, a broken step), the
//! notes link over a real loopback socket, and the example lecture in tmux at 80x24 with a
//! second window following it with `--notes`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::io::Write as _;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossbeam_channel::{Receiver, unbounded};
use crossterm::event::KeyCode;
use parlab::app::{App, Effect, Geometry, Msg};
use parlab::lecture::link::{Beacon, Heard, MAX_LINE, Message, follow};
use parlab::ui::theme::ThemeKind;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::tui_tmux::{keys, screen, start_shell, tmux, wait_for};

use crate::screen::{key as press, machine};

const LECTURE: &str = r#"title = "Test lecture"

[[steps]]
kind = "note"
title = "Why parallel?"
text = "One core is not getting faster. Can one job use them all?"
notes = "SECRET-NOTE-1: ask the room"

[[steps]]
kind = "run"
title = "Heavy work"
lesson = "why-parallel"
params = { work = "heavy" }
notes = "SECRET-NOTE-2"

[[steps]]
kind = "replay"
title = "On a bigger machine"
trace = "TRACE"
notes = "SECRET-NOTE-3"

[[steps]]
kind = "run"
title = "Broken"
lesson = "no-such-lesson"
notes = "SECRET-NOTE-4"
"#;

fn app() -> App {
    let text = LECTURE.replace("TRACE", crate::screen::SQUARING_TRACE);
    let lessons = parlab::lesson::embedded();
    let deck = parlab::lecture::load(Path::new("lectures/test.toml"), &text, &lessons).unwrap();
    App::for_lecture(deck, lessons, machine(), ThemeKind::Dark)
}

fn tick(app: &mut App) -> Effect {
    app.update(Msg::Tick {
        now_ns: 0,
        dt_ns: 0,
    })
}

fn draw(app: &mut App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut g = Geometry::default();
    term.draw(|f| g = parlab::ui::draw(app, f)).unwrap();
    app.update(Msg::Layout(g));
    term.draw(|f| g = parlab::ui::draw(app, f)).unwrap();
    let s = format!("{}", term.backend());
    assert!(
        !s.contains("SECRET-NOTE"),
        "speaker notes on the projected screen:\n{s}"
    );
    s
}

#[test]
fn stepping_through_a_lecture() {
    let mut a = app();
    assert!(matches!(tick(&mut a), Effect::None), "a note runs nothing");
    insta::assert_snapshot!("lecture_step1_note", draw(&mut a, 80, 24));

    // Next: the run step starts its run and shows the presenter layout.
    assert!(matches!(
        press(&mut a, KeyCode::Right),
        Effect::Start { .. }
    ));
    let s = draw(&mut a, 80, 24);
    assert!(s.contains("2/4  Heavy work"), "{s}");
    insta::assert_snapshot!("lecture_step2_run", s);

    // Previous while the run goes on: it is cancelled, and the note is back at once.
    assert!(matches!(press(&mut a, KeyCode::Char('p')), Effect::Cancel));
    let s = draw(&mut a, 80, 24);
    assert!(s.contains("1/4  Why parallel?"), "{s}");
    insta::assert_snapshot!("lecture_back_to_step1", s);

    // Jump to the replay step: it waits until the cancelled run has stopped, then plays.
    press(&mut a, KeyCode::Char('3'));
    assert!(draw(&mut a, 80, 24).contains("stopping the previous step's run"));
    a.update(Msg::RunnerGone("cancelled".into()));
    tick(&mut a);
    let s = draw(&mut a, 80, 24);
    assert!(s.contains("replay of squaring.trace.json"), "{s}");

    // The broken step: one line naming the file and line; the rest still works.
    press(&mut a, KeyCode::Char(' '));
    let s = draw(&mut a, 80, 24);
    assert!(
        s.contains("lectures/test.toml:22: step 4: unknown lesson"),
        "{s}"
    );
    insta::assert_snapshot!("lecture_step4_broken", s);
    press(&mut a, KeyCode::Char('n'));
    assert!(draw(&mut a, 80, 24).contains("this is the last step"));
    press(&mut a, KeyCode::Left);
    assert!(draw(&mut a, 80, 24).contains("3/4  On a bigger machine"));
    assert!(matches!(press(&mut a, KeyCode::Char('q')), Effect::Quit));
}

fn recv(rx: &Receiver<Heard>) -> Heard {
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the notes side heard nothing (hung?)")
}

/// The next step message, skipping connection news and start times.
fn next_step(rx: &Receiver<Heard>) -> Message {
    loop {
        if let Heard::Said(m @ Message::Step { .. }) = recv(rx) {
            return m;
        }
    }
}

#[test]
fn notes_follow_the_presenter_over_loopback_and_reconnect() {
    let dir = tempfile::tempdir().unwrap();
    let port_file = dir.path().join("lecture.port");
    let beacon = Beacon::listen(None, Some(port_file.clone()), 1_000).unwrap();
    beacon.set_step(0, 7);
    let (tx, rx) = unbounded();
    let stop = Arc::new(AtomicBool::new(false));
    let follower = {
        let (stop, file) = (Arc::clone(&stop), Some(port_file.clone()));
        std::thread::spawn(move || follow(None, file, tx, stop))
    };
    assert_eq!(recv(&rx), Heard::Connected(beacon.port()));
    assert_eq!(recv(&rx), Heard::Said(Message::Started(1_000)));
    assert_eq!(next_step(&rx), Message::Step { at: 0, count: 7 });
    beacon.set_step(3, 7);
    assert_eq!(next_step(&rx), Message::Step { at: 3, count: 7 });

    // The presenter restarts (on another port): the notes side finds it again.
    drop(beacon);
    assert_eq!(recv(&rx), Heard::Lost);
    let again = Beacon::listen(None, Some(port_file), 2_000).unwrap();
    again.set_step(5, 7);
    assert_eq!(next_step(&rx), Message::Step { at: 5, count: 7 });
    stop.store(true, Ordering::Relaxed);
    follower.join().unwrap();
}

#[test]
fn notes_ignore_garbage_and_overlong_lines() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let long = "step 1 3 ".repeat(MAX_LINE);
        let junk = format!("hello\n\u{1b}[2J\nstep 9 3\nstep x y\n{long}\n\u{ff}\u{0}\nstep 2 3\n");
        s.write_all(junk.as_bytes()).unwrap();
        s.write_all(&[0xff, 0xfe, b'\n']).unwrap();
        s.write_all(b"step 1 3\n").unwrap();
        // A megabyte without a newline: dropped, memory bounded.
        s.write_all(&vec![b'z'; 1 << 20]).unwrap();
        s.write_all(b"\nstep 0 3\n").unwrap();
    });
    let (tx, rx) = unbounded();
    let stop = Arc::new(AtomicBool::new(false));
    let follower = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || follow(Some(port), None, tx, stop))
    };
    assert_eq!(recv(&rx), Heard::Connected(port));
    let heard: Vec<Message> = (0..3).map(|_| next_step(&rx)).collect();
    assert_eq!(
        heard,
        [
            Message::Step { at: 2, count: 3 },
            Message::Step { at: 1, count: 3 },
            Message::Step { at: 0, count: 3 }
        ]
    );
    server.join().unwrap();
    stop.store(true, Ordering::Relaxed);
    follower.join().unwrap();
}

#[test]
fn the_example_lecture_in_tmux_with_notes_following() {
    assert!(
        Command::new("tmux").arg("-V").output().is_ok(),
        "tmux is not installed: this end-to-end test needs it (.ci/run installs it)"
    );
    let bin = env!("CARGO_BIN_EXE_parlab");
    let intro = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/lectures/intro.toml");
    let data = tempfile::tempdir().unwrap();
    let name = format!("parlab-lecture-{}", std::process::id());
    let s = start_shell(&name, "80", "24");
    let (talk, notes) = (format!("{name}:0"), format!("{name}:1"));
    tmux(&[
        "new-window",
        "-d",
        "-t",
        &notes,
        "env",
        "-i",
        "PATH=/usr/bin:/bin",
        "TERM=xterm-256color",
        "bash",
        "--norc",
        "--noprofile",
    ]);
    std::thread::sleep(Duration::from_millis(300));
    let env = format!("PARLAB_DATA_DIR={}", data.path().display());
    keys(
        &talk,
        &[
            &format!("{env} {bin} present {intro}; echo PARLAB_EXIT=$?"),
            "Enter",
        ],
    );
    wait_for(&talk, "1/7  Why parallel?", 30);
    keys(
        &notes,
        &[
            &format!("{env} {bin} present {intro} --notes; echo NOTES_EXIT=$?"),
            "Enter",
        ],
    );
    wait_for(&notes, "Ask the room how many cores", 30);
    let titles = [
        "Squaring",
        "Same job",
        "Pool",
        "Chunking",
        "Imbalance",
        "Amdahl",
    ];
    for (i, t) in titles.iter().enumerate() {
        keys(&talk, &["n"]);
        let sc = wait_for(&talk, &format!("{}/7  {t}", i + 2), 60);
        assert!(
            !sc.contains("Ask the room"),
            "notes on the projected screen:\n{sc}"
        );
        wait_for(&notes, &format!("{}/7  {t}", i + 2), 30);
    }
    wait_for(&notes, "(this is the last step)", 30);
    keys(&talk, &["p"]);
    wait_for(&talk, "6/7  Imbalance", 60);
    wait_for(&notes, "6/7  Imbalance", 30);
    wait_for(&notes, "Next: 7/7", 30);
    keys(&talk, &["q"]);
    wait_for(&talk, "PARLAB_EXIT=0", 60);
    keys(&notes, &["q"]);
    let sc = wait_for(&notes, "NOTES_EXIT=0", 30);
    drop(s);
    assert!(!screen(&talk).contains("panicked"), "{sc}");
}
