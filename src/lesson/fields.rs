//! The per-field checks of a lesson's front matter: required keys, the id slug, the demo and
//! its parameters. Each check adds what it finds to one list of problems, every one at the file
//! line of the key it is about, so `front::header` reads as the list of checks it runs.

use std::collections::BTreeMap;

use toml::Spanned;

use super::raw::{Problem, Raw};
use crate::demos;
use crate::engine::admission;
use crate::engine::{Demo, Params, SetError};

/// The RAM a lesson's memory is admitted against: any machine's, so the budget is the cap and
/// a lesson is valid or not wherever it is checked.
const LESSON_RAM: u64 = u64::MAX;

/// The parameters table as written: each key and value with its place in the front matter.
pub(super) type Written = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// The problems found so far, and the lesson they are found in (for file lines).
pub(super) struct Checks<'a, 'r> {
    raw: &'a Raw<'r>,
    /// Every problem found, in the order the checks ran (the caller sorts them by line).
    pub problems: Vec<Problem>,
}

impl<'a, 'r> Checks<'a, 'r> {
    /// No problem yet.
    pub fn new(raw: &'a Raw<'r>) -> Self {
        Checks {
            raw,
            problems: Vec::new(),
        }
    }

    fn line_of(&self, s: &Spanned<String>) -> usize {
        self.raw.front_line_of(s.span().start)
    }

    /// The trimmed value of a required key and its line; a missing key is reported at the
    /// opening `+++` (line 1), an empty one at its own line, and both yield "".
    pub fn required(&mut self, v: &Option<Spanned<String>>, key: &str) -> (String, usize) {
        match v {
            None => {
                self.problems.push(Problem::new(
                    1,
                    format!("missing `{key}` in the front matter"),
                ));
                (String::new(), 1)
            }
            Some(s) if s.get_ref().trim().is_empty() => {
                let line = self.line_of(s);
                self.problems
                    .push(Problem::new(line, format!("`{key}` is empty")));
                (String::new(), line)
            }
            Some(s) => (s.get_ref().trim().to_string(), self.line_of(s)),
        }
    }

    /// A non-empty `id` must be a slug, so it can name the lesson on the command line.
    pub fn slug(&mut self, id: &str, line: usize) {
        if !id.is_empty() && !is_slug(id) {
            self.problems.push(Problem::new(
                line,
                format!("id `{id}` must be a slug: lowercase letters, digits and `-`"),
            ));
        }
    }

    /// The registered demo a non-empty `demo` names; an unknown one is reported with the list
    /// of known ids.
    pub fn demo(&mut self, demo: &str, line: usize) -> Option<&'static dyn Demo> {
        if demo.is_empty() {
            return None;
        }
        let found = demos::find(demo);
        if found.is_none() {
            self.problems.push(Problem::new(
                line,
                format!(
                    "unknown demo `{demo}` (known demos: {})",
                    demos::ids().join(", ")
                ),
            ));
        }
        found
    }

    /// The parameters as written, in file order. Each is checked against `found` (the demo,
    /// when known) by the admission rule the TUI applies to the same settings when the lesson
    /// runs; if nothing else is wrong, the whole setting must also fit the memory budget
    /// (reported at the `demo` line).
    pub fn params(
        &mut self,
        written: Option<&Written>,
        found: Option<&'static dyn Demo>,
        demo: &str,
        demo_line: usize,
    ) -> Vec<(String, String)> {
        let mut written: Vec<(&Spanned<String>, &Spanned<toml::Value>)> =
            written.into_iter().flatten().collect();
        written.sort_by_key(|(k, _)| k.span().start);
        let mut params = Vec::new();
        // The demo, the values so far and the worker count (one unless the lesson sets it).
        let mut admitted = found.map(|d| (d, Params::defaults(&d.info().params), 1usize));
        for (key, value) in written {
            let line = self.line_of(key);
            let name = key.get_ref();
            let Some(text) = self.param_text(name, value.get_ref(), line) else {
                continue;
            };
            if let Some((d, values, workers)) = admitted.as_mut() {
                match admission::set(*d, values, workers, name, &text) {
                    Ok(()) => {}
                    Err(SetError::Unknown { known, .. }) => self.problems.push(Problem::new(
                        line,
                        format!("demo `{demo}` has no parameter `{name}` (it has: {known})"),
                    )),
                    Err(SetError::Range(e)) => {
                        self.problems
                            .push(Problem::new(line, format!("demo `{demo}`: {e}")));
                    }
                }
            }
            params.push((name.clone(), text));
        }
        if self.problems.is_empty()
            && let Some((d, values, workers)) = &admitted
            && let Err(e) = admission::admit(*d, values, *workers, LESSON_RAM)
        {
            self.problems
                .push(Problem::new(demo_line, format!("demo `{demo}`: {e}")));
        }
        params
    }

    /// A parameter value as the text the demo parses, or the problem at `line`.
    fn param_text(&mut self, name: &str, value: &toml::Value, line: usize) -> Option<String> {
        param_text(name, value)
            .map_err(|e| self.problems.push(Problem::new(line, e)))
            .ok()
    }
}

/// A parameter value as the text the demo parses: a number or a word, nothing else.
pub(super) fn param_text(name: &str, value: &toml::Value) -> Result<String, String> {
    match value {
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::String(s) => Ok(s.clone()),
        other => Err(format!(
            "parameter `{name}` must be a number or a word, not a {}",
            other.type_str()
        )),
    }
}

fn is_slug(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
