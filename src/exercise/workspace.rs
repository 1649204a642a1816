//! Where the learner edits: a folder holding the starter under the name `exercise.py` (or
//! `.rs`) and the task as `TASK.md`. Starting again never overwrites an edited file unless
//! asked with `--force`. [`watch_saves`] is the one way both `parlab exercise watch` and the
//! TUI's watch mode learn that the learner saved.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Exercise;

/// The default workspace of `ex`: `data_dir()/exercises/ID`.
pub fn default_dir(ex: &Exercise) -> Option<PathBuf> {
    crate::datadir::data_dir().map(|d| d.join("exercises").join(&ex.id))
}

/// The file the learner edits in `dir`.
pub fn file(ex: &Exercise, dir: &Path) -> PathBuf {
    dir.join(ex.workspace_file())
}

/// What [`start`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Started {
    /// Wrote the starter.
    Written(PathBuf),
    /// The file was already the starter, or edited and kept (`false`: kept).
    Kept(PathBuf, bool),
}

/// Writes the starter and the task into `dir`. An existing file that differs from the starter
/// (the learner's work) is kept unless `force`.
pub fn start(ex: &Exercise, dir: &Path, force: bool) -> anyhow::Result<Started> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let f = file(ex, dir);
    if let Ok(old) = std::fs::read_to_string(&f) {
        let same = old == ex.sources.starter;
        if same || !force {
            return Ok(Started::Kept(f, same));
        }
    }
    let task = format!(
        "# {}\n\nExercise `{}` (lesson `{}`, {}).\n\n{}\n\nEdit `{}` where it says `TODO(parlab)`, then run `parlab exercise check {}`.\n",
        ex.title,
        ex.id,
        ex.lesson,
        ex.language.name(),
        ex.task.trim(),
        ex.workspace_file(),
        ex.id
    );
    crate::datadir::write_atomic(&dir.join("TASK.md"), task.as_bytes())?;
    crate::datadir::write_atomic(&f, ex.sources.starter.as_bytes())?;
    Ok(Started::Written(f))
}

/// Quiet time after the last change before re-checking: an editor's save is several events,
/// and one save should be one check.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// Calls `on_change` on every change to `file` (the `notify` crate). The folder is watched, not
/// the file: editors save by writing a new file and renaming it over. Reads are not changes:
/// the check itself opens the file, and counting that would re-check for ever.
/// Watching stops when the returned watcher is dropped.
pub fn watch_saves(
    file: &Path,
    on_change: impl Fn() + Send + 'static,
) -> anyhow::Result<notify::RecommendedWatcher> {
    use notify::Watcher as _;
    let name = file.file_name().map(ToOwned::to_owned);
    let mut watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        if let Ok(e) = e
            && !e.kind.is_access()
            && !e.kind.is_other()
            && e.paths.iter().any(|p| p.file_name() == name.as_deref())
        {
            on_change();
        }
    })
    .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", file.display()))?;
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    watcher
        .watch(dir, notify::RecursiveMode::NonRecursive)
        .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", dir.display()))?;
    Ok(watcher)
}
