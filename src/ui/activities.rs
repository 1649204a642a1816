//! The reader's sections after "What to notice": your predictions with their grades and
//! explanations, the challenge (its goal filled for this machine, taken or not, met or not)
//! and the quiz with its last score, as Markdown the reader renders like the lesson.

use std::fmt::Write as _;

use crate::app::App;
use crate::app::learn::settings_params;
use crate::lesson::measured::Measured;
use crate::lesson::{Answer, Lesson, outcome};
use crate::progress::{Guess, LessonProgress};

/// The sections for `lesson`, with figures from `measured` (its latest finished run) or, before
/// one, this machine's cores and the settings' workers.
pub fn markdown(app: &App, lesson: &Lesson, measured: Option<&Measured>) -> String {
    let empty = LessonProgress::default();
    let lp = app.progress.lesson(&lesson.id).unwrap_or(&empty);
    let machine = Measured {
        cores: app.machine.cores,
        workers: app
            .params
            .settings
            .as_ref()
            .map_or(app.machine.cores, |s| s.workers),
        params: app
            .params
            .settings
            .as_ref()
            .map(settings_params)
            .unwrap_or_default(),
        variants: Vec::new(),
    };
    let m = measured.unwrap_or(&machine);
    let mut o = String::new();
    predictions(&mut o, lesson, lp);
    if let Some(c) = lesson.challenges.first() {
        o.push_str("## Challenge\n\n");
        let _ = writeln!(o, "{}\n", outcome::fill(&c.goal, Some(m)));
        let taken = app
            .learn
            .challenge
            .as_ref()
            .is_some_and(|a| a.lesson == lesson.id);
        match lp.challenges.get(&c.id) {
            Some(met) => {
                let _ = writeln!(o, "**✓ met** *({})*\n", met.figure);
            }
            None if taken => o.push_str(
                "**Taken**: change only the allowed parameters (`p` on the dashboard), run with `r`; the dashboard's gauge shows how close you are.\n\n",
            ),
            None => {}
        }
        let _ = writeln!(
            o,
            "You may change: {}. Press `c` to {} the challenge.\n",
            c.knobs.join(", "),
            if taken { "drop" } else { "take" }
        );
    }
    if !lesson.quizzes.is_empty() {
        o.push_str("## Quiz\n\n");
        let n = lesson.quizzes.len();
        let (right, answered) = lp.quiz_score();
        let last = if answered == 0 {
            String::new()
        } else {
            format!(" Your answers so far: {right} of {n} right.")
        };
        let _ = writeln!(o, "{n} questions. Press `x` to take the quiz.{last}\n");
    }
    o
}

fn predictions(o: &mut String, lesson: &Lesson, lp: &LessonProgress) {
    if lesson.predictions.is_empty() {
        return;
    }
    o.push_str("## Your predictions\n\n");
    for p in &lesson.predictions {
        let _ = writeln!(o, "- *{}*", p.question);
        let Some(a) = lp.predictions.get(&p.id) else {
            let when: Vec<String> = p.when.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            let with = if when.is_empty() {
                String::new()
            } else {
                format!(" with {}", when.join(", "))
            };
            let _ = writeln!(o, "  Asked when you next run{with} (`r`).");
            continue;
        };
        let said = match (&a.guess, &p.answer) {
            (Guess::Skipped, _) => {
                let _ = writeln!(o, "  You skipped it. {}", p.explain);
                continue;
            }
            (Guess::Choice { text, .. }, _) => format!("\"{text}\""),
            (Guess::Number(n), Answer::Number { .. }) => format!("{n}"),
            (Guess::Number(n), _) => format!("{n}"),
        };
        match &a.grade {
            Some(g) => {
                let verdict = if g.right {
                    "**✓ right**"
                } else {
                    "**✗ not this time**"
                };
                let _ = writeln!(
                    o,
                    "  You said {said}: {verdict}; {}. {}",
                    g.measured, p.explain
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "  You said {said}; a finished run with its parameters grades it."
                );
            }
        }
    }
    o.push('\n');
}
