//! The speaker's screen (`parlab present FILE --notes`, in a second terminal): the step the
//! presenter shows, its notes in full, the next step's title, and a clock (time since the
//! lecture started against the plan, and the wall time). Never projected.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::lecture_keys::NOTES_KEYS;
use crate::lecture::notes::Notes;
use crate::runstore::when::fmt_clock_utc;
use crate::ui::text;
use crate::ui::theme::Theme;

/// Draws the notes screen at wall time `now_ms` (ms since the Unix epoch).
pub fn draw(n: &Notes, now_ms: u64, t: &Theme, f: &mut Frame<'_>) {
    let area = f.area();
    let [head, clock, _, body, next, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(area);
    let (cur, after) = n.current();
    let count = n.steps.len();
    let step = match (n.at, cur) {
        (Some(at), Some(s)) => format!("{}/{count}  {}", at + 1, s.title),
        _ => format!("{}  (waiting for the presenter)", n.title),
    };
    let link = match (n.connected, n.mismatch) {
        (Some(_), Some(c)) => format!("presenter has {c} steps, this file {count}"),
        (Some(p), None) => format!("following port {p}"),
        (None, _) => "not connected: retrying".to_string(),
    };
    let link_style = if n.connected.is_some() && n.mismatch.is_none() {
        t.dim
    } else {
        t.warn
    };
    split_line(&step, t.title, &link, link_style, f, head);
    f.render_widget(Paragraph::new(clock_line(n, now_ms, t)), clock);
    let notes = cur.map_or(String::new(), |s| reflow(&s.notes));
    f.render_widget(
        Paragraph::new(notes)
            .style(t.text)
            .wrap(Wrap { trim: false }),
        body,
    );
    let next_line = match (n.at, after) {
        (_, Some(s)) => {
            let k = n.at.map_or(1, |a| a + 2);
            Line::from(vec![
                Span::styled("Next: ", t.dim),
                Span::styled(format!("{k}/{count}  {}", s.title), t.accent),
            ])
        }
        (_, None) => Line::styled("Next: (this is the last step)", t.dim),
    };
    f.render_widget(Paragraph::new(vec![Line::raw(""), next_line]), next);
    let keys: Vec<Span> = NOTES_KEYS
        .help()
        .iter()
        .flat_map(|h| {
            let key = h.keys.split(' ').next().unwrap_or(h.keys);
            [
                Span::styled(key.to_string(), t.key),
                Span::styled(format!(" {}   ", h.short), t.dim),
            ]
        })
        .collect();
    f.render_widget(Paragraph::new(Line::from(keys)), foot);
}

/// Notes as written in TOML (lines broken by hand) as paragraphs the screen wraps: single
/// line breaks become spaces, blank lines stay paragraph breaks.
fn reflow(notes: &str) -> String {
    notes
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `left` at the left, `right` at the right when both fit.
fn split_line(
    left: &str,
    ls: ratatui::style::Style,
    right: &str,
    rs: ratatui::style::Style,
    f: &mut Frame<'_>,
    area: Rect,
) {
    let w = area.width as usize;
    let mut spans = vec![Span::styled(text::fit(left, w), ls)];
    let (lw, rw) = (text::width(left), text::width(right));
    if lw + rw + 2 <= w {
        spans.push(Span::raw(" ".repeat(w - lw - rw)));
        spans.push(Span::styled(right.to_string(), rs));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// "elapsed 12:04 of 20 min · this step 3 min · 14:02:11 UTC".
fn clock_line(n: &Notes, now_ms: u64, t: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let elapsed = n.elapsed_s(now_ms).map_or("--:--".to_string(), |s| {
        format!("{:02}:{:02}", s / 60, s % 60)
    });
    spans.push(Span::styled("elapsed ", t.dim));
    spans.push(Span::styled(elapsed, t.accent));
    if let Some(m) = n.minutes {
        spans.push(Span::styled(format!(" of {m} min"), t.dim));
    }
    if let Some(m) = n.current().0.and_then(|s| s.minutes) {
        spans.push(Span::styled(format!("  ·  this step {m} min"), t.dim));
    }
    spans.push(Span::styled("  ·  ", t.dim));
    spans.push(Span::styled(fmt_clock_utc(now_ms / 1000), t.text));
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hand_broken_lines_are_joined_and_paragraphs_kept() {
        assert_eq!(super::reflow("a b\nc\n\nd\n"), "a b c\n\nd");
    }
}
