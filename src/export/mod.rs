//! Charts for slides: a recorded trace drawn as one SVG (timeline, per-core strip, the
//! results table, a sweep's speedup curve) or one self-contained HTML page with the same
//! charts and the numbers, for instructors who put parlab's runs on slides.
//!
//! The SVG is built with the `svg` crate's element tree (escaping and structure are its
//! job, not string concatenation here); the figures are the very strings `parlab run` and
//! `parlab sweep` print, from the same report formatters.

mod charts;
pub mod grid;
mod html;
pub mod okabe;
mod timeline;

use svg::Document;

pub use html::html;

use crate::recording::Recording;
use crate::report::sweep::SweepSummary;
use crate::report::{RunSummary, table};

/// Width of the drawing, px.
const WIDTH: f64 = 1200.0;

/// What a slide shows: the recording, and the summary of the run or the sweep in it.
pub struct Slides<'a> {
    /// The recorded session.
    pub rec: &'a Recording,
    /// The run's summary (a trace of `parlab run`).
    pub run: Option<RunSummary>,
    /// The sweep's summary (a trace of `parlab sweep`).
    pub sweep: Option<SweepSummary>,
}

impl Slides<'_> {
    /// The heading: demo, parameters and machine.
    pub fn title(&self) -> (String, String) {
        let machine = self.rec.machine.one_line();
        match (&self.run, &self.sweep) {
            (_, Some(s)) => (format!("{} sweep  ({})", s.demo, s.params), machine),
            (Some(r), None) => (
                format!("{}  ({})", r.demo, r.params),
                format!("{} workers on {machine}", r.workers),
            ),
            (None, None) => ("parlab trace".into(), machine),
        }
    }

    /// The results as `parlab sweep` prints them, or as `parlab run` prints its verdicts and
    /// timing table (the per-worker and per-core sections are drawn, not listed).
    pub fn results_text(&self, full: bool) -> String {
        if let Some(s) = &self.sweep {
            return crate::report::sweep::table(s);
        }
        let Some(r) = &self.run else {
            return String::new();
        };
        let t = table(r);
        if full {
            return t;
        }
        // Everything up to the per-worker section, which the timeline shows instead.
        let cut = t.find("\nper worker").unwrap_or(t.len());
        t[..cut].trim_end().to_string()
    }
}

/// The slide as an SVG document (valid XML, self-contained).
pub fn svg(s: &Slides) -> String {
    let (title, sub) = s.title();
    let mut doc = Document::new()
        .set("width", WIDTH)
        .add(timeline::defs())
        .add(
            svg::node::element::Rectangle::new()
                .set("width", "100%")
                .set("height", "100%")
                .set("fill", "#ffffff"),
        )
        .add(timeline::text(10.0, 28.0, &title, 22.0).set("font-weight", "bold"))
        .add(timeline::text(10.0, 50.0, &sub, 14.0));
    let mut y = 66.0;
    doc = doc.add(timeline::legend(y));
    y += 40.0;
    if let Some(win) = grid::Window::of(s.rec) {
        let (g, h) = timeline::timeline(s.rec, win, y, WIDTH);
        doc = doc.add(g);
        y += h + 30.0;
        let (g, h) = timeline::core_strip(s.rec, win, y, WIDTH);
        doc = doc.add(g);
        y += h + 16.0;
    }
    let text = s.results_text(false);
    let lines: Vec<&str> = text.lines().collect();
    let (g, h) = charts::table(&lines, y);
    doc = doc.add(g);
    y += h + 10.0;
    if let Some(sw) = &s.sweep {
        doc = doc.add(charts::speedup_curve(sw, 10.0, y, 640.0, 360.0));
        y += 370.0;
    }
    doc.set("height", y)
        .set("viewBox", (0, 0, WIDTH, y))
        .to_string()
}
