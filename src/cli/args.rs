//! Arguments shared by `run` and `sweep`, and their validation against the demo's own
//! declarations. Every rejection is one line naming the flag and what is allowed.

use clap::Args;

use crate::demos;
use crate::engine::admission::{self, Refusal};
use crate::engine::{Demo, Params, SetError};

/// Largest repeat count accepted.
pub const MAX_REPEATS: u32 = 1000;

/// Parameters with a flag of their own; the others are set with `--set NAME=VALUE`.
const OWN_FLAGS: [&str; 3] = ["size", "chunk", "work"];

/// How a user types parameter `name` on the command line, up to the value: `--size ` or
/// `--set mb=`.
pub fn flag_for(name: &str) -> String {
    if OWN_FLAGS.contains(&name) {
        format!("--{name} ")
    } else {
        format!("--set {name}=")
    }
}

/// Bad input: printed as one line, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Builds a [`UsageError`] as an `anyhow::Error`.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

/// The demo and its parameters, as typed.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Demo id (see `parlab list`).
    pub demo: String,
    /// How many items (demo parameter `size`); accepts 1000000, 1e6, 1_000_000.
    #[arg(long)]
    pub size: Option<String>,
    /// Items per task (demo parameter `chunk`); 0 = the demo's automatic rule.
    #[arg(long)]
    pub chunk: Option<String>,
    /// Per-item work: trivial or heavy (demo parameter `work`).
    #[arg(long)]
    pub work: Option<String>,
    /// Any other demo parameter, as NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Timed repeats per variant (default: enough for about a second: 3 to 15, or 2 when one pass takes over a second).
    #[arg(long)]
    pub repeat: Option<u32>,
    /// Run only these variants (repeatable); sequential always runs as the reference.
    #[arg(long = "variant", value_name = "NAME")]
    pub variants: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::Format::Table)]
    pub format: super::Format,
}

/// The validated pieces of [`DemoArgs`].
pub struct Resolved {
    /// The demo.
    pub demo: &'static dyn Demo,
    /// Its parameters.
    pub params: Params,
    /// Selected variants (empty = all).
    pub variants: Vec<String>,
    /// Repeats, if given.
    pub repeats: Option<u32>,
}

impl DemoArgs {
    /// Checks everything against the demo's declarations.
    pub fn resolve(&self) -> anyhow::Result<Resolved> {
        let demo = demos::find(&self.demo).ok_or_else(|| {
            usage(format!(
                "unknown demo `{}` (valid demos: {})",
                self.demo,
                demos::ids().join(", ")
            ))
        })?;
        let info = demo.info();
        let mut params = Params::defaults(&info.params);
        let flags = [
            ("size", &self.size),
            ("chunk", &self.chunk),
            ("work", &self.work),
        ];
        for (name, value) in flags {
            if let Some(v) = value {
                set(&mut params, demo, name, v, &format!("--{name}"))?;
            }
        }
        for kv in &self.set {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| usage(format!("--set {kv}: expected NAME=VALUE")))?;
            set(
                &mut params,
                demo,
                k.trim(),
                v.trim(),
                &format!("--set {}", k.trim()),
            )?;
        }
        if let Some(r) = self.repeat
            && !(1..=MAX_REPEATS).contains(&r)
        {
            return Err(usage(format!(
                "--repeat {r} is out of range (allowed: 1..={MAX_REPEATS})"
            )));
        }
        for v in &self.variants {
            if info.variant(v).is_none() {
                let names: Vec<&str> = info.variants.iter().map(|v| v.name).collect();
                return Err(usage(format!(
                    "--variant {v}: {} has no such variant (allowed: {})",
                    info.id,
                    names.join(", ")
                )));
            }
        }
        Ok(Resolved {
            demo,
            params,
            variants: self.variants.clone(),
            repeats: self.repeat,
        })
    }
}

fn set(
    params: &mut Params,
    demo: &dyn Demo,
    name: &str,
    value: &str,
    flag: &str,
) -> anyhow::Result<()> {
    let info = demo.info();
    params.set(&info.params, name, value).map_err(|e| match e {
        SetError::Unknown { known, .. } => usage(format!(
            "{flag}: demo `{}` has no parameter `{name}` (it has: {known})",
            info.id
        )),
        SetError::Range(r) => {
            let help = info.param(name).map_or("", |p| p.help);
            usage(format!(
                "{flag} {value} is out of range (allowed: {}; {help})",
                r.allowed
            ))
        }
    })
}

/// Checks a worker count against the admission rule; the refusal names `--workers`.
pub fn check_workers(w: usize) -> anyhow::Result<usize> {
    check_workers_u64(w as u64)
}

/// [`check_workers`] for a count as typed, before it is known to fit a `usize`.
pub fn check_workers_u64(w: u64) -> anyhow::Result<usize> {
    admission::workers(w).map_err(|e| {
        usage(format!(
            "--workers {} is out of range (allowed: {})",
            e.given, e.allowed
        ))
    })
}

/// Refuses a run the admission rule refuses (workers out of range, memory over the safe
/// budget), naming the settings the user changed: they are what made the run this big.
pub fn check_memory(r: &Resolved, workers: usize) -> anyhow::Result<()> {
    let total = crate::machine::Machine::this().memory_bytes;
    match admission::admit(r.demo, &r.params, workers, total) {
        Ok(()) => Ok(()),
        Err(Refusal::Setting(_)) => check_workers(workers).map(|_| ()),
        Err(refusal) => {
            let info = r.demo.info();
            let changed: Vec<String> = info
                .params
                .iter()
                .filter(|p| r.params.0.get(p.name) != Some(&p.default_value()))
                .map(|p| {
                    let v = r
                        .params
                        .0
                        .get(p.name)
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    format!("{}{v}", flag_for(p.name))
                })
                .collect();
            let what = if changed.is_empty() {
                format!("the defaults of {}", info.id)
            } else {
                changed.join(" ")
            };
            Err(usage(format!("{what}: {refusal}")))
        }
    }
}
