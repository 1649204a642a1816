//! Every lesson's Python block is a complete program: it must run as written under `python3`
//! (standard library only) and exit 0. Where `python3` is missing, the test says so and passes:
//! CI installs it.

// Helpers outside #[test] fns panic on failure too: that is how a test reports it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::common::starts_children;

/// How long one block may run before it counts as hung: generous, the blocks take seconds.
const HANG: Duration = Duration::from_secs(120);

/// How many blocks run at once: each may use every core, so only a few.
const AT_ONCE: usize = 3;

/// One ```python block: the lesson file it came from and its text.
struct PyBlock {
    lesson: String,
    code: String,
}

/// Every ```python block of every lesson file in `dir`, in file order.
fn python_blocks(dir: &Path) -> Vec<PyBlock> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let mut blocks = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lesson = file.file_name().unwrap().to_string_lossy().into_owned();
        let mut code: Option<String> = None;
        for line in text.lines() {
            match code.as_mut() {
                None if line.trim_end() == "```python" => code = Some(String::new()),
                None => {}
                Some(c) if line.trim_end() == "```" => {
                    blocks.push(PyBlock {
                        lesson: lesson.clone(),
                        code: std::mem::take(c),
                    });
                    code = None;
                }
                Some(c) => {
                    c.push_str(line);
                    c.push('\n');
                }
            }
        }
        assert!(
            code.is_none(),
            "{lesson}: a ```python block is never closed"
        );
    }
    blocks
}

fn python3_present() -> bool {
    Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Waits for `child` up to [`HANG`]; kills it past that. `Err` says what went wrong.
fn finish(mut child: Child) -> Result<(), String> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            if status.success() {
                return Ok(());
            }
            return Err(format!(
                "exited with {status}; stderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {HANG:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs one block as a file in its own temporary directory (so a program writing files
/// leaves nothing in the repository).
fn run_block(block: &PyBlock, index: usize) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("lesson_block_{index}.py"));
    std::fs::write(&file, &block.code).unwrap();
    let child = Command::new("python3")
        .arg(&file)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start python3: {e}"))?;
    finish(child)
}

#[test]
fn python_block_of_every_lesson_runs() {
    let blocks = python_blocks(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons"));
    assert!(!blocks.is_empty(), "no ```python block found in lessons/");
    if !python3_present() {
        println!("python3 is not installed: the lessons' Python blocks were not run");
        return;
    }
    let _children = starts_children();
    let next = Mutex::new(0usize);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..AT_ONCE {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some(block) = blocks.get(i) else { break };
                    if let Err(e) = run_block(block, i) {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{}: {e}", block.lesson));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn blocks_are_found_in_fences() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("01-a.md"),
        "text\n```python\nprint(1)\n```\n```rust\nfn main() {}\n```\n```python\nx = 2\n```\n",
    )
    .unwrap();
    let blocks = python_blocks(dir.path());
    let codes: Vec<&str> = blocks.iter().map(|b| b.code.as_str()).collect();
    assert_eq!(codes, ["print(1)\n", "x = 2\n"]);
    assert!(blocks.iter().all(|b| b.lesson == "01-a.md"));
}
