//! The Claims section of the dashboard's Results: after a run, each claim of the run's
//! lesson as held / not held on this machine, its sentence filled from the run, and the
//! numbers that decided it (judged by `lesson::outcome`, the same as the reader's).

use ratatui::text::{Line, Span};

use super::text;
use super::theme::Theme;
use crate::lesson::activity::Claim;
use crate::lesson::measured::Measured;
use crate::lesson::outcome::{self, Outcome};

/// The Claims section for `claims` judged on the run `m`, `width` wide; empty without claims.
pub fn lines(claims: &[Claim], m: &Measured, t: &Theme, width: usize) -> Vec<Line<'static>> {
    if claims.is_empty() {
        return Vec::new();
    }
    let mut out = vec![Line::raw(""), Line::styled("Claims", t.title)];
    for c in claims {
        let (o, sentence) = outcome::judged(c, m);
        let style = match o {
            Outcome::Held(_) => t.ok,
            Outcome::NotHeld(_) => t.bad,
            _ => t.dim,
        };
        let mut runs = vec![(sentence, t.text)];
        let detail = o.detail();
        if !detail.is_empty() {
            runs.push((format!(" ({detail})"), t.dim));
        }
        if c.quiet {
            runs.push((" (timing: needs an otherwise idle machine)".into(), t.dim));
        }
        let mark = Span::styled(format!("{} ", o.mark()), style);
        out.extend(text::wrap(&runs, width, mark, 2));
    }
    out
}
