//! Property tests: the block counter against a straightforward reference of the tutorial's
//! rules, on random bytes drawn from the classes that matter (level names and near misses,
//! every kind of line break, ASCII and Unicode whitespace, other non-ASCII characters, a BOM,
//! and invalid UTF-8), at block sizes from 1 byte up, and with reads that stop anywhere (a
//! line, a character or a `\r\n` split across two reads).

use std::io::Read;

use proptest::prelude::*;

use super::count::{BLOCK, CountError, Counts, count_levels, locate};
use super::words::PY_WHITESPACE;
use crate::engine::CancelToken;

/// The tutorial's rules, written the plain way: decode the whole text, split it into lines
/// by universal newlines, split each line on Python's whitespace, count the first word.
/// `Err(offset)` of the first byte that is not valid UTF-8.
fn reference(bytes: &[u8]) -> Result<Counts, usize> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.valid_up_to())?;
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut c = Counts::default();
    for line in text.split('\n') {
        let mut words = line
            .split(|ch| PY_WHITESPACE.contains(&ch))
            .filter(|w| !w.is_empty());
        let Some(first) = words.next() else {
            continue;
        };
        c.lines += 1;
        match first {
            "ERROR" => c.error += 1,
            "WARNING" => c.warning += 1,
            "INFO" => c.info += 1,
            _ => {}
        }
    }
    Ok(c)
}

/// Line and byte-in-line (from 1) of `offset`, the plain way.
fn reference_place(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset];
    let text = String::from_utf8_lossy(before).replace("\r\n", "\n");
    let line = 1 + text.matches(['\n', '\r']).count() as u64;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1);
    (line, (offset - start + 1) as u64)
}

/// The pieces random inputs are made of.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    let text = [
        "ERROR",
        "WARNING",
        "INFO",
        "INF",
        "ERRORS",
        "WARN",
        "DEBUG",
        "x",
        "info",
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\n\r",
        "\x0b",
        "\x0c",
        "\x1c",
        "\x1d",
        "\x1e",
        "\x1f",
        "\u{85}",
        "\u{a0}",
        "\u{1680}",
        "\u{2000}",
        "\u{200a}",
        "\u{2028}",
        "\u{2029}",
        "\u{202f}",
        "\u{205f}",
        "\u{3000}",
        "\u{200b}",
        "\u{feff}",
        "é",
        "\u{2030}",
        "😀",
        "\x00",
        // Ordinary log lines, long enough for the 8-byte fast path and to cross 64-byte groups.
        "INFO 2026-12-01T04:00:00Z request served in 12 ms user=alice path=/api/v1/items\n",
        "ERROR 2026-12-01T04:00:01Z disk full on /dev/sda1\n",
        "WARNING 2026-12-01T04:00:02Z slow response\r\n",
    ];
    let text: Vec<Vec<u8>> = text.iter().map(|s| s.as_bytes().to_vec()).collect();
    let bad: Vec<Vec<u8>> = vec![
        vec![0xff],
        vec![0xc3],
        vec![0x80],
        vec![0xed, 0xa0, 0x80],
        vec![0xe2, 0x80],
        vec![0xc0, 0xaf],
    ];
    prop_oneof![
        40 => proptest::sample::select(text),
        1 => proptest::sample::select(bad),
    ]
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(piece(), 0..60).prop_map(|v| v.concat())
}

/// A reader that hands out `bytes` in pieces of the given sizes (cycled), as a pipe or a
/// short read does: each read stops where the next piece starts, whatever the block size.
struct Pieces<'a> {
    bytes: &'a [u8],
    sizes: Vec<usize>,
    next: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes[self.next % self.sizes.len()].max(1);
        self.next += 1;
        let n = size.min(out.len()).min(self.bytes.len());
        out[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

/// The counter's answer in the reference's shape.
fn counted(r: impl Read, block: usize) -> Result<Counts, usize> {
    match count_levels(r, &mut Vec::new(), block, &CancelToken::new(), |_| {}).0 {
        Ok(c) => Ok(c),
        Err(CountError::Utf8 { offset }) => Err(offset as usize),
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn a_break_or_a_character_split_between_two_reads_counts_once() {
    let text = "INFO a\r\nERROR b\r\rWARNING\u{a0}c\r\n\u{3000}INFO d\nINFO\r\n".as_bytes();
    let want = reference(text);
    assert_eq!(
        want,
        Ok(Counts {
            error: 1,
            warning: 1,
            info: 3,
            lines: 5
        })
    );
    for cut in 1..text.len() {
        for block in [1, 3, 64, BLOCK] {
            let r = Pieces {
                bytes: text,
                sizes: vec![cut, text.len()],
                next: 0,
            };
            assert_eq!(counted(r, block), want, "cut at {cut}, block {block}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn counts_match_the_reference_with_reads_that_stop_anywhere(
        bytes in input(),
        sizes in proptest::collection::vec(1usize..200, 1..8),
        block in prop_oneof![Just(7usize), Just(64), Just(100), Just(BLOCK)],
    ) {
        let r = Pieces { bytes: &bytes, sizes, next: 0 };
        prop_assert_eq!(counted(r, block), reference(&bytes));
    }

    #[test]
    fn counts_match_the_reference_at_any_block_size(bytes in input(), block in 1usize..24) {
        let want = reference(&bytes);
        // Small blocks cut lines and characters anywhere; 64 + 3b bytes cut the 64-byte groups.
        for block in [block, 64 + 3 * block, BLOCK] {
            let got = count_levels(&bytes[..], &mut Vec::new(), block, &CancelToken::new(), |_| {});
            match (got.0, want) {
                (Ok(c), Ok(w)) => prop_assert_eq!(c, w),
                (Err(CountError::Utf8 { offset }), Err(w)) => {
                    prop_assert_eq!(offset, w as u64);
                    let place = locate(&bytes[..], offset, &mut Vec::new()).unwrap();
                    prop_assert_eq!(place, reference_place(&bytes, w));
                }
                (got, want) => prop_assert!(false, "got {:?}, want {:?}", got, want),
            }
        }
    }
}
