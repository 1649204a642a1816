//! `parlab exercise watch ID`: checks the program now and again on every save
//! ([`workspace::watch_saves`], debounced: an editor's save is several events), printing each
//! verdict. Ctrl-C ends
//! it; a check in progress stops its program first, so nothing is left running.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::super::out::out;
use super::check::{CheckArgs, check_once, print};
use crate::engine::CancelToken;
use crate::exercise::Exercise;
use crate::exercise::workspace::{self, DEBOUNCE};

/// Runs `parlab exercise watch`: exit 0 when the last check passed.
pub fn watch(a: &CheckArgs, ex: &Exercise) -> anyhow::Result<ExitCode> {
    let file = a.program(ex)?;
    let cancel = CancelToken::new();
    crate::session::cancel_on_signals(&cancel)?;
    let (tx, rx) = crossbeam_channel::unbounded();
    let _watcher = workspace::watch_saves(&file, move || {
        let _ = tx.send(());
    })?;
    let mut last_passed = once(a, ex, &cancel)?;
    let mut due: Option<Instant> = None;
    out(&format!("watching {} (Ctrl-C ends)\n", file.display()))?;
    while !cancel.is_cancelled() {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(()) => {
                due = Some(Instant::now() + DEBOUNCE);
                continue;
            }
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
        }
        if due.is_some_and(|d| Instant::now() >= d) && file.is_file() {
            due = None;
            last_passed = once(a, ex, &cancel)?;
            out(&format!("watching {} (Ctrl-C ends)\n", file.display()))?;
        }
    }
    Ok(if last_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One check, printed; whether it passed.
fn once(a: &CheckArgs, ex: &Exercise, cancel: &CancelToken) -> anyhow::Result<bool> {
    out("checking...\n")?;
    let v = check_once(a, ex, cancel)?;
    if cancel.is_cancelled() {
        return Ok(false);
    }
    print(&v, a.format)?;
    Ok(v.passed)
}
