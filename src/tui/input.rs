//! What reaches the loop from outside: terminal input (its own thread, so the loop can
//! `select!` on it) and the quit signals.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context as _;
use crossbeam_channel::{Receiver, unbounded};
use crossterm::event as cev;

use crate::app::Msg;

/// The quit signals ([`crate::platform::QUIT_SIGNALS`]: SIGTERM, SIGINT, and SIGHUP where
/// there is one) set one flag the loop checks every tick.
pub fn quit_on_signals() -> anyhow::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    for &sig in crate::platform::QUIT_SIGNALS {
        signal_hook::flag::register(sig, Arc::clone(&flag))
            .context("cannot install a signal handler")?;
    }
    Ok(flag)
}

/// The input thread: terminal events become messages until `stop` is set.
pub fn start_input(stop: Arc<AtomicBool>) -> anyhow::Result<(Receiver<Msg>, JoinHandle<()>)> {
    let (tx, rx) = unbounded::<Msg>();
    let h = std::thread::Builder::new()
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
                if tx.send(msg).is_err() {
                    break;
                }
            }
        })
        .context("cannot start the input thread")?;
    Ok((rx, h))
}
