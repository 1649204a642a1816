//! The line breaks of 64 bytes at a time, as one bit mask, and whether any of those bytes is
//! not ASCII.
//!
//! A mask per 64 bytes lets the counter walk from line to line with one bit operation each
//! instead of one byte search per line (a search costs more to start than an 88-byte log line
//! takes to scan). On x86-64 the 16-byte compares of SSE2, which every x86-64 CPU has, are
//! called through `safe_arch`'s safe wrappers (parlab forbids `unsafe`); elsewhere a portable
//! version that the compiler vectorizes gives the same masks, a little slower. The ASCII flag
//! comes from the same loads, so a block of plain ASCII needs no separate UTF-8 check.

/// Bytes per group: one bit each in a `u64`.
pub const GROUP: usize = 64;

/// What one group of [`GROUP`] bytes holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Masks {
    /// Bit `i` is set when byte `i` is `\n` or `\r` (each ends a line for Python).
    pub breaks: u64,
    /// Not zero when some byte is 0x80 or above (not ASCII). Which bits are set says nothing.
    pub high: u64,
}

/// The masks of one group.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub fn masks(b: &[u8; GROUP]) -> Masks {
    use safe_arch::{
        cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let nl = set_splat_i8_m128i(b'\n' as i8);
    let cr = set_splat_i8_m128i(b'\r' as i8);
    let (mut breaks, mut high) = (0u64, 0u64);
    for k in 0..GROUP / 16 {
        let q: [u8; 16] = std::array::from_fn(|i| b[16 * k + i]);
        let v = load_unaligned_m128i(&q);
        let hit = cmp_eq_mask_i8_m128i(v, nl) | cmp_eq_mask_i8_m128i(v, cr);
        // Each mask holds 16 bits; `as u16` keeps them and drops the sign.
        breaks |= u64::from(move_mask_i8_m128i(hit) as u16) << (16 * k);
        high |= u64::from(move_mask_i8_m128i(v) as u16);
    }
    Masks { breaks, high }
}

/// The masks of one group.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
pub fn masks(b: &[u8; GROUP]) -> Masks {
    portable(b)
}

/// [`masks`] without CPU-specific instructions: compares byte by byte into 0/1 bytes (which
/// the compiler vectorizes), then packs each 8 of them into 8 bits with one multiplication.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
pub fn portable(b: &[u8; GROUP]) -> Masks {
    let hits: [u8; GROUP] = std::array::from_fn(|i| u8::from(b[i] == b'\n' || b[i] == b'\r'));
    let mut breaks = 0u64;
    for k in 0..GROUP / 8 {
        let w: [u8; 8] = std::array::from_fn(|i| hits[8 * k + i]);
        // Byte j (0 or 1) lands on bit 56 + j; no two partial products meet, so no carries.
        let packed = u64::from_le_bytes(w).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        breaks |= packed << (8 * k);
    }
    let high = u64::from(b.iter().fold(0, |a, &x| a | x) >> 7);
    Masks { breaks, high }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(b: &[u8; GROUP]) -> (u64, bool) {
        let breaks = (0..GROUP)
            .filter(|&i| b[i] == b'\n' || b[i] == b'\r')
            .fold(0u64, |m, i| m | 1 << i);
        (breaks, !b.is_ascii())
    }

    #[test]
    fn both_versions_find_every_break_and_any_high_byte() {
        let mut rng = crate::logs::generate::Rng::for_file(7, 0);
        let bytes = [b'\n', b'\r', b'a', b' ', 0x0b, 0x8d, 0x8a, 0x80, 0xff, 0x00];
        for round in 0..2000 {
            let mut b = [b'x'; GROUP];
            let n = round % 12;
            for _ in 0..n {
                let at = rng.below(GROUP as u64) as usize;
                b[at] = bytes[rng.below(bytes.len() as u64) as usize];
            }
            let (breaks, high) = plain(&b);
            for m in [masks(&b), portable(&b)] {
                assert_eq!(m.breaks, breaks, "{b:?}");
                assert_eq!(m.high != 0, high, "{b:?}");
            }
        }
        let all = [b'\n'; GROUP];
        assert_eq!(masks(&all).breaks, u64::MAX);
        assert_eq!(portable(&all).breaks, u64::MAX);
    }
}
