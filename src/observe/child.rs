//! Starting and ending the watched program: a child in a process group of its own (so Ctrl-C
//! and the final clean-up reach every process it started), its stdout and stderr captured line
//! by line, and a watchdog that kills the group if parlab itself dies without cleaning up.
//!
//! Why a watchdog process: parlab forbids `unsafe`, so it cannot set `PR_SET_PDEATHSIG` in
//! the child before `exec`. A tiny `sh` in its own group waits on a pipe only parlab holds;
//! when parlab ends in any way (even `SIGKILL`) the pipe closes and the shell kills the group.

use std::io::{BufRead as _, BufReader, Read};
use std::process::{Child, ChildStdin, Command, Stdio};

use crossbeam_channel::{Receiver, Sender, unbounded};

use crate::trace::now_ns;

/// Longest output line kept, chars; longer ones are cut (a progress bar without newlines).
const MAX_LINE: usize = 500;

/// One line the program wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct OutLine {
    /// When it arrived, ns on the shared clock.
    pub t_ns: u64,
    /// Whether it came on stderr.
    pub stderr: bool,
    /// The text, without its newline.
    pub text: String,
}

/// The program could not be started: names it and why.
#[derive(Debug, thiserror::Error)]
#[error("cannot start `{program}`: {why}")]
pub struct StartError {
    /// The command's program.
    pub program: String,
    /// The system's reason.
    pub why: String,
}

/// A started program. Dropping it kills whatever is left of its process group and reaps it.
pub struct Program {
    /// The program's process.
    pub child: Child,
    /// Its process id, which is also its process group id.
    pub pid: u32,
    /// Its output lines as they come.
    pub lines: Receiver<OutLine>,
    watchdog: Option<(Child, ChildStdin)>,
}

impl Program {
    /// Starts `cmd` (program and arguments); stdin is inherited when `stdin` is true, else
    /// empty (the dashboard owns the terminal).
    pub fn start(cmd: &[String], stdin: bool) -> Result<Program, StartError> {
        let program = cmd.first().cloned().unwrap_or_default();
        let fail = |why: String| StartError {
            program: program.clone(),
            why,
        };
        if program.is_empty() {
            return Err(fail("no command given".into()));
        }
        let mut c = Command::new(&program);
        c.args(&cmd[1..])
            .stdin(if stdin {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut c, 0);
        // The watchdog first, so that no moment exists where the program runs unguarded; it
        // learns the group's id once the program has one.
        let mut guard = watchdog();
        let mut child = match c.spawn() {
            Ok(child) => child,
            Err(e) => {
                end_watchdog(guard.take());
                return Err(fail(e.to_string()));
            }
        };
        let pid = child.id();
        if let Some((_, pipe)) = guard.as_mut() {
            use std::io::Write as _;
            if writeln!(pipe, "{pid}").is_err() {
                end_watchdog(guard.take());
            }
        }
        let (tx, lines) = unbounded();
        if let Some(out) = child.stdout.take() {
            read_lines(out, false, tx.clone());
        }
        if let Some(err) = child.stderr.take() {
            read_lines(err, true, tx);
        }
        Ok(Program {
            child,
            pid,
            lines,
            watchdog: guard,
        })
    }

    /// Sends the program's group an interrupt, as Ctrl-C in its terminal would.
    pub fn interrupt(&self) {
        let _ = crate::platform::signal_group(self.pid, true);
    }

    /// Kills every process left in the program's group.
    pub fn kill_group(&self) {
        let _ = crate::platform::signal_group(self.pid, false);
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        self.kill_group();
        let _ = self.child.kill();
        let _ = self.child.wait();
        end_watchdog(self.watchdog.take());
    }
}

/// Closes the watchdog's input and reaps it (it then has nothing left to kill).
fn end_watchdog(w: Option<(Child, ChildStdin)>) {
    if let Some((mut w, pipe)) = w {
        drop(pipe);
        let _ = w.wait();
    }
}

/// The Python interpreter `python3` starts, resolved once (`sys.executable`): a version
/// manager's shim (pyenv) runs a dozen shell processes and about 50 ms before Python on every
/// start, which the observer would show as the program's and every timing would include.
/// `python3` itself where it cannot be asked (not installed: the caller says so).
pub fn python3() -> String {
    static RESOLVED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    RESOLVED
        .get_or_init(|| {
            std::process::Command::new("python3")
                .args(["-c", "import sys; print(sys.executable)"])
                .stdin(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .output()
                .ok()
                .filter(|o| o.status.success())
                .and_then(|o| String::from_utf8(o.stdout).ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty() && std::path::Path::new(s).is_file())
                .unwrap_or_else(|| "python3".into())
        })
        .clone()
}

/// Whether `program` names something that can be started: a path to a file, or a name found
/// on `PATH`. The dashboard asks first, so a typo is one line on a terminal left as it was.
pub fn can_start(program: &str) -> bool {
    let p = std::path::Path::new(program);
    if program.contains('/') || program.contains('\\') {
        return p.is_file();
    }
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path)
            .any(|d| d.join(program).is_file() || d.join(format!("{program}.exe")).is_file())
    })
}

/// Starts the watchdog (Unix): it reads the group id as its first line, then kills that group
/// when its input ends; `None` where it cannot start (the group is
/// then still killed on every ordinary way out).
fn watchdog() -> Option<(Child, ChildStdin)> {
    if !cfg!(unix) {
        return None;
    }
    let mut c = Command::new("sh");
    c.args([
        "-c",
        "read g ; read _ ; case \"$g\" in ''|*[!0-9]*) ;; *) kill -9 -\"$g\" 2>/dev/null ;; esac",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    // Its own group too: a Ctrl-C at parlab's terminal must not end the watchdog first.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut c, 0);
    let mut w = c.spawn().ok()?;
    let pipe = w.stdin.take()?;
    Some((w, pipe))
}

/// A thread that sends each line of `r` as it arrives, until the end of the stream.
fn read_lines(r: impl Read + Send + 'static, stderr: bool, tx: Sender<OutLine>) {
    let _ = std::thread::Builder::new()
        .name("parlab-watch-out".into())
        .spawn(move || {
            let mut r = BufReader::new(r);
            let mut buf = Vec::new();
            while matches!(r.read_until(b'\n', &mut buf), Ok(n) if n > 0) {
                let s = String::from_utf8_lossy(&buf);
                let text: String = s
                    .trim_end_matches(['\n', '\r'])
                    .chars()
                    .take(MAX_LINE)
                    .collect();
                buf.clear();
                let line = OutLine {
                    t_ns: now_ns(),
                    stderr,
                    text,
                };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn output_lines_arrive_and_a_missing_program_is_named() {
        let cmd = ["sh", "-c", "echo one; echo two >&2"].map(String::from);
        let mut p = Program::start(&cmd, false).unwrap();
        let _ = p.child.wait();
        let mut got: Vec<(bool, String)> = p.lines.iter().map(|l| (l.stderr, l.text)).collect();
        got.sort();
        assert_eq!(got, vec![(false, "one".into()), (true, "two".into())]);
        let e = Program::start(&["no-such-program-xyz".to_string()], false)
            .err()
            .unwrap();
        assert!(e.to_string().contains("no-such-program-xyz"), "{e}");
    }
}
