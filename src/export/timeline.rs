//! The timeline and per-core strip of a slide: a row per worker (grouped above
//! [`MAX_ROWS`]), each stretch filled with its phase's Okabe–Ito colour *and* pattern, then a
//! strip of per-core load in greys, both on one time axis.

use svg::node::element::{Definitions, Group, Line, Path, Pattern, Rectangle, Text, Title};

use super::grid::{self, Window};
use super::okabe;
use crate::recording::Recording;
use crate::trace::Phase;
use crate::units::fmt_ms;

/// Most timeline rows drawn; more workers are grouped, neighbours together.
pub const MAX_ROWS: usize = 128;
/// Columns the time axis is resampled to (one cell per column at most).
const COLS: usize = 1000;
/// Left margin for row labels, px.
pub const LABEL_W: f64 = 70.0;

/// The pattern element id of a phase.
fn pattern_id(p: Phase) -> String {
    format!("p-{}", p.name())
}

/// The hatching drawn over a phase's colour, so phases differ without colour too.
fn hatch(p: Phase) -> Option<&'static str> {
    match p {
        Phase::Compute => None,
        Phase::Startup => Some("M1,1 h2 v2 h-2 z M5,5 h2 v2 h-2 z"),
        Phase::Send => Some("M0,8 L8,0"),
        Phase::Receive => Some("M0,0 L8,8"),
        Phase::WaitLock => Some("M0,8 L8,0 M0,0 L8,8"),
        Phase::WaitWork => Some("M0,4 L8,4"),
        Phase::Idle => Some("M4,0 L4,8"),
        Phase::WaitCpu => Some("M2,2 h1 v1 h-1 z M6,6 h1 v1 h-1 z"),
        Phase::Blocked => Some("M0,2 L8,2 M0,6 L8,6"),
    }
}

/// `<defs>` with one pattern per phase.
pub fn defs() -> Definitions {
    let mut d = Definitions::new();
    for p in Phase::ALL {
        let mut pat = Pattern::new()
            .set("id", pattern_id(p))
            .set("width", 8)
            .set("height", 8)
            .set("patternUnits", "userSpaceOnUse")
            .add(
                Rectangle::new()
                    .set("width", 8)
                    .set("height", 8)
                    .set("fill", okabe::hex(okabe::phase(p))),
            );
        if let Some(h) = hatch(p) {
            pat = pat.add(
                Path::new()
                    .set("d", h)
                    .set("stroke", "#000000")
                    .set("stroke-opacity", 0.55)
                    .set("stroke-width", 1.5),
            );
        }
        d = d.add(pat);
    }
    d
}

/// The fill of a phase: its pattern.
pub fn fill(p: Phase) -> String {
    format!("url(#{})", pattern_id(p))
}

/// A legend: one swatch and name per phase, at `y`, `width` wide.
pub fn legend(y: f64) -> Group {
    let mut g = Group::new().set("class", "legend");
    let mut x = LABEL_W;
    for p in Phase::ALL {
        g = g
            .add(
                Rectangle::new()
                    .set("x", x)
                    .set("y", y)
                    .set("width", 16)
                    .set("height", 12)
                    .set("fill", fill(p))
                    .set("stroke", "#000000"),
            )
            .add(text(x + 20.0, y + 11.0, p.name(), 13.0));
        x += 28.0 + 8.0 * p.name().len() as f64;
    }
    g
}

/// A text element at (x, y).
pub fn text(x: f64, y: f64, s: &str, size: f64) -> Text {
    Text::new(s)
        .set("x", x)
        .set("y", y)
        .set("font-size", size)
        .set("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif")
}

/// A row's label as drawn in the margin: `w3`, or `w3 producer` cut to the characters the
/// margin holds at `size` px (about 0.6 em each), the worker's number kept whole.
fn row_text(row: &grid::PhaseRow, size: f64) -> String {
    match &row.role {
        Some(r) => {
            let chars = ((LABEL_W - 6.0) / (size * 0.6)).floor().max(0.0) as usize;
            let n = row.label.trim_start_matches('w').parse().unwrap_or(0);
            crate::ui::text::row_name(n, Some(r), chars)
        }
        None => row.label.clone(),
    }
}

/// The timeline at `y`, `width` wide; returns the group and its height.
pub fn timeline(rec: &Recording, win: Window, y: f64, width: f64) -> (Group, f64) {
    let rows = grid::phases(rec, win, MAX_ROWS, COLS);
    let row_h = (480.0 / rows.len().max(1) as f64).clamp(3.0, 22.0);
    let plot_w = width - LABEL_W - 10.0;
    let col_w = plot_w / COLS as f64;
    let label_size = (row_h * 0.8).clamp(3.0, 13.0);
    let mut g = Group::new().set("class", "timeline");
    for (i, row) in rows.iter().enumerate() {
        let ry = y + i as f64 * row_h;
        let mut rg = Group::new()
            .set("class", "worker-row")
            .set("data-row", row.label.clone());
        if row_h >= 7.0 || i % 8 == 0 {
            rg = rg.add(text(
                4.0,
                ry + row_h * 0.8,
                &row_text(row, label_size),
                label_size,
            ));
        }
        for (c, run, p) in runs(&row.cells) {
            if let Some(p) = p {
                rg = rg.add(
                    Rectangle::new()
                        .set("x", LABEL_W + c as f64 * col_w)
                        .set("y", ry + 0.5)
                        .set("width", run as f64 * col_w)
                        .set("height", (row_h - 1.0).max(1.0))
                        .set("fill", fill(*p))
                        .add(Title::new(match &row.role {
                            Some(r) => format!("{} {r}: {}", row.label, p.name()),
                            None => format!("{}: {}", row.label, p.name()),
                        })),
                );
            }
        }
        g = g.add(rg);
    }
    let h = rows.len() as f64 * row_h;
    g = g.add(pass_marks(rec, win, y, h, plot_w));
    (g, h)
}

/// A thin line and the variant's name where each variant's first pass starts.
fn pass_marks(rec: &Recording, win: Window, y: f64, h: f64, plot_w: f64) -> Group {
    let mut g = Group::new().set("class", "passes");
    let mut last = String::new();
    for p in rec.store.passes() {
        if p.info.variant == last {
            continue;
        }
        last.clone_from(&p.info.variant);
        let x = x_of(win, p.info.t_ns, plot_w);
        g = g
            .add(
                Line::new()
                    .set("x1", x)
                    .set("x2", x)
                    .set("y1", y - 14.0)
                    .set("y2", y + h)
                    .set("stroke", "#000000")
                    .set("stroke-width", 1),
            )
            .add(text(x + 2.0, y - 3.0, &p.info.variant, 11.0));
    }
    g
}

fn x_of(win: Window, t: u64, plot_w: f64) -> f64 {
    let t = t.clamp(win.start_ns, win.end_ns) - win.start_ns;
    LABEL_W + plot_w * t as f64 / win.len_ns() as f64
}

/// The per-core load strip at `y`, with the time axis under it; returns the group and its
/// height.
pub fn core_strip(rec: &Recording, win: Window, y: f64, width: f64) -> (Group, f64) {
    let rows = grid::loads(rec, win, MAX_ROWS, COLS);
    let row_h = (160.0 / rows.len().max(1) as f64).clamp(2.0, 12.0);
    let plot_w = width - LABEL_W - 10.0;
    let col_w = plot_w / COLS as f64;
    let mut g = Group::new().set("class", "cores");
    g = g.add(text(
        4.0,
        y - 4.0,
        "CPU load per core (darker = busier)",
        13.0,
    ));
    for (i, (name, cells)) in rows.iter().enumerate() {
        let ry = y + i as f64 * row_h;
        let mut rg = Group::new()
            .set("class", "core-row")
            .set("data-row", name.clone());
        if row_h >= 8.0 {
            rg = rg.add(text(4.0, ry + row_h * 0.85, name, row_h * 0.85));
        }
        let greys: Vec<Option<String>> = cells
            .iter()
            .map(|l| l.map(|l| okabe::hex(okabe::load_grey(l))))
            .collect();
        for (c, run, grey) in runs(&greys) {
            if let Some(grey) = grey {
                rg = rg.add(
                    Rectangle::new()
                        .set("x", LABEL_W + c as f64 * col_w)
                        .set("y", ry)
                        .set("width", run as f64 * col_w)
                        .set("height", row_h)
                        .set("fill", grey.clone()),
                );
            }
        }
        g = g.add(rg);
    }
    let h = rows.len() as f64 * row_h;
    let axis_y = y + h + 14.0;
    for i in 0..=5 {
        let frac = i as f64 / 5.0;
        let ms = win.len_ns() as f64 * frac / 1e6;
        g = g.add(
            text(
                (LABEL_W + plot_w * frac - 12.0).min(width - 70.0),
                axis_y,
                &fmt_ms(ms),
                11.0,
            )
            .set("class", "tick"),
        );
    }
    (g, h + 20.0)
}

/// Runs of equal neighbours: (first index, length, value).
fn runs<T: PartialEq>(cells: &[T]) -> Vec<(usize, usize, &T)> {
    let mut out = Vec::new();
    let mut c = 0;
    while c < cells.len() {
        let n = cells[c..].iter().take_while(|x| **x == cells[c]).count();
        out.push((c, n, &cells[c]));
        c += n;
    }
    out
}
