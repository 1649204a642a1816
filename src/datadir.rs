//! The user's data directory and the one way parlab writes a file there. Runs, progress and
//! the browser's state all live here, so they share one location rule and one atomic write.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// Overrides the data directory (tests, portable installs, a classroom's shared folder).
pub const DATA_DIR_ENV: &str = "PARLAB_DATA_DIR";

/// `$PARLAB_DATA_DIR`, else `$XDG_DATA_HOME/parlab` or the platform's equivalent; `None` when
/// there is no home directory (parlab then keeps nothing between sessions).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "parlab").map(|d| d.data_dir().to_path_buf())
}

/// `name` inside the data directory.
pub fn data_file(name: &str) -> Option<PathBuf> {
    data_dir().map(|d| d.join(name))
}

/// Whether `path` names something that exists and is neither a regular file nor a directory:
/// `/dev/null`, a terminal, a FIFO. Such a target is written in place: renaming a finished
/// file over it would replace the device (as root, `--out /dev/null` once turned the
/// machine's `/dev/null` into a plain file). The one rule every atomic writer asks.
pub fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, synced, then renamed, so a
/// reader (or a crash) never sees half a file. Creates the parent directory. A device or FIFO
/// ([`is_special`]) is written in place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if is_special(path) {
        return std::fs::write(path, bytes)
            .with_context(|| format!("cannot write {}", path.display()));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let result = (|| {
        use std::io::Write as _;
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Moves an unreadable file aside as `NAME.corrupt` (replacing an older one) so the user keeps
/// it for inspection and parlab starts fresh; returns where it went.
pub fn set_aside(path: &Path) -> Option<PathBuf> {
    let mut name = path.file_name()?.to_os_string();
    name.push(".corrupt");
    let dest = path.with_file_name(name);
    std::fs::rename(path, &dest).ok().map(|()| dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_sets_aside() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b/state.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
        let aside = set_aside(&p).unwrap();
        assert!(aside.ends_with("state.json.corrupt"));
        assert!(!p.exists());
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_special_files_and_directories_are_not() {
        // Only looked at: a test that wrote to /dev/null could destroy it if this broke (the
        // logs CLI tests write through a FIFO instead).
        assert!(is_special(Path::new("/dev/null")));
        assert!(!is_special(Path::new("/")));
        assert!(!is_special(Path::new("/no/such/file")));
        let f = tempfile::NamedTempFile::new().unwrap();
        assert!(!is_special(f.path()));
    }
}
