//! Reading one `exercise.toml`: every key checked, every problem at the file line of the key it
//! is about (a missing key at line 1), so an author fixes them all in one pass.

use serde::Deserialize;
use toml::Spanned;

use super::{CheckSpec, DEFAULT_MAX_RSS_MIB, DEFAULT_TIME_LIMIT_S, Input, Language, Pass, Problem};

/// The metadata of an exercise: everything but its programs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// Id.
    pub id: String,
    /// Lesson id.
    pub lesson: String,
    /// Title.
    pub title: String,
    /// Language.
    pub language: Language,
    /// Task.
    pub task: String,
    /// Hints.
    pub hints: Vec<String>,
    /// Arguments.
    pub input: Input,
    /// Grading.
    pub check: CheckSpec,
    /// Line of `id` and of `lesson`, for later checks (duplicates, unknown lessons).
    pub lines: (usize, usize),
}

type S<T> = Option<Spanned<T>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: S<String>,
    lesson: S<String>,
    title: S<String>,
    language: S<String>,
    task: S<String>,
    hints: S<Vec<Spanned<String>>>,
    input: Option<RawInput>,
    check: Option<RawCheck>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInput {
    seed: S<i64>,
    size: S<i64>,
    test_size: S<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    pass: S<String>,
    time_limit_s: S<i64>,
    max_rss_mib: S<i64>,
}

/// 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    1 + text
        .get(..offset.min(text.len()))
        .unwrap_or("")
        .matches('\n')
        .count()
}

struct Checks<'a> {
    source: &'a str,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Checks<'_> {
    fn add(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem {
            source: self.source.to_string(),
            line,
            message: message.into(),
        });
    }

    fn line<T>(&self, s: &Spanned<T>) -> usize {
        line_of(self.text, s.span().start)
    }

    /// A required non-empty string and its line.
    fn text_key(&mut self, v: S<String>, key: &str) -> (String, usize) {
        match v {
            None => {
                self.add(1, format!("missing `{key}`"));
                (String::new(), 1)
            }
            Some(s) => {
                let line = self.line(&s);
                let t = s.into_inner().trim().to_string();
                if t.is_empty() {
                    self.add(line, format!("`{key}` is empty"));
                }
                (t, line)
            }
        }
    }

    /// A positive integer: required when `default` is `None`.
    fn number(&mut self, v: S<i64>, key: &str, default: Option<u64>) -> u64 {
        match (v, default) {
            (None, Some(d)) => d,
            (None, None) => {
                self.add(1, format!("missing `{key}`"));
                1
            }
            (Some(n), _) => {
                let line = self.line(&n);
                match u64::try_from(*n.get_ref()) {
                    Ok(v) if v > 0 => v,
                    _ => {
                        self.add(line, format!("`{key}` must be a positive whole number"));
                        1
                    }
                }
            }
        }
    }
}

/// Parses `text` (the file named `source` in messages).
pub fn parse(source: &str, text: &str) -> Result<Meta, Vec<Problem>> {
    let mut c = Checks {
        source,
        text,
        problems: Vec::new(),
    };
    let raw: RawMeta = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            c.add(line, e.message().trim().to_string());
            return Err(c.problems);
        }
    };
    let (id, id_line) = c.text_key(raw.id, "id");
    if !id.is_empty() && !is_slug(&id) {
        c.add(
            id_line,
            format!("id `{id}` must be kebab-case: lowercase letters, digits and `-`"),
        );
    }
    let (lesson, lesson_line) = c.text_key(raw.lesson, "lesson");
    let (title, _) = c.text_key(raw.title, "title");
    let (task, _) = c.text_key(raw.task, "task");
    let language = language(&mut c, raw.language);
    let hints = hints(&mut c, raw.hints);
    let input = match raw.input {
        None => {
            c.add(1, "missing `[input]` (seed, size, test_size)");
            Input {
                seed: 1,
                size: 1,
                test_size: 1,
            }
        }
        Some(i) => Input {
            seed: c.number(i.seed, "seed", None),
            size: c.number(i.size, "size", None),
            test_size: c.number(i.test_size, "test_size", None),
        },
    };
    let check = check(&mut c, raw.check);
    if !c.problems.is_empty() {
        c.problems.sort_by_key(|p| p.line);
        return Err(c.problems);
    }
    Ok(Meta {
        id,
        lesson,
        title,
        language,
        task,
        hints,
        input,
        check,
        lines: (id_line, lesson_line),
    })
}

fn language(c: &mut Checks<'_>, v: S<String>) -> Language {
    let (name, line) = c.text_key(v, "language");
    match name.as_str() {
        "python" => Language::Python,
        "rust" => Language::Rust,
        "" => Language::Python,
        other => {
            c.add(
                line,
                format!("unknown language `{other}` (known: python, rust)"),
            );
            Language::Python
        }
    }
}

fn hints(c: &mut Checks<'_>, v: S<Vec<Spanned<String>>>) -> Vec<String> {
    let Some(hs) = v else {
        c.add(
            1,
            "missing `hints` (a list of at least one hint, gentlest first)",
        );
        return Vec::new();
    };
    let line = c.line(&hs);
    let hs = hs.into_inner();
    if hs.is_empty() {
        c.add(line, "`hints` is empty: give at least one hint");
    }
    let mut out = Vec::new();
    for (i, h) in hs.into_iter().enumerate() {
        let hl = c.line(&h);
        let h = h.into_inner().trim().to_string();
        if h.is_empty() {
            c.add(hl, format!("hint {} is empty", i + 1));
        }
        out.push(h);
    }
    out
}

fn check(c: &mut Checks<'_>, v: Option<RawCheck>) -> CheckSpec {
    let Some(v) = v else {
        return CheckSpec {
            pass: Pass::Reference,
            time_limit_s: DEFAULT_TIME_LIMIT_S,
            max_rss_mib: DEFAULT_MAX_RSS_MIB,
        };
    };
    let pass = match v.pass {
        None => Pass::Reference,
        Some(p) => {
            let line = c.line(&p);
            match p.get_ref().as_str() {
                "correct" => Pass::Correct,
                "faster" => Pass::Faster,
                "reference" => Pass::Reference,
                "close" => Pass::Close,
                other => {
                    c.add(
                        line,
                        format!(
                            "unknown pass `{other}` (known: correct, faster, reference, close)"
                        ),
                    );
                    Pass::Reference
                }
            }
        }
    };
    CheckSpec {
        pass,
        time_limit_s: c.number(v.time_limit_s, "time_limit_s", Some(DEFAULT_TIME_LIMIT_S)),
        max_rss_mib: c.number(v.max_rss_mib, "max_rss_mib", Some(DEFAULT_MAX_RSS_MIB)),
    }
}

fn is_slug(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "id = \"a-b\"\nlesson = \"lock\"\ntitle = \"T\"\nlanguage = \"rust\"\n\
        task = \"Do it.\"\nhints = [\"one\"]\n[input]\nseed = 7\nsize = 100\ntest_size = 10\n\
        [check]\npass = \"correct\"\ntime_limit_s = 5\n";

    #[test]
    fn a_good_file_parses_with_defaults() {
        let m = parse("x.toml", GOOD).unwrap();
        assert_eq!(m.id, "a-b");
        assert_eq!(m.language, Language::Rust);
        assert_eq!(m.check.pass, Pass::Correct);
        assert_eq!(m.check.time_limit_s, 5);
        assert_eq!(m.check.max_rss_mib, DEFAULT_MAX_RSS_MIB);
        assert_eq!(m.input.size, 100);
        assert_eq!(m.lines, (1, 2));
    }

    #[test]
    fn every_problem_is_named_at_its_line() {
        let bad = GOOD
            .replace("\"rust\"", "\"go\"")
            .replace("[\"one\"]", "[]")
            .replace("size = 100", "size = -3");
        let ps = parse("x.toml", &bad).unwrap_err();
        let got: Vec<String> = ps.iter().map(ToString::to_string).collect();
        assert!(got.contains(&"x.toml:4: unknown language `go` (known: python, rust)".into()));
        assert!(
            got.iter()
                .any(|p| p.starts_with("x.toml:6: `hints` is empty"))
        );
        assert!(
            got.iter().any(|p| p.starts_with("x.toml:9: `size`")),
            "{got:?}"
        );
    }

    #[test]
    fn syntax_errors_and_unknown_keys_have_lines() {
        let ps = parse("x.toml", "id = \"a\"\ntitel = \"x\"\n").unwrap_err();
        assert_eq!(ps[0].line, 2, "{ps:?}");
        let ps = parse("x.toml", "id = \"a\"\n\nlesson = \n").unwrap_err();
        assert_eq!(ps[0].line, 3, "{ps:?}");
        let ps = parse("x.toml", "id = \"a\"\n").unwrap_err();
        assert!(ps.iter().any(|p| p.message == "missing `lesson`"));
    }
}
