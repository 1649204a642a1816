//! Live side-channels a demo may use besides spans: named series and per-worker log lines.

use crossbeam_channel::Sender;

use crate::event::Event;
use crate::trace::now_ns;

/// Sends series points and log lines of one pass as they happen.
#[derive(Clone, Debug)]
pub struct Live {
    pass: u32,
    tx: Option<Sender<Event>>,
}

impl Live {
    /// For pass `pass`, sending on `tx` (nothing is kept when `None`).
    pub fn new(pass: u32, tx: Option<Sender<Event>>) -> Live {
        Live { pass, tx }
    }

    /// A point of series `name` (queue depth, bytes in flight) at the current time.
    pub fn series(&self, name: &str, value: f64) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Event::Series {
                pass: self.pass,
                name: name.to_string(),
                t_ns: now_ns(),
                value,
            });
        }
    }

    /// A log line written by `worker` now.
    pub fn log(&self, worker: u32, text: impl Into<String>) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Event::Log {
                pass: self.pass,
                worker,
                t_ns: now_ns(),
                text: text.into(),
            });
        }
    }
}
