//! Grading a prediction on a run: which choice the run made true (or the number it measured,
//! within the prediction's tolerance), with the numbers that decided it. The reader, the
//! dashboard's notice and the progress file all take the grade from here.

use super::activity::{Answer, Prediction, When};
use super::expr::{Value, eval};
use super::measured::Measured;
use crate::progress::{Grade, Guess};

/// Whether a run (or the settings about to run) with `params` has the values `when` needs.
pub fn when_matches(when: &When, params: &[(String, String)]) -> bool {
    when.iter().all(|(k, v)| {
        params
            .iter()
            .find(|(pk, _)| pk == k)
            .is_none_or(|(_, have)| have == v)
    })
}

/// Grades `guess` to `p` on the run `m`; `None` when the run has other parameters than the
/// prediction needs, the guess was skipped, or the run lacks the figures.
pub fn grade(p: &Prediction, guess: &Guess, m: &Measured) -> Option<Grade> {
    if !when_matches(&p.when, &m.params) {
        return None;
    }
    match (&p.answer, guess) {
        (Answer::Choices(choices), Guess::Choice { index, .. }) => {
            let mut happened = Vec::new();
            let mut notes = Vec::new();
            let mut right = false;
            for (i, (text, e)) in choices.iter().enumerate() {
                let Ok(v) = eval(e, m) else { continue };
                if v.value == Value::Bool(true) {
                    happened.push(text.clone());
                    notes.extend(v.notes);
                    right |= i == *index;
                }
            }
            if happened.is_empty() {
                return None;
            }
            let measured = format!("this run: {} ({})", happened.join(" / "), notes.join("; "));
            Some(Grade { right, measured })
        }
        (Answer::Number { expr, tolerance }, Guess::Number(g)) => {
            let v = eval(expr, m).ok()?;
            let Value::Num(n) = v.value else {
                return None;
            };
            let right = (g - n).abs() <= tolerance * n.abs();
            let measured = format!(
                "this run measured {} ({} within {:.0}% counts as right)",
                v.shown,
                if right { "yours is" } else { "yours is not" },
                tolerance * 100.0
            );
            Some(Grade { right, measured })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::expr::parse;

    fn m() -> Measured {
        Measured {
            cores: 2,
            workers: 2,
            params: vec![
                ("work".into(), "trivial".into()),
                ("workers".into(), "2".into()),
            ],
            variants: Vec::new(),
        }
    }

    fn pred(answer: Answer, when: &[(&str, &str)]) -> Prediction {
        Prediction {
            id: "p".into(),
            question: "q".into(),
            when: when
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            answer,
            explain: "because".into(),
            line: 1,
        }
    }

    #[test]
    fn grades_choices_and_numbers() {
        let choices = Answer::Choices(vec![
            ("few".into(), parse("cores < 2").unwrap()),
            ("two".into(), parse("cores == 2").unwrap()),
        ]);
        let p = pred(choices, &[("work", "trivial")]);
        let g = grade(
            &p,
            &Guess::Choice {
                index: 1,
                text: "two".into(),
            },
            &m(),
        )
        .unwrap();
        assert!(g.right, "{g:?}");
        assert!(g.measured.contains("two"), "{g:?}");
        let g = grade(
            &p,
            &Guess::Choice {
                index: 0,
                text: "few".into(),
            },
            &m(),
        )
        .unwrap();
        assert!(!g.right);
        assert_eq!(grade(&p, &Guess::Skipped, &m()), None);
        let heavy = pred(p.answer.clone(), &[("work", "heavy")]);
        assert_eq!(grade(&heavy, &Guess::Number(1.0), &m()), None);
        let n = pred(
            Answer::Number {
                expr: parse("cores * 2").unwrap(),
                tolerance: 0.25,
            },
            &[],
        );
        assert!(grade(&n, &Guess::Number(4.5), &m()).unwrap().right);
        assert!(!grade(&n, &Guess::Number(6.0), &m()).unwrap().right);
    }
}
