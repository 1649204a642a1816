//! Lesson 9 (applications): image processing, one task per image.
//!
//! Each task makes a synthetic RGB image from a seed (standing in for reading and decoding a
//! file, and real work like it), shrinks it to 100x100 by averaging boxes of pixels, and blurs
//! the thumbnail with three passes of a box blur (close to a Gaussian). Tasks are independent,
//! so the speedup approaches the core count; the digest hashes every output pixel in image
//! order.

use rayon::prelude::*;

use super::rng::{Rng, splitmix64};
use super::workpool;
use crate::engine::{
    CancelToken, Ctx, Demo, DemoError, DemoInfo, Digest, Metric, Outcome, ParamSpec, Params,
    VariantInfo,
};
use crate::trace::{Phase, now_ns, thread_cpu_ns};

/// Output width and height: the tutorial resizes to 100x100.
pub const OUT: usize = 100;
/// Radius of each box-blur pass.
const BLUR_RADIUS: usize = 2;
/// Rows between cancel checks inside one image.
const ROWS_PER_CHECK: usize = 32;

/// The images demo.
pub struct Images {
    info: DemoInfo,
}

impl Images {
    /// The demo with its declared parameters and variants.
    pub fn new() -> Images {
        Images {
            info: DemoInfo {
                id: "images",
                title: "Applications: image processing",
                summary: "make, shrink to 100x100 and blur many images, one task per image",
                params: vec![
                    ParamSpec::int("images", 200, 0, 100_000, "how many images"),
                    ParamSpec::int("width", 640, 1, 8192, "width of each source image, pixels"),
                    ParamSpec::int(
                        "height",
                        480,
                        1,
                        8192,
                        "height of each source image, pixels",
                    ),
                    ParamSpec::int("seed", 1, 0, u64::MAX, "seed of the synthetic images"),
                ],
                variants: vec![
                    VariantInfo::SEQUENTIAL,
                    VariantInfo::parallel(
                        "rayon",
                        "rayon parallel iterator over the images, one task each (work stealing)",
                    ),
                    VariantInfo::parallel(
                        "pool",
                        "a fixed pool of W threads taking one image at a time from a queue",
                    ),
                ],
            },
        }
    }
}

impl Default for Images {
    fn default() -> Self {
        Images::new()
    }
}

/// The job's shape, from the parameters.
#[derive(Clone, Copy, Debug)]
pub struct Job {
    /// Source width.
    pub width: usize,
    /// Source height.
    pub height: usize,
    /// Seed.
    pub seed: u64,
}

/// Makes image `index` (RGB, row-major): colour gradients, a few filled circles and noise.
/// `None` if cancelled.
pub fn generate(job: Job, index: u64, cancel: &CancelToken) -> Option<Vec<u8>> {
    let (w, h) = (job.width, job.height);
    let mut rng = Rng::new(job.seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
    let base = [rng.below(256), rng.below(256), rng.below(256)];
    let circles: Vec<(i64, i64, i64, [u8; 3])> = (0..4)
        .map(|_| {
            let r = 1 + rng.below((w.min(h) as u64 / 4).max(1)) as i64;
            let c = [
                rng.below(256) as u8,
                rng.below(256) as u8,
                rng.below(256) as u8,
            ];
            (rng.below(w as u64) as i64, rng.below(h as u64) as i64, r, c)
        })
        .collect();
    let mut px = vec![0u8; w * h * 3];
    for (y, row) in px.chunks_mut(w * 3).enumerate() {
        if y % ROWS_PER_CHECK == 0 && cancel.is_cancelled() {
            return None;
        }
        let gy = (y * 255 / h.max(1)) as u64;
        for (x, p) in row.chunks_exact_mut(3).enumerate() {
            let gx = (x * 255 / w.max(1)) as u64;
            let noise = splitmix64(rng.state() ^ ((y * w + x) as u64)) & 0x1F;
            let mut c = [
                ((base[0] + gx + noise) / 2) as u8,
                ((base[1] + gy + noise) / 2) as u8,
                ((base[2] + (gx + gy) / 2) / 2) as u8,
            ];
            for &(cx, cy, r, col) in &circles {
                let (dx, dy) = (x as i64 - cx, y as i64 - cy);
                if dx * dx + dy * dy <= r * r {
                    c = col;
                }
            }
            p.copy_from_slice(&c);
        }
    }
    Some(px)
}

/// Shrinks (or stretches) an RGB image to `ow` x `oh` by averaging the box of source pixels
/// each output pixel covers.
pub fn resize_box(
    src: &[u8],
    w: usize,
    h: usize,
    ow: usize,
    oh: usize,
    cancel: &CancelToken,
) -> Option<Vec<u8>> {
    let mut out = vec![0u8; ow * oh * 3];
    for oy in 0..oh {
        if oy % ROWS_PER_CHECK == 0 && cancel.is_cancelled() {
            return None;
        }
        let y0 = oy * h / oh;
        let y1 = ((oy + 1) * h / oh).max(y0 + 1);
        for ox in 0..ow {
            let x0 = ox * w / ow;
            let x1 = ((ox + 1) * w / ow).max(x0 + 1);
            let mut sum = [0u64; 3];
            for y in y0..y1 {
                let row = &src[(y * w + x0) * 3..(y * w + x1) * 3];
                for p in row.chunks_exact(3) {
                    sum[0] += u64::from(p[0]);
                    sum[1] += u64::from(p[1]);
                    sum[2] += u64::from(p[2]);
                }
            }
            let n = ((y1 - y0) * (x1 - x0)) as u64;
            let o = (oy * ow + ox) * 3;
            for c in 0..3 {
                out[o + c] = ((sum[c] + n / 2) / n) as u8;
            }
        }
    }
    Some(out)
}

/// One box-blur pass of radius `r` along rows (`horizontal`) or columns, edges clamped.
fn box_pass(src: &[u8], dst: &mut [u8], w: usize, h: usize, r: usize, horizontal: bool) {
    let (lines, len) = if horizontal { (h, w) } else { (w, h) };
    let at = |line: usize, i: usize| {
        if horizontal {
            (line * w + i) * 3
        } else {
            (i * w + line) * 3
        }
    };
    let n = (2 * r + 1) as u32;
    for line in 0..lines {
        for i in 0..len {
            let mut sum = [0u32; 3];
            for k in 0..n as usize {
                let j = (i + k).saturating_sub(r).min(len - 1);
                let p = at(line, j);
                for c in 0..3 {
                    sum[c] += u32::from(src[p + c]);
                }
            }
            let o = at(line, i);
            for c in 0..3 {
                dst[o + c] = ((sum[c] + n / 2) / n) as u8;
            }
        }
    }
}

/// Blurs an RGB image in place: three horizontal and vertical box passes (close to Gaussian).
pub fn blur(img: &mut [u8], w: usize, h: usize) {
    if w == 0 || h == 0 {
        return;
    }
    let mut tmp = vec![0u8; img.len()];
    for _ in 0..3 {
        box_pass(img, &mut tmp, w, h, BLUR_RADIUS, true);
        box_pass(&tmp, img, w, h, BLUR_RADIUS, false);
    }
}

/// One task: make image `index`, shrink it to 100x100, blur it. `None` if cancelled.
pub fn process(job: Job, index: u64, cancel: &CancelToken) -> Option<Vec<u8>> {
    let src = generate(job, index, cancel)?;
    let mut out = resize_box(&src, job.width, job.height, OUT, OUT, cancel)?;
    blur(&mut out, OUT, OUT);
    Some(out)
}

impl Demo for Images {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn memory_estimate(&self, params: &Params, workers: usize) -> u64 {
        let src = params.int("width") * params.int("height") * 3;
        (workers as u64 + 1) * src + params.int("images") * (OUT * OUT * 3) as u64
    }

    fn run(&self, variant: &str, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let n = ctx.params.int("images");
        let job = Job {
            width: ctx.params.usize("width").max(1),
            height: ctx.params.usize("height").max(1),
            seed: ctx.params.int("seed"),
        };
        ctx.progress.set_total(n);
        let t0 = now_ns();
        let outs: Vec<Vec<u8>> = match variant {
            "sequential" => {
                let cpu0 = thread_cpu_ns();
                let mut outs = Vec::with_capacity(n as usize);
                for i in 0..n {
                    let s = ctx.trace.start();
                    outs.push(process(job, i, ctx.cancel).ok_or(DemoError::Cancelled)?);
                    ctx.trace.end(0, s, Phase::Compute, 1, 0);
                    ctx.progress.add(1);
                }
                ctx.trace.add_cpu(0, thread_cpu_ns() - cpu0);
                outs
            }
            "rayon" => rayon_images(ctx, job, n)?,
            "pool" => {
                let mut outs = vec![Vec::new(); n as usize];
                workpool::map_chunks(
                    ctx,
                    n,
                    1,
                    |r, cancel| {
                        r.map(|i| process(job, i, cancel))
                            .collect::<Option<Vec<_>>>()
                    },
                    |c, imgs| {
                        for (i, img) in c.range.zip(imgs) {
                            outs[i as usize] = img;
                        }
                    },
                )?;
                outs
            }
            other => {
                return Err(DemoError::Failed(anyhow::anyhow!(
                    "images has no variant {other}"
                )));
            }
        };
        let t1 = now_ns();
        let mut d = Digest::new();
        for img in &outs {
            d.push_bytes(img);
        }
        let secs = (t1 - t0).max(1) as f64 / 1e9;
        let mpx = (n * (job.width * job.height) as u64) as f64 / 1e6;
        Ok(Outcome {
            workers: None,
            digest: d.value(),
            items: n,
            metrics: vec![
                Metric::new("images per second", n as f64 / secs, "images/s"),
                Metric::new("source pixels per second", mpx / secs, "Mpx/s"),
            ],
            note: Some(format!(
                "{n} tasks, one per image: make a {}x{} image from seed {} (standing in for \
                 reading and decoding a file), shrink it to {OUT}x{OUT}, blur it",
                job.width, job.height, job.seed
            )),
            timed: Some((t0, t1)),
        })
    }
}

/// The rayon variant: a pool of exactly `ctx.workers` threads, one span per image.
fn rayon_images(ctx: &Ctx<'_>, job: Job, n: u64) -> Result<Vec<Vec<u8>>, DemoError> {
    let (trace, cancel) = (ctx.trace, ctx.cancel);
    let outs: Option<Vec<Vec<u8>>> = workpool::in_rayon_pool(ctx.workers, trace, || {
        (0..n as usize)
            .into_par_iter()
            .with_max_len(1)
            .map(|i| {
                let i = i as u64;
                let w = rayon::current_thread_index().unwrap_or(0) as u32;
                let s = trace.start();
                let img = process(job, i, cancel)?;
                trace.end(w, s, Phase::Compute, 1, 0);
                ctx.progress.add(1);
                Some(img)
            })
            .collect()
    })?;
    ctx.cancel.check()?;
    outs.ok_or(DemoError::Cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resize_averages_boxes() {
        // 2x2 -> 1x1: the mean of the four pixels.
        let src = [0, 0, 0, 10, 20, 30, 20, 40, 60, 30, 60, 90];
        let out = resize_box(&src, 2, 2, 1, 1, &CancelToken::new()).unwrap();
        assert_eq!(out, vec![15, 30, 45]);
    }

    #[test]
    fn blur_keeps_a_flat_image_flat() {
        let mut img = vec![77u8; 5 * 4 * 3];
        blur(&mut img, 5, 4);
        assert!(img.iter().all(|&p| p == 77));
    }

    #[test]
    fn images_are_reproducible_and_differ() {
        let job = Job {
            width: 37,
            height: 23,
            seed: 5,
        };
        let c = CancelToken::new();
        assert_eq!(generate(job, 3, &c), generate(job, 3, &c));
        assert_ne!(generate(job, 3, &c), generate(job, 4, &c));
        assert_eq!(process(job, 0, &c).unwrap().len(), OUT * OUT * 3);
    }

    #[test]
    fn rng_below_stays_in_range() {
        let mut r = Rng::new(9);
        assert!((0..1000).all(|_| r.below(7) < 7));
    }
}
