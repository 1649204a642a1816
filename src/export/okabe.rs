//! The Okabe–Ito palette: eight colours that stay distinct for the common kinds of colour
//! blindness. Slides and the presenter layout mark worker phases with it, and always with a
//! pattern (SVG) or a glyph (terminal) as well, so no reading depends on colour alone.

use crate::trace::Phase;

/// Okabe–Ito colours, as RGB.
pub mod rgb {
    /// Black.
    pub const BLACK: (u8, u8, u8) = (0, 0, 0);
    /// Orange.
    pub const ORANGE: (u8, u8, u8) = (0xE6, 0x9F, 0x00);
    /// Sky blue.
    pub const SKY_BLUE: (u8, u8, u8) = (0x56, 0xB4, 0xE9);
    /// Bluish green.
    pub const BLUISH_GREEN: (u8, u8, u8) = (0x00, 0x9E, 0x73);
    /// Yellow.
    pub const YELLOW: (u8, u8, u8) = (0xF0, 0xE4, 0x42);
    /// Blue.
    pub const BLUE: (u8, u8, u8) = (0x00, 0x72, 0xB2);
    /// Vermillion.
    pub const VERMILLION: (u8, u8, u8) = (0xD5, 0x5E, 0x00);
    /// Reddish purple.
    pub const REDDISH_PURPLE: (u8, u8, u8) = (0xCC, 0x79, 0xA7);
    /// Neutral grey for "nothing happening" (not one of the eight: idle must recede).
    pub const GREY: (u8, u8, u8) = (0x99, 0x99, 0x99);
}

/// The colour of a phase.
pub fn phase(p: Phase) -> (u8, u8, u8) {
    match p {
        Phase::Startup => rgb::REDDISH_PURPLE,
        Phase::Compute => rgb::BLUISH_GREEN,
        Phase::Send => rgb::BLUE,
        Phase::Receive => rgb::SKY_BLUE,
        Phase::WaitLock => rgb::VERMILLION,
        Phase::WaitWork => rgb::ORANGE,
        Phase::Idle => rgb::GREY,
        Phase::WaitCpu => rgb::YELLOW,
        Phase::Blocked => rgb::BLACK,
    }
}

/// Colours of successive series in a chart (speedup curves), in order.
pub const SERIES: [(u8, u8, u8); 6] = [
    rgb::BLUE,
    rgb::VERMILLION,
    rgb::BLUISH_GREEN,
    rgb::REDDISH_PURPLE,
    rgb::ORANGE,
    rgb::SKY_BLUE,
];

/// `#rrggbb`.
pub fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A grey for a CPU load 0..=100: white when idle, near black when saturated.
pub fn load_grey(load: f32) -> (u8, u8, u8) {
    let v = (255.0 - load.clamp(0.0, 100.0) * 2.2) as u8;
    (v, v, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phase_has_its_own_colour() {
        let mut cs: Vec<_> = Phase::ALL.iter().map(|p| phase(*p)).collect();
        cs.sort_unstable();
        cs.dedup();
        assert_eq!(cs.len(), Phase::ALL.len());
        assert_eq!(hex(rgb::ORANGE), "#e69f00");
    }
}
