//! The run dashboard's state: which panel has the keyboard, the lower tab on small terminals,
//! the timeline geometry of the last draw, and what its keys do to the run shown (zoom,
//! cursor, replay speed). The keys live in [`super::dashboard_keys`].

use super::dashboard_keys::{DASHBOARD, DashAction, REPLAY, REPLAY_OPENED, WATCH};
use super::keys::{GLOBAL, Table};
use super::replay::SPEEDS;
use super::run::RunView;

/// Which panel of the dashboard has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The timeline (cursor, zoom).
    Timeline,
    /// The parameter editor.
    Params,
}

pub use super::dashboard_keys::LowerTab;

/// The keys of a live dashboard.
pub const DASHBOARD_KEYS: Table<DashAction> = Table {
    name: "Dashboard",
    own: DASHBOARD,
    global: GLOBAL,
};

/// The keys of a replay.
pub const REPLAY_KEYS: Table<DashAction> = Table {
    name: "Replay",
    own: REPLAY,
    global: GLOBAL,
};

/// The keys of a replay opened from a screen, which it goes back to.
pub const REPLAY_OPENED_KEYS: Table<DashAction> = Table {
    name: "Replay",
    own: REPLAY_OPENED,
    global: GLOBAL,
};

/// The keys of a watched program.
pub const WATCH_KEYS: Table<DashAction> = Table {
    name: "Watch",
    own: WATCH,
    global: GLOBAL,
};

/// The keys while a panel is maximized.
pub const MAXIMIZED_KEYS: Table<DashAction> = Table {
    name: "Maximized panel",
    own: super::dashboard_keys::MAXIMIZED,
    global: GLOBAL,
};

/// The dashboard's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Dashboard {
    /// Which panel has the keyboard.
    pub focus: Focus,
    /// Lower panel on small terminals.
    pub lower_tab: LowerTab,
    /// Started with `parlab replay`: q quits, no parameters, no new runs.
    pub replay_only: bool,
    /// Timeline columns at the last draw (cursor steps are screen columns).
    pub timeline_cols: u16,
    /// Worker rows visible at the last draw (the cursor row stays on screen).
    pub timeline_rows: usize,
    /// The lower panel with the keyboard (arrows scroll it); `None`: the timeline has it.
    pub panel: Option<LowerTab>,
    /// The focused panel fills the dashboard.
    pub maximized: bool,
    /// How far each lower panel is scrolled, by [`LowerTab::index`].
    pub scroll: [u16; LowerTab::ALL.len()],
    /// The focused panel's largest useful scroll at the last draw.
    pub panel_max: u16,
    /// The focused panel's visible lines at the last draw (a page).
    pub panel_page: u16,
}

impl Default for Dashboard {
    fn default() -> Dashboard {
        Dashboard {
            focus: Focus::Timeline,
            lower_tab: LowerTab::Results,
            replay_only: false,
            timeline_cols: 0,
            timeline_rows: 0,
            panel: None,
            maximized: false,
            scroll: [0; LowerTab::ALL.len()],
            panel_max: 0,
            panel_page: 0,
        }
    }
}

impl Dashboard {
    /// The key table in force (the timeline's; the parameter editor has its own).
    pub fn keys(&self) -> &'static Table<DashAction> {
        if self.replay_only {
            &REPLAY_KEYS
        } else {
            &DASHBOARD_KEYS
        }
    }

    /// Acts on a key that changes only the dashboard or the run shown; returns the action
    /// when the app must act (run, cancel, back, other runs, parameters, replay's end).
    pub fn act(
        &mut self,
        a: DashAction,
        run: Option<&mut RunView>,
        shift: bool,
    ) -> Option<DashAction> {
        use DashAction as D;
        match a {
            D::Tab(t) => self.focus_tab(t),
            D::Params => {
                self.focus = Focus::Params;
                self.focus_tab(LowerTab::Params);
            }
            D::Focus(d) => self.cycle_focus(d, run.as_deref()),
            D::Maximize => self.maximized = !self.maximized,
            D::Cancel if self.maximized => self.maximized = false,
            D::Row(d) if self.panel.is_some() => self.scroll_by(d),
            D::Page(d) if self.panel.is_some() => self.scroll_by(d * self.page()),
            D::Page(d) => {
                if let Some(run) = run {
                    self.on_run(D::Row(d * 8), run, shift);
                }
            }
            D::Run
            | D::Cancel
            | D::Back
            | D::Browse(_)
            | D::Runs
            | D::Sweep
            | D::ToEnd
            | D::Present => {
                return Some(a);
            }
            _ => {
                if let Some(run) = run {
                    self.on_run(a, run, shift);
                }
            }
        }
        None
    }

    /// Zooms the timeline of `run` by `factor` (< 1 zooms in).
    pub fn zoom(run: &mut RunView, factor: f64) {
        let (s, e) = run.extent();
        run.timeline.zoom(factor, s, e);
    }

    fn on_run(&mut self, a: DashAction, run: &mut RunView, shift: bool) {
        use DashAction as D;
        let cols = self.timeline_cols;
        let (s, e) = run.extent();
        match a {
            D::ZoomIn => Self::zoom(run, 0.5),
            D::ZoomOut => Self::zoom(run, 2.0),
            D::Fit => run.timeline.fit(),
            D::Scroll(d) => run.timeline.scroll(d, s, e),
            D::Cursor(d) => {
                let step = if shift { 8 } else { 1 };
                run.timeline.move_cursor(d * step, cols, s, e);
            }
            D::Row(d) => {
                let rows = run.rows();
                run.timeline.move_row(d, rows, self.timeline_rows);
                if run.timeline.cursor.is_none() {
                    run.timeline.move_cursor(0, cols, s, e);
                }
            }
            D::CursorTo(end) => {
                run.timeline.cursor = Some(if end { e } else { s });
                run.timeline.move_cursor(0, cols, s, e);
            }
            D::HideCursor => run.timeline.cursor = None,
            D::Pause | D::Slower | D::Faster => {
                if let Some(p) = run.player.as_mut() {
                    match a {
                        D::Pause => p.paused = !p.paused,
                        D::Slower => p.speed = p.speed.saturating_sub(1),
                        _ => p.speed = (p.speed + 1).min(SPEEDS.len() - 1),
                    }
                }
            }
            _ => {}
        }
    }
}
