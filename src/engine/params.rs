//! Demo parameters: what a demo declares it accepts, and the values a run uses.
//!
//! Declarations are data (name, kind, default, range, help) so the CLI, the lesson checker and
//! the TUI's parameter editor all validate against the same source.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of value a parameter takes.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamKind {
    /// A whole number in `min..=max`. `0` may be allowed to mean "automatic" (see help).
    Int {
        /// Smallest allowed value.
        min: u64,
        /// Largest allowed value.
        max: u64,
        /// Value when none is given.
        default: u64,
    },
    /// One word out of a fixed list.
    Choice {
        /// The allowed words.
        options: &'static [&'static str],
        /// Value when none is given.
        default: &'static str,
    },
}

/// One parameter a demo accepts.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSpec {
    /// Name as typed: `size`, `chunk`, `work`, `capacity`...
    pub name: &'static str,
    /// Kind, default and range.
    pub kind: ParamKind,
    /// One line of help shown by `parlab list`, the TUI and errors.
    pub help: &'static str,
}

impl ParamSpec {
    /// An integer parameter.
    pub const fn int(
        name: &'static str,
        default: u64,
        min: u64,
        max: u64,
        help: &'static str,
    ) -> Self {
        ParamSpec {
            name,
            kind: ParamKind::Int { min, max, default },
            help,
        }
    }

    /// A parameter that takes one of `options`.
    pub const fn choice(
        name: &'static str,
        default: &'static str,
        options: &'static [&'static str],
        help: &'static str,
    ) -> Self {
        ParamSpec {
            name,
            kind: ParamKind::Choice { options, default },
            help,
        }
    }

    /// The default value.
    pub fn default_value(&self) -> Value {
        match self.kind {
            ParamKind::Int { default, .. } => Value::Int(default),
            ParamKind::Choice { default, .. } => Value::Text(default.to_string()),
        }
    }

    /// The allowed values, in words: `1..=1000000000` or `trivial|heavy`.
    pub fn range_text(&self) -> String {
        match self.kind {
            ParamKind::Int { min, max, .. } => format!("{min}..={max}"),
            ParamKind::Choice { options, .. } => options.join("|"),
        }
    }

    /// Parses and range-checks a value typed by a user or written in a lesson file.
    pub fn parse(&self, text: &str) -> Result<Value, ParamError> {
        let bad = || ParamError {
            name: self.name.to_string(),
            given: text.to_string(),
            allowed: self.range_text(),
        };
        match self.kind {
            ParamKind::Int { min, max, .. } => {
                let v = parse_int(text).ok_or_else(bad)?;
                if v < min || v > max {
                    return Err(bad());
                }
                Ok(Value::Int(v))
            }
            ParamKind::Choice { options, .. } => options
                .iter()
                .find(|o| o.eq_ignore_ascii_case(text.trim()))
                .map(|o| Value::Text(o.to_string()))
                .ok_or_else(bad),
        }
    }

    /// Checks an already-typed value against the range.
    pub fn check(&self, v: &Value) -> Result<(), ParamError> {
        self.parse(&v.to_string()).map(|_| ())
    }
}

/// Accepts `1000000`, `1_000_000`, `1,000,000`, `1e6`, `64k`, `256M`.
fn parse_int(text: &str) -> Option<u64> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| *c != '_' && *c != ',')
        .collect();
    if let Some((m, e)) = t.split_once(['e', 'E']) {
        let m: u64 = m.parse().ok()?;
        let e: u32 = e.parse().ok()?;
        return m.checked_mul(10u64.checked_pow(e)?);
    }
    let (num, mul) = match t.chars().last()? {
        'k' | 'K' => (&t[..t.len() - 1], 1u64 << 10),
        'm' | 'M' => (&t[..t.len() - 1], 1 << 20),
        'g' | 'G' => (&t[..t.len() - 1], 1 << 30),
        _ => (&t[..], 1),
    };
    num.parse::<u64>().ok()?.checked_mul(mul)
}

/// A parameter value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A number.
    Int(u64),
    /// A word from a choice.
    Text(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            Value::Text(s) => f.write_str(s),
        }
    }
}

/// A value outside what the parameter allows.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{name} = {given} is not allowed (allowed: {allowed})")]
pub struct ParamError {
    /// The parameter.
    pub name: String,
    /// What was given.
    pub given: String,
    /// What is allowed.
    pub allowed: String,
}

/// The values one run uses: every declared parameter, defaults filled in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params(pub BTreeMap<String, Value>);

impl Params {
    /// Every parameter at its default.
    pub fn defaults(specs: &[ParamSpec]) -> Params {
        Params(
            specs
                .iter()
                .map(|s| (s.name.to_string(), s.default_value()))
                .collect(),
        )
    }

    /// Integer parameter `name` (0 when absent or not a number; demos only ask for their own).
    pub fn int(&self, name: &str) -> u64 {
        match self.0.get(name) {
            Some(Value::Int(v)) => *v,
            _ => 0,
        }
    }

    /// Integer parameter as usize.
    pub fn usize(&self, name: &str) -> usize {
        usize::try_from(self.int(name)).unwrap_or(usize::MAX)
    }

    /// Choice parameter `name` ("" when absent).
    pub fn text(&self, name: &str) -> &str {
        match self.0.get(name) {
            Some(Value::Text(s)) => s,
            _ => "",
        }
    }

    /// Sets `name` after checking it against `specs`.
    pub fn set(&mut self, specs: &[ParamSpec], name: &str, text: &str) -> Result<(), SetError> {
        let spec = specs
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| SetError::Unknown {
                name: name.to_string(),
                known: specs.iter().map(|s| s.name).collect::<Vec<_>>().join(", "),
            })?;
        let v = spec.parse(text)?;
        self.0.insert(name.to_string(), v);
        Ok(())
    }
}

impl fmt::Display for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}={v}")).collect();
        f.write_str(&parts.join(" "))
    }
}

/// Why a parameter could not be set.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SetError {
    /// The demo has no such parameter.
    #[error("unknown parameter `{name}` (this demo has: {known})")]
    Unknown {
        /// What was asked for.
        name: String,
        /// What exists.
        known: String,
    },
    /// The value is out of range.
    #[error(transparent)]
    Range(#[from] ParamError),
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[ParamSpec] = &[
        ParamSpec::int("size", 10, 0, 100, "items"),
        ParamSpec::choice("work", "trivial", &["trivial", "heavy"], "per item"),
    ];

    #[test]
    fn numbers_in_friendly_forms() {
        for (t, v) in [
            ("1000000", 1_000_000),
            ("1_000", 1000),
            ("1,000", 1000),
            ("1e6", 1_000_000),
            ("64k", 65536),
            ("2M", 2 << 20),
        ] {
            assert_eq!(parse_int(t), Some(v), "{t}");
        }
        assert_eq!(parse_int("x"), None);
        assert_eq!(parse_int("1e40"), None);
    }

    #[test]
    fn set_checks_range_and_name() {
        let mut p = Params::defaults(SPECS);
        assert_eq!(p.int("size"), 10);
        p.set(SPECS, "size", "100").unwrap();
        assert_eq!(p.int("size"), 100);
        let e = p.set(SPECS, "size", "101").unwrap_err();
        assert_eq!(
            e.to_string(),
            "size = 101 is not allowed (allowed: 0..=100)"
        );
        p.set(SPECS, "work", "HEAVY").unwrap();
        assert_eq!(p.text("work"), "heavy");
        assert!(matches!(
            p.set(SPECS, "nope", "1"),
            Err(SetError::Unknown { .. })
        ));
    }
}
