//! The knobs of the next run: workers, the demo's parameters and which variants run, edited
//! in place and always within the ranges the demo declares.

use crate::engine::{Demo, ParamKind, Params};
use crate::lesson::Lesson;

/// Most workers the tracer has slots for.
pub const MAX_WORKERS: usize = crate::trace::MAX_WORKERS;

/// One editable row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// The worker count.
    Workers,
    /// A demo parameter, by index into the demo's specs.
    Param(usize),
    /// A parallel variant on/off, by index into the demo's variants.
    Variant(usize),
}

/// The settings of the next run of one demo.
#[derive(Clone)]
pub struct Settings {
    /// The demo.
    pub demo: &'static dyn Demo,
    /// Parameter values.
    pub params: Params,
    /// Workers for parallel variants.
    pub workers: usize,
    /// Whether each variant runs (index as in the demo's variant list; sequential always).
    pub enabled: Vec<bool>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("demo", &self.demo.info().id)
            .field("params", &self.params)
            .field("workers", &self.workers)
            .field("enabled", &self.enabled)
            .finish()
    }
}

impl Settings {
    /// Defaults of `demo`, then the lesson's own values. Values the demo rejects are
    /// reported, not applied.
    pub fn for_lesson(
        demo: &'static dyn Demo,
        lesson: &Lesson,
        cores: usize,
    ) -> (Settings, Vec<String>) {
        let info = demo.info();
        let mut s = Settings {
            demo,
            params: Params::defaults(&info.params),
            workers: cores.clamp(1, MAX_WORKERS),
            enabled: vec![true; info.variants.len()],
        };
        let mut problems = Vec::new();
        for (k, v) in &lesson.params {
            let r = if k == "workers" {
                s.set_workers_text(v)
            } else {
                s.params.set(&info.params, k, v).map_err(|e| e.to_string())
            };
            if let Err(e) = r {
                problems.push(format!("lesson {}: {e}", lesson.id));
            }
        }
        (s, problems)
    }

    /// The rows of the editor, in order.
    pub fn rows(&self) -> Vec<Row> {
        let info = self.demo.info();
        let mut rows = vec![Row::Workers];
        rows.extend((0..info.params.len()).map(Row::Param));
        rows.extend(
            info.variants
                .iter()
                .enumerate()
                .filter(|(_, v)| v.parallel)
                .map(|(i, _)| Row::Variant(i)),
        );
        rows
    }

    /// Name, value and allowed range (or help) of a row, for display.
    pub fn describe(&self, row: Row) -> (String, String, String) {
        let info = self.demo.info();
        match row {
            Row::Workers => (
                "workers".into(),
                self.workers.to_string(),
                format!("1..={MAX_WORKERS}; threads for the parallel variants"),
            ),
            Row::Param(i) => {
                let spec = &info.params[i];
                let v = self
                    .params
                    .0
                    .get(spec.name)
                    .map_or_else(String::new, ToString::to_string);
                (
                    spec.name.into(),
                    v,
                    format!("{}; {}", spec.range_text(), spec.help),
                )
            }
            Row::Variant(i) => {
                let v = &info.variants[i];
                let on = self.enabled.get(i).copied().unwrap_or(true);
                (
                    format!("variant {}", v.name),
                    if on { "on" } else { "off" }.into(),
                    v.help.into(),
                )
            }
        }
    }

    /// Steps a row down (`up = false`) or up: workers by one, numbers by halving / doubling,
    /// choices to the neighbour, variants on/off. Stays within range.
    pub fn step(&mut self, row: Row, up: bool) {
        let info = self.demo.info();
        match row {
            Row::Workers => {
                self.workers = if up {
                    (self.workers + 1).min(MAX_WORKERS)
                } else {
                    self.workers.saturating_sub(1).max(1)
                };
            }
            Row::Param(i) => {
                let spec = &info.params[i];
                let next = match spec.kind {
                    ParamKind::Int { min, max, .. } => {
                        let v = self.params.int(spec.name);
                        let n = if up {
                            if v == 0 { 1 } else { v.saturating_mul(2) }
                        } else {
                            v / 2
                        };
                        n.clamp(min, max).to_string()
                    }
                    ParamKind::Choice { options, .. } => {
                        let cur = self.params.text(spec.name);
                        let at = options.iter().position(|o| *o == cur).unwrap_or(0);
                        let n = if up {
                            (at + 1) % options.len()
                        } else {
                            (at + options.len() - 1) % options.len()
                        };
                        options[n].to_string()
                    }
                };
                // In range by construction.
                let _ = self.params.set(&info.params, spec.name, &next);
            }
            Row::Variant(i) => self.toggle(i),
        }
    }

    /// Turns variant `i` on or off (sequential cannot be turned off: it is the reference).
    pub fn toggle(&mut self, i: usize) {
        let info = self.demo.info();
        if info.variants.get(i).is_some_and(|v| v.parallel)
            && let Some(e) = self.enabled.get_mut(i)
        {
            *e = !*e;
        }
    }

    /// Sets a row from typed text; the error says what is allowed.
    pub fn set_text(&mut self, row: Row, text: &str) -> Result<(), String> {
        let info = self.demo.info();
        match row {
            Row::Workers => self.set_workers_text(text),
            Row::Param(i) => self
                .params
                .set(&info.params, info.params[i].name, text)
                .map_err(|e| e.to_string()),
            Row::Variant(i) => {
                match text.trim() {
                    "on" | "1" | "yes" => self.enabled[i] = true,
                    "off" | "0" | "no" => self.enabled[i] = false,
                    _ => return Err("type on or off".into()),
                }
                Ok(())
            }
        }
    }

    fn set_workers_text(&mut self, text: &str) -> Result<(), String> {
        match text.trim().parse::<usize>() {
            Ok(w) if (1..=MAX_WORKERS).contains(&w) => {
                self.workers = w;
                Ok(())
            }
            _ => Err(format!(
                "workers = {} is not allowed (allowed: 1..={MAX_WORKERS})",
                text.trim()
            )),
        }
    }

    /// The variants to request: empty when all are on (the runner's "all").
    pub fn variants(&self) -> Vec<String> {
        if self.enabled.iter().all(|e| *e) {
            return Vec::new();
        }
        let info = self.demo.info();
        info.variants
            .iter()
            .zip(&self.enabled)
            .filter(|(v, on)| **on && v.parallel)
            .map(|(v, _)| v.name.to_string())
            .chain(std::iter::once("sequential".to_string()))
            .collect()
    }

    /// Refuses a run whose estimated memory is over the safe budget (half of RAM, at most
    /// 16 GiB), like `parlab run` does.
    pub fn check_memory(&self, total_ram: u64) -> Result<(), String> {
        let need = self.demo.memory_estimate(&self.params, self.workers);
        let budget = if total_ram == 0 {
            4 << 30
        } else {
            (total_ram / 2).min(16 << 30)
        };
        if need > budget {
            return Err(format!(
                "this run would need about {} of memory, over the safe budget of {}; choose a smaller size",
                crate::report::table::fmt_bytes(need),
                crate::report::table::fmt_bytes(budget)
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squaring() -> Settings {
        let demo = crate::demos::find("squaring").unwrap();
        Settings::for_lesson(demo, &Lesson::default(), 2).0
    }

    #[test]
    fn steps_stay_in_range() {
        let mut s = squaring();
        for _ in 0..5 {
            s.step(Row::Workers, false);
        }
        assert_eq!(s.workers, 1);
        s.workers = MAX_WORKERS;
        s.step(Row::Workers, true);
        assert_eq!(s.workers, MAX_WORKERS);
        let size = s.rows()[1];
        for _ in 0..64 {
            s.step(size, true);
        }
        assert_eq!(s.params.int("size"), 4_000_000_000);
        for _ in 0..64 {
            s.step(size, false);
        }
        assert_eq!(s.params.int("size"), 0);
    }

    #[test]
    fn typed_values_are_checked() {
        let mut s = squaring();
        assert!(s.set_text(Row::Workers, "0").is_err());
        assert!(s.set_text(Row::Workers, "1025").is_err());
        s.set_text(Row::Workers, "1").unwrap();
        assert_eq!(s.workers, 1);
        let e = s.set_text(Row::Param(2), "medium").unwrap_err();
        assert!(e.contains("trivial|heavy"), "{e}");
    }

    #[test]
    fn variants_list_is_empty_when_all_run() {
        let mut s = squaring();
        assert!(s.variants().is_empty());
        s.toggle(0); // sequential cannot be turned off
        assert!(s.variants().is_empty());
        s.toggle(2);
        assert_eq!(s.variants(), vec!["rayon", "sequential"]);
    }
}
