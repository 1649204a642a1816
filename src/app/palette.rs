//! Which palette the TUI draws with: app state (the `T` key switches it), so it lives here;
//! the styles of each palette are the views' business (`ui::theme`).

/// Which palette.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeKind {
    /// Light text on a dark terminal.
    Dark,
    /// Dark text on a light terminal.
    Light,
    /// No colour (`NO_COLOR`).
    Plain,
}

impl ThemeKind {
    /// From the environment: `NO_COLOR` (any non-empty value) wins, then `PARLAB_THEME`.
    pub fn from_env() -> ThemeKind {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return ThemeKind::Plain;
        }
        match std::env::var("PARLAB_THEME").as_deref() {
            Ok("light") => ThemeKind::Light,
            _ => ThemeKind::Dark,
        }
    }

    /// The next palette for the `T` key (plain stays plain: the user asked for no colour).
    pub fn toggled(self) -> ThemeKind {
        match self {
            ThemeKind::Dark => ThemeKind::Light,
            ThemeKind::Light => ThemeKind::Dark,
            ThemeKind::Plain => ThemeKind::Plain,
        }
    }
}
