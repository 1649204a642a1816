//! Human-readable output: one verdict line per variant, then the numbers behind it.

use std::fmt::Write as _;

use super::summary::{RunSummary, VariantSummary, WorkerSummary};
use crate::units::{fmt_bytes, fmt_num};

fn pct(x: f64, of: f64) -> f64 {
    if of <= 0.0 { 0.0 } else { 100.0 * x / of }
}

/// The full table report of one run: the verdicts, the timing table, then the per-worker,
/// per-core and free-form measurements behind them, one section function each.
pub fn table(s: &RunSummary) -> String {
    let mut o = String::new();
    verdicts(&mut o, s);
    timings(&mut o, &s.variants);
    per_worker(&mut o, &s.variants);
    cpu_load(&mut o, &s.variants);
    child_memory(&mut o, s);
    measurements(&mut o, &s.variants);
    if s.variants
        .iter()
        .any(|v| v.speed_counts() && v.efficiency.is_some_and(|e| e > 1.005))
    {
        let _ = writeln!(o, "\n(eff {})", super::EFFICIENCY_OVER_100);
    }
    if s.spans_merged > 0 {
        let _ = writeln!(
            o,
            "\n(note: {} spans were merged with neighbours to stay within the trace memory budget)",
            s.spans_merged
        );
    }
    o
}

/// The heading (demo, parameters, machine) and one verdict line per variant.
fn verdicts(o: &mut String, s: &RunSummary) {
    let _ = writeln!(o, "{}  ({})", s.demo, s.params);
    let _ = writeln!(o, "{} workers on {}", s.workers, s.machine.one_line());
    let _ = writeln!(o);
    for v in &s.variants {
        let _ = writeln!(o, "  {}", v.verdict);
    }
    if s.cancelled {
        let _ = writeln!(o, "  (run cancelled: the figures below are what completed)");
    }
}

/// The timing table: one row per variant with its wall times, speedup and efficiency.
fn timings(o: &mut String, variants: &[VariantSummary]) {
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{:<14} {:>7} {:>7} {:>11} {:>21} {:>16} {:>6}  ok",
        "variant", "workers", "repeats", "median ms", "min-max ms", "speedup (range)", "eff"
    );
    for v in variants {
        if v.repeats == 0 {
            let _ = writeln!(
                o,
                "{:<14} {:>7} {:>7}   (no completed pass)",
                v.name, v.workers, 0
            );
            continue;
        }
        let range = v
            .speedup_range
            .map_or(String::new(), |(a, b)| format!("({a:.2}-{b:.2})"));
        let _ = writeln!(
            o,
            "{:<14} {:>7} {:>7} {:>11.3} {:>21} {:>16} {:>6}  {}",
            v.name,
            v.workers,
            v.repeats,
            v.wall_ms.median,
            format!("{:.3}-{:.3}", v.wall_ms.min, v.wall_ms.max),
            v.speedup
                .filter(|_| v.speed_counts())
                .map_or("-".into(), |x| format!("{x:.2}x {range}")),
            v.efficiency
                .filter(|_| v.speed_counts())
                .map_or("-".into(), |e| format!("{:.0}%", e * 100.0)),
            v.mark().label(),
        );
    }
}

/// How each worker spent the median pass: busy / waiting / idle shares, tasks, CPU vs wall.
fn per_worker(o: &mut String, variants: &[VariantSummary]) {
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "per worker, median pass (busy / waiting / idle share of wall time; tasks; CPU vs wall):"
    );
    for v in variants {
        for w in &v.per_worker {
            let pid = w.pid.map_or(String::new(), |p| format!(" pid {p}"));
            let cpu = w.cpu_ms.map_or("-".into(), |c| format!("{c:.1}"));
            let _ = writeln!(
                o,
                "  {:<12} w{:<3}{pid} busy {:>3.0}%  waiting {:>3.0}%  idle {:>3.0}%  tasks {:>6}  cpu {} ms / wall {:.1} ms",
                v.name,
                w.id,
                pct(w.busy_ms, w.wall_ms),
                pct(w.waiting_ms, w.wall_ms),
                pct(w.idle_ms, w.wall_ms),
                w.tasks,
                cpu,
                w.wall_ms
            );
        }
    }
    let workers = variants
        .iter()
        .flat_map(|v| v.per_worker.iter().map(move |w| (v.name.as_str(), w)));
    if let Some(note) = starved(workers) {
        let _ = writeln!(o, "  ({note})");
    }
}

/// The worker that had a CPU for the smallest share of its busy time, said in words, when
/// [`crate::trace::seldom_on_cpu`] says so (16 workers on 2 cores: busy 96% of the wall time,
/// on a CPU 13%).
fn starved<'a>(workers: impl Iterator<Item = (&'a str, &'a WorkerSummary)>) -> Option<String> {
    let ns = |ms: f64| (ms * 1e6) as u64;
    let (name, w, share) = workers
        .filter_map(|(v, w)| {
            crate::trace::seldom_on_cpu(ns(w.compute_ms), w.cpu_ms.map(ns)).map(|s| (v, w, s))
        })
        .min_by(|a, b| a.2.total_cmp(&b.2))?;
    Some(format!(
        "busy is time inside a task, on a CPU or not: {} w{} was computing for {:.1} ms but on a CPU for {:.1} ms of them ({:.0}%); more runnable threads than cores (its own workers or other programs) take turns, and the waiting column counts only what the code waited for (queues, locks, joins)",
        name,
        w.id,
        w.compute_ms,
        w.cpu_ms.unwrap_or(0.0),
        share * 100.0
    ))
}

/// The average / peak load of each core while each variant ran.
fn cpu_load(o: &mut String, variants: &[VariantSummary]) {
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "CPU load per core while each variant ran (average / peak %):"
    );
    for v in variants {
        if v.cpu.samples == 0 {
            let _ = writeln!(
                o,
                "  {:<12} (shorter than one sampling interval: no sample)",
                v.name
            );
            continue;
        }
        let cores: Vec<String> = v
            .cpu
            .per_core_avg
            .iter()
            .zip(&v.cpu.per_core_peak)
            .enumerate()
            .map(|(i, (a, p))| format!("core{i} {a:.0}/{p:.0}"))
            .collect();
        let _ = writeln!(
            o,
            "  {:<12} {}  ({} samples)",
            v.name,
            cores.join("  "),
            v.cpu.samples
        );
    }
}

/// Peak memory of parlab and of each child process, over the whole run (the Memory panel's
/// legend, the same numbers) and while each variant ran; only when the run had children:
/// the figures lessons 8 and 13 point at.
fn child_memory(o: &mut String, s: &RunSummary) {
    if s.variants.iter().all(|v| v.cpu.peak_per_child.is_empty()) {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "memory peak (resident, sampled; parlab, then each child as `kind pid`):"
    );
    let whole: Vec<String> = s
        .memory
        .iter()
        .map(|(name, b)| format!("{name} {}", fmt_bytes(*b)))
        .collect();
    if !whole.is_empty() {
        wrapped(o, &format!("  {:<12} ", "whole run"), &whole);
    }
    for v in &s.variants {
        let mut parts = vec![format!("parlab {}", fmt_bytes(v.cpu.peak_rss_self))];
        parts.extend(
            v.cpu
                .peak_per_child
                .iter()
                .map(|(name, b)| format!("{name} {}", fmt_bytes(*b))),
        );
        if v.cpu.peak_per_child.is_empty() {
            parts.push("no children".into());
        }
        wrapped(o, &format!("  {:<12} ", v.name), &parts);
    }
}

/// Writes `parts` joined by " · " after `lead`, starting a new line (indented like the first)
/// before a part that would pass 100 columns.
fn wrapped(o: &mut String, lead: &str, parts: &[String]) {
    let indent = " ".repeat(lead.chars().count());
    let mut line = lead.to_string();
    let mut first = true;
    for p in parts {
        let sep = if first { "" } else { " · " };
        if !first && line.chars().count() + sep.chars().count() + p.chars().count() > 100 {
            let _ = writeln!(o, "{line}");
            line = format!("{indent}{p}");
        } else {
            line.push_str(sep);
            line.push_str(p);
        }
        first = false;
    }
    let _ = writeln!(o, "{line}");
}

/// The demos' own metrics and notes, if any variant reported some.
fn measurements(o: &mut String, variants: &[VariantSummary]) {
    let extra: Vec<String> = variants
        .iter()
        .flat_map(|v| {
            let notes = v.note.iter().map(move |n| format!("  {}: {n}", v.name));
            let metrics = v.metrics.iter().map(move |m| {
                format!("  {}: {} = {} {}", v.name, m.name, fmt_num(m.value), m.unit)
            });
            metrics.chain(notes)
        })
        .collect();
    if !extra.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "measurements:");
        for line in extra {
            let _ = writeln!(o, "{}", line.trim_end());
        }
    }
}

/// One CSV row per variant.
pub fn csv(s: &RunSummary) -> anyhow::Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "demo",
        "variant",
        "workers",
        "repeats",
        "median_ms",
        "min_ms",
        "max_ms",
        "speedup",
        "speedup_min",
        "speedup_max",
        "efficiency",
        "correct",
        "items",
        "params",
    ])?;
    for v in &s.variants {
        let opt = |x: Option<f64>| x.map_or(String::new(), |x| format!("{x:.4}"));
        w.write_record([
            s.demo.clone(),
            v.name.clone(),
            v.workers.to_string(),
            v.repeats.to_string(),
            format!("{:.4}", v.wall_ms.median),
            format!("{:.4}", v.wall_ms.min),
            format!("{:.4}", v.wall_ms.max),
            opt(v.speedup),
            opt(v.speedup_range.map(|r| r.0)),
            opt(v.speedup_range.map(|r| r.1)),
            opt(v.efficiency),
            v.correct.to_string(),
            v.items.to_string(),
            s.params.to_string(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(id: u32, busy_ms: f64, cpu_ms: Option<f64>) -> WorkerSummary {
        WorkerSummary {
            id,
            pid: None,
            busy_ms,
            compute_ms: busy_ms,
            waiting_ms: 0.0,
            idle_ms: 0.0,
            tasks: 4,
            items: 0,
            cpu_ms,
            wall_ms: 466.0,
        }
    }

    #[test]
    fn a_worker_busy_without_a_cpu_is_named() {
        let ws = [
            worker(0, 450.0, Some(440.0)),
            worker(1, 401.7, Some(45.5)),
            worker(2, 400.0, Some(60.0)),
        ];
        let note = starved(ws.iter().map(|w| ("rayon", w))).unwrap();
        assert!(
            note.contains(
                "rayon w1 was computing for 401.7 ms but on a CPU for 45.5 ms of them (11%)"
            ),
            "{note}"
        );
        // On a CPU most of the time, unknown CPU, or too short to tell: nothing to say.
        let fine = [
            worker(0, 450.0, Some(400.0)),
            worker(1, 400.0, None),
            worker(2, 5.0, Some(0.1)),
        ];
        assert_eq!(starved(fine.iter().map(|w| ("pool", w))), None);
    }
}
