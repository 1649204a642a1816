//! Child worker processes: parlab re-executes itself as a hidden worker (`parlab __worker
//! KIND`) and talks to it in frames over its stdin and stdout.
//!
//! Why re-execute instead of fork: it is how Python's `spawn` start method works, it is safe
//! with threads, and the child is a real separate process with its own memory, so the lessons
//! about process start-up and copying data are measured, not simulated.
//!
//! No child outlives parlab: a child exits when its stdin closes (parlab's end of the pipe goes
//! away when parlab exits or is killed), it also asks the kernel to kill it if parlab dies
//! (`PR_SET_PDEATHSIG`, on Linux: [`crate::platform::die_with_parent`]), and [`ChildProcess`] kills and reaps it on drop.
//!
//! Frames: a 1-byte tag, a 4-byte little-endian length, the payload. Data frames carry the
//! demo's own bytes; the child also sends its spans (on parlab's clock, whose origin it is
//! given) and its CPU time, which [`ChildProcess::recv`] hands to the tracer transparently.

mod args;
mod frame;
mod kinds;
mod watch;

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde::{Deserialize, Serialize};

pub use args::{arg, arg_u64, flags};
pub use frame::{Tag, read_frame, write_frame};
pub use kinds::{BUILT_IN, Kind, KindFn, run_kind};
pub use watch::stop_when_parent_closes;

use crate::trace::{Phase, SpanStart, Tracer, core_now, now_ns, origin_ns, process_cpu_ns};

/// Environment variable naming the parlab binary to re-execute (tests point it at the built
/// binary; normally it is the running executable).
pub const EXE_ENV: &str = "PARLAB_EXE";

/// A span measured in a child, sent to the parent.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildSpan {
    /// Phase.
    pub phase: Phase,
    /// Core at start.
    pub core: u16,
    /// Start, ns on parlab's clock.
    pub start_ns: u64,
    /// End, ns on parlab's clock.
    pub end_ns: u64,
    /// Items.
    pub items: u64,
    /// Bytes.
    pub bytes: u64,
}

/// The parlab executable to start children from.
pub fn exe() -> anyhow::Result<PathBuf> {
    if let Some(p) = std::env::var_os(EXE_ENV) {
        return Ok(PathBuf::from(p));
    }
    let me = std::env::current_exe().context("cannot find parlab's own executable")?;
    // Unit tests run as target/<profile>/deps/parlab-<hash>; the binary sits one level up.
    let in_deps = me
        .parent()
        .and_then(|d| d.file_name())
        .is_some_and(|n| n == "deps");
    if in_deps
        && let Some(bin) = me
            .parent()
            .and_then(|d| d.parent())
            .map(|d| d.join("parlab"))
        && bin.exists()
    {
        return Ok(bin);
    }
    Ok(me)
}

/// A running child worker. Dropping it closes its stdin, gives it a moment to exit, then
/// kills and reaps it.
pub struct ChildProcess {
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    stdout: BufReader<ChildStdout>,
    worker: u32,
    buf: Vec<u8>,
}

impl ChildProcess {
    /// Starts `parlab __worker KIND` as worker `worker`, with extra `args` for the kind.
    pub fn spawn(kind: &str, worker: u32, args: &[String]) -> anyhow::Result<ChildProcess> {
        let exe = exe()?;
        let mut child = Command::new(&exe)
            .arg("__worker")
            .arg(kind)
            .arg("--origin")
            .arg(origin_ns().to_string())
            .arg("--id")
            .arg(worker.to_string())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start a child process from {}", exe.display()))?;
        let stdin = child.stdin.take().context("child has no stdin")?;
        let stdout = child.stdout.take().context("child has no stdout")?;
        Ok(ChildProcess {
            child,
            stdin: Some(BufWriter::with_capacity(1 << 16, stdin)),
            stdout: BufReader::with_capacity(1 << 16, stdout),
            worker,
            buf: Vec::new(),
        })
    }

    /// The child's OS process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends a data frame (buffered; see [`ChildProcess::flush`]).
    pub fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        let w = self
            .stdin
            .as_mut()
            .context("the child's input is already closed")?;
        write_frame(w, Tag::Data, data).context("cannot write to the child (did it exit?)")
    }

    /// Pushes buffered frames to the child.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        if let Some(w) = self.stdin.as_mut() {
            w.flush()
                .context("cannot write to the child (did it exit?)")?;
        }
        Ok(())
    }

    /// Closes the child's stdin: it finishes what it has and exits.
    pub fn close_input(&mut self) {
        if let Some(mut w) = self.stdin.take() {
            let _ = w.flush();
        }
    }

    /// Waits for the next data frame, handing spans and CPU time the child sends meanwhile to
    /// `trace` (stamped with this child's worker id and pid). `None` when the child closed its
    /// output (it finished).
    pub fn recv(&mut self, trace: &Tracer) -> anyhow::Result<Option<&[u8]>> {
        loop {
            let Some(tag) = read_frame(&mut self.stdout, &mut self.buf)
                .context("cannot read from the child")?
            else {
                return Ok(None);
            };
            match tag {
                Tag::Data => return Ok(Some(&self.buf)),
                Tag::Spans => {
                    let spans: Vec<ChildSpan> =
                        serde_json::from_slice(&self.buf).context("bad spans from child")?;
                    trace.set_pid(self.worker, self.pid());
                    for s in spans {
                        trace.record(
                            self.worker,
                            s.core,
                            s.phase,
                            s.start_ns,
                            s.end_ns,
                            s.items,
                            s.bytes,
                        );
                    }
                }
                Tag::Cpu => {
                    let cpu = u64::from_le_bytes(
                        self.buf
                            .get(..8)
                            .and_then(|b| b.try_into().ok())
                            .unwrap_or([0; 8]),
                    );
                    trace.add_cpu(self.worker, cpu);
                }
                Tag::Error => bail!(
                    "child worker {} failed: {}",
                    self.worker,
                    String::from_utf8_lossy(&self.buf)
                ),
            }
        }
    }

    /// Reads data frames into `out` until the child ends its output; returns how many.
    pub fn drain(
        &mut self,
        trace: &Tracer,
        mut on_data: impl FnMut(&[u8]),
    ) -> anyhow::Result<usize> {
        let mut n = 0;
        while let Some(d) = self.recv(trace)? {
            on_data(d);
            n += 1;
        }
        Ok(n)
    }

    /// Closes input, reads what remains, and waits for the exit; fails if the child failed.
    pub fn finish(mut self, trace: &Tracer) -> anyhow::Result<()> {
        self.close_input();
        self.drain(trace, |_| {})?;
        let status = self.child.wait().context("cannot wait for the child")?;
        if !status.success() {
            bail!("child worker {} exited with {status}", self.worker);
        }
        Ok(())
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        self.close_input();
        let deadline = Instant::now() + Duration::from_millis(50);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The child's side: frames on stdin/stdout, spans buffered and sent back.
pub struct ChildIo {
    input: BufReader<std::io::Stdin>,
    output: BufWriter<std::io::Stdout>,
    spans: Vec<ChildSpan>,
    buf: Vec<u8>,
    /// This worker's id, as the parent numbered it.
    pub id: u32,
    /// Extra arguments the parent passed.
    pub args: Vec<String>,
}

impl ChildIo {
    fn new(id: u32, args: Vec<String>) -> ChildIo {
        ChildIo {
            input: BufReader::with_capacity(1 << 16, std::io::stdin()),
            output: BufWriter::with_capacity(1 << 16, std::io::stdout()),
            spans: Vec::new(),
            buf: Vec::new(),
            id,
            args,
        }
    }

    /// The next data frame from the parent; `None` when the parent closed the pipe (exit).
    pub fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        loop {
            match read_frame(&mut self.input, &mut self.buf)? {
                None => return Ok(None),
                Some(Tag::Data) => return Ok(Some(&self.buf)),
                Some(_) => {} // parents only send data
            }
        }
    }

    /// Sends a data frame to the parent (buffered until [`ChildIo::flush`] or the buffer fills).
    pub fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        write_frame(&mut self.output, Tag::Data, data)
    }

    /// Pushes buffered frames (and spans) to the parent.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        self.flush_spans()?;
        self.output.flush()?;
        Ok(())
    }

    /// Marks the start of a span (see [`ChildIo::end`]).
    pub fn start(&self) -> SpanStart {
        SpanStart {
            core: core_now(),
            t: now_ns(),
        }
    }

    /// Records a span from `start` to now; it reaches the parent with the next flush.
    pub fn end(&mut self, start: SpanStart, phase: Phase, items: u64, bytes: u64) {
        self.spans.push(ChildSpan {
            phase,
            core: start.core,
            start_ns: start.t,
            end_ns: now_ns(),
            items,
            bytes,
        });
        if self.spans.len() >= 1024 {
            let _ = self.flush_spans();
        }
    }

    fn flush_spans(&mut self) -> anyhow::Result<()> {
        if !self.spans.is_empty() {
            let json = serde_json::to_vec(&self.spans)?;
            self.spans.clear();
            write_frame(&mut self.output, Tag::Spans, &json)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> anyhow::Result<()> {
        self.flush_spans()?;
        write_frame(&mut self.output, Tag::Cpu, &process_cpu_ns().to_le_bytes())?;
        self.output.flush()?;
        Ok(())
    }
}

/// Entry point of `parlab __worker KIND --origin NS --id N [ARGS]`: adopts the parent's clock,
/// arranges to die with the parent, runs the kind (looked up in `kinds`, the table the demo
/// registry builds), reports failures as an error frame.
pub fn worker_main(
    kind: &str,
    kinds: &[Kind],
    origin: u64,
    id: u32,
    args: Vec<String>,
) -> anyhow::Result<()> {
    crate::trace::set_origin(origin);
    // If parlab dies, so does this child, even while it is busy computing.
    crate::platform::die_with_parent();
    let mut io = ChildIo::new(id, args);
    let result = run_kind(kind, kinds, &mut io);
    match &result {
        Ok(()) => io.finish()?,
        Err(e) => {
            let _ = write_frame(&mut io.output, Tag::Error, format!("{e:#}").as_bytes());
            let _ = io.output.flush();
        }
    }
    result
}

/// Reads exactly `n` bytes (helper for kinds that stream raw data).
pub fn read_exact(r: &mut impl Read, n: usize) -> std::io::Result<Vec<u8>> {
    let mut v = vec![0; n];
    r.read_exact(&mut v)?;
    Ok(v)
}
