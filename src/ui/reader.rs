//! The lesson reader: prose, the Python sketch beside the Rust that runs (tabs when narrow),
//! and the demo's parameters with their current values.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::highlight::{self, Lang};
use super::theme::Theme;
use super::{markdown, text};
use crate::app::{App, CodeTab};
use crate::lesson::measured::Measured;
use crate::lesson::pyrun::PyRun;
use crate::lesson::{Block as LessonBlock, CodePair, Lesson, outcome};

/// Width from which Python and Rust sit side by side.
pub const SIDE_BY_SIDE: usize = 110;
/// Width from which the parameters get a column of their own.
const SIDEBAR_FROM: u16 = 120;

/// Draws the reader.
pub fn draw(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) -> usize {
    let Some(lesson) = app.open_lesson_ref() else {
        return 0;
    };
    let (body, side) = if area.width >= SIDEBAR_FROM {
        let [b, s] = Layout::horizontal([Constraint::Min(60), Constraint::Length(34)]).areas(area);
        (b, Some(s))
    } else {
        let h = 4;
        let [b, s] = Layout::vertical([Constraint::Min(5), Constraint::Length(h)]).areas(area);
        (b, Some(s))
    };
    let block = Block::bordered()
        .title(Span::styled(
            format!(" {}. {} ", lesson.number, lesson.title),
            t.title,
        ))
        .border_style(t.border);
    let inner = block.inner(body).inner(ratatui::layout::Margin::new(1, 0));
    f.render_widget(block, body);
    let measured = app
        .lesson_runs()
        .iter()
        .rev()
        .find_map(|i| app.runs.get(*i).and_then(|r| r.measured.as_ref()));
    let mut lines = body_lines(
        lesson,
        measured,
        app.python_run(&lesson.id),
        inner.width as usize,
        app.reader.code_tab,
        t,
    );
    // Predictions, the challenge and the quiz, under the claims.
    let more = super::activities::markdown(app, lesson, measured);
    if !more.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(markdown::render(&more, inner.width as usize, t));
    }
    lines.extend(exercise_lines(app, lesson, t));
    let max = lines.len().saturating_sub(inner.height as usize);
    let scroll = app.reader.scroll.min(max);
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    if max > 0 {
        let pct = (scroll * 100).checked_div(max).unwrap_or(100);
        let label = format!(" {pct}% ");
        let x = body.x + body.width.saturating_sub(label.len() as u16 + 2);
        f.buffer_mut()
            .set_string(x, body.y + body.height - 1, label, t.dim);
    }
    if let Some(side) = side {
        params_panel(app, t, f, side, area.width >= SIDEBAR_FROM);
    }
    max
}

/// The whole lesson body as lines for `width`: placeholders filled from `measured` (the
/// latest finished run of the lesson; dashes before one) and `python` (the student's latest
/// Python run of it, `py_*`; dashes before one), and the "What to notice" section
/// rendered from the claims, each judged on that run.
pub fn body_lines(
    lesson: &Lesson,
    measured: Option<&Measured>,
    python: Option<&PyRun>,
    width: usize,
    tab: CodeTab,
    t: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    // The text also quotes the student's own Python run (`{{ py_wall() }}`).
    let text_m = Measured::with_python(measured, python.cloned());
    for b in &lesson.blocks {
        match b {
            LessonBlock::Text(md) => {
                out.extend(markdown::render(
                    &outcome::fill(md, text_m.as_ref()),
                    width,
                    t,
                ));
                out.push(Line::raw(""));
            }
            LessonBlock::Code(pair) => {
                out.extend(code_lines(pair, width, tab, t));
                out.push(Line::raw(""));
            }
        }
    }
    let notice = outcome::notice_markdown(&lesson.claims, measured);
    if !notice.is_empty() {
        out.extend(markdown::render(&notice, width, t));
    }
    while out.last().is_some_and(|l| l.width() == 0) {
        out.pop();
    }
    out
}

fn code_lines(pair: &CodePair, width: usize, tab: CodeTab, t: &Theme) -> Vec<Line<'static>> {
    let py = pair.python.as_deref();
    let rs = pair.rust.as_deref();
    let hl = |src: &str, lang: Lang, w: usize| -> Vec<Line<'static>> {
        src.trim_end_matches('\n')
            .lines()
            .map(|l| clip(highlight::line(l, lang, t), w))
            .collect()
    };
    let mut out = Vec::new();
    if width >= SIDE_BY_SIDE && py.is_some() && rs.is_some() {
        let col = (width - 3) / 2;
        let left = hl(py.unwrap_or(""), Lang::Python, col);
        let right = hl(rs.unwrap_or(""), Lang::Rust, col);
        out.push(Line::from(vec![
            Span::styled(text::pad("── Python sketch ", col), t.title),
            Span::styled(" │ ", t.border),
            Span::styled(text::pad("── Rust (what parlab runs) ", col), t.title),
        ]));
        for i in 0..left.len().max(right.len()) {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let l = left.get(i).cloned().unwrap_or_default();
            let lw = l.width();
            spans.extend(l.spans);
            spans.push(Span::raw(" ".repeat(col.saturating_sub(lw))));
            spans.push(Span::styled(" │ ", t.border));
            if let Some(r) = right.get(i) {
                spans.extend(r.spans.clone());
            }
            out.push(Line::from(spans));
        }
        return out;
    }
    let both = py.is_some() && rs.is_some();
    let (show, lang) = match (tab, py, rs) {
        (CodeTab::Python, Some(p), _) | (CodeTab::Rust, Some(p), None) => (p, Lang::Python),
        (_, _, Some(r)) => (r, Lang::Rust),
        _ => return out,
    };
    if both {
        let (a, b) = if lang == Lang::Python {
            (t.selected, t.dim)
        } else {
            (t.dim, t.selected)
        };
        out.push(Line::from(vec![
            Span::styled(" Python sketch ", a),
            Span::raw(" "),
            Span::styled(" Rust (what parlab runs) ", b),
            Span::styled("   t switches", t.dim),
        ]));
    } else {
        let name = if lang == Lang::Python {
            "Python sketch"
        } else {
            "Rust (what parlab runs)"
        };
        out.push(Line::styled(format!("── {name}"), t.title));
    }
    out.extend(
        hl(show, lang, width.saturating_sub(2))
            .into_iter()
            .map(|mut l| {
                l.spans.insert(0, Span::styled("▏ ", t.border));
                l
            }),
    );
    out
}

/// Cuts a line to `w` cells (code is not wrapped: indentation matters).
fn clip(line: Line<'static>, w: usize) -> Line<'static> {
    if line.width() <= w {
        return line;
    }
    let mut used = 0;
    let mut spans = Vec::new();
    for s in line.spans {
        let sw = s.width();
        if used + sw < w {
            used += sw;
            spans.push(s);
        } else {
            let cut = text::fit(&s.content, w - used);
            spans.push(Span::styled(cut, s.style));
            break;
        }
    }
    Line::from(spans)
}

fn params_panel(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect, tall: bool) {
    let block = Block::bordered()
        .title(Span::styled(" Run it ", t.title))
        .border_style(t.border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(s) = &app.params.settings else {
        f.render_widget(
            Paragraph::new(Line::styled("no demo for this lesson", t.bad)),
            inner,
        );
        return;
    };
    let info = s.demo.info();
    let runs = app.lesson_runs().len();
    if tall {
        let mut lines = vec![
            Line::from(vec![
                Span::styled("demo ", t.dim),
                Span::styled(info.id, t.accent),
            ]),
            Line::raw(""),
        ];
        for row in s.rows() {
            let (name, value, _) = s.describe(row);
            lines.push(Line::from(vec![
                Span::styled(text::pad(&name, 18), t.dim),
                Span::styled(value, t.text),
            ]));
        }
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled("r", t.key),
            Span::styled(" runs every variant", t.dim),
        ]));
        lines.push(Line::styled("  (p on the dashboard edits)", t.dim));
        if runs > 0 {
            lines.push(Line::from(vec![
                Span::styled("d", t.key),
                Span::styled(format!(" shows the last run ({runs} so far)"), t.dim),
            ]));
        }
        f.render_widget(Paragraph::new(lines), inner);
    } else {
        let vals: Vec<String> = s
            .rows()
            .into_iter()
            .filter(|r| !matches!(r, crate::app::settings::Row::Variant(_)))
            .map(|r| {
                let (n, v, _) = s.describe(r);
                format!("{n}={v}")
            })
            .collect();
        let lines = vec![
            Line::from(vec![
                Span::styled("demo ", t.dim),
                Span::styled(info.id, t.accent),
                Span::styled("  ", t.dim),
                Span::styled(vals.join("  "), t.text),
            ]),
            Line::from(vec![
                Span::styled("r", t.key),
                Span::styled(
                    " runs every variant · p on the dashboard edits values",
                    t.dim,
                ),
                Span::styled(
                    if runs > 0 {
                        " · d shows the last run"
                    } else {
                        ""
                    },
                    t.dim,
                ),
            ]),
        ];
        f.render_widget(Paragraph::new(lines), inner);
    }
}

/// The lesson's code exercises with the learner's status, and the key that opens them.
fn exercise_lines(app: &App, lesson: &crate::lesson::Lesson, t: &Theme) -> Vec<Line<'static>> {
    let own = crate::app::exercises::of_lesson(&app.exercises, &lesson.id);
    if own.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![
        Line::raw(""),
        Line::from(vec![
            Span::styled("Exercises", t.heading),
            Span::styled("  (", t.dim),
            Span::styled("e", t.key),
            Span::styled(" opens them)", t.dim),
        ]),
    ];
    for e in own {
        let st = app.progress.exercise_status(&e.id);
        let style = match st {
            crate::progress::ExerciseStatus::Passed => t.ok,
            crate::progress::ExerciseStatus::Started => t.warn,
            crate::progress::ExerciseStatus::New => t.dim,
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {} ", e.id), t.accent),
            Span::styled(format!("{} · {} · ", e.title, e.language.name()), t.text),
            Span::styled(st.word(), style),
        ]));
    }
    lines
}
