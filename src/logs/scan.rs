//! One block's lines counted at memory speed: the line breaks come from a bit mask per 64
//! bytes ([`breaks`](super::breaks)), and a line's level from its first 8 bytes loaded as one
//! word ([`head`]); only lines those bytes do not decide (leading whitespace, non-ASCII) go
//! through the full rules of [`words`](super::words).
//!
//! The scan runs before the block is checked as UTF-8: it also says whether the block was all
//! ASCII, and only a block that was not goes through the UTF-8 check. Counting bytes that then
//! turn out not to be UTF-8 is harmless: such a file's counts are thrown away for its error.

use super::breaks::{GROUP, masks};
use super::count::Counts;
use super::words::{LineState, classify, head};

/// Bytes the buffer must hold after the block: a line's first 8 bytes are loaded as one word
/// even when the line is shorter (what they are then does not matter; see [`head`]).
pub const SLACK: usize = 8;

/// What [`scan_block`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scanned {
    /// Where the block's unfinished last line starts (after its last line break), or `None`
    /// if the block has no line break: the line begun before goes on through all of it.
    pub rest: Option<usize>,
    /// Whether every byte of the block is ASCII (so it is valid UTF-8, whole characters).
    pub ascii: bool,
}

/// Counts into `c` every line that ends in the block `buf[..len]`, the first one continuing
/// the line begun in the previous block (`state`). The unfinished last line is left to the
/// caller ([`Scanned::rest`]), who feeds it to the line's state once the block is known to be
/// valid UTF-8. `buf` must hold [`SLACK`] bytes after `len`.
pub fn scan_block(buf: &[u8], len: usize, state: LineState, c: &mut Counts) -> Scanned {
    let block = &buf[..len];
    let Some(first) = memchr::memchr2(b'\n', b'\r', block) else {
        return Scanned {
            rest: None,
            ascii: block.is_ascii(),
        };
    };
    c.line(state.feed(&block[..first]).finish());
    let mut start = first + 1;
    let mut lines = Lines::default();
    let mut high = 0;
    let whole = len / GROUP;
    for g in 0..=whole {
        let at = g * GROUP;
        let m = if g < whole {
            let Some(group) = block[at..].first_chunk::<GROUP>() else {
                break;
            };
            masks(group)
        } else {
            // The last bytes, padded with bytes that are no line break and ASCII.
            let mut pad = [0u8; GROUP];
            pad[..len - at].copy_from_slice(&block[at..]);
            masks(&pad)
        };
        high |= m.high;
        // Breaks up to the first one are done; so are whole groups before it.
        let done = u32::try_from(start.saturating_sub(at)).unwrap_or(u32::MAX);
        let mut breaks = m.breaks & u64::MAX.checked_shl(done).unwrap_or(0);
        while breaks != 0 {
            let end = at + breaks.trailing_zeros() as usize;
            breaks &= breaks - 1;
            lines.add(buf, start, end, c);
            start = end + 1;
        }
    }
    lines.into(c);
    Scanned {
        rest: Some(start),
        ascii: high == 0,
    }
}

/// Counts kept in registers while a block is scanned.
#[derive(Default)]
struct Lines {
    levels: [u64; 3],
    lines: u64,
}

impl Lines {
    /// Counts the line `buf[start..end]` (`end` is its line break).
    #[inline(always)]
    fn add(&mut self, buf: &[u8], start: usize, end: usize, c: &mut Counts) {
        let word = buf[start..]
            .first_chunk::<8>()
            .and_then(|w| head(u64::from_le_bytes(*w)));
        match word {
            Some(hits) => {
                for (n, h) in self.levels.iter_mut().zip(hits) {
                    *n += h;
                }
                self.lines += 1;
            }
            None => c.line(classify(&buf[start..end])),
        }
    }

    /// Adds these counts to `c`.
    fn into(self, c: &mut Counts) {
        c.error += self.levels[0];
        c.warning += self.levels[1];
        c.info += self.levels[2];
        c.lines += self.lines;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &[u8], state: LineState) -> (Counts, Scanned) {
        let mut buf = text.to_vec();
        buf.extend_from_slice(&[b'I'; SLACK]);
        let mut c = Counts::default();
        let s = scan_block(&buf, text.len(), state, &mut c);
        (c, s)
    }

    #[test]
    fn lines_across_groups_and_the_unfinished_rest() {
        let mut text = Vec::new();
        for i in 0..40 {
            let level = [
                "INFO",
                "ERROR",
                "WARNING",
                "DEBUG",
                " INFO",
                "\u{a0}WARNING",
            ][i % 6];
            text.extend_from_slice(format!("{level} line {i} {}\n", "x".repeat(i * 3)).as_bytes());
        }
        text.extend_from_slice(b"\r\n\rINFO\r\nERROR\xc2\xa0x\nINF");
        let (c, s) = scan(&text, LineState::Blank);
        // 40 lines: 7 of each of the first four kinds, 6 of the last two; then 2 more.
        let want = Counts {
            error: 7 + 1,
            warning: 7 + 6,
            info: 7 + 6 + 1,
            lines: 40 + 2,
        };
        assert_eq!(c, want);
        assert_eq!(s.rest, Some(text.len() - 3));
        assert!(!s.ascii);
    }

    #[test]
    fn the_first_line_continues_the_state_and_no_break_leaves_all() {
        let state = LineState::Blank.feed(b"  WARN");
        let (c, s) = scan(b"ING\nINFO x\nERR", state);
        assert_eq!((c.warning, c.info, c.lines), (1, 1, 2));
        assert_eq!(
            s,
            Scanned {
                rest: Some(11),
                ascii: true
            }
        );
        let (c, s) = scan("é ERROR INFO".as_bytes(), state);
        assert_eq!(c, Counts::default());
        assert_eq!(
            s,
            Scanned {
                rest: None,
                ascii: false
            }
        );
    }
}
