//! Typed demos: a demo declares its variants as an `enum` and its parameters as a `struct`,
//! and the registry's names, ranges and help are read off those declarations.
//!
//! Why: a demo that matched variant names as strings, or looked parameters up by name, turned
//! a typo into a runtime error (or a silent 0). Here a misspelled variant or parameter is a
//! compile error, and the one place that turns text into a variant or a parameter value is
//! [`Typed`], the adapter that makes a [`TypedDemo`] a [`Demo`] for the registry.
//!
//! The three declarations are small declarative macros ([`demo_variants!`](crate::demo_variants),
//! [`demo_params!`](crate::demo_params), [`param_choice!`](crate::param_choice)), chosen over a
//! derive crate because they are a few lines each and keep the declaration next to its use.

use super::demo::{Ctx, Demo, DemoError, DemoInfo, Outcome, VariantInfo};
use super::params::{ParamKind, ParamSpec, Params, Value};

/// A demo's variants: an enum whose every value names one [`VariantInfo`].
pub trait Variants: Copy + Eq + std::fmt::Debug + Send + Sync + 'static {
    /// Every variant, in the order lists show them; the first is the sequential reference.
    const ALL: &'static [Self];

    /// What this variant declares (name as typed, help, expectation).
    fn info(self) -> VariantInfo;

    /// The variant called `name`, as typed with `--variant`.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.info().name == name)
    }
}

/// A value type a demo parameter can have: a whole number or a [`Choice`] enum.
pub trait ParamType: Sized + Default {
    /// The typed value of an already validated parameter value.
    fn from_value(v: &Value) -> Option<Self>;
}

impl ParamType for u64 {
    fn from_value(v: &Value) -> Option<u64> {
        match v {
            Value::Int(n) => Some(*n),
            Value::Text(_) => None,
        }
    }
}

impl ParamType for usize {
    fn from_value(v: &Value) -> Option<usize> {
        u64::from_value(v).and_then(|n| usize::try_from(n).ok())
    }
}

/// A parameter that takes one word out of a fixed list, as an enum (`work = trivial|heavy`).
pub trait Choice: Copy + Eq + std::fmt::Debug + Default + 'static {
    /// Every value, in the order help shows them.
    const ALL: &'static [Self];
    /// The words, in the order of [`Choice::ALL`].
    const NAMES: &'static [&'static str];

    /// The word for this value.
    fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .position(|v| *v == self)
            .and_then(|i| Self::NAMES.get(i))
            .copied()
            .unwrap_or("")
    }

    /// The value for a word (any case).
    fn from_name(s: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(s.trim()))
            .and_then(|i| Self::ALL.get(i))
            .copied()
    }
}

/// A parameter's declaration without its name: the name is the struct field's.
#[derive(Clone, Debug, PartialEq)]
pub struct Decl {
    /// Kind, default and range.
    pub kind: ParamKind,
    /// One line of help.
    pub help: &'static str,
}

impl Decl {
    /// This declaration under `name`.
    pub fn named(&self, name: &'static str) -> ParamSpec {
        ParamSpec {
            name,
            kind: self.kind.clone(),
            help: self.help,
        }
    }

    fn default_value(&self) -> Value {
        self.named("").default_value()
    }
}

/// A whole-number parameter: `default`, allowed `min..=max`, help.
pub const fn int(default: u64, min: u64, max: u64, help: &'static str) -> Decl {
    Decl {
        kind: ParamKind::Int { min, max, default },
        help,
    }
}

/// A choice parameter whose value type is the enum `C`.
pub fn choice<C: Choice>(default: C, help: &'static str) -> Decl {
    Decl {
        kind: ParamKind::Choice {
            options: C::NAMES,
            default: default.name(),
        },
        help,
    }
}

/// The typed value of field `name`: the run's value, else the declared default. The map was
/// validated against the same declarations, so the fallbacks are for robustness only.
pub fn field<T: ParamType>(params: &Params, name: &str, decl: &Decl) -> T {
    params
        .0
        .get(name)
        .and_then(T::from_value)
        .or_else(|| T::from_value(&decl.default_value()))
        .unwrap_or_default()
}

/// A demo's parameters as a struct (see [`demo_params!`](crate::demo_params)).
pub trait DemoParams: Clone + std::fmt::Debug + Send + Sync + 'static {
    /// The declarations, in field order.
    fn specs() -> Vec<ParamSpec>;
    /// The typed values of a validated parameter map.
    fn from_params(p: &Params) -> Self;
}

/// A demo: a job done sequentially and in parallel ways, each checked against sequential.
///
/// Demos know nothing of the UI; they record spans on `ctx.trace` and return an [`Outcome`].
pub trait TypedDemo: Send + Sync + 'static {
    /// Its variants.
    type Variant: Variants;
    /// Its parameters.
    type Params: DemoParams;

    /// Id as typed: `squaring`.
    const ID: &'static str;
    /// Title for lists.
    const TITLE: &'static str;
    /// One line saying what it shows.
    const SUMMARY: &'static str;

    /// Runs one pass of `variant`.
    fn run(
        &self,
        variant: Self::Variant,
        params: &Self::Params,
        ctx: &Ctx<'_>,
    ) -> Result<Outcome, DemoError>;

    /// Bytes one pass would need at its peak, to refuse sizes that would exhaust memory.
    fn memory_estimate(&self, _params: &Self::Params, _workers: usize) -> u64 {
        0
    }

    /// Called once when a run (all variants, all repeats) ends, also when cancelled: drop
    /// what was kept between passes (a generated dataset on disk).
    fn finish_run(&self) {}

    /// Worker slots the tracer should hold when they exceed `workers` (producers + consumers).
    fn trace_slots(&self, _params: &Self::Params, workers: usize) -> usize {
        workers + 1
    }
}

/// The adapter that puts a [`TypedDemo`] in the registry: the one place where a variant name
/// or a parameter map becomes typed.
pub struct Typed<D: TypedDemo> {
    demo: D,
    info: DemoInfo,
}

impl<D: TypedDemo> Typed<D> {
    /// `demo`, with its declarations read off its types.
    pub fn new(demo: D) -> Typed<D> {
        let info = DemoInfo {
            id: D::ID,
            title: D::TITLE,
            summary: D::SUMMARY,
            params: D::Params::specs(),
            variants: D::Variant::ALL.iter().map(|v| v.info()).collect(),
        };
        Typed { demo, info }
    }
}

impl<D: TypedDemo> Demo for Typed<D> {
    fn info(&self) -> &DemoInfo {
        &self.info
    }

    fn run(&self, variant: &str, params: &Params, ctx: &Ctx<'_>) -> Result<Outcome, DemoError> {
        let v = D::Variant::from_name(variant).ok_or_else(|| {
            DemoError::Failed(anyhow::anyhow!("{} has no variant {variant}", D::ID))
        })?;
        self.demo.run(v, &D::Params::from_params(params), ctx)
    }

    fn memory_estimate(&self, params: &Params, workers: usize) -> u64 {
        self.demo
            .memory_estimate(&D::Params::from_params(params), workers)
    }

    fn finish_run(&self) {
        self.demo.finish_run();
    }

    fn trace_slots(&self, params: &Params, workers: usize) -> usize {
        self.demo
            .trace_slots(&D::Params::from_params(params), workers)
    }
}

/// Declares a demo's variants as an enum:
///
/// ```ignore
/// demo_variants! {
///     /// The squaring variants.
///     pub enum Variant {
///         Sequential = VariantInfo::SEQUENTIAL,
///         Rayon = VariantInfo::parallel("rayon", "rayon parallel iterator"),
///     }
/// }
/// ```
#[macro_export]
macro_rules! demo_variants {
    ($(#[$m:meta])* $vis:vis enum $name:ident {
        $( $(#[$vm:meta])* $v:ident = $info:expr ),+ $(,)?
    }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name { $( $(#[$vm])* $v ),+ }

        impl $crate::engine::Variants for $name {
            const ALL: &'static [$name] = &[$($name::$v),+];
            fn info(self) -> $crate::engine::VariantInfo {
                match self { $( $name::$v => $info ),+ }
            }
        }
    };
}

/// Declares a demo's parameters as a struct; each field's name is the parameter's name:
///
/// ```ignore
/// demo_params! {
///     /// Squaring's parameters.
///     pub struct Params {
///         size: u64 = typed::int(1_000_000, 0, 4_000_000_000, "how many numbers"),
///         work: Work = typed::choice(Work::Trivial, "per-item cost"),
///     }
/// }
/// ```
#[macro_export]
macro_rules! demo_params {
    ($(#[$m:meta])* $vis:vis struct $name:ident {
        $( $(#[$fm:meta])* $field:ident : $ty:ty = $decl:expr ),* $(,)?
    }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq)]
        $vis struct $name { $( $(#[$fm])* pub $field: $ty ),* }

        impl $crate::engine::DemoParams for $name {
            fn specs() -> Vec<$crate::engine::ParamSpec> {
                vec![$( ($decl).named(stringify!($field)) ),*]
            }
            fn from_params(p: &$crate::engine::Params) -> $name {
                $name { $( $field: $crate::engine::typed::field(p, stringify!($field), &$decl) ),* }
            }
        }
    };
}

/// Declares a choice parameter's values as an enum; the first is the `Default`:
///
/// ```ignore
/// param_choice! {
///     /// How much work each item takes.
///     pub enum Work { Trivial = "trivial", Heavy = "heavy" }
/// }
/// ```
#[macro_export]
macro_rules! param_choice {
    ($(#[$m:meta])* $vis:vis enum $name:ident {
        $(#[$fm:meta])* $first:ident = $fword:literal
        $(, $(#[$vm:meta])* $v:ident = $word:literal )* $(,)?
    }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
        $vis enum $name { $(#[$fm])* #[default] $first $(, $(#[$vm])* $v )* }

        impl $crate::engine::Choice for $name {
            const ALL: &'static [$name] = &[$name::$first $(, $name::$v)*];
            const NAMES: &'static [&'static str] = &[$fword $(, $word)*];
        }

        impl $crate::engine::ParamType for $name {
            fn from_value(v: &$crate::engine::Value) -> Option<$name> {
                match v {
                    $crate::engine::Value::Text(s) => <$name as $crate::engine::Choice>::from_name(s),
                    $crate::engine::Value::Int(_) => None,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::VariantInfo;

    crate::param_choice! {
        /// Test choice.
        pub enum Speed { Slow = "slow", Fast = "fast" }
    }

    crate::demo_params! {
        /// Test params.
        pub struct P {
            size: u64 = int(10, 0, 100, "items"),
            speed: Speed = choice(Speed::Fast, "how fast"),
        }
    }

    crate::demo_variants! {
        /// Test variants.
        pub enum V {
            Sequential = VariantInfo::SEQUENTIAL,
            Fast = VariantInfo::parallel("fast", "quick"),
        }
    }

    #[test]
    fn declarations_become_specs_and_typed_values() {
        let specs = P::specs();
        assert_eq!(specs[0].name, "size");
        assert_eq!(specs[1].range_text(), "slow|fast");
        let mut map = Params::defaults(&specs);
        assert_eq!(
            P::from_params(&map),
            P {
                size: 10,
                speed: Speed::Fast
            }
        );
        map.set(&specs, "speed", "SLOW").unwrap();
        map.set(&specs, "size", "100").unwrap();
        assert_eq!(P::from_params(&map).speed, Speed::Slow);
        assert_eq!(P::from_params(&map).size, 100);
        assert_eq!(V::from_name("fast"), Some(V::Fast));
        assert_eq!(V::from_name("nope"), None);
        assert_eq!(Speed::Fast.name(), "fast");
        assert_eq!(Speed::default(), Speed::Slow);
    }
}
