//! The dashboard's panels on ratatui's TestBackend: Queue depth, Memory and Log appear only
//! for runs that have their data; Tab moves the keyboard between panels, arrows scroll the
//! focused one, Enter / `z` maximizes it and Esc restores.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use crossterm::event::KeyCode;
use parlab::app::{App, LowerTab};
use parlab::recording::{LogLine, SeriesPoint};
use parlab::ui::theme::ThemeKind;

use crate::screen::{draw, key};

/// A replay of the fixture at its end, with a queue series and `logs` worker log lines added.
fn replay(logs: usize) -> App {
    let rec = crate::screen::squaring();
    let mut a = App::for_replay(&rec, "test", rec.machine.clone(), ThemeKind::Dark);
    key(&mut a, KeyCode::Char('e'));
    let rec = &mut a.runs[0].rec;
    let pass = rec.store.passes().last().unwrap();
    let (pass_id, t0) = (pass.info.pass, pass.info.t_ns);
    for i in 0..20u64 {
        rec.series.push(SeriesPoint {
            pass: pass_id,
            name: "queue depth".into(),
            t_ns: t0 + i * 1_000_000,
            value: (i % 7) as f64,
        });
    }
    for i in 0..logs {
        rec.logs.push(LogLine {
            pass: pass_id,
            worker: (i % 3) as u32,
            t_ns: t0 + i as u64 * 1000,
            text: format!("line {i} of the log"),
        });
    }
    a
}

#[test]
fn panels_without_data_are_not_shown() {
    let mut plain = App::for_replay(
        &crate::screen::squaring(),
        "test",
        Default::default(),
        ThemeKind::Dark,
    );
    key(&mut plain, KeyCode::Char('e'));
    let s = draw(&mut plain, 120, 40);
    assert!(!s.contains("Queue depth") && !s.contains(" Log "), "{s}");
    let mut a = replay(5);
    let s = draw(&mut a, 120, 40);
    assert!(s.contains("Queue depth"), "{s}");
    // Beside Workers and CPU at 120 columns there is room for two charts: Tab brings the Log.
    while a.dash.panel != Some(LowerTab::Log) {
        key(&mut a, KeyCode::Tab);
    }
    let s = draw(&mut a, 120, 40);
    assert!(s.contains("Queue depth") && s.contains(" Log"), "{s}");
}

#[test]
fn tab_focuses_z_maximizes_and_esc_restores() {
    let mut a = replay(200);
    draw(&mut a, 120, 40);
    for _ in 0..10 {
        if a.dash.panel == Some(LowerTab::Log) {
            break;
        }
        key(&mut a, KeyCode::Tab);
    }
    assert_eq!(a.dash.panel, Some(LowerTab::Log));
    key(&mut a, KeyCode::Char('z'));
    assert!(a.dash.maximized);
    let s = draw(&mut a, 120, 40);
    assert!(s.contains("line 0 of the log"), "{s}");
    assert!(s.contains("more lines"), "{s}");
    key(&mut a, KeyCode::PageDown);
    let s = draw(&mut a, 120, 40);
    assert!(!s.contains("line 0 of the log"), "a page down scrolls: {s}");
    for _ in 0..50 {
        key(&mut a, KeyCode::PageDown);
    }
    let s = draw(&mut a, 120, 40);
    assert!(
        s.contains("line 199 of the log"),
        "the last line can be reached: {s}"
    );
    key(&mut a, KeyCode::Esc);
    assert!(!a.dash.maximized, "Esc restores before it quits");
    let s = draw(&mut a, 120, 40);
    assert!(s.contains("Results"), "{s}");
}

#[test]
fn results_scroll_to_their_last_line_at_80x24() {
    let mut a = replay(0);
    key(&mut a, KeyCode::Char('1'));
    assert_eq!(a.dash.panel, Some(LowerTab::Results));
    let first = draw(&mut a, 80, 24);
    for _ in 0..40 {
        key(&mut a, KeyCode::Down);
    }
    let last = draw(&mut a, 80, 24);
    assert!(!last.contains("more lines"), "scrolled to the end: {last}");
    assert_ne!(first, last);
}
