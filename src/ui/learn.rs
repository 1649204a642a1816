//! The student dialogs drawn over the screen: a prediction asked before the run, and the quiz
//! one question at a time with the explanation of the chosen and the right answer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text;
use super::theme::Theme;
use crate::app::App;
use crate::lesson::Answer;

/// Widest a dialog gets.
const MAX_W: u16 = 76;

/// Draws the prediction or quiz dialog, if one is open.
pub fn draw(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let w = MAX_W.min(area.width.saturating_sub(4));
    let inner_w = w.saturating_sub(4) as usize;
    let (title, lines) = if let Some(l) = predict_lines(app, t, inner_w) {
        (" Predict before you run ", l)
    } else if let Some(l) = quiz_lines(app, t, inner_w) {
        (" Quiz ", l)
    } else {
        return;
    };
    let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    super::dialog::dialog(f, t, area, (w, h), title, Paragraph::new(lines));
}

fn para(s: &str, style: Style, w: usize) -> Vec<Line<'static>> {
    text::wrap(&[(s.to_string(), style)], w, Span::raw(""), 0)
}

/// Choices numbered from 1, the highlighted one marked; `mark(i)` adds ✓ / ✗ after answering.
fn choice_lines(
    choices: &[&str],
    at: usize,
    mark: impl Fn(usize) -> Option<(&'static str, Style)>,
    t: &Theme,
    w: usize,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, c) in choices.iter().enumerate() {
        let sel = i == at;
        let (m, ms) = mark(i).unwrap_or(("", t.dim));
        let lead = format!("{} {}. ", if sel { "▸" } else { " " }, i + 1);
        let style = if sel { t.selected } else { t.text };
        let mut runs = vec![(c.to_string(), style)];
        if !m.is_empty() {
            runs.push((format!("  {m}"), ms));
        }
        out.extend(text::wrap(&runs, w, Span::styled(lead, t.key), 5));
    }
    out
}

fn predict_lines(app: &App, t: &Theme, w: usize) -> Option<Vec<Line<'static>>> {
    let ask = app.learn.asking.as_ref()?;
    let l = app.lesson(ask.lesson)?;
    let p = ask.current(l)?;
    let mut out = vec![Line::styled(
        format!(
            "Question {} of {} · your guess is checked by this run on your {} cores",
            ask.at + 1,
            ask.queue.len(),
            app.machine.cores
        ),
        t.dim,
    )];
    out.push(Line::raw(""));
    out.extend(para(&p.question, t.heading, w));
    out.push(Line::raw(""));
    match &p.answer {
        Answer::Choices(c) => {
            let names: Vec<&str> = c.iter().map(|(s, _)| s.as_str()).collect();
            out.extend(choice_lines(&names, ask.choice, |_| None, t, w));
            out.push(Line::raw(""));
            out.push(Line::styled(
                "1-9 or ↑↓ Enter answers · Esc skips · the run starts after",
                t.dim,
            ));
        }
        Answer::Number { tolerance, .. } => {
            out.push(Line::from(vec![
                Span::styled("your number: ", t.text),
                Span::styled(format!("{}▏", ask.typed), t.accent),
            ]));
            out.push(Line::raw(""));
            out.push(Line::styled(
                format!(
                    "within {:.0}% counts as right · Enter answers · Esc skips",
                    tolerance * 100.0
                ),
                t.dim,
            ));
        }
    }
    if let Some(e) = &ask.error {
        out.push(Line::styled(e.clone(), t.bad));
    }
    Some(out)
}

fn quiz_lines(app: &App, t: &Theme, w: usize) -> Option<Vec<Line<'static>>> {
    let q = app.learn.quiz.as_ref()?;
    let l = app.lesson(q.lesson)?;
    let n = l.quizzes.len();
    let Some(question) = l.quizzes.get(q.at) else {
        return Some(vec![
            Line::styled(format!("{} of {n} right", q.right), t.heading),
            Line::raw(""),
            Line::styled(
                "kept in your progress (parlab progress) · Enter closes",
                t.dim,
            ),
        ]);
    };
    let mut out = vec![Line::styled(format!("Question {} of {n}", q.at + 1), t.dim)];
    out.push(Line::raw(""));
    out.extend(para(&question.question, t.heading, w));
    out.push(Line::raw(""));
    let names: Vec<&str> = question.choices.iter().map(String::as_str).collect();
    let answered = q.answered;
    let mark = |i: usize| {
        answered?;
        if i == question.answer {
            Some(("✓ right", t.ok))
        } else if Some(i) == answered {
            Some(("✗ your answer", t.bad))
        } else {
            None
        }
    };
    out.extend(choice_lines(&names, q.choice, mark, t, w));
    out.push(Line::raw(""));
    match answered {
        None => out.push(Line::styled("1-9 or ↑↓ Enter answers · Esc closes", t.dim)),
        Some(a) => {
            let mut explain = |i: usize, label: &str, style: Style| {
                if let Some(e) = question.explain.get(i) {
                    out.extend(text::wrap(
                        &[(e.clone(), t.text)],
                        w,
                        Span::styled(label.to_string(), style),
                        2,
                    ));
                }
            };
            if a == question.answer {
                explain(a, "✓ ", t.ok);
            } else {
                explain(a, "✗ ", t.bad);
                explain(question.answer, "✓ ", t.ok);
            }
            out.push(Line::raw(""));
            let next = if q.at + 1 < n {
                "next question"
            } else {
                "your score"
            };
            out.push(Line::styled(format!("Enter: {next} · Esc closes"), t.dim));
        }
    }
    Some(out)
}
