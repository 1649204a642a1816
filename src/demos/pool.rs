//! Lesson 3: a pool of W workers maps a function over N items in chunks; results in input
//! order (`map`) or in completion order (`imap_unordered`).

use std::collections::BTreeMap;

use super::kernels::{self, Work};
use super::workpool;
use crate::engine::{Ctx, DemoError, Digest, Metric, Outcome, TypedDemo, VariantInfo, int};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Items per progress step of the sequential loop.
const SEQUENTIAL_PIECE: u64 = 1 << 14;

/// The pool demo.
#[derive(Debug, Default)]
pub struct PoolDemo;

crate::demo_variants! {
    /// The ways of mapping.
    pub enum Variant {
        Sequential = VariantInfo::SEQUENTIAL,
        Map = VariantInfo::parallel(
            "map",
            "Pool.map: chunks handed out, results kept in input order",
        ),
        Unordered = VariantInfo::parallel(
            "unordered",
            "Pool.imap_unordered: results used as soon as each chunk finishes",
        ),
    }
}

crate::demo_params! {
    /// What the pool maps over, in what chunks, and how hard each item is.
    pub struct Params {
        size: u64 = int(200_000, 0, 1_000_000_000, "how many items to map over"),
        chunk: u64 = int(
            0,
            0,
            1_000_000_000,
            "items per task; 0 = Python's rule ceil(size / (4 x workers))",
        ),
        work: Work = kernels::work_decl(Work::Heavy),
    }
}

/// The function mapped: f(x) = x² (with heavy work, after a hash chain).
fn f(x: u64, work: Work) -> u64 {
    kernels::item(x, work)
}

impl TypedDemo for PoolDemo {
    type Variant = Variant;
    type Params = Params;
    const ID: &'static str = "pool";
    const TITLE: &'static str = "Pool: a fixed team of workers";
    const SUMMARY: &'static str =
        "map a function over items in chunks; ordered vs unordered results";

    fn memory_estimate(&self, params: &Params, _workers: usize) -> u64 {
        params.size.saturating_mul(16)
    }

    fn run(&self, variant: Variant, p: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = p.size;
        let len =
            usize::try_from(n).map_err(|_| anyhow::anyhow!("size {n} does not fit in memory"))?;
        let t0 = now_ns();
        let mut out = vec![0u64; len];
        let metrics = match variant {
            Variant::Sequential => {
                sequential(ctx, p.work, &mut out)?;
                Vec::new()
            }
            Variant::Map => pooled(ctx, p, true, &mut out)?,
            Variant::Unordered => pooled(ctx, p, false, &mut out)?,
        };
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

/// The plain loop. It ignores the pool's chunk size: pieces only pace progress and cancel
/// checks, so `--chunk 1` slows the pool, not the reference.
fn sequential(ctx: &Ctx<'_>, work: Work, out: &mut [u64]) -> Result<(), DemoError> {
    let n = out.len() as u64;
    ctx.progress.set_total(n);
    let cpu0 = thread_cpu_ns();
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
    Ok(())
}

/// The pool: `map` keeps results in input order, `unordered` uses each as it arrives.
fn pooled(
    ctx: &Ctx<'_>,
    p: &Params,
    ordered: bool,
    out: &mut [u64],
) -> Result<Vec<Metric>, DemoError> {
    let (n, work) = (p.size, p.work);
    let chunk = match p.chunk {
        0 => kernels::python_chunk(n, ctx.workers),
        c => c,
    };
    let mut arrivals: Vec<usize> = Vec::new();
    let mut pending: BTreeMap<usize, (u64, Vec<u64>)> = BTreeMap::new();
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
                // Pool.map hands results over in input order: a chunk that finished early
                // waits until every chunk before it arrived.
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
    Ok(vec![
        Metric::new("chunks", arrivals.len() as f64, ""),
        Metric::new(
            "chunks finished out of input order",
            out_of_order as f64,
            "",
        ),
        Metric::new("chunk size", chunk as f64, "items"),
    ])
}
