//! Larger headings through kitty's text-sizing protocol (OSC 66: `ESC ] 66 ; s=2 ; TEXT ESC \`
//! draws TEXT twice as wide and twice as tall). Whether the terminal has it is asked, never
//! assumed: the way terminal presentation tools detect it, a single space is written at scale
//! 2 at the top left and the cursor position is read back; a terminal that knows the protocol
//! moved the cursor two columns, any other one column (or printed nothing). Off inside tmux
//! or screen (they pass neither the sequence nor a true cursor position through) and in
//! tests (a test backend never asks).
//!
//! The cells of a sized heading are reserved in ratatui's buffer (skipped when flushed) and
//! the event loop writes the heading itself after each drawn frame ([`sequence`]).

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;

use crate::ui::text;

/// The scale of sized headings: twice the width and height of a cell.
pub const SCALE: u16 = 2;

/// What is written to ask: cursor home, then one space at scale 2.
pub const PROBE: &str = "\x1b[1;1H\x1b]66;s=2; \x1b\\";

/// Whether asking the terminal makes sense under this environment (`var` reads a variable):
/// not inside tmux or screen, and not when `PARLAB_TEXT_SIZING=0` turns it off.
pub fn may_ask(var: impl Fn(&str) -> Option<String>) -> bool {
    let set = |k: &str| var(k).is_some_and(|v| !v.is_empty());
    let term = var("TERM").unwrap_or_default();
    let muxed = set("TMUX")
        || set("STY")
        || term.starts_with("tmux")
        || term.starts_with("screen")
        || var("TERM_PROGRAM").as_deref() == Some("tmux");
    !muxed && var("PARLAB_TEXT_SIZING").as_deref() != Some("0")
}

/// The verdict from the cursor column (0-based) read back after [`PROBE`]: the protocol is
/// there when the one scaled space took [`SCALE`] columns. No answer (a timeout): no.
pub fn verdict(column_after_probe: Option<u16>) -> bool {
    column_after_probe == Some(SCALE)
}

/// Rows the lecture heading takes: [`SCALE`] when sized, else one.
pub fn heading_rows(sized: bool) -> u16 {
    if sized { SCALE } else { 1 }
}

/// Where a sized heading goes in `area` (x, y, width in cells); `None` when text is not sized.
pub fn heading_cells(sized: bool, area: Rect) -> Option<(u16, u16, u16)> {
    (sized && area.height >= SCALE).then_some((area.x, area.y, area.width))
}

/// Marks the heading's cells as the terminal's: ratatui neither clears nor overwrites them.
pub fn reserve(buf: &mut Buffer, x: u16, y: u16, w: u16) {
    for dy in 0..SCALE {
        for dx in 0..w {
            let p = (x + dx, y + dy);
            if buf.area.contains(p.into()) {
                buf[p].set_symbol(" ").set_diff_option(CellDiffOption::Skip);
            }
        }
    }
}

/// The bytes that draw `heading` sized at (x, y) over `w` cells: the rows blanked first (a
/// shorter heading leaves nothing of a longer one), then the text at scale 2, bold. Control
/// characters are dropped (they would end the sequence early).
pub fn sequence(heading: &str, x: u16, y: u16, w: u16) -> String {
    let clean: String = heading.chars().filter(|c| !c.is_control()).collect();
    let fitted = text::fit(&clean, (w / SCALE) as usize);
    let mut out = String::new();
    for dy in 0..SCALE {
        out.push_str(&format!(
            "\x1b[{};{}H{}",
            y + dy + 1,
            x + 1,
            " ".repeat(w as usize)
        ));
    }
    out.push_str(&format!(
        "\x1b[{};{}H\x1b[1m\x1b]66;s={SCALE};{fitted}\x1b\\\x1b[0m",
        y + 1,
        x + 1
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn never_asked_inside_tmux_or_screen_or_when_turned_off() {
        assert!(may_ask(env(&[("TERM", "xterm-kitty")])));
        assert!(!may_ask(env(&[
            ("TERM", "xterm-kitty"),
            ("TMUX", "/tmp/t,1,0")
        ])));
        assert!(!may_ask(env(&[("TERM", "tmux-256color")])));
        assert!(!may_ask(env(&[("TERM", "screen"), ("STY", "1.pts")])));
        assert!(!may_ask(env(&[("TERM_PROGRAM", "tmux")])));
        assert!(!may_ask(env(&[("PARLAB_TEXT_SIZING", "0")])));
    }

    #[test]
    fn the_cursor_column_decides() {
        // Kitty: the scaled space took two columns.
        assert!(verdict(Some(2)));
        // A terminal without the protocol: one column, or the sequence shown as nothing.
        assert!(!verdict(Some(1)));
        assert!(!verdict(Some(0)));
        // No answer before the timeout.
        assert!(!verdict(None));
    }

    #[test]
    fn the_heading_sequence_blanks_then_draws_at_scale_two() {
        let s = sequence("3/7  Pool\x07", 0, 0, 20);
        assert!(s.starts_with("\x1b[1;1H"), "{s:?}");
        assert!(s.contains("\x1b[2;1H"), "{s:?}");
        assert!(s.contains("\x1b]66;s=2;3/7  Pool\x1b\\"), "{s:?}");
        // Ten columns at scale 2 hold five cells of text.
        assert!(sequence("abcdefghijkl", 0, 0, 10).contains(";s=2;abcd…\x1b\\"));
    }

    #[test]
    fn reserved_cells_are_skipped() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 3));
        reserve(&mut buf, 0, 0, 4);
        assert_eq!(buf[(3, 1)].diff_option, CellDiffOption::Skip);
        assert_eq!(buf[(0, 2)].diff_option, CellDiffOption::None);
    }
}
