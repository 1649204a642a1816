//! Memory per process: each child's resident memory at every sample, and the bounded set of
//! series the Memory panel draws and the headless report prints (parlab itself, the children
//! with the highest peaks, and "others" for the rest), so a lesson about a child that grows
//! (lessons 8 and 13) can point at that child.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Sample;

/// Children kept per sample, the largest first; the rest count only in the total.
pub const MAX_CHILDREN_PER_SAMPLE: usize = 32;

/// Children drawn and reported one by one; the others are summed into one series.
pub const TOP_CHILDREN: usize = 4;

/// One child process's memory at one sample.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildMem {
    /// Process id.
    pub pid: u32,
    /// What it is: a parlab worker's kind (`queue-producer`), an observed process's name
    /// (`MainProcess`, `worker 2`), else its program name.
    pub name: String,
    /// Resident memory, bytes.
    pub rss: u64,
}

/// A child's name from its command line and program name: `parlab __worker KIND` is KIND.
pub fn child_name(cmdline: &str, comm: &str) -> String {
    let mut words = cmdline.split_whitespace();
    while let Some(w) = words.next() {
        if w == "__worker"
            && let Some(kind) = words.next()
        {
            return kind.to_string();
        }
    }
    comm.to_string()
}

/// Keeps the [`MAX_CHILDREN_PER_SAMPLE`] largest children (a fork bomb stays bounded).
pub fn keep_largest(children: &mut Vec<ChildMem>) {
    children.sort_by(|a, b| b.rss.cmp(&a.rss).then(a.pid.cmp(&b.pid)));
    children.truncate(MAX_CHILDREN_PER_SAMPLE);
}

/// One line of the Memory panel: whose memory, its peak, and (time ns, bytes) points.
#[derive(Clone, Debug, PartialEq)]
pub struct MemSeries {
    /// `parlab`, `queue-producer 4242`, `others` (or `children` for traces that kept only
    /// the total).
    pub name: String,
    /// Highest value, bytes.
    pub peak: u64,
    /// Points: time ns on the shared clock, bytes.
    pub points: Vec<(u64, u64)>,
}

/// parlab's own memory, then the `top` children with the highest peaks (by pid, named
/// `kind pid`), then "others": the children's total less those shown, when ever above 0.
pub fn series(samples: &[Sample], top: usize) -> Vec<MemSeries> {
    let mut out = vec![line("parlab".into(), samples, |s| s.rss_self)];
    let chosen = top_children(samples.iter(), top);
    for (pid, name, _) in &chosen {
        out.push(line(format!("{name} {pid}"), samples, |s| rss_of(s, *pid)));
    }
    let shown = |s: &Sample| chosen.iter().map(|(p, _, _)| rss_of(s, *p)).sum::<u64>();
    let rest = line(
        if chosen.is_empty() {
            "children"
        } else {
            "others"
        }
        .into(),
        samples,
        |s| s.rss_children.saturating_sub(shown(s)),
    );
    if rest.peak > 0 {
        out.push(rest);
    }
    out
}

/// Each of the `top` children's peak over `samples` (`kind pid`, bytes), highest first, and
/// the peak of the others' total: what the headless report prints per variant.
pub fn child_peaks<'a>(
    samples: impl Iterator<Item = &'a Sample> + Clone,
    top: usize,
) -> Vec<(String, u64)> {
    let chosen = top_children(samples.clone(), top);
    let others = samples
        .map(|s| {
            let shown: u64 = chosen.iter().map(|(p, _, _)| rss_of(s, *p)).sum();
            s.rss_children.saturating_sub(shown)
        })
        .max()
        .unwrap_or(0);
    let mut out: Vec<(String, u64)> = chosen
        .into_iter()
        .map(|(pid, name, peak)| (format!("{name} {pid}"), peak))
        .collect();
    if others > 0 {
        let name = if out.is_empty() { "children" } else { "others" };
        out.push((name.into(), others));
    }
    out
}

/// The `top` children by peak: (pid, name, peak), highest first.
fn top_children<'a>(
    samples: impl Iterator<Item = &'a Sample>,
    top: usize,
) -> Vec<(u32, String, u64)> {
    let mut peaks: BTreeMap<u32, (String, u64)> = BTreeMap::new();
    for c in samples.flat_map(|s| s.per_child.iter()) {
        let e = peaks.entry(c.pid).or_insert_with(|| (c.name.clone(), 0));
        e.1 = e.1.max(c.rss);
    }
    let mut v: Vec<(u32, String, u64)> = peaks.into_iter().map(|(p, (n, k))| (p, n, k)).collect();
    v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    v.truncate(top);
    v
}

fn rss_of(s: &Sample, pid: u32) -> u64 {
    s.per_child
        .iter()
        .find(|c| c.pid == pid)
        .map_or(0, |c| c.rss)
}

fn line(name: String, samples: &[Sample], f: impl Fn(&Sample) -> u64) -> MemSeries {
    let points: Vec<(u64, u64)> = samples.iter().map(|s| (s.t_ns, f(s))).collect();
    MemSeries {
        name,
        peak: points.iter().map(|p| p.1).max().unwrap_or(0),
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(t: u64, kids: &[(u32, u64)]) -> Sample {
        let per_child: Vec<ChildMem> = kids
            .iter()
            .map(|&(pid, rss)| ChildMem {
                pid,
                name: "mem-child".into(),
                rss,
            })
            .collect();
        Sample {
            t_ns: t,
            interval_ns: 1,
            per_core: vec![],
            rss_self: 100,
            rss_children: kids.iter().map(|k| k.1).sum(),
            children: kids.len() as u32,
            wait_cpu: None,
            per_child,
        }
    }

    #[test]
    fn top_children_by_peak_and_the_rest_as_others() {
        let xs = [
            sample(1, &[(10, 5), (11, 50), (12, 7)]),
            sample(2, &[(10, 90), (11, 40), (12, 8)]),
        ];
        let s = series(&xs, 2);
        let names: Vec<&str> = s.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["parlab", "mem-child 10", "mem-child 11", "others"]);
        assert_eq!(s[1].points, vec![(1, 5), (2, 90)]);
        assert_eq!(s[3].peak, 8);
        let peaks = child_peaks(xs.iter(), 2);
        assert_eq!(
            peaks,
            vec![
                ("mem-child 10".to_string(), 90),
                ("mem-child 11".to_string(), 50),
                ("others".to_string(), 8)
            ]
        );
    }

    #[test]
    fn old_traces_have_one_children_series() {
        let mut x = sample(1, &[(10, 5)]);
        x.per_child.clear();
        let s = series(&[x], 4);
        assert_eq!(s.len(), 2);
        assert_eq!((s[1].name.as_str(), s[1].peak), ("children", 5));
    }

    #[test]
    fn names_and_bounds() {
        assert_eq!(
            child_name("parlab __worker queue-producer 3", "parlab"),
            "queue-producer"
        );
        assert_eq!(child_name("python3 pool.py", "python3"), "python3");
        let mut v: Vec<ChildMem> = (0..100)
            .map(|i| ChildMem {
                pid: i,
                name: String::new(),
                rss: u64::from(i),
            })
            .collect();
        keep_largest(&mut v);
        assert_eq!(v.len(), MAX_CHILDREN_PER_SAMPLE);
        assert_eq!(v[0].rss, 99);
    }
}
