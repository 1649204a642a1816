//! Small numeric helpers shared by the runner and the demos.

/// An order-sensitive 64-bit hash of a result, cheap enough to fold millions of values.
///
/// Demos fold their results in input order; two variants agree exactly when they produced the
/// same values in the same order. Not cryptographic; it only has to catch wrong answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Digest(u64);

impl Default for Digest {
    fn default() -> Self {
        Digest(0x9E37_79B9_7F4A_7C15)
    }
}

impl Digest {
    /// A fresh digest.
    pub fn new() -> Digest {
        Digest::default()
    }

    /// Folds one value in.
    #[inline]
    pub fn push(&mut self, v: u64) {
        let x = (self.0 ^ v).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        self.0 = x.rotate_left(29) ^ (x >> 32);
    }

    /// Folds bytes in (eight at a time).
    pub fn push_bytes(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.push(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        self.push(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 56));
    }

    /// Folds every value of a slice in.
    pub fn push_all(&mut self, vs: &[u64]) {
        for &v in vs {
            self.push(v);
        }
    }

    /// The hash so far.
    pub fn value(self) -> u64 {
        self.0
    }
}

/// The median of `xs` (mean of the middle two for an even count); 0 for none.
pub fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_order_sensitive() {
        let mut a = Digest::new();
        a.push_all(&[1, 2, 3]);
        let mut b = Digest::new();
        b.push_all(&[1, 3, 2]);
        assert_ne!(a.value(), b.value());
        let mut c = Digest::new();
        c.push_all(&[1, 2, 3]);
        assert_eq!(a, c);
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }
}
