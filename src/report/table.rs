//! Human-readable output: one verdict line per variant, then the numbers behind it.

use std::fmt::Write as _;

use super::summary::RunSummary;
use crate::engine::{Correctness, VariantReport};

/// The plain-words verdict of one variant, e.g.
/// "rayon: 1.93x faster than sequential (2 workers, 96% efficiency), correct".
pub fn verdict(v: &VariantReport) -> String {
    let check = match &v.correctness {
        Correctness::Correct => "correct".to_string(),
        Correctness::Incorrect { .. } => {
            "INCORRECT: its answer differs from sequential".to_string()
        }
        Correctness::DiffersAsExpected => {
            "differs from sequential, as this lesson expects".to_string()
        }
        Correctness::Unchecked => "not checked (no sequential answer to compare with)".to_string(),
    };
    if let Some(e) = &v.error {
        return format!("{}: FAILED: {e}", v.name);
    }
    if v.wall_ms.is_empty() {
        return format!("{}: cancelled before a pass completed", v.name);
    }
    let cancelled = if v.cancelled {
        " (cancelled; from the passes that completed)"
    } else {
        ""
    };
    if v.name == "sequential" {
        return format!(
            "sequential: {} per pass, the reference, {check}{cancelled}",
            fmt_ms(v.wall.median)
        );
    }
    let workers = format!(
        "{} worker{}",
        v.workers,
        if v.workers == 1 { "" } else { "s" }
    );
    match (v.speedup, v.efficiency) {
        (Some(s), Some(e)) => {
            let how = if (0.95..=1.05).contains(&s) {
                "about as fast as sequential".to_string()
            } else if s > 1.0 {
                format!("{s:.2}x faster than sequential")
            } else {
                format!("{:.2}x slower than sequential", 1.0 / s.max(1e-9))
            };
            format!(
                "{}: {how} ({workers}, {:.0}% efficiency), {check}{cancelled}",
                v.name,
                e * 100.0
            )
        }
        _ => format!(
            "{}: {} per pass ({workers}), {check}{cancelled}",
            v.name,
            fmt_ms(v.wall.median)
        ),
    }
}

/// Milliseconds with sensible precision: 0.042 ms, 3.21 ms, 1502 ms.
pub fn fmt_ms(ms: f64) -> String {
    if ms < 1.0 {
        format!("{ms:.3} ms")
    } else if ms < 100.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

fn pct(x: f64, of: f64) -> f64 {
    if of <= 0.0 { 0.0 } else { 100.0 * x / of }
}

/// The full table report of one run.
pub fn table(s: &RunSummary) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}  ({})", s.demo, s.params);
    let _ = writeln!(o, "{} workers on {}", s.workers, s.machine.one_line());
    let _ = writeln!(o);
    for v in &s.variants {
        let _ = writeln!(o, "  {}", v.verdict);
    }
    if s.cancelled {
        let _ = writeln!(o, "  (run cancelled: the figures below are what completed)");
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{:<14} {:>7} {:>7} {:>11} {:>21} {:>16} {:>6}  ok",
        "variant", "workers", "repeats", "median ms", "min-max ms", "speedup (range)", "eff"
    );
    for v in &s.variants {
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
            v.speedup.map_or("-".into(), |x| format!("{x:.2}x {range}")),
            v.efficiency
                .map_or("-".into(), |e| format!("{:.0}%", e * 100.0)),
            if v.correct { "✓" } else { "✗" },
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "per worker, median pass (busy / waiting / idle share of wall time; tasks; CPU vs wall):"
    );
    for v in &s.variants {
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
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "CPU load per core while each variant ran (average / peak %):"
    );
    for v in &s.variants {
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
    let extra: Vec<String> = s
        .variants
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
    if s.spans_merged > 0 {
        let _ = writeln!(
            o,
            "\n(note: {} spans were merged with neighbours to stay within the trace memory budget)",
            s.spans_merged
        );
    }
    o
}

/// A count with thousands separators: 1,234,567.
pub fn fmt_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size in decimal units, as the TUI shows memory: 512 kB, 12.3 MB, 4.56 GB.
pub fn fmt_bytes(b: u64) -> String {
    let v = b as f64;
    if b < 1_000_000 {
        format!("{:.0} kB", v / 1e3)
    } else if b < 1_000_000_000 {
        format!("{:.1} MB", v / 1e6)
    } else {
        format!("{:.2} GB", v / 1e9)
    }
}

/// A number without needless decimals.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
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
