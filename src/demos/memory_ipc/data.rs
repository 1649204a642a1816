//! The buffer of the memory lesson: filled by position, split into word-aligned pieces, and
//! a checksum that adds up over pieces, so any split must give the sequential answer.

use std::ops::Range;

use super::SPAN_BYTES;
use crate::demos::support::{share, team};
use crate::engine::{Ctx, DemoError};
use crate::trace::Phase;

/// The checksum term of the word at index `i` (from the start of the whole buffer).
#[inline]
fn term(i: u64, w: u64) -> u64 {
    (w ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_mul(0xFF51_AFD7_ED55_8CCD)
        .rotate_left(23)
}

/// Checksum of `bytes` whose first byte is word `first_word` of the whole buffer (a tail
/// shorter than a word counts as one word, padded, marked with its length). Adds up over
/// pieces: checksum(a ++ b) = checksum(a) + checksum(b at its offset) when a is whole words.
pub fn checksum(bytes: &[u8], first_word: u64) -> u64 {
    let mut acc = 0u64;
    let mut chunks = bytes.chunks_exact(8);
    let mut i = first_word;
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        acc = acc.wrapping_add(term(i, u64::from_le_bytes(b)));
        i += 1;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        acc = acc.wrapping_add(term(i, u64::from_le_bytes(b) ^ ((rest.len() as u64) << 56)));
    }
    acc
}

/// Fills `buf` (starting at word `first_word` of the whole buffer) with bytes that depend
/// only on the position, so any split gives the same whole. Cheap on purpose: filling is
/// not what the lesson measures.
fn fill(buf: &mut [u8], first_word: u64) {
    let mut i = first_word;
    let mut chunks = buf.chunks_exact_mut(8);
    for c in &mut chunks {
        c.copy_from_slice(&(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i >> 7)).to_le_bytes());
        i += 1;
    }
    let rest = chunks.into_remainder();
    let n = rest.len();
    rest.copy_from_slice(&i.wrapping_mul(0x9E37_79B9_7F4A_7C15).to_le_bytes()[..n]);
}

/// Byte ranges of the W pieces: whole words each (shared out as `support::share` does), the
/// tail bytes in the last piece.
fn pieces(bytes: u64, workers: usize) -> Vec<Range<u64>> {
    let k = workers.max(1);
    (0..k)
        .map(|w| {
            let words = share(bytes / 8, k, w);
            let end = if w + 1 == k { bytes } else { words.end * 8 };
            words.start * 8..end
        })
        .collect()
}

/// A piece of the buffer, owned.
pub(super) struct Piece {
    pub(super) data: Vec<u8>,
    pub(super) first_word: u64,
}

/// Makes the buffer as one owned piece per worker, each allocated and filled by its own
/// thread (outside the timed window: only the hand-over and the checksum are timed).
pub(super) fn make_pieces(
    ctx: &Ctx<'_>,
    bytes: u64,
    workers: usize,
) -> Result<Vec<Piece>, DemoError> {
    let ranges = pieces(bytes, workers);
    team("mem-fill").run(ctx, ranges.len(), |w| {
        let r = ranges[w].clone();
        let len = usize::try_from(r.end - r.start)
            .map_err(|_| anyhow::anyhow!("a piece of {} bytes does not fit", r.end - r.start))?;
        let mut data = vec![0u8; len];
        for (k, c) in data.chunks_mut(SPAN_BYTES).enumerate() {
            ctx.cancel.check()?;
            fill(c, r.start / 8 + (k * SPAN_BYTES / 8) as u64);
        }
        Ok(Piece {
            data,
            first_word: r.start / 8,
        })
    })
}

/// Checksums `data` as worker `w`, one span per [`SPAN_BYTES`]; `None` if cancelled.
pub(super) fn checksum_traced(ctx: &Ctx<'_>, w: u32, data: &[u8], first_word: u64) -> Option<u64> {
    let mut acc = 0u64;
    for (k, c) in data.chunks(SPAN_BYTES).enumerate() {
        if ctx.cancel.is_cancelled() {
            return None;
        }
        let s = ctx.trace.start();
        acc = acc.wrapping_add(checksum(c, first_word + (k * SPAN_BYTES / 8) as u64));
        ctx.trace
            .end(w, s, Phase::Compute, c.len() as u64 / 8, c.len() as u64);
        ctx.progress.add(c.len() as u64);
    }
    Some(acc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::peak_rss;

    #[test]
    fn pieces_cover_the_buffer_at_word_boundaries() {
        for (bytes, w) in [(0, 3), (3, 4), (17, 2), (80, 3)] {
            let ps = pieces(bytes, w);
            assert_eq!(ps.len(), w);
            assert_eq!(ps[0].start, 0);
            assert_eq!(ps[w - 1].end, bytes);
            for p in &ps[..w - 1] {
                assert_eq!(p.start % 8, 0);
                assert_eq!(p.end % 8, 0);
            }
        }
    }

    #[test]
    fn checksum_adds_up_over_pieces() {
        let mut buf = vec![0u8; 100];
        fill(&mut buf, 0);
        let whole = checksum(&buf, 0);
        let split = checksum(&buf[..40], 0).wrapping_add(checksum(&buf[40..], 5));
        assert_eq!(whole, split);
        assert!(peak_rss() > 0);
    }
}
