//! `parlab list`: every demo with its parameters and variants.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::demos;
use crate::engine::{ParamKind, Value as PValue};

/// The list as text.
pub fn text() -> String {
    let mut o = String::from("parlab demos (run one with `parlab run ID`):\n");
    for d in demos::all() {
        let i = d.info();
        let _ = writeln!(o, "\n  {:<12} {}", i.id, i.title);
        let _ = writeln!(o, "  {:<12} {}", "", i.summary);
        let vars: Vec<&str> = i.variants.iter().map(|v| v.name).collect();
        let _ = writeln!(o, "  {:<12} variants: {}", "", vars.join(", "));
        for p in &i.params {
            let _ = writeln!(
                o,
                "  {:<12} {}{} (default {}; {})",
                "",
                super::args::flag_for(p.name),
                p.range_text(),
                p.default_value(),
                p.help
            );
        }
    }
    o
}

/// The list as JSON.
pub fn json() -> Value {
    let ds: Vec<Value> = demos::all()
        .iter()
        .map(|d| {
            let i = d.info();
            json!({
                "id": i.id, "title": i.title, "summary": i.summary,
                "variants": i.variants.iter().map(|v| json!({"name": v.name, "help": v.help, "parallel": v.parallel, "expect": v.expect})).collect::<Vec<_>>(),
                "params": i.params.iter().map(|p| {
                    let (min, max, options) = match p.kind {
                        ParamKind::Int { min, max, .. } => (Some(min), Some(max), None),
                        ParamKind::Choice { options, .. } => (None, None, Some(options)),
                    };
                    let default = match p.default_value() { PValue::Int(v) => json!(v), PValue::Text(s) => json!(s) };
                    json!({"name": p.name, "default": default, "min": min, "max": max, "options": options, "help": p.help})
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "demos": ds })
}
