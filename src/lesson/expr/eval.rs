//! Evaluating an [`Expr`] over one run's [`Measured`] figures, keeping the numbers that
//! decided each comparison ("speedup(pool) = 1.27x > 1.2") so a claim can show them.

use std::fmt;

use super::show::format_value;
use super::{Expr, Func, Op, Value};
use crate::lesson::measured::{Measured, VariantFigures};

/// Why an expression has no value on a run.
#[derive(Clone, Debug, PartialEq)]
pub enum Missing {
    /// The run lacks a figure (the variant did not run, no sequential to compare with).
    NotMeasured(String),
    /// The demo has no measurement by that name: the lesson is wrong.
    UnknownMetric(String),
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::NotMeasured(s) | Missing::UnknownMetric(s) => f.write_str(s),
        }
    }
}

/// An expression's value on a run, with the numbers that decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluated {
    /// The value.
    pub value: Value,
    /// The value as shown (`1.27x`, `3.20 ms`, `85%`, `true`).
    pub shown: String,
    /// One line per comparison or true/false figure met: `speedup(pool) = 1.27x > 1.2`.
    pub notes: Vec<String>,
}

/// Evaluates `e` on `m`.
pub fn eval(e: &Expr, m: &Measured) -> Result<Evaluated, Missing> {
    let mut notes = Vec::new();
    let (value, unit) = value(e, m, &mut notes)?;
    Ok(Evaluated {
        value,
        shown: format_value(e, value, unit.as_deref()),
        notes,
    })
}

type Unit = Option<String>;

fn num(e: &Expr, m: &Measured, notes: &mut Vec<String>) -> Result<f64, Missing> {
    match value(e, m, notes)?.0 {
        Value::Num(n) => Ok(n),
        Value::Bool(b) => Ok(f64::from(u8::from(b))),
    }
}

fn truth(e: &Expr, m: &Measured, notes: &mut Vec<String>) -> Result<bool, Missing> {
    match value(e, m, notes)?.0 {
        Value::Bool(b) => Ok(b),
        Value::Num(n) => Ok(n != 0.0),
    }
}

/// `src = shown`, or just the number for a literal.
fn side(e: &Expr, v: Value, unit: Option<&str>) -> String {
    match e {
        Expr::Num(n) => n.to_string(),
        _ => format!("{e} = {}", format_value(e, v, unit)),
    }
}

fn value(e: &Expr, m: &Measured, notes: &mut Vec<String>) -> Result<(Value, Unit), Missing> {
    let n = |x: f64| Ok((Value::Num(x), None));
    match e {
        Expr::Num(x) => n(*x),
        // 0 only where no demo ran (the text filled from a Python run alone): a dash.
        Expr::Cores | Expr::Workers if m.cores == 0 => Err(Missing::NotMeasured(
            "no run of the lesson's demo yet".into(),
        )),
        Expr::Cores => n(m.cores as f64),
        Expr::Workers => n(m.workers as f64),
        Expr::Neg(a) => n(-num(a, m, notes)?),
        Expr::Not(a) => Ok((Value::Bool(!truth(a, m, notes)?), None)),
        Expr::Call {
            func,
            variant,
            name,
        } => {
            let got = call(*func, variant.as_deref(), name.as_deref(), m)?;
            if let Value::Bool(_) = got.0 {
                notes.push(side(e, got.0, None));
            }
            Ok(got)
        }
        Expr::Bin(Op::And, a, b) => {
            let v = truth(a, m, notes)? & truth(b, m, notes)?;
            Ok((Value::Bool(v), None))
        }
        Expr::Bin(Op::Or, a, b) => {
            let v = truth(a, m, notes)? | truth(b, m, notes)?;
            Ok((Value::Bool(v), None))
        }
        Expr::Bin(op, a, b) => binary(*op, a, b, m, notes),
    }
}

fn binary(
    op: Op,
    a: &Expr,
    b: &Expr,
    m: &Measured,
    notes: &mut Vec<String>,
) -> Result<(Value, Unit), Missing> {
    let mut inner = Vec::new();
    let (va, ua) = value(a, m, &mut inner)?;
    let (vb, ub) = value(b, m, &mut inner)?;
    let x = match va {
        Value::Num(x) => x,
        Value::Bool(t) => f64::from(u8::from(t)),
    };
    let y = match vb {
        Value::Num(y) => y,
        Value::Bool(t) => f64::from(u8::from(t)),
    };
    let arith = |r: f64| Ok((Value::Num(r), None));
    let held = match op {
        Op::Add => return arith(x + y),
        Op::Sub => return arith(x - y),
        Op::Mul => return arith(x * y),
        Op::Div => return arith(if y == 0.0 { f64::NAN } else { x / y }),
        Op::Lt => x < y,
        Op::Le => x <= y,
        Op::Gt => x > y,
        Op::Ge => x >= y,
        Op::Eq => x == y,
        Op::Ne => x != y,
        // Handled in `value`; kept total without a note.
        Op::And => return Ok((Value::Bool(x != 0.0 && y != 0.0), None)),
        Op::Or => return Ok((Value::Bool(x != 0.0 || y != 0.0), None)),
    };
    let (l, r) = (side(a, va, ua.as_deref()), side(b, vb, ub.as_deref()));
    notes.push(if held {
        format!("{l} {} {r}", op.symbol())
    } else {
        format!("{l}, not {} {r}", op.symbol())
    });
    Ok((Value::Bool(held), None))
}

fn figures<'a>(
    m: &'a Measured,
    v: Option<&str>,
    what: &str,
) -> Result<&'a VariantFigures, Missing> {
    let v = v.unwrap_or("");
    m.variant(v)
        .ok_or_else(|| Missing::NotMeasured(format!("{what}({v}): variant {v} did not run")))
}

fn call(
    f: Func,
    v: Option<&str>,
    name: Option<&str>,
    m: &Measured,
) -> Result<(Value, Unit), Missing> {
    let what = f.name();
    let none = |why: &str| Missing::NotMeasured(format!("{what}({}): {why}", v.unwrap_or("")));
    let n = |x: f64| Ok((Value::Num(x), None));
    let parallel = || m.variants.iter().filter(|x| x.name != "sequential");
    match f {
        Func::MaxSpeedup => parallel()
            .filter_map(|x| x.speedup)
            .reduce(f64::max)
            .map_or(Err(none("no parallel variant has a speedup")), n),
        Func::MaxEfficiency => parallel()
            .filter_map(|x| x.efficiency)
            .reduce(f64::max)
            .map_or(Err(none("no parallel variant has an efficiency")), n),
        f if f.python() => python(f, m),
        _ => {
            let x = figures(m, v, what)?;
            match f {
                Func::Median => n(x.median_ms),
                Func::Best => n(x.best_ms),
                Func::Speedup => x
                    .speedup
                    .map_or(Err(none("no sequential run to compare with")), n),
                Func::Efficiency => x
                    .efficiency
                    .map_or(Err(none("no sequential run to compare with")), n),
                Func::Correct => x
                    .correct
                    .map(|c| (Value::Bool(c), None))
                    .ok_or_else(|| none("the answer was not checked")),
                Func::Passes => n(x.passes as f64),
                Func::Items => n(x.items as f64),
                Func::Metric => metric(x, name.unwrap_or("")),
                Func::BusyMin => {
                    extreme(&x.busy, f64::min).map_or(Err(none("no per-worker figures")), n)
                }
                Func::BusyMax => {
                    extreme(&x.busy, f64::max).map_or(Err(none("no per-worker figures")), n)
                }
                Func::TasksMin => tasks(x, u64::min).map_or(Err(none("no per-worker figures")), n),
                Func::TasksMax => tasks(x, u64::max).map_or(Err(none("no per-worker figures")), n),
                _ => Err(none("not a variant figure")),
            }
        }
    }
}

/// A figure of the student's latest Python run of the lesson.
fn python(f: Func, m: &Measured) -> Result<(Value, Unit), Missing> {
    let what = f.name();
    let Some(py) = m.python.as_ref() else {
        return Err(Missing::NotMeasured(format!(
            "{what}(): no Python run yet (w in the reader runs it)"
        )));
    };
    let x = match f {
        Func::PyWall => py.wall_ms,
        Func::PyCpu => py.cpu_ms,
        Func::PyBusy => py.busy_workers,
        Func::PyWait => py.wait_cpu_share.ok_or_else(|| {
            Missing::NotMeasured(format!("{what}(): waiting for a CPU was not measurable"))
        })?,
        Func::PyPeakMib => py.peak_rss as f64 / (1u64 << 20) as f64,
        _ => py.process_count as f64,
    };
    Ok((Value::Num(x), None))
}

fn extreme(xs: &[f64], f: fn(f64, f64) -> f64) -> Option<f64> {
    xs.iter().copied().reduce(f)
}

fn tasks(x: &VariantFigures, f: fn(u64, u64) -> u64) -> Option<f64> {
    x.tasks.iter().copied().reduce(f).map(|t| t as f64)
}

fn metric(x: &VariantFigures, name: &str) -> Result<(Value, Unit), Missing> {
    match x.metrics.iter().find(|mm| mm.name == name) {
        Some(mm) => Ok((Value::Num(mm.value), Some(mm.unit.clone()))),
        None => {
            let known: Vec<&str> = x.metrics.iter().map(|mm| mm.name.as_str()).collect();
            let known = if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            };
            Err(Missing::UnknownMetric(format!(
                "unknown metric \"{name}\" for variant {} (it reports: {known})",
                x.name
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use crate::engine::Metric;

    fn run() -> Measured {
        let v = |name: &str, median: f64, speedup: Option<f64>| VariantFigures {
            name: name.into(),
            workers: 2,
            median_ms: median,
            best_ms: median * 0.9,
            speedup,
            efficiency: speedup.map(|s| s / 2.0),
            correct: Some(true),
            passes: 3,
            items: 1000,
            metrics: vec![Metric::new("lost updates", 0.0, "")],
            busy: vec![0.5, 0.9],
            tasks: vec![4, 12],
        };
        Measured {
            cores: 2,
            workers: 2,
            params: vec![("work".into(), "heavy".into())],
            variants: vec![v("sequential", 10.0, None), v("pool", 7.87, Some(1.27))],
            python: None,
        }
    }

    fn ev(src: &str) -> Result<Evaluated, Missing> {
        eval(&parse(src).unwrap(), &run())
    }

    #[test]
    fn claims_hold_with_their_numbers() {
        let e = ev("speedup(pool) > 1.2").unwrap();
        assert_eq!(e.value, Value::Bool(true));
        assert_eq!(e.notes, ["speedup(pool) = 1.27x > 1.2"]);
        let e = ev("speedup(pool) > 1.5").unwrap();
        assert_eq!(e.value, Value::Bool(false));
        assert_eq!(e.notes, ["speedup(pool) = 1.27x, not > 1.5"]);
        let e = ev("correct(pool) and tasks_max(pool) >= 3 * tasks_min(pool)").unwrap();
        assert_eq!(e.value, Value::Bool(true));
        assert_eq!(e.notes[0], "correct(pool) = true");
        assert_eq!(ev("cores").unwrap().shown, "2");
        assert_eq!(ev("busy_min(pool)").unwrap().shown, "50%");
        assert_eq!(ev("max_efficiency()").unwrap().shown, "64%");
        assert_eq!(
            ev("metric(pool, \"lost updates\") == 0").unwrap().value,
            Value::Bool(true)
        );
    }

    #[test]
    fn python_figures_come_from_the_students_python_run() {
        let mut m = run();
        let e = parse("py_wall()").unwrap();
        assert!(matches!(eval(&e, &m), Err(Missing::NotMeasured(_))));
        m.python = Some(crate::lesson::pyrun::tests::sample("pool", 1));
        assert_eq!(eval(&e, &m).unwrap().shown, "1234 ms");
        let shown = |s: &str| eval(&parse(s).unwrap(), &m).unwrap().shown;
        assert_eq!(shown("py_busy()"), "1.9");
        assert_eq!(shown("py_wait()"), "12%");
        assert_eq!(shown("py_peak_mib()"), "36.0 MiB");
        assert_eq!(shown("py_procs()"), "3");
        assert_eq!(shown("py_cpu()"), "2300 ms");
        m.python.as_mut().unwrap().wait_cpu_share = None;
        assert!(eval(&parse("py_wait()").unwrap(), &m).is_err());
    }

    #[test]
    fn missing_figures_and_unknown_metrics() {
        assert!(matches!(
            ev("speedup(rayon) > 1"),
            Err(Missing::NotMeasured(_))
        ));
        assert!(matches!(
            ev("speedup(sequential) > 1"),
            Err(Missing::NotMeasured(_))
        ));
        match ev("metric(pool, \"nope\") > 1") {
            Err(Missing::UnknownMetric(m)) => assert!(m.contains("lost updates"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
