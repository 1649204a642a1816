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
    /// Cancel the live run.
    Cancel,
    /// Leave parlab.
    Quit,
}
