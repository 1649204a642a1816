//! The expression language of lesson claims, predictions, challenges and `{{ }}` placeholders:
//! numbers, `cores`, `workers`, functions of a variant (`speedup(pool)`), arithmetic,
//! comparisons and `and`/`or`/`not`. One grammar for every place a lesson names a measured
//! value, so an author learns it once and `check-lessons` validates all of it alike.
//!
//! Parsing ([`parse`]) knows nothing about demos; [`Expr::variants`] lists the variant names
//! an expression uses so the lesson checks can compare them with the demo's, and evaluation
//! ([`eval`]) reads a [`super::measured::Measured`] view of one run.

mod eval;
mod parse;
mod show;

use std::fmt;

pub use eval::{Evaluated, Missing, eval};
pub use parse::parse;
pub use show::format_value;

/// The functions an expression may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    /// Median wall time of a variant, ms.
    Median,
    /// Fastest pass of a variant, ms.
    Best,
    /// Sequential median / the variant's median.
    Speedup,
    /// Speedup / workers, 0..1.
    Efficiency,
    /// Whether the variant's answer was right.
    Correct,
    /// Timed passes of a variant.
    Passes,
    /// Items per pass.
    Items,
    /// A demo measurement by name: `metric(V, "name")`.
    Metric,
    /// Smallest per-worker busy share in the median pass, 0..1.
    BusyMin,
    /// Largest per-worker busy share in the median pass, 0..1.
    BusyMax,
    /// Fewest tasks a worker ran in the median pass.
    TasksMin,
    /// Most tasks a worker ran in the median pass.
    TasksMax,
    /// Best speedup over all parallel variants.
    MaxSpeedup,
    /// Best efficiency over all parallel variants.
    MaxEfficiency,
    /// The student's latest Python run of the lesson (the reader's `w`): wall time, ms.
    PyWall,
    /// Its CPU time, all processes, ms.
    PyCpu,
    /// About how many workers it kept busy (CPU ÷ wall).
    PyBusy,
    /// Its share of ready time spent waiting for a CPU, 0..1.
    PyWait,
    /// Its processes' peak memory added up, MiB.
    PyPeakMib,
    /// Its processes.
    PyProcs,
}

/// What a function takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    /// `f()`.
    Nothing,
    /// `f(variant)`.
    Variant,
    /// `f(variant, "name")`.
    VariantAndName,
}

const FUNCS: [(&str, Func); 20] = [
    ("median", Func::Median),
    ("best", Func::Best),
    ("speedup", Func::Speedup),
    ("efficiency", Func::Efficiency),
    ("correct", Func::Correct),
    ("passes", Func::Passes),
    ("items", Func::Items),
    ("metric", Func::Metric),
    ("busy_min", Func::BusyMin),
    ("busy_max", Func::BusyMax),
    ("tasks_min", Func::TasksMin),
    ("tasks_max", Func::TasksMax),
    ("max_speedup", Func::MaxSpeedup),
    ("max_efficiency", Func::MaxEfficiency),
    ("py_wall", Func::PyWall),
    ("py_cpu", Func::PyCpu),
    ("py_busy", Func::PyBusy),
    ("py_wait", Func::PyWait),
    ("py_peak_mib", Func::PyPeakMib),
    ("py_procs", Func::PyProcs),
];

impl Func {
    /// The function called `name`.
    pub fn from_name(name: &str) -> Option<Func> {
        FUNCS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// Its name as written.
    pub fn name(self) -> &'static str {
        FUNCS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }

    /// Every function name, for "unknown function" messages.
    pub fn all_names() -> String {
        FUNCS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }

    /// A figure of the student's Python run rather than of the demo's run.
    pub fn python(self) -> bool {
        matches!(
            self,
            Func::PyWall
                | Func::PyCpu
                | Func::PyBusy
                | Func::PyWait
                | Func::PyPeakMib
                | Func::PyProcs
        )
    }

    /// Its arguments.
    pub fn takes(self) -> Takes {
        match self {
            Func::MaxSpeedup | Func::MaxEfficiency => Takes::Nothing,
            f if f.python() => Takes::Nothing,
            Func::Metric => Takes::VariantAndName,
            _ => Takes::Variant,
        }
    }
}

/// Binary operators, loosest first within each group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `or`
    Or,
    /// `and`
    And,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl Op {
    /// As written.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Or => "or",
            Op::And => "and",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
        }
    }

    fn is_comparison(self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne)
    }
}

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A number.
    Num(f64),
    /// Logical cores of the machine that ran.
    Cores,
    /// Workers of the parallel variants.
    Workers,
    /// A function call.
    Call {
        /// Which.
        func: Func,
        /// Its variant, unless it takes none.
        variant: Option<String>,
        /// The metric name of `metric(V, "name")`.
        name: Option<String>,
    },
    /// `-x`
    Neg(Box<Expr>),
    /// `not x`
    Not(Box<Expr>),
    /// `a op b`
    Bin(Op, Box<Expr>, Box<Expr>),
}

/// The type of an expression's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A number.
    Num,
    /// True or false.
    Bool,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Num => "a number",
            Kind::Bool => "true/false",
        }
    }
}

/// A value an expression evaluates to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A number.
    Num(f64),
    /// True or false.
    Bool(bool),
}

impl Expr {
    /// The type of its value, or why operands do not fit (`correct(pool) + 1`).
    pub fn kind(&self) -> Result<Kind, String> {
        let want = |e: &Expr, k: Kind, what: &str| -> Result<(), String> {
            let got = e.kind()?;
            if got == k {
                Ok(())
            } else {
                Err(format!(
                    "{what} needs {}, but `{e}` is {}",
                    k.word(),
                    got.word()
                ))
            }
        };
        match self {
            Expr::Num(_) | Expr::Cores | Expr::Workers => Ok(Kind::Num),
            Expr::Call { func, .. } if *func == Func::Correct => Ok(Kind::Bool),
            Expr::Call { .. } => Ok(Kind::Num),
            Expr::Neg(e) => want(e, Kind::Num, "`-`").map(|_| Kind::Num),
            Expr::Not(e) => want(e, Kind::Bool, "`not`").map(|_| Kind::Bool),
            Expr::Bin(op @ (Op::And | Op::Or), a, b) => {
                let what = format!("`{}`", op.symbol());
                want(a, Kind::Bool, &what)?;
                want(b, Kind::Bool, &what).map(|_| Kind::Bool)
            }
            Expr::Bin(op @ (Op::Eq | Op::Ne), a, b) => {
                let k = a.kind()?;
                want(b, k, &format!("`{}`", op.symbol())).map(|_| Kind::Bool)
            }
            Expr::Bin(op, a, b) => {
                let what = format!("`{}`", op.symbol());
                want(a, Kind::Num, &what)?;
                want(b, Kind::Num, &what)?;
                Ok(if op.is_comparison() {
                    Kind::Bool
                } else {
                    Kind::Num
                })
            }
        }
    }

    /// Every variant name it uses, in order, repeats included.
    pub fn variants(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Call {
                variant: Some(v), ..
            } = e
            {
                out.push(v.as_str());
            }
        });
        out
    }

    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        match self {
            Expr::Neg(e) | Expr::Not(e) => e.walk(f),
            Expr::Bin(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            _ => {}
        }
    }

    /// Binding strength, for printing parentheses only where needed.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Bin(Op::Or, ..) => 1,
            Expr::Bin(Op::And, ..) => 2,
            Expr::Not(_) => 3,
            Expr::Bin(op, ..) if op.is_comparison() => 4,
            Expr::Bin(Op::Add | Op::Sub, ..) => 5,
            Expr::Bin(..) => 6,
            Expr::Neg(_) => 7,
            _ => 8,
        }
    }
}

impl fmt::Display for Expr {
    /// The expression as an author would write it (canonical spacing).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.precedence();
        let sub = |f: &mut fmt::Formatter<'_>, e: &Expr, min: u8| {
            if e.precedence() < min {
                write!(f, "({e})")
            } else {
                write!(f, "{e}")
            }
        };
        match self {
            Expr::Num(n) => write!(f, "{n}"),
            Expr::Cores => f.write_str("cores"),
            Expr::Workers => f.write_str("workers"),
            Expr::Call {
                func,
                variant,
                name,
            } => {
                write!(f, "{}(", func.name())?;
                if let Some(v) = variant {
                    f.write_str(v)?;
                }
                if let Some(n) = name {
                    write!(f, ", \"{n}\"")?;
                }
                f.write_str(")")
            }
            Expr::Neg(e) => {
                f.write_str("-")?;
                sub(f, e, p)
            }
            Expr::Not(e) => {
                f.write_str("not ")?;
                sub(f, e, p)
            }
            Expr::Bin(op, a, b) => {
                sub(f, a, p)?;
                write!(f, " {} ", op.symbol())?;
                sub(f, b, p + 1)
            }
        }
    }
}
