//! The notes side: connects to the presenter on 127.0.0.1, passes on what it hears, and
//! reconnects (reading the port file again) whenever the presenter goes away or is not there
//! yet. Runs on its own thread until told to stop.

use std::io::Read as _;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossbeam_channel::Sender;

use super::{Lines, Message};

/// How long a connection attempt may take on loopback.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
/// How often a blocked read looks at the stop flag.
const READ_POLL: Duration = Duration::from_millis(200);
/// Pause between attempts while no presenter answers.
const RETRY: Duration = Duration::from_millis(300);
/// Bytes of the port file read at most (it holds one number).
const MAX_PORT_FILE: u64 = 32;

/// What the notes side heard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    /// Connected to a presenter on this port.
    Connected(u16),
    /// A message from it.
    Said(Message),
    /// The connection ended (the presenter quit or restarted); reconnecting.
    Lost,
}

/// Where to connect: `--port`, else the port the presenter wrote to `port_file`.
fn target(port: Option<u16>, port_file: Option<&PathBuf>) -> Option<u16> {
    port.or_else(|| {
        let f = std::fs::File::open(port_file?).ok()?;
        let mut s = String::new();
        f.take(MAX_PORT_FILE).read_to_string(&mut s).ok()?;
        s.trim().parse().ok().filter(|p| *p != 0)
    })
}

/// Follows the presenter until `stop` is set, sending what it hears to `tx` (ending early when
/// nobody receives any more).
pub fn follow(
    port: Option<u16>,
    port_file: Option<PathBuf>,
    tx: Sender<Heard>,
    stop: Arc<AtomicBool>,
) {
    while !stop.load(Ordering::Relaxed) {
        let Some(p) = target(port, port_file.as_ref()) else {
            std::thread::sleep(RETRY);
            continue;
        };
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, p));
        let Ok(s) = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) else {
            std::thread::sleep(RETRY);
            continue;
        };
        if s.set_read_timeout(Some(READ_POLL)).is_err() || tx.send(Heard::Connected(p)).is_err() {
            return;
        }
        if !read_until_closed(s, &tx, &stop) {
            return;
        }
        if tx.send(Heard::Lost).is_err() {
            return;
        }
        std::thread::sleep(RETRY);
    }
}

/// Passes on the messages of one connection; false when the receiver is gone.
fn read_until_closed(s: TcpStream, tx: &Sender<Heard>, stop: &AtomicBool) -> bool {
    let mut lines = Lines::new(s);
    while !stop.load(Ordering::Relaxed) {
        match lines.next_line() {
            Ok(Some(line)) => {
                if let Some(m) = Message::parse(&line)
                    && tx.send(Heard::Said(m)).is_err()
                {
                    return false;
                }
            }
            Ok(None) => return true,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_comes_from_the_flag_else_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("lecture.port");
        assert_eq!(target(Some(7), Some(&f)), Some(7));
        assert_eq!(target(None, Some(&f)), None);
        std::fs::write(&f, "41234\n").unwrap();
        assert_eq!(target(None, Some(&f)), Some(41234));
        std::fs::write(&f, "x".repeat(1000)).unwrap();
        assert_eq!(target(None, Some(&f)), None);
    }
}
