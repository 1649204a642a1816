//! Replay: a recorded trace turned back into the engine's events, released over time.
//!
//! The dashboard cannot tell a replay from a live run: the player re-creates `RunStarted`,
//! `PassStarted`, span batches (each span when it ended), `Progress`, `PassFinished`, the
//! samples and `Finished` in time order, and hands out those due at the playback position.

use crate::engine::Outcome;
use crate::event::Event;
use crate::recording::Recording;
use crate::sampler::Sample;
use crate::trace::{Phase, Span};

/// Playback speeds offered, slowest first.
pub const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];

/// Plays one recording back.
#[derive(Clone, Debug)]
pub struct Player {
    /// Timed events other than spans and samples, in time order.
    events: Vec<(u64, Event)>,
    next_event: usize,
    /// Every span, in order of its end.
    spans: Vec<Span>,
    next_span: usize,
    samples: Vec<Sample>,
    next_sample: usize,
    /// Compute items per pass, and done so far (for synthesized progress).
    totals: std::collections::HashMap<u32, (u64, u64)>,
    /// Start and end of the recording, ns.
    pub start: u64,
    /// End of the recording, ns.
    pub end: u64,
    /// Playback position, ns on the recording's clock.
    pub pos: u64,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// Paused.
    pub paused: bool,
}

impl Player {
    /// A player positioned at the recording's start.
    pub fn new(rec: &Recording) -> Player {
        let mut spans: Vec<Span> = (0..rec.store.worker_count())
            .flat_map(|w| rec.store.worker(w).iter().copied())
            .collect();
        spans.sort_by_key(|s| (s.end_ns, s.worker));
        let mut totals = std::collections::HashMap::new();
        for s in spans.iter().filter(|s| s.phase == Phase::Compute) {
            totals.entry(s.pass).or_insert((0u64, 0u64)).0 += s.items;
        }
        let passes = rec.store.passes();
        let start = passes
            .iter()
            .map(|p| p.info.t_ns)
            .chain(spans.first().map(|s| s.start_ns))
            .min()
            .unwrap_or(0);
        let end = passes
            .iter()
            .filter_map(|p| p.end_ns)
            .chain(spans.last().map(|s| s.end_ns))
            .max()
            .unwrap_or(start);
        let mut events = pass_events(rec);
        events.extend(run_events(rec, start, end));
        events.extend(live_events(rec));
        // Stable: RunStarted before the first PassStarted at the same time, Finished last.
        events.sort_by_key(|(t, e)| (*t, order(e)));
        Player {
            events,
            next_event: 0,
            spans,
            next_span: 0,
            samples: rec.samples.clone(),
            next_sample: 0,
            totals,
            start,
            end,
            pos: start,
            speed: 2,
            paused: false,
        }
    }

    /// The playback speed factor.
    pub fn speed_factor(&self) -> f64 {
        SPEEDS[self.speed.min(SPEEDS.len() - 1)]
    }

    /// True once everything was played.
    pub fn at_end(&self) -> bool {
        self.pos >= self.end && self.next_event >= self.events.len()
    }

    /// Moves the position forward by `wall_ns` of real time at the current speed.
    pub fn advance(&mut self, wall_ns: u64) {
        if !self.paused {
            let d = (wall_ns as f64 * self.speed_factor()) as u64;
            self.pos = self.pos.saturating_add(d).min(self.end);
        }
    }

    /// Jumps to the end.
    pub fn jump_to_end(&mut self) {
        self.pos = self.end;
    }

    /// Everything due at the current position: events (span batches and synthesized progress
    /// included) and samples.
    pub fn due(&mut self) -> (Vec<Event>, Vec<Sample>) {
        let pos = self.pos;
        let mut out = Vec::new();
        let mut batch = Vec::new();
        loop {
            let next_ev = self.events.get(self.next_event).map(|(t, _)| *t);
            let next_sp = self.spans.get(self.next_span).map(|s| s.end_ns);
            match (next_ev, next_sp) {
                (Some(te), ts) if te <= pos && ts.is_none_or(|ts| te <= ts) => {
                    if !batch.is_empty() {
                        out.push(Event::Spans(std::mem::take(&mut batch)));
                        self.push_progress(&mut out);
                    }
                    out.push(self.events[self.next_event].1.clone());
                    self.next_event += 1;
                }
                (_, Some(ts)) if ts <= pos => {
                    let s = self.spans[self.next_span];
                    if s.phase == Phase::Compute
                        && let Some(t) = self.totals.get_mut(&s.pass)
                    {
                        t.1 += s.items;
                    }
                    batch.push(s);
                    self.next_span += 1;
                }
                _ => break,
            }
        }
        if !batch.is_empty() {
            out.push(Event::Spans(batch));
            self.push_progress(&mut out);
        }
        let mut samples = Vec::new();
        while let Some(s) = self.samples.get(self.next_sample) {
            if s.t_ns > pos {
                break;
            }
            samples.push(s.clone());
            self.next_sample += 1;
        }
        (out, samples)
    }

    fn push_progress(&self, out: &mut Vec<Event>) {
        let last_pass = out.iter().rev().find_map(|e| match e {
            Event::Spans(b) => b.last().map(|s| s.pass),
            _ => None,
        });
        if let Some(pass) = last_pass
            && let Some((total, done)) = self.totals.get(&pass)
        {
            out.push(Event::Progress {
                pass,
                done: *done,
                total: *total,
            });
        }
    }
}

/// Each pass's start, and at its end its workers' CPU time and its finish.
fn pass_events(rec: &Recording) -> Vec<(u64, Event)> {
    let mut events = Vec::new();
    for p in rec.store.passes() {
        events.push((p.info.t_ns, Event::PassStarted(p.info.clone())));
        let Some(e) = p.end_ns else { continue };
        for (w, cpu) in &p.cpu_ns {
            events.push((
                e,
                Event::WorkerCpu {
                    pass: p.info.pass,
                    worker: *w,
                    cpu_ns: *cpu,
                },
            ));
        }
        events.push((
            e,
            Event::PassFinished {
                pass: p.info.pass,
                start_ns: p.info.t_ns,
                t_ns: e,
                outcome: Ok(Outcome::default()),
            },
        ));
    }
    events
}

/// What a run sent besides spans, each at its own time: the worker labels (at their pass's
/// start), the named series points (queue depth) and the workers' log lines, so a replay
/// shows the Queue depth and Log panels as the run did.
fn live_events(rec: &Recording) -> Vec<(u64, Event)> {
    let starts: std::collections::HashMap<u32, u64> = rec
        .store
        .passes()
        .iter()
        .map(|p| (p.info.pass, p.info.t_ns))
        .collect();
    let labels = rec.store.labels().all().into_iter().map(|l| {
        let t = starts.get(&l.pass).copied().unwrap_or(0);
        let ev = Event::WorkerLabel {
            pass: l.pass,
            worker: l.worker,
            label: l.label,
        };
        (t, ev)
    });
    let series = rec.series.iter().map(|p| {
        let ev = Event::Series {
            pass: p.pass,
            name: p.name.clone(),
            t_ns: p.t_ns,
            value: p.value,
        };
        (p.t_ns, ev)
    });
    let logs = rec.logs.iter().map(|l| {
        let ev = Event::Log {
            pass: l.pass,
            worker: l.worker,
            t_ns: l.t_ns,
            text: l.text.clone(),
        };
        (l.t_ns, ev)
    });
    labels.chain(series).chain(logs).collect()
}

/// Each recorded run's start (at its first pass) and finish (at its last; the last run at
/// the recording's end).
fn run_events(rec: &Recording, start: u64, end: u64) -> Vec<(u64, Event)> {
    // Pass id -> (start, end), once: a crafted trace with many runs and passes stays linear.
    let times: std::collections::HashMap<u32, (u64, Option<u64>)> = rec
        .store
        .passes()
        .iter()
        .map(|p| (p.info.pass, (p.info.t_ns, p.end_ns)))
        .collect();
    let mut events = Vec::new();
    for (i, r) in rec.reports.iter().enumerate() {
        let own = || {
            r.variants
                .iter()
                .flat_map(|v| v.passes.iter())
                .filter_map(|id| times.get(id))
        };
        let first = own().map(|t| t.0).min().unwrap_or(start);
        let last = own().filter_map(|t| t.1).max().unwrap_or(end);
        let t0 = if i == 0 { start } else { first };
        events.push((
            t0,
            Event::RunStarted {
                demo: r.demo.clone(),
                params: r.params.clone(),
                workers: r.workers,
                variants: r.variants.iter().map(|v| v.name.clone()).collect(),
            },
        ));
        let done_at = if i + 1 == rec.reports.len() {
            end
        } else {
            last
        };
        events.push((done_at, Event::Finished(Box::new(r.clone()))));
    }
    events
}

fn order(e: &Event) -> u8 {
    match e {
        Event::RunStarted { .. } => 0,
        Event::PassStarted(_) => 1,
        Event::WorkerCpu { .. } => 2,
        Event::PassFinished { .. } => 3,
        Event::Finished(_) => 4,
        _ => 2,
    }
}

impl super::run::RunView {
    /// A run view that plays `rec` (read from `source`) back from its start: the one way a
    /// replay becomes a run on screen (`parlab replay`, a lecture's replay step).
    pub fn replay(rec: &Recording, source: &str) -> Self {
        let title = rec
            .reports
            .first()
            .map_or_else(|| "recorded run".to_string(), |r| r.demo.clone());
        let mut rv = Self::new(
            &format!("replay of {source}"),
            &title,
            crate::engine::Params::default(),
            0,
            rec.machine.clone(),
        );
        rv.recorded_on = Some(rec.machine.clone());
        rv.player = Some(Player::new(rec));
        rv.now_ns = rv.player.as_ref().map_or(0, |p| p.start);
        rv
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::run::RunView;
    use crate::event::PassInfo;
    use crate::machine::Machine;

    fn recording() -> Recording {
        let mut rec = Recording::new(Machine::default());
        rec.apply(Event::PassStarted(PassInfo {
            pass: 0,
            variant: "sequential".into(),
            repeat: 0,
            warmup: false,
            workers: 1,
            t_ns: 1_000,
        }));
        let spans: Vec<Span> = (0..10)
            .map(|i| Span {
                pass: 0,
                worker: 0,
                pid: None,
                core: 0,
                phase: Phase::Compute,
                start_ns: 1_000 + i * 100,
                end_ns: 1_000 + (i + 1) * 100,
                items: 5,
                bytes: 0,
                merged: 1,
            })
            .collect();
        rec.apply(Event::Spans(spans));
        rec.apply(Event::PassFinished {
            pass: 0,
            start_ns: 1_000,
            t_ns: 2_000,
            outcome: Err(String::new()),
        });
        rec
    }

    #[test]
    fn plays_in_time_order_with_progress_and_pauses() {
        let rec = recording();
        let mut p = Player::new(&rec);
        assert_eq!((p.start, p.end), (1_000, 2_000));
        let mut view = RunView::new("t", "d", Default::default(), 1, Machine::default());
        p.paused = true;
        p.advance(10_000);
        assert_eq!(p.pos, 1_000);
        p.paused = false;
        p.advance(500); // x1: half-way
        let (evs, _) = p.due();
        for e in evs {
            view.apply(e);
        }
        assert_eq!(view.rec.store.len(), 5);
        assert_eq!(view.progress, (25, 50));
        assert!(view.running());
        p.speed = SPEEDS.len() - 1; // x8
        p.advance(25);
        assert_eq!(p.pos, 1_700);
        p.jump_to_end();
        let (evs, _) = p.due();
        for e in evs {
            view.apply(e);
        }
        assert!(p.at_end());
        assert_eq!(view.rec.store.len(), 10);
        assert_eq!(view.progress, (50, 50));
        assert_eq!(view.rec.store.pass(0).and_then(|r| r.end_ns), Some(2_000));
    }
}
