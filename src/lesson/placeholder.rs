//! `{{ expr }}` placeholders in lesson text: a measured value named in the prose, filled from
//! the student's latest run of the lesson (a dash before it), so no lesson states one
//! machine's figure as a fact. Finding, filling and checking them live here; the values come
//! from [`super::expr`].

use std::ops::Range;

use super::activity::expr_problem;
use super::body::{closes, opening};
use super::expr::{self, Expr};
use super::raw::Problem;
use crate::engine::Demo;

/// Shown for a placeholder before the first run or when its value is not measured.
pub const DASH: &str = "–";

/// Each `{{ ... }}` of `text`: its byte range (braces included) and the text inside.
pub fn find(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| i + from) {
        let Some(close) = text[open + 2..].find("}}").map(|i| i + open + 2) else {
            break;
        };
        out.push((open..close + 2, text[open + 2..close].trim()));
        from = close + 2;
    }
    out
}

/// `text` with each placeholder replaced by `value(expr)`; one that does not parse stays
/// as written (check-lessons reports it).
pub fn fill(text: &str, value: impl Fn(&Expr) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, inner) in find(text) {
        out.push_str(&text[at..range.start]);
        match expr::parse(inner) {
            Ok(e) => out.push_str(&value(&e)),
            Err(_) => out.push_str(&text[range.clone()]),
        }
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Problems of the placeholders in `text`, whose first line is file line `line`.
pub fn problems(text: &str, line: usize, demo: Option<&'static dyn Demo>) -> Vec<Problem> {
    find(text)
        .into_iter()
        .filter_map(|(range, inner)| {
            let at = line + text[..range.start].matches('\n').count();
            expr_problem(inner, None, demo)
                .err()
                .map(|m| Problem::new(at, format!("placeholder `{{{{ {inner} }}}}`: {m}")))
        })
        .collect()
}

/// Problems of the placeholders in a lesson body (first line `first_line`), outside fenced
/// code blocks, where `{{` is code.
pub fn body_problems(
    body: &str,
    first_line: usize,
    demo: Option<&'static dyn Demo>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (l, at) in body.lines().zip(first_line..) {
        match fence {
            Some((ch, len)) if closes(l, ch, len) => fence = None,
            Some(_) => {}
            None => match opening(l) {
                Some((ch, len, _)) => fence = Some((ch, len)),
                None => out.extend(problems(l, at, demo)),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos;

    #[test]
    fn finds_and_fills() {
        let t = "a {{ speedup(pool) }} b {{cores}} c {{ oops";
        let f = find(t);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].1, "speedup(pool)");
        assert_eq!(&t[f[1].0.clone()], "{{cores}}");
        assert_eq!(
            fill(t, |e| format!("[{e}]")),
            "a [speedup(pool)] b [cores] c {{ oops"
        );
        assert_eq!(fill("x {{ 1 + }} y", |_| "!".into()), "x {{ 1 + }} y");
    }

    #[test]
    fn body_problems_skip_code_and_name_lines() {
        let pool = demos::find("squaring");
        let body =
            "text {{ speedup(pool) }}\n```rust\nformat!(\"{{}}\")\n```\nbad {{ speedup(nope) }}\n";
        let ps = body_problems(body, 10, pool);
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!(ps[0].line, 14);
        assert!(
            ps[0].message.contains("unknown variant `nope`"),
            "{}",
            ps[0].message
        );
    }
}
