//! `parlab watch` on the dashboard, and starting a watch the app asked for (the reader's `w`):
//! the file a lesson's Python program is written to, and the check that `python3` exists.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use super::live::LiveRun;
use super::{ensure_terminal, run_app};
use crate::app::{App, ThemeKind};
use crate::lesson::LessonSet;
use crate::machine::Machine;
use crate::observe::WatchOptions;
use crate::progress::Progress;

/// Watches `opts.cmd` on the dashboard until the user quits; writes the trace to `trace`
/// when given.
pub fn run_watch(opts: WatchOptions, trace: Option<&Path>) -> anyhow::Result<ExitCode> {
    ensure_terminal()?;
    let mut app = App::new(
        LessonSet::default(),
        Progress::default(),
        Machine::this(),
        ThemeKind::from_env(),
    );
    let label = crate::observe::report::short_command(&opts.cmd);
    let title = format!("watching {label}");
    app.begin_watch(&title, &label);
    app.rerun = Some(crate::app::watch::Rerun {
        title,
        label,
        opts: opts.clone(),
        python: None,
    });
    app.dash.replay_only = true;
    let live = LiveRun::watch(opts, None)?;
    let (code, app) = run_app(app, None, Some(live))?;
    // The latest watch (`r` watches the program again).
    if let (Some(p), Some(run)) = (trace, app.runs.last()) {
        crate::report::chrome::write(&run.rec, p)?;
        eprintln!(
            "trace written to {} ({} spans)",
            p.display(),
            run.rec.store.len()
        );
    }
    Ok(code)
}

/// Starts the watch the app asked for; a lesson's Python program is first written to a file
/// of its own in the temporary directory (rewritten on every watch, never piling up).
pub fn start(mut opts: WatchOptions, python: Option<(String, String)>) -> anyhow::Result<LiveRun> {
    let lesson = python.as_ref().map(|(id, _)| id.clone());
    if let Some((id, code)) = python {
        if !crate::observe::child::can_start("python3") {
            anyhow::bail!("python3 is not installed, so the lesson's Python cannot run here");
        }
        let file = python_file(&id)?;
        std::fs::write(&file, code).with_context(|| format!("cannot write {}", file.display()))?;
        opts.cmd = vec![crate::observe::child::python3(), file.display().to_string()];
    }
    LiveRun::watch(opts, lesson)
}

fn python_file(lesson: &str) -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join("parlab-python");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let safe: String = lesson
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(dir.join(format!("{safe}.py")))
}
