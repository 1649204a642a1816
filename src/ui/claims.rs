//! The Claims section of the dashboard's Results: after a run, each claim of the run's
//! lesson as held / not held on this machine, its sentence filled from the run, and the
//! numbers that decided it (judged by `lesson::outcome`, the same as the reader's).

use ratatui::text::{Line, Span};

use super::text;
use super::theme::Theme;
use crate::lesson::activity::Claim;
use crate::lesson::measured::Measured;
use crate::lesson::outcome::{self, Outcome};

/// Adds the claims to the Results panel's `lines`: a one-line count on top, so they are seen
/// without scrolling, and the Claims section with each claim at the end.
pub fn add_to_results(
    lines: &mut Vec<Line<'static>>,
    claims: &[Claim],
    m: &Measured,
    t: &Theme,
    width: usize,
) {
    if claims.is_empty() {
        return;
    }
    let outcomes: Vec<Outcome> = claims.iter().map(|c| outcome::judge(c, m)).collect();
    let held = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Held(_)))
        .count();
    let not = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::NotHeld(_)))
        .count();
    let other = outcomes.len() - held - not;
    let mut spans = vec![
        Span::styled("Claims: ", t.title),
        Span::styled(format!("✓ {held} held"), t.ok),
        Span::styled(" · ", t.dim),
        Span::styled(
            format!("✗ {not} not held"),
            if not > 0 { t.bad } else { t.dim },
        ),
    ];
    if other > 0 {
        spans.push(Span::styled(format!(" · {other} not checked"), t.dim));
    }
    spans.push(Span::styled(" (each with its numbers below)", t.dim));
    lines.insert(0, Line::from(spans));
    lines.extend(section(claims, m, t, width));
}

/// The Claims section for `claims` judged on the run `m`, `width` wide; empty without claims.
pub fn section(claims: &[Claim], m: &Measured, t: &Theme, width: usize) -> Vec<Line<'static>> {
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
