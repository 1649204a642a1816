//! Validation of a lecture: each step must name what it needs (a known lesson, parameters in
//! range for that lesson's demo, a trace file that exists, speaker notes), reported as
//! `file:line: message` for every problem, not only the first.

use std::path::Path;

use super::{Kind, Lecture, Step, line_of, parse};
use crate::engine::Params;
use crate::lesson::LessonSet;

/// Every problem of the lecture in `text` (read from `path`), as `file:line: message`.
pub fn check(path: &Path, text: &str, lessons: &LessonSet) -> Vec<String> {
    let file = path.display();
    let lecture: Lecture = match parse(text) {
        Ok(l) => l,
        Err((line, msg)) => return vec![format!("{file}:{line}: {}", msg.trim())],
    };
    let mut out = Vec::new();
    if lecture.steps.is_empty() {
        out.push(format!("{file}:1: a lecture needs at least one [[steps]]"));
    }
    let base = path.parent().unwrap_or(Path::new("."));
    for (i, s) in lecture.steps.iter().enumerate() {
        let line = line_of(text, s.span().start);
        for msg in step_problems(s.get_ref(), base, lessons) {
            out.push(format!("{file}:{line}: step {}: {msg}", i + 1));
        }
    }
    out
}

/// What is wrong with one step.
pub(super) fn step_problems(s: &Step, base: &Path, lessons: &LessonSet) -> Vec<String> {
    let mut out = Vec::new();
    if s.notes.trim().is_empty() {
        out.push("`notes` is empty (every step carries speaker notes)".into());
    }
    let needs_lesson = matches!(s.kind, Kind::Lesson | Kind::Run | Kind::Sweep);
    match (&s.lesson, needs_lesson) {
        (None, true) => out.push("needs `lesson = \"ID\"`".into()),
        (Some(_), false) => out.push("`lesson` is only for lesson, run and sweep steps".into()),
        (Some(id), true) => match lessons.get(id) {
            None => {
                let ids: Vec<&str> = lessons.lessons.iter().map(|l| l.id.as_str()).collect();
                out.push(format!("unknown lesson `{id}` (known: {})", ids.join(", ")));
            }
            Some(l) => out.extend(param_problems(&l.demo, &s.params)),
        },
        (None, false) => {}
    }
    if s.kind == Kind::Replay {
        match &s.trace {
            None => out.push("a replay step needs `trace = \"FILE\"`".into()),
            Some(t) if !base.join(t).is_file() => {
                out.push(format!("trace file `{t}` not found next to the lecture"));
            }
            Some(_) => {}
        }
    }
    if s.kind == Kind::Note && s.text.trim().is_empty() {
        out.push("a note step needs `text`".into());
    }
    out
}

/// Each parameter checked against the demo's declared ranges.
fn param_problems(demo_id: &str, params: &toml::Table) -> Vec<String> {
    let Some(demo) = crate::demos::find(demo_id) else {
        return vec![format!("the lesson's demo `{demo_id}` does not exist")];
    };
    let info = demo.info();
    let mut p = Params::defaults(&info.params);
    params
        .iter()
        .filter_map(|(k, v)| {
            let text = match v {
                toml::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            p.set(&info.params, k, &text)
                .err()
                .map(|e| format!("parameter `{k}` = {text}: {e}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
title = "t"

[[steps]]
kind = "note"
title = "why"
text = "cores"
notes = "say hello"

[[steps]]
kind = "run"
title = "run it"
lesson = "why-parallel"
params = { work = "heavy" }
notes = "press r"
"#;

    #[test]
    fn a_good_lecture_has_no_problems() {
        let p = check(Path::new("l.toml"), GOOD, &crate::lesson::embedded());
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn problems_name_file_line_and_step() {
        let bad = GOOD
            .replace("why-parallel", "nope")
            .replace("notes = \"say hello\"", "notes = \"\"");
        let p = check(Path::new("l.toml"), &bad, &crate::lesson::embedded());
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains(": step 1: `notes` is empty"), "{p:?}");
        assert!(p[1].contains(": step 2: unknown lesson `nope`"), "{p:?}");
        assert!(p[0].starts_with("l.toml:") && p[0] != p[1], "{p:?}");
        let syntax = check(
            Path::new("l.toml"),
            "title = \n",
            &crate::lesson::embedded(),
        );
        assert!(syntax[0].starts_with("l.toml:1: "), "{syntax:?}");
    }
}
