//! Front-matter tables to typed [`Exercises`], checking each against the lesson's demo:
//! expressions parse and have the right type, variant names exist, `when` values are ones
//! the demo can run with, knobs are parameters, choices and grades pair up. Every problem is
//! reported at the file line of the key it is about.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::{Answer, Challenge, Claim, Exercises, Prediction, Quiz, When};
use crate::engine::{Demo, Params, admission};
use crate::lesson::expr::{self, Expr, Kind};
use crate::lesson::fields::{Written, param_text};
use crate::lesson::raw::{Problem, Raw};

/// `[[claims]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimToml {
    id: Spanned<String>,
    text: Spanned<String>,
    when: Option<Written>,
    check: Spanned<String>,
    cores: Option<Spanned<u32>>,
    #[serde(default)]
    quiet: bool,
}

/// `[[predictions]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictionToml {
    id: Spanned<String>,
    question: Spanned<String>,
    when: Option<Written>,
    choices: Option<Spanned<Vec<String>>>,
    grade: Option<Vec<Spanned<String>>>,
    number: Option<Spanned<String>>,
    tolerance: Option<f64>,
    #[serde(default)]
    explain: String,
}

/// `[[challenges]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeToml {
    id: Spanned<String>,
    goal: Spanned<String>,
    #[serde(default)]
    knobs: Vec<Spanned<String>>,
    check: Spanned<String>,
    progress: Option<Spanned<String>>,
}

/// `[[quizzes]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizToml {
    question: Spanned<String>,
    choices: Vec<String>,
    answer: Spanned<i64>,
    explain: Spanned<Vec<String>>,
}

/// The four arrays of tables of a front matter.
#[derive(Debug, Default)]
pub struct Tables {
    /// `[[claims]]`
    pub claims: Vec<ClaimToml>,
    /// `[[predictions]]`
    pub predictions: Vec<PredictionToml>,
    /// `[[challenges]]`
    pub challenges: Vec<ChallengeToml>,
    /// `[[quizzes]]`
    pub quizzes: Vec<QuizToml>,
}

/// Reads tables against one demo, collecting problems.
pub struct Reader<'a, 'r> {
    raw: &'a Raw<'r>,
    demo: Option<&'static dyn Demo>,
    /// Every problem found.
    pub problems: Vec<Problem>,
    ids: HashSet<String>,
}

/// The default tolerance of a numeric prediction: within 25%.
const DEFAULT_TOLERANCE: f64 = 0.25;

impl<'a, 'r> Reader<'a, 'r> {
    /// A reader for the lesson `raw` running `demo` (`None` when the demo is unknown: then
    /// only what needs no demo is checked).
    pub fn new(raw: &'a Raw<'r>, demo: Option<&'static dyn Demo>) -> Self {
        Reader {
            raw,
            demo,
            problems: Vec::new(),
            ids: HashSet::new(),
        }
    }

    fn line<T>(&self, s: &Spanned<T>) -> usize {
        self.raw.front_line_of(s.span().start)
    }

    fn problem(&mut self, line: usize, message: String) {
        self.problems.push(Problem::new(line, message));
    }

    /// Everything in `t`, typed.
    pub fn read(&mut self, t: Tables) -> Exercises {
        Exercises {
            claims: t.claims.into_iter().filter_map(|c| self.claim(c)).collect(),
            predictions: t
                .predictions
                .into_iter()
                .filter_map(|p| self.prediction(p))
                .collect(),
            challenges: t
                .challenges
                .into_iter()
                .filter_map(|c| self.challenge(c))
                .collect(),
            quizzes: t.quizzes.into_iter().filter_map(|q| self.quiz(q)).collect(),
        }
    }

    /// The id, trimmed; reports an empty or repeated one.
    fn id(&mut self, id: &Spanned<String>, what: &str) -> (String, usize) {
        let line = self.line(id);
        let text = id.get_ref().trim().to_string();
        if text.is_empty() {
            self.problem(line, format!("{what} `id` is empty"));
        } else if !self.ids.insert(text.clone()) {
            self.problem(
                line,
                format!("{what} id `{text}` is used twice in this lesson"),
            );
        }
        (text, line)
    }

    /// Parses `src` as an expression of `kind`, with its variants checked against the demo.
    fn expr(&mut self, src: &Spanned<String>, kind: Kind, key: &str) -> Option<Expr> {
        let line = self.line(src);
        match expr_problem(src.get_ref(), Some(kind), self.demo) {
            Ok(e) => Some(e),
            Err(m) => {
                self.problem(line, format!("{key} `{}`: {m}", src.get_ref().trim()));
                None
            }
        }
    }

    /// `when` values, each one the demo can run with.
    fn when(&mut self, when: Option<Written>) -> When {
        let mut written: Vec<_> = when.into_iter().flatten().collect();
        written.sort_by_key(|(k, _)| k.span().start);
        let mut out = Vec::new();
        for (k, v) in written {
            let line = self.line(&k);
            let name = k.get_ref();
            let text = match param_text(name, v.get_ref()) {
                Ok(t) => t,
                Err(e) => {
                    self.problem(line, format!("when: {e}"));
                    continue;
                }
            };
            if let Some(d) = self.demo {
                let mut params = Params::defaults(&d.info().params);
                let mut workers = 1;
                if let Err(e) = admission::set(d, &mut params, &mut workers, name, &text) {
                    let id = d.info().id;
                    self.problem(
                        line,
                        format!("when: demo `{id}` can never run with this: {e}"),
                    );
                }
            }
            out.push((name.clone(), text));
        }
        out
    }

    fn claim(&mut self, c: ClaimToml) -> Option<Claim> {
        let (id, line) = self.id(&c.id, "claim");
        let when = self.when(c.when);
        self.placeholders(&c.text);
        let check = self.expr(&c.check, Kind::Bool, "check");
        let cores = c.cores.map(|n| *n.get_ref() as usize);
        Some(Claim {
            id,
            text: c.text.into_inner().trim().to_string(),
            when,
            check: check?,
            cores,
            quiet: c.quiet,
            line,
        })
    }

    fn prediction(&mut self, p: PredictionToml) -> Option<Prediction> {
        let (id, line) = self.id(&p.id, "prediction");
        let when = self.when(p.when);
        let answer = match (p.choices, p.grade, p.number) {
            (Some(choices), Some(grade), None) => {
                let cl = self.line(&choices);
                let choices = choices.into_inner();
                if choices.len() != grade.len() || choices.len() < 2 {
                    self.problem(cl, format!(
                        "prediction needs two or more `choices` and one `grade` per choice ({} choices, {} grades)",
                        choices.len(), grade.len()));
                    return None;
                }
                let grades: Vec<Option<Expr>> = grade
                    .iter()
                    .map(|g| self.expr(g, Kind::Bool, "grade"))
                    .collect();
                let grades: Option<Vec<Expr>> = grades.into_iter().collect();
                Answer::Choices(choices.into_iter().zip(grades?).collect())
            }
            (None, None, Some(number)) => Answer::Number {
                expr: self.expr(&number, Kind::Num, "number")?,
                tolerance: p.tolerance.unwrap_or(DEFAULT_TOLERANCE).abs(),
            },
            _ => {
                self.problem(
                    line,
                    "prediction needs either `choices` with `grade`, or `number`".into(),
                );
                return None;
            }
        };
        Some(Prediction {
            id,
            question: p.question.into_inner().trim().to_string(),
            when,
            answer,
            explain: p.explain.trim().to_string(),
            line,
        })
    }

    fn challenge(&mut self, c: ChallengeToml) -> Option<Challenge> {
        let (id, line) = self.id(&c.id, "challenge");
        for k in &c.knobs {
            let name = k.get_ref();
            let known = ["variant", "workers"].contains(&name.as_str())
                || self.demo.is_none_or(|d| d.info().param(name).is_some());
            if !known {
                let l = self.line(k);
                self.problem(
                    l,
                    format!(
                        "knob `{name}` is not a parameter of the demo (nor `variant` or `workers`)"
                    ),
                );
            }
        }
        let check = self.expr(&c.check, Kind::Bool, "check");
        let progress = c
            .progress
            .as_ref()
            .map(|p| self.expr(p, Kind::Num, "progress"));
        Some(Challenge {
            id,
            goal: c.goal.into_inner().trim().to_string(),
            knobs: c.knobs.into_iter().map(Spanned::into_inner).collect(),
            check: check?,
            progress: progress.map_or(Some(None), |p| p.map(Some))?,
            line,
        })
    }

    fn quiz(&mut self, q: QuizToml) -> Option<Quiz> {
        let line = self.line(&q.question);
        let n = q.choices.len();
        let answer = *q.answer.get_ref();
        if n < 2 {
            self.problem(line, format!("quiz needs two or more choices, not {n}"));
            return None;
        }
        if answer < 0 || answer as usize >= n {
            let l = self.line(&q.answer);
            self.problem(
                l,
                format!("quiz answer = {answer} is not a choice (0..={})", n - 1),
            );
            return None;
        }
        if q.explain.get_ref().len() != n {
            let l = self.line(&q.explain);
            self.problem(
                l,
                format!(
                    "quiz needs one `explain` per choice ({n} choices, {} explanations)",
                    q.explain.get_ref().len()
                ),
            );
            return None;
        }
        Some(Quiz {
            question: q.question.into_inner().trim().to_string(),
            choices: q.choices,
            answer: answer as usize,
            explain: q.explain.into_inner(),
            line,
        })
    }

    /// Checks every `{{ expr }}` of a front-matter text.
    fn placeholders(&mut self, text: &Spanned<String>) {
        let line = self.line(text);
        for p in crate::lesson::placeholder::problems(text.get_ref(), line, self.demo) {
            self.problems.push(p);
        }
    }
}

/// `src` parsed as an expression (of `kind`, when given) whose variants the demo has.
pub fn expr_problem(
    src: &str,
    kind: Option<Kind>,
    demo: Option<&'static dyn Demo>,
) -> Result<Expr, String> {
    let e = expr::parse(src)?;
    let k = e.kind()?;
    if let Some(kind) = kind.filter(|w| *w != k) {
        let want = if kind == Kind::Bool {
            "a true/false check (a comparison)"
        } else {
            "a number"
        };
        return Err(format!("must be {want}"));
    }
    if let Some(d) = demo {
        let info = d.info();
        if let Some(v) = e.variants().into_iter().find(|v| info.variant(v).is_none()) {
            let known: Vec<&str> = info.variants.iter().map(|v| v.name).collect();
            return Err(format!(
                "unknown variant `{v}` (demo `{}` has: {})",
                info.id,
                known.join(", ")
            ));
        }
    }
    Ok(e)
}
