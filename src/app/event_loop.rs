//! The event loop: the terminal, the input thread, the live run's threads, and one
//! `select!` that merges input, a frame tick, engine events and CPU samples into
//! [`Msg`]s for [`App::update`]. Draws only when something changed, at most ~30 times a
//! second.
//!
//! Terminal hygiene: raw mode, the alternate screen and mouse capture are undone on normal
//! exit, on error (a guard's `Drop`), on panic (a hook), on Ctrl-C (a key in raw mode) and on
//! SIGTERM / SIGINT / SIGHUP (flags checked every tick; a live run is cancelled first).

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use crossbeam_channel::{Receiver, never, select, tick, unbounded};
use crossterm::event::{self as cev, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::saved::Saved;
use super::{App, Effect, Msg};
use crate::engine::{CancelToken, RunRequest, Runner};
use crate::event::Event;
use crate::lesson::LessonSet;
use crate::machine::Machine;
use crate::sampler::{Sample, Sampler};
use crate::ui::theme::ThemeKind;

/// Frame period: at most ~30 frames a second.
const FRAME: Duration = Duration::from_millis(33);

/// Opens the lesson browser on `lessons` and runs until the user quits.
pub fn run_tui(lessons: LessonSet) -> anyhow::Result<ExitCode> {
    ensure_terminal()?;
    let path = Saved::default_path();
    let saved = path.as_deref().map(Saved::load).unwrap_or_default();
    let app = App::new(lessons, saved, Machine::this(), ThemeKind::from_env());
    run_app(app, path.as_deref())
}

/// Plays the trace `file` (written by `parlab run --trace`) in the dashboard.
pub fn run_replay(file: &Path) -> anyhow::Result<ExitCode> {
    // The file first: a bad trace is one line on a terminal left as it was.
    let rec = crate::report::chrome::read(file)?;
    ensure_terminal()?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let app = App::for_replay(&rec, &name, Machine::this(), ThemeKind::from_env());
    run_app(app, None)
}

fn ensure_terminal() -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the dashboard needs a terminal (stdin and stdout); use `parlab run` for headless output"
        );
    }
    Ok(())
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

/// Restores the terminal when dropped, whatever the way out.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// The threads of a live run.
struct LiveRun {
    cancel: CancelToken,
    events: Receiver<Event>,
    samples: Receiver<Sample>,
    runner: Option<JoinHandle<()>>,
    sampler: Option<Sampler>,
}

impl LiveRun {
    fn start(req: RunRequest) -> anyhow::Result<LiveRun> {
        let cancel = CancelToken::new();
        let (tx, rx) = unbounded::<Event>();
        let (stx, srx) = unbounded::<Sample>();
        let sampler = Sampler::start(stx).ok();
        let c = cancel.clone();
        let runner = std::thread::Builder::new()
            .name("parlab-runner".into())
            .spawn(move || {
                let _ = Runner::new(Some(tx), c).run(&req);
            })
            .context("cannot start the runner thread")?;
        Ok(LiveRun {
            cancel,
            events: rx,
            samples: srx,
            runner: Some(runner),
            sampler,
        })
    }

    /// Cancels, waits for the runner (demos stop within 200 ms) and stops the sampler.
    fn stop(&mut self) {
        self.cancel.cancel();
        if let Some(h) = self.runner.take() {
            let _ = h.join();
        }
        if let Some(mut s) = self.sampler.take() {
            s.stop();
        }
    }
}

fn run_app(mut app: App, save_to: Option<&Path>) -> anyhow::Result<ExitCode> {
    let quit_signal = Arc::new(AtomicBool::new(false));
    for &sig in crate::platform::QUIT_SIGNALS {
        signal_hook::flag::register(sig, Arc::clone(&quit_signal))
            .context("cannot install a signal handler")?;
    }
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        prev(info);
    }));

    enable_raw_mode().context("cannot switch the terminal to raw mode")?;
    let _guard = Guard;
    execute!(std::io::stdout(), EnterAlternateScreen, EnableMouseCapture)
        .context("cannot enter the alternate screen")?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))
        .context("cannot open the terminal")?;
    terminal.clear()?;

    let stop_input = Arc::new(AtomicBool::new(false));
    let (in_tx, in_rx) = unbounded::<Msg>();
    let stop = Arc::clone(&stop_input);
    let input = std::thread::Builder::new()
        .name("parlab-input".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match cev::poll(Duration::from_millis(50)) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(_) => break,
                }
                let msg = match cev::read() {
                    Ok(cev::Event::Key(k)) => Msg::Key(k),
                    Ok(cev::Event::Mouse(m)) => Msg::Mouse(m),
                    Ok(cev::Event::Resize(..)) => Msg::Resize,
                    Ok(_) => continue,
                    Err(_) => break,
                };
                if in_tx.send(msg).is_err() {
                    break;
                }
            }
        })
        .context("cannot start the input thread")?;

    let ticker = tick(FRAME);
    let mut live: Option<LiveRun> = None;
    let mut last_tick = Instant::now();
    let mut last_saved = app.saved.clone();
    let result = loop {
        if quit_signal.load(Ordering::Relaxed) {
            break Ok(ExitCode::from(130));
        }
        let (ev_rx, s_rx) = match &live {
            Some(l) => (l.events.clone(), l.samples.clone()),
            None => (never(), never()),
        };
        let msg = select! {
            recv(in_rx) -> m => match m {
                Ok(m) => Some(m),
                Err(_) => break Ok(ExitCode::SUCCESS),
            },
            recv(ticker) -> _ => {
                let now = Instant::now();
                let dt = now.duration_since(last_tick);
                last_tick = now;
                if app.dirty {
                    terminal.draw(|f| crate::ui::render(&app, f))?;
                    app.dirty = false;
                }
                Some(Msg::Tick { now_ns: crate::trace::now_ns(), dt_ns: dt.as_nanos() as u64 })
            },
            recv(ev_rx) -> e => match e {
                Ok(e) => Some(Msg::Engine(e)),
                Err(_) => {
                    // The runner dropped its sender: it finished (a report was sent) or died.
                    if let Some(mut l) = live.take() {
                        let panicked = l.runner.take().is_some_and(|h| h.join().is_err());
                        l.stop();
                        if panicked {
                            Some(Msg::RunnerGone("the runner thread panicked".into()))
                        } else {
                            None
                        }
                    } else {
                        None
                    }
                }
            },
            recv(s_rx) -> s => match s {
                Ok(s) => Some(Msg::Sample(s)),
                Err(_) => {
                    // The sampler stopped (or never started): stop listening to it.
                    if let Some(l) = live.as_mut() {
                        l.samples = never();
                    }
                    None
                }
            },
        };
        let Some(msg) = msg else { continue };
        let finished = matches!(msg, Msg::Engine(Event::Finished(_)));
        match app.update(msg) {
            Effect::None => {}
            Effect::Quit => break Ok(ExitCode::SUCCESS),
            Effect::Cancel => {
                if let Some(l) = &live {
                    l.cancel.cancel();
                }
            }
            Effect::Start { req } => match LiveRun::start(req) {
                Ok(l) => live = Some(l),
                Err(e) => {
                    app.update(Msg::RunnerGone(format!("{e:#}")));
                }
            },
        }
        if finished && let Some(s) = live.as_mut().and_then(|l| l.sampler.as_mut()) {
            s.stop();
        }
        if app.saved != last_saved {
            if let Some(p) = save_to {
                // Losing the remembered lesson is not worth interrupting a student for.
                let _ = app.saved.store(p);
            }
            last_saved = app.saved.clone();
        }
    };
    if let Some(mut l) = live.take() {
        l.stop();
    }
    // The input thread ends within 50 ms when the terminal is alive. It is not joined: on a
    // hung-up terminal crossterm's read can spin without returning, and process exit ends it.
    stop_input.store(true, Ordering::Relaxed);
    drop(input);
    drop(terminal);
    result
}
