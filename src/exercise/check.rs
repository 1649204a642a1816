//! One check of a learner's program: build, write the input once, run the sequential version
//! for the right answer, run the learner's program under the observer and compare (a wrong
//! answer is never graded on speed), then time the learner's program, the reference solution
//! and the sequential version interleaved, best of k each, and judge the ratios.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::build::{self, BuildError};
use super::run::{self, Limits, Ran};
use super::verdict::{self, Speed, Verdict};
use super::{Exercise, Pass, observed};
use crate::engine::CancelToken;
use crate::recording::Recording;

/// Default runs of each program when timing.
pub const DEFAULT_RUNS: usize = 3;

/// How a check runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// `test_size` instead of `size`, correctness and limits only.
    pub quick: bool,
    /// Timed runs of each program.
    pub runs: usize,
    /// Overrides the exercise's time limit.
    pub time_limit: Option<Duration>,
    /// Stops the check between runs (and the running program).
    pub cancel: CancelToken,
    /// Where to write the learner's first observed run as a trace (`parlab replay` draws it).
    pub trace: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            quick: false,
            runs: DEFAULT_RUNS,
            time_limit: None,
            cancel: CancelToken::new(),
            trace: None,
        }
    }
}

/// A scratch directory removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> anyhow::Result<Scratch> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("parlab-check-{}-{n}", std::process::id()));
        std::fs::create_dir_all(p.join("data"))
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", p.display()))?;
        Ok(Scratch(p))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Everything one check needs at hand.
struct Ctx<'a> {
    ex: &'a Exercise,
    args: Vec<String>,
    limits: Limits,
    cancel: &'a CancelToken,
}

impl Ctx<'_> {
    fn run(&self, cmd: &[String], observe: bool) -> anyhow::Result<Ran> {
        let mut full = cmd.to_vec();
        full.extend(self.args.iter().cloned());
        Ok(run::run(&full, self.limits, observe, Some(self.cancel))?)
    }

    /// Runs one of the exercise's own programs, which must succeed.
    fn run_own(&self, cmd: &[String], what: &str) -> anyhow::Result<Ran> {
        let r = self.run(cmd, false)?;
        match r.failure() {
            None => Ok(r),
            Some(f) => anyhow::bail!("exercise {}: {what} failed: {f}", self.ex.id),
        }
    }
}

/// Checks `learner` (a program's text; `file` names it) against exercise `ex`, writing the
/// learner's first observed run to `opts.trace` when asked. Fails only when the exercise
/// itself is broken or the system refuses; the learner's mistakes are in the verdict.
pub fn check(ex: &Exercise, learner: &str, file: &Path, opts: &Options) -> anyhow::Result<Verdict> {
    let (v, run) = check_recorded(ex, learner, file, opts)?;
    if let (Some(path), Some(rec)) = (&opts.trace, &run) {
        crate::report::chrome::write(rec, path)?;
    }
    Ok(v)
}

/// [`check`], also giving back the learner's first observed run (the one judged for
/// correctness; `None` when the program never ran), which the TUI opens on the dashboard.
pub fn check_recorded(
    ex: &Exercise,
    learner: &str,
    file: &Path,
    opts: &Options,
) -> anyhow::Result<(Verdict, Option<Recording>)> {
    let scratch = Scratch::new()?;
    let size = if opts.quick {
        ex.input.test_size
    } else {
        ex.input.size
    };
    let data = scratch.0.join("data");
    let ctx = Ctx {
        ex,
        args: vec![
            ex.input.seed.to_string(),
            size.to_string(),
            data.display().to_string(),
        ],
        limits: Limits {
            time: opts
                .time_limit
                .unwrap_or(Duration::from_secs(ex.check.time_limit_s)),
            max_rss: ex.check.max_rss_mib.saturating_mul(1 << 20),
        },
        cancel: &opts.cancel,
    };
    let mut v = Verdict::new(&ex.id, &file.display().to_string(), ex.check.pass);
    let lang = ex.language;
    let s = &scratch.0;
    let sequential = build::prepare(
        lang,
        &ex.sources.sequential,
        "sequential",
        s,
        "the sequential version",
    )?;
    let reference = build::prepare(
        lang,
        &ex.sources.solution,
        "solution",
        s,
        "the reference solution",
    )?;
    let mine = match build::prepare(lang, learner, "learner", s, "your program") {
        Ok(c) => c,
        Err(e) => match e.downcast::<BuildError>() {
            Ok(b) => {
                v.failure = Some(b.to_string());
                return Ok((v, None));
            }
            Err(e) => return Err(e),
        },
    };
    if let Some((l, text)) = &ex.sources.input {
        let input = build::prepare(*l, text, "input", s, "the input generator")?;
        ctx.run_own(&input, "the input generator")?;
    }
    let expected = ctx.run_own(&sequential, "the sequential version")?;
    let first = ctx.run(&mine, true)?;
    v.observed = observed::summarize(&first);
    let run = first.observed.as_ref().map(|o| {
        crate::observe::session::recording_of(
            &o.watched,
            o.spans.clone(),
            o.samples.clone(),
            &as_learner_sees(&mine, &[s, &build::cache_dir()], file),
            crate::machine::Machine::this(),
        )
    });
    let judged = judge_output(&mut v, &first, &expected.stdout);
    let run = run.map(|rec| with_correctness(rec, &v));
    if !judged {
        return Ok((v, run));
    }
    let pass_without_timing = |v: &mut Verdict, note: &str| {
        v.passed = true;
        v.note = Some(note.into());
    };
    if opts.quick {
        pass_without_timing(
            &mut v,
            "speed not measured with --quick (correctness and limits only)",
        );
        return Ok((v, run));
    }
    if ex.check.pass == Pass::Correct {
        pass_without_timing(
            &mut v,
            "speed is not graded in this exercise: a correct answer passes",
        );
        return Ok((v, run));
    }
    if crate::cores() < 2 {
        pass_without_timing(
            &mut v,
            "speed levels do not apply on 1 core: a correct answer passes here",
        );
        return Ok((v, run));
    }
    let mut best = [u64::MAX, u64::MAX, expected.wall_ns];
    for _ in 0..opts.runs.max(1) {
        let r = ctx.run(&mine, false)?;
        if !judge_output(&mut v, &r, &expected.stdout) {
            return Ok((v, run));
        }
        best[0] = best[0].min(r.wall_ns);
        best[1] = best[1].min(ctx.run_own(&reference, "the reference solution")?.wall_ns);
        best[2] = best[2].min(ctx.run_own(&sequential, "the sequential version")?.wall_ns);
    }
    let [m, r, q] = best.map(|b| b.max(1) as f64);
    let speed = Speed {
        runs: opts.runs.max(1),
        speedup: q / m,
        vs_reference: m / r,
        reference_speedup: q / r,
    };
    // The parallelism the programs had: the cores, or fewer workers when PARLAB_WORKERS says.
    let cores = observed::offered_workers().min(crate::cores());
    v.thresholds = verdict::Thresholds::for_machine(cores, speed.reference_speedup);
    let level = verdict::level(&speed, &v.thresholds);
    v.level = Some(level);
    v.level_name = level.checked_sub(1).map(|i| verdict::LEVELS[i].to_string());
    v.passed = level >= verdict::needed(ex.check.pass);
    v.speed = Some(speed);
    if v.inconclusive() {
        // Never a pass or a fail on figures the machine made meaningless.
        v.passed = false;
        v.note = Some(format!(
            "speed could not be judged: the reference solution itself was {} here, below the {:.2}x the first level asks of yours (a busy machine or a CPU quota); check again when the machine is quieter",
            crate::report::than_sequential(q / r),
            v.thresholds.faster_than_sequential
        ));
    }
    Ok((v, run))
}

/// The command of the learner's program as its replay names it: the workspace file's name in
/// place of the check's scratch copy or its build ("python3 exercise.py", "exercise.rs", not a
/// temporary path).
fn as_learner_sees(cmd: &[String], ours: &[&Path], file: &Path) -> Vec<String> {
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    cmd.iter()
        .map(|a| {
            if ours.iter().any(|d| Path::new(a).starts_with(d)) {
                name.clone()
            } else {
                a.clone()
            }
        })
        .collect()
}

/// The replay's results say what the check found of the output (a watch alone cannot: it
/// has no sequential answer), in the check's words.
fn with_correctness(mut rec: Recording, v: &Verdict) -> Recording {
    use crate::engine::Correctness;
    let (correctness, mismatch) = match (v.correct, &v.first_difference) {
        (Some(true), _) => (Correctness::Correct, None),
        (Some(false), d) => (
            Correctness::Incorrect {
                expected: 0,
                got: 0,
            },
            Some(d.as_ref().map_or_else(
                || "its output differs from the sequential version's".to_string(),
                |d| {
                    format!(
                        "line {} of its output differs from the sequential version's",
                        d.line
                    )
                },
            )),
        ),
        (None, _) => return rec,
    };
    for r in rec.reports.iter_mut().flat_map(|r| r.variants.iter_mut()) {
        r.correctness = correctness.clone();
        r.mismatch.clone_from(&mismatch);
    }
    rec
}

/// Records a run of the learner's program: a failure or a wrong answer ends the check.
fn judge_output(v: &mut Verdict, ran: &Ran, expected: &[String]) -> bool {
    if let Some(f) = ran.failure() {
        v.failure = Some(format!("your program {f}"));
        return false;
    }
    v.first_difference = verdict::first_difference(expected, &ran.stdout);
    v.correct = Some(v.first_difference.is_none());
    v.first_difference.is_none()
}
