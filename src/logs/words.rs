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

/// Each level name as the low bytes of a little-endian `u64`, the mask of those bytes, and
/// the name's length: a line's first 8 bytes, loaded as one word, are tested against a name
/// in one comparison.
const PACKED: [(u64, u64, usize); 3] = [pack(NAMES[0]), pack(NAMES[1]), pack(NAMES[2])];

const fn pack(name: &[u8]) -> (u64, u64, usize) {
    // The byte after the name must be among the 8 loaded.
    assert!(name.len() < 8);
    let mut w = 0u64;
    let mut i = 0;
    while i < name.len() {
        w |= (name[i] as u64) << (8 * i);
        i += 1;
    }
    (w, (1u64 << (8 * name.len())) - 1, name.len())
}

/// [`ASCII_WS`] for the bytes below 64 (all ASCII whitespace is), as bits: tested without a
/// branch or a memory load.
const WS_BITS: u64 = {
    let t = ascii_ws_table();
    let mut m = 0u64;
    let mut b = 0;
    while b < 64 {
        if t[b] {
            m |= 1 << b;
        }
        b += 1;
    }
    m
};

/// 1 if byte `b` (0..=255) is ASCII whitespace for Python, else 0.
#[inline(always)]
fn ws_bit(b: u64) -> u64 {
    u64::from(b < 64) & (WS_BITS >> (b & 63))
}

/// What the first 8 bytes of a line (one little-endian word) say about it, for the usual log
/// line that starts with an ASCII word: `Some(hits)` with `hits[i]` 1 if the first word is
/// level `i` (all 0: another word; the line is not blank either way), or `None` when those
/// bytes do not decide (whitespace or a non-ASCII byte first, or a level name followed by a
/// non-ASCII byte, which may be a Unicode space). Branch-free, so a random mix of levels
/// costs no mispredictions.
///
/// Bytes after the line's end may be loaded too, as long as the line's break (or its end of
/// file: then the line must be 8 bytes or longer) comes first: a name matches only before the
/// break, and the byte right after a name is then in the line or is the break, whitespace.
#[inline(always)]
pub fn head(x: u64) -> Option<[u64; 3]> {
    let b0 = x & 0xff;
    let mut unsure = b0 >= 0x80 || ws_bit(b0) == 1;
    let mut hits = [0u64; 3];
    for (hit, &(pat, mask, len)) in hits.iter_mut().zip(PACKED.iter()) {
        let named = x & mask == pat;
        let after = (x >> (8 * len)) & 0xff;
        *hit = u64::from(named) & ws_bit(after);
        unsure |= named & (after >= 0x80);
    }
    if unsure { None } else { Some(hits) }
}

/// The class [`head`]'s hits name.
#[inline]
pub fn class_of(hits: [u64; 3]) -> Class {
    match hits.iter().position(|&h| h == 1) {
        Some(level) => Class::Level(level as u8),
        None => Class::Other,
    }
}

/// The class of one whole line (no line break inside, valid UTF-8).
///
/// A line of 8 bytes or more that starts with an ASCII word is decided by [`head`]; anything
/// else goes through [`LineState`].
#[inline]
pub fn classify(line: &[u8]) -> Class {
    if let Some(hits) = line
        .first_chunk::<8>()
        .and_then(|h| head(u64::from_le_bytes(*h)))
    {
        return class_of(hits);
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
    fn head_decides_usual_lines_and_leaves_the_rest() {
        let cases: [(&[u8; 8], Option<Class>); 14] = [
            (b"INFO\nABC", Some(Class::Level(2))),
            (b"INFO\rWAR", Some(Class::Level(2))),
            (b"ERROR\r\nx", Some(Class::Level(0))),
            (b"WARNING\n", Some(Class::Level(1))),
            (b"ERROR\x1fxy", Some(Class::Level(0))),
            (b"WARNINGS", Some(Class::Other)),
            (b"INFOrmal", Some(Class::Other)),
            (b"INF\nO ab", Some(Class::Other)),
            (b"DEBUG ab", Some(Class::Other)),
            (b"INFO\xc2\xa0xy", None),
            (b"ERROR\xe3\x80\x80", None),
            (b" INFO ab", None),
            (b"\xef\xbb\xbfINFO ", None),
            (b"\nINFO ab", None),
        ];
        for (bytes, want) in cases {
            let got = head(u64::from_le_bytes(*bytes)).map(class_of);
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(bytes));
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
