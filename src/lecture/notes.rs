//! What the notes terminal (`parlab present FILE --notes`) knows: the lecture's steps with
//! their speaker notes, the step the presenter shows (heard over the link), when the lecture
//! started, and whether the presenter is connected. Pure state; the clock is passed in.

use super::Deck;
use super::link::{Heard, Message};

/// One step as the notes screen needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteStep {
    /// Its title.
    pub title: String,
    /// Its speaker notes.
    pub notes: String,
    /// Planned minutes.
    pub minutes: Option<f64>,
}

/// The notes screen's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Notes {
    /// The lecture's title.
    pub title: String,
    /// Planned minutes in all.
    pub minutes: Option<f64>,
    /// Every step.
    pub steps: Vec<NoteStep>,
    /// The step the presenter shows; `None` until heard.
    pub at: Option<usize>,
    /// The presenter's port while connected.
    pub connected: Option<u16>,
    /// When the lecture started (ms since the Unix epoch), as the presenter said.
    pub started_ms: Option<u64>,
    /// The presenter's lecture has another number of steps (another file, or edited since).
    pub mismatch: Option<usize>,
}

impl Notes {
    /// Notes for `deck`, not yet connected.
    pub fn new(deck: &Deck) -> Notes {
        Notes {
            title: deck.title.clone(),
            minutes: deck.minutes,
            steps: deck
                .steps
                .iter()
                .map(|s| NoteStep {
                    title: s.step.title.clone(),
                    notes: s.step.notes.clone(),
                    minutes: s.step.minutes,
                })
                .collect(),
            at: None,
            connected: None,
            started_ms: None,
            mismatch: None,
        }
    }

    /// Takes in what the link heard.
    pub fn hear(&mut self, h: Heard) {
        match h {
            Heard::Connected(port) => self.connected = Some(port),
            Heard::Lost => self.connected = None,
            Heard::Said(Message::Started(ms)) => self.started_ms = Some(ms),
            Heard::Said(Message::Step { at, count }) => {
                self.mismatch = (count != self.steps.len()).then_some(count);
                if at < self.steps.len() {
                    self.at = Some(at);
                }
            }
        }
    }

    /// The step shown, and the one after it.
    pub fn current(&self) -> (Option<&NoteStep>, Option<&NoteStep>) {
        let at = self.at.unwrap_or(0);
        let next = self.at.map_or(Some(0), |a| Some(a + 1));
        (
            self.at.and_then(|_| self.steps.get(at)),
            next.and_then(|n| self.steps.get(n)),
        )
    }

    /// Seconds since the lecture started, at `now_ms`.
    pub fn elapsed_s(&self, now_ms: u64) -> Option<u64> {
        self.started_ms.map(|s| now_ms.saturating_sub(s) / 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes() -> Notes {
        let text = "title = \"t\"\n[[steps]]\nkind = \"note\"\ntitle = \"a\"\ntext = \"x\"\nnotes = \"say a\"\n[[steps]]\nkind = \"note\"\ntitle = \"b\"\ntext = \"y\"\nnotes = \"say b\"\n";
        let deck = super::super::load(
            std::path::Path::new("l.toml"),
            text,
            &crate::lesson::embedded(),
        )
        .unwrap();
        Notes::new(&deck)
    }

    #[test]
    fn follows_the_step_heard_and_ignores_steps_out_of_range() {
        let mut n = notes();
        assert_eq!(n.current().0, None);
        assert_eq!(n.current().1.map(|s| s.title.as_str()), Some("a"));
        n.hear(Heard::Connected(4000));
        n.hear(Heard::Said(Message::Step { at: 0, count: 2 }));
        assert_eq!(n.current().0.map(|s| s.notes.as_str()), Some("say a"));
        assert_eq!(n.current().1.map(|s| s.title.as_str()), Some("b"));
        n.hear(Heard::Said(Message::Step { at: 5, count: 9 }));
        assert_eq!((n.at, n.mismatch), (Some(0), Some(9)));
        n.hear(Heard::Said(Message::Started(1_000)));
        assert_eq!(n.elapsed_s(62_500), Some(61));
        n.hear(Heard::Lost);
        assert_eq!(n.connected, None);
    }
}
