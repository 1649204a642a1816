//! The per-image work of the images lesson: make a synthetic image, shrink it, blur it.
//!
//! Every variant, sequential included, runs [`render`]: the same machine code, writing into a
//! slot of one output buffer with a [`Scratch`] reused from image to image, all made and
//! touched before the timed part. Nothing is allocated or first touched while timing, so no
//! variant's speed depends on what the allocator does on the thread it happens to run on (see
//! the module doc of [`super`]).

use crate::demos::rng::{Rng, splitmix64};
use crate::engine::CancelToken;

/// Output width and height: the tutorial resizes to 100x100.
pub const OUT: usize = 100;
/// Bytes of one output image (RGB).
pub const OUT_BYTES: usize = OUT * OUT * 3;
/// Radius of each box-blur pass.
const BLUR_RADIUS: usize = 2;
/// Rows between cancel checks inside one image.
const ROWS_PER_CHECK: usize = 32;

/// The job's shape, from the parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    /// Source width.
    pub width: usize,
    /// Source height.
    pub height: usize,
    /// Seed.
    pub seed: u64,
}

/// Reusable buffers of one task in flight: the source image and the blur's intermediate.
#[derive(Debug)]
pub struct Scratch {
    src: Vec<u8>,
    tmp: Vec<u8>,
}

impl Scratch {
    /// Buffers for `job`, every page already touched (see [`prefault`]).
    pub fn new(job: Job) -> Scratch {
        let mut s = Scratch {
            src: vec![0u8; job.width * job.height * 3],
            tmp: vec![0u8; OUT_BYTES],
        };
        prefault(&mut s.src);
        prefault(&mut s.tmp);
        s
    }
}

/// Writes one byte of every page of `buf`, so the page faults of first touching fresh memory
/// happen here, before the timed part, and not in whichever variant writes it first.
pub fn prefault(buf: &mut [u8]) {
    // Opaque to the optimizer: these stores cannot be dropped as "already zero".
    let buf = std::hint::black_box(buf);
    for b in buf.iter_mut().step_by(4096) {
        *b = 0;
    }
}

/// Makes image `index` (RGB, row-major) into `px` (`width * height * 3` bytes): colour
/// gradients, a few filled circles and noise. `None` if cancelled.
pub fn generate_into(job: Job, index: u64, px: &mut [u8], cancel: &CancelToken) -> Option<()> {
    let (w, h) = (job.width, job.height);
    let mut rng = Rng::new(job.seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
    let base = [rng.below(256), rng.below(256), rng.below(256)];
    let circles: [(i64, i64, i64, [u8; 3]); 4] = std::array::from_fn(|_| {
        let r = 1 + rng.below((w.min(h) as u64 / 4).max(1)) as i64;
        let c = [
            rng.below(256) as u8,
            rng.below(256) as u8,
            rng.below(256) as u8,
        ];
        (rng.below(w as u64) as i64, rng.below(h as u64) as i64, r, c)
    });
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
    Some(())
}

/// Shrinks (or stretches) an RGB image `w` x `h` into `out` (`ow` x `oh`) by averaging the
/// box of source pixels each output pixel covers.
pub fn resize_box(src: &[u8], (w, h): (usize, usize), out: &mut [u8], (ow, oh): (usize, usize)) {
    for oy in 0..oh {
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

/// Blurs an RGB image in place with `tmp` (same length) as the intermediate: three
/// horizontal and vertical box passes (close to Gaussian).
pub fn blur(img: &mut [u8], tmp: &mut [u8], w: usize, h: usize) {
    if w == 0 || h == 0 {
        return;
    }
    for _ in 0..3 {
        box_pass(img, tmp, w, h, BLUR_RADIUS, true);
        box_pass(tmp, img, w, h, BLUR_RADIUS, false);
    }
}

/// One task, the same in every variant: make image `index` in `scratch` (made for `job`),
/// shrink it into `out` ([`OUT_BYTES`] bytes), blur it there. `None` if cancelled.
#[inline(never)] // one copy of the hot code, whichever variant calls it
pub fn render(
    job: Job,
    index: u64,
    scratch: &mut Scratch,
    out: &mut [u8],
    cancel: &CancelToken,
) -> Option<()> {
    let Scratch { src, tmp } = scratch;
    generate_into(job, index, src, cancel)?;
    resize_box(src, (job.width, job.height), out, (OUT, OUT));
    blur(out, tmp, OUT, OUT);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resize_averages_boxes() {
        // 2x2 -> 1x1: the mean of the four pixels.
        let src = [0, 0, 0, 10, 20, 30, 20, 40, 60, 30, 60, 90];
        let mut out = [0u8; 3];
        resize_box(&src, (2, 2), &mut out, (1, 1));
        assert_eq!(out, [15, 30, 45]);
    }

    #[test]
    fn blur_keeps_a_flat_image_flat() {
        let mut img = vec![77u8; 5 * 4 * 3];
        let mut tmp = vec![0u8; img.len()];
        blur(&mut img, &mut tmp, 5, 4);
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
        let make = |i| {
            let mut px = vec![0u8; 37 * 23 * 3];
            generate_into(job, i, &mut px, &c).map(|()| px)
        };
        assert_eq!(make(3), make(3));
        assert_ne!(make(3), make(4));
        let mut out = vec![0u8; OUT_BYTES];
        let mut scratch = Scratch::new(job);
        assert!(render(job, 0, &mut scratch, &mut out, &c).is_some());
        let first = out.clone();
        // The scratch is reused: the same image comes out again.
        assert!(render(job, 1, &mut scratch, &mut out, &c).is_some());
        assert!(render(job, 0, &mut scratch, &mut out, &c).is_some());
        assert_eq!(out, first);
    }

    #[test]
    fn rng_below_stays_in_range() {
        let mut r = Rng::new(9);
        assert!((0..1000).all(|_| r.below(7) < 7));
    }
}
