//! What a share child tells its parent, as tagged little-endian words.

use std::ops::Range;

use anyhow::{Context as _, bail};

/// One message from a share child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Msg {
    /// The child's first timestamp on the shared clock.
    Started(u64),
    /// Items done since the last report.
    Progress(u64),
    /// The share's wrapping sum and item count.
    Done(u64, u64),
}

impl Msg {
    /// The 17 bytes on the wire: tag, then two words.
    pub(super) fn encode(self) -> [u8; 17] {
        let (tag, a, b) = match self {
            Msg::Started(t) => (0, t, 0),
            Msg::Progress(i) => (1, i, 0),
            Msg::Done(s, c) => (2, s, c),
        };
        let mut out = [0u8; 17];
        out[0] = tag;
        out[1..9].copy_from_slice(&a.to_le_bytes());
        out[9..].copy_from_slice(&b.to_le_bytes());
        out
    }

    /// The message in `b`, or what is wrong with it.
    pub(super) fn decode(b: &[u8]) -> anyhow::Result<Msg> {
        let word = |r: Range<usize>| {
            b.get(r)
                .and_then(|s| s.try_into().ok())
                .map(u64::from_le_bytes)
                .context("short message from a worker process")
        };
        let (a, c) = (word(1..9)?, word(9..17)?);
        Ok(match b.first() {
            Some(0) => Msg::Started(a),
            Some(1) => Msg::Progress(a),
            Some(2) => Msg::Done(a, c),
            _ => bail!("bad message from a worker process"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        for m in [Msg::Started(5), Msg::Progress(7), Msg::Done(u64::MAX, 3)] {
            assert_eq!(Msg::decode(&m.encode()).unwrap(), m);
        }
        assert!(Msg::decode(&[9; 17]).is_err());
        assert!(Msg::decode(&[0; 3]).is_err());
    }
}
