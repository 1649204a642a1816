//! The capstone tool: a log generator and a parallel log-level counter.
//!
//! [`generate`] writes reproducible `.log` files; [`analyze`] counts the level word of every
//! line of every `.log` file in a directory, one task per file on a pool of threads, streaming
//! each file in fixed-size blocks ([`count`]) and reading lines and words by the tutorial's
//! Python rules ([`words`]); [`csv_out`] writes the result table atomically. The `parlab logs`
//! subcommand and the `logs` demo both drive these functions, so the numbers the CLI prints
//! and the timeline the TUI draws come from the same code.

pub mod analyze;
pub mod breaks;
pub mod count;
pub mod csv_out;
pub mod generate;
pub mod scan;
pub mod words;

pub use analyze::{Analysis, FileReport, Hooks, LogFile, list_logs};
pub use count::Counts;
pub use generate::{GenOptions, GenStats};

/// The levels that are CSV columns, in column order. Other first words (DEBUG, TRACE, a
/// timestamp on a continuation line) are read but not counted.
pub const LEVELS: [&str; 3] = ["ERROR", "WARNING", "INFO"];

/// The CSV header, exactly.
pub const CSV_HEADER: [&str; 4] = ["File", "ERROR", "WARNING", "INFO"];

#[cfg(test)]
mod props;
