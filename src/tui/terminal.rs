//! The terminal while the TUI owns it: raw mode, the alternate screen and mouse capture, set
//! up by [`Session::enter`] and undone when the session is dropped — on normal exit, on error,
//! on Ctrl-C or a signal (the loop returns), and when the UI thread panics (unwinding drops
//! the session; the panic hook restores first so the message lands on the real screen).
//!
//! A panic on any other thread (a demo's worker, the runner) must not touch the terminal:
//! the runner reports it as the run's failure and the dashboard goes on. Its message would
//! scribble over the screen, so it is kept and printed to stderr after the terminal is back.

use std::io::Write as _;
use std::sync::{Mutex, Once};
use std::thread::ThreadId;

use anyhow::Context as _;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// The thread that draws, while a session is open.
static UI_THREAD: Mutex<Option<ThreadId>> = Mutex::new(None);
/// Panic messages of other threads, held while the terminal is the TUI's.
static DEFERRED: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// Messages kept at most (a panic in every worker of a 1024-worker run says the same).
const MAX_DEFERRED: usize = 8;
static HOOK: Once = Once::new();

/// What the panic hook does for a panic on thread `me`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnPanic {
    /// The UI thread: restore the terminal, then print the message as usual.
    RestoreThenReport,
    /// Another thread while the TUI runs: keep the message for after the exit.
    Defer,
    /// No TUI running: the usual message.
    Report,
}

/// The decision, apart from the hook so it can be tested.
pub fn on_panic(ui: Option<ThreadId>, me: ThreadId) -> OnPanic {
    match ui {
        Some(ui) if ui == me => OnPanic::RestoreThenReport,
        Some(_) => OnPanic::Defer,
        None => OnPanic::Report,
    }
}

fn ui_thread() -> Option<ThreadId> {
    *UI_THREAD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn set_ui_thread(t: Option<ThreadId>) {
    *UI_THREAD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = t;
}

fn install_hook() {
    HOOK.call_once(|| {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let me = std::thread::current();
            match on_panic(ui_thread(), me.id()) {
                OnPanic::RestoreThenReport => {
                    restore();
                    prev(info);
                }
                OnPanic::Defer => {
                    let name = me.name().unwrap_or("<unnamed>");
                    let mut d = DEFERRED
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    if d.len() < MAX_DEFERRED {
                        d.push(format!("thread '{name}' {info}"));
                    }
                }
                OnPanic::Report => prev(info),
            }
        }));
    });
}

/// Restores the terminal: leaves raw mode, the alternate screen and mouse capture.
fn restore() {
    let _ = disable_raw_mode();
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = out.flush();
}

/// The terminal in the TUI's hands; dropping it gives it back.
pub struct Session(());

impl Session {
    /// Takes the terminal for the calling thread, the UI thread.
    pub fn enter() -> anyhow::Result<Session> {
        install_hook();
        enable_raw_mode().context("cannot switch the terminal to raw mode")?;
        set_ui_thread(Some(std::thread::current().id()));
        let session = Session(());
        execute!(std::io::stdout(), EnterAlternateScreen, EnableMouseCapture)
            .context("cannot enter the alternate screen")?;
        Ok(session)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        restore();
        set_ui_thread(None);
        let held = std::mem::take(
            &mut *DEFERRED
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for m in held {
            eprintln!("{m}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_ui_thread_restores_the_terminal() {
        let ui = std::thread::current().id();
        let other = std::thread::spawn(|| std::thread::current().id())
            .join()
            .unwrap();
        assert_eq!(on_panic(Some(ui), ui), OnPanic::RestoreThenReport);
        assert_eq!(on_panic(Some(ui), other), OnPanic::Defer);
        assert_eq!(on_panic(None, other), OnPanic::Report);
    }
}
