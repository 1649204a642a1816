//! The reader's files and buffers: a file read again from offset 0 while it stays open
//! (opened and kept when there is room), a `task` directory listed again after a rewind, and
//! the one text buffer, path buffer and id lists every reading reuses.

use std::fmt::Write as _;
use std::fs::File;
use std::mem::MaybeUninit;
use std::os::fd::OwnedFd;
use std::os::unix::fs::FileExt as _;

use rustix::fs::{Mode, OFlags, RawDir, SeekFrom};

/// The reusable buffers of one reader.
#[derive(Debug)]
pub struct Bufs {
    /// The text of the file read last.
    pub text: Vec<u8>,
    /// Room for directory entries.
    pub dir: Vec<MaybeUninit<u8>>,
    /// The path of the file to read.
    pub path: String,
    /// The thread ids of the process read last, sorted.
    pub tids: Vec<u32>,
    /// Processes still to read this reading.
    pub todo: Vec<u32>,
    /// Descriptors that may still be kept open this reading.
    pub room: usize,
    /// Files are kept open (`Reading::Frugal`).
    pub keep: bool,
}

impl Bufs {
    /// `/proc/PID/task/TID/NAME` (or `/proc/PID/NAME` when `tid` is 0) into the path buffer.
    pub fn path_for(&mut self, pid: u32, tid: u32, name: &str) {
        self.path.clear();
        let _ = if tid == 0 {
            write!(self.path, "/proc/{pid}/{name}")
        } else {
            write!(self.path, "/proc/{pid}/task/{tid}/{name}")
        };
    }

    /// Reads the file at the path buffer into the text buffer through `kept` (read from
    /// offset 0 while it is open; opened and kept when there is room); the bytes read, `None`
    /// when the file is gone (an empty one, a `children` file of no child, reads 0).
    pub fn read(&mut self, kept: &mut Option<File>) -> Option<usize> {
        if let Some(f) = kept {
            if let Some(n) = read_all(f, &mut self.text) {
                return Some(n);
            }
            // The thread ended (or its id now names another): open anew.
            *kept = None;
        }
        let f = File::open(&self.path).ok()?;
        let n = read_all(&f, &mut self.text)?;
        if self.keep && self.room > 0 {
            self.room -= 1;
            *kept = Some(f);
        }
        Some(n)
    }

    /// The thread ids listed in `/proc/PID/task` into `tids`, sorted; false when it is gone.
    pub fn list_tasks(&mut self, pid: u32, kept: &mut Option<OwnedFd>) -> bool {
        self.tids.clear();
        if kept.is_none() {
            self.path_for(pid, 0, "task");
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let Ok(fd) = rustix::fs::open(self.path.as_str(), flags, Mode::empty()) else {
                return false;
            };
            if !self.keep || self.room == 0 {
                return list_dir(&fd, &mut self.dir, &mut self.tids);
            }
            self.room -= 1;
            *kept = Some(fd);
        }
        let Some(fd) = kept.as_ref() else {
            return false;
        };
        if rustix::fs::seek(fd, SeekFrom::Start(0)).is_err()
            || !list_dir(fd, &mut self.dir, &mut self.tids)
        {
            *kept = None;
            return false;
        }
        true
    }
}

/// Reads `f` from offset 0 to its end into `buf` (grown when a file outgrows it); `None` on
/// an error (a thread that ended reads `ESRCH`).
fn read_all(f: &File, buf: &mut Vec<u8>) -> Option<usize> {
    let mut n = 0;
    loop {
        if n == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        match f.read_at(&mut buf[n..], n as u64) {
            Ok(0) => break,
            Ok(k) => {
                n += k;
                // A `/proc` file hands over all it has: a short read is its end (no second
                // call to learn it).
                if n < buf.len() {
                    break;
                }
            }
            Err(_) => return None,
        }
    }
    Some(n)
}

/// The numeric entries of the directory `fd` into `out`, sorted; false when unreadable.
fn list_dir(fd: &OwnedFd, buf: &mut [MaybeUninit<u8>], out: &mut Vec<u32>) -> bool {
    let mut dir = RawDir::new(fd, buf);
    while let Some(e) = dir.next() {
        let Ok(e) = e else {
            return false;
        };
        if let Some(tid) =
            super::super::num(e.file_name().to_bytes()).and_then(|v| u32::try_from(v).ok())
        {
            out.push(tid);
        }
    }
    out.sort_unstable();
    !out.is_empty()
}
