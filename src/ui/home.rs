//! The lesson browser: numbered lessons with title, summary and status; a filter line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::text;
use super::theme::Theme;
use crate::app::App;
use crate::lesson::Lesson;
use crate::progress::LessonStatus;

/// Draws the browser.
pub fn draw(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let [head, body] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    f.render_widget(Paragraph::new(header(app, t)), head);

    let vis = app.visible_lessons();
    let block = Block::bordered()
        .title(Span::styled(
            format!(" Lessons ({} of {}) ", vis.len(), app.lessons.lessons.len()),
            t.title,
        ))
        .border_style(t.border);
    let inner = block.inner(body);
    f.render_widget(block, body);

    let w = inner.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut sel_line = 0;
    for &i in &vis {
        let selected = i == app.home.selected;
        if selected {
            sel_line = lines.len();
        }
        lines.extend(lesson_lines(app, &app.lessons.lessons[i], selected, w, t));
    }
    for b in &app.lessons.broken {
        lines.push(Line::styled(
            text::fit(&format!("  ✗  {}:{}: {}", b.source, b.line, b.message), w),
            t.bad,
        ));
    }
    if vis.is_empty() {
        lines.push(Line::styled(
            if app.home.filter.is_empty() {
                "  no lessons found".to_string()
            } else {
                format!("  no lesson matches \"{}\" (Esc clears)", app.home.filter)
            },
            t.dim,
        ));
    }
    let h = inner.height as usize;
    let scroll = (sel_line + 2).saturating_sub(h);
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
}

/// Name, machine, and the filter line.
fn header(app: &App, t: &Theme) -> Vec<Line<'static>> {
    vec![
        Line::from(vec![
            Span::styled(" parlab", t.title),
            Span::styled("  learn parallel programming by running it", t.text),
        ]),
        Line::styled(
            format!(
                " this machine: {} cores · {}",
                app.machine.cores,
                text::fit(&app.machine.cpu_model, 40)
            ),
            t.dim,
        ),
        if app.home.filtering || !app.home.filter.is_empty() {
            Line::from(vec![
                Span::styled(" filter: ", t.accent),
                Span::styled(app.home.filter.clone(), t.text),
                Span::styled(if app.home.filtering { "▏" } else { "" }, t.accent),
            ])
        } else {
            Line::raw("")
        },
    ]
}

/// One lesson: number, title and status, then its summary; highlighted when selected.
fn lesson_lines(app: &App, l: &Lesson, selected: bool, w: usize, t: &Theme) -> [Line<'static>; 2] {
    let (badge, bstyle) = match app.lesson_status(l) {
        None => ("not started", t.dim),
        Some(LessonStatus::Run) => ("run", t.warn),
        Some(LessonStatus::Done) => ("done ✓", t.ok),
    };
    let num = format!(" {:>2}  ", l.number);
    let title_w = w.saturating_sub(num.len() + 14);
    let mut title_line = vec![
        Span::styled(num, if selected { t.accent } else { t.dim }),
        Span::styled(text::pad(&l.title, title_w), t.text),
        Span::styled(format!(" {:>12}", badge), bstyle),
    ];
    let marks = progress_marks(app, l);
    let sum_w = w.saturating_sub(7 + text::width(&marks));
    let mut sum_line = vec![
        Span::raw("      "),
        Span::styled(text::pad(&text::fit(&l.summary, sum_w), sum_w), t.dim),
        Span::styled(marks, t.accent),
    ];
    if selected {
        for s in title_line.iter_mut().chain(sum_line.iter_mut()) {
            s.style = s.style.patch(t.selected);
        }
        let pad1 = w.saturating_sub(title_line.iter().map(|s| s.width()).sum());
        title_line.push(Span::styled(" ".repeat(pad1), t.selected));
        let pad2 = w.saturating_sub(sum_line.iter().map(|s| s.width()).sum());
        sum_line.push(Span::styled(" ".repeat(pad2), t.selected));
    }
    [Line::from(title_line), Line::from(sum_line)]
}

/// What the student did in lesson `l`, short: runs, claims held on the last run, challenge
/// met, quiz score (empty before anything).
fn progress_marks(app: &App, l: &Lesson) -> String {
    let Some(p) = app.progress.lesson(&l.id) else {
        return String::new();
    };
    let mut marks = Vec::new();
    if p.runs > 0 {
        marks.push(format!(
            "{} run{}",
            p.runs,
            if p.runs == 1 { "" } else { "s" }
        ));
    }
    let (held, checked) = p.claims_held();
    if checked > 0 {
        marks.push(format!("claims {held}/{checked}"));
    }
    if !p.challenges.is_empty() {
        marks.push("challenge ✓".into());
    }
    let (right, answered) = p.quiz_score();
    if answered > 0 {
        marks.push(format!("quiz {right}/{}", l.quizzes.len()));
    }
    if marks.is_empty() {
        String::new()
    } else {
        format!(" {} ", marks.join(" · "))
    }
}
