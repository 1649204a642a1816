//! End to end in a real terminal: start the built parlab in tmux at 120x40, open lesson 1,
//! run it, quit, and check the screen, that the terminal came back (canonical mode, echo) and
//! that no parlab process is left. Fails when tmux is not installed (`.ci/run` installs it).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::process::Command;
use std::time::{Duration, Instant};

pub(crate) fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn screen(s: &str) -> String {
    tmux(&["capture-pane", "-p", "-t", s])
}

/// Waits until the screen contains `text`; panics with the screen after `secs`.
pub(crate) fn wait_for(s: &str, text: &str, secs: u64) -> String {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        let sc = screen(s);
        if sc.contains(text) {
            return sc;
        }
        assert!(
            Instant::now() < until,
            "waited {secs}s for {text:?}; the screen was:\n{sc}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub(crate) fn keys(s: &str, k: &[&str]) {
    let mut args = vec!["send-keys", "-t", s];
    args.extend_from_slice(k);
    tmux(&args);
    std::thread::sleep(Duration::from_millis(300));
}

pub(crate) struct Session(pub(crate) String);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

/// A tmux session `name` of `w`x`h` running a bare shell with a clean environment, killed when
/// dropped; parlab is then typed into it as a student would.
pub(crate) fn start_shell(name: &str, w: &str, h: &str) -> Session {
    let s = Session(name.to_string());
    let ok = Command::new("tmux")
        .args(["new-session", "-d", "-s", name, "-x", w, "-y", h])
        .args([
            "env",
            "-i",
            "PATH=/usr/bin:/bin",
            "TERM=xterm-256color",
            "PS1=$ ",
        ])
        .args(["bash", "--norc", "--noprofile"])
        .status()
        .unwrap();
    assert!(ok.success(), "tmux could not start a session");
    std::thread::sleep(Duration::from_millis(300));
    s
}

#[test]
fn open_lesson_one_run_it_and_quit() {
    assert!(
        Command::new("tmux").arg("-V").output().is_ok(),
        "tmux is not installed: this end-to-end test needs it (.ci/run installs it)"
    );
    let bin = env!("CARGO_BIN_EXE_parlab");
    let data = tempfile::tempdir().unwrap();
    let name = format!("parlab-e2e-{}", std::process::id());
    let s = start_shell(&name, "120", "40");
    let cmd = format!(
        "XDG_DATA_HOME={} {bin}; echo PARLAB_EXIT=$?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ' '; echo",
        data.path().display()
    );
    keys(&s.0, &[&cmd, "Enter"]);

    let home = wait_for(&s.0, "Lessons (", 20);
    assert!(home.contains(" 1  "), "lesson 1 listed:\n{home}");
    keys(&s.0, &["Enter"]);
    wait_for(&s.0, "Run it", 10);
    keys(&s.0, &["r"]);
    // Before the lesson's first run its prediction is asked; the run starts once answered.
    wait_for(&s.0, "Predict before you run", 10);
    keys(&s.0, &["3"]);
    wait_for(&s.0, "Timeline", 10);
    let done = wait_for(&s.0, "finished in", 180);
    assert!(done.contains("✓ sequential"), "results shown:\n{done}");
    assert!(done.contains("correct"), "correctness shown:\n{done}");
    assert!(done.contains("Workers"), "worker panel shown:\n{done}");
    keys(&s.0, &["?"]);
    wait_for(&s.0, "Keys: Dashboard", 5);
    keys(&s.0, &["Escape"]); // closes the help
    keys(&s.0, &["q"]); // dashboard -> reader
    keys(&s.0, &["q"]); // reader -> lessons
    keys(&s.0, &["q"]); // quit
    let after = wait_for(&s.0, "PARLAB_EXIT=", 10);
    assert!(after.contains("PARLAB_EXIT=0"), "exit code 0:\n{after}");
    // The terminal is back in canonical mode with echo (stty prints them without a minus).
    let after = wait_for(&s.0, "icanon", 5);
    assert!(after.contains("icanon echo"), "terminal restored:\n{after}");
    // No parlab left under the shell.
    let shell = tmux(&["list-panes", "-t", &s.0, "-F", "#{pane_pid}"]);
    let children = Command::new("pgrep")
        .args(["-P", shell.trim()])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(children.trim().is_empty(), "processes left: {children}");
    // The lesson's status and the prediction were remembered.
    let saved = std::fs::read_to_string(data.path().join("parlab/progress.json")).unwrap();
    assert!(saved.contains("done"), "{saved}");
    assert!(
        saved.contains("trivial-pool"),
        "the prediction was kept: {saved}"
    );
}
