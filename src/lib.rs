//! parlab teaches parallel programming by running it.
//!
//! Data flows one way: lesson file -> lesson model -> demo parameters -> [`engine`] runs
//! workers -> [`trace`] events over a crossbeam channel -> UI state or report -> render.
//! Demos ([`demos`]) know nothing of the UI; the UI knows nothing of how a demo computes.
//! The headless CLI ([`cli`]) and the TUI drive the same engine.

pub mod app;
pub mod child;
pub mod cli;
pub mod datadir;
pub mod demos;
pub mod engine;
pub mod event;
pub mod exercise;
pub mod export;
pub mod lecture;
pub mod lesson;
pub mod logs;
pub mod machine;
pub mod observe;
pub mod platform;
pub mod progress;
pub mod recording;
pub mod report;
pub mod runstore;
pub mod sampler;
pub mod session;
pub mod trace;
pub mod tui;
pub mod ui;
pub mod units;
pub mod workers;

/// Logical cores of this machine: the default worker count.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}
