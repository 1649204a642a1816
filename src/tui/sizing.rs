//! Asks the terminal whether it draws sized text (kitty's text-sizing protocol), once, before
//! the input thread starts: [`PROBE`] is written at the top left of the alternate screen and
//! the cursor position read back (crossterm's query, which gives up after two seconds when a
//! terminal never answers). See [`crate::ui::present::sizing`] for the rule.

use std::io::Write as _;

use crate::ui::present::sizing::{PROBE, may_ask, verdict};

/// Whether headings may be drawn sized; false without asking under tmux or screen.
pub fn detect() -> bool {
    if !may_ask(|k| std::env::var(k).ok()) {
        return false;
    }
    let mut out = std::io::stdout();
    if out
        .write_all(PROBE.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return false;
    }
    let column = crossterm::cursor::position().ok().map(|(col, _)| col);
    // Wipe the probe's cell whatever the answer.
    let _ = out.write_all(b"\x1b[1;1H\x1b[2K");
    let _ = out.flush();
    verdict(column)
}
