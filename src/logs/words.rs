//! The first word of a line, by Python's rules: what `line.split()[0]` gives for a line whose
//! `line.strip()` is not empty, in the tutorial's program.
//!
//! Python splits on every character for which `str.isspace()` is true: Unicode's White_Space
//! (what Rust's `char::is_whitespace` tests) plus the four ASCII separators `\x1c`..`\x1f`.
//! The classifier works on UTF-8 bytes without decoding: an ASCII byte is looked up in a table,
//! and only a byte of 0x80 or more at the start of a word or right after a level name is matched
//! against the few multi-byte spaces. It is a small state machine, so a line may arrive in
//! pieces (a line longer than a read block), each piece ending on a character boundary.

use super::LEVELS;

/// Every character Python's `str.split()` and `str.strip()` treat as whitespace, exactly (the
/// code points where `chr(c).isspace()` is true in CPython 3.11; the tests check the list).
pub const PY_WHITESPACE: [char; 29] = [
    '\t', '\n', '\x0b', '\x0c', '\r', '\x1c', '\x1d', '\x1e', '\x1f', ' ', '\u{85}', '\u{a0}',
    '\u{1680}', '\u{2000}', '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}',
    '\u{2007}', '\u{2008}', '\u{2009}', '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}',
    '\u{3000}',
];

/// The level names that are counted, as bytes (`Class::Level(i)` names `LEVELS[i]`).
const NAMES: [&[u8]; 3] = [
    LEVELS[0].as_bytes(),
    LEVELS[1].as_bytes(),
    LEVELS[2].as_bytes(),
];

/// ASCII whitespace for Python: `\t\n\x0b\x0c\r`, `\x1c`..`\x1f` and space.
const fn ascii_ws_table() -> [bool; 128] {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = matches!(b, 0x09..=0x0d | 0x1c..=0x20);
        b += 1;
    }
    t
}
static ASCII_WS: [bool; 128] = ascii_ws_table();

/// Byte length of the whitespace character at the start of `s`, or 0 if `s` is empty or does
/// not start with one. `s` must start on a character boundary of valid UTF-8.
#[inline]
pub fn ws_len(s: &[u8]) -> usize {
    match s {
        [b, ..] if *b < 0x80 => usize::from(ASCII_WS[usize::from(*b)]),
        [0xc2, 0x85 | 0xa0, ..] => 2,
        [0xe1, 0x9a, 0x80, ..]
        | [0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf, ..]
        | [0xe2, 0x81, 0x9f, ..]
        | [0xe3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// What a finished line counts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Only whitespace (or nothing): skipped, as `line.strip()` is empty.
    Blank,
    /// First word is `ERROR` (0), `WARNING` (1) or `INFO` (2).
    Level(u8),
    /// Any other first word.
    Other,
}

/// Where the classifier stands within a line fed in pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineState {
    /// Nothing but whitespace so far.
    Blank,
    /// The word so far is the first `len` bytes of level `level`'s name.
    Word {
        /// Index into the level names.
        level: u8,
        /// Bytes matched.
        len: u8,
    },
    /// The line's class is known; the rest of the line does not matter.
    Done(Class),
}

impl LineState {
    /// Feeds the next piece of the line (no line break inside; ends on a char boundary).
    #[inline]
    pub fn feed(self, piece: &[u8]) -> LineState {
        let mut state = self;
        let mut i = 0;
        loop {
            match state {
                LineState::Done(_) => return state,
                LineState::Blank => {
                    // Skip leading whitespace; the first other byte starts the word.
                    loop {
                        let n = ws_len(&piece[i..]);
                        if n == 0 {
                            break;
                        }
                        i += n;
                    }
                    let Some(&b) = piece.get(i) else {
                        return LineState::Blank;
                    };
                    state = match NAMES.iter().position(|name| name[0] == b) {
                        Some(level) => LineState::Word {
                            level: level as u8,
                            len: 1,
                        },
                        None => return LineState::Done(Class::Other),
                    };
                    i += 1;
                }
                LineState::Word { level, len } => {
                    let name = NAMES[usize::from(level)];
                    let rest = &piece[i..];
                    if usize::from(len) == name.len() {
                        // The whole name matched: it is the word if whitespace follows.
                        return match rest {
                            [] => state,
                            _ if ws_len(rest) > 0 => LineState::Done(Class::Level(level)),
                            _ => LineState::Done(Class::Other),
                        };
                    }
                    let want = &name[usize::from(len)..];
                    let k = want.len().min(rest.len());
                    if rest[..k] != want[..k] {
                        return LineState::Done(Class::Other);
                    }
                    state = LineState::Word {
                        level,
                        len: len + k as u8,
                    };
                    i += k;
                    if i == piece.len() && k < want.len() {
                        return state;
                    }
                }
            }
        }
    }

    /// The class of the line once its end (a line break or the end of the file) is reached.
    #[inline]
    pub fn finish(self) -> Class {
        match self {
            LineState::Blank => Class::Blank,
            LineState::Word { level, len }
                if usize::from(len) == NAMES[usize::from(level)].len() =>
            {
                Class::Level(level)
            }
            LineState::Word { .. } => Class::Other,
            LineState::Done(c) => c,
        }
    }
}

/// Each level name as the low bytes of a little-endian `u64`, with the mask of those bytes:
/// a line's first 8 bytes, loaded as one word, are tested against a name in one comparison.
const PACKED: [(u64, u64); 3] = [pack(NAMES[0]), pack(NAMES[1]), pack(NAMES[2])];

const fn pack(name: &[u8]) -> (u64, u64) {
    let mut w = 0u64;
    let mut i = 0;
    while i < name.len() {
        w |= (name[i] as u64) << (8 * i);
        i += 1;
    }
    (w, (1u64 << (8 * name.len())) - 1)
}

/// The class of one whole line (no line break inside, valid UTF-8).
///
/// Fast path for the usual log line, which starts with its level or another ASCII word: its
/// first 8 bytes decide it (every name is shorter than 8 bytes, so the byte after a matched
/// name is there to test for whitespace). Anything else goes through [`LineState`].
#[inline]
pub fn classify(line: &[u8]) -> Class {
    if let Some(&head) = line.first_chunk::<8>() {
        let w = u64::from_le_bytes(head);
        for (level, &(pat, mask)) in PACKED.iter().enumerate() {
            if w & mask == pat {
                let n = NAMES[level].len();
                return if ws_len(&line[n..]) > 0 {
                    Class::Level(level as u8)
                } else {
                    Class::Other
                };
            }
        }
        if head[0] < 0x80 && !ASCII_WS[usize::from(head[0])] {
            return Class::Other;
        }
    }
    LineState::Blank.feed(line).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python's rule, straight from the definition, on a `&str`.
    fn python(line: &str) -> Class {
        match line
            .split(|c| PY_WHITESPACE.contains(&c))
            .find(|w| !w.is_empty())
        {
            None => Class::Blank,
            Some(w) => match NAMES.iter().position(|n| n == &w.as_bytes()) {
                Some(i) => Class::Level(i as u8),
                None => Class::Other,
            },
        }
    }

    #[test]
    fn the_list_is_rusts_white_space_plus_the_four_ascii_separators() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let want = c.is_whitespace() || ('\x1c'..='\x1f').contains(&c);
            assert_eq!(PY_WHITESPACE.contains(&c), want, "{c:?}");
            let mut b = [0; 4];
            let s = c.encode_utf8(&mut b).as_bytes();
            assert_eq!(ws_len(s), if want { s.len() } else { 0 }, "{c:?}");
        }
    }

    #[test]
    fn first_words() {
        for (line, want) in [
            ("", Class::Blank),
            (" \t\x0b\x0c\x1c\u{85}\u{a0}\u{3000}", Class::Blank),
            ("ERROR", Class::Level(0)),
            ("ERROR x", Class::Level(0)),
            ("  WARNING\u{2028}x", Class::Level(1)),
            ("\u{a0}INFO\u{85}", Class::Level(2)),
            ("\x1fINFO\x1e", Class::Level(2)),
            ("INFO:", Class::Other),
            ("INF", Class::Other),
            ("INFOS", Class::Other),
            ("\u{feff}INFO", Class::Other),
            ("INFO\u{200b}", Class::Other),
            ("info", Class::Other),
            ("E", Class::Other),
            ("DEBUG INFO", Class::Other),
            ("é INFO", Class::Other),
        ] {
            assert_eq!(classify(line.as_bytes()), want, "{line:?}");
            assert_eq!(python(line), want, "{line:?}");
        }
    }

    #[test]
    fn pieces_at_every_char_boundary_give_the_same_class() {
        for line in [
            "  \u{a0}WARNING\u{2028}x",
            "ERRORS",
            "\u{3000}INFO",
            "INF",
            "WARNING",
        ] {
            let cuts: Vec<usize> = (0..=line.len())
                .filter(|&i| line.is_char_boundary(i))
                .collect();
            for &a in &cuts {
                for &b in cuts.iter().filter(|&&b| b >= a) {
                    let s = line.as_bytes();
                    let st = LineState::Blank.feed(&s[..a]).feed(&s[a..b]).feed(&s[b..]);
                    assert_eq!(st.finish(), python(line), "{line:?} cut at {a}, {b}");
                }
            }
        }
    }
}
