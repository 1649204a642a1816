//! The front matter: TOML read into a strict struct (unknown keys are errors), then checked
//! against the demo registry. Every error carries the line of the key it is about.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::raw::{Problem, Raw};
use crate::demos;
use crate::engine::admission;
use crate::engine::{Params, SetError};

/// The RAM a lesson's memory is admitted against: any machine's, so the budget is the cap and
/// a lesson is valid or not wherever it is checked.
const LESSON_RAM: u64 = u64::MAX;

/// The front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    demo: Option<Spanned<String>>,
    params: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    #[serde(default)]
    predictions: Vec<toml::Table>,
    #[serde(default)]
    challenges: Vec<toml::Table>,
    #[serde(default)]
    quizzes: Vec<toml::Table>,
    instructor_notes: Option<String>,
}

/// The checked front matter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    /// Unique slug.
    pub id: String,
    /// File line of the `id` key (for duplicate-id errors).
    pub id_line: usize,
    /// Title.
    pub title: String,
    /// One line; empty when not given.
    pub summary: String,
    /// A registered demo id.
    pub demo: String,
    /// Parameters as written, in file order, each valid for the demo.
    pub params: Vec<(String, String)>,
    /// Kept for the exercises.
    pub predictions: Vec<toml::Table>,
    /// Kept for the exercises.
    pub challenges: Vec<toml::Table>,
    /// Kept for the exercises.
    pub quizzes: Vec<toml::Table>,
    /// Kept for the classroom issue.
    pub instructor_notes: Option<String>,
}

/// Reads and checks the front matter of `raw`; every problem found, in line order.
pub fn header(raw: &Raw<'_>) -> Result<Header, Vec<Problem>> {
    let front: Front = toml::from_str(raw.front).map_err(|e| {
        let line = e.span().map_or(1, |s| raw.front_line_of(s.start));
        let message = e.message().trim().replace('\n', "; ");
        vec![Problem::new(line, format!("front matter: {message}"))]
    })?;
    let mut problems = Vec::new();
    let line_of = |s: &Spanned<String>| raw.front_line_of(s.span().start);
    // Missing required keys are reported at the opening `+++` (line 1).
    let mut required = |v: &Option<Spanned<String>>, key: &str| -> (String, usize) {
        match v {
            None => {
                problems.push(Problem::new(
                    1,
                    format!("missing `{key}` in the front matter"),
                ));
                (String::new(), 1)
            }
            Some(s) if s.get_ref().trim().is_empty() => {
                problems.push(Problem::new(line_of(s), format!("`{key}` is empty")));
                (String::new(), line_of(s))
            }
            Some(s) => (s.get_ref().trim().to_string(), line_of(s)),
        }
    };
    let (id, id_line) = required(&front.id, "id");
    let (title, _) = required(&front.title, "title");
    let (demo, demo_line) = required(&front.demo, "demo");
    if !id.is_empty() && !is_slug(&id) {
        problems.push(Problem::new(
            id_line,
            format!("id `{id}` must be a slug: lowercase letters, digits and `-`"),
        ));
    }
    let found = if demo.is_empty() {
        None
    } else {
        match demos::find(&demo) {
            Some(d) => Some(d),
            None => {
                problems.push(Problem::new(
                    demo_line,
                    format!(
                        "unknown demo `{demo}` (known demos: {})",
                        demos::ids().join(", ")
                    ),
                ));
                None
            }
        }
    };
    let mut written: Vec<(&Spanned<String>, &Spanned<toml::Value>)> =
        front.params.iter().flatten().collect();
    written.sort_by_key(|(k, _)| k.span().start);
    let mut params = Vec::new();
    // The demo, the values so far and the worker count (one unless the lesson sets it).
    let mut admitted = found.map(|d| (d, Params::defaults(&d.info().params), 1usize));
    for (key, value) in written {
        let line = line_of(key);
        let name = key.get_ref();
        let text = match value.get_ref() {
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::String(s) => s.clone(),
            other => {
                problems.push(Problem::new(
                    line,
                    format!(
                        "parameter `{name}` must be a number or a word, not a {}",
                        other.type_str()
                    ),
                ));
                continue;
            }
        };
        if let Some((d, values, workers)) = admitted.as_mut() {
            // The admission rule the TUI applies to the same settings when the lesson runs.
            match admission::set(*d, values, workers, name, &text) {
                Ok(()) => {}
                Err(SetError::Unknown { known, .. }) => problems.push(Problem::new(
                    line,
                    format!("demo `{demo}` has no parameter `{name}` (it has: {known})"),
                )),
                Err(SetError::Range(e)) => {
                    problems.push(Problem::new(line, format!("demo `{demo}`: {e}")));
                }
            }
        }
        params.push((name.clone(), text));
    }
    if problems.is_empty()
        && let Some((d, values, workers)) = &admitted
        && let Err(e) = admission::admit(*d, values, *workers, LESSON_RAM)
    {
        problems.push(Problem::new(demo_line, format!("demo `{demo}`: {e}")));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(problems);
    }
    Ok(Header {
        id,
        id_line,
        title,
        summary: front
            .summary
            .map(|s| s.into_inner().trim().to_string())
            .unwrap_or_default(),
        demo,
        params,
        predictions: front.predictions,
        challenges: front.challenges,
        quizzes: front.quizzes,
        instructor_notes: front.instructor_notes,
    })
}

fn is_slug(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::super::raw;
    use super::*;

    fn check(text: &str) -> Result<Header, Vec<Problem>> {
        header(&raw::split(text).unwrap())
    }

    fn first(text: &str) -> Problem {
        check(text).unwrap_err().remove(0)
    }

    #[test]
    fn a_good_header() {
        let h = check(
            "+++\nid = \"pool\"\ntitle = \"Pool\"\ndemo = \"pool\"\n[params]\nwork = \"heavy\"\nsize = 1000\n\n[[quizzes]]\nq = \"?\"\n+++\n",
        )
        .unwrap();
        assert_eq!(h.id, "pool");
        assert_eq!(h.id_line, 2);
        assert_eq!(
            h.params,
            vec![
                ("work".into(), "heavy".into()),
                ("size".into(), "1000".into())
            ]
        );
        assert_eq!(h.quizzes.len(), 1);
        assert_eq!(h.summary, "");
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let p = first("+++\nid = \"a\"\ntitle = \"b\"\ndemo = \"pool\"\ncolour = \"red\"\n+++\n");
        assert_eq!(p.line, 5);
        assert!(
            p.message.contains("unknown field `colour`"),
            "{}",
            p.message
        );
    }

    #[test]
    fn toml_syntax_error_points_at_its_line() {
        let p = first("+++\nid = \"a\"\ntitle = \"b\n+++\n");
        assert_eq!(p.line, 3);
        assert!(p.message.starts_with("front matter:"), "{}", p.message);
    }

    #[test]
    fn missing_fields_are_all_reported_at_the_opening_line() {
        let ps = check("+++\nsummary = \"s\"\n+++\n").unwrap_err();
        let msgs: Vec<&str> = ps.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "missing `id` in the front matter",
                "missing `title` in the front matter",
                "missing `demo` in the front matter"
            ]
        );
        assert!(ps.iter().all(|p| p.line == 1));
    }

    #[test]
    fn demo_and_parameters_are_checked() {
        let p = first("+++\nid = \"a\"\ntitle = \"b\"\ndemo = \"nope\"\n+++\n");
        assert_eq!(p.line, 4);
        assert!(p.message.contains("unknown demo `nope`"));
        assert!(p.message.contains("squaring"));
        let ps = check(
            "+++\nid = \"a\"\ntitle = \"b\"\ndemo = \"pool\"\n[params]\nsize = 2000000000\ncolour = 3\nwork = true\n+++\n",
        )
        .unwrap_err();
        assert_eq!(ps.len(), 3);
        assert_eq!(ps[0].line, 6);
        assert!(ps[0].message.contains("size = 2000000000 is not allowed"));
        assert_eq!(ps[1].line, 7);
        assert!(ps[1].message.contains("no parameter `colour`"));
        assert_eq!(ps[2].line, 8);
        assert!(ps[2].message.contains("not a boolean"));
    }

    #[test]
    fn workers_and_memory_follow_the_admission_rule() {
        let head = "+++\nid = \"a\"\ntitle = \"b\"\ndemo = \"squaring\"\n[params]\n";
        assert!(check(&format!("{head}workers = 4\n+++\n")).is_ok());
        let p = first(&format!("{head}workers = 0\n+++\n"));
        assert_eq!(p.line, 6);
        assert!(
            p.message.contains("workers = 0 is not allowed"),
            "{}",
            p.message
        );
        let p = first(&format!("{head}size = 4000000000\n+++\n"));
        assert_eq!(p.line, 4);
        assert!(p.message.contains("59.6 GiB"), "{}", p.message);
        assert!(p.message.contains("16.0 GiB"), "{}", p.message);
    }

    #[test]
    fn ids_must_be_slugs() {
        let p = first("+++\nid = \"My Lesson\"\ntitle = \"b\"\ndemo = \"pool\"\n+++\n");
        assert_eq!(p.line, 2);
    }
}
