//! Spans and CPU samples resampled onto a fixed grid of rows × columns: the one home of the
//! downsampling that slides and the presenter both need, so a trace of a million spans on 128
//! workers becomes at most `rows × cols` cells, whatever the screen or the image.

use crate::recording::Recording;
use crate::trace::Phase;

/// One row of the phase grid: a worker, or a group of neighbouring workers.
#[derive(Clone, Debug, PartialEq)]
pub struct PhaseRow {
    /// What the row stands for: `w3`, or `w0-7` for a group.
    pub label: String,
    /// The worker's role or observed name (a single-worker row whose worker has a label).
    pub role: Option<String>,
    /// The phase that took most of each column's time (`None`: no span there).
    pub cells: Vec<Option<Phase>>,
}

/// The time window a grid covers, ns on the shared clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// First instant.
    pub start_ns: u64,
    /// Last instant (greater than `start_ns`).
    pub end_ns: u64,
}

impl Window {
    /// The whole recording: spans and samples together; `None` when it holds neither.
    pub fn of(rec: &Recording) -> Option<Window> {
        let spans = rec.store.time_range();
        let samples = rec
            .samples
            .first()
            .zip(rec.samples.last())
            .map(|(a, b)| (a.t_ns.saturating_sub(a.interval_ns), b.t_ns));
        let (start_ns, end_ns) = match (spans, samples) {
            (Some(a), Some(b)) => (a.0.min(b.0), a.1.max(b.1)),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => return None,
        };
        Some(Window {
            start_ns,
            end_ns: end_ns.max(start_ns + 1),
        })
    }

    /// Length, ns.
    pub fn len_ns(&self) -> u64 {
        self.end_ns - self.start_ns
    }

    /// The column range `[a, b)` of `cols` that the instant range `[s, e)` touches.
    fn columns(&self, s: u64, e: u64, cols: usize) -> (usize, usize) {
        let f = |t: u64| {
            let t = t.clamp(self.start_ns, self.end_ns) - self.start_ns;
            (t as u128 * cols as u128 / self.len_ns() as u128) as usize
        };
        (f(s).min(cols - 1), (f(e) + 1).min(cols))
    }
}

/// Workers grouped so that at most `max_rows` rows remain: how many per row.
pub fn group_size(workers: usize, max_rows: usize) -> usize {
    workers.div_ceil(max_rows.max(1)).max(1)
}

/// The label of a row covering workers `[a, b)`.
fn label(a: usize, b: usize) -> String {
    if b - a <= 1 {
        format!("w{a}")
    } else {
        format!("w{a}-{}", b - 1)
    }
}

/// The phase grid of `rec` over `win`: at most `max_rows` rows (neighbouring workers grouped
/// when there are more), `cols` columns, each cell the phase with the most time in it.
pub fn phases(rec: &Recording, win: Window, max_rows: usize, cols: usize) -> Vec<PhaseRow> {
    let workers = rec.store.worker_count();
    if workers == 0 || cols == 0 {
        return Vec::new();
    }
    let per = group_size(workers, max_rows);
    let width = win.len_ns() as f64 / cols as f64;
    let mut out = Vec::new();
    for a in (0..workers).step_by(per) {
        let b = (a + per).min(workers);
        let mut time = vec![[0f64; Phase::ALL.len()]; cols];
        for w in a..b {
            for s in rec.store.worker(w) {
                let k = phase_index(s.phase);
                let (c0, c1) = win.columns(s.start_ns, s.end_ns, cols);
                for (c, cell) in time.iter_mut().enumerate().take(c1).skip(c0) {
                    let lo = win.start_ns as f64 + c as f64 * width;
                    let hi = lo + width;
                    let overlap = (s.end_ns as f64).min(hi) - (s.start_ns as f64).max(lo);
                    // A span shorter than a column still marks it.
                    cell[k] += overlap.max(1e-3);
                }
            }
        }
        let cells = time.iter().map(dominant).collect();
        let role = (b - a == 1)
            .then(|| rec.store.labels().get(a as u32, None))
            .flatten()
            .map(str::to_string);
        out.push(PhaseRow {
            label: label(a, b),
            role,
            cells,
        });
    }
    out
}

fn phase_index(p: Phase) -> usize {
    Phase::ALL.iter().position(|q| *q == p).unwrap_or(0)
}

fn dominant(t: &[f64; Phase::ALL.len()]) -> Option<Phase> {
    let (i, best) = t.iter().enumerate().fold(
        (0, 0.0),
        |acc, (i, &v)| if v > acc.1 { (i, v) } else { acc },
    );
    (best > 0.0).then(|| Phase::ALL[i])
}

/// Per-core load over `win`: at most `max_rows` rows (neighbouring cores averaged), `cols`
/// columns, each cell the mean load 0..=100 of the samples in it (`None`: no sample).
pub fn loads(
    rec: &Recording,
    win: Window,
    max_rows: usize,
    cols: usize,
) -> Vec<(String, Vec<Option<f32>>)> {
    let cores = rec
        .samples
        .iter()
        .map(|s| s.per_core.len())
        .max()
        .unwrap_or(0);
    if cores == 0 || cols == 0 {
        return Vec::new();
    }
    let per = group_size(cores, max_rows);
    let rows = cores.div_ceil(per);
    let mut sum = vec![vec![(0f32, 0u32); cols]; rows];
    for s in &rec.samples {
        let (c0, c1) = win.columns(s.t_ns.saturating_sub(s.interval_ns), s.t_ns, cols);
        for (core, &l) in s.per_core.iter().enumerate() {
            for cell in &mut sum[core / per][c0..c1] {
                cell.0 += l.clamp(0.0, 100.0);
                cell.1 += 1;
            }
        }
    }
    sum.into_iter()
        .enumerate()
        .map(|(r, cells)| {
            let a = r * per;
            let name = label(a, (a + per).min(cores)).replacen('w', "c", 1);
            let cells = cells
                .into_iter()
                .map(|(s, n)| (n > 0).then(|| s / n as f32))
                .collect();
            (name, cells)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Machine;
    use crate::trace::Span;

    fn span(worker: u32, phase: Phase, start_ns: u64, end_ns: u64) -> Span {
        Span {
            pass: 0,
            worker,
            pid: None,
            core: 0,
            phase,
            start_ns,
            end_ns,
            items: 1,
            bytes: 0,
            merged: 1,
        }
    }

    #[test]
    fn dominant_phase_per_column_and_grouped_rows() {
        let mut rec = Recording::new(Machine::default());
        let mut spans = Vec::new();
        for w in 0..8 {
            spans.push(span(w, Phase::Compute, 0, 750));
            spans.push(span(w, Phase::WaitWork, 750, 1000));
        }
        rec.store.extend(&spans);
        let win = Window::of(&rec).unwrap();
        let rows = phases(&rec, win, 100, 4);
        assert_eq!(rows.len(), 8);
        assert_eq!(rows[0].label, "w0");
        assert_eq!(rows[0].cells[0], Some(Phase::Compute));
        assert_eq!(rows[0].cells[3], Some(Phase::WaitWork));
        let grouped = phases(&rec, win, 3, 4);
        assert_eq!(grouped.len(), 3);
        assert_eq!(grouped[0].label, "w0-2");
        assert_eq!(grouped[2].label, "w6-7");
    }
}
