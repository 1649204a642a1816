//! What travels through the pipe lesson's connections: cheap pseudo-random messages, and a
//! fast checksum that proves they arrived intact and in order.

use crate::engine::Digest;

/// Message contents: pseudo-random bytes; message `i` is a window into them, so messages
/// differ without costing anything to make.
pub struct Pattern {
    base: Vec<u8>,
    msg: usize,
}

impl Pattern {
    /// Bytes for messages of up to `msg` bytes.
    pub fn new(msg: usize) -> Pattern {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let base = (0..2 * msg.max(8))
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        Pattern { base, msg }
    }

    /// Message `i`, `len` bytes long (`len <= msg`).
    pub fn message(&self, i: u64, len: usize) -> &[u8] {
        let off = (i.wrapping_mul(7919) % self.msg.max(1) as u64) as usize;
        &self.base[off..off + len]
    }
}

/// A position-sensitive checksum of one message (Fletcher-style sums over 64-bit words in
/// four independent lanes), folded into `d`. Fast enough (several GB/s) that checking the
/// data does not limit the pipe's measured throughput, yet any changed, lost or reordered
/// word changes it.
pub fn check_message(d: &mut Digest, bytes: &[u8]) {
    let mut s1 = [0u64; 4];
    let mut s2 = [0u64; 4];
    let mut blocks = bytes.chunks_exact(32);
    for b in &mut blocks {
        for k in 0..4 {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[8 * k..8 * k + 8]);
            s1[k] = s1[k].wrapping_add(u64::from_le_bytes(w));
            s2[k] = s2[k].wrapping_add(s1[k]);
        }
    }
    for s in s1.iter().chain(&s2) {
        d.push(*s);
    }
    d.push_bytes(blocks.remainder());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_sees_changed_and_swapped_words() {
        let sum = |b: &[u8]| {
            let mut d = Digest::new();
            check_message(&mut d, b);
            d.value()
        };
        let pat = Pattern::new(4096);
        let a = pat.message(3, 4096).to_vec();
        let mut swapped = a.clone();
        swapped[..64].rotate_left(32);
        let mut flipped = a.clone();
        flipped[4095] ^= 1;
        assert_ne!(sum(&a), sum(&swapped));
        assert_ne!(sum(&a), sum(&flipped));
        assert_ne!(sum(&a[..4000]), sum(&a[..4001]));
    }
}
