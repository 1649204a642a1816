//! Finding the exercises: the folders compiled into the binary, or an author's
//! `--exercises DIR`; each folder parsed, its programs read, ids checked against folder names
//! and each other. A bad folder is reported and skipped; the others still load.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::Context as _;

use super::parse::{self, Meta};
use super::{Exercise, Language, Problem, Sources};

/// `Exercise::source` prefix of an exercise compiled into the binary.
pub const EMBEDDED_PREFIX: &str = "embedded:";

/// The shipped `exercises/*/*`: (folder, file name, contents), written by `build.rs`.
const EMBEDDED: &[(&str, &str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/embedded_exercises.rs"));

/// The exercises found, and every problem found along the way.
#[derive(Clone, Debug, Default)]
pub struct ExerciseSet {
    /// Valid exercises, in folder order.
    pub exercises: Vec<Exercise>,
    /// Every problem, `file:line: message`.
    pub problems: Vec<Problem>,
}

impl ExerciseSet {
    /// The exercise with id `id`.
    pub fn get(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }

    /// The ids, for "unknown exercise" messages.
    pub fn ids(&self) -> Vec<&str> {
        self.exercises.iter().map(|e| e.id.as_str()).collect()
    }

    /// Adds a problem for every exercise whose lesson is not in `lessons`, at its `lesson`
    /// line (the authors' check knows the lesson set; loading does not).
    pub fn check_lessons(&mut self, lessons: &[&str], lines: &HashMap<String, usize>) {
        for e in &self.exercises {
            if !lessons.contains(&e.lesson.as_str()) {
                self.problems.push(Problem {
                    source: e.source.clone(),
                    line: lines.get(&e.id).copied().unwrap_or(1),
                    message: format!("unknown lesson `{}`", e.lesson),
                });
            }
        }
    }
}

/// One folder: its name, how messages name it, and its files (name → text or why unreadable).
struct Folder {
    name: String,
    source: String,
    files: BTreeMap<String, Result<String, String>>,
}

/// The exercises built into parlab.
pub fn embedded() -> ExerciseSet {
    embedded_with_lines().0
}

/// [`embedded`], with each exercise's `lesson` line.
pub fn embedded_with_lines() -> (ExerciseSet, HashMap<String, usize>) {
    let mut folders: BTreeMap<&str, Folder> = BTreeMap::new();
    for (folder, name, text) in EMBEDDED {
        folders
            .entry(folder)
            .or_insert_with(|| Folder {
                name: (*folder).to_string(),
                source: format!("{EMBEDDED_PREFIX}exercises/{folder}/exercise.toml"),
                files: BTreeMap::new(),
            })
            .files
            .insert((*name).to_string(), Ok((*text).to_string()));
    }
    load(folders.into_values().collect())
}

/// The exercises in `dir`: every sub-folder holding an `exercise.toml`.
pub fn load_dir(dir: &Path) -> anyhow::Result<ExerciseSet> {
    Ok(dir_with_lines(dir)?.0)
}

/// [`load_dir`], with each exercise's `lesson` line.
pub fn dir_with_lines(dir: &Path) -> anyhow::Result<(ExerciseSet, HashMap<String, usize>)> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read exercises from {}", dir.display()))?;
    let mut folders = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if !path.join("exercise.toml").is_file() {
            continue;
        }
        let mut files = BTreeMap::new();
        for f in
            std::fs::read_dir(&path).with_context(|| format!("cannot list {}", path.display()))?
        {
            let p = f
                .with_context(|| format!("cannot list {}", path.display()))?
                .path();
            if p.is_file() {
                let name = p
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, std::fs::read_to_string(&p).map_err(|e| e.to_string()));
            }
        }
        folders.push(Folder {
            name: path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            source: path.join("exercise.toml").display().to_string(),
            files,
        });
    }
    folders.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(load(folders))
}

fn load(folders: Vec<Folder>) -> (ExerciseSet, HashMap<String, usize>) {
    let mut set = ExerciseSet::default();
    let mut lesson_lines = HashMap::new();
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    for f in folders {
        match one(&f) {
            Ok((e, meta)) => {
                if let Some((other, line)) = seen.get(&e.id) {
                    set.problems.push(Problem {
                        source: f.source.clone(),
                        line: meta.lines.0,
                        message: format!("duplicate id `{}`: {other}:{line} uses it too", e.id),
                    });
                    continue;
                }
                seen.insert(e.id.clone(), (f.source.clone(), meta.lines.0));
                lesson_lines.insert(e.id.clone(), meta.lines.1);
                set.exercises.push(e);
            }
            Err(ps) => set.problems.extend(ps),
        }
    }
    (set, lesson_lines)
}

/// The `ID` of an `NN-ID` folder name.
fn folder_id(name: &str) -> Option<&str> {
    let (n, id) = name.split_once('-')?;
    (n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()) && !id.is_empty()).then_some(id)
}

fn one(f: &Folder) -> Result<(Exercise, Meta), Vec<Problem>> {
    let at = |line: usize, message: String| Problem {
        source: f.source.clone(),
        line,
        message,
    };
    let text = match f.files.get("exercise.toml") {
        Some(Ok(t)) => t,
        Some(Err(e)) => return Err(vec![at(1, format!("cannot read: {e}"))]),
        None => return Err(vec![at(1, "missing exercise.toml".into())]),
    };
    let meta = parse::parse(&f.source, text)?;
    let mut problems = Vec::new();
    match folder_id(&f.name) {
        None => problems.push(at(
            1,
            format!(
                "folder `{}` must be named NN-ID (two digits, a dash, the id)",
                f.name
            ),
        )),
        Some(id) if id != meta.id => problems.push(at(
            meta.lines.0,
            format!("id `{}` differs from the folder's ID `{id}`", meta.id),
        )),
        Some(_) => {}
    }
    let ext = meta.language.ext();
    let mut read = |stem: &str| match f.files.get(&format!("{stem}.{ext}")) {
        Some(Ok(t)) => t.clone(),
        Some(Err(e)) => {
            problems.push(at(1, format!("cannot read {stem}.{ext}: {e}")));
            String::new()
        }
        None => {
            problems.push(at(1, format!("missing {stem}.{ext} beside exercise.toml")));
            String::new()
        }
    };
    let sources = Sources {
        starter: read("starter"),
        solution: read("solution"),
        sequential: read("sequential"),
        input: [Language::Python, Language::Rust]
            .into_iter()
            .find_map(|l| match f.files.get(&format!("input.{}", l.ext())) {
                Some(Ok(t)) => Some((l, t.clone())),
                _ => None,
            }),
    };
    if !sources.starter.is_empty() && !sources.starter.contains("TODO(parlab)") {
        problems.push(at(
            1,
            format!("starter.{ext} has no `TODO(parlab)` marking what to change"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let e = Exercise {
        id: meta.id.clone(),
        folder: f.name.clone(),
        lesson: meta.lesson.clone(),
        title: meta.title.clone(),
        language: meta.language,
        task: meta.task.clone(),
        hints: meta.hints.clone(),
        input: meta.input,
        check: meta.check,
        sources,
        source: f.source.clone(),
    };
    Ok((e, meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_ids() {
        assert_eq!(folder_id("01-pool-chunksize"), Some("pool-chunksize"));
        assert_eq!(folder_id("1-x"), None);
        assert_eq!(folder_id("ab-x"), None);
        assert_eq!(folder_id("01-"), None);
    }

    #[test]
    fn the_embedded_exercises_are_valid() {
        let set = embedded();
        assert!(set.problems.is_empty(), "{:?}", set.problems);
        assert!(set.get("race-lock").is_some());
        let lessons = crate::lesson::embedded();
        let ids: Vec<&str> = lessons.lessons.iter().map(|l| l.id.as_str()).collect();
        let (mut set, lines) = embedded_with_lines();
        set.check_lessons(&ids, &lines);
        assert!(set.problems.is_empty(), "{:?}", set.problems);
    }
}
