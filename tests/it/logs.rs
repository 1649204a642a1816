//! The log analyzer against a plain sequential implementation on awkward fixtures (empty file,
//! blank lines, leading spaces, CRLF, a non-UTF-8 file, a single 1 MB line, a dangling link,
//! non-`.log` files, a subdirectory), against the tutorial's own Python program
//! (`logs_tutorial.py`, run by python3 when it is installed) on every edge case of its rules,
//! and the `parlab logs` command end to end.

// Test helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use parlab::engine::CancelToken;
use parlab::logs::analyze::{self, Strategy};
use parlab::logs::count;
use parlab::logs::generate::{self, GenOptions};
use parlab::logs::{Counts, FileReport, Hooks};
use predicates::prelude::*;

/// The reference: whole files read at once, `str::lines`, first word, counted. `None` for a
/// file that cannot be read or is not UTF-8.
fn reference(dir: &Path) -> BTreeMap<String, Option<[u64; 3]>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        let p = e.path();
        if !name.ends_with(".log") || p.is_dir() {
            continue;
        }
        let counts = std::fs::read(&p)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map(|text| {
                let mut c = [0u64; 3];
                for line in text.lines() {
                    match line.split_whitespace().next() {
                        Some("ERROR") => c[0] += 1,
                        Some("WARNING") => c[1] += 1,
                        Some("INFO") => c[2] += 1,
                        _ => {}
                    }
                }
                c
            });
        out.insert(name, counts);
    }
    out
}

fn as_map(reports: &[FileReport]) -> BTreeMap<String, Option<[u64; 3]>> {
    reports
        .iter()
        .map(|r| {
            let c = r
                .outcome
                .as_ref()
                .ok()
                .map(|c| [c.error, c.warning, c.info]);
            (r.name.clone(), c)
        })
        .collect()
}

/// Generated files plus every awkward case.
fn fixtures() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let opts = GenOptions {
        files: 6,
        lines: 700,
        seed: 3,
    };
    generate::generate(d, &opts, 2, &CancelToken::new()).unwrap();
    std::fs::write(d.join("empty.log"), "").unwrap();
    std::fs::write(
        d.join("messy.log"),
        "\n\nERROR first\n   \n\t\n   WARNING indented\n\tINFO tabbed\r\nINFO\nINFO: colon\n\
         info lower\nDEBUG x\n2024-01-01 INFO late level\nERROR no newline at end",
    )
    .unwrap();
    std::fs::write(
        d.join("bad.log"),
        b"INFO fine\nERROR ok\nWARNING \xff\xfe broken\nINFO\n",
    )
    .unwrap();
    let mut long = b"ERROR ".to_vec();
    long.extend(std::iter::repeat_n(b'x', 1 << 20));
    long.push(b'\n');
    std::fs::write(d.join("long.log"), &long).unwrap();
    #[cfg(unix)] // a dangling link; the test runs on Linux
    std::os::unix::fs::symlink(d.join("missing-target"), d.join("dangling.log")).unwrap();
    std::fs::write(d.join("notes.txt"), "ERROR not a log\n").unwrap();
    std::fs::write(d.join("app.log.1"), "ERROR rotated\n").unwrap();
    std::fs::write(d.join("LOG"), "ERROR no extension\n").unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/inner.log"), "ERROR nested\n").unwrap();
    std::fs::create_dir(d.join("dir.log")).unwrap();
    t
}

#[test]
fn counts_match_the_plain_sequential_version_for_every_strategy() {
    let t = fixtures();
    let want = reference(t.path());
    // The dangling link cannot be read either way; the reference sees it as a file name too.
    assert_eq!(want["dangling.log"], None);
    assert_eq!(want["bad.log"], None);
    assert_eq!(want["empty.log"], Some([0, 0, 0]));
    assert_eq!(want["messy.log"], Some([2, 1, 2]));
    assert_eq!(want["long.log"], Some([1, 0, 0]));
    assert!(!want.contains_key("dir.log") && !want.contains_key("inner.log"));

    let files = analyze::list_logs(t.path()).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "listed in name order");
    assert_eq!(files.len(), 6 + 5);
    let hooks = Hooks::quiet(&CancelToken::new());
    for (strategy, workers) in [
        (Strategy::Sequential, 1),
        (Strategy::Pool, 1),
        (Strategy::Pool, 2),
        (Strategy::Pool, 3),
        (Strategy::Pool, 32),
        (Strategy::Rayon, 2),
        (Strategy::Rayon, 5),
    ] {
        let reports = analyze::analyze_files(&files, strategy, workers, &hooks).unwrap();
        assert_eq!(as_map(&reports), want, "{strategy:?} x{workers}");
        let got: Vec<&str> = reports.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(got, names, "reports in name order");
    }
    let reports = analyze::analyze_files(&files, Strategy::Pool, 2, &hooks).unwrap();
    let bad = reports.iter().find(|r| r.name == "bad.log").unwrap();
    assert_eq!(
        bad.outcome,
        Err("Error: not valid UTF-8 at line 3, byte 9".into())
    );
    let dangling = reports.iter().find(|r| r.name == "dangling.log").unwrap();
    assert!(
        dangling
            .outcome
            .as_ref()
            .is_err_and(|e| e.starts_with("Error: cannot open"))
    );
    let messy = reports.iter().find(|r| r.name == "messy.log").unwrap();
    assert_eq!(
        messy.outcome,
        Ok(Counts {
            error: 2,
            warning: 1,
            info: 2,
            lines: 9
        })
    );
}

fn parlab() -> assert_cmd::Command {
    cargo_bin_cmd!("parlab")
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn generate_then_analyze_writes_the_csv() {
    let t = tempfile::tempdir().unwrap();
    let logs = t.path().join("logs");
    parlab()
        .args(["logs", "generate"])
        .arg(&logs)
        .args(["--files", "12", "--lines", "2000", "--seed", "9"])
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote 12 files x 2,000 lines"));
    let out = t.path().join("r.csv");
    parlab()
        .args(["logs", "analyze"])
        .arg(&logs)
        .arg("--out")
        .arg(&out)
        .args(["--workers", "3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("analyzed 12 .log files"))
        .stdout(predicate::str::contains("files/s"))
        .stdout(predicate::str::contains("MB/s"));
    let rows = csv_rows(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(rows[0], ["File", "ERROR", "WARNING", "INFO"]);
    assert_eq!(rows.len(), 13);
    let want = reference(&logs);
    for (row, (name, counts)) in rows[1..].iter().zip(&want) {
        let c = counts.unwrap();
        assert_eq!(row[0], *name);
        assert_eq!(
            row[1..],
            [c[0].to_string(), c[1].to_string(), c[2].to_string()]
        );
    }
    // Same seed, same bytes.
    let again = t.path().join("again");
    parlab()
        .args(["logs", "generate"])
        .arg(&again)
        .args(["--files", "12", "--lines", "2000", "--seed", "9"])
        .assert()
        .success();
    for name in want.keys() {
        assert_eq!(
            std::fs::read(logs.join(name)).unwrap(),
            std::fs::read(again.join(name)).unwrap()
        );
    }
    // `--out -` prints the same table.
    let printed = parlab()
        .args(["logs", "analyze"])
        .arg(&logs)
        .args(["--out", "-"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(printed, std::fs::read(&out).unwrap());
}

/// `--out` naming a FIFO (or a device such as `/dev/null`) writes into it: renaming a finished
/// file over it, as for a regular file, would replace it (as root, even `/dev/null`).
#[cfg(unix)]
#[test]
fn out_to_a_fifo_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    if std::process::Command::new("mkfifo")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no mkfifo");
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let logs = t.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("a.log"), "INFO x\nERROR y\n").unwrap();
    let fifo = t.path().join("out.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    parlab()
        .args(["logs", "analyze"])
        .arg(&logs)
        .arg("--out")
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    assert_eq!(
        reader.join().unwrap(),
        "File,ERROR,WARNING,INFO\na.log,1,0,1\n"
    );
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn bad_files_get_error_rows_and_the_run_goes_on() {
    let t = fixtures();
    let out = tempfile::tempdir().unwrap();
    let csv_path = out.path().join("r.csv");
    parlab()
        .args(["logs", "analyze"])
        .arg(t.path())
        .arg("--out")
        .arg(&csv_path)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "2 of 11 files could not be analyzed",
        ))
        .stderr(predicate::str::contains("bad.log (not valid UTF-8"));
    let rows = csv_rows(&std::fs::read_to_string(&csv_path).unwrap());
    let bad = rows.iter().find(|r| r[0] == "bad.log").unwrap();
    assert_eq!(bad[1], "Error: not valid UTF-8 at line 3, byte 9");
    assert_eq!(bad[2..], ["", ""]);
    let empty = rows.iter().find(|r| r[0] == "empty.log").unwrap();
    assert_eq!(empty[1..], ["0", "0", "0"]);
}

#[test]
fn exit_code_is_1_when_nothing_could_be_analyzed() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("r.csv");
    let logs = t.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    parlab()
        .args(["logs", "analyze"])
        .arg(&logs)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no .log files"));
    std::fs::write(logs.join("only.log"), b"\xc3\x28\n").unwrap();
    parlab()
        .args(["logs", "analyze"])
        .arg(&logs)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("1 of 1 files"));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("only.log,\"Error: not valid UTF-8 at line 1, byte 1\",,")
    );
}

/// Runs `parlab logs ARGS...` expecting exit 2 and one stderr line containing `needle`.
fn usage_error(args: &[&std::ffi::OsStr], needle: &str) {
    let a = parlab().arg("logs").args(args).assert().code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(needle), "{err} lacks {needle}");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().as_os_str();
    let missing = t.path().join("missing");
    let file = t.path().join("file.txt");
    std::fs::write(&file, "x").unwrap();
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    usage_error(&[os("analyze"), missing.as_os_str()], "no such directory");
    usage_error(&[os("analyze"), file.as_os_str()], "not a directory");
    usage_error(&[os("analyze"), d, os("--workers"), os("0")], "--workers 0");
    let nowhere = t.path().join("no/such/dir/r.csv");
    usage_error(
        &[os("analyze"), d, os("--out"), nowhere.as_os_str()],
        "--out",
    );
    usage_error(&[os("analyze"), d, os("--out"), d], "is a directory");
    usage_error(&[os("generate"), d, os("--files"), os("0")], "--files 0");
    usage_error(&[os("generate"), file.as_os_str()], "not a directory");
    // Nothing half-written was left behind.
    let left: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("file.txt")]);
}

/// Every edge case of the tutorial's rules, one file each (name, bytes).
fn edge_cases() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = [
        ("lf.log", "ERROR a\nWARNING b\nINFO c\nDEBUG d\n"),
        ("crlf.log", "ERROR a\r\nINFO b\r\n\r\nINFO c"),
        ("cr.log", "ERROR a\rINFO b\r\rWARNING c\r"),
        ("mixed-breaks.log", "INFO\r\n\rERROR\n\r\nWARNING x\r"),
        ("blank.log", "\n \n\t\n\x0b\x0c\n\x1c\x1d\x1e\x1f\n\u{85}\u{a0}\u{3000}\n"),
        ("ascii-seps.log", "\x1cERROR\x1dx\nINFO\x1fy\n\x1eWARNING\x1e\n"),
        ("unicode-spaces.log", "\u{a0}ERROR\u{85}x\n\u{2000}INFO\u{200a}\n\u{1680}WARNING\u{2028}\nINFO\u{2029}y\n\u{202f}ERROR\u{205f}\n\u{3000}INFO\u{3000}\n"),
        ("not-spaces.log", "INFO\u{200b}x\nERROR\u{feff}\n\u{200b}INFO\nWARNING\x00\n"),
        ("line-seps-in-line.log", "INFO a\u{2028}ERROR b\u{85}WARNING\x0bINFO\x0cERROR\x1cINFO\n"),
        ("bom.log", "\u{feff}ERROR first\nERROR second\n"),
        ("near-misses.log", "ERRORS\nINF\nWARN\nINFO:\ninfo\nError\n E\nWARNINGX\n"),
        ("no-final-newline.log", "INFO a\nERROR"),
        ("non-ascii-words.log", "é INFO\n😀\nINFO é\nERROR\u{a0}é\n"),
        ("empty.log", ""),
    ]
    .into_iter()
    .map(|(n, t)| (n, t.as_bytes().to_vec()))
    .collect();
    v.push(("bad-byte.log", b"INFO ok\r\nERROR \xff x\n".to_vec()));
    v.push(("surrogate.log", b"INFO \xed\xa0\x80\n".to_vec()));
    v.push(("cut-at-end.log", b"INFO ok\nERROR \xe2\x80".to_vec()));
    v.push(("overlong.log", b"\xc0\xafINFO\n".to_vec()));
    v
}

/// CSV rows keyed by file name, without the header.
fn rows_by_name(path: &Path) -> BTreeMap<String, Vec<String>> {
    csv_rows(&std::fs::read_to_string(path).unwrap())
        .into_iter()
        .skip(1)
        .map(|r| (r[0].clone(), r[1..].to_vec()))
        .collect()
}

#[test]
fn counts_are_the_tutorial_python_programs_file_by_file() {
    let t = tempfile::tempdir().unwrap();
    let logs = t.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    for (name, bytes) in edge_cases() {
        std::fs::write(logs.join(name), bytes).unwrap();
    }
    let ours = t.path().join("ours.csv");
    parlab()
        .args(["logs", "analyze"])
        .arg(&logs)
        .arg("--out")
        .arg(&ours)
        .assert()
        .success();
    let ours = rows_by_name(&ours);
    assert_eq!(ours["crlf.log"], ["1", "0", "2"]);
    assert_eq!(ours["unicode-spaces.log"], ["2", "1", "3"]);
    assert_eq!(ours["bom.log"], ["1", "0", "0"]);
    assert_eq!(
        ours["bad-byte.log"][0],
        "Error: not valid UTF-8 at line 2, byte 7"
    );

    let program = t.path().join("logs_tutorial.py");
    std::fs::write(&program, include_str!("logs_tutorial.py")).unwrap();
    let theirs = t.path().join("theirs.csv");
    let ran = std::process::Command::new("python3")
        .arg(&program)
        .arg(&logs)
        .arg(&theirs)
        .output();
    let Ok(ran) = ran else {
        println!("note: python3 not found; the comparison with the tutorial's program was skipped");
        return;
    };
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let theirs = rows_by_name(&theirs);
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>()
    );
    for (name, want) in &theirs {
        let got = &ours[name];
        if want[0].starts_with("Error: ") {
            assert!(
                got[0].starts_with("Error: "),
                "{name}: {got:?}, Python: {want:?}"
            );
        } else {
            assert_eq!(got, want, "{name}");
        }
    }
}

#[test]
fn a_long_line_is_streamed_with_a_small_block() {
    // 3 MB in one line, read 4 KiB at a time: only the line's state crosses the blocks.
    let mut text = "\u{3000}WARNING ".as_bytes().to_vec();
    text.extend(std::iter::repeat_n(b'x', 3 << 20));
    text.extend_from_slice("é\r\nERROR\u{85}".as_bytes());
    let mut buf = Vec::new();
    let (counts, bytes) =
        count::count_levels(&text[..], &mut buf, 4096, &CancelToken::new(), |_| {});
    assert_eq!(bytes, text.len() as u64);
    assert!(
        buf.len() <= 4096 + 256,
        "the buffer stays one block: {}",
        buf.len()
    );
    let c = counts.unwrap();
    assert_eq!((c.error, c.warning, c.info, c.lines), (1, 1, 0, 2));
}
