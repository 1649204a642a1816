//! The limits a trace file must stay within before `parlab replay` believes it.
//!
//! A trace is input from disk: it may be truncated, edited by hand or crafted. Every number in
//! it that sizes an allocation or feeds arithmetic is checked against one of these bounds
//! first, so a bad file costs a one-line error, never a huge allocation or an overflow. The
//! bounds are far above anything `parlab run --trace` writes.

/// Largest trace file read, bytes. The writer's span budget (4 million spans of ~170 bytes of
/// JSON each) stays well under it; anything larger is not a parlab trace.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Worker ids must be below this: the tracer has this many slots, and the dashboard keeps one
/// row per worker id, so a larger id would allocate rows for workers that never existed.
pub const MAX_WORKERS: usize = crate::trace::MAX_WORKERS;

/// Most logical cores a recorded machine (or one CPU sample) may claim; each core is a row of
/// the CPU panel and a column of every load summary.
pub const MAX_CORES: usize = 4096;

/// Most spans kept from one file: the trace store's default budget, so a replay holds no
/// more than the live run that wrote it.
pub const MAX_SPANS: usize = crate::trace::DEFAULT_SPAN_BUDGET;

/// Most passes, samples, series points, log lines or run reports in one file (each a list in
/// the `parlab` section). A sweep of every worker count up to 1024 stays far below.
pub const MAX_RECORDS: usize = 1_000_000;

/// Latest timestamp accepted, ns. The shared clock counts from boot, so real values are far
/// below; the headroom keeps every sum and difference of two timestamps from overflowing.
pub const MAX_TIMESTAMP_NS: u64 = 1 << 62;

/// Longest stretch between the earliest and the latest timestamp of one file, ns (one week).
/// A session is minutes long; a wider stretch means corrupt times, and the timeline would
/// otherwise be scaled to show nothing.
pub const MAX_STRETCH_NS: u64 = 7 * 24 * 3600 * 1_000_000_000;
