//! What a lesson's claims and placeholders say about one run: each claim held, not held,
//! needing more cores, or needing other parameters; each `{{ expr }}` filled from the run.
//! The reader, the dashboard and `check-lessons --run` share these so they never disagree.

use super::activity::Claim;
use super::expr::{Expr, Missing, Value, eval};
use super::measured::Measured;
use super::placeholder;

/// A claim judged on one run.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// True on this run; the numbers that decided it.
    Held(String),
    /// False on this run; the numbers that decided it.
    NotHeld(String),
    /// The machine has fewer cores than the claim needs.
    NeedsCores(usize),
    /// The run's parameters differ from the claim's `when`: how to run it.
    OtherParams(String),
    /// The run lacks a figure the check needs (a variant did not run).
    NotMeasured(String),
}

impl Outcome {
    /// A short mark for the outcome, the same in every view.
    pub fn mark(&self) -> &'static str {
        match self {
            Outcome::Held(_) => "✓ held",
            Outcome::NotHeld(_) => "✗ not held",
            Outcome::NeedsCores(_) => "· needs more cores",
            Outcome::OtherParams(_) => "· not checked",
            Outcome::NotMeasured(_) => "· not measured",
        }
    }

    /// The reason, in words.
    pub fn detail(&self) -> String {
        match self {
            Outcome::Held(n) | Outcome::NotHeld(n) | Outcome::NotMeasured(n) => n.clone(),
            Outcome::NeedsCores(n) => format!("needs {n} cores; this machine has fewer"),
            Outcome::OtherParams(s) => s.clone(),
        }
    }
}

/// Judges `claim` on the run `m` (the machine's cores are the run's).
pub fn judge(claim: &Claim, m: &Measured) -> Outcome {
    if let Some(n) = claim.cores.filter(|n| *n > m.cores) {
        return Outcome::NeedsCores(n);
    }
    let differs: Vec<String> = claim
        .when
        .iter()
        .filter(|(k, v)| m.param(k).is_some_and(|have| have != v))
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    if !differs.is_empty() {
        return Outcome::OtherParams(format!("run with {} to check", differs.join(", ")));
    }
    match eval(&claim.check, m) {
        Ok(e) => {
            let notes = e.notes.join("; ");
            match e.value {
                Value::Bool(true) => Outcome::Held(notes),
                Value::Bool(false) => Outcome::NotHeld(notes),
                Value::Num(_) => Outcome::NotMeasured(format!("the check is a number ({notes})")),
            }
        }
        Err(Missing::NotMeasured(s) | Missing::UnknownMetric(s)) => Outcome::NotMeasured(s),
    }
}

/// `text` with every placeholder filled from `m`, or a dash before the first run (or where
/// the run lacks the figure).
pub fn fill(text: &str, m: Option<&Measured>) -> String {
    placeholder::fill(text, |e: &Expr| {
        m.and_then(|m| eval(e, m).ok())
            .map_or_else(|| placeholder::DASH.to_string(), |v| v.shown)
    })
}

/// `claim` judged on `m`, with its sentence filled: from the run when the outcome is about
/// this run, with dashes when it needs other parameters or more cores (figures of another
/// experiment would mislead). The reader and the dashboard's Results both show this.
pub fn judged(claim: &Claim, m: &Measured) -> (Outcome, String) {
    let o = judge(claim, m);
    let own = matches!(
        o,
        Outcome::Held(_) | Outcome::NotHeld(_) | Outcome::NotMeasured(_)
    );
    let sentence = fill(&claim.text, own.then_some(m));
    (o, sentence)
}

/// The "What to notice" section of a lesson as Markdown: each claim's sentence (filled), and
/// after a run its outcome with the numbers that decided it.
pub fn notice_markdown(claims: &[Claim], m: Option<&Measured>) -> String {
    if claims.is_empty() {
        return String::new();
    }
    let mut out = String::from("## What to notice\n\n");
    if m.is_none() {
        out.push_str("Run the demo (`r`) and each point below is checked on your machine.\n\n");
    }
    for c in claims {
        out.push_str("- ");
        if let Some(m) = m {
            let (o, sentence) = judged(c, m);
            out.push_str(&format!("**{}** ", o.mark()));
            out.push_str(&sentence);
            let d = o.detail();
            if !d.is_empty() {
                out.push_str(&format!(" *({d})*"));
            }
        } else {
            out.push_str(&fill(&c.text, None));
        }
        if c.quiet {
            out.push_str(" *(timing: needs an otherwise idle machine)*");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::expr;

    fn claim(check: &str, when: &[(&str, &str)], cores: Option<usize>) -> Claim {
        Claim {
            id: "c".into(),
            text: "speed {{ cores }}".into(),
            when: when
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            check: expr::parse(check).unwrap(),
            cores,
            quiet: false,
            line: 1,
        }
    }

    fn run() -> Measured {
        Measured {
            cores: 2,
            workers: 2,
            params: vec![("work".into(), "heavy".into())],
            variants: Vec::new(),
        }
    }

    #[test]
    fn judges_cores_params_and_checks() {
        let m = run();
        assert!(matches!(
            judge(&claim("cores >= 2", &[], None), &m),
            Outcome::Held(_)
        ));
        assert!(matches!(
            judge(&claim("cores > 2", &[], None), &m),
            Outcome::NotHeld(_)
        ));
        assert_eq!(
            judge(&claim("cores > 2", &[], Some(4)), &m),
            Outcome::NeedsCores(4)
        );
        assert_eq!(
            judge(&claim("cores > 2", &[("work", "trivial")], None), &m),
            Outcome::OtherParams("run with work = trivial to check".into())
        );
        assert!(matches!(
            judge(&claim("speedup(pool) > 1", &[], None), &m),
            Outcome::NotMeasured(_)
        ));
    }

    #[test]
    fn fills_placeholders_or_a_dash() {
        assert_eq!(fill("on {{ cores }} cores", Some(&run())), "on 2 cores");
        assert_eq!(fill("on {{ cores }} cores", None), "on – cores");
        let md = notice_markdown(&[claim("cores >= 2", &[], None)], Some(&run()));
        assert!(md.contains("✓ held"), "{md}");
    }
}
