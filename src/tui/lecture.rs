//! `parlab present FILE`: the lecture in the TUI, and the link its notes terminal follows.

use std::process::ExitCode;

use crate::app::{App, ThemeKind};
use crate::lecture::Deck;
use crate::lecture::link::Beacon;
use crate::lesson::LessonSet;
use crate::machine::Machine;

/// Presents `deck` until the instructor quits, listening for notes terminals on 127.0.0.1
/// (`port`, else any free port written to the data directory's port file).
pub fn run_lecture(deck: Deck, lessons: LessonSet, port: Option<u16>) -> anyhow::Result<ExitCode> {
    super::ensure_terminal()?;
    let started_ms = crate::lecture::link::now_ms();
    let beacon = Beacon::listen(port, Beacon::default_port_file(), started_ms)?;
    let app = App::for_lecture(deck, lessons, Machine::this(), ThemeKind::from_env());
    super::run_loop(app, None, None, Some(beacon)).map(|(code, _)| code)
}
