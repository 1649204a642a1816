//! Property tests: the block counter against a straightforward reference of the tutorial's
//! rules, on random bytes drawn from the classes that matter (level names and near misses,
//! every kind of line break, ASCII and Unicode whitespace, other non-ASCII characters, a BOM,
//! and invalid UTF-8), at block sizes from 1 byte up.

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
        "ERROR", "WARNING", "INFO", "INF", "ERRORS", "WARN", "DEBUG", "x", "info", " ", "  ", "\t",
        "\n", "\r", "\r\n", "\n\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\u{85}",
        "\u{a0}", "\u{1680}", "\u{2000}", "\u{200a}", "\u{2028}", "\u{2029}", "\u{202f}",
        "\u{205f}", "\u{3000}", "\u{200b}", "\u{feff}", "é", "\u{2030}", "😀", "\x00",
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

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
