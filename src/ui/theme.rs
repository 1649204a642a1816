//! Colours, glyphs and text styles under semantic names, so views never pick a colour.
//!
//! Three palettes: dark (the default), light (`PARLAB_THEME=light` or `T`), and plain, used
//! when `NO_COLOR` is set: no colours at all, emphasis only through bold / reverse, and the
//! timeline still readable because every phase has its own glyph.

use ratatui::style::{Color, Modifier, Style};

use crate::trace::Phase;

pub use crate::app::palette::ThemeKind;

/// Every style the views use, by meaning.
#[derive(Clone, Debug)]
pub struct Theme {
    /// Which palette this is.
    pub kind: ThemeKind,
    /// Ordinary text.
    pub text: Style,
    /// Secondary text: hints, units, summaries.
    pub dim: Style,
    /// Panel titles and headings.
    pub title: Style,
    /// Lesson headings in the reader.
    pub heading: Style,
    /// Highlights: the selected value, key names.
    pub accent: Style,
    /// The selected row.
    pub selected: Style,
    /// Panel borders.
    pub border: Style,
    /// Borders of the panel that has the keyboard.
    pub border_focus: Style,
    /// Good news: correct, done.
    pub ok: Style,
    /// Bad news: incorrect, failed.
    pub bad: Style,
    /// Caution: cancelled, running.
    pub warn: Style,
    /// Key names in the footer and help.
    pub key: Style,
    /// Inline code and code blocks.
    pub code: Style,
    /// Code keywords.
    pub code_keyword: Style,
    /// Code strings.
    pub code_string: Style,
    /// Code comments.
    pub code_comment: Style,
    /// Code numbers.
    pub code_number: Style,
    /// Function and macro names.
    pub code_function: Style,
    /// The timeline cursor.
    pub cursor: Style,
    /// The progress bar's filled part.
    pub gauge: Style,
    /// Whether colours are used at all.
    pub color: bool,
}

fn fg(c: Color) -> Style {
    Style::new().fg(c)
}

impl Theme {
    /// The palette of `kind`.
    pub fn new(kind: ThemeKind) -> Theme {
        match kind {
            ThemeKind::Dark => Theme::dark(),
            ThemeKind::Light => Theme::light(),
            ThemeKind::Plain => Theme::plain(),
        }
    }

    fn dark() -> Theme {
        Theme {
            kind: ThemeKind::Dark,
            text: Style::new(),
            dim: fg(Color::Gray).add_modifier(Modifier::DIM),
            title: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            heading: fg(Color::LightCyan).add_modifier(Modifier::BOLD),
            accent: fg(Color::LightYellow),
            selected: Style::new()
                .bg(Color::Indexed(238))
                .add_modifier(Modifier::BOLD),
            border: fg(Color::DarkGray),
            border_focus: fg(Color::LightYellow),
            ok: fg(Color::LightGreen),
            bad: fg(Color::LightRed).add_modifier(Modifier::BOLD),
            warn: fg(Color::Yellow),
            key: fg(Color::LightYellow).add_modifier(Modifier::BOLD),
            code: fg(Color::Indexed(252)),
            code_keyword: fg(Color::LightMagenta),
            code_string: fg(Color::LightGreen),
            code_comment: fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
            code_number: fg(Color::LightYellow),
            code_function: fg(Color::LightBlue),
            cursor: Style::new().bg(Color::White).fg(Color::Black),
            gauge: fg(Color::LightGreen),
            color: true,
        }
    }

    fn light() -> Theme {
        Theme {
            kind: ThemeKind::Light,
            text: fg(Color::Black),
            dim: fg(Color::DarkGray),
            title: fg(Color::Blue).add_modifier(Modifier::BOLD),
            heading: fg(Color::Blue).add_modifier(Modifier::BOLD),
            accent: fg(Color::Magenta),
            selected: Style::new()
                .bg(Color::Indexed(254))
                .add_modifier(Modifier::BOLD),
            border: fg(Color::Gray),
            border_focus: fg(Color::Magenta),
            ok: fg(Color::Green),
            bad: fg(Color::Red).add_modifier(Modifier::BOLD),
            warn: fg(Color::Indexed(130)),
            key: fg(Color::Blue).add_modifier(Modifier::BOLD),
            code: fg(Color::Indexed(236)),
            code_keyword: fg(Color::Magenta),
            code_string: fg(Color::Green),
            code_comment: fg(Color::Gray).add_modifier(Modifier::ITALIC),
            code_number: fg(Color::Indexed(130)),
            code_function: fg(Color::Blue),
            cursor: Style::new().bg(Color::Black).fg(Color::White),
            gauge: fg(Color::Green),
            color: true,
        }
    }

    fn plain() -> Theme {
        let s = Style::new();
        Theme {
            kind: ThemeKind::Plain,
            text: s,
            dim: s,
            title: s.add_modifier(Modifier::BOLD),
            heading: s.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            accent: s.add_modifier(Modifier::BOLD),
            selected: s.add_modifier(Modifier::REVERSED),
            border: s,
            border_focus: s.add_modifier(Modifier::BOLD),
            ok: s,
            bad: s.add_modifier(Modifier::BOLD),
            warn: s,
            key: s.add_modifier(Modifier::BOLD),
            code: s,
            code_keyword: s.add_modifier(Modifier::BOLD),
            code_string: s,
            code_comment: s.add_modifier(Modifier::ITALIC),
            code_number: s,
            code_function: s,
            cursor: s.add_modifier(Modifier::REVERSED),
            gauge: s,
            color: false,
        }
    }

    /// Style of a phase on the timeline and in the legend.
    pub fn phase(&self, p: Phase) -> Style {
        if !self.color {
            return Style::new();
        }
        let c = match p {
            Phase::Startup => Color::Magenta,
            Phase::Compute => Color::Green,
            Phase::Send => Color::Blue,
            Phase::Receive => Color::Cyan,
            Phase::WaitLock => Color::Red,
            Phase::WaitWork => Color::Yellow,
            Phase::Idle => Color::DarkGray,
            Phase::WaitCpu => Color::LightRed,
            Phase::Blocked => Color::Gray,
        };
        fg(c)
    }

    /// Style of one heat-strip cell at `load` percent.
    pub fn heat(&self, load: f32) -> Style {
        if !self.color {
            return Style::new();
        }
        let c = if load < 10.0 {
            Color::DarkGray
        } else if load < 40.0 {
            Color::Green
        } else if load < 75.0 {
            Color::Yellow
        } else {
            Color::Red
        };
        fg(c)
    }
}

/// The glyph of a phase: distinct for every phase, so the timeline reads without colour.
pub fn glyph(p: Phase) -> char {
    match p {
        Phase::Startup => '^',
        Phase::Compute => '█',
        Phase::Send => '>',
        Phase::Receive => '<',
        Phase::WaitLock => '#',
        Phase::WaitWork => '░',
        Phase::Idle => '.',
        Phase::WaitCpu => '!',
        Phase::Blocked => '-',
    }
}

/// The glyph of a heat-strip cell: darker means busier, readable without colour.
pub fn heat_glyph(load: f32) -> char {
    match load {
        l if l < 5.0 => ' ',
        l if l < 25.0 => '░',
        l if l < 50.0 => '▒',
        l if l < 75.0 => '▓',
        _ => '█',
    }
}

/// One block of a vertical bar for a fraction 0..=1 (the CPU average line).
pub fn level_glyph(frac: f32) -> char {
    const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let i = (frac.clamp(0.0, 1.0) * 8.0).round() as usize;
    LEVELS[i.min(8)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phase_has_its_own_glyph() {
        let mut gs: Vec<char> = Phase::ALL.iter().map(|p| glyph(*p)).collect();
        gs.sort_unstable();
        gs.dedup();
        assert_eq!(gs.len(), Phase::ALL.len());
    }
}
