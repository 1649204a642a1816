//! The TUI's event loop: the terminal, the input thread, the live run's threads, and one
//! `select!` that merges input, a frame tick, engine events and CPU samples into
//! [`Msg`]s for [`App::update`]. Draws only when something changed, at most ~30 times a
//! second, and hands what the frame measured back to the app as [`Msg::Layout`].
//!
//! Direction: [`crate::app`] (state) ← [`crate::ui`] (views of it) ← this loop (drives both).
//! The terminal is the [`terminal::Session`]'s: restored on every way out, and only then.

mod exercise;
pub mod input;
mod lecture;
pub mod live;
mod notes;
mod sizing;
pub mod terminal;
mod watch;

pub use lecture::run_lecture;
pub use notes::run_notes;
pub use watch::run_watch;

use std::io::IsTerminal as _;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use crossbeam_channel::{Receiver, never, select, tick};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::{App, Effect, Msg, ThemeKind};
use crate::event::Event;
use crate::lesson::LessonSet;
use crate::machine::Machine;
use crate::progress::Progress;
use input::{quit_on_signals, start_input};
use live::{LiveRun, QUIT_WAIT};

/// Frame period: at most ~30 frames a second.
const FRAME: Duration = Duration::from_millis(33);

type Term = Terminal<CrosstermBackend<std::io::Stdout>>;

/// Opens the lesson browser on `lessons` (and `exercises` beside them) and runs until the
/// user quits.
pub fn run_tui(
    lessons: LessonSet,
    exercises: crate::exercise::ExerciseSet,
    present: bool,
) -> anyhow::Result<ExitCode> {
    ensure_terminal()?;
    let path = Progress::default_path();
    let (progress, warning) = path.as_deref().map(Progress::load).unwrap_or_default();
    let mut app = App::new(lessons, progress, Machine::this(), ThemeKind::from_env());
    app.exercises = exercises;
    // A corrupt progress file was set aside: said once in the footer, never fatal.
    app.status = warning.map(|text| crate::app::Status::new(text, true));
    app.present = present;
    app.python3 = crate::observe::child::can_start("python3");
    let (runs, py_warning) = crate::lesson::pyrun::load_kept();
    app.python_runs = runs;
    if let (None, Some(text)) = (&app.status, py_warning) {
        app.status = Some(crate::app::Status::new(text, true));
    }
    run_app(app, path.as_deref(), None).map(|(code, _)| code)
}

/// Plays the trace `file` (written by `parlab run --trace`) in the dashboard.
pub fn run_replay(file: &Path, present: bool) -> anyhow::Result<ExitCode> {
    // The file first: a bad trace is one line on a terminal left as it was.
    let rec = crate::report::chrome::read(file)?;
    ensure_terminal()?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut app = App::for_replay(&rec, &name, Machine::this(), ThemeKind::from_env());
    app.present = present;
    run_app(app, None, None).map(|(code, _)| code)
}

fn ensure_terminal() -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the dashboard needs a terminal (stdin and stdout); use `parlab run` for headless output"
        );
    }
    Ok(())
}

/// Runs the loop on `app` (with `live` already started, for `parlab watch`); returns the exit
/// code and the app as it ended.
fn run_app(
    app: App,
    save_to: Option<&Path>,
    live: Option<LiveRun>,
) -> anyhow::Result<(ExitCode, App)> {
    run_loop(app, save_to, live, None)
}

/// [`run_app`], telling `beacon` (a presented lecture's notes link) each step shown.
fn run_loop(
    mut app: App,
    save_to: Option<&Path>,
    live: Option<LiveRun>,
    beacon: Option<crate::lecture::link::Beacon>,
) -> anyhow::Result<(ExitCode, App)> {
    let quit_signal = quit_on_signals()?;
    let session = terminal::Session::enter()?;
    // Asked before the input thread starts, so the terminal's answer is not read as keys.
    if app.lecture.is_some() {
        app.text_sizing = sizing::detect();
    }
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))
        .context("cannot open the terminal")?;
    terminal.clear()?;
    let stop_input = Arc::new(AtomicBool::new(false));
    let (input, input_thread) = start_input(Arc::clone(&stop_input))?;
    let mut lp = Loop {
        last_saved: app.progress.clone(),
        app,
        save_to,
        live,
        input,
        last_tick: Instant::now(),
        beacon,
        sized: None,
        exercise: exercise::ExerciseWork::new(),
    };
    let result = lp.run(&mut terminal, &quit_signal);
    if let Some(mut l) = lp.live.take() {
        l.stop_within(QUIT_WAIT);
    }
    lp.exercise.stop_check(std::time::Duration::from_secs(2));
    // The input thread ends within 50 ms when the terminal is alive. It is not joined: on a
    // hung-up terminal crossterm's read can spin without returning, and process exit ends it.
    stop_input.store(true, Ordering::Relaxed);
    drop(input_thread);
    drop(terminal);
    drop(session);
    result.map(|code| (code, lp.app))
}

/// The loop's state besides the app.
struct Loop<'a> {
    app: App,
    save_to: Option<&'a Path>,
    last_saved: Progress,
    live: Option<LiveRun>,
    input: Receiver<Msg>,
    last_tick: Instant,
    beacon: Option<crate::lecture::link::Beacon>,
    /// The sized heading last written, and the terminal size it was written at.
    sized: Option<(String, ratatui::layout::Size)>,
    /// The exercise screen's check and watch.
    exercise: exercise::ExerciseWork,
}

/// What one turn of the loop produced.
enum Turn {
    Msg(Msg),
    Nothing,
    Exit(ExitCode),
}

impl Loop<'_> {
    fn run(&mut self, term: &mut Term, quit_signal: &AtomicBool) -> anyhow::Result<ExitCode> {
        let ticker = tick(FRAME);
        loop {
            if quit_signal.load(Ordering::Relaxed) {
                return Ok(ExitCode::from(130));
            }
            let msg = match self.next(&ticker, term)? {
                Turn::Exit(code) => return Ok(code),
                Turn::Nothing => continue,
                Turn::Msg(m) => m,
            };
            if let Some(code) = self.handle(msg) {
                return Ok(code);
            }
            self.save();
            self.tell_notes();
        }
    }

    /// Waits for the next input, tick, engine event or sample.
    fn next(&mut self, ticker: &Receiver<Instant>, term: &mut Term) -> anyhow::Result<Turn> {
        let (ev_rx, s_rx) = match &self.live {
            Some(l) => (l.events.clone(), l.samples.clone()),
            None => (never(), never()),
        };
        let ex_rx = self.exercise.rx.clone();
        Ok(select! {
            recv(ex_rx) -> m => match m {
                Ok(m) => Turn::Msg(m),
                Err(_) => Turn::Nothing,
            },
            recv(self.input) -> m => match m {
                Ok(m) => Turn::Msg(m),
                Err(_) => Turn::Exit(ExitCode::SUCCESS),
            },
            recv(ticker) -> _ => {
                self.draw(term)?;
                let now = Instant::now();
                let dt = now.duration_since(self.last_tick);
                self.last_tick = now;
                Turn::Msg(Msg::Tick { now_ns: crate::trace::now_ns(), dt_ns: dt.as_nanos() as u64 })
            },
            recv(ev_rx) -> e => match e {
                Ok(e) => Turn::Msg(Msg::Engine(e)),
                Err(_) => self.runner_ended(),
            },
            recv(s_rx) -> s => match s {
                Ok(s) => Turn::Msg(Msg::Sample(s)),
                Err(_) => {
                    // The sampler stopped (or never started): stop listening to it.
                    if let Some(l) = self.live.as_mut() {
                        l.samples = never();
                    }
                    Turn::Nothing
                }
            },
        })
    }

    /// Draws when something changed and tells the app what the frame measured.
    fn draw(&mut self, term: &mut Term) -> anyhow::Result<()> {
        if !self.app.dirty {
            return Ok(());
        }
        let mut geometry = crate::app::Geometry::default();
        term.draw(|f| geometry = crate::ui::draw(&self.app, f))?;
        let size = term.size()?;
        let heading = crate::ui::present::lecture::sized_heading(&self.app, size);
        // Written again only when it changed (or the terminal did): no flicker while running.
        if let Some(seq) = &heading
            && self.sized != Some((seq.clone(), size))
        {
            use std::io::Write as _;
            let out = term.backend_mut();
            out.write_all(seq.as_bytes())?;
            out.flush()?;
        }
        self.sized = heading.map(|h| (h, size));
        self.app.dirty = false;
        self.app.update(Msg::Layout(geometry));
        Ok(())
    }

    /// The runner dropped its sender: it finished (a report was sent) or died.
    fn runner_ended(&mut self) -> Turn {
        let Some(mut l) = self.live.take() else {
            return Turn::Nothing;
        };
        let panicked = l.runner.take().is_some_and(|h| h.join().is_err());
        l.stop_sampler();
        // The thread has ended: a lesson's Python run it summed up is waiting.
        while let Ok(run) = l.python.try_recv() {
            self.app.python_ran(run);
        }
        if self.app.sweeping() {
            Turn::Msg(Msg::SweepEnded)
        } else if panicked {
            Turn::Msg(Msg::RunnerGone("the runner thread panicked".into()))
        } else if self.app.running() {
            // Only a watched program that could not start ends without its report.
            Turn::Msg(Msg::RunnerGone("the program could not start".into()))
        } else {
            Turn::Nothing
        }
    }

    /// Updates the app and carries out its effect; `Some` exit code to leave.
    fn handle(&mut self, msg: Msg) -> Option<ExitCode> {
        let finished = matches!(msg, Msg::Engine(Event::Finished(_)));
        match self.app.update(msg) {
            Effect::None => {}
            Effect::Quit => return Some(ExitCode::SUCCESS),
            Effect::Cancel => {
                if let Some(l) = &self.live {
                    l.cancel.cancel();
                }
            }
            Effect::Keep { run, entry } => {
                let kept = keep(&self.app, run, entry);
                self.app.update(Msg::Kept(kept));
            }
            Effect::StartSweep { req, counts } => match LiveRun::start_sweep(req, counts) {
                Ok(l) => self.live = Some(l),
                Err(e) => {
                    self.app.update(Msg::RunnerGone(format!("{e:#}")));
                    self.app.update(Msg::SweepEnded);
                }
            },
            Effect::LoadRuns => {
                let (runs, warning) = match crate::runstore::dir() {
                    Some(d) => crate::runstore::load(&d),
                    None => (
                        Vec::new(),
                        Some("no home directory: runs are not kept".into()),
                    ),
                };
                self.app.update(Msg::RunsLoaded { runs, warning });
            }
            Effect::OpenRun { run } => {
                let rec = match crate::runstore::dir() {
                    Some(d) => crate::runstore::open(&d, &run).map(Box::new),
                    None => Err("no home directory: runs are not kept".into()),
                };
                self.app.update(Msg::RunOpened {
                    run: Box::new(run),
                    rec,
                });
            }
            Effect::Watch { opts, python } => match watch::start(opts, python) {
                Ok(l) => self.live = Some(l),
                Err(e) => {
                    self.app.update(Msg::RunnerGone(format!("{e:#}")));
                }
            },
            Effect::Exercise(op) => self.exercise.run(op, &self.app.exercises),
            Effect::Start { req } => match LiveRun::start(req) {
                Ok(l) => self.live = Some(l),
                Err(e) => {
                    self.app.update(Msg::RunnerGone(format!("{e:#}")));
                }
            },
        }
        if finished && let Some(l) = self.live.as_mut() {
            l.stop_sampler();
        }
        None
    }

    /// Tells the notes terminals the step on screen (the beacon sends only changes on).
    fn tell_notes(&mut self) {
        if let (Some(b), Some(l)) = (&self.beacon, &self.app.lecture) {
            b.set_step(l.at, l.deck.steps.len());
        }
    }

    /// Writes what the browser remembers when it changed, on top of what another parlab
    /// (`parlab exercise check` in another terminal) wrote meanwhile ([`Progress::rebase`]).
    fn save(&mut self) {
        if self.app.progress != self.last_saved {
            if let Some(p) = self.save_to {
                // A file gone corrupt meanwhile was set aside by the load: this copy wins.
                let disk = match Progress::load(p) {
                    (d, None) => d,
                    (_, Some(_)) => self.last_saved.clone(),
                };
                self.app.progress = self.app.progress.rebase(&self.last_saved, disk);
                // Losing the remembered lesson is not worth interrupting a student for.
                let _ = self.app.progress.store(p);
            }
            self.last_saved = self.app.progress.clone();
        }
    }
}

/// Writes finished run `run` to the kept runs, stamped now.
fn keep(
    app: &App,
    run: usize,
    mut entry: crate::runstore::StoredRun,
) -> Result<Box<crate::runstore::StoredRun>, String> {
    let dir = crate::runstore::dir().ok_or("no home directory to keep it in")?;
    let rv = app.runs.get(run).ok_or("it is gone")?;
    entry.time_unix = crate::runstore::when::now_unix();
    crate::runstore::save(&dir, entry, &rv.rec)
        .map(Box::new)
        .map_err(|e| format!("{e:#}"))
}
