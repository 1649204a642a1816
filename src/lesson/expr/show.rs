//! How a lesson shows a value: by the outermost function of its expression, so
//! `{{ speedup(pool) }}` reads "1.27x" and `{{ median(pool) }}` "3.20 ms" everywhere (text,
//! claims, `check-lessons --run`).

use super::{Expr, Func, Value};
use crate::units::{fmt_bytes, fmt_count, fmt_ms, fmt_num};

/// `v`, the value of `e`, as shown to a student; `unit` is a metric's unit.
pub fn format_value(e: &Expr, v: Value, unit: Option<&str>) -> String {
    let x = match v {
        Value::Bool(b) => return b.to_string(),
        Value::Num(x) if !x.is_finite() => return "-".to_string(),
        Value::Num(x) => x,
    };
    let count = || fmt_count(x.round().max(0.0) as u64);
    match e {
        Expr::Cores | Expr::Workers => count(),
        Expr::Call { func, .. } => match func {
            Func::Speedup | Func::MaxSpeedup => format!("{x:.2}x"),
            Func::Median | Func::Best => fmt_ms(x),
            Func::Efficiency | Func::MaxEfficiency | Func::BusyMin | Func::BusyMax => {
                format!("{:.0}%", x * 100.0)
            }
            Func::Passes | Func::Items | Func::TasksMin | Func::TasksMax => count(),
            Func::Metric => match unit {
                Some(u) if !u.is_empty() => format!("{} {u}", fmt_num(x)),
                _ => fmt_num(x),
            },
            Func::Correct => fmt_num(x),
            Func::PyWall | Func::PyCpu => fmt_ms(x),
            Func::PyBusy => format!("{x:.1}"),
            Func::PyWait => format!("{:.0}%", x * 100.0),
            Func::PyPeakMib => fmt_bytes((x * (1u64 << 20) as f64).max(0.0) as u64),
            Func::PyProcs => count(),
        },
        _ => fmt_num(x),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn show(src: &str, x: f64, unit: Option<&str>) -> String {
        format_value(&parse(src).unwrap(), Value::Num(x), unit)
    }

    #[test]
    fn formats_follow_the_outermost_function() {
        assert_eq!(show("speedup(pool)", 1.2666, None), "1.27x");
        assert_eq!(show("median(pool)", 3.2, None), "3.20 ms");
        assert_eq!(show("efficiency(pool)", 0.853, None), "85%");
        assert_eq!(show("cores", 16.0, None), "16");
        assert_eq!(show("tasks_max(pool)", 1234.0, None), "1,234");
        assert_eq!(
            show("metric(pool, \"throughput\")", 821.5, Some("MB/s")),
            "821.5 MB/s"
        );
        assert_eq!(show("speedup(pool) * 2", 2.5, None), "2.500");
        assert_eq!(show("speedup(pool) / 0", f64::NAN, None), "-");
        let e = parse("correct(pool)").unwrap();
        assert_eq!(format_value(&e, Value::Bool(true), None), "true");
    }
}
