//! `parlab progress`: what the student did, per lesson (runs, claims held on the last run,
//! predictions, challenges met, quiz score) and per exercise (status, checks, best level, hints),
//! read from the one progress file the TUI writes;
//! `--reset` removes that file and says what it held.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;
use serde_json::json;

use super::out::out;
use crate::exercise::ExerciseSet;
use crate::lesson::LessonSet;
use crate::progress::{LessonProgress, Progress};

/// Output formats of `progress`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ProgressFormat {
    /// One line per lesson, for people.
    Table,
    /// The whole file as one JSON document, with its path.
    Json,
}

/// `parlab progress` arguments.
#[derive(Debug, Clone, Args)]
pub struct ProgressArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ProgressFormat::Table)]
    pub format: ProgressFormat,
    /// Remove the progress file (asks nothing) and print what it held.
    #[arg(long, conflicts_with = "format")]
    pub reset: bool,
}

/// Runs `parlab progress`.
pub fn progress(
    a: &ProgressArgs,
    lessons: &LessonSet,
    exercises: &ExerciseSet,
) -> anyhow::Result<ExitCode> {
    let path = Progress::default_path()
        .ok_or_else(|| anyhow::anyhow!("no data directory (set PARLAB_DATA_DIR or HOME)"))?;
    let (p, warning) = Progress::load(&path);
    if let Some(w) = warning {
        eprintln!("warning: {w}");
    }
    if a.reset {
        if !path.exists() {
            out(&format!(
                "nothing to reset: {} does not exist\n",
                path.display()
            ))?;
            return Ok(ExitCode::SUCCESS);
        }
        std::fs::remove_file(&path)
            .map_err(|e| anyhow::anyhow!("cannot remove {}: {e}", path.display()))?;
        let n = p.lessons.values().filter(|l| !l.is_empty()).count();
        let x = p.exercises.len();
        out(&format!(
            "removed {} (progress of {n} lesson{}, {x} exercise{})\n",
            path.display(),
            if n == 1 { "" } else { "s" },
            if x == 1 { "" } else { "s" }
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    match a.format {
        ProgressFormat::Json => {
            let doc = json!({
                "file": path.display().to_string(),
                "last_opened": p.last_opened,
                "lessons": p.lessons,
                "exercises": p.exercises,
            });
            out(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        }
        ProgressFormat::Table => {
            out(&format!(
                "progress in {}\n\n{}\n{}",
                path.display(),
                table(&p, lessons),
                exercise_table(&p, exercises)
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per lesson of `lessons` (then any lesson the file knows that is not loaded).
pub fn table(p: &Progress, lessons: &LessonSet) -> String {
    let mut o = format!(
        "{:<4} {:<22} {:>4}  {:<11} {:<11} {:<10} {}\n",
        "#", "lesson", "runs", "claims", "predicted", "challenge", "quiz"
    );
    let empty = LessonProgress::default();
    for l in &lessons.lessons {
        let lp = p.lesson(&l.id).unwrap_or(&empty);
        let (held, checked) = lp.claims_held();
        let claims = if checked == 0 {
            "–".to_string()
        } else {
            format!("{held}/{checked} held")
        };
        let graded: Vec<bool> = lp
            .predictions
            .values()
            .filter_map(|x| x.grade.as_ref().map(|g| g.right))
            .collect();
        let predicted = if lp.predictions.is_empty() {
            "–".to_string()
        } else {
            let right = graded.iter().filter(|r| **r).count();
            format!("{right}/{} right", graded.len())
        };
        let challenge = format!("{}/{} met", lp.challenges.len(), l.challenges.len());
        let (right, answered) = lp.quiz_score();
        let quiz = format!("{right}/{} ({answered} answered)", l.quizzes.len());
        let _ = writeln!(
            o,
            "{:<4} {:<22} {:>4}  {:<11} {:<11} {:<10} {}",
            l.number,
            crate::ui::text::fit(&l.id, 22),
            lp.runs,
            claims,
            predicted,
            challenge,
            quiz
        );
    }
    for (id, lp) in &p.lessons {
        if lessons.get(id).is_none() && !lp.is_empty() {
            let _ = writeln!(
                o,
                "{:<4} {:<22} {:>4}  (lesson not loaded)",
                "?", id, lp.runs
            );
        }
    }
    o
}

/// One line per exercise of `exercises` (then any the file knows that is not loaded).
pub fn exercise_table(p: &Progress, exercises: &ExerciseSet) -> String {
    let mut o = format!(
        "{:<24} {:<22} {:<8} {:>6}  {:<6} {}\n",
        "exercise", "lesson", "status", "checks", "level", "hints"
    );
    let row = |o: &mut String, id: &str, lesson: &str, hints: usize| {
        let e = p.exercise(id);
        let level = e
            .and_then(|e| e.best_level)
            .map_or("–".to_string(), |l| format!("{l}/3"));
        let _ = writeln!(
            o,
            "{:<24} {:<22} {:<8} {:>6}  {:<6} {}/{hints}",
            crate::ui::text::fit(id, 24),
            crate::ui::text::fit(lesson, 22),
            p.exercise_status(id).word(),
            e.map_or(0, |e| e.checks),
            level,
            e.map_or(0, |e| e.hints_shown),
        );
    };
    for ex in &exercises.exercises {
        row(&mut o, &ex.id, &ex.lesson, ex.hints.len());
    }
    for id in p.exercises.keys() {
        if exercises.get(id).is_none() {
            row(&mut o, id, "(exercise not loaded)", 0);
        }
    }
    o
}
