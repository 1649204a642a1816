//! Frames between parlab and its child workers: tag byte, u32 LE length, payload.

use std::io::{ErrorKind, Read, Write};

use anyhow::bail;

/// Largest frame accepted (a corrupt length must not allocate gigabytes).
pub const MAX_FRAME: usize = 1 << 30;

/// What a frame carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Tag {
    /// The demo's own bytes.
    Data = 0,
    /// JSON list of spans measured in the child.
    Spans = 1,
    /// The child's process CPU time, u64 LE ns (sent once, at exit).
    Cpu = 2,
    /// The child failed; UTF-8 text.
    Error = 3,
}

impl Tag {
    fn from_u8(b: u8) -> Option<Tag> {
        Some(match b {
            0 => Tag::Data,
            1 => Tag::Spans,
            2 => Tag::Cpu,
            3 => Tag::Error,
            _ => return None,
        })
    }
}

/// Writes one frame.
pub fn write_frame(w: &mut impl Write, tag: Tag, payload: &[u8]) -> anyhow::Result<()> {
    let len = u32::try_from(payload.len())
        .map_err(|_| anyhow::anyhow!("frame of {} bytes is too large", payload.len()))?;
    let mut head = [0u8; 5];
    head[0] = tag as u8;
    head[1..].copy_from_slice(&len.to_le_bytes());
    w.write_all(&head)?;
    w.write_all(payload)?;
    Ok(())
}

/// Reads one frame into `buf`; `None` at a clean end of stream.
pub fn read_frame(r: &mut impl Read, buf: &mut Vec<u8>) -> anyhow::Result<Option<Tag>> {
    let mut head = [0u8; 5];
    match r.read_exact(&mut head) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let Some(tag) = Tag::from_u8(head[0]) else {
        bail!("corrupt frame (tag {})", head[0])
    };
    let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]) as usize;
    if len > MAX_FRAME {
        bail!("corrupt frame (length {len})");
    }
    // Resize without clearing: only bytes beyond the old length are zeroed, the rest is
    // overwritten by the read (zeroing 1 MiB per frame would cost a fifth of pipe throughput).
    buf.resize(len, 0);
    r.read_exact(buf)?;
    Ok(Some(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let mut v = Vec::new();
        write_frame(&mut v, Tag::Data, b"hello").unwrap();
        write_frame(&mut v, Tag::Cpu, &7u64.to_le_bytes()).unwrap();
        let mut r = &v[..];
        let mut buf = Vec::new();
        assert_eq!(read_frame(&mut r, &mut buf).unwrap(), Some(Tag::Data));
        assert_eq!(buf, b"hello");
        assert_eq!(read_frame(&mut r, &mut buf).unwrap(), Some(Tag::Cpu));
        assert_eq!(read_frame(&mut r, &mut buf).unwrap(), None);
    }

    #[test]
    fn corrupt_frames_are_errors() {
        let mut buf = Vec::new();
        assert!(read_frame(&mut &[9u8, 0, 0, 0, 0][..], &mut buf).is_err());
        assert!(read_frame(&mut &[0u8, 255, 255, 255, 255][..], &mut buf).is_err());
    }
}
