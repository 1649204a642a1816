//! The exercise screens: the list beside the lessons (lesson, language, status marks, the
//! selected one's task), and one exercise (task, hints revealed so far, the workspace, the
//! check running or its verdict, the reference solution after a pass), with the yes/no
//! question before the workspace file is overwritten drawn over it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::highlight::{self, Lang};
use super::text;
use super::theme::Theme;
use crate::app::App;
use crate::app::exercises::Confirm;
use crate::exercise::verdict::{self, LEVELS, Verdict};
use crate::exercise::{Exercise, Language};
use crate::progress::ExerciseStatus;

/// The status mark and word of `id`, styled.
fn status(app: &App, id: &str, t: &Theme) -> (String, Style) {
    let st = app.progress.exercise_status(id);
    let level = app
        .progress
        .exercise(id)
        .and_then(|p| p.best_level)
        .filter(|l| *l > 0)
        .map_or(String::new(), |l| format!(" L{l}"));
    match st {
        ExerciseStatus::New => ("○ new".into(), t.dim),
        ExerciseStatus::Started => (format!("● started{level}"), t.warn),
        ExerciseStatus::Passed => (format!("✓ passed{level}"), t.ok),
    }
}

fn para(s: &str, style: Style, w: usize, indent: usize) -> Vec<Line<'static>> {
    text::wrap(
        &[(s.trim().to_string(), style)],
        w,
        Span::raw(" ".repeat(indent)),
        indent,
    )
}

/// Draws the exercise list.
pub fn draw_list(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let set = &app.exercises.exercises;
    let detail_h = if area.height >= 30 { 9 } else { 6 };
    let [head, body, detail] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(4),
        Constraint::Length(detail_h),
    ])
    .areas(area);
    let passed = set
        .iter()
        .filter(|e| app.progress.exercise_status(&e.id) == ExerciseStatus::Passed)
        .count();
    f.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(" parlab exercises", t.title),
                Span::styled(
                    "  you write it, parlab checks it: correct, then fast",
                    t.text,
                ),
            ]),
            Line::styled(
                format!(
                    " {passed} of {} passed · speed against a reference on your {} cores",
                    set.len(),
                    app.machine.cores
                ),
                t.dim,
            ),
        ]),
        head,
    );
    let block = Block::bordered()
        .title(Span::styled(
            format!(" Exercises ({}) ", set.len()),
            t.title,
        ))
        .border_style(t.border);
    let inner = block.inner(body);
    f.render_widget(block, body);
    let w = inner.width as usize;
    let id_w = set.iter().map(|e| e.id.len()).max().unwrap_or(8).min(26);
    let lesson_w = set
        .iter()
        .map(|e| e.lesson.len())
        .max()
        .unwrap_or(6)
        .min(18);
    let mut lines = Vec::new();
    for (i, e) in set.iter().enumerate() {
        let sel = i == app.ex.selected;
        let (mark, mstyle) = status(app, &e.id, t);
        let fixed = 2 + id_w + 2 + lesson_w + 2 + 7 + 2 + 13;
        let title_w = w.saturating_sub(fixed);
        let mut spans = vec![
            Span::styled(if sel { "▸ " } else { "  " }, t.accent),
            Span::styled(text::pad(&text::fit(&e.id, id_w), id_w + 2), t.accent),
            Span::styled(
                text::pad(&text::fit(&e.lesson, lesson_w), lesson_w + 2),
                t.dim,
            ),
            Span::styled(text::pad(e.language.name(), 9), t.text),
            Span::styled(text::pad(&text::fit(&e.title, title_w), title_w), t.text),
            Span::styled(format!(" {:<12}", mark), mstyle),
        ];
        if sel {
            for s in &mut spans {
                s.style = s.style.patch(t.selected);
            }
            let used: usize = spans.iter().map(|s| s.width()).sum();
            spans.push(Span::styled(" ".repeat(w.saturating_sub(used)), t.selected));
        }
        lines.push(Line::from(spans));
    }
    for p in &app.exercises.problems {
        lines.push(Line::styled(
            text::fit(&format!("  ✗  {}:{}: {}", p.source, p.line, p.message), w),
            t.bad,
        ));
    }
    let scroll = (app.ex.selected + 2).saturating_sub(inner.height as usize);
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);

    let Some(e) = set.get(app.ex.selected) else {
        return;
    };
    let block = Block::bordered()
        .title(Span::styled(format!(" {} ", e.title), t.title))
        .border_style(t.border);
    let inner = block.inner(detail);
    f.render_widget(block, detail);
    let task = e.task.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut lines = para(&task, t.text, inner.width as usize, 1);
    lines.truncate(inner.height.saturating_sub(1) as usize);
    lines.push(Line::from(vec![
        Span::styled(" Enter", t.key),
        Span::styled(" opens it: start, check, hints", t.dim),
    ]));
    f.render_widget(Paragraph::new(lines), inner);
}

/// Draws one exercise.
pub fn draw_one(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let Some(e) = app.open_exercise() else {
        return;
    };
    let w = area.width.saturating_sub(4) as usize;
    let check = check_lines(app, e, t, w);
    let check_h = (check.len() as u16 + 2).min(area.height * 3 / 5).max(4);
    let [head, task, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(4),
        Constraint::Length(check_h),
    ])
    .areas(area);
    let (mark, mstyle) = status(app, &e.id, t);
    let file = app.ex.dir.as_ref().map_or_else(
        || "no data directory: set PARLAB_DATA_DIR".to_string(),
        |d| d.join(e.workspace_file()).display().to_string(),
    );
    let lesson = app
        .lessons
        .get(&e.lesson)
        .map_or(e.lesson.clone(), |l| format!("{}. {}", l.number, l.title));
    f.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(format!(" {} ", e.id), t.title),
                Span::styled(
                    text::fit(
                        &format!("· lesson {lesson} · {}", e.language.name()),
                        (area.width as usize).saturating_sub(e.id.len() + 18),
                    ),
                    t.dim,
                ),
                Span::styled(" · ", t.dim),
                Span::styled(mark, mstyle),
            ]),
            Line::from(vec![
                Span::styled(" workspace ", t.dim),
                Span::styled(
                    text::fit(&file, (area.width as usize).saturating_sub(24)),
                    t.text,
                ),
                Span::styled(
                    if app.ex.watching {
                        "  ◉ watching"
                    } else {
                        ""
                    },
                    t.accent,
                ),
            ]),
        ]),
        head,
    );

    let title = if app.ex.solution {
        " Reference solution (v: back to the task) ".to_string()
    } else {
        format!(" {} ", e.title)
    };
    let block = Block::bordered()
        .title(Span::styled(title, t.title))
        .border_style(t.border);
    let inner = block.inner(task);
    f.render_widget(block, task);
    let lines = if app.ex.solution {
        let lang = match e.language {
            Language::Python => Lang::Python,
            Language::Rust => Lang::Rust,
        };
        e.sources
            .solution
            .lines()
            .map(|l| highlight::line(l, lang, t))
            .collect()
    } else {
        task_lines(app, e, t, inner.width as usize)
    };
    let max = (lines.len() as u16).saturating_sub(inner.height);
    f.render_widget(
        Paragraph::new(lines).scroll((app.ex.scroll.min(max), 0)),
        inner,
    );

    let block = Block::bordered()
        .title(Span::styled(" Check ", t.title))
        .border_style(if app.ex.checking.is_some() {
            t.border_focus
        } else {
            t.border
        });
    let inner = block.inner(bottom);
    f.render_widget(block, bottom);
    f.render_widget(Paragraph::new(check), inner);

    if let Some(c) = app.ex.confirm {
        confirm(c, &file, t, f, area);
    }
}

/// The task, then the hints revealed so far.
fn task_lines(app: &App, e: &Exercise, t: &Theme, w: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for p in e.task.trim().split("\n\n") {
        lines.extend(para(&p.replace('\n', " "), t.text, w, 1));
        lines.push(Line::raw(""));
    }
    lines.push(Line::from(vec![
        Span::styled(" To pass: ", t.heading),
        Span::styled(verdict::rule_text(e.check.pass), t.text),
    ]));
    lines.push(Line::raw(""));
    let n = e.hints.len();
    if app.ex.hints == 0 {
        lines.push(Line::from(vec![
            Span::styled(" h", t.key),
            Span::styled(format!(" shows a hint ({n} in all, gentlest first)"), t.dim),
        ]));
    } else {
        lines.push(Line::styled(
            format!(" Hints ({} of {n})", app.ex.hints),
            t.heading,
        ));
        for (i, h) in e.hints.iter().take(app.ex.hints).enumerate() {
            lines.extend(text::wrap(
                &[(h.trim().replace('\n', " "), t.text)],
                w,
                Span::styled(format!(" {}. ", i + 1), t.accent),
                4,
            ));
        }
    }
    lines
}

/// The check pane: what `c` does, the check running, or the last verdict.
fn check_lines(app: &App, e: &Exercise, t: &Theme, w: usize) -> Vec<Line<'static>> {
    if let Some(c) = app.ex.checking {
        let spin = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
        let i = (c.elapsed_ns / 100_000_000) as usize % spin.len();
        let mut lines = vec![Line::from(vec![
            Span::styled(format!(" {} checking… ", spin[i]), t.accent),
            Span::styled(text::dur(c.elapsed_ns), t.text),
            Span::styled("   Esc cancels", t.dim),
        ])];
        lines.extend(para(
            "your program and the sequential version on the same input, then yours, the reference and sequential interleaved, best of 3 each",
            t.dim,
            w,
            1,
        ));
        return lines;
    }
    match &app.ex.verdict {
        Some(v) => {
            let mut lines = verdict_lines(v, t, w);
            if app.ex.run.is_some() {
                lines.push(Line::from(vec![
                    Span::styled(" d", t.key),
                    Span::styled(
                        " shows your program's processes from this check on the dashboard",
                        t.dim,
                    ),
                ]));
            }
            lines
        }
        None => {
            let started = app.progress.exercise(&e.id).is_some();
            let first = if started {
                " c checks your program: correctness first, then speed against the reference"
            } else {
                " s writes the starter into the workspace; edit it, then c checks it"
            };
            vec![
                Line::styled(first, t.text),
                Line::styled(
                    " w re-checks on every save · h hint · r reset · n next",
                    t.dim,
                ),
            ]
        }
    }
}

/// A verdict: correctness, the ratios and levels with their thresholds, the observer's line.
pub fn verdict_lines(v: &Verdict, t: &Theme, w: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if let Some(f) = &v.failure {
        for (i, l) in f.lines().take(4).enumerate() {
            let first = if i == 0 { " ✗ " } else { "   " };
            out.extend(text::wrap(
                &[(l.to_string(), t.bad)],
                w,
                Span::styled(first, t.bad),
                3,
            ));
        }
    }
    match (v.correct, &v.first_difference) {
        (Some(true), _) => out.push(Line::styled(
            " ✓ correct: the output equals the sequential version's",
            t.ok,
        )),
        (Some(false), d) => {
            let line = d
                .as_ref()
                .map_or(String::new(), |d| format!(": line {}", d.line));
            out.extend(text::wrap(
                &[(
                    format!("wrong answer{line} differs from the sequential version's (not graded on speed)"),
                    t.bad,
                )],
                w,
                Span::styled(" ✗ ", t.bad),
                3,
            ));
            if let Some(d) = d {
                let show =
                    |l: &Option<String>| l.clone().unwrap_or_else(|| "(output ended)".into());
                out.push(Line::styled(
                    text::fit(&format!("     expected: {}", show(&d.expected)), w),
                    t.dim,
                ));
                out.push(Line::styled(
                    text::fit(&format!("     got:      {}", show(&d.got)), w),
                    t.text,
                ));
            }
        }
        (None, _) => {}
    }
    if let Some(s) = &v.speed {
        out.extend(text::wrap(
            &[
                ("speed ".to_string(), t.heading),
                (
                    format!(
                        "{} · {:.2}x the reference's time (the reference: {}) · best of {} runs each, interleaved",
                        crate::report::than_sequential(s.speedup),
                        s.vs_reference,
                        crate::report::than_sequential(s.reference_speedup),
                        s.runs
                    ),
                    t.text,
                ),
            ],
            w,
            Span::raw(" "),
            3,
        ));
        let reached = v.level.unwrap_or(0);
        let th = &v.thresholds;
        let rules = [
            th.faster_rule(),
            format!("time ≤ {:.1}x the reference's", th.near_reference),
            format!("time ≤ {:.1}x the reference's", th.close_to_reference),
        ];
        for (i, (name, rule)) in LEVELS.iter().zip(rules).enumerate() {
            let (mark, style) = if i < reached {
                ("✓", t.ok)
            } else {
                ("·", t.dim)
            };
            out.push(Line::styled(
                text::fit(&format!("   {mark} level {}: {name} ({rule})", i + 1), w),
                style,
            ));
        }
    }
    if let Some(n) = &v.note {
        out.extend(para(n, t.dim, w, 1));
    }
    if let Some(o) = &v.observed {
        out.extend(text::wrap(
            &[
                ("observed: ".to_string(), t.heading),
                (o.describe(), t.text),
            ],
            w,
            Span::raw(" "),
            1,
        ));
    }
    let rule = verdict::rule_text(v.pass_rule);
    let last = if v.passed {
        [
            ("PASSED".to_string(), t.ok),
            (format!(" (needs {rule}) · v solution · n next"), t.dim),
        ]
    } else {
        [
            ("NOT PASSED".to_string(), t.bad),
            (format!(" (needs {rule}) · h hint"), t.dim),
        ]
    };
    out.extend(text::wrap(&last, w, Span::raw(" "), 3));
    out
}

/// The yes/no question over the screen.
fn confirm(c: Confirm, file: &str, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let w = 64.min(area.width.saturating_sub(4));
    let inner_w = w.saturating_sub(4) as usize;
    let (title, ask) = match c {
        Confirm::Overwrite => (
            " Overwrite your file? ",
            format!("{file} holds your edits. Overwrite it with the starter? Your edits are lost."),
        ),
        Confirm::Reset => (
            " Reset to the starter? ",
            format!("Put the starter back into {file}? Your edits are lost."),
        ),
    };
    let mut lines = para(&ask, t.text, inner_w, 0);
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("y", t.key),
        Span::styled(" yes, overwrite    ", t.text),
        Span::styled("n Esc", t.key),
        Span::styled(" no, keep my file", t.text),
    ]));
    let h = (lines.len() as u16 + 2).min(area.height);
    super::dialog::dialog(
        f,
        t,
        area,
        (w, h),
        title,
        Paragraph::new(lines).wrap(Wrap { trim: false }),
    );
}
