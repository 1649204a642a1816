//! What every dashboard panel shares: its bordered block (bright when it has the keyboard)
//! and scrolling a list of lines, which reports how far it can scroll so the keys stop at
//! the last line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget as _};

use super::theme::Theme;

/// How one panel is drawn this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pane {
    /// It has the keyboard: bright border, arrows scroll it.
    pub focused: bool,
    /// Lines scrolled past.
    pub scroll: u16,
}

/// Largest useful scroll and visible lines of a panel drawn this frame.
pub type Reach = (u16, u16);

/// The longest of `titles` (longest first) that fits whole in the border of a panel
/// `width` wide, else the last: a title loses its figures, never half of one.
pub fn fit_title(titles: &[String], width: u16) -> String {
    titles
        .iter()
        .find(|s| super::text::width(s) + 2 <= width as usize)
        .or(titles.last())
        .cloned()
        .unwrap_or_default()
}

impl Pane {
    /// The panel's bordered block titled `title`.
    pub fn block(self, title: String, t: &Theme) -> Block<'static> {
        Block::bordered()
            .title(Span::styled(title, t.title))
            .border_style(if self.focused {
                t.border_focus
            } else {
                t.border
            })
    }

    /// Draws `lines` into `inner`, scrolled (never past the last line); a "↓ N more" hint
    /// replaces the last visible line when lines are below.
    pub fn lines(
        self,
        lines: Vec<Line<'static>>,
        t: &Theme,
        inner: Rect,
        buf: &mut Buffer,
    ) -> Reach {
        let h = inner.height as usize;
        let max = lines.len().saturating_sub(h);
        let top = (self.scroll as usize).min(max);
        let below = lines.len().saturating_sub(top + h);
        let mut shown: Vec<Line<'static>> = lines.into_iter().skip(top).take(h).collect();
        if below > 0 && h > 1 {
            shown.pop();
            let hint = format!(
                "↓ {} more lines (Tab to this panel, then ↓ / PgDn)",
                below + 1
            );
            shown.push(Line::styled(
                super::text::fit(&hint, inner.width as usize),
                t.dim,
            ));
        }
        Paragraph::new(shown).render(inner, buf);
        (max.min(u16::MAX as usize) as u16, inner.height)
    }
}
