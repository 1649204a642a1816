//! Standard output for the headless commands. Why not `print!`: it panics when the reader
//! has gone (`parlab run pool --format json | head`); here that is an `io::Error` that
//! [`super::main`] turns into a quiet exit, as other command-line tools do.

use std::io::Write as _;

/// Writes `text` to stdout and flushes it.
pub fn out(text: &str) -> std::io::Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())?;
    o.flush()
}

/// Whether `e` is, somewhere in its chain, a write to a pipe whose reader has gone.
pub fn reader_gone(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_pipe_is_recognised_under_context() {
        let e = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing the report");
        assert!(reader_gone(&e));
        assert!(!reader_gone(&anyhow::anyhow!("something else")));
    }
}
