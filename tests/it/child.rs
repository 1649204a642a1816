//! The child-process protocol against the real binary (found beside this test's own
//! executable): frames both ways, spans and CPU time reach the tracer, and no child outlives
//! its handle.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use parlab::child::ChildProcess;
use parlab::event::Event;
use parlab::trace::Tracer;

use crate::common;

#[test]
fn echo_round_trip_with_spans_and_cpu() {
    let (tx, rx) = crossbeam_channel::unbounded();
    let trace = Tracer::new(3, 2, Some(tx));
    let mut c = ChildProcess::spawn("echo", 1, &[]).unwrap();
    let pid = c.pid();
    for msg in [&b"hello"[..], &[7u8; 100_000][..], b""] {
        c.send(msg).unwrap();
        c.flush().unwrap();
        assert_eq!(c.recv(&trace).unwrap().unwrap(), msg);
    }
    c.finish(&trace).unwrap();
    trace.finish();
    assert!(!common::alive(pid));
    let mut spans = 0;
    let mut cpu = 0;
    while let Ok(ev) = rx.try_recv() {
        match ev {
            Event::Spans(b) => {
                for s in &b {
                    assert_eq!((s.worker, s.pid, s.pass), (1, Some(pid), 3));
                }
                spans += b.len();
            }
            Event::WorkerCpu { cpu_ns, .. } => cpu = cpu_ns,
            _ => {}
        }
    }
    assert_eq!(spans, 3);
    assert!(cpu > 0);
}

#[test]
fn dropping_the_handle_reaps_the_child() {
    let c = ChildProcess::spawn("echo", 0, &[]).unwrap();
    let pid = c.pid();
    assert!(common::alive(pid));
    drop(c);
    assert!(!common::alive(pid), "child {pid} still alive after drop");
}

#[test]
fn unknown_kind_is_reported() {
    let trace = Tracer::disabled();
    let mut c = ChildProcess::spawn("no-such-kind", 0, &[]).unwrap();
    let err = c.recv(&trace).unwrap_err();
    assert!(
        format!("{err:#}").contains("unknown worker kind"),
        "{err:#}"
    );
}
