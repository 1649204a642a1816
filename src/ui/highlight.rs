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
    let chars: Vec<char> = src.chars().collect();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        let (end, kind) = token(&chars, i, lang);
        let text: String = chars[i..end].iter().collect();
        match kind.style(t) {
            None => plain.push_str(&text),
            Some(st) => {
                if !plain.is_empty() {
                    spans.push(Span::styled(std::mem::take(&mut plain), t.code));
                }
                spans.push(Span::styled(text, st));
            }
        }
        i = end;
    }
    if !plain.is_empty() {
        spans.push(Span::styled(plain, t.code));
    }
    Line::from(spans)
}

/// What a token of code is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Plain,
    Comment,
    Str,
    Number,
    Keyword,
    Function,
}

impl Kind {
    /// Its style; `None` for plain code (runs of it are joined).
    fn style(self, t: &Theme) -> Option<Style> {
        match self {
            Kind::Plain => None,
            Kind::Comment => Some(t.code_comment),
            Kind::Str => Some(t.code_string),
            Kind::Number => Some(t.code_number),
            Kind::Keyword => Some(t.code_keyword),
            Kind::Function => Some(t.code_function),
        }
    }
}

/// The token starting at `chars[i]`: where it ends, and what it is.
fn token(chars: &[char], i: usize, lang: Lang) -> (usize, Kind) {
    let c = chars[i];
    let comment: &[char] = if lang == Lang::Python {
        &['#']
    } else {
        &['/', '/']
    };
    if chars[i..].starts_with(comment) {
        return (chars.len(), Kind::Comment);
    }
    let is_str = c == '"' || (c == '\'' && (lang == Lang::Python || is_rust_char(&chars[i..])));
    if is_str {
        let mut j = i + 1;
        while j < chars.len() && chars[j] != c {
            if chars[j] == '\\' {
                j += 1;
            }
            j += 1;
        }
        return ((j + 1).min(chars.len()), Kind::Str);
    }
    let after_word = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    if c.is_ascii_digit() && !after_word {
        let mut j = i;
        while j < chars.len()
            && (chars[j].is_ascii_alphanumeric() || chars[j] == '_' || chars[j] == '.')
        {
            if chars[j] == '.' && !chars.get(j + 1).is_some_and(char::is_ascii_digit) {
                break;
            }
            j += 1;
        }
        return (j, Kind::Number);
    }
    if c.is_alphabetic() || c == '_' {
        let mut j = i;
        while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
            j += 1;
        }
        let word: String = chars[i..j].iter().collect();
        let kws = if lang == Lang::Python { PY_KW } else { RS_KW };
        let next = chars.get(j).copied();
        let bang = lang == Lang::Rust && next == Some('!');
        let kind = if kws.contains(&word.as_str()) {
            Kind::Keyword
        } else if next == Some('(') || bang {
            Kind::Function
        } else {
            return (j, Kind::Plain);
        };
        return (if bang { j + 1 } else { j }, kind);
    }
    (i + 1, Kind::Plain)
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
