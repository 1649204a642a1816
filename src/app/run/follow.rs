//! What an engine event says about where a run is, besides the recording itself.

use super::{RunState, RunView, WorkerAcc};
use crate::event::Event;
use crate::trace::Phase;

impl RunView {
    /// What an event says about where the run is: variants, pass, progress, worker totals.
    pub(super) fn follow(&mut self, ev: &Event) {
        match ev {
            Event::RunStarted {
                demo,
                params,
                workers,
                variants,
            } => {
                self.demo.clone_from(demo);
                self.params = params.clone();
                self.workers = *workers;
                self.variants.clone_from(variants);
            }
            Event::PassStarted(p) => {
                self.start_ns.get_or_insert(p.t_ns);
                self.current = Some(p.clone());
                self.progress = (0, 0);
                self.pass_started_ns = p.t_ns;
                self.now_ns = self.now_ns.max(p.t_ns);
            }
            Event::Spans(batch) => {
                for s in batch {
                    let row = self.acc.entry(s.pass).or_default();
                    let w = s.worker as usize;
                    if row.len() <= w {
                        row.resize(w + 1, WorkerAcc::default());
                    }
                    let a = &mut row[w];
                    if s.phase.is_busy() {
                        a.busy_ns += s.dur_ns();
                    } else if s.phase.is_waiting() {
                        a.waiting_ns += s.dur_ns();
                    }
                    if s.phase == Phase::Compute {
                        a.compute_ns += s.dur_ns();
                        a.tasks += u64::from(s.merged);
                        a.items += s.items;
                    }
                    self.now_ns = self.now_ns.max(s.end_ns);
                }
            }
            Event::Progress { done, total, .. } => self.progress = (*done, *total),
            Event::PassFinished { t_ns, .. } => self.now_ns = self.now_ns.max(*t_ns),
            Event::Finished(report) => {
                self.state = if report.cancelled {
                    RunState::Cancelled
                } else {
                    RunState::Done
                };
                self.cancelling = false;
                self.current = None;
                self.now_ns = self.end_of_passes().max(self.start_ns.unwrap_or(0));
            }
            _ => {}
        }
    }
}
