//! Per-worker span recording: what every worker did, when, on which core.
//!
//! Spans are the single source for the timeline, per-worker busy time, exports and replay.
//! Recording is cheap enough to leave on: each worker appends to its own buffer (one
//! uncontended lock per span) and buffers travel to the consumer in batches over the run's
//! event channel. The consumer keeps the whole history in a [`TraceStore`].

mod clock;
mod labels;
mod recorder;
mod span;
mod store;

pub use clock::{core_now, now_ns, origin_ns, process_cpu_ns, set_origin, thread_cpu_ns};
pub use labels::{Labels, MAX_LABEL_CHARS, WorkerLabel};
pub use recorder::{MAX_WORKERS, SpanStart, Tracer};
pub use span::{ON_CPU_SHARE, Phase, Span, WorkerStats, seldom_on_cpu};
pub use store::{DEFAULT_SPAN_BUDGET, PassRecord, TraceStore};
