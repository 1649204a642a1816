//! The front matter: TOML read into a strict struct (unknown keys are errors), then checked
//! against the demo registry (the per-field checks live in `fields`). Every error carries the
//! line of the key it is about.

use serde::Deserialize;
use toml::Spanned;

use super::activity::{
    Challenge, Claim, Prediction, Quiz, Reader, Tables,
    read::{ChallengeToml, ClaimToml, PredictionToml, QuizToml},
};
use super::fields::{Checks, Written};
use super::placeholder;
use super::raw::{Problem, Raw};

/// The front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    demo: Option<Spanned<String>>,
    params: Option<Written>,
    #[serde(default)]
    claims: Vec<ClaimToml>,
    #[serde(default)]
    predictions: Vec<PredictionToml>,
    #[serde(default)]
    challenges: Vec<ChallengeToml>,
    #[serde(default)]
    quizzes: Vec<QuizToml>,
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
    /// "What to notice", checked on every run.
    pub claims: Vec<Claim>,
    /// Asked before the first run.
    pub predictions: Vec<Prediction>,
    /// Goals with live progress.
    pub challenges: Vec<Challenge>,
    /// After the lesson.
    pub quizzes: Vec<Quiz>,
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
    let mut checks = Checks::new(raw);
    let (id, id_line) = checks.required(&front.id, "id");
    let (title, _) = checks.required(&front.title, "title");
    let (demo, demo_line) = checks.required(&front.demo, "demo");
    checks.slug(&id, id_line);
    let found = checks.demo(&demo, demo_line);
    let params = checks.params(front.params.as_ref(), found, &demo, demo_line);
    let mut reader = Reader::new(raw, found);
    let activities = reader.read(Tables {
        claims: front.claims,
        predictions: front.predictions,
        challenges: front.challenges,
        quizzes: front.quizzes,
    });
    let mut problems = checks.problems;
    problems.extend(reader.problems);
    problems.extend(placeholder::body_problems(raw.body, raw.body_line, found));
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
        claims: activities.claims,
        predictions: activities.predictions,
        challenges: activities.challenges,
        quizzes: activities.quizzes,
        instructor_notes: front.instructor_notes,
    })
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
            "+++\nid = \"pool\"\ntitle = \"Pool\"\ndemo = \"pool\"\n[params]\nwork = \"heavy\"\nsize = 1000\n\n[[quizzes]]\nquestion = \"?\"\nchoices = [\"a\", \"b\"]\nanswer = 1\nexplain = [\"no\", \"yes\"]\n+++\n",
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
