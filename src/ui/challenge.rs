//! The challenge gauge on the dashboard: while a challenge is taken, one line above the panels
//! with how close the latest finished run of its lesson came to the goal, and "met" once its
//! check holds.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::Gauge;

use super::text;
use super::theme::Theme;
use crate::app::App;

/// Draws the gauge in the top line of `area` when a challenge is taken and a run of its
/// lesson finished; returns the area left for the panels.
pub fn gauge(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) -> Rect {
    let Some((goal, s)) = app
        .runs
        .iter()
        .rev()
        .find_map(|r| app.challenge_standing(r))
    else {
        return area;
    };
    if area.height < 8 {
        return area;
    }
    let [line, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let head = if s.met {
        " challenge met ✓ "
    } else {
        " challenge "
    };
    let [name, bar, words] = Layout::horizontal([
        Constraint::Length(text::width(head) as u16),
        Constraint::Length(22),
        Constraint::Min(10),
    ])
    .areas(line);
    f.render_widget(Span::styled(head, if s.met { t.ok } else { t.title }), name);
    f.render_widget(
        Gauge::default()
            .gauge_style(if s.met { t.ok } else { t.gauge })
            .ratio(s.ratio)
            .label(format!("{:.0}%", s.ratio * 100.0)),
        bar,
    );
    let said = format!(" {goal} ({})", s.figures);
    f.render_widget(
        Span::styled(text::fit(&said, words.width as usize), t.dim),
        words,
    );
    rest
}
