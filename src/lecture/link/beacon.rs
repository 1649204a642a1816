//! The presenter's side: a listener on 127.0.0.1 (never another address) that tells every
//! connected notes terminal when the lecture started and which step is on screen. It only
//! writes: nothing a client sends is read.

use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context as _;

use super::{Message, PORT_FILE};

/// How long one write to a notes terminal may block before that terminal is dropped (it
/// reconnects): a stalled reader never slows the presenter.
const WRITE_TIMEOUT: Duration = Duration::from_millis(200);
/// How often the accept loop looks at its stop flag.
const ACCEPT_POLL: Duration = Duration::from_millis(50);

/// What every client is told: the start line and the current step line.
struct Shared {
    clients: Vec<TcpStream>,
    started: Message,
    step: Option<Message>,
}

/// The listening presenter. Dropping it stops listening and removes the port file it wrote.
pub struct Beacon {
    port: u16,
    shared: Arc<Mutex<Shared>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    port_file: Option<PathBuf>,
}

fn lock(m: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes `lines` to `s`; false when the client is gone or stalled.
fn send(s: &mut TcpStream, lines: &[Option<Message>]) -> bool {
    let text: String = lines.iter().flatten().map(|m| m.line()).collect();
    s.write_all(text.as_bytes())
        .and_then(|()| s.flush())
        .is_ok()
}

impl Beacon {
    /// Listens on 127.0.0.1:`port` (any free port when `None`) and writes the port to
    /// `port_file` when given. `started_ms`: the lecture's start, ms since the Unix epoch.
    pub fn listen(
        port: Option<u16>,
        port_file: Option<PathBuf>,
        started_ms: u64,
    ) -> anyhow::Result<Beacon> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port.unwrap_or(0)))
            .with_context(|| format!("cannot listen on 127.0.0.1:{}", port.unwrap_or(0)))?;
        let port = listener.local_addr().context("no local address")?.port();
        listener
            .set_nonblocking(true)
            .context("cannot make the listener non-blocking")?;
        if let Some(f) = &port_file {
            crate::datadir::write_atomic(f, format!("{port}\n").as_bytes())?;
        }
        let shared = Arc::new(Mutex::new(Shared {
            clients: Vec::new(),
            started: Message::Started(started_ms),
            step: None,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("lecture-link".into())
                .spawn(move || accept_loop(&listener, &shared, &stop))
                .context("cannot start the notes listener")?
        };
        Ok(Beacon {
            port,
            shared,
            stop,
            thread: Some(thread),
            port_file,
        })
    }

    /// The default port file in the data directory.
    pub fn default_port_file() -> Option<PathBuf> {
        crate::datadir::data_file(PORT_FILE)
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Tells every notes terminal that step `at` of `count` is on screen (when it changed).
    pub fn set_step(&self, at: usize, count: usize) {
        let mut sh = lock(&self.shared);
        let step = Some(Message::Step { at, count });
        if sh.step == step {
            return;
        }
        sh.step = step;
        sh.clients.retain_mut(|c| send(c, &[step]));
    }
}

fn accept_loop(listener: &TcpListener, shared: &Mutex<Shared>, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((mut s, _)) => {
                let ok = s.set_nonblocking(false).is_ok()
                    && s.set_write_timeout(Some(WRITE_TIMEOUT)).is_ok();
                let _ = s.set_nodelay(true);
                let mut sh = lock(shared);
                if ok && send(&mut s, &[Some(sh.started), sh.step]) {
                    sh.clients.push(s);
                }
            }
            Err(_) => std::thread::sleep(ACCEPT_POLL),
        }
    }
}

impl Drop for Beacon {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        // Remove the port file only while it still names this presenter's port.
        if let Some(f) = &self.port_file
            && std::fs::read_to_string(f).is_ok_and(|s| s.trim() == self.port.to_string())
        {
            let _ = std::fs::remove_file(f);
        }
    }
}
