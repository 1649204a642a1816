//! The consuming side: the whole history of a session's spans, kept within a memory budget.

use std::collections::BTreeMap;

use super::labels::Labels;
use super::span::{Phase, Span, WorkerStats};
use crate::event::{Event, PassInfo};

/// Spans kept before adjacent spans start being merged (~64 bytes each: about 256 MB).
pub const DEFAULT_SPAN_BUDGET: usize = 4_000_000;

/// One pass as the store saw it: its description, its end, its workers' CPU time.
#[derive(Clone, Debug, PartialEq)]
pub struct PassRecord {
    /// What the pass was.
    pub info: PassInfo,
    /// End, ns on the shared clock (`None` while running).
    pub end_ns: Option<u64>,
    /// CPU time per worker, when measured.
    pub cpu_ns: BTreeMap<u32, u64>,
}

/// Every span of a session, per worker, in time order; plus the passes they belong to.
///
/// Nothing is dropped: when the span count passes the budget, adjacent spans of the same
/// worker, pass and phase are merged (their items and bytes add up) and [`TraceStore::merged`]
/// says how many were folded, so a reader knows the picture is coarser.
#[derive(Clone, Debug)]
pub struct TraceStore {
    workers: Vec<Vec<Span>>,
    passes: Vec<PassRecord>,
    len: usize,
    budget: usize,
    merged: u64,
    phases_coarsened: bool,
    labels: Labels,
}

impl Default for TraceStore {
    fn default() -> Self {
        TraceStore::with_budget(DEFAULT_SPAN_BUDGET)
    }
}

impl TraceStore {
    /// A store that merges spans above `budget` spans.
    pub fn with_budget(budget: usize) -> TraceStore {
        TraceStore {
            workers: Vec::new(),
            passes: Vec::new(),
            len: 0,
            budget: budget.max(16),
            merged: 0,
            phases_coarsened: false,
            labels: Labels::default(),
        }
    }

    /// Takes in one event; events other than spans and pass boundaries are ignored.
    pub fn apply(&mut self, ev: &Event) {
        match ev {
            Event::PassStarted(info) => self.passes.push(PassRecord {
                info: info.clone(),
                end_ns: None,
                cpu_ns: BTreeMap::new(),
            }),
            Event::Spans(batch) => self.extend(batch),
            Event::WorkerLabel {
                pass,
                worker,
                label,
            } => self.labels.set(*pass, *worker, label),
            Event::WorkerCpu {
                pass,
                worker,
                cpu_ns,
            } => {
                if let Some(p) = self.pass_mut(*pass) {
                    p.cpu_ns.insert(*worker, *cpu_ns);
                }
            }
            Event::PassFinished {
                pass,
                start_ns,
                t_ns,
                ..
            } => {
                if let Some(p) = self.pass_mut(*pass) {
                    p.info.t_ns = *start_ns;
                    p.end_ns = Some(*t_ns);
                }
            }
            _ => {}
        }
    }

    fn pass_mut(&mut self, pass: u32) -> Option<&mut PassRecord> {
        self.passes.iter_mut().rev().find(|p| p.info.pass == pass)
    }

    /// The pass with id `pass`.
    pub fn pass(&self, pass: u32) -> Option<&PassRecord> {
        self.passes.iter().rev().find(|p| p.info.pass == pass)
    }

    /// Worker labels (roles, observed names), per pass.
    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    /// The pass running at time `t_ns` (the last one started by then), for views that show
    /// the labels of the pass in view.
    pub fn pass_at(&self, t_ns: u64) -> Option<u32> {
        self.passes
            .iter()
            .rev()
            .find(|p| p.info.t_ns <= t_ns)
            .map(|p| p.info.pass)
    }

    /// Every pass seen, in order.
    pub fn passes(&self) -> &[PassRecord] {
        &self.passes
    }

    /// Adds spans (any workers, any order).
    pub fn extend(&mut self, spans: &[Span]) {
        for s in spans {
            let w = s.worker as usize;
            if self.workers.len() <= w {
                self.workers.resize_with(w + 1, Vec::new);
            }
            let row = &mut self.workers[w];
            // Keep each row sorted by start; batches are almost always already in order.
            let pos = row
                .iter()
                .rposition(|x| x.start_ns <= s.start_ns)
                .map_or(0, |p| p + 1);
            row.insert(pos, *s);
        }
        self.len += spans.len();
        if self.len > self.budget {
            self.compact();
        }
    }

    /// Spans of worker `w`, in start order.
    pub fn worker(&self, w: usize) -> &[Span] {
        self.workers.get(w).map_or(&[], Vec::as_slice)
    }

    /// How many worker rows exist.
    pub fn worker_count(&self) -> usize {
        self.workers.len()
    }

    /// Spans held now.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no span was recorded.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Spans folded into neighbours to stay within the budget (0 = every span is as recorded).
    pub fn merged(&self) -> u64 {
        self.merged
    }

    /// True when even phase-preserving merging was not enough and neighbouring spans of
    /// different phases were folded into the longer one.
    pub fn phases_coarsened(&self) -> bool {
        self.phases_coarsened
    }

    /// Earliest start and latest end over all spans.
    pub fn time_range(&self) -> Option<(u64, u64)> {
        let start = self
            .workers
            .iter()
            .filter_map(|r| r.first())
            .map(|s| s.start_ns)
            .min()?;
        let end = self
            .workers
            .iter()
            .flat_map(|r| r.iter().rev().take(64))
            .map(|s| s.end_ns)
            .max()?;
        Some((start, end))
    }

    fn compact(&mut self) {
        let before = self.len;
        self.merge_rows(false);
        while self.len > self.budget * 3 / 4 {
            let was = self.len;
            self.merge_rows(true);
            self.phases_coarsened = true;
            if self.len == was {
                break;
            }
        }
        self.merged += (before - self.len) as u64;
    }

    /// Merges neighbours in every row: same phase only, or (when `any_phase`) pairwise into the
    /// longer one's phase.
    fn merge_rows(&mut self, any_phase: bool) {
        let mut len = 0;
        for row in &mut self.workers {
            let mut out: Vec<Span> = Vec::with_capacity(row.len() / 2 + 1);
            let mut pair_open = false;
            for s in row.drain(..) {
                match out.last_mut() {
                    Some(last)
                        if last.pass == s.pass
                            && (last.phase == s.phase || (any_phase && pair_open)) =>
                    {
                        if any_phase && s.dur_ns() > last.dur_ns() {
                            last.phase = s.phase;
                        }
                        last.end_ns = last.end_ns.max(s.end_ns);
                        last.items += s.items;
                        last.bytes += s.bytes;
                        last.merged += s.merged;
                        pair_open = false;
                    }
                    _ => {
                        out.push(s);
                        pair_open = true;
                    }
                }
            }
            len += out.len();
            *row = out;
        }
        self.len = len;
    }

    /// Per-worker busy / waiting / idle time and task counts of one pass, from spans only.
    pub fn worker_stats(&self, pass: u32) -> Vec<WorkerStats> {
        let Some(rec) = self.pass(pass) else {
            return Vec::new();
        };
        let start = rec.info.t_ns;
        let wall = rec.end_ns.unwrap_or(start).saturating_sub(start);
        let mut out = Vec::new();
        for (w, row) in self.workers.iter().enumerate() {
            let mut st = WorkerStats {
                id: w as u32,
                wall_ns: wall,
                ..WorkerStats::default()
            };
            let mut any = false;
            for s in row.iter().filter(|s| s.pass == pass) {
                any = true;
                st.pid = st.pid.or(s.pid);
                let d = s.dur_ns();
                if s.phase.is_busy() {
                    st.busy_ns += d;
                } else if s.phase.is_waiting() {
                    st.waiting_ns += d;
                }
                if s.phase == Phase::Compute {
                    st.compute_ns += d;
                    st.tasks += u64::from(s.merged);
                    st.items += s.items;
                }
            }
            if !any {
                continue;
            }
            st.idle_ns = wall.saturating_sub(st.busy_ns + st.waiting_ns);
            st.cpu_ns = rec.cpu_ns.get(&(w as u32)).copied();
            out.push(st);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(worker: u32, phase: Phase, start: u64, end: u64) -> Span {
        Span {
            pass: 0,
            worker,
            pid: None,
            core: 0,
            phase,
            start_ns: start,
            end_ns: end,
            items: 1,
            bytes: 0,
            merged: 1,
        }
    }

    fn pass_info() -> PassInfo {
        PassInfo {
            pass: 0,
            variant: "v".into(),
            repeat: 0,
            warmup: false,
            workers: 2,
            t_ns: 0,
        }
    }

    #[test]
    fn stats_come_from_spans() {
        let mut st = TraceStore::default();
        st.apply(&Event::PassStarted(pass_info()));
        st.extend(&[
            span(0, Phase::Compute, 0, 60),
            span(0, Phase::WaitLock, 60, 80),
            span(1, Phase::Compute, 0, 30),
        ]);
        st.apply(&Event::PassFinished {
            pass: 0,
            start_ns: 0,
            t_ns: 100,
            outcome: Err("x".into()),
        });
        let ws = st.worker_stats(0);
        assert_eq!(ws.len(), 2);
        assert_eq!(
            (ws[0].busy_ns, ws[0].waiting_ns, ws[0].idle_ns, ws[0].tasks),
            (60, 20, 20, 1)
        );
        assert_eq!((ws[1].busy_ns, ws[1].idle_ns), (30, 70));
    }

    #[test]
    fn out_of_order_spans_are_sorted() {
        let mut st = TraceStore::default();
        st.extend(&[
            span(0, Phase::Compute, 50, 60),
            span(0, Phase::Compute, 10, 20),
        ]);
        let starts: Vec<u64> = st.worker(0).iter().map(|s| s.start_ns).collect();
        assert_eq!(starts, vec![10, 50]);
    }

    #[test]
    fn above_budget_same_phase_neighbours_merge_and_totals_survive() {
        let mut st = TraceStore::with_budget(100);
        let spans: Vec<Span> = (0..400)
            .map(|i| span(0, Phase::Compute, i * 10, i * 10 + 10))
            .collect();
        st.extend(&spans);
        assert!(st.len() <= 100, "{}", st.len());
        assert_eq!(st.merged(), 400 - st.len() as u64);
        let items: u64 = st.worker(0).iter().map(|s| s.items).sum();
        let tasks: u64 = st.worker(0).iter().map(|s| u64::from(s.merged)).sum();
        assert_eq!((items, tasks), (400, 400));
        assert!(!st.phases_coarsened());
    }

    #[test]
    fn alternating_phases_still_fit_the_budget() {
        let mut st = TraceStore::with_budget(100);
        let spans: Vec<Span> = (0..400)
            .map(|i| {
                span(
                    0,
                    if i % 2 == 0 {
                        Phase::Compute
                    } else {
                        Phase::Send
                    },
                    i * 10,
                    i * 10 + 10,
                )
            })
            .collect();
        st.extend(&spans);
        assert!(st.len() <= 100, "{}", st.len());
        assert!(st.phases_coarsened());
        assert_eq!(st.worker(0).iter().map(|s| s.items).sum::<u64>(), 400);
    }
}
