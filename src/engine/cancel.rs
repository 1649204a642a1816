//! Cancellation: one flag every worker checks between pieces of work.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A shared "stop now" flag. Workers check it at least every few ms of work, so a cancelled
/// pass stops within the runner's 200 ms bound.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A fresh token, not cancelled.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Asks every holder to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether a stop was asked for.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// The underlying flag, for signal handlers that set it (Ctrl-C, SIGTERM).
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.0)
    }

    /// `Err(Cancelled)` when a stop was asked for, for use with `?` inside demos.
    #[inline]
    pub fn check(&self) -> Result<(), super::DemoError> {
        if self.is_cancelled() {
            Err(super::DemoError::Cancelled)
        } else {
            Ok(())
        }
    }
}
