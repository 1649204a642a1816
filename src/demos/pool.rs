//! Lesson 3: a pool of W workers maps a function over N items in chunks; results in input
//! order (`map`) or in completion order (`imap_unordered`).

use super::kernels::{self, Work};
use super::workpool;
use crate::engine::{
    Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, Params, VariantInfo,
};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Items per progress step of the sequential loop.
const SEQUENTIAL_PIECE: u64 = 1 << 14;

/// The pool demo.
pub struct PoolDemo {
    info: DemoInfo,
}

impl PoolDemo {
    /// The demo with its declared parameters and variants.
    pub fn new() -> PoolDemo {
        let work = kernels::work_param("heavy");
        PoolDemo {
            info: DemoInfo {
                id: "pool",
                title: "Pool: a fixed team of workers",
                summary: "map a function over items in chunks; ordered vs unordered results",
                params: vec![
                    ParamSpec::int(
                        "size",
                        200_000,
                        0,
                        1_000_000_000,
                        "how many items to map over",
                    ),
                    ParamSpec::int(
                        "chunk",
                        0,
                        0,
                        1_000_000_000,
                        "items per task; 0 = Python's rule ceil(size / (4 x workers))",
                    ),
                    work,
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "map",
                        "Pool.map: chunks handed out, results kept in input order",
                    ),
                    VariantInfo::parallel(
                        "unordered",
                        "Pool.imap_unordered: results used as soon as each chunk finishes",
                    ),
                ],
            },
        }
    }
}

impl Default for PoolDemo {
    fn default() -> Self {
        PoolDemo::new()
    }
}

/// The function mapped: f(x) = x² (with heavy work, after a hash chain).
fn f(x: u64, work: Work) -> u64 {
    kernels::item(x, work)
}

impl Demo for PoolDemo {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn memory_estimate(&self, params: &Params, _workers: usize) -> u64 {
        params.int("size").saturating_mul(16)
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("size");
        let work = Work::from_param(ctx.params.text("work"));
        let len =
            usize::try_from(n).map_err(|_| anyhow::anyhow!("size {n} does not fit in memory"))?;
        let chunk = match ctx.params.int("chunk") {
            0 => kernels::python_chunk(n, ctx.workers),
            c => c,
        };
        let t0 = now_ns();
        let mut out = vec![0u64; len];
        let mut metrics = Vec::new();
        match variant {
            "sequential" => {
                ctx.progress.set_total(n);
                let cpu0 = thread_cpu_ns();
                // The loop ignores the pool's chunk size: pieces only pace progress and
                // cancel checks, so `--chunk 1` slows the pool, not the reference.
                for c in workpool::chunks(n, SEQUENTIAL_PIECE) {
                    ctx.cancel.check()?;
                    let s = ctx.trace.start();
                    for x in c.range.clone() {
                        out[x as usize] = f(x, work);
                    }
                    ctx.trace
                        .end(0, s, Phase::Compute, c.range.end - c.range.start, 0);
                    ctx.progress.add(c.range.end - c.range.start);
                }
                ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
            }
            "map" | "unordered" => {
                let ordered = variant == "map";
                let mut arrivals: Vec<usize> = Vec::new();
                let mut pending: std::collections::BTreeMap<usize, (u64, Vec<u64>)> =
                    Default::default();
                let mut next = 0usize;
                workpool::map_chunks(
                    ctx,
                    n,
                    chunk,
                    |r, cancel| {
                        let mut buf = Vec::with_capacity((r.end - r.start) as usize);
                        for (k, x) in r.enumerate() {
                            if k as u64 % kernels::CANCEL_EVERY == 0 && cancel.is_cancelled() {
                                return None;
                            }
                            buf.push(f(x, work));
                        }
                        Some(buf)
                    },
                    |c, buf| {
                        arrivals.push(c.index);
                        let start = c.range.start as usize;
                        if ordered {
                            // Pool.map hands results over in input order: a chunk that
                            // finished early waits until every chunk before it arrived.
                            pending.insert(c.index, (c.range.start, buf));
                            while let Some((s, b)) = pending.remove(&next) {
                                out[s as usize..s as usize + b.len()].copy_from_slice(&b);
                                next += 1;
                            }
                        } else {
                            out[start..start + buf.len()].copy_from_slice(&buf);
                        }
                    },
                )?;
                let out_of_order = arrivals.iter().enumerate().filter(|(i, c)| i != *c).count();
                metrics.push(Metric::new("chunks", arrivals.len() as f64, ""));
                metrics.push(Metric::new(
                    "chunks finished out of input order",
                    out_of_order as f64,
                    "",
                ));
                metrics.push(Metric::new("chunk size", chunk as f64, "items"));
            }
            other => {
                return Err(DemoError::Failed(anyhow::anyhow!(
                    "pool has no variant {other}"
                )));
            }
        }
        let timed = (t0, now_ns());
        let mut d = Digest::new();
        d.push_all(&out);
        Ok(Outcome {
            digest: d.value(),
            items: n,
            metrics,
            timed: Some(timed),
            ..Outcome::default()
        })
    }
}
