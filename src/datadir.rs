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

/// The temporary file an atomic write of `path` fills before renaming it: hidden, beside
/// `path` (a rename never crosses file systems), one per process.
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".{}.parlab-partial", std::process::id()));
    path.with_file_name(name)
}

/// Checks before a long run that `path` can be written, so a bad `--out` or `--trace` fails
/// before the work rather than after: not a directory, and its directory accepts the temporary
/// file (created and removed). A device or FIFO is not opened here (a FIFO's reader would see
/// the check's open and close as the whole output); it is written in place at the end. The
/// error is one line, for the caller to prefix with the flag.
pub fn check_writable(path: &Path) -> Result<(), String> {
    if path.is_dir() {
        return Err("is a directory".to_string());
    }
    if is_special(path) {
        return Ok(());
    }
    if path.file_name().is_none() {
        return Err("is not a file name".to_string());
    }
    let tmp = temp_path(path);
    match std::fs::File::create(&tmp) {
        Ok(_) => {
            let _ = std::fs::remove_file(&tmp);
            Ok(())
        }
        Err(e) => Err(format!("cannot write there ({e})")),
    }
}

/// Writes `path` atomically with what `fill` writes: a temporary file beside it
/// ([`temp_path`]), synced, then renamed, so a reader (or a crash) never sees half a file and a
/// failure leaves nothing behind. A device or FIFO ([`is_special`]) is written in place. The
/// one home of parlab's atomic writes (progress, kept runs, traces, the logs CSV).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use std::io::Write as _;
    if is_special(path) {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        let mut w = std::io::BufWriter::new(f);
        fill(&mut w).with_context(|| format!("cannot write {}", path.display()))?;
        return w
            .flush()
            .with_context(|| format!("cannot write {}", path.display()));
    }
    let tmp = temp_path(path);
    let result = (|| {
        let f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        let mut w = std::io::BufWriter::new(f);
        fill(&mut w).with_context(|| format!("cannot write {}", tmp.display()))?;
        let f = w
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write {}: {}", tmp.display(), e.error()))?;
        f.sync_all()
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `path` atomically ([`write_atomic_with`]), creating its directory: for
/// the files parlab keeps in its data directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    write_atomic_with(path, |w| Ok(w.write_all(bytes)?))
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
