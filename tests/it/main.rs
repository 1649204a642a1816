//! parlab's integration tests, as one test binary (one link, one process; tests of all modules
//! run in parallel). What several modules need lives in [`common`].

mod common;

mod apps;
mod child;
mod cli;
mod dashboard;
mod demos;
mod lessons;
mod logs;
mod pitfalls;
mod procs;
mod sync_demos;
mod tui;
mod tui_tmux;
