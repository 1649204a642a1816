//! The one home of number formats: milliseconds, counts, plain numbers and byte sizes read
//! the same in the CLI's tables, the logs tool, error messages and the TUI.
//!
//! Byte sizes are binary (KiB, MiB, GiB: powers of 1024) everywhere, because the limits they
//! are compared with (memory budgets, file caps) are powers of two.

/// Milliseconds with sensible precision: 0.042 ms, 3.21 ms, 1502 ms.
pub fn fmt_ms(ms: f64) -> String {
    if ms < 1.0 {
        format!("{ms:.3} ms")
    } else if ms < 100.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// A count with thousands separators: 1,234,567.
pub fn fmt_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number without needless decimals.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}

/// A byte size in binary units with one decimal: 512 B, 12.0 KiB, 1.5 GiB.
pub fn fmt_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = b as f64;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < UNITS.len() {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_ms(0.0421), "0.042 ms");
        assert_eq!(fmt_ms(1502.2), "1502 ms");
        assert_eq!(fmt_count(1_234_567), "1,234,567");
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_bytes(512), "512 B");
        assert_eq!(fmt_bytes(12 << 10), "12.0 KiB");
        assert_eq!(fmt_bytes(16 << 30), "16.0 GiB");
        assert_eq!(fmt_bytes(3 << 29), "1.5 GiB");
    }
}
