//! What goes into the app ([`Msg`]: keys, engine events, samples, ticks, what a frame
//! measured) and what comes out ([`Effect`] for the event loop, [`Status`] for the footer).

use crossterm::event::{KeyEvent, MouseEvent};

use crate::event::Event;
use crate::sampler::Sample;

/// A one-line message in the footer.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// The text.
    pub text: String,
    /// Whether it reports a problem.
    pub error: bool,
    /// When the footer first showed it, ns on the shared clock (`None` until the next tick).
    pub since_ns: Option<u64>,
    /// Stays until a key even when it is not a problem (a verdict that came while the learner
    /// was looking elsewhere).
    pub lasting: bool,
}

/// How long a message that is not a problem stays in the footer before the keys come back
/// (a key brings them back at once; a problem stays until a key).
pub const STATUS_SHOWN: std::time::Duration = std::time::Duration::from_secs(8);

impl Status {
    /// A message, shown from the next tick.
    pub fn new(text: impl Into<String>, error: bool) -> Status {
        Status {
            text: text.into(),
            error,
            since_ns: None,
            lasting: false,
        }
    }

    /// Whether the message has been read long enough to give the footer back to the keys.
    pub fn expired(&mut self, now_ns: u64) -> bool {
        if self.error || self.lasting {
            return false;
        }
        let since = *self.since_ns.get_or_insert(now_ns);
        now_ns.saturating_sub(since) >= STATUS_SHOWN.as_nanos() as u64
    }
}

/// What the last draw measured, which keys need: cursor steps are screen columns, scrolling
/// stops at the last line. The views return it; the event loop hands it back as
/// [`Msg::Layout`], so views never write into the state they draw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Geometry {
    /// The reader's largest useful scroll, when the reader was drawn.
    pub reader_max: Option<usize>,
    /// Timeline columns and visible worker rows, when the timeline was drawn.
    pub timeline: Option<(u16, usize)>,
    /// The focused lower panel's largest useful scroll and visible lines, when drawn.
    pub panel: Option<(u16, u16)>,
}

/// Something that happened.
#[derive(Clone, Debug)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// A mouse event (the wheel scrolls).
    Mouse(MouseEvent),
    /// The terminal changed size.
    Resize,
    /// What the last frame measured.
    Layout(Geometry),
    /// An event from the live run's engine.
    Engine(Event),
    /// A CPU sample for the live run.
    Sample(Sample),
    /// The live run's runner thread ended without a report (it panicked).
    RunnerGone(String),
    /// The kept runs were read (oldest first), with the index's warning if it was unreadable.
    RunsLoaded {
        /// The runs, oldest first.
        runs: Vec<crate::runstore::StoredRun>,
        /// Why the index was set aside, if it was.
        warning: Option<String>,
    },
    /// A kept run's trace was read, or why not.
    RunOpened {
        /// The run.
        run: Box<crate::runstore::StoredRun>,
        /// Its recording.
        rec: Result<Box<crate::recording::Recording>, String>,
    },
    /// The sweep's runner thread ended (every count ran, or it stopped early).
    SweepEnded,
    /// A finished run was kept (or why not).
    Kept(Result<Box<crate::runstore::StoredRun>, String>),
    /// What the event loop did for the exercise screen (wrote the starter, checked, saw a save).
    Exercise(super::exercises::ExerciseMsg),
    /// Time passed: `now_ns` on the shared clock, `dt_ns` of real time since the last tick.
    Tick {
        /// Now, ns on the shared clock.
        now_ns: u64,
        /// Real time since the previous tick, ns.
        dt_ns: u64,
    },
}

/// What the event loop must do after an update.
pub enum Effect {
    /// Nothing.
    None,
    /// Start this run; its events go to the live run (`App::live`).
    Start {
        /// The request.
        req: crate::engine::RunRequest,
    },
    /// Watch a program (`parlab watch`, or the reader's `w` on a lesson's Python): its
    /// events go to the live run like a demo's.
    Watch {
        /// What to run; `python` holds the program text when the loop must write it to a
        /// file first (the app does no I/O).
        opts: crate::observe::WatchOptions,
        /// A lesson's Python program and the lesson id naming its file.
        python: Option<(String, String)>,
    },
    /// Cancel the live run.
    Cancel,
    /// Keep run `run` (index into `App::runs`) in the data directory as `entry`.
    Keep {
        /// Index into `App::runs`.
        run: usize,
        /// Its index entry (the time is stamped when written).
        entry: crate::runstore::StoredRun,
    },
    /// Run `req` at each of `counts` workers in turn; its events go to the sweep.
    StartSweep {
        /// The request (its `workers` is replaced by each count).
        req: crate::engine::RunRequest,
        /// Worker counts.
        counts: Vec<usize>,
    },
    /// Read the kept runs, then send [`Msg::RunsLoaded`].
    LoadRuns,
    /// Read this kept run's trace, then send [`Msg::RunOpened`].
    OpenRun {
        /// The run.
        run: crate::runstore::StoredRun,
    },
    /// Work on the learner's workspace for the exercise screen; the answer comes back as
    /// [`Msg::Exercise`].
    Exercise(super::exercises::ExerciseOp),
    /// Leave parlab.
    Quit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_gives_the_footer_back_a_problem_stays() {
        let mut s = Status::new("finished: r runs again", false);
        assert!(!s.expired(5_000_000_000), "first shown now");
        assert!(!s.expired(12_000_000_000));
        assert!(s.expired(13_000_000_000));
        let mut e = Status::new("cannot write", true);
        assert!(!e.expired(5_000_000_000));
        assert!(!e.expired(500_000_000_000));
    }
}
