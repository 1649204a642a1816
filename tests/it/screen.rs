//! What the screen tests share: a fixed test machine, the recorded squaring run, a key press,
//! and a frame drawn the way the event loop draws it, so that every module sees the app
//! exactly as a student would.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use parlab::app::{App, Effect, Geometry, Msg};
use parlab::machine::Machine;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The recorded squaring run every dashboard test replays (`tests/fixtures`).
pub const SQUARING_TRACE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/squaring.trace.json"
);

/// [`SQUARING_TRACE`], read the way `parlab replay` reads it.
#[allow(clippy::unwrap_used)] // a fixture that cannot be read is the test failing
pub fn squaring() -> parlab::recording::Recording {
    parlab::report::chrome::read(std::path::Path::new(SQUARING_TRACE)).unwrap()
}

/// A 4-core machine with fixed names, so snapshots do not depend on where they are taken.
pub fn machine() -> Machine {
    Machine {
        cores: 4,
        physical_cores: Some(4),
        cpu_model: "Test CPU".into(),
        os: "TestOS".into(),
        host: "test-host".into(),
        memory_bytes: 8 << 30,
        parlab_version: "0.0.0".into(),
    }
}

/// One key press without modifiers.
pub fn key(app: &mut App, code: KeyCode) -> Effect {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// Draws like the event loop does: the frame's geometry goes back to the app as a message
/// (reader scroll, timeline columns, a panel's length), then the screen is drawn again with it.
#[allow(clippy::unwrap_used)] // a test backend that cannot draw is the test failing
pub fn draw(app: &mut App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut g = Geometry::default();
    term.draw(|f| g = parlab::ui::draw(app, f)).unwrap();
    app.update(Msg::Layout(g));
    term.draw(|f| g = parlab::ui::draw(app, f)).unwrap();
    app.update(Msg::Layout(g));
    format!("{}", term.backend())
}
