//! A child's command-line arguments: the parent passes `--name value` pairs after the kind;
//! these read them back, with an error naming the argument when one is missing or wrong.

use anyhow::Context as _;

/// `--name value` pairs for [`ChildProcess::spawn`](super::ChildProcess::spawn), numbers as
/// text.
pub fn flags(pairs: &[(&str, u64)]) -> Vec<String> {
    pairs
        .iter()
        .flat_map(|(name, v)| [name.to_string(), v.to_string()])
        .collect()
}

/// The value after `name` in a child's arguments.
pub fn arg<'a>(args: &'a [String], name: &str) -> anyhow::Result<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
        .with_context(|| format!("worker argument {name} missing"))
}

/// The number after `name` in a child's arguments.
pub fn arg_u64(args: &[String], name: &str) -> anyhow::Result<u64> {
    let v = arg(args, name)?;
    v.parse()
        .with_context(|| format!("worker argument {name} {v} is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_back() {
        let a = flags(&[("--from", 3), ("--to", 9)]);
        assert_eq!(a, ["--from", "3", "--to", "9"]);
        assert_eq!(arg_u64(&a, "--to").unwrap(), 9);
        let e = arg_u64(&a, "--size").unwrap_err().to_string();
        assert_eq!(e, "worker argument --size missing");
        let bad = vec!["--to".to_string(), "x".to_string()];
        assert!(arg_u64(&bad, "--to").is_err());
    }
}
