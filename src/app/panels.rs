//! Which dashboard panels a run has, which one has the keyboard, how far each is scrolled and
//! whether one fills the screen. A panel with nothing to show for a run is not offered: a run
//! with no live series has no Queue depth panel, one without worker log lines no Log.

use super::dashboard::Dashboard;
use super::dashboard_keys::LowerTab;
use super::run::RunView;

/// The lower panels `run` has something for, in tab order (no Parameters in a replay).
pub fn shown(run: Option<&RunView>, replay_only: bool) -> Vec<LowerTab> {
    LowerTab::ALL
        .into_iter()
        .filter(|t| match t {
            LowerTab::Params => !replay_only && !run.is_some_and(RunView::watched),
            LowerTab::Queue => run.is_some_and(|r| !r.rec.series.is_empty()),
            LowerTab::Memory => run.is_some_and(|r| !r.rec.samples.is_empty()),
            LowerTab::Log => run.is_some_and(|r| !r.rec.logs.is_empty()),
            _ => true,
        })
        .collect()
}

impl Dashboard {
    /// Gives the next (`d` > 0) or previous panel the keyboard: the timeline, then each lower
    /// panel shown. On small terminals the focused lower panel is the tab shown.
    pub fn cycle_focus(&mut self, d: i64, run: Option<&RunView>) {
        let mut ring: Vec<Option<LowerTab>> = vec![None];
        ring.extend(shown(run, self.replay_only).into_iter().map(Some));
        let at = ring.iter().position(|p| *p == self.panel).unwrap_or(0) as i64;
        let n = ring.len() as i64;
        self.panel = ring[(at + d).rem_euclid(n) as usize];
        if let Some(t) = self.panel {
            self.lower_tab = t;
        }
    }

    /// Shows lower panel `t` and gives it the keyboard.
    pub fn focus_tab(&mut self, t: LowerTab) {
        self.lower_tab = t;
        self.panel = Some(t);
    }

    /// How far lower panel `t` is scrolled, in lines.
    pub fn scroll_of(&self, t: LowerTab) -> u16 {
        self.scroll[t.index()]
    }

    /// Scrolls the focused lower panel by `lines` (negative: up), stopping at its last line as
    /// measured at the last draw.
    pub fn scroll_by(&mut self, lines: i64) {
        let Some(t) = self.panel else {
            return;
        };
        let cur = i64::from(self.scroll[t.index()]);
        let max = i64::from(self.panel_max);
        self.scroll[t.index()] = (cur + lines).clamp(0, max.max(0)) as u16;
    }

    /// Lines one page of the focused panel scrolls.
    pub fn page(&self) -> i64 {
        i64::from(self.panel_page.max(2) - 1)
    }

    /// Forgets every panel's scroll (a new run starts at the top).
    pub fn reset_scroll(&mut self) {
        self.scroll = [0; LowerTab::ALL.len()];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_cycles_through_the_timeline_and_the_panels_shown() {
        let mut d = Dashboard::default();
        let order = shown(None, false);
        assert_eq!(
            order,
            [
                LowerTab::Results,
                LowerTab::Workers,
                LowerTab::Cpu,
                LowerTab::Params
            ]
        );
        for want in order.iter().copied().map(Some).chain([None]) {
            d.cycle_focus(1, None);
            assert_eq!(d.panel, want);
        }
        d.cycle_focus(-1, None);
        assert_eq!(d.panel, Some(LowerTab::Params));
        assert_eq!(d.lower_tab, LowerTab::Params);
        assert!(!shown(None, true).contains(&LowerTab::Params));
    }

    #[test]
    fn scrolling_stops_at_both_ends() {
        let mut d = Dashboard::default();
        d.scroll_by(3);
        assert_eq!(
            d.scroll_of(LowerTab::Results),
            0,
            "timeline focused: no panel scrolls"
        );
        d.focus_tab(LowerTab::Results);
        d.panel_max = 5;
        d.scroll_by(3);
        d.scroll_by(3);
        assert_eq!(d.scroll_of(LowerTab::Results), 5);
        d.scroll_by(-9);
        assert_eq!(d.scroll_of(LowerTab::Results), 0);
    }
}
