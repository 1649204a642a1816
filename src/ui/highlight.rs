//! A small syntax highlighter for the lessons' Python and Rust: keywords, strings, comments,
//! numbers, function and macro names. Enough for short teaching excerpts, without pulling a
//! full grammar engine into the binary.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::theme::Theme;

/// A language the highlighter knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Python 3.
    Python,
    /// Rust.
    Rust,
    /// Anything else: shown plain.
    Plain,
}

impl Lang {
    /// From a fence's info string: `python`, `py`, `rust`, `rs`.
    pub fn from_info(info: &str) -> Lang {
        match info.split([',', ' ']).next().unwrap_or("").trim() {
            "python" | "py" | "python3" => Lang::Python,
            "rust" | "rs" => Lang::Rust,
            _ => Lang::Plain,
        }
    }
}

const PY_KW: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

const RS_KW: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while",
];

/// Highlights one line of `lang` code (tabs become four spaces).
pub fn line(src: &str, lang: Lang, t: &Theme) -> Line<'static> {
    let src = src.replace('\t', "    ");
    if lang == Lang::Plain {
        return Line::styled(src, t.code);
    }
    let comment = if lang == Lang::Python { "#" } else { "//" };
    let kws = if lang == Lang::Python { PY_KW } else { RS_KW };
    let chars: Vec<char> = src.chars().collect();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut i = 0;
    let mut plain = String::new();
    let flush = |plain: &mut String, spans: &mut Vec<Span<'static>>| {
        if !plain.is_empty() {
            spans.push(Span::styled(std::mem::take(plain), t.code));
        }
    };
    let push =
        |spans: &mut Vec<Span<'static>>, s: String, st: Style| spans.push(Span::styled(s, st));
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().collect();
        if rest.starts_with(comment) {
            flush(&mut plain, &mut spans);
            push(&mut spans, rest, t.code_comment);
            break;
        }
        let is_str = c == '"' || (c == '\'' && (lang == Lang::Python || is_rust_char(&chars[i..])));
        if is_str {
            flush(&mut plain, &mut spans);
            let mut j = i + 1;
            while j < chars.len() && chars[j] != c {
                if chars[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            let end = (j + 1).min(chars.len());
            push(&mut spans, chars[i..end].iter().collect(), t.code_string);
            i = end;
            continue;
        }
        if c.is_ascii_digit()
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            flush(&mut plain, &mut spans);
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_alphanumeric() || chars[j] == '_' || chars[j] == '.')
            {
                if chars[j] == '.' && !chars.get(j + 1).is_some_and(char::is_ascii_digit) {
                    break;
                }
                j += 1;
            }
            push(&mut spans, chars[i..j].iter().collect(), t.code_number);
            i = j;
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            let next = chars.get(j).copied();
            let style = if kws.contains(&word.as_str()) {
                Some(t.code_keyword)
            } else if next == Some('(') || (lang == Lang::Rust && next == Some('!')) {
                Some(t.code_function)
            } else {
                None
            };
            match style {
                Some(st) => {
                    flush(&mut plain, &mut spans);
                    let mut w = word;
                    let mut end = j;
                    if lang == Lang::Rust && next == Some('!') {
                        w.push('!');
                        end += 1;
                    }
                    push(&mut spans, w, st);
                    i = end;
                }
                None => {
                    plain.push_str(&word);
                    i = j;
                }
            }
            continue;
        }
        plain.push(c);
        i += 1;
    }
    flush(&mut plain, &mut spans);
    Line::from(spans)
}

/// A Rust `'x'` / `'\n'` char literal (not a lifetime `'a`).
fn is_rust_char(s: &[char]) -> bool {
    matches!(
        s,
        ['\'', '\\', _, '\'', ..] | ['\'', _, '\'', ..] | ['\'', '\\', 'u', ..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::theme::ThemeKind;

    fn parts(src: &str, lang: Lang) -> Vec<(String, bool)> {
        let t = Theme::new(ThemeKind::Dark);
        line(src, lang, &t)
            .spans
            .iter()
            .map(|s| (s.content.to_string(), s.style == t.code_keyword))
            .collect()
    }

    #[test]
    fn keywords_strings_comments() {
        let p = parts("def f(x): return \"a#b\"  # note", Lang::Python);
        assert_eq!(p[0], ("def".into(), true));
        assert!(p.iter().any(|(s, _)| s == "\"a#b\""));
        assert_eq!(p.last().unwrap().0, "# note");
        let r = parts("fn main<'a>() { let c = 'x'; }", Lang::Rust);
        assert!(r.iter().any(|(s, _)| s == "'x'"));
        assert!(r.iter().any(|(s, k)| s == "let" && *k));
        let text: String = r.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(text, "fn main<'a>() { let c = 'x'; }");
    }
}
