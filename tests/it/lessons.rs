//! Lesson files: the shipped set parses and passes the checker, malformed fixtures produce
//! the expected `file:line: message` problems, and `parlab check-lessons` exits 0 or 1.

#![allow(clippy::unwrap_used)] // helpers of a test file: a panic is the failure report

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use parlab::lesson::{self, Block, Lesson};
use predicates::prelude::*;

fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lessons")
        .join(name)
}

fn shipped_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons")
}

/// The problems found in fixture directory `name`, as `FILE:line: message` with the
/// directory part of FILE removed.
fn problems(name: &str) -> Vec<String> {
    let dir = fixtures(name);
    let prefix = format!("{}/", dir.display());
    lesson::check_dir(&dir)
        .unwrap()
        .problems
        .iter()
        .map(|p| p.to_string().replacen(&prefix, "", 1))
        .collect()
}

/// Words of prose (code blocks excluded).
fn prose_words(l: &Lesson) -> usize {
    l.blocks
        .iter()
        .map(|b| match b {
            Block::Text(t) => t.split_whitespace().count(),
            Block::Code(_) => 0,
        })
        .sum()
}

#[test]
fn every_shipped_lesson_parses_and_passes_the_check() {
    let check = lesson::check_embedded();
    let report: Vec<String> = check.problems.iter().map(|p| p.to_string()).collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
    let set = lesson::embedded();
    assert!(set.broken.is_empty());
    let files: Vec<&Lesson> = set.lessons.iter().filter(|l| !l.is_builtin()).collect();
    assert_eq!(files.len(), check.ok);
    let on_disk = std::fs::read_dir(shipped_dir())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    assert_eq!(check.ok, on_disk, "every file in lessons/ is embedded");
    // The directory on disk checks the same as the embedded copy.
    assert!(
        lesson::check_dir(&shipped_dir())
            .unwrap()
            .problems
            .is_empty()
    );
}

#[test]
fn shipped_lessons_have_the_expected_shape() {
    let set = lesson::embedded();
    for l in set.lessons.iter().filter(|l| !l.is_builtin()) {
        assert!(!l.summary.is_empty(), "{}: no summary", l.source);
        let pairs: Vec<_> = l
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Code(c) => Some(c),
                Block::Text(_) => None,
            })
            .collect();
        assert_eq!(pairs.len(), 1, "{}: one python+rust pair", l.source);
        assert!(
            pairs[0].python.is_some() && pairs[0].rust.is_some(),
            "{}",
            l.source
        );
        let words = prose_words(l);
        assert!(
            words <= 800,
            "{}: {words} words of prose (aim for ~600)",
            l.source
        );
        // "What to notice" is rendered from the lesson's claims (front matter), so the prose no
        // longer carries that heading; check-lessons validates the claims themselves.
    }
}

#[test]
fn shipped_lessons_come_in_file_order_and_every_demo_is_listed() {
    let set = lesson::embedded();
    for (i, l) in set.lessons.iter().enumerate() {
        assert_eq!(l.number, i + 1);
    }
    for d in parlab::demos::all() {
        let id = d.info().id;
        assert!(
            set.lessons.iter().any(|l| l.demo == id),
            "demo {id} has no lesson"
        );
    }
    if let Some(l) = set.get("why-parallel") {
        assert_eq!(l.demo, "squaring");
        assert_eq!(l.number, 1);
    }
    if let (Some(a), Some(b)) = (set.get("why-parallel"), set.get("pool")) {
        assert!(a.number < b.number);
    }
}

#[test]
fn a_good_fixture_set_keeps_everything() {
    let set = lesson::load_dir(&fixtures("good")).unwrap();
    assert!(set.broken.is_empty(), "{:?}", set.broken);
    assert_eq!(set.lessons.len(), 2);
    let first = &set.lessons[0];
    assert_eq!((first.number, first.id.as_str()), (1, "first"));
    assert_eq!(
        first.params,
        vec![
            ("size".to_string(), "1M".to_string()),
            ("work".into(), "heavy".into())
        ]
    );
    assert_eq!(first.predictions.len(), 1);
    assert_eq!(
        first.instructor_notes.as_deref(),
        Some("Ask who has more than two cores.")
    );
    let code = first.code().unwrap();
    assert!(code.python.as_deref().unwrap().starts_with("print("));
    assert!(code.rust.as_deref().unwrap().starts_with("println!"));
    let second = &set.lessons[1];
    assert_eq!(second.code().unwrap().python, None);
    assert_eq!(second.summary, "");
}

#[test]
fn unknown_demo() {
    let p = problems("bad-unknown-demo");
    assert_eq!(p.len(), 1);
    assert!(
        p[0].starts_with("01-lesson.md:4: unknown demo `no-such-demo` (known demos: squaring, ")
            && p[0].contains("pool"),
        "{}",
        p[0]
    );
}

#[test]
fn parameters_outside_the_demo() {
    assert_eq!(
        problems("bad-params"),
        [
            "01-lesson.md:8: demo `pool`: size = 2000000000 is not allowed (allowed: 0..=1000000000)",
            "01-lesson.md:9: demo `pool` has no parameter `colour` (it has: size, chunk, work)",
            "01-lesson.md:10: demo `pool`: work = medium is not allowed (allowed: trivial|heavy)",
        ]
    );
}

#[test]
fn missing_title() {
    assert_eq!(
        problems("bad-missing-title"),
        ["01-lesson.md:1: missing `title` in the front matter"]
    );
}

#[test]
fn duplicate_id() {
    assert_eq!(problems("bad-duplicate-id").len(), 1);
    let dir = fixtures("bad-duplicate-id");
    let set = lesson::load_dir(&dir).unwrap();
    assert_eq!(set.lessons.len(), 1);
    assert_eq!(set.lessons[0].title, "First");
    let b = &set.broken[0];
    assert_eq!(b.line, 3);
    assert!(b.source.ends_with("02-two.md"));
    assert!(
        b.message.starts_with("duplicate id `same`"),
        "{}",
        b.message
    );
    assert!(b.message.contains("01-one.md:2"), "{}", b.message);
}

#[test]
fn malformed_headers_do_not_hide_the_good_lesson() {
    let p = problems("bad-header");
    assert_eq!(p.len(), 4, "{p:#?}");
    assert!(
        p[0].starts_with("01-unterminated.md:1: the front matter"),
        "{}",
        p[0]
    );
    assert!(
        p[1].starts_with("02-syntax.md:3: front matter: "),
        "{}",
        p[1]
    );
    assert!(
        p[2].starts_with("03-unknown-field.md:5: front matter: unknown field `difficulty`"),
        "{}",
        p[2]
    );
    assert!(
        p[3].starts_with("04-no-header.md:1: a lesson must start with"),
        "{}",
        p[3]
    );
    let set = lesson::load_dir(&fixtures("bad-header")).unwrap();
    assert_eq!(set.broken.len(), 4);
    assert_eq!(set.lessons.len(), 1);
    assert_eq!(set.lessons[0].id, "still-good");
}

#[test]
fn unclosed_code_block() {
    assert_eq!(
        problems("bad-body"),
        ["01-lesson.md:8: code block opened here is never closed: add a closing ``` line"]
    );
}

#[test]
fn a_missing_directory_is_an_error() {
    assert!(lesson::load_dir(&fixtures("no-such-dir")).is_err());
}

fn parlab() -> Command {
    Command::cargo_bin("parlab").unwrap()
}

#[test]
fn cli_check_lessons_embedded_ok() {
    parlab()
        .arg("check-lessons")
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"^\d+ lessons? OK\n").unwrap());
}

#[test]
fn cli_check_lessons_good_dir() {
    parlab()
        .arg("check-lessons")
        .arg(fixtures("good"))
        .assert()
        .success()
        .stdout("2 lessons OK\n");
    // The global --lessons option names the directory too.
    parlab()
        .arg("--lessons")
        .arg(fixtures("good"))
        .arg("check-lessons")
        .assert()
        .success()
        .stdout("2 lessons OK\n");
}

#[test]
fn cli_check_lessons_reports_file_line_and_fails() {
    parlab()
        .arg("check-lessons")
        .arg(fixtures("bad-header"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "03-unknown-field.md:5: front matter: unknown field",
        ))
        .stdout(predicate::str::contains("4 problems found; 1 lesson OK"));
    parlab()
        .arg("check-lessons")
        .arg(fixtures("bad-params"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "01-lesson.md:8: demo `pool`: size = 2000000000",
        ));
}

#[test]
fn cli_check_lessons_missing_dir_is_a_usage_error() {
    parlab()
        .arg("check-lessons")
        .arg(fixtures("no-such-dir"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a directory"));
}
