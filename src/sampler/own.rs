//! parlab's own process tree at each sample: its memory, its children's, and how many of its
//! threads' worth of time went to waiting for a CPU (the same reading the observer makes of a
//! watched program, so a demo's oversubscription shows the same figure).

use std::collections::BTreeMap;

use crate::observe::classify::SchedStats;

/// Memory and waiting figures of one interval.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Own {
    /// parlab's resident memory, bytes.
    pub rss_self: u64,
    /// Its children's together, bytes.
    pub rss_children: u64,
    /// Children alive.
    pub children: u32,
    /// Threads' worth of time runnable but waiting for a CPU over the interval; `None` where
    /// the kernel keeps no scheduler statistics.
    pub wait_cpu: Option<f32>,
}

/// Reads parlab's tree, remembering each thread's waiting counter between readings.
pub struct OwnTree {
    me: u32,
    prev: BTreeMap<(u32, u32), u64>,
    sched: SchedStats,
    reader: crate::observe::TreeReader,
}

impl OwnTree {
    /// Starts with the first reading.
    pub fn new() -> OwnTree {
        let mut o = OwnTree {
            me: std::process::id(),
            prev: BTreeMap::new(),
            sched: SchedStats::Unknown,
            reader: crate::observe::TreeReader::default(),
        };
        o.read(0);
        o
    }

    /// Reads now; `interval_ns` is the time since the previous reading.
    pub fn read(&mut self, interval_ns: u64) -> Own {
        let tree = self.reader.read(self.me);
        let mut own = Own::default();
        let mut waited = 0u64;
        let mut next = BTreeMap::new();
        for p in tree {
            if p.pid == self.me {
                own.rss_self = p.rss;
            } else if !p.zombie {
                own.rss_children += p.rss;
                own.children += 1;
            }
            for t in &p.threads {
                self.sched.learn(t.sched, t.ticks);
                if let Some((_, w)) = t.sched {
                    let before = self.prev.get(&(p.pid, t.tid)).copied().unwrap_or(w);
                    waited += w.saturating_sub(before);
                    next.insert((p.pid, t.tid), w);
                }
            }
        }
        self.prev = next;
        if self.sched == SchedStats::Works && interval_ns > 0 {
            own.wait_cpu = Some((waited as f64 / interval_ns as f64) as f32);
        }
        own
    }
}

impl Default for OwnTree {
    fn default() -> Self {
        OwnTree::new()
    }
}
