//! `parlab check-lessons --run`: a lesson's claims run on this machine and printed as held /
//! NOT HELD, with exit 1 when one does not hold. Checks are deterministic (no timing).
#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

/// A copy of the good fixture's first lesson, small, with its `correct` claim checked by
/// `check` and `pool-pays` by `cores >= 1`.
fn lesson_dir(check: &str) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lessons/good/01-first.md");
    let text = std::fs::read_to_string(src).unwrap();
    let correct = "check = \"correct(rayon) and correct(pool)\"";
    assert!(text.contains("size = \"1M\"") && text.contains(correct));
    let text = text
        .replace("size = \"1M\"", "size = \"20000\"")
        .replace("speedup(pool) > 1.2", "cores >= 1")
        .replace(correct, &format!("check = \"{check}\""));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("01-first.md"), text).unwrap();
    dir
}

fn run(dir: PathBuf, lesson: &str) -> assert_cmd::assert::Assert {
    Command::cargo_bin("parlab")
        .unwrap()
        .args(["check-lessons", "--run", "--lesson", lesson])
        .arg(dir)
        .timeout(std::time::Duration::from_secs(300))
        .assert()
}

#[test]
fn held_claims_exit_zero() {
    let dir = lesson_dir("correct(rayon) and correct(pool)");
    run(dir.path().to_path_buf(), "first")
        .success()
        .stdout(predicate::str::contains("first correct: held — "))
        .stdout(
            predicate::str::is_match(
                r"first pool-pays: (held|needs 2 cores) — .*\(needs a quiet machine\)\n",
            )
            .unwrap(),
        )
        .stdout(
            predicate::str::is_match(
                r"\n\d held, 0 not held or not measured, \d need more cores\n$",
            )
            .unwrap(),
        );
}

#[test]
fn a_claim_that_does_not_hold_exits_one() {
    let dir = lesson_dir("cores < 1");
    run(dir.path().to_path_buf(), "first")
        .code(1)
        .stdout(predicate::str::contains("first correct: NOT HELD — "))
        .stdout(predicate::str::contains("1 not held or not measured"));
}

#[test]
fn an_unknown_lesson_is_a_usage_error() {
    let dir = lesson_dir("correct(rayon) and correct(pool)");
    run(dir.path().to_path_buf(), "no-such")
        .code(2)
        .stderr(predicate::str::contains("no such lesson"));
}
