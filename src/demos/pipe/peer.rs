//! The far end of a pipe-lesson connection, the same code on a thread and in a child
//! process: echo the ping-pong messages, then checksum the bulk stream and reply.

use super::data::check_message;
use super::links::PeerEnd;
use super::{Plan, SPAN_BYTES, SPAN_MSGS};
use crate::child::{ChildIo, arg_u64};
use crate::engine::Digest;
use crate::trace::Phase;

/// Most spans the peer records in the bulk phase (see [`serve`]).
const BULK_SPANS: u64 = 1000;

/// The far end: echoes `rounds` messages, then hashes `plan.size` bytes of bulk messages and
/// replies with the digest and the byte count.
pub fn serve(end: &mut impl PeerEnd, plan: Plan) -> anyhow::Result<()> {
    let mut echo = Vec::new();
    let mut done = 0;
    while done < plan.rounds {
        let s = end.span_start();
        let (mut k, mut bytes) = (0, 0);
        while done < plan.rounds && k < SPAN_MSGS && bytes < SPAN_BYTES {
            let Some(m) = end.recv()? else {
                return Ok(());
            };
            echo.clear();
            echo.extend_from_slice(m);
            end.send(&echo)?;
            end.flush()?;
            done += 1;
            k += 1;
            bytes += echo.len() as u64;
        }
        end.span_end(s, Phase::Send, k, 2 * bytes);
    }
    let mut d = Digest::new();
    let mut got = 0u64;
    let total = plan.bulk_msgs();
    // The parent only writes during the bulk phase; it reads nothing until our reply. A child
    // sends its spans on the same stdout whenever 1024 have piled up, and a span frame that
    // fills the pipe would block us while the parent blocks writing to us: a deadlock. So the
    // bulk phase records at most BULK_SPANS spans, which leave with the reply.
    let per_span = (SPAN_MSGS.min(SPAN_BYTES / plan.msg.max(1) as u64))
        .max(total.div_ceil(BULK_SPANS))
        .max(1);
    let mut j = 0;
    while j < total {
        let s = end.span_start();
        let (mut k, mut bytes) = (0, 0);
        while j < total && k < per_span {
            let Some(m) = end.recv()? else {
                return Ok(());
            };
            check_message(&mut d, m);
            bytes += m.len() as u64;
            j += 1;
            k += 1;
        }
        got += bytes;
        end.span_end(s, Phase::Receive, k, bytes);
    }
    d.push(got);
    let mut reply = [0u8; 16];
    reply[..8].copy_from_slice(&d.value().to_le_bytes());
    reply[8..].copy_from_slice(&got.to_le_bytes());
    end.send(&reply)?;
    end.flush()
}

/// Child side of [`KIND`](super::KIND).
pub(super) fn child_main(io: &mut ChildIo) -> anyhow::Result<()> {
    let plan = Plan {
        msg: usize::try_from(arg_u64(&io.args, "--msg")?)?,
        rounds: arg_u64(&io.args, "--rounds")?,
        size: arg_u64(&io.args, "--size")?,
    };
    serve(io, plan)
}
