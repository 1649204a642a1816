//! Thread pools that both the demos and the log analyzer run on, with per-thread CPU
//! accounting.
//!
//! Why a top-level module: the `logs` analyzer and the demos share the same pool, and the
//! analyzer must not import `demos` (the demos import `logs`), so the pool lives below both.

use crate::engine::DemoError;
use crate::trace::{Tracer, thread_cpu_ns};

/// Runs `f` inside a rayon pool of exactly `workers` threads (started for this pass, so its
/// start-up is measured as the fixed pool's is), crediting each pool thread's CPU time to the
/// worker with its index in `trace`. Inside `f`, `rayon::current_thread_index()` is the worker.
pub fn in_rayon_pool<T, F>(workers: usize, trace: &Tracer, f: F) -> Result<T, DemoError>
where
    T: Send,
    F: FnOnce() -> T + Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers.max(1))
        .thread_name(|i| format!("parlab-rayon-{i}"))
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the rayon pool: {e}"))?;
    let cpu0: Vec<u64> = pool.broadcast(|_| thread_cpu_ns());
    let out = pool.install(f);
    let cpu1: Vec<u64> = pool.broadcast(|_| thread_cpu_ns());
    for (i, (a, b)) in cpu0.iter().zip(&cpu1).enumerate() {
        trace.add_cpu(i as u32, b.saturating_sub(*a));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_on_exactly_the_asked_threads_and_credits_each() {
        let trace = Tracer::disabled();
        let got = in_rayon_pool(3, &trace, || {
            (rayon::current_num_threads(), rayon::current_thread_index())
        })
        .unwrap();
        assert_eq!(got.0, 3);
        assert_eq!(
            in_rayon_pool(0, &trace, rayon::current_num_threads).unwrap(),
            1
        );
    }
}
