//! Large digits for the presenter layout: a 5-row block font for the few characters the
//! headline numbers need (digits, `.`, `x`, `m`, `s`, `-`, `OK`, `NO`, `?`), readable from the
//! back of a room on an 80×24 terminal. Unknown characters draw as a blank.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Rows of every glyph.
pub const HEIGHT: u16 = 5;

/// The glyph of `c`, as rows of `#` (ink) and spaces.
fn glyph(c: char) -> [&'static str; 5] {
    match c {
        '0' | 'O' => ["###", "# #", "# #", "# #", "###"],
        '1' => [" # ", "## ", " # ", " # ", "###"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", " ##", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", " # ", " # ", " # "],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        '.' => [" ", " ", " ", " ", "#"],
        '-' => ["   ", "   ", "###", "   ", "   "],
        'x' => ["   ", "   ", "# #", " # ", "# #"],
        's' => ["   ", "   ", " ##", " # ", "## "],
        'm' => ["     ", "     ", "#### ", "# # #", "# # #"],
        'K' => ["# #", "# #", "## ", "# #", "# #"],
        'N' => ["#  #", "## #", "# ##", "#  #", "#  #"],
        '?' => ["###", "  #", " ##", "   ", " # "],
        _ => ["  ", "  ", "  ", "  ", "  "],
    }
}

/// Columns `text` takes in the big font (one blank column between glyphs).
pub fn width(text: &str) -> u16 {
    let w: usize = text.chars().map(|c| glyph(c)[0].len() + 1).sum();
    w.saturating_sub(1) as u16
}

/// Draws `text` in the big font at the top left of `area`; returns false (drawing nothing)
/// when it does not fit, so the caller can fall back to ordinary text.
pub fn draw(text: &str, style: Style, area: Rect, buf: &mut Buffer) -> bool {
    if width(text) > area.width || HEIGHT > area.height {
        return false;
    }
    let mut x = area.x;
    for c in text.chars() {
        let g = glyph(c);
        for (dy, row) in g.iter().enumerate() {
            for (dx, ink) in row.chars().enumerate() {
                if ink == '#' {
                    buf[(x + dx as u16, area.y + dy as u16)]
                        .set_char('█')
                        .set_style(style);
                }
            }
        }
        x += g[0].len() as u16 + 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_digits_in_five_rows() {
        let area = Rect::new(0, 0, 20, 5);
        let mut buf = Buffer::empty(area);
        assert_eq!(width("1.5x"), 3 + 1 + 1 + 1 + 3 + 1 + 3);
        assert!(draw("1.5x", Style::new(), area, &mut buf));
        let row0: String = (0..20).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert!(row0.starts_with(" █ "), "{row0:?}");
        assert!(!draw(
            "123456789",
            Style::new(),
            Rect::new(0, 0, 10, 5),
            &mut buf
        ));
    }
}
