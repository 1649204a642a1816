//! Build script: embeds the shipped lessons (`lessons/*.md`) in the binary, so an installed
//! parlab works from any directory. Writes `$OUT_DIR/embedded_lessons.rs`, a list of
//! `(file name, contents)` pairs read with `include_str!`, which `src/lesson/load.rs` includes.
//! Also embeds the shipped exercises (`exercises/NN-ID/*`) as `(folder, file, contents)` in
//! `$OUT_DIR/embedded_exercises.rs`, which `src/exercise/load.rs` includes.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let dir = manifest.join("lessons");
    // A directory here makes cargo rerun this script when any file in it changes or is added.
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut names = Vec::new();
    if dir.is_dir() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "md") && path.is_file() {
                names.push(path);
            }
        }
    }
    names.sort();
    let mut out = String::from("&[\n");
    for path in &names {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| format!("lesson file name is not UTF-8: {}", path.display()))?;
        let full = path
            .to_str()
            .ok_or_else(|| format!("lesson path is not UTF-8: {}", path.display()))?;
        writeln!(out, "    ({name:?}, include_str!({full:?})),")?;
    }
    out.push(']');
    let dest = PathBuf::from(std::env::var("OUT_DIR")?).join("embedded_lessons.rs");
    std::fs::write(dest, out)?;
    exercises(&manifest)
}

/// Writes `embedded_exercises.rs`: every file of every `exercises/*/` folder.
fn exercises(manifest: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let dir = manifest.join("exercises");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    if dir.is_dir() {
        for folder in std::fs::read_dir(&dir)? {
            let folder = folder?.path();
            if !folder.is_dir() {
                continue;
            }
            println!("cargo::rerun-if-changed={}", folder.display());
            for f in std::fs::read_dir(&folder)? {
                let path = f?.path();
                // Text files only: a stray `__pycache__` or editor backup stays out.
                let text = ["toml", "py", "rs", "md", "txt"];
                if path.is_file()
                    && path
                        .extension()
                        .is_some_and(|e| text.iter().any(|t| e == *t))
                {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    let mut out = String::from("&[\n");
    for path in &files {
        let text = |p: Option<&std::ffi::OsStr>| {
            p.and_then(|n| n.to_str())
                .map(str::to_string)
                .ok_or_else(|| format!("exercise path is not UTF-8: {}", path.display()))
        };
        let name = text(path.file_name())?;
        let folder = text(path.parent().and_then(|p| p.file_name()))?;
        let full = text(Some(path.as_os_str()))?;
        writeln!(out, "    ({folder:?}, {name:?}, include_str!({full:?})),")?;
    }
    out.push(']');
    let dest = PathBuf::from(std::env::var("OUT_DIR")?).join("embedded_exercises.rs");
    std::fs::write(dest, out)?;
    Ok(())
}
