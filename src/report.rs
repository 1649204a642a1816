//! Reports of finished runs: plain-words verdicts, tables, JSON, CSV and Chrome trace files.
//!
//! Every format reads the same [`Recording`](crate::recording::Recording), so the table, the
//! JSON and the TUI always show the same numbers.

pub mod chrome;
mod summary;
pub mod sweep;
pub mod sweep_run;
pub mod table;
mod verdict;

pub use summary::{CpuSummary, RunSummary, VariantSummary, WorkerSummary, summarize_run};
pub use table::{csv, table};
pub use verdict::{EFFICIENCY_OVER_100, Mark, efficiency_text, than_sequential, verdict};
