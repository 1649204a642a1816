//! parlab's own process tree at each sample: its memory, its children's, and how many of its
//! threads' worth of time went to waiting for a CPU (the same reading the observer makes of a
//! watched program, so a demo's oversubscription shows the same figure).

use std::collections::BTreeMap;

use crate::observe::classify::SchedStats;

/// Memory and waiting figures of one interval.
#[derive(Clone, Debug, Default, PartialEq)]
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
    /// Each child's memory, the largest first.
    pub per_child: Vec<super::memory::ChildMem>,
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
        // A child forked but not yet exec'd still runs parlab's command line in parlab's
        // pages (shared copy-on-write): counting it would show parlab's memory twice.
        let my_cmd = tree
            .iter()
            .find(|p| p.pid == self.me)
            .map(|p| p.cmdline.clone());
        for p in tree {
            if p.pid == self.me {
                own.rss_self = p.rss;
            } else if !p.zombie && my_cmd.as_deref() != Some(p.cmdline.as_str()) {
                own.rss_children += p.rss;
                own.children += 1;
                own.per_child.push(super::memory::ChildMem {
                    pid: p.pid,
                    name: super::memory::child_name(&p.cmdline, &p.comm),
                    rss: p.rss,
                });
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
        super::memory::keep_largest(&mut own.per_child);
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
