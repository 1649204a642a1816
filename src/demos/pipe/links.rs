//! The connections the pipe lesson compares, behind one [`Link`] trait: a crossbeam channel,
//! an OS pipe pair carrying frames, and a child process's stdin/stdout.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write as _};

use anyhow::{Context as _, anyhow};
use crossbeam_channel::{Receiver, Sender, bounded};

use super::CHANNEL_CAPACITY;
use crate::child::{ChildIo, ChildProcess, Tag, read_frame, write_frame};
use crate::trace::{Phase, SpanStart, Tracer};

/// Buffer size of the framed pipe ends (as the child protocol uses).
const BUF: usize = 1 << 16;

/// One end of a connection that carries whole messages.
pub trait Link {
    /// Sends a message (perhaps buffered until [`Link::flush`]).
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()>;
    /// Pushes buffered messages out.
    fn flush(&mut self) -> anyhow::Result<()>;
    /// The next message; `None` when the other end closed.
    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>>;
}

/// The peer's end: a link that can also record spans.
pub trait PeerEnd: Link {
    /// Marks the start of a span.
    fn span_start(&self) -> SpanStart;
    /// Records a span from `s` to now.
    fn span_end(&mut self, s: SpanStart, phase: Phase, items: u64, bytes: u64);
}

/// An OS pipe pair carrying frames, as the child protocol does (tag, length, payload).
pub struct PipeEnd {
    r: BufReader<File>,
    w: BufWriter<File>,
    buf: Vec<u8>,
}

/// Two connected [`PipeEnd`]s over two OS pipes.
pub fn pipe_pair() -> anyhow::Result<(PipeEnd, PipeEnd)> {
    let (r1, w1) = crate::platform::pipe().context("cannot create a pipe")?;
    let (r2, w2) = crate::platform::pipe().context("cannot create a pipe")?;
    let end = |r: File, w: File| PipeEnd {
        r: BufReader::with_capacity(BUF, r),
        w: BufWriter::with_capacity(BUF, w),
        buf: Vec::new(),
    };
    Ok((end(r1, w2), end(r2, w1)))
}

impl Link for PipeEnd {
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        write_frame(&mut self.w, Tag::Data, data)
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        Ok(self.w.flush()?)
    }

    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        Ok(read_frame(&mut self.r, &mut self.buf)?.map(|_| self.buf.as_slice()))
    }
}

/// A crossbeam channel pair; sending copies the message into a fresh buffer.
pub struct ChannelEnd {
    tx: Sender<Vec<u8>>,
    rx: Receiver<Vec<u8>>,
    last: Vec<u8>,
}

/// Two connected [`ChannelEnd`]s.
pub fn channel_pair() -> (ChannelEnd, ChannelEnd) {
    let (t1, r1) = bounded(CHANNEL_CAPACITY);
    let (t2, r2) = bounded(CHANNEL_CAPACITY);
    let end = |tx, rx| ChannelEnd {
        tx,
        rx,
        last: Vec::new(),
    };
    (end(t1, r2), end(t2, r1))
}

impl Link for ChannelEnd {
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.tx
            .send(data.to_vec())
            .map_err(|_| anyhow!("the other end of the channel is gone"))
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        Ok(())
    }

    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        match self.rx.recv() {
            Ok(v) => {
                self.last = v;
                Ok(Some(&self.last))
            }
            Err(_) => Ok(None),
        }
    }
}

/// A peer thread's end with the tracer it records on.
pub(super) struct Traced<L> {
    pub(super) link: L,
    pub(super) trace: Tracer,
    pub(super) worker: u32,
}

impl<L: Link> Link for Traced<L> {
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.link.send(data)
    }
    fn flush(&mut self) -> anyhow::Result<()> {
        self.link.flush()
    }
    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        self.link.recv()
    }
}

impl<L: Link> PeerEnd for Traced<L> {
    fn span_start(&self) -> SpanStart {
        self.trace.start()
    }
    fn span_end(&mut self, s: SpanStart, phase: Phase, items: u64, bytes: u64) {
        self.trace.end(self.worker, s, phase, items, bytes);
    }
}

impl Link for ChildIo {
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        ChildIo::send(self, data)
    }
    fn flush(&mut self) -> anyhow::Result<()> {
        ChildIo::flush(self)
    }
    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        ChildIo::recv(self)
    }
}

impl PeerEnd for ChildIo {
    fn span_start(&self) -> SpanStart {
        self.start()
    }
    fn span_end(&mut self, s: SpanStart, phase: Phase, items: u64, bytes: u64) {
        self.end(s, phase, items, bytes);
    }
}

/// The parent's end of a child process's stdin/stdout.
pub struct ChildLink<'a> {
    pub(super) child: ChildProcess,
    pub(super) trace: &'a Tracer,
}

impl Link for ChildLink<'_> {
    fn send(&mut self, data: &[u8]) -> anyhow::Result<()> {
        self.child.send(data)
    }
    fn flush(&mut self) -> anyhow::Result<()> {
        self.child.flush()
    }
    fn recv(&mut self) -> anyhow::Result<Option<&[u8]>> {
        self.child.recv(self.trace)
    }
}
