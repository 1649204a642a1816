//! Turning a set of lesson files into a [`LessonSet`]: order by file name, parse each, reject
//! duplicate ids, and (for the embedded set) add a built-in lesson for every demo no file
//! covers.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;

use super::raw::{self, Problem};
use super::{BrokenLesson, Check, Lesson, LessonSet, body, front};
use crate::demos;

/// `Lesson::source` prefix of a lesson file compiled into the binary.
pub const EMBEDDED_PREFIX: &str = "embedded:";

/// `Lesson::source` prefix of a lesson made from a demo's own description.
pub const BUILTIN_PREFIX: &str = "built-in:";

/// The shipped `lessons/*.md`: (file name, contents), written by `build.rs`.
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_lessons.rs"));

/// A set with every problem found along the way.
pub struct Loaded {
    /// Good and broken lessons.
    pub set: LessonSet,
    /// Every problem, for `check-lessons`.
    pub check: Check,
}

/// One file to load: its name (for ordering), how messages name it, and its text (or why it
/// could not be read).
struct File {
    name: String,
    source: String,
    text: Result<String, String>,
}

/// The `NN` of an `NN-slug.md` file name.
fn number_prefix(name: &str) -> Option<u64> {
    let (n, _) = name.split_once('-')?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

fn broken(source: &str, p: Problem) -> BrokenLesson {
    BrokenLesson {
        source: source.to_string(),
        line: p.line,
        message: p.message,
    }
}

/// Parses one file's text.
pub fn parse_one(source: &str, text: &str) -> Result<Lesson, Vec<BrokenLesson>> {
    parse_lines(source, text).map(|(l, _)| l)
}

/// Parses one file's text; also returns the line of its `id` key.
fn parse_lines(source: &str, text: &str) -> Result<(Lesson, usize), Vec<BrokenLesson>> {
    let all = |ps: Vec<Problem>| ps.into_iter().map(|p| broken(source, p)).collect();
    let raw = raw::split(text).map_err(|p| all(vec![p]))?;
    let header = front::header(&raw);
    let blocks = body::blocks(raw.body, raw.body_line);
    let (header, blocks) = match (header, blocks) {
        (Ok(h), Ok(b)) => (h, b),
        (h, b) => {
            let mut ps = h.err().unwrap_or_default();
            ps.extend(b.err());
            return Err(all(ps));
        }
    };
    let id_line = header.id_line;
    let lesson = Lesson {
        number: 1,
        id: header.id,
        title: header.title,
        summary: header.summary,
        demo: header.demo,
        params: header.params,
        blocks,
        source: source.to_string(),
        claims: header.claims,
        predictions: header.predictions,
        challenges: header.challenges,
        quizzes: header.quizzes,
        instructor_notes: header.instructor_notes,
    };
    Ok((lesson, id_line))
}

/// Loads `files`: sorted by number prefix then name, duplicates rejected, numbered.
fn load(mut files: Vec<File>) -> Loaded {
    files.sort_by(|a, b| {
        let key = |f: &File| (number_prefix(&f.name).unwrap_or(u64::MAX), f.name.clone());
        key(a).cmp(&key(b))
    });
    let mut set = LessonSet::default();
    let mut check = Check::default();
    let mut ids: HashMap<String, (String, usize)> = HashMap::new();
    for f in files {
        let text = match f.text {
            Ok(t) => t,
            Err(e) => {
                let b = broken(&f.source, Problem::new(1, format!("cannot read: {e}")));
                check.problems.push(b.clone());
                set.broken.push(b);
                continue;
            }
        };
        let mut result = parse_lines(&f.source, &text);
        if let Ok((lesson, id_line)) = &result {
            let id_line = *id_line;
            if let Some((other, line)) = ids.get(&lesson.id) {
                result = Err(vec![broken(
                    &f.source,
                    Problem::new(
                        id_line,
                        format!("duplicate id `{}`: {other}:{line} uses it too", lesson.id),
                    ),
                )]);
            } else {
                ids.insert(lesson.id.clone(), (f.source.clone(), id_line));
            }
        }
        match result {
            Ok((mut lesson, _)) => {
                check.ok += 1;
                lesson.number = set.lessons.len() + 1;
                set.lessons.push(lesson);
            }
            Err(problems) => {
                if let Some(first) = problems.first() {
                    set.broken.push(first.clone());
                }
                check.problems.extend(problems);
            }
        }
    }
    Loaded { set, check }
}

/// Every `*.md` file in `dir`.
pub fn dir(dir: &Path) -> anyhow::Result<Loaded> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read lessons from {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") || !path.is_file() {
            continue;
        }
        files.push(File {
            name: entry.file_name().to_string_lossy().into_owned(),
            source: path.display().to_string(),
            text: std::fs::read_to_string(&path).map_err(|e| e.to_string()),
        });
    }
    Ok(load(files))
}

/// The embedded lesson files, plus a built-in lesson for each demo without one.
pub fn embedded() -> Loaded {
    let files = EMBEDDED
        .iter()
        .map(|(name, text)| File {
            name: (*name).to_string(),
            source: format!("{EMBEDDED_PREFIX}lessons/{name}"),
            text: Ok((*text).to_string()),
        })
        .collect();
    let mut loaded = load(files);
    add_builtins(&mut loaded);
    loaded
}

/// Inserts a built-in lesson for every registered demo that no good lesson runs, right
/// after the last lesson whose demo comes earlier in the registry (which is in lesson
/// order), then renumbers.
fn add_builtins(loaded: &mut Loaded) {
    let order: HashMap<&str, usize> = demos::all()
        .iter()
        .enumerate()
        .map(|(i, d)| (d.info().id, i))
        .collect();
    let lessons = std::mem::take(&mut loaded.set.lessons);
    // (position key, tie-break, lesson): file lessons keep their order.
    let mut keyed: Vec<((usize, usize), Lesson)> = lessons
        .iter()
        .enumerate()
        .map(|(i, l)| ((i + 1, 0), l.clone()))
        .collect();
    for (r, d) in demos::all().iter().enumerate() {
        let info = d.info();
        if lessons.iter().any(|l| l.demo == info.id) {
            continue;
        }
        loaded.check.uncovered_demos.push(info.id.to_string());
        let after = lessons
            .iter()
            .rposition(|l| order.get(l.demo.as_str()).is_some_and(|&o| o < r))
            .map_or(0, |i| i + 1);
        let id = if lessons.iter().any(|l| l.id == info.id) {
            format!("demo-{}", info.id)
        } else {
            info.id.to_string()
        };
        keyed.push(((after, r + 1), builtin(info, id)));
    }
    keyed.sort_by_key(|(k, _)| *k);
    loaded.set.lessons = keyed
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut l))| {
            l.number = i + 1;
            l
        })
        .collect();
}

/// A lesson made from a demo's description, clearly marked as such.
fn builtin(info: &crate::engine::DemoInfo, id: String) -> Lesson {
    let mut text = format!(
        "# {}\n\n{}\n\n*This is a built-in description: no lesson file has been written for \
         this demo yet. Run it to see what it does.*\n",
        info.title, info.summary
    );
    text.push_str("\n## Variants\n\n");
    for v in &info.variants {
        text.push_str(&format!("- **{}**: {}\n", v.name, v.help));
    }
    if !info.params.is_empty() {
        text.push_str("\n## Parameters\n\n");
        for p in &info.params {
            text.push_str(&format!(
                "- **{}** ({}, default {}): {}\n",
                p.name,
                p.range_text(),
                p.default_value(),
                p.help
            ));
        }
    }
    Lesson {
        id,
        title: info.title.to_string(),
        summary: info.summary.to_string(),
        demo: info.id.to_string(),
        blocks: vec![super::Block::Text(text)],
        source: format!("{BUILTIN_PREFIX}{}", info.id),
        ..Lesson::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> File {
        File {
            name: name.into(),
            source: format!("d/{name}"),
            text: Ok(text.into()),
        }
    }

    fn lesson(id: &str, demo: &str) -> String {
        format!("+++\nid = \"{id}\"\ntitle = \"T {id}\"\ndemo = \"{demo}\"\n+++\n# T\n")
    }

    #[test]
    fn ordered_by_number_prefix_and_numbered() {
        let l = load(vec![
            file("10-b.md", &lesson("b", "pool")),
            file("2-a.md", &lesson("a", "squaring")),
            file("notes.md", &lesson("c", "pool")),
        ]);
        let ids: Vec<(usize, &str)> = l
            .set
            .lessons
            .iter()
            .map(|l| (l.number, l.id.as_str()))
            .collect();
        assert_eq!(ids, [(1, "a"), (2, "b"), (3, "c")]);
        assert!(l.set.broken.is_empty());
        assert_eq!(l.check.ok, 3);
    }

    #[test]
    fn a_bad_file_does_not_hide_the_others() {
        let l = load(vec![
            file("01-a.md", &lesson("a", "squaring")),
            file("02-bad.md", "no header\n"),
            file("03-c.md", &lesson("c", "pool")),
        ]);
        let ids: Vec<(usize, &str)> = l
            .set
            .lessons
            .iter()
            .map(|l| (l.number, l.id.as_str()))
            .collect();
        assert_eq!(ids, [(1, "a"), (2, "c")]);
        assert_eq!(l.set.broken.len(), 1);
        assert_eq!(l.set.broken[0].source, "d/02-bad.md");
        assert_eq!(l.set.broken[0].line, 1);
    }

    #[test]
    fn duplicate_ids_name_the_first_file() {
        let l = load(vec![
            file("01-a.md", &lesson("a", "squaring")),
            file("02-a.md", &lesson("a", "pool")),
        ]);
        assert_eq!(l.set.lessons.len(), 1);
        let b = &l.set.broken[0];
        assert_eq!(
            b.to_string(),
            "d/02-a.md:2: duplicate id `a`: d/01-a.md:2 uses it too"
        );
    }

    #[test]
    fn builtins_fill_in_uncovered_demos_in_registry_order() {
        let mut l = load(vec![file("03-pool.md", &lesson("p", "pool"))]);
        add_builtins(&mut l);
        let got: Vec<(usize, &str, bool)> = l
            .set
            .lessons
            .iter()
            .map(|l| (l.number, l.demo.as_str(), l.is_builtin()))
            .collect();
        assert_eq!(got[0], (1, "squaring", true));
        assert!(got.iter().any(|g| g.1 == "pool" && !g.2), "{got:?}");
        assert_eq!(got.len(), demos::all().len());
        assert!(l.check.uncovered_demos.contains(&"squaring".to_string()));
    }

    #[test]
    fn number_prefixes() {
        assert_eq!(number_prefix("01-why.md"), Some(1));
        assert_eq!(number_prefix("12-x-y.md"), Some(12));
        assert_eq!(number_prefix("why.md"), None);
        assert_eq!(number_prefix("-x.md"), None);
        assert_eq!(number_prefix("a1-x.md"), None);
    }
}
