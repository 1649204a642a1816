//! What the reader keeps of each process and thread between readings beside its reading:
//! the open files and when it was last seen.

use std::fs::File;
use std::os::fd::OwnedFd;

/// One process's open files.
#[derive(Debug, Default)]
pub struct ProcSlot {
    pub stat: Option<File>,
    pub statm: Option<File>,
    pub children: Option<File>,
    pub task: Option<OwnedFd>,
    pub threads: Vec<ThreadSlot>,
    /// The reading that last found it.
    pub seen: u64,
}

impl ProcSlot {
    /// Descriptors it holds open, its threads' included.
    pub fn open(&self) -> usize {
        let own = [
            self.stat.is_some(),
            self.statm.is_some(),
            self.children.is_some(),
        ]
        .iter()
        .filter(|o| **o)
        .count()
            + usize::from(self.task.is_some());
        own + self
            .threads
            .iter()
            .map(|t| usize::from(t.stat.is_some()) + usize::from(t.sched.is_some()))
            .sum::<usize>()
    }
}

/// One thread's open files.
#[derive(Debug, Default)]
pub struct ThreadSlot {
    pub stat: Option<File>,
    pub sched: Option<File>,
    /// Readings left to skip (a sleeping thread).
    pub skip: u32,
    /// The reading that last found it.
    pub seen: u64,
}

/// Keeps the pairs `(a[i], b[i])` whose `b[i]` passes `keep`, in order, without allocating.
pub fn retain_pair<A, B>(a: &mut Vec<A>, b: &mut Vec<B>, keep: impl Fn(&B) -> bool) {
    let mut w = 0;
    for r in 0..a.len().min(b.len()) {
        if keep(&b[r]) {
            a.swap(w, r);
            b.swap(w, r);
            w += 1;
        }
    }
    a.truncate(w);
    b.truncate(w);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_kept_in_order() {
        let (mut a, mut b) = (vec!['a', 'b', 'c', 'd'], vec![1, 2, 3, 4]);
        retain_pair(&mut a, &mut b, |x| x % 2 == 0);
        assert_eq!((a, b), (vec!['b', 'd'], vec![2, 4]));
    }
}
