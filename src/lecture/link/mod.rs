//! The link between the presenting terminal and the notes terminal: a plain line protocol
//! over TCP on 127.0.0.1 only. The presenter ([`Beacon`]) listens and sends, on every
//! connection and on every change, which step is on screen and when the lecture started; the
//! notes side ([`follow`]) connects, reads, and reconnects whenever the presenter goes away
//! (a restarted presenter may listen on another port: the port file is read again).
//!
//! Lines, each ending in `\n`, at most [`MAX_LINE`] bytes:
//! `started UNIX_MS` (when the lecture started) and `step INDEX COUNT` (0-based index).
//! Whatever else arrives is ignored: a longer line is dropped whole, unknown or malformed
//! lines are skipped, so anything that happens to answer on the port cannot upset the notes.

mod beacon;
mod follow;

use std::io::Read;

pub use beacon::Beacon;
pub use follow::{Heard, follow};

/// The file in the data directory holding the presenter's port (`parlab present --notes`
/// reads it when no `--port` is given).
pub const PORT_FILE: &str = "lecture.port";

/// Longest line either side accepts, in bytes (the protocol's lines are under 40).
pub const MAX_LINE: usize = 128;

/// Wall time now, ms since the Unix epoch (0 before 1970): the lecture's start and clock.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// One message of the protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message {
    /// The lecture started at this wall time (ms since the Unix epoch).
    Started(u64),
    /// Step `at` (0-based) of `count` is on screen.
    Step {
        /// Index of the step on screen.
        at: usize,
        /// Steps in the lecture.
        count: usize,
    },
}

impl Message {
    /// The message as one line, with its newline.
    pub fn line(self) -> String {
        match self {
            Message::Started(ms) => format!("started {ms}\n"),
            Message::Step { at, count } => format!("step {at} {count}\n"),
        }
    }

    /// Parses one line (without its newline); `None` for anything that is not a message.
    pub fn parse(line: &str) -> Option<Message> {
        let mut words = line.split_ascii_whitespace();
        let m = match (words.next()?, words.next(), words.next()) {
            ("started", Some(ms), None) => Message::Started(ms.parse().ok()?),
            ("step", Some(at), Some(count)) => {
                let (at, count): (usize, usize) = (at.parse().ok()?, count.parse().ok()?);
                if at >= count {
                    return None;
                }
                Message::Step { at, count }
            }
            _ => return None,
        };
        words.next().is_none().then_some(m)
    }
}

/// Reads lines of at most [`MAX_LINE`] bytes from `r`, dropping longer ones whole and lines
/// that are not UTF-8; memory stays bounded whatever arrives.
pub struct Lines<R> {
    r: R,
    buf: Vec<u8>,
    /// Inside a line that grew too long: skip to its end.
    skipping: bool,
    /// Bytes read but not yet split into lines.
    pending: std::collections::VecDeque<u8>,
}

impl<R: Read> Lines<R> {
    /// Lines of `r`.
    pub fn new(r: R) -> Self {
        Lines {
            r,
            buf: Vec::with_capacity(MAX_LINE),
            skipping: false,
            pending: std::collections::VecDeque::new(),
        }
    }

    /// The next acceptable line; `Ok(None)` at the end of the stream; a read error (a
    /// timeout included) as is, with the partial line kept for the next call.
    pub fn next_line(&mut self) -> std::io::Result<Option<String>> {
        loop {
            while let Some(b) = self.pending.pop_front() {
                if b == b'\n' {
                    let line = std::mem::take(&mut self.buf);
                    let skipped = std::mem::replace(&mut self.skipping, false);
                    if let (false, Ok(s)) = (skipped, String::from_utf8(line)) {
                        return Ok(Some(s.trim_end_matches('\r').to_string()));
                    }
                } else if !self.skipping {
                    if self.buf.len() == MAX_LINE {
                        self.buf.clear();
                        self.skipping = true;
                    } else {
                        self.buf.push(b);
                    }
                }
            }
            let mut chunk = [0u8; 512];
            let n = self.r.read(&mut chunk)?;
            if n == 0 {
                return Ok(None);
            }
            self.pending.extend(&chunk[..n]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_garbage_is_none() {
        for m in [
            Message::Started(1_764_550_000_123),
            Message::Step { at: 2, count: 7 },
        ] {
            assert_eq!(Message::parse(m.line().trim_end()), Some(m));
        }
        for bad in [
            "",
            "step",
            "step 7 7",
            "step -1 3",
            "step 1 2 3",
            "started x",
            "hello",
        ] {
            assert_eq!(Message::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn long_lines_are_dropped_whole_and_bad_bytes_skipped() {
        let long = "x".repeat(MAX_LINE + 1);
        let input = format!("step 1 3\n{long}\n\u{0}\u{ff}\nstep 2 3\r\n");
        let mut bytes = input.into_bytes();
        bytes.extend_from_slice(b"\xff\xfe\nstep 0 3\nunfinished");
        let mut l = Lines::new(&bytes[..]);
        let mut got = Vec::new();
        while let Some(line) = l.next_line().unwrap() {
            got.push(line);
        }
        assert_eq!(got[0], "step 1 3");
        assert!(got.iter().all(|g| g.len() <= MAX_LINE));
        let msgs: Vec<_> = got.iter().filter_map(|g| Message::parse(g)).collect();
        assert_eq!(msgs.len(), 3, "{got:?}");
        assert_eq!(msgs[2], Message::Step { at: 0, count: 3 });
    }
}
