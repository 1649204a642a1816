//! The lower panels drawn as lines: Results (with the lesson's Claims), Parameters and Log. Each scrolls through
//! [`Pane::lines`], so every line of a long result can be brought on screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget as _;

use crate::app::App;
use crate::app::run::RunView;
use crate::ui::pane::{Pane, Reach};
use crate::ui::theme::Theme;
use crate::ui::{claims, results, text};

/// The Results panel, scrolled.
pub fn results(
    app: &App,
    run: &RunView,
    t: &Theme,
    pane: Pane,
    area: Rect,
    buf: &mut Buffer,
) -> Reach {
    let block = pane.block(" Results ".into(), t);
    let inner = block.inner(area);
    block.render(area, buf);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let width = inner.width as usize;
    let mut lines = results::lines(run, app.compare_run(), t, width);
    // The claims of the run's lesson, judged once the run has finished.
    let lesson = app.lessons.lessons.iter().find(|l| l.id == run.lesson);
    if let (Some(l), Some(m)) = (lesson, &run.measured) {
        claims::add_to_results(&mut lines, &l.claims, m, t, width);
    }
    pane.lines(lines, t, inner, buf)
}

/// The Log panel: each worker's lines with its id and the time since the run started.
pub fn log(run: &RunView, t: &Theme, pane: Pane, area: Rect, buf: &mut Buffer) -> Reach {
    let logs = &run.rec.logs;
    let workers = {
        let mut w: Vec<u32> = logs.iter().map(|l| l.worker).collect();
        w.sort_unstable();
        w.dedup();
        w.len()
    };
    let title = crate::ui::pane::fit_title(
        &[
            format!(" Log · {} lines from {workers} workers ", logs.len()),
            format!(" Log · {} lines ", logs.len()),
            " Log ".into(),
        ],
        area.width,
    );
    let block = pane.block(title, t);
    let inner = block.inner(area);
    block.render(area, buf);
    let (start, _) = run.extent();
    let w = inner.width as usize;
    let lines = logs
        .iter()
        .map(|l| {
            let head = format!(
                "{:>9} w{:<2} ",
                text::short_dur(l.t_ns.saturating_sub(start)),
                l.worker
            );
            let room = w.saturating_sub(text::width(&head));
            Line::from(vec![
                Span::styled(head, t.dim),
                Span::styled(text::fit(&l.text, room), t.text),
            ])
        })
        .collect();
    pane.lines(lines, t, inner, buf)
}

/// The parameter editor (it keeps its own selection in view).
pub fn params(app: &App, t: &Theme, pane: Pane, area: Rect, buf: &mut Buffer) {
    let editing = app.dash.focus == crate::app::Focus::Params;
    let title = if editing {
        " Parameters (editing) "
    } else {
        " Parameters · p edits "
    };
    let block = pane
        .block(title.into(), t)
        .border_style(if editing || pane.focused {
            t.border_focus
        } else {
            t.border
        });
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(s) = &app.params.settings else {
        buf.set_string(inner.x, inner.y, "nothing to set", t.dim);
        return;
    };
    let rows = s.rows();
    let sel = app.params.row.min(rows.len().saturating_sub(1));
    let w = inner.width as usize;
    // Names as wide as the longest ("variant process-copy"), leaving a value room for 8.
    let longest = rows
        .iter()
        .map(|r| text::width(&s.describe(*r).0))
        .max()
        .unwrap_or(0);
    let name_w = (longest + 1).min(w.saturating_sub(12)).max(w.min(8));
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let (name, value, _) = s.describe(*row);
        let is_sel = editing && i == sel;
        let value = match (&app.params.editing, is_sel) {
            (Some(buf), true) => format!("{buf}▏"),
            _ => value,
        };
        let arrows = if is_sel && app.params.editing.is_none() {
            "◂ ▸"
        } else {
            ""
        };
        let mut line = Line::from(vec![
            Span::styled(
                text::pad(&name, name_w),
                if is_sel { t.accent } else { t.dim },
            ),
            Span::styled(text::fit(&value, w.saturating_sub(name_w + 4)), t.text),
            Span::styled(format!(" {arrows}"), t.dim),
        ]);
        if is_sel {
            line = line.style(t.selected);
        }
        lines.push(line);
    }
    let room = (inner.height as usize).saturating_sub(lines.len());
    if editing && room >= 2 {
        let (_, _, help) = s.describe(rows[sel]);
        lines.push(Line::raw(""));
        lines.extend(text::wrap(&[(help, t.dim)], w, Span::raw(""), 0));
    } else if !editing && room >= 2 {
        lines.push(Line::raw(""));
        lines.push(Line::styled("r runs again with these values", t.dim));
    }
    let scroll = if editing {
        (sel + 1).saturating_sub(inner.height as usize) as u16
    } else {
        pane.scroll
    };
    ratatui::widgets::Paragraph::new(lines)
        .scroll((scroll, 0))
        .render(inner, buf);
}
