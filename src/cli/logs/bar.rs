//! The progress bar of `parlab logs analyze`: bytes read of the total, on stderr, only when
//! stderr is a terminal and only once the analysis has run for a second (a warm run of a few
//! hundred MB is over before a bar would be worth drawing, and scripts get clean output).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::Progress;

/// How long an analysis runs before the bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);
/// How often the bar is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// Runs `work`, showing a bar fed from `bytes` (done of total) if stderr is a terminal and
/// `work` lasts longer than [`SHOW_AFTER`]; the bar is cleared when `work` ends.
pub(super) fn while_showing<T>(bytes: &Progress, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    // Dropping the sender (when `work` is done) wakes the bar thread at once.
    let (done, finished) = crossbeam_channel::bounded::<()>(0);
    std::thread::scope(|s| {
        s.spawn(move || {
            // The bar follows the work from its start, hidden: its speed and time left then
            // come from the whole run, not from one jump of a second's bytes when it appears.
            let bar =
                ProgressBar::with_draw_target(Some(bytes.get().1), ProgressDrawTarget::hidden());
            bar.set_style(style());
            let start = Instant::now();
            let mut shown = false;
            loop {
                bar.set_length(bytes.get().1);
                bar.set_position(bytes.get().0);
                if !shown && start.elapsed() >= SHOW_AFTER {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    shown = true;
                }
                if finished.recv_timeout(TICK) != Err(RecvTimeoutError::Timeout) {
                    break;
                }
            }
            bar.finish_and_clear();
        });
        let out = work();
        drop(done);
        out
    })
}

/// Bar, bytes done of total, speed, time left.
fn style() -> ProgressStyle {
    ProgressStyle::with_template(
        "counting {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {eta} left",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
}
