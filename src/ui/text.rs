//! Small text helpers shared by the views: number formats, truncation, word wrapping.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr as _;

/// A duration in ns, in the unit that suits it: 850 ns, 12.3 µs, 4.56 ms, 1.52 s.
pub fn dur(ns: u64) -> String {
    let n = ns as f64;
    if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        format!("{:.1} µs", n / 1e3)
    } else if ns < 1_000_000_000 {
        format!("{:.2} ms", n / 1e6)
    } else {
        format!("{:.2} s", n / 1e9)
    }
}

/// A short duration for axis labels: 0, 250µs, 1.5ms, 2s.
pub fn short_dur(ns: u64) -> String {
    let n = ns as f64;
    let trim = |v: f64, unit: &str| {
        let s = format!("{v:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        format!("{s}{unit}")
    };
    if ns == 0 {
        "0".into()
    } else if ns < 1_000 {
        format!("{ns}ns")
    } else if ns < 1_000_000 {
        trim(n / 1e3, "µs")
    } else if ns < 1_000_000_000 {
        trim(n / 1e6, "ms")
    } else {
        trim(n / 1e9, "s")
    }
}

// Numbers and byte sizes read the same on screen as in the CLI's tables.
pub use crate::units::{fmt_bytes as bytes, fmt_count as count, fmt_ms as ms, fmt_num as num};

/// Display width of `s` in cells.
pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` cut to at most `w` cells, with an ellipsis when cut.
pub fn fit(s: &str, w: usize) -> String {
    if s.width() <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw + 1 > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    out
}

/// A worker row's name at most `w` cells wide: `w3`, or with its label `w3 producer`; a
/// long label is cut with an ellipsis, the worker's number never. The one row-label rule for
/// the timeline, the Workers panel and exports.
pub fn row_name(worker: usize, label: Option<&str>, w: usize) -> String {
    let id = format!("w{worker}");
    match label {
        Some(l) if w >= id.len() + 3 => format!("{id} {}", fit(l, w - id.len() - 1)),
        _ => id,
    }
}

/// The width row names need: the widest `w{n} label` among `rows` (worker, label), at most
/// `cap` cells (at least the plain numbers' width).
pub fn row_names_width<'a>(
    rows: impl Iterator<Item = (usize, Option<&'a str>)>,
    cap: usize,
) -> usize {
    rows.map(|(w, l)| {
        let id = format!("w{w}").len();
        match l {
            Some(l) => (id + 1 + width(l)).min(cap.max(id)),
            None => id,
        }
    })
    .max()
    .unwrap_or(2)
}

/// Whole `items` joined by " · " into lines at most `w` cells wide: an item that does not
/// fit starts the next line (one wider than `w` is cut with an ellipsis, alone on its line),
/// so no value is ever cut mid-number.
pub fn fill_items(items: &[String], w: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for it in items {
        if !cur.is_empty() && cur.width() + 3 + it.width() <= w {
            cur.push_str(" · ");
            cur.push_str(it);
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        cur = fit(it, w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// `s` padded with spaces (or cut) to exactly `w` cells.
pub fn pad(s: &str, w: usize) -> String {
    let f = fit(s, w);
    let n = w.saturating_sub(f.width());
    format!("{f}{}", " ".repeat(n))
}

/// Word-wraps styled runs into lines of at most `width` cells. The first line starts with
/// `first` (a bullet), later lines with `indent` spaces.
pub fn wrap(
    runs: &[(String, Style)],
    width: usize,
    first: Span<'static>,
    indent: usize,
) -> Vec<Line<'static>> {
    let width = width.max(indent + 4);
    let mut lines = Vec::new();
    let mut cur: Vec<Span<'static>> = vec![first.clone()];
    let mut used = first.content.width();
    let start_used = |first_line: bool| {
        if first_line {
            first.content.width()
        } else {
            indent
        }
    };
    let mut first_line = true;
    for (text, style) in runs {
        for tok in tokens(text) {
            let is_space = tok.chars().all(char::is_whitespace);
            let tw = tok.width();
            if is_space {
                if used > start_used(first_line) && used + tw <= width {
                    cur.push(Span::styled(tok.to_string(), *style));
                    used += tw;
                }
                continue;
            }
            if used + tw > width && used > start_used(first_line) {
                trim_trailing_space(&mut cur);
                lines.push(Line::from(std::mem::take(&mut cur)));
                cur.push(Span::raw(" ".repeat(indent)));
                used = indent;
                first_line = false;
            }
            // A word longer than a line is cut into pieces.
            let mut rest = tok;
            while used + rest.width() > width {
                let room = width - used;
                let cut = rest
                    .char_indices()
                    .scan(0, |w, (i, c)| {
                        *w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                        Some((i + c.len_utf8(), *w))
                    })
                    .take_while(|(_, w)| *w <= room)
                    .last()
                    .map_or(0, |(i, _)| i);
                if cut == 0 {
                    break;
                }
                cur.push(Span::styled(rest[..cut].to_string(), *style));
                lines.push(Line::from(std::mem::take(&mut cur)));
                cur.push(Span::raw(" ".repeat(indent)));
                used = indent;
                first_line = false;
                rest = &rest[cut..];
            }
            cur.push(Span::styled(rest.to_string(), *style));
            used += rest.width();
        }
    }
    trim_trailing_space(&mut cur);
    lines.push(Line::from(cur));
    lines
}

fn trim_trailing_space(spans: &mut Vec<Span<'static>>) {
    while spans.len() > 1 && spans.last().is_some_and(|s| s.content.trim().is_empty()) {
        spans.pop();
    }
}

/// Splits into alternating runs of whitespace and non-whitespace.
/// Units a figure keeps on its line: "64.004 MB" wraps as one word, never "64.004" / "MB".
const UNITS: &[&str] = &[
    "ns", "µs", "ms", "s", "m", "B", "KB", "MB", "GB", "KiB", "MiB", "GiB", "TiB", "MB/s", "MiB/s",
    "%",
];

/// How many bytes of `after` (the text after a figure) join the figure: " UNIT" when a unit
/// follows, else 0.
fn unit_after(after: &str) -> usize {
    let Some(r) = after.strip_prefix(' ') else {
        return 0;
    };
    let word_end = r.find(char::is_whitespace).unwrap_or(r.len());
    let word = r[..word_end].trim_end_matches([')', ',', ';', ':', '.']);
    if UNITS.contains(&word) {
        1 + word_end
    } else {
        0
    }
}

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let ws = first.is_whitespace();
        let mut end = rest
            .char_indices()
            .find(|(_, c)| c.is_whitespace() != ws)
            .map_or(rest.len(), |(i, _)| i);
        if !ws && rest[..end].ends_with(|c: char| c.is_ascii_digit()) {
            end += unit_after(&rest[end..]);
        }
        let (tok, r) = rest.split_at(end);
        rest = r;
        Some(tok)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn row_names_keep_the_number_and_cut_the_label_whole() {
        assert_eq!(row_name(3, None, 10), "w3");
        assert_eq!(row_name(3, Some("producer"), 11), "w3 producer");
        assert_eq!(row_name(12, Some("ForkPoolWorker-3"), 10), "w12 ForkP…");
        assert_eq!(row_name(12, Some("producer"), 4), "w12");
        let rows = [(0, Some("producer")), (1, Some("consumer")), (10, None)];
        assert_eq!(row_names_width(rows.into_iter(), 20), 11);
        assert_eq!(row_names_width(rows.into_iter(), 6), 6);
    }

    #[test]
    fn a_figure_wraps_with_its_unit() {
        let runs = vec![(
            "growth 64.004 MB, then 3 items".to_string(),
            Style::default(),
        )];
        let l = wrap(&runs, 15, Span::raw(""), 0);
        assert_eq!(plain(&l), ["growth", "64.004 MB, then", "3 items"]);
    }

    #[test]
    fn wraps_at_word_boundaries_with_hanging_indent() {
        let runs = vec![("one two three four five".to_string(), Style::new())];
        let l = wrap(&runs, 10, Span::raw("• "), 2);
        assert_eq!(plain(&l), vec!["• one two", "  three", "  four", "  five"]);
    }

    #[test]
    fn long_words_are_cut() {
        let runs = vec![("abcdefghijkl".to_string(), Style::new())];
        let l = wrap(&runs, 5, Span::raw(""), 0);
        assert!(l.iter().all(|x| x.width() <= 5), "{:?}", plain(&l));
        assert_eq!(plain(&l).concat(), "abcdefghijkl");
    }

    #[test]
    fn formats() {
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(dur(1_500_000), "1.50 ms");
        assert_eq!(short_dur(1_500_000), "1.5ms");
        assert_eq!(fit("abcdef", 4), "abc…");
    }
}
