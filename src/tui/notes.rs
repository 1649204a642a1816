//! `parlab present FILE --notes`: the speaker's screen in a second terminal. A thread follows
//! the presenter over the loopback link; this loop redraws on what it hears, on keys and
//! every second for the clock.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use crossbeam_channel::{select, tick, unbounded};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::Msg;
use crate::app::keys::Hit;
use crate::app::lecture_keys::{NOTES_KEYS, NotesAction};
use crate::lecture::Deck;
use crate::lecture::link::{Beacon, follow, now_ms};
use crate::lecture::notes::Notes;
use crate::ui::theme::Theme;

use super::input::{quit_on_signals, start_input};

/// Shows `deck`'s notes, following the presenter on `port` (else the port file), until quit.
pub fn run_notes(deck: &Deck, port: Option<u16>) -> anyhow::Result<ExitCode> {
    super::ensure_terminal()?;
    let mut notes = Notes::new(deck);
    let quit_signal = quit_on_signals()?;
    let (tx, heard) = unbounded();
    let stop = Arc::new(AtomicBool::new(false));
    let follower = {
        let stop = Arc::clone(&stop);
        let file = Beacon::default_port_file();
        std::thread::Builder::new()
            .name("lecture-notes".into())
            .spawn(move || follow(port, file, tx, stop))
            .context("cannot start the notes link")?
    };
    let session = super::terminal::Session::enter()?;
    let mut term = Terminal::new(CrosstermBackend::new(std::io::stdout()))
        .context("cannot open the terminal")?;
    term.clear()?;
    let stop_input = Arc::new(AtomicBool::new(false));
    let (input, input_thread) = start_input(Arc::clone(&stop_input))?;
    let theme = Theme::new(crate::app::ThemeKind::from_env());
    let clock = tick(Duration::from_millis(250));
    let result = loop {
        if quit_signal.load(Ordering::Relaxed) {
            break Ok(ExitCode::from(130));
        }
        if let Err(e) = term.draw(|f| crate::ui::present::notes::draw(&notes, now_ms(), &theme, f))
        {
            break Err(anyhow::Error::from(e));
        }
        select! {
            recv(input) -> m => match m {
                Ok(Msg::Key(k)) if k.kind != crossterm::event::KeyEventKind::Release => {
                    if let Some(Hit::Own(NotesAction::Quit) | Hit::Global(_)) = NOTES_KEYS.find(&k) {
                        break Ok(ExitCode::SUCCESS);
                    }
                }
                Ok(_) => {}
                Err(_) => break Ok(ExitCode::SUCCESS),
            },
            recv(heard) -> h => {
                if let Ok(h) = h {
                    notes.hear(h);
                }
            },
            recv(clock) -> _ => {},
        }
    };
    stop.store(true, Ordering::Relaxed);
    stop_input.store(true, Ordering::Relaxed);
    drop(input_thread);
    drop(term);
    drop(session);
    // The follower notices the stop flag within its read poll.
    let _ = follower.join();
    result
}
