//! Results: per variant the plain-words verdict, wall median and min–max, speedup with its
//! spread, efficiency and ✓ / ✗; while running, each variant's state; and the comparison
//! with the previous run of the same demo.

use ratatui::text::{Line, Span};

use super::text;
use super::theme::Theme;
use crate::app::run::{RunState, RunView};
use crate::report::{Mark, RunSummary};

/// The results of `run` (and the comparison with `prev`) as lines `width` wide.
pub fn lines(run: &RunView, prev: Option<&RunView>, t: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    match &run.state {
        RunState::Failed(why) => {
            out.push(Line::styled(
                text::fit(&format!("✗ the run failed: {why}"), width),
                t.bad,
            ));
        }
        RunState::Cancelled => {
            out.push(Line::styled(
                "cancelled: results of the passes that completed",
                t.warn,
            ));
        }
        _ => {}
    }
    match &run.summary {
        Some(s) => finished(s, t, width, &mut out),
        None => running(run, t, width, &mut out),
    }
    if let (Some(prev), Some(cur)) = (prev, &run.summary)
        && let Some(ps) = &prev.summary
    {
        compare(ps, cur, prev, run, t, width, &mut out);
    }
    out
}

fn finished(s: &RunSummary, t: &Theme, width: usize, out: &mut Vec<Line<'static>>) {
    for v in &s.variants {
        // One mark rule (report::Mark): a differing answer is never ticked.
        let m = v.mark();
        let st = match m {
            Mark::Correct => t.ok,
            Mark::Incorrect | Mark::IncorrectAsExpected => t.bad,
            Mark::MeasurementProblem => t.warn, // the verdict says why: not a speedup
            Mark::Unchecked => t.dim,
        };
        let mark = if v.repeats == 0 && v.error.is_none() {
            "· ".to_string()
        } else {
            format!("{} ", m.glyph())
        };
        let verdict_style = if m.is_tick() || m == Mark::MeasurementProblem {
            t.text
        } else {
            t.bad
        };
        out.extend(text::wrap(
            &[(v.verdict.clone(), verdict_style)],
            width,
            Span::styled(mark, st),
            2,
        ));
        if v.repeats > 0 {
            let mut nums = format!(
                "median {} ({}–{}, {} pass{})",
                text::ms(v.wall_ms.median),
                text::ms(v.wall_ms.min),
                text::ms(v.wall_ms.max),
                v.repeats,
                if v.repeats == 1 { "" } else { "es" }
            );
            let quoted = v.name != "sequential" && v.speed_counts();
            if let Some(sp) = v.speedup.filter(|_| quoted) {
                nums.push_str(&format!(" · speedup {sp:.2}x"));
                if let Some((lo, hi)) = v.speedup_range {
                    nums.push_str(&format!(" ({lo:.2}–{hi:.2})"));
                }
            }
            if let Some(e) = v.efficiency.filter(|_| quoted) {
                // The verdict above explains an efficiency over 100%.
                nums.push_str(&format!(" · efficiency {:.0}%", e * 100.0));
            }
            out.extend(text::wrap(&[(nums, t.dim)], width, Span::raw("  "), 2));
        }
        if !v.metrics.is_empty() {
            let m: Vec<String> = v
                .metrics
                .iter()
                .map(|m| {
                    let sep = if m.unit.is_empty() { "" } else { " " };
                    format!("{} {}{sep}{}", m.name, text::num(m.value), m.unit)
                })
                .collect();
            out.extend(text::wrap(
                &[(m.join(" · "), t.text)],
                width,
                Span::raw("  "),
                2,
            ));
        }
        if let Some(n) = &v.note {
            out.extend(text::wrap(
                &[(n.clone(), t.accent)],
                width,
                Span::raw("  "),
                2,
            ));
        }
    }
}

fn running(run: &RunView, t: &Theme, width: usize, out: &mut Vec<Line<'static>>) {
    let cur = run.current.as_ref().map(|p| p.variant.clone());
    let mut seen_current = false;
    for v in &run.variants {
        let is_cur = cur.as_deref() == Some(v.as_str());
        seen_current |= is_cur;
        let (mark, style, what) = if is_cur {
            let p = run.current.as_ref();
            let pass = p.map_or(String::new(), |p| {
                if p.warmup {
                    "warm-up pass".into()
                } else {
                    format!("pass {}", p.repeat + 1)
                }
            });
            ("▶ ", t.warn, format!("{v}: running {pass}…"))
        } else if let Some((ms, n)) = run.interim_ms(v) {
            (
                "✓ ",
                t.ok,
                format!(
                    "{v}: median {} over {n} pass{}",
                    text::ms(ms),
                    if n == 1 { "" } else { "es" }
                ),
            )
        } else if seen_current || !run.running() {
            ("· ", t.dim, format!("{v}: waiting"))
        } else {
            ("· ", t.dim, format!("{v}: —"))
        };
        out.push(Line::from(vec![
            Span::styled(mark, style),
            Span::styled(text::fit(&what, width.saturating_sub(2)), t.text),
        ]));
    }
    if run.running() {
        out.push(Line::styled(
            "verdicts, speedups and the correctness check appear when the run ends",
            t.dim,
        ));
    }
}

fn compare(
    prev: &RunSummary,
    cur: &RunSummary,
    prev_run: &RunView,
    cur_run: &RunView,
    t: &Theme,
    width: usize,
    out: &mut Vec<Line<'static>>,
) {
    out.push(Line::raw(""));
    // One home for what changed between two runs (the Runs screen's comparison uses it too).
    let changes = crate::runstore::compare::param_changes(
        &prev.params,
        prev_run.workers,
        &cur.params,
        cur_run.workers,
    );
    let what = if changes.is_empty() {
        "same parameters".to_string()
    } else {
        changes.join(", ")
    };
    out.extend(text::wrap(
        &[(format!("Compared with the previous run ({what}):"), t.title)],
        width,
        Span::raw(""),
        2,
    ));
    for v in &cur.variants {
        let Some(p) = prev.variants.iter().find(|p| p.name == v.name) else {
            continue;
        };
        if v.repeats == 0 || p.repeats == 0 {
            continue;
        }
        let mut s = format!(
            "{} → {}",
            text::ms(p.wall_ms.median),
            text::ms(v.wall_ms.median)
        );
        if let (Some(a), Some(b)) = (p.speedup, v.speedup)
            && v.name != "sequential"
        {
            s.push_str(&format!(" · speedup {a:.2}x → {b:.2}x"));
        }
        let ratio = p.wall_ms.median / v.wall_ms.median.max(1e-9);
        let trend = if (0.95..=1.05).contains(&ratio) {
            "about the same".to_string()
        } else if ratio > 1.0 {
            format!("{ratio:.2}x faster")
        } else {
            format!("{:.2}x slower", 1.0 / ratio)
        };
        out.push(Line::from(vec![
            Span::styled(text::pad(&format!("  {}", v.name), 14), t.accent),
            Span::styled(
                text::fit(&format!("{s} · {trend}"), width.saturating_sub(14)),
                t.text,
            ),
        ]));
    }
}
