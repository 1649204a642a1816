//! The timeline's view state: which stretch of time is on screen, and the cursor.
//!
//! Pure arithmetic on nanoseconds, no drawing. By default the window follows the whole run
//! (growing live); zooming or scrolling pins it. The cursor is a time and a worker row, so
//! it stays on the same span when the window zooms around it.

/// Narrowest window: 1 µs across the whole timeline.
const MIN_WIDTH_NS: u64 = 1_000;

/// Zoom, scroll and cursor of one run's timeline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimelineView {
    /// `Some((from, width))` once the user zoomed or scrolled; `None` follows the whole run.
    pinned: Option<(u64, u64)>,
    /// Cursor time, ns; `None` until the user moves it.
    pub cursor: Option<u64>,
    /// Worker row of the cursor.
    pub row: usize,
    /// First worker row on screen (when there are more workers than rows).
    pub row_offset: usize,
}

impl TimelineView {
    /// The window `(from, width)` to draw, given the run's extent `[start, end]`.
    pub fn window(&self, start: u64, end: u64) -> (u64, u64) {
        let full = end.saturating_sub(start).max(MIN_WIDTH_NS);
        match self.pinned {
            None => (start, full),
            Some((from, width)) => (from, width),
        }
    }

    /// True while the window follows the whole run.
    pub fn following(&self) -> bool {
        self.pinned.is_none()
    }

    /// Shows the whole run again.
    pub fn fit(&mut self) {
        self.pinned = None;
    }

    /// Zooms by `factor` (< 1 zooms in) around the cursor, or the window's middle.
    pub fn zoom(&mut self, factor: f64, start: u64, end: u64) {
        let (from, width) = self.window(start, end);
        let full = end.saturating_sub(start).max(MIN_WIDTH_NS);
        let anchor = self
            .cursor
            .filter(|c| (from..=from + width).contains(c))
            .unwrap_or(from + width / 2);
        let new_w = ((width as f64 * factor) as u64).clamp(MIN_WIDTH_NS, full);
        if new_w >= full {
            self.pinned = None;
            return;
        }
        // Keep the anchor at the same fraction of the window.
        let frac = (anchor - from) as f64 / width.max(1) as f64;
        let new_from = anchor.saturating_sub((frac * new_w as f64) as u64);
        self.pinned = Some((clamp_from(new_from, new_w, start, end), new_w));
    }

    /// Scrolls by `steps` eighths of the window (negative = earlier).
    pub fn scroll(&mut self, steps: i64, start: u64, end: u64) {
        let (from, width) = self.window(start, end);
        if self.pinned.is_none() {
            return; // the whole run is on screen already
        }
        let delta = (width / 8).max(1) as i64 * steps;
        let new_from = (from as i64 + delta).max(0) as u64;
        self.pinned = Some((clamp_from(new_from, width, start, end), width));
    }

    /// Moves the cursor by `cols` screen columns of `total_cols`; scrolls to keep it visible.
    pub fn move_cursor(&mut self, cols: i64, total_cols: u16, start: u64, end: u64) {
        let (from, width) = self.window(start, end);
        let cell = (width / u64::from(total_cols.max(1))).max(1);
        let cur = self.cursor.unwrap_or(from + width / 2);
        let t = (cur as i64 + cols * cell as i64).clamp(start as i64, end.max(start) as i64) as u64;
        self.cursor = Some(t);
        if self.pinned.is_some() {
            if t < from {
                self.pinned = Some((clamp_from(t, width, start, end), width));
            } else if t >= from + width {
                let f = (t + cell).saturating_sub(width);
                self.pinned = Some((clamp_from(f, width, start, end), width));
            }
        }
    }

    /// Moves the cursor row by `d` within `rows` workers, keeping it within `visible` rows.
    pub fn move_row(&mut self, d: i64, rows: usize, visible: usize) {
        if rows == 0 {
            return;
        }
        self.row = (self.row as i64 + d).clamp(0, rows as i64 - 1) as usize;
        self.keep_row_visible(visible);
    }

    /// Scrolls the rows so the cursor row is on screen.
    pub fn keep_row_visible(&mut self, visible: usize) {
        let visible = visible.max(1);
        if self.row < self.row_offset {
            self.row_offset = self.row;
        } else if self.row >= self.row_offset + visible {
            self.row_offset = self.row + 1 - visible;
        }
    }
}

fn clamp_from(from: u64, width: u64, start: u64, end: u64) -> u64 {
    let last = end.saturating_sub(width).max(start);
    from.clamp(start, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_until_zoomed_and_fit_returns() {
        let mut v = TimelineView::default();
        assert_eq!(v.window(100, 1100), (100, 1000));
        v.zoom(0.5, 100, 10_100);
        assert_eq!(v.window(100, 10_100), (2600, 5000));
        assert!(!v.following());
        v.fit();
        assert_eq!(v.window(100, 10_100), (100, 10_000));
    }

    #[test]
    fn zoom_keeps_the_cursor_in_place() {
        let mut v = TimelineView {
            cursor: Some(8_000),
            ..TimelineView::default()
        };
        v.zoom(0.5, 0, 10_000);
        let (from, w) = v.window(0, 10_000);
        assert_eq!(w, 5_000);
        // 80% across before, 80% across after.
        assert_eq!(from, 4_000);
        // Zooming out past the whole run follows again.
        v.zoom(4.0, 0, 10_000);
        assert!(v.following());
    }

    #[test]
    fn zoom_stops_at_one_microsecond_and_scroll_stays_in_the_run() {
        let mut v = TimelineView::default();
        for _ in 0..40 {
            v.zoom(0.5, 0, 1_000_000);
        }
        assert_eq!(v.window(0, 1_000_000).1, MIN_WIDTH_NS);
        for _ in 0..10_000 {
            v.scroll(5, 0, 1_000_000);
        }
        let (from, w) = v.window(0, 1_000_000);
        assert_eq!(from + w, 1_000_000);
        v.scroll(-1_000_000, 0, 1_000_000);
        assert_eq!(v.window(0, 1_000_000).0, 0);
    }

    #[test]
    fn cursor_scrolls_the_window_at_the_edge() {
        let mut v = TimelineView::default();
        v.zoom(0.1, 0, 10_000); // 1000 wide around 5000
        let (from, _) = v.window(0, 10_000);
        v.cursor = Some(from + 999);
        v.move_cursor(10, 100, 0, 10_000);
        let (from2, w) = v.window(0, 10_000);
        let c = v.cursor.unwrap();
        assert!(from2 > from && c >= from2 && c < from2 + w);
    }

    #[test]
    fn rows_scroll_with_the_cursor() {
        let mut v = TimelineView::default();
        v.move_row(10, 64, 4);
        assert_eq!((v.row, v.row_offset), (10, 7));
        v.move_row(-9, 64, 4);
        assert_eq!((v.row, v.row_offset), (1, 1));
        v.move_row(1000, 64, 4);
        assert_eq!(v.row, 63);
    }
}
