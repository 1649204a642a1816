//! The Runs screen: runs kept between sessions, newest first (date, lesson, parameters,
//! headline), and two runs of a lesson side by side (what differs, each variant's ratio).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::text;
use super::theme::Theme;
use crate::app::App;
use crate::runstore::compare::{Comparison, compare};
use crate::runstore::{StoredRun, when};

/// Draws the Runs screen.
pub fn draw(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let h = &app.history;
    let cmp = h
        .comparing
        .and_then(|(a, b)| Some((h.runs.get(a)?, h.runs.get(b)?)));
    let list_area = match cmp {
        Some((a, b)) => {
            let c = compare(a, b);
            let want = (c.rows.len() + c.changes.len().min(4) + 6) as u16;
            let [top, bottom] = Layout::vertical([
                Constraint::Min(5),
                Constraint::Length(want.min(area.height.saturating_sub(5))),
            ])
            .areas(area);
            comparison(a, b, &c, t, f, bottom);
            top
        }
        None => area,
    };
    list(app, t, f, list_area);
}

fn list(app: &App, t: &Theme, f: &mut Frame<'_>, area: Rect) {
    let h = &app.history;
    let block = Block::bordered()
        .title(Span::styled(
            format!(
                " Runs kept between sessions ({}, newest first) ",
                h.runs.len()
            ),
            t.title,
        ))
        .border_style(t.border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    if h.runs.is_empty() {
        let l = "No kept runs yet: every run you finish in a lesson is kept here.";
        f.render_widget(Paragraph::new(Line::styled(text::fit(l, w), t.dim)), inner);
        return;
    }
    let rows = inner.height as usize;
    let first = h.selected.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line<'static>> = h
        .runs
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, r)| row(r, i == h.selected, h.marked == Some(i), w, t))
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

fn row(r: &StoredRun, selected: bool, marked: bool, w: usize, t: &Theme) -> Line<'static> {
    let sel = if selected { "▶" } else { " " };
    let mark = if marked { "A" } else { " " };
    let when = when::fmt_utc(r.time_unix);
    let lesson = if r.lesson.is_empty() {
        &r.demo
    } else {
        &r.lesson
    };
    let head = format!("{sel}{mark} {when}  {}  ", text::pad(lesson, 14));
    let rest = w.saturating_sub(text::width(&head));
    // The parameters whole when they leave the headline 30 columns; the headline the rest.
    let params = whole_words(&r.params_line(), rest.saturating_sub(30).max(rest / 2));
    let headline = text::fit(r.headline(), rest.saturating_sub(text::width(&params) + 2));
    let bad = r.variants.iter().any(|v| !v.correct);
    let base = if selected { t.selected } else { t.text };
    Line::from(vec![
        Span::styled(head, base),
        Span::styled(format!("{params}  "), t.dim),
        Span::styled(headline, if bad { t.bad } else { base }),
    ])
}

fn comparison(
    a: &StoredRun,
    b: &StoredRun,
    c: &Comparison,
    t: &Theme,
    f: &mut Frame<'_>,
    area: Rect,
) {
    let block = Block::bordered()
        .title(Span::styled(" Compare A with B ", t.title))
        .border_style(t.border_focus);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut out = vec![
        Line::styled(
            text::fit(
                &format!("A: {} · {}", when::fmt_utc(a.time_unix), a.params_line()),
                w,
            ),
            t.text,
        ),
        Line::styled(
            text::fit(
                &format!("B: {} · {}", when::fmt_utc(b.time_unix), b.params_line()),
                w,
            ),
            t.text,
        ),
    ];
    if !c.same_lesson {
        let l = format!(
            "A is a run of {} and B of {}: runs of different lessons do not compare.",
            a.lesson, b.lesson
        );
        out.extend(text::wrap(&[(l, t.warn)], w, Span::raw(""), 0));
        f.render_widget(Paragraph::new(out), inner);
        return;
    }
    let what = if c.changes.is_empty() {
        "same parameters".to_string()
    } else {
        c.changes.join(", ")
    };
    out.extend(text::wrap(
        &[(format!("what differs: {what}"), t.accent)],
        w,
        Span::raw(""),
        2,
    ));
    out.push(Line::styled(
        text::fit(
            &format!(
                "{}  {:>11} {:>11}  {:>7}",
                text::pad("variant", 14),
                "A median",
                "B median",
                "A / B"
            ),
            w,
        ),
        t.dim,
    ));
    let ms = |m: Option<f64>| m.map_or("—".to_string(), text::ms);
    for r in &c.rows {
        let ratio = r.ratio.map_or("—".to_string(), |x| format!("{x:.2}"));
        let wrong = match r.correct {
            (true, true) => "",
            (false, true) => "  ✗ A's answer differs",
            (true, false) => "  ✗ B's answer differs",
            (false, false) => "  ✗ both answers differ",
        };
        let l = format!(
            "{}  {:>11} {:>11}  {:>7}{wrong}",
            text::pad(&r.name, 14),
            ms(r.a_ms),
            ms(r.b_ms),
            ratio
        );
        out.push(Line::styled(
            text::fit(&l, w),
            if wrong.is_empty() { t.text } else { t.bad },
        ));
    }
    out.push(Line::styled(
        text::fit("A / B above 1: B took less time; below 1: more.", w),
        t.dim,
    ));
    f.render_widget(Paragraph::new(out), inner);
}

/// `line` cut to `w` columns between words, never inside a `name=value`, with "…" when cut.
fn whole_words(line: &str, w: usize) -> String {
    if text::width(line) <= w {
        return line.to_string();
    }
    let mut out = String::new();
    for word in line.split(' ') {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if text::width(&next) + 2 > w {
            break;
        }
        out = next;
    }
    format!("{out} …")
}

#[cfg(test)]
mod tests {
    #[test]
    fn parameters_are_cut_between_words() {
        assert_eq!(
            super::whole_words("workers=4 size=400000 work=heavy", 22),
            "workers=4 …"
        );
        assert_eq!(super::whole_words("workers=4", 22), "workers=4");
    }
}
