//! `parlab exercise watch ID`: checks the program now and again on every save (the `notify`
//! crate, debounced: an editor's save is several events), printing each verdict. Ctrl-C ends
//! it; a check in progress stops its program first, so nothing is left running.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use notify::Watcher as _;

use super::super::out::out;
use super::check::{CheckArgs, check_once, print};
use crate::engine::CancelToken;
use crate::exercise::Exercise;

/// Quiet time after the last change before checking: one save, one check.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// Runs `parlab exercise watch`: exit 0 when the last check passed.
pub fn watch(a: &CheckArgs, ex: &Exercise) -> anyhow::Result<ExitCode> {
    let file = a.program(ex)?;
    let cancel = CancelToken::new();
    crate::session::cancel_on_signals(&cancel)?;
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        if let Ok(e) = e {
            let _ = tx.send(e);
        }
    })?;
    // The folder, not the file: editors save by writing a new file and renaming it over.
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    watcher.watch(dir, notify::RecursiveMode::NonRecursive)?;
    let name = file.file_name().map(ToOwned::to_owned);
    let mut last_passed = once(a, ex, &cancel)?;
    let mut due: Option<Instant> = None;
    out(&format!("watching {} (Ctrl-C ends)\n", file.display()))?;
    while !cancel.is_cancelled() {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(e) => {
                if e.paths.iter().any(|p| p.file_name() == name.as_deref()) {
                    due = Some(Instant::now() + DEBOUNCE);
                }
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
