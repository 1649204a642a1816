//! `parlab watch` on real programs: Python pools, oversubscribed busy processes, sleepers,
//! children that come and go, cancel and kill, and a command that cannot start. Bounds are
//! generous (a shared 2-core machine); only "did not hang" limits on time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt as _;
use serde_json::Value;

fn python() -> Option<String> {
    let out = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn script(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".py").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

/// Runs `parlab watch --format json -- CMD` and parses the report.
fn watch_json(cmd: &[&str]) -> Value {
    let out = Command::cargo_bin("parlab")
        .unwrap()
        .args(["watch", "--format", "json", "--"])
        .args(cmd)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn processes(v: &Value) -> Vec<Value> {
    v["processes"].as_array().unwrap().clone()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

const POOL: &str = r#"
from multiprocessing import Pool

def square(x):
    s = 0
    for i in range(40000):
        s += x * x
    return s

if __name__ == "__main__":
    with Pool(2) as p:
        print(sum(p.map(square, range(400))))
"#;

#[test]
fn a_busy_pool_of_two_shows_two_worker_rows_mostly_running() {
    let Some(py) = python() else { return };
    let f_ = script(POOL);
    let v = watch_json(&[&py, f_.path().to_str().unwrap()]);
    let ps = processes(&v);
    assert_eq!(ps[0]["name"], "MainProcess", "{v:#}");
    let workers: Vec<&Value> = ps
        .iter()
        .filter(|p| p["name"].as_str().unwrap().starts_with("worker "))
        .collect();
    assert_eq!(workers.len(), 2, "{v:#}");
    for w in workers {
        let st = &w["threads"][0]["states_ms"];
        let (run, wait, blocked) = (f(&st[0]), f(&st[1]), f(&st[2]));
        // Ready to run (running or waiting for one of the 2 shared cores) most of its life.
        assert!(run + wait > blocked, "{w:#}");
        assert!(f(&w["cpu_ms"]) > 50.0, "{w:#}");
    }
}

#[test]
fn six_busy_processes_on_few_cores_wait_for_a_cpu() {
    let Some(py) = python() else { return };
    if std::thread::available_parallelism().map_or(1, |n| n.get()) > 3 {
        return;
    }
    let f_ = script(
        "import multiprocessing as mp, time\n\
         def spin():\n    end = time.time() + 1.5\n    while time.time() < end: pass\n\
         if __name__ == '__main__':\n    ps = [mp.Process(target=spin) for _ in range(6)]\n\
         \x20   [p.start() for p in ps]\n    [p.join() for p in ps]\n",
    );
    let v = watch_json(&[&py, f_.path().to_str().unwrap()]);
    let share = f(&v["wait_cpu_share"]);
    assert!(share > 0.3, "waiting share {share}: {v:#}");
}

#[test]
fn a_sleeping_program_is_blocked_and_uses_almost_no_cpu() {
    let v = watch_json(&["sleep", "1"]);
    assert!(f(&v["cpu_ms"]) < 100.0, "{v:#}");
    let st = &processes(&v)[0]["threads"][0]["states_ms"];
    assert!(f(&st[2]) > 500.0, "{v:#}");
    assert_eq!(v["exit"]["code"], 0);
}

#[test]
fn children_that_fork_and_exit_come_and_go() {
    let Some(py) = python() else { return };
    let f_ = script(
        "import os, time\n\
         for i in range(3):\n    pid = os.fork()\n    if pid == 0:\n        time.sleep(0.3)\n        os._exit(0)\n\
         \x20   os.waitpid(pid, 0)\n\
         time.sleep(0.3)\n",
    );
    let v = watch_json(&[&py, f_.path().to_str().unwrap()]);
    let ps = processes(&v);
    let kids: Vec<&Value> = ps.iter().skip(1).collect();
    assert_eq!(kids.len(), 3, "{v:#}");
    let wall = f(&v["wall_ms"]);
    let mut last_start = -1.0;
    for k in kids {
        let (a, b) = (f(&k["seen_ms"][0]), f(&k["seen_ms"][1]));
        assert!(a > last_start && b >= a, "{v:#}");
        assert!(b < wall - 100.0, "a child outlived its time: {v:#}");
        last_start = a;
    }
}

fn marked_alive(mark: &str) -> bool {
    std::fs::read_dir("/proc").unwrap().flatten().any(|e| {
        std::fs::read(e.path().join("cmdline"))
            // The program's own processes (`sleep MARK`), not parlab's command line naming them.
            .map(|c| String::from_utf8_lossy(&c).starts_with(&format!("sleep\0{mark}")))
            .unwrap_or(false)
    })
}

fn gone_within(mark: &str, d: Duration) -> bool {
    let until = Instant::now() + d;
    while Instant::now() < until {
        if !marked_alive(mark) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn leaves_nothing(signal: &str, mark: &str) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let script = format!("sleep {mark} & sleep {mark} & wait");
    let mut p = Command::cargo_bin("parlab")
        .unwrap()
        .args(["watch", "--format", "json", "--", "sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(20);
    while !marked_alive(mark) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(marked_alive(mark), "the program never started");
    let ok = Command::new("kill")
        .args([signal, &p.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let _ = p.wait();
    assert!(
        gone_within(mark, Duration::from_secs(10)),
        "left behind after {signal}"
    );
}

#[test]
fn cancel_leaves_nothing_behind() {
    leaves_nothing("-INT", "41.171");
}

#[test]
fn killing_parlab_leaves_nothing_behind() {
    leaves_nothing("-KILL", "41.172");
}

#[test]
fn a_command_that_cannot_start_is_one_line_and_exit_2() {
    let out = Command::cargo_bin("parlab")
        .unwrap()
        .args(["watch", "--format", "table", "--", "no-such-program-parlab"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no-such-program-parlab"), "{err}");
}

#[test]
fn cpu_per_process_agrees_with_the_os_accounting() {
    let Some(py) = python() else { return };
    if !std::path::Path::new("/usr/bin/time").exists() {
        return;
    }
    let f_ = script(POOL);
    let out = Command::cargo_bin("parlab")
        .unwrap()
        .args([
            "watch",
            "--format",
            "json",
            "--",
            "/usr/bin/time",
            "-f",
            "OS %U %S",
            &py,
        ])
        .arg(f_.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let os_line = err.lines().find(|l| l.starts_with("OS ")).unwrap();
    let os_ms: f64 = os_line
        .split_whitespace()
        .skip(1)
        .map(|x| x.parse::<f64>().unwrap() * 1000.0)
        .sum();
    // Everything below `time` (python and its pool workers), as `time` reports it.
    let ours: f64 = processes(&v).iter().skip(1).map(|p| f(&p["cpu_ms"])).sum();
    let diff = (ours - os_ms).abs();
    // `time` prints with 10 ms resolution: allow that beside the 10%.
    assert!(
        diff <= 0.1 * os_ms + 20.0,
        "ours {ours} ms, OS {os_ms} ms: {v:#}"
    );
}
