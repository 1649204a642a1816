//! n! with num-bigint, its decimal digit count, and what the demo keeps of each value.

use num_bigint::BigUint;

use crate::engine::Digest;
use crate::trace::thread_cpu_ns;

/// n!, multiplying several small factors into one machine word before each big multiply.
pub fn factorial(n: u64) -> BigUint {
    let mut acc = BigUint::from(1u32);
    let mut packed: u64 = 1;
    for k in 2..=n {
        match packed.checked_mul(k) {
            Some(p) => packed = p,
            None => {
                acc *= packed;
                packed = k;
            }
        }
    }
    acc *= packed;
    acc
}

/// Decimal digits of `x`, which is `n!`: from the sum of log10(k), checked exactly against a
/// power of ten in the rare case the estimate sits close to a digit boundary.
pub fn factorial_digits(x: &BigUint, n: u64) -> u64 {
    let s: f64 = (2..=n).map(|k| (k as f64).log10()).sum();
    let whole = s.floor();
    let frac = s - whole;
    if (1e-6..1.0 - 1e-6).contains(&frac) {
        return whole as u64 + 1;
    }
    // Near a boundary: 10^d <= x decides.
    let d = s.round() as u32;
    if *x >= BigUint::from(10u32).pow(d) {
        u64::from(d) + 1
    } else {
        u64::from(d)
    }
}

/// What is kept of one n!: its digit count, a hash of its digits, and how long it took.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fact {
    /// Decimal digits.
    pub digits: u64,
    /// Hash of the binary digits.
    pub hash: u64,
    /// CPU time the computing thread spent on it, ns (CPU time, not wall time, so other
    /// programs sharing the cores do not distort the work measure).
    pub ns: u64,
}

/// Computes n! and keeps its digit count, hash and cost (CPU time of all three).
pub fn compute(n: u64) -> Fact {
    let t0 = thread_cpu_ns();
    let x = factorial(n);
    let mut d = Digest::new();
    for w in x.iter_u64_digits() {
        d.push(w);
    }
    let digits = factorial_digits(&x, n);
    Fact {
        digits,
        hash: d.value(),
        ns: thread_cpu_ns() - t0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_factorials() {
        assert_eq!(factorial(0), BigUint::from(1u32));
        assert_eq!(factorial(1), BigUint::from(1u32));
        assert_eq!(factorial(20), BigUint::from(2_432_902_008_176_640_000u64));
        assert_eq!(factorial(25).to_string(), "15511210043330985984000000");
        let f = factorial(1000);
        assert_eq!(f.to_string().len(), 2568);
        assert_eq!(factorial_digits(&f, 1000), 2568);
    }

    #[test]
    fn digit_counts_match_decimal_strings() {
        for n in (0..400).chain([999, 1000, 1001, 2500]) {
            let f = factorial(n);
            assert_eq!(factorial_digits(&f, n), f.to_string().len() as u64, "{n}!");
        }
    }
}
