//! From a program's source to the command that runs it: Python as `python3 FILE`, Rust built
//! once with `rustc -O --edition 2021` and kept by content hash in the data directory, so a
//! check rebuilds only what changed and the tests pay each build once.

use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::Language;

/// Most lines of a compiler's complaint repeated in a verdict.
const MAX_ERROR_LINES: usize = 12;

/// A program that did not build: the compiler's first lines.
#[derive(Debug, thiserror::Error)]
#[error("{what} does not build:\n{message}")]
pub struct BuildError {
    /// Which program (`your program`, `the reference solution`).
    pub what: String,
    /// The compiler's complaint, cut to its first lines.
    pub message: String,
}

/// Where built programs are kept: `data_dir()/exercise-builds`, else the system's temp dir.
pub fn cache_dir() -> PathBuf {
    crate::datadir::data_file("exercise-builds")
        .unwrap_or_else(|| std::env::temp_dir().join("parlab-exercise-builds"))
}

/// The command running `source` (written to `scratch/NAME.ext` first), without its
/// `SEED SIZE DIR` arguments. `what` names the program in a build error.
pub fn prepare(
    lang: Language,
    source: &str,
    name: &str,
    scratch: &Path,
    what: &str,
) -> anyhow::Result<Vec<String>> {
    let file = scratch.join(format!("{name}.{}", lang.ext()));
    std::fs::write(&file, source)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
    match lang {
        Language::Python => Ok(vec![
            crate::observe::child::python3(),
            file.display().to_string(),
        ]),
        Language::Rust => Ok(vec![rust(&file, source, what)?.display().to_string()]),
    }
}

/// The content hash a Rust build is kept under.
fn key(source: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    "rustc -O --edition 2021".hash(&mut h);
    source.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Builds `file` (whose text is `source`) unless a build of the same text is cached.
fn rust(file: &Path, source: &str, what: &str) -> anyhow::Result<PathBuf> {
    let dir = cache_dir();
    // Kept as `KEY/exercise`, so its processes and threads are named "exercise" wherever the
    // observer shows them (the kernel keeps 15 bytes of a name: a hash would fill them).
    let home = dir.join(key(source));
    let bin = home.join("exercise");
    if bin.is_file() {
        return Ok(bin);
    }
    std::fs::create_dir_all(&home)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", home.display()))?;
    // Built under a name of its own, then renamed: two checks building at once both succeed.
    let tmp = dir.join(format!("tmp-{}-{}", key(source), std::process::id()));
    let out = Command::new("rustc")
        .args(["-O", "--edition", "2021", "--crate-name", "exercise"])
        .arg(file)
        .arg("-o")
        .arg(&tmp)
        .output()
        .map_err(|e| anyhow::anyhow!("cannot start rustc (is Rust installed?): {e}"))?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&tmp);
        let text = String::from_utf8_lossy(&out.stderr);
        let message: Vec<&str> = text.lines().take(MAX_ERROR_LINES).collect();
        return Err(BuildError {
            what: what.to_string(),
            message: message.join("\n"),
        }
        .into());
    }
    std::fs::rename(&tmp, &bin)
        .map_err(|e| anyhow::anyhow!("cannot keep the build in {}: {e}", bin.display()))?;
    Ok(bin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_content() {
        assert_eq!(key("fn main() {}"), key("fn main() {}"));
        assert_ne!(key("fn main() {}"), key("fn main() { }"));
    }
}
