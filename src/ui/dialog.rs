//! The one look of parlab's dialogs: a bordered box centred over the screen with a column of
//! margin inside (the prediction, the quiz, the exercise's yes/no question, the keys help).

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;

/// Draws `body` in a bordered box of `size` centred in `area`, over what is below, with a
/// column of margin inside: the one look of parlab's dialogs (predict, quiz, confirm, keys help).
pub fn dialog(
    f: &mut Frame<'_>,
    t: &Theme,
    area: Rect,
    (w, h): (u16, u16),
    title: &str,
    body: Paragraph<'_>,
) {
    let r = Rect::new(
        area.x + area.width.saturating_sub(w) / 2,
        area.y + area.height.saturating_sub(h) / 2,
        w,
        h,
    );
    f.render_widget(Clear, r);
    let block = Block::bordered()
        .title(Span::styled(title, t.title))
        .border_style(t.border_focus);
    let inner = block.inner(r).inner(Margin::new(1, 0));
    f.render_widget(block, r);
    f.render_widget(body, inner);
}
