//! Code exercises through the CLI: the learner's loop (list, start, check, hint, solution), the
//! verdict as JSON, the authors' check on the shipped set and on a broken folder, and learner
//! programs that crash, hang, print garbage, eat memory or fork without end. Every check runs
//! with `--quick` (test_size) or on a tiny crafted exercise, so nothing here is timed and the
//! file runs in seconds; every test gets its own data directory (progress, builds).

#![allow(clippy::unwrap_used)] // helpers of a test file: a panic is the failure report

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

use crate::common::starts_children;

/// The exercise whose starter is wrong at test_size every time (a lost-update race, 40 of 40
/// runs measured) and whose solution is right: the loop's tests use it.
const RACE: &str = "race-per-worker";

/// Its folder in the repository.
const RACE_DIR: &str = "04-race-per-worker";

/// `parlab` with its own data directory (progress, Rust builds) and temp directory: the
/// temp directory's unique name is in the command line of every program a check runs, so a
/// test can look for anything left behind with `pgrep -f`.
fn parlab(home: &Path) -> Command {
    let mut c = Command::cargo_bin("parlab").unwrap();
    c.env("PARLAB_DATA_DIR", home.join("data"))
        .env("TMPDIR", home.join("tmp"))
        .env_remove("PARLAB_WORKERS");
    std::fs::create_dir_all(home.join("tmp")).unwrap();
    c
}

/// A fresh home for one test.
fn home() -> TempDir {
    tempfile::Builder::new()
        .prefix("parlab-it-ex-")
        .tempdir()
        .unwrap()
}

/// A shipped exercise's file.
fn shipped(folder: &str, file: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("exercises")
        .join(folder)
        .join(file);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs `cmd`; its exit code and stdout.
fn run(cmd: &mut Command) -> (i32, String) {
    let o = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr);
    (
        o.status.code().unwrap_or(-1),
        format!(
            "{stdout}{}",
            if stderr.is_empty() {
                String::new()
            } else {
                format!("[stderr] {stderr}")
            }
        ),
    )
}

/// Lines of a verdict that say what failed.
fn crosses(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.starts_with('✗')).collect()
}

#[test]
fn list_names_every_exercise_and_how_to_start() {
    let h = home();
    let (code, out) = run(parlab(h.path()).args(["exercise", "list"]));
    assert_eq!(code, 0, "{out}");
    for id in [
        "pool-chunksize",
        RACE,
        "deadlock-order",
        "rust-threads-sum",
        "rust-balance",
    ] {
        assert!(out.contains(id), "{id} missing:\n{out}");
    }
    assert!(out.contains("parlab exercise start ID"), "{out}");
    assert!(!out.contains("skipped:"), "{out}");
}

#[test]
fn start_writes_the_starter_says_where_and_never_overwrites_an_edit() {
    let h = home();
    let ws = h.path().join("ws");
    let file = ws.join("exercise.py");
    let (code, out) = run(parlab(h.path()).args(["exercise", "start", RACE]).arg(&ws));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("wrote the starter to {}", file.display())),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "parlab exercise check {RACE} --dir {}",
            ws.display()
        )),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        shipped(RACE_DIR, "starter.py")
    );
    assert!(
        std::fs::read_to_string(ws.join("TASK.md"))
            .unwrap()
            .contains("TODO(parlab)")
    );

    // The learner's edit survives a second start, which says how to force it.
    std::fs::write(&file, "# my work\n").unwrap();
    let (code, out) = run(parlab(h.path()).args(["exercise", "start", RACE]).arg(&ws));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("kept your edited") && out.contains("--force"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# my work\n");

    let (code, out) = run(parlab(h.path())
        .args(["exercise", "start", RACE, "--force"])
        .arg(&ws));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("wrote the starter"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        shipped(RACE_DIR, "starter.py")
    );
}

#[test]
fn the_loop_wrong_starter_hints_in_order_then_the_solution_passes_and_is_shown() {
    let _g = starts_children();
    let h = home();
    let ws = h.path().join("ws");
    let check = |extra: &[&str]| {
        let mut c = parlab(h.path());
        c.args(["exercise", "check", RACE, "--quick", "--dir"])
            .arg(&ws)
            .args(extra);
        run(&mut c)
    };
    let (code, out) = run(parlab(h.path()).args(["exercise", "start", RACE]).arg(&ws));
    assert_eq!(code, 0, "{out}");

    // The starter loses updates: one clear verdict, exit 1.
    let (code, out) = check(&[]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(crosses(&out).len(), 1, "{out}");
    assert!(crosses(&out)[0].contains("wrong answer"), "{out}");
    assert!(
        out.contains("NOT PASSED") && out.contains(&format!("parlab exercise hint {RACE}")),
        "{out}"
    );

    // The solution stays hidden before a pass.
    let solution = shipped(RACE_DIR, "solution.py");
    let (code, out) = run(parlab(h.path()).args(["exercise", "solution", RACE]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("shown after your program passes"), "{out}");
    assert!(!out.contains("import "), "{out}");

    // Hints: one more each time, in the file's order, then "the last".
    let hints = parlab::exercise::embedded()
        .get(RACE)
        .unwrap()
        .hints
        .clone();
    let n = hints.len();
    assert!(n >= 2, "{hints:?}");
    for shown in 1..=n {
        let (code, out) = run(parlab(h.path()).args(["exercise", "hint", RACE]));
        assert_eq!(code, 0, "{out}");
        let mut at = 0;
        for (i, hint) in hints.iter().take(shown).enumerate() {
            let line = format!("hint {} of {n}: {hint}", i + 1);
            let pos = out[at..].find(&line).map(|p| p + at);
            assert!(
                pos.is_some(),
                "hint {} missing or out of order:\n{out}",
                i + 1
            );
            at = pos.unwrap() + line.len();
        }
        assert!(
            !out.contains(&format!("hint {} of {n}", shown + 1)),
            "{out}"
        );
        assert_eq!(out.contains("that was the last hint"), shown == n, "{out}");
    }

    // The reference solution in the workspace passes; the JSON carries the verdict.
    std::fs::write(ws.join("exercise.py"), &solution).unwrap();
    let (code, out) = check(&["--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["id"], RACE);
    assert_eq!(v["passed"], true);
    assert_eq!(v["correct"], true);
    assert_eq!(v["failure"], serde_json::Value::Null);
    assert_eq!(v["pass_rule"], "correct");
    let obs = &v["observed"];
    assert!(obs["busy_workers"].as_f64().unwrap() > 0.0, "{out}");
    assert!(obs["workers"].as_u64().unwrap() >= 1, "{out}");
    assert!(
        obs["processes"].as_u64().unwrap() >= 2,
        "a pool of processes: {out}"
    );
    assert!(
        v["thresholds"]["near_reference"].as_f64().unwrap() > 1.0,
        "{out}"
    );

    // After a pass the solution is shown.
    let (code, out) = run(parlab(h.path()).args(["exercise", "solution", RACE]));
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, solution);
}

/// The tiny exercise's right answer: the sum of 0..SIZE.
const SUM: &str =
    "import sys\n\nif __name__ == \"__main__\":\n    print(sum(range(int(sys.argv[2]))))\n";

/// A tiny exercise folder in `root`: sequential and solution print the sum of 0..SIZE, the
/// starter prints nothing; `check` is its `[check]` table.
fn tiny_set(root: &Path, check: &str) -> PathBuf {
    let set = root.join("set");
    let d = set.join("01-tiny");
    std::fs::create_dir_all(&d).unwrap();
    let toml = format!(
        "id = \"tiny\"\nlesson = \"chunking\"\ntitle = \"Tiny\"\nlanguage = \"python\"\n\
         task = \"Sum 0..SIZE.\"\nhints = [\"add\"]\n\n[input]\nseed = 1\nsize = 2000\n\
         test_size = 1000\n\n[check]\n{check}\n"
    );
    std::fs::write(d.join("exercise.toml"), toml).unwrap();
    std::fs::write(d.join("sequential.py"), SUM).unwrap();
    std::fs::write(d.join("solution.py"), SUM).unwrap();
    std::fs::write(d.join("starter.py"), "# TODO(parlab): sum\n").unwrap();
    set
}

#[test]
fn json_carries_ratios_level_and_thresholds_when_speed_is_measured() {
    let _g = starts_children();
    let h = home();
    let set = tiny_set(h.path(), "pass = \"faster\"");
    let prog = h.path().join("mine.py");
    std::fs::write(&prog, SUM).unwrap();
    let (code, out) = run(parlab(h.path())
        .arg("--exercises")
        .arg(&set)
        .args([
            "exercise", "check", "tiny", "--runs", "1", "--format", "json", "--file",
        ])
        .arg(&prog));
    // Whether a one-line sum is "faster than sequential" is up to the machine: not asserted.
    assert!(code == 0 || code == 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["correct"], true, "{out}");
    if v["speed"].is_null() {
        // One core: speed is not graded, and the verdict says why.
        assert!(v["note"].as_str().unwrap().contains("1 core"), "{out}");
        return;
    }
    let s = &v["speed"];
    for k in ["speedup", "vs_reference", "reference_speedup"] {
        assert!(s[k].as_f64().unwrap() > 0.0, "{k}: {out}");
    }
    assert_eq!(s["runs"], 1);
    assert!(v["level"].as_u64().unwrap() <= 3, "{out}");
    // A busy machine can make the reference itself too slow for speed to be judged: then
    // the check neither passes nor fails the program on speed, and says so.
    let unjudged = v["note"]
        .as_str()
        .is_some_and(|n| n.contains("could not be judged"));
    let passes = !unjudged && v["level"].as_u64().unwrap() >= 1;
    assert_eq!(v["passed"], passes, "{out}");
    // The first level scales with the cores: 1.1x on 2, at most 2x.
    let faster = v["thresholds"]["faster_than_sequential"].as_f64().unwrap();
    assert!((1.1..=2.0).contains(&faster), "{out}");
    assert!(v["thresholds"]["cores"].as_u64().unwrap() >= 1, "{out}");
    assert!(v["observed"]["busy_workers"].is_number(), "{out}");
}

#[test]
fn authors_check_of_the_shipped_metadata_passes() {
    let h = home();
    let (code, out) = run(parlab(h.path()).args(["check-exercises", "--metadata-only"]));
    assert_eq!(code, 0, "{out}");
    let n = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert!(out.contains(&format!("{n} exercises OK")), "{out}");
}

#[test]
fn authors_check_of_a_broken_folder_gives_file_line_errors() {
    let h = home();
    let set = tiny_set(h.path(), "pass = \"fastest\"\ncolour = \"blue\"");
    let toml = set.join("01-tiny/exercise.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    // Also: an empty hint and an unknown lesson.
    let text = text
        .replace("hints = [\"add\"]", "hints = [\"add\", \"\"]")
        .replace("lesson = \"chunking\"", "lesson = \"no-such-lesson\"");
    std::fs::write(&toml, &text).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    let (code, out) = run(parlab(h.path())
        .arg("check-exercises")
        .arg(&set)
        .arg("--metadata-only"));
    assert_eq!(code, 1, "{out}");
    let at = |line: usize| format!("{}:{line}: ", toml.display());
    // An unknown key stops the parse: it is reported alone, at its line.
    assert!(
        out.contains(&at(line_of("colour"))) && out.contains("colour"),
        "{out}"
    );

    std::fs::write(&toml, text.replace("colour = \"blue\"\n", "")).unwrap();
    let (code, out) = run(parlab(h.path())
        .arg("check-exercises")
        .arg(&set)
        .arg("--metadata-only"));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&at(line_of("pass"))) && out.contains("fastest"),
        "{out}"
    );
    assert!(
        out.contains(&at(line_of("hints"))) && out.contains("hint 2 is empty"),
        "{out}"
    );
    assert!(out.contains("problems found"), "{out}");
}

/// Checks `program` against the tiny exercise (`[check]` as given); exit code and output.
fn check_tiny(h: &Path, check: &str, program: &str, extra: &[&str]) -> (i32, String) {
    let set = tiny_set(h, check);
    let prog = h.join("mine.py");
    std::fs::write(&prog, program).unwrap();
    run(parlab(h)
        .arg("--exercises")
        .arg(&set)
        .args(["exercise", "check", "tiny", "--quick", "--file"])
        .arg(&prog)
        .args(extra))
}

/// Whether any process whose command line holds `marker` is running, waiting up to 5 s for
/// the last ones to go.
fn left_behind(marker: &str) -> Option<String> {
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let o = std::process::Command::new("pgrep")
            .args(["-a", "-f", marker])
            .output()
            .unwrap();
        let found = String::from_utf8_lossy(&o.stdout).into_owned();
        if found.trim().is_empty() {
            return None;
        }
        if Instant::now() > until {
            return Some(found);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The one failure line of a verdict that failed, checking the exit code and that no program
/// of the check is left running.
fn one_failure(h: &TempDir, (code, out): (i32, String)) -> String {
    assert_eq!(code, 1, "{out}");
    let x = crosses(&out);
    assert_eq!(x.len(), 1, "one failure line:\n{out}");
    assert!(out.contains("NOT PASSED"), "{out}");
    let marker = h.path().file_name().unwrap().to_str().unwrap();
    if let Some(p) = left_behind(marker) {
        panic!("left running:\n{p}");
    }
    x[0].to_string()
}

#[test]
fn a_crash_is_one_line_with_the_error_not_the_traceback() {
    let _g = starts_children();
    let h = home();
    let prog = "def f():\n    raise ValueError(\"parlab-it boom\")\n\nf()\n";
    let r = check_tiny(h.path(), "pass = \"correct\"", prog, &[]);
    let line = one_failure(&h, r.clone());
    assert!(
        line.contains("crashed with exit code 1: ValueError: parlab-it boom"),
        "{line}"
    );
    assert!(!r.1.contains("Traceback"), "{}", r.1);
}

#[test]
fn a_hang_is_stopped_at_the_time_limit_and_says_so() {
    let _g = starts_children();
    let h = home();
    let prog = "import time\ntime.sleep(600)\n";
    let start = Instant::now();
    let r = check_tiny(
        h.path(),
        "pass = \"correct\"",
        prog,
        &["--time-limit-s", "2"],
    );
    let line = one_failure(&h, r);
    assert!(line.contains("time limit of 2 s"), "{line}");
    // Not a timing assertion: only that the limit, not the sleep, ended it.
    assert!(start.elapsed() < Duration::from_secs(300));
}

#[test]
fn garbage_is_a_wrong_answer() {
    let _g = starts_children();
    let h = home();
    let (code, out) = check_tiny(
        h.path(),
        "pass = \"correct\"",
        "print('garbage \\x00\\x7f')\nprint('more')\n",
        &[],
    );
    let line = one_failure(&h, (code, out.clone()));
    assert!(line.contains("wrong answer: line 1"), "{out}");
    assert!(out.contains("expected: 499500"), "{out}");
}

#[test]
fn eating_memory_is_stopped_at_the_limit_and_says_so() {
    let _g = starts_children();
    let h = home();
    let prog = "import time\nheap = []\nwhile True:\n    heap.append(b'x' * (8 << 20))\n    time.sleep(0.01)\n";
    let r = check_tiny(h.path(), "pass = \"correct\"\nmax_rss_mib = 64", prog, &[]);
    let line = one_failure(&h, r);
    assert!(line.contains("of memory, over the limit of 64"), "{line}");
}

#[test]
fn forking_without_end_is_stopped_and_nothing_is_left() {
    let _g = starts_children();
    let h = home();
    // One new process every few milliseconds, each sleeping: linear, so the machine is safe
    // even before the limit.
    let prog = "import os, time\nwhile True:\n    if os.fork() == 0:\n        time.sleep(300)\n        os._exit(0)\n    time.sleep(0.002)\n";
    let r = check_tiny(
        h.path(),
        "pass = \"correct\"",
        prog,
        &["--time-limit-s", "30"],
    );
    let line = one_failure(&h, r);
    assert!(
        line.contains("processes at once") && line.contains("forks without end"),
        "{line}"
    );
}

#[test]
fn a_rust_solution_builds_and_passes() {
    let _g = starts_children();
    let h = home();
    let prog = h.path().join("solution.rs");
    std::fs::write(&prog, shipped("12-rust-threads-sum", "solution.rs")).unwrap();
    let (code, out) = run(parlab(h.path())
        .args(["exercise", "check", "rust-threads-sum", "--quick", "--file"])
        .arg(&prog));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ correct") && out.contains("PASSED"), "{out}");

    // A program that does not compile is one verdict with rustc's message.
    std::fs::write(&prog, "fn main() { let x: u32 = \"no\"; }\n").unwrap();
    let (code, out) = run(parlab(h.path())
        .args(["exercise", "check", "rust-threads-sum", "--quick", "--file"])
        .arg(&prog));
    assert_eq!(code, 1, "{out}");
    assert_eq!(crosses(&out).len(), 1, "{out}");
    assert!(out.contains("mismatched types"), "{out}");
}

#[test]
fn trace_writes_the_learners_run_for_the_dashboard() {
    let _g = starts_children();
    let h = home();
    let trace = h.path().join("mine.trace.json");
    let t = trace.to_string_lossy().into_owned();
    let (code, out) = check_tiny(h.path(), "pass = \"correct\"", SUM, &["--trace", &t]);
    assert_eq!(code, 0, "{out}");
    // The same reader `parlab replay` uses: the program's processes as rows with spans.
    let rec = parlab::report::chrome::read(&trace).unwrap();
    assert!(!rec.store.is_empty(), "no spans in the trace");
    assert!(rec.reports.first().is_some_and(|r| r.demo == "watch"));
    // A place that cannot be written is refused before the check, naming the flag.
    let (code, out) = check_tiny(
        h.path(),
        "pass = \"correct\"",
        SUM,
        &["--trace", "/no/such/dir/t.json"],
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--trace"), "{out}");
}
