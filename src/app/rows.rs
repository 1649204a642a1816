//! A worker row's spans summed per screen cell: the per-row index of cumulative phase time
//! ([`RowIndex`]), kept in step with the recording as batches arrive, and the queries the
//! timeline draws from ([`aggregate_row`], [`span_at`]).
//!
//! Cost depends on screen cells, not spans: for every cell, two binary searches find the
//! spans overlapping its time range, and the index gives their mix exactly in bounded time.
//! A million spans draw as fast as a thousand. State, not drawing: the run view keeps one
//! index per worker, the timeline view reads them.

use crate::trace::{Phase, Span};

/// Spans per block of the row index.
const BLOCK: usize = 32;

/// Per-phase time summed over a row's spans, every [`BLOCK`] spans: with it, the time each
/// phase fills in any range of spans costs one subtraction plus at most `2 x BLOCK` spans.
/// Kept in step with the row as batches arrive (O(new spans)); rebuilt if the row changed
/// behind it (a merge to stay within the memory budget).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowIndex {
    /// `cum[k]` = ns per phase of spans `[0, k * BLOCK)`.
    cum: Vec<[u64; Phase::ALL.len()]>,
    len: usize,
    last: (u64, u64),
}

impl RowIndex {
    /// An index of `spans`.
    pub fn build(spans: &[Span]) -> RowIndex {
        let mut r = RowIndex::default();
        r.sync(spans);
        r
    }

    /// Brings the index up to date with `spans` (which grew at the end, or changed).
    pub fn sync(&mut self, spans: &[Span]) {
        let intact = self.len <= spans.len()
            && (self.len == 0
                || (spans[self.len - 1].start_ns, spans[self.len - 1].end_ns) == self.last);
        if !intact {
            *self = RowIndex::default();
        }
        if self.cum.is_empty() {
            self.cum.push([0; Phase::ALL.len()]);
        }
        let mut acc = self.cum[self.cum.len() - 1];
        let mut j = (self.cum.len() - 1) * BLOCK;
        while j + BLOCK <= spans.len() {
            for s in &spans[j..j + BLOCK] {
                acc[phase_index(s.phase)] += s.dur_ns();
            }
            self.cum.push(acc);
            j += BLOCK;
        }
        self.len = spans.len();
        self.last = spans.last().map_or((0, 0), |s| (s.start_ns, s.end_ns));
    }

    /// Whether the index describes `spans` as they are.
    pub fn fresh(&self, spans: &[Span]) -> bool {
        self.len == spans.len()
            && spans
                .last()
                .is_none_or(|s| (s.start_ns, s.end_ns) == self.last)
    }

    /// ns per phase of spans `[0, j)`.
    fn prefix(&self, spans: &[Span], j: usize) -> [u64; Phase::ALL.len()] {
        let blk = (j / BLOCK).min(self.cum.len().saturating_sub(1));
        let mut acc = self.cum.get(blk).copied().unwrap_or([0; Phase::ALL.len()]);
        for s in &spans[blk * BLOCK..j] {
            acc[phase_index(s.phase)] += s.dur_ns();
        }
        acc
    }
}

/// Time per phase (index as in [`Phase::ALL`]) and uncovered time, summed over cells.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Shares {
    /// ns per phase.
    pub phase_ns: [f64; Phase::ALL.len()],
    /// ns with no span.
    pub gap_ns: f64,
}

impl Shares {
    /// Fraction of all time in phase `i`.
    pub fn share(&self, i: usize) -> f64 {
        let total: f64 = self.phase_ns.iter().sum::<f64>() + self.gap_ns;
        if total <= 0.0 {
            0.0
        } else {
            self.phase_ns[i] / total
        }
    }
}

/// Index of `p` in [`Phase::ALL`].
pub fn phase_index(p: Phase) -> usize {
    Phase::ALL.iter().position(|x| *x == p).unwrap_or(0)
}

/// Start of cell `i` of `cols` over `[from, from + width)`.
fn cell_start(from: u64, width: u64, cols: usize, i: usize) -> u64 {
    from + (u128::from(width) * i as u128 / cols.max(1) as u128) as u64
}

/// The dominant phase of each of `cols` cells over `[from, from + width)` for one worker's
/// spans (sorted by start, not overlapping); `None` where nothing was recorded for most of
/// the cell. Adds the time seen to `shares`.
///
/// Per cell: two binary searches find the overlapping spans, and `index` (when it is
/// [`RowIndex::fresh`]) gives their time per phase exactly in O(`BLOCK`), so the cost depends
/// on cells, not spans. Without a fresh index the spans are summed one by one.
pub fn aggregate_row(
    spans: &[Span],
    index: Option<&RowIndex>,
    from: u64,
    width: u64,
    cols: usize,
    shares: &mut Shares,
) -> Vec<Option<Phase>> {
    let index = index.filter(|ix| ix.fresh(spans));
    let mut out = Vec::with_capacity(cols);
    // Spans starting before the current cell's start: found once by binary search, then
    // carried from cell to cell (cells move right), each step a short gallop.
    let mut before = spans.partition_point(|s| s.start_ns < from);
    for i in 0..cols {
        let a = cell_start(from, width, cols, i);
        let b = cell_start(from, width, cols, i + 1).max(a + 1);
        let mut lo = before;
        if lo > 0 && spans[lo - 1].end_ns > a {
            lo -= 1;
        }
        let hi = gallop(spans, before, b);
        before = hi;
        let mut per = [0u64; Phase::ALL.len()];
        match index {
            Some(ix) if hi > lo => {
                let (p_hi, p_lo) = (ix.prefix(spans, hi), ix.prefix(spans, lo));
                for k in 0..Phase::ALL.len() {
                    per[k] = p_hi[k] - p_lo[k];
                }
                // The first and last span may stick out of the cell: take that part off.
                let edges: &[usize] = if hi - lo == 1 { &[lo] } else { &[lo, hi - 1] };
                for &e in edges {
                    let s = &spans[e];
                    let inside = s.end_ns.min(b).saturating_sub(s.start_ns.max(a));
                    per[phase_index(s.phase)] -= s.dur_ns() - inside;
                }
            }
            _ => {
                for s in &spans[lo..hi] {
                    per[phase_index(s.phase)] += s.end_ns.min(b).saturating_sub(s.start_ns.max(a));
                }
            }
        }
        let cell = b - a;
        let covered = per.iter().sum::<u64>().min(cell);
        let gap = cell - covered;
        let (best, best_ns) =
            per.iter().enumerate().fold(
                (0, 0u64),
                |acc, (j, v)| if *v > acc.1 { (j, *v) } else { acc },
            );
        for (s, v) in shares.phase_ns.iter_mut().zip(per) {
            *s += v as f64;
        }
        shares.gap_ns += gap as f64;
        out.push(if best_ns > 0 && best_ns >= gap {
            Some(Phase::ALL[best])
        } else {
            None
        });
    }
    out
}

/// The first index at or after `at` whose span starts at or after `t` (spans sorted by
/// start): an exponential search from `at`, so nearby answers cost few (cache-friendly)
/// probes.
fn gallop(spans: &[Span], at: usize, t: u64) -> usize {
    let mut step = 1;
    let mut lo = at;
    let mut hi = at;
    while hi < spans.len() && spans[hi].start_ns < t {
        lo = hi + 1;
        hi = (hi + step).min(spans.len());
        step *= 2;
    }
    lo + spans[lo..hi.max(lo)].partition_point(|s| s.start_ns < t)
}

/// The span of `spans` covering `t`, or the nearest one within `slack` ns.
pub fn span_at(spans: &[Span], t: u64, slack: u64) -> Option<&Span> {
    let i = spans.partition_point(|s| s.start_ns <= t);
    let before = i.checked_sub(1).map(|j| &spans[j]);
    if let Some(s) = before
        && s.end_ns > t
    {
        return Some(s);
    }
    let dist = |s: &Span| {
        if t < s.start_ns {
            s.start_ns - t
        } else {
            t.saturating_sub(s.end_ns)
        }
    };
    [before, spans.get(i)]
        .into_iter()
        .flatten()
        .filter(|s| dist(s) <= slack)
        .min_by_key(|s| dist(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(phase: Phase, a: u64, b: u64) -> Span {
        Span {
            pass: 0,
            worker: 0,
            pid: None,
            core: 0,
            phase,
            start_ns: a,
            end_ns: b,
            items: 1,
            bytes: 0,
            merged: 1,
        }
    }

    #[test]
    fn dominant_phase_per_cell() {
        // Cells of 100 ns: [0,100) compute 70 / send 30; [100,200) wait 60 + gap 40;
        // [200,300) gap 80 / compute 20; [300,400) empty.
        let spans = vec![
            sp(Phase::Compute, 0, 70),
            sp(Phase::Send, 70, 100),
            sp(Phase::WaitLock, 100, 160),
            sp(Phase::Compute, 280, 300),
        ];
        let mut sh = Shares::default();
        let cells = aggregate_row(&spans, Some(&RowIndex::build(&spans)), 0, 400, 4, &mut sh);
        assert_eq!(
            cells,
            vec![Some(Phase::Compute), Some(Phase::WaitLock), None, None]
        );
        assert!((sh.share(phase_index(Phase::Compute)) - 90.0 / 400.0).abs() < 1e-9);
        assert!((sh.gap_ns - 220.0).abs() < 1e-9);
    }

    #[test]
    fn a_long_span_covers_every_cell_it_crosses() {
        let spans = vec![sp(Phase::Compute, 0, 1_000)];
        let mut sh = Shares::default();
        let cells = aggregate_row(&spans, None, 200, 400, 8, &mut sh);
        assert!(cells.iter().all(|c| *c == Some(Phase::Compute)));
    }

    #[test]
    fn many_spans_per_cell_keep_their_exact_mix() {
        // 10,000 spans alternating 3 ns compute, 1 ns receive, in one cell.
        let mut spans = Vec::new();
        for i in 0..10_000u64 {
            spans.push(sp(Phase::Compute, i * 4, i * 4 + 3));
            spans.push(sp(Phase::Receive, i * 4 + 3, i * 4 + 4));
        }
        let ix = RowIndex::build(&spans);
        let mut fast = Shares::default();
        let cells = aggregate_row(&spans, Some(&ix), 0, 40_000, 3, &mut fast);
        assert_eq!(cells, vec![Some(Phase::Compute); 3]);
        let c = fast.share(phase_index(Phase::Compute));
        assert!((c - 0.75).abs() < 1e-9, "{c}");
        // The index gives exactly what summing every span gives.
        let mut slow = Shares::default();
        for (cols, from, w) in [(7, 0, 40_000), (13, 1_001, 7_777), (1, 39_990, 100)] {
            let f = aggregate_row(&spans, Some(&ix), from, w, cols, &mut fast);
            let s = aggregate_row(&spans, None, from, w, cols, &mut slow);
            assert_eq!(f, s);
        }
        assert!(fast.phase_ns.iter().sum::<f64>() > 0.0);
    }

    #[test]
    fn zoom_changes_what_a_cell_shows() {
        // A 10 ns send inside 1000 ns of compute: invisible zoomed out, visible zoomed in.
        let spans = vec![
            sp(Phase::Compute, 0, 500),
            sp(Phase::Send, 500, 510),
            sp(Phase::Compute, 510, 1000),
        ];
        let mut sh = Shares::default();
        let ix = RowIndex::build(&spans);
        let wide = aggregate_row(&spans, Some(&ix), 0, 1000, 10, &mut sh);
        assert!(!wide.contains(&Some(Phase::Send)));
        let close = aggregate_row(&spans, Some(&ix), 495, 20, 4, &mut sh);
        assert_eq!(close[1], Some(Phase::Send));
        assert_eq!(close[0], Some(Phase::Compute));
    }

    #[test]
    fn the_index_follows_a_growing_row_and_notices_a_rewrite() {
        let mut spans: Vec<Span> = (0..100)
            .map(|i| sp(Phase::Compute, i * 10, i * 10 + 5))
            .collect();
        let mut ix = RowIndex::build(&spans);
        spans.extend((100..150).map(|i| sp(Phase::Send, i * 10, i * 10 + 5)));
        assert!(!ix.fresh(&spans));
        ix.sync(&spans);
        assert!(ix.fresh(&spans));
        assert_eq!(ix, RowIndex::build(&spans));
        spans.truncate(40);
        ix.sync(&spans);
        assert_eq!(ix, RowIndex::build(&spans));
    }

    #[test]
    fn gallop_agrees_with_binary_search() {
        let spans: Vec<Span> = (0..1000)
            .map(|i| sp(Phase::Compute, i * 7, i * 7 + 3))
            .collect();
        for at in [0, 1, 17, 500, 999, 1000] {
            for t in [0, 5, 7, 700, 3_500, 6_993, 7_000, 10_000] {
                let want = spans.partition_point(|s| s.start_ns < t).max(at);
                assert_eq!(gallop(&spans, at, t), want, "at {at} t {t}");
            }
        }
    }

    #[test]
    fn cursor_finds_the_span_or_the_nearest() {
        let spans = vec![sp(Phase::Compute, 10, 20), sp(Phase::Send, 40, 50)];
        assert_eq!(
            span_at(&spans, 15, 0).map(|s| s.phase),
            Some(Phase::Compute)
        );
        assert_eq!(span_at(&spans, 30, 0), None);
        assert_eq!(span_at(&spans, 37, 5).map(|s| s.phase), Some(Phase::Send));
    }
}
