//! parlab's integration tests, as one test binary (one link, one process; tests of all modules
//! run in parallel). What several modules need lives in [`common`].

mod common;

mod apps;
mod check_run;
mod child;
mod classroom;
mod cli;
mod dashboard;
mod dashboard2;
mod demos;
mod exercise_tui;
mod exercises;
mod lecture;
mod lessons;
mod logs;
mod pitfalls;
mod procs;
mod progress;
mod python_blocks;
mod runs;
mod screen;
mod sync_demos;
mod tui;
mod tui_tmux;
mod watch;
