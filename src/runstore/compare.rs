//! Two runs side by side: the parameters that differ and each variant's ratio. The one home
//! of "what changed between two runs", for the Runs screen and the dashboard's "compared with
//! the previous run".

use crate::engine::Params;

use super::StoredRun;

/// "workers 2 → 4", "size 1000 → 2000": each parameter that differs from `a` to `b`
/// (a parameter only one side has reads "(none)" on the other).
pub fn param_changes(a: &Params, a_workers: usize, b: &Params, b_workers: usize) -> Vec<String> {
    let mut out = Vec::new();
    if a_workers != b_workers {
        out.push(format!("workers {a_workers} → {b_workers}"));
    }
    let none = || "(none)".to_string();
    let keys: std::collections::BTreeSet<&String> = a.0.keys().chain(b.0.keys()).collect();
    for k in keys {
        let (x, y) = (a.0.get(k), b.0.get(k));
        if x != y {
            let x = x.map_or_else(none, ToString::to_string);
            let y = y.map_or_else(none, ToString::to_string);
            out.push(format!("{k} {x} → {y}"));
        }
    }
    out
}

/// One variant in both runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Variant name.
    pub name: String,
    /// Median in run A, ms (`None`: not in A or no pass completed).
    pub a_ms: Option<f64>,
    /// Median in run B, ms.
    pub b_ms: Option<f64>,
    /// Median A / median B: above 1 means B was faster.
    pub ratio: Option<f64>,
    /// Whether each side's answer was right.
    pub correct: (bool, bool),
}

/// Run A against run B.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Both runs are of one lesson (and one demo); otherwise the numbers are not comparable
    /// and the screen says so instead of showing them.
    pub same_lesson: bool,
    /// The parameters that differ (and the machine, when it does).
    pub changes: Vec<String>,
    /// Every variant of either run, A's order first.
    pub rows: Vec<Row>,
}

/// Compares run `a` with run `b`.
pub fn compare(a: &StoredRun, b: &StoredRun) -> Comparison {
    let mut changes = param_changes(&a.params, a.workers, &b.params, b.workers);
    if a.machine != b.machine {
        changes.push(format!("machine {} → {}", a.machine, b.machine));
    }
    let mut names: Vec<&str> = a.variants.iter().map(|v| v.name.as_str()).collect();
    for v in &b.variants {
        if !names.contains(&v.name.as_str()) {
            names.push(&v.name);
        }
    }
    let find = |r: &StoredRun, n: &str| r.variants.iter().find(|v| v.name == n).cloned();
    let rows = names
        .into_iter()
        .map(|n| {
            let (va, vb) = (find(a, n), find(b, n));
            let ms = |v: &Option<super::StoredVariant>| {
                v.as_ref().map(|v| v.median_ms).filter(|m| *m > 0.0)
            };
            let (a_ms, b_ms) = (ms(&va), ms(&vb));
            Row {
                name: n.to_string(),
                a_ms,
                b_ms,
                ratio: a_ms.zip(b_ms).map(|(x, y)| x / y),
                correct: (va.is_some_and(|v| v.correct), vb.is_some_and(|v| v.correct)),
            }
        })
        .collect();
    Comparison {
        same_lesson: a.lesson == b.lesson && a.demo == b.demo,
        changes,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Value;
    use crate::runstore::StoredVariant;

    fn run(lesson: &str, size: u64, workers: usize, ms: &[(&str, f64)]) -> StoredRun {
        let mut params = Params::default();
        params.0.insert("size".into(), Value::Int(size));
        StoredRun {
            lesson: lesson.into(),
            demo: "squaring".into(),
            params,
            workers,
            variants: ms
                .iter()
                .map(|(n, m)| StoredVariant {
                    name: (*n).into(),
                    median_ms: *m,
                    correct: true,
                    ..StoredVariant::default()
                })
                .collect(),
            ..StoredRun::default()
        }
    }

    #[test]
    fn names_what_differs_and_divides_a_by_b() {
        let a = run("pool", 1000, 2, &[("sequential", 10.0), ("pool", 6.0)]);
        let b = run(
            "pool",
            2000,
            4,
            &[("sequential", 20.0), ("pool", 3.0), ("rayon", 4.0)],
        );
        let c = compare(&a, &b);
        assert!(c.same_lesson);
        assert_eq!(c.changes, vec!["workers 2 → 4", "size 1000 → 2000"]);
        assert_eq!(c.rows[0].ratio, Some(0.5));
        assert_eq!(c.rows[1].ratio, Some(2.0));
        assert_eq!(c.rows[2].a_ms, None);
        assert!(!compare(&a, &run("other", 1000, 2, &[])).same_lesson);
        assert!(compare(&a, &a).changes.is_empty());
    }
}
