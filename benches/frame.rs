//! One dashboard frame with 10^4 and 10^6 spans: the timeline must cost screen cells, not
//! spans (target: well under 10 ms a frame at 10^6 spans).
//!
//! `cargo bench --bench frame`

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use parlab::app::run::RunView;
use parlab::app::{App, Screen};
use parlab::event::{Event, PassInfo};
use parlab::lesson::LessonSet;
use parlab::machine::Machine;
use parlab::sampler::Sample;
use parlab::trace::{Phase, Span};
use parlab::ui::theme::ThemeKind;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WORKERS: u32 = 8;

fn machine() -> Machine {
    Machine {
        cores: 8,
        cpu_model: "bench".into(),
        ..Machine::default()
    }
}

/// A finished run of one pass with `n` spans spread over 8 workers (compute / send /
/// wait-for-lock in turn), plus a CPU sample every 200 ms.
fn app_with(n: u64) -> App {
    let mut run = RunView::new("bench", "squaring", Default::default(), 8, machine());
    let per = n / u64::from(WORKERS);
    let end = per * 1_000;
    run.apply(Event::PassStarted(PassInfo {
        pass: 0,
        variant: "pool".into(),
        repeat: 0,
        warmup: false,
        workers: WORKERS,
        t_ns: 0,
    }));
    for w in 0..WORKERS {
        let mut batch = Vec::with_capacity(per as usize);
        for i in 0..per {
            let phase = match i % 3 {
                0 => Phase::Compute,
                1 => Phase::Send,
                _ => Phase::WaitLock,
            };
            batch.push(Span {
                pass: 0,
                worker: w,
                pid: None,
                core: w as u16,
                phase,
                start_ns: i * 1_000,
                end_ns: i * 1_000 + 900,
                items: 10,
                bytes: 0,
                merged: 1,
            });
        }
        for chunk in batch.chunks(4096) {
            run.apply(Event::Spans(chunk.to_vec()));
        }
    }
    let mut t = 0;
    while t < end {
        t += 200_000_000.min(end.max(1));
        run.push_sample(Sample {
            t_ns: t,
            interval_ns: 200_000_000,
            per_core: vec![90.0; 8],
            rss_self: 1 << 20,
            rss_children: 0,
            children: 0,
            wait_cpu: None,
            per_child: Vec::new(),
        });
    }
    run.apply(Event::PassFinished {
        pass: 0,
        start_ns: 0,
        t_ns: end,
        outcome: Err("bench".into()),
    });
    let mut app = App::new(
        LessonSet::default(),
        Default::default(),
        machine(),
        ThemeKind::Dark,
    );
    app.runs.push(run);
    app.shown = 0;
    app.screen = Screen::Dashboard;
    app
}

fn frame(c: &mut Criterion) {
    let mut g = c.benchmark_group("dashboard_frame");
    for n in [10_000u64, 1_000_000] {
        let app = app_with(n);
        assert_eq!(app.runs[0].rec.store.len() as u64, n);
        let mut term = Terminal::new(TestBackend::new(200, 50)).expect("test backend");
        g.bench_with_input(BenchmarkId::new("whole_run_200x50", n), &app, |b, app| {
            b.iter(|| {
                term.draw(|f| parlab::ui::render(app, f)).expect("draw");
            });
        });
        let mut zoomed = app_with(n);
        let (s, e) = zoomed.runs[0].extent();
        zoomed.runs[0].timeline.zoom(0.01, s, e);
        zoomed.runs[0].timeline.cursor = Some(s + (e - s) / 2);
        g.bench_with_input(
            BenchmarkId::new("zoomed_x100_200x50", n),
            &zoomed,
            |b, app| {
                b.iter(|| {
                    term.draw(|f| parlab::ui::render(app, f)).expect("draw");
                });
            },
        );
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = frame
}
criterion_main!(benches);
