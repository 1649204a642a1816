//! Counting the levels of one stream, block by block, at memory speed and in bounded memory.
//!
//! The tutorial's program reads each file as strict UTF-8 text with universal newlines and
//! counts `line.split()[0]` of every line whose `line.strip()` is not empty. Here a file is read
//! in fixed-size blocks into one reused buffer, at a 64-byte aligned address; each block's
//! lines are counted by [`scan`](super::scan) (line breaks from 64-byte masks, a line's level
//! from its first 8 bytes, the full rules of [`words`](super::words) only where those do not
//! decide), and a block that is not all ASCII is checked as UTF-8 in bulk (SIMD). A line that
//! crosses a block carries only a small [`LineState`] over, so a line of several GB costs no
//! more memory than a short one.
//!
//! Universal newlines for free: `\n` and `\r` both end a line, so `\r\n` ends one line and
//! then an empty one, which is skipped like every blank line: the counts are Python's.

use std::io::{self, Read};

use memchr::memchr2_iter;

use super::scan::{SLACK, scan_block};
use super::words::{Class, LineState};
use crate::engine::CancelToken;

/// Bytes read per block: large enough that a read moves many lines (256 KiB was a little
/// faster than 128 KiB and than 512 KiB), small enough that the block stays in the core's L2
/// cache while it is scanned.
pub const BLOCK: usize = 256 << 10;

/// Reads go to an address that is a multiple of this: the kernel's copy from the page cache
/// into a buffer at a 16-byte offset took 4x as long as into a 64-byte aligned one (122 ms
/// against 27 ms for 303 MB on an AMD EPYC), more than all the counting.
const ALIGN: usize = 64;

/// Level counts of one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Lines whose first word is `ERROR`.
    pub error: u64,
    /// Lines whose first word is `WARNING`.
    pub warning: u64,
    /// Lines whose first word is `INFO`.
    pub info: u64,
    /// Non-empty lines (any first word, DEBUG included).
    pub lines: u64,
}

impl Counts {
    /// Adds another file's counts.
    pub fn add(&mut self, o: &Counts) {
        self.error += o.error;
        self.warning += o.warning;
        self.info += o.info;
        self.lines += o.lines;
    }

    /// Counts one finished line.
    #[inline]
    pub(super) fn line(&mut self, c: Class) {
        match c {
            Class::Blank => {}
            Class::Other => self.lines += 1,
            Class::Level(l) => {
                self.lines += 1;
                match l {
                    0 => self.error += 1,
                    1 => self.warning += 1,
                    _ => self.info += 1,
                }
            }
        }
    }
}

/// Why [`count_levels`] stopped early.
#[derive(Debug)]
pub enum CountError {
    /// Reading failed.
    Io(io::Error),
    /// The stream is not valid UTF-8 from byte `offset` (from 0) on.
    Utf8 {
        /// Offset in the stream of the first byte that is not valid UTF-8.
        offset: u64,
    },
    /// The cancel token fired.
    Cancelled,
}

/// Counts the levels of `r`, reading `block` bytes at a time into `buf` (reused; sized to
/// `block` plus a few hundred bytes). `on_block` hears the bytes of each block read (for
/// progress). Returns the counts or why it stopped, and the bytes read either way.
pub fn count_levels<R: Read>(
    mut r: R,
    buf: &mut Vec<u8>,
    block: usize,
    cancel: &CancelToken,
    mut on_block: impl FnMut(u64),
) -> (Result<Counts, CountError>, u64) {
    let block = block.max(1);
    let at = read_area(buf, block);
    let mut c = Counts::default();
    let mut state = LineState::Blank;
    let mut carry = 0; // bytes of an unfinished character, just before `at`
    let mut done = 0u64; // bytes scanned (before the carried ones)
    loop {
        if cancel.is_cancelled() {
            return (Err(CountError::Cancelled), done + carry as u64);
        }
        let n = match r.read(&mut buf[at..at + block]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return (Err(CountError::Io(e)), done + carry as u64),
        };
        on_block(n as u64);
        if n == 0 {
            if carry > 0 {
                // The stream ends inside a character.
                return (Err(CountError::Utf8 { offset: done }), done + carry as u64);
            }
            c.line(state.finish());
            return (Ok(c), done);
        }
        let from = at - carry;
        let filled = carry + n;
        let text = &buf[from..];
        let scanned = scan_block(text, filled, state, &mut c);
        let valid = if scanned.ascii {
            filled
        } else {
            match valid_prefix(&text[..filled]) {
                Ok(v) => v,
                Err(bad) => {
                    let offset = done + bad as u64;
                    return (Err(CountError::Utf8 { offset }), done + filled as u64);
                }
            }
        };
        state = match scanned.rest {
            Some(rest) => LineState::Blank.feed(&text[rest..valid]),
            None => state.feed(&text[..valid]),
        };
        carry = filled - valid;
        buf.copy_within(from + valid..from + filled, at - carry);
        done += valid as u64;
    }
}

/// Sizes `buf` for blocks of `block` bytes and returns where reads go: an aligned address
/// (see [`ALIGN`]) with room before it for the at most 3 carried bytes of an unfinished
/// character (a UTF-8 character has at most 4) and [`SLACK`] bytes after the block.
fn read_area(buf: &mut Vec<u8>, block: usize) -> usize {
    buf.resize(block + 2 * ALIGN + SLACK, 0);
    let misaligned = buf.as_ptr() as usize % ALIGN;
    ALIGN + (ALIGN - misaligned) % ALIGN
}

/// How much of `b` is whole, valid UTF-8: all of it, or all but an unfinished character at
/// the end (at most 3 bytes, which may be completed by the next block). `Err(offset)` of the
/// first invalid byte otherwise.
#[inline]
fn valid_prefix(b: &[u8]) -> Result<usize, usize> {
    if simdutf8::basic::from_utf8(b).is_ok() {
        return Ok(b.len());
    }
    match simdutf8::compat::from_utf8(b) {
        Ok(_) => Ok(b.len()),
        Err(e) if e.error_len().is_none() => Ok(e.valid_up_to()),
        Err(e) => Err(e.valid_up_to()),
    }
}

/// Line (from 1) and byte within that line (from 1) of `offset` in `r`, lines ending at `\n`,
/// `\r\n` or `\r` as Python reads them. Streams `r` with `buf`; reads up to `offset` only.
pub fn locate<R: Read>(mut r: R, offset: u64, buf: &mut Vec<u8>) -> io::Result<(u64, u64)> {
    buf.resize(BLOCK, 0);
    let (mut line, mut line_start, mut pos) = (1u64, 0u64, 0u64);
    let mut after_cr = false;
    while pos < offset {
        let want = usize::try_from(offset - pos).map_or(BLOCK, |w| w.min(BLOCK));
        let n = match r.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        for i in memchr2_iter(b'\n', b'\r', &buf[..n]) {
            let at = pos + i as u64;
            // A `\n` right after a `\r` only finishes the same line break.
            if !(buf[i] == b'\n' && (after_cr && at == line_start)) {
                line += 1;
            }
            line_start = at + 1;
            after_cr = buf[i] == b'\r';
        }
        pos += n as u64;
    }
    Ok((line, offset - line_start + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(text: &[u8], block: usize) -> Result<Counts, CountError> {
        count_levels(text, &mut Vec::new(), block, &CancelToken::new(), |_| {}).0
    }

    #[test]
    fn first_word_is_the_level_blank_lines_are_skipped() {
        let text = b"ERROR a\n\n   \n  WARNING b\nINFO\nINFO c\r\nDEBUG x\rerror lower\nINFO";
        for block in [1, 2, 3, 7, BLOCK] {
            let c = count(text, block).unwrap();
            let want = Counts {
                error: 1,
                warning: 1,
                info: 3,
                lines: 7,
            };
            assert_eq!(c, want, "block {block}");
        }
        assert_eq!(count(b"", 4).unwrap(), Counts::default());
    }

    #[test]
    fn bad_utf8_names_its_offset_and_a_character_cut_by_a_block_is_fine() {
        for block in [1, 2, 5, BLOCK] {
            assert!(count("INFO é\u{3000}x\n".as_bytes(), block).is_ok());
            match count(b"INFO ok\nINFO \xff bad\n", block) {
                Err(CountError::Utf8 { offset: 13 }) => {}
                other => panic!("{other:?}"),
            }
            match count(b"INFO \xc3", block) {
                Err(CountError::Utf8 { offset: 5 }) => {}
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn locate_counts_universal_newlines() {
        let text = b"a\r\nb\rc\n\nd\xffx";
        let mut buf = Vec::new();
        assert_eq!(locate(&text[..], 0, &mut buf).unwrap(), (1, 1));
        assert_eq!(locate(&text[..], 3, &mut buf).unwrap(), (2, 1));
        assert_eq!(locate(&text[..], 5, &mut buf).unwrap(), (3, 1));
        assert_eq!(locate(&text[..], 9, &mut buf).unwrap(), (5, 2));
    }

    #[test]
    fn cancel_stops() {
        let c = CancelToken::new();
        c.cancel();
        assert!(matches!(
            count_levels(&b"INFO\n"[..], &mut Vec::new(), BLOCK, &c, |_| {}).0,
            Err(CountError::Cancelled)
        ));
    }
}
