//! In a child that does not read its stdin while it computes: notice that the parent closed
//! the pipe, so long work stops promptly instead of running on for nobody.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag set once the parent closes the child's stdin (it finished with us, was cancelled,
/// or died). A thread reads and discards stdin until it ends.
pub fn stop_when_parent_closes() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = Arc::clone(&flag);
    let spawned = std::thread::Builder::new()
        .name("parlab-stdin-watch".into())
        .spawn(move || {
            use std::io::Read as _;
            let mut buf = [0u8; 256];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut buf), Ok(k) if k > 0) {}
            f.store(true, Ordering::Relaxed);
        });
    // Without a watcher the child still stops: its parent kills it when it is done with it.
    drop(spawned);
    flag
}
