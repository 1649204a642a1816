//! The result table: header `File,ERROR,WARNING,INFO`, one row per file in name order.
//!
//! A file that could not be analyzed keeps its row: the error text (starting `Error: `) takes
//! the place of the ERROR count and WARNING and INFO are empty, so the header stays exactly the
//! tutorial's and a spreadsheet shows the reason right beside the file name. Files are written
//! atomically: a temporary file beside the target, renamed over it when complete, so a reader
//! never sees half a table and a failed write leaves any previous table untouched.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::CSV_HEADER;
use super::analyze::FileReport;

/// Writes the header and one row per report.
pub fn write_rows<W: Write>(w: W, reports: &[FileReport]) -> anyhow::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(CSV_HEADER)?;
    for r in reports {
        match &r.outcome {
            Ok(c) => out.write_record([
                r.name.as_str(),
                &c.error.to_string(),
                &c.warning.to_string(),
                &c.info.to_string(),
            ])?,
            Err(e) => out.write_record([r.name.as_str(), e.as_str(), "", ""])?,
        }
    }
    out.flush()?;
    Ok(())
}

/// The whole table as bytes (for the demo's digest and for tests).
pub fn to_bytes(reports: &[FileReport]) -> anyhow::Result<Vec<u8>> {
    let mut v = Vec::new();
    write_rows(&mut v, reports)?;
    Ok(v)
}

/// The temporary file [`write_atomic`] writes before renaming it to `path`.
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".{}.parlab-partial", std::process::id()));
    path.with_file_name(name)
}

/// Checks before a run that `path` can be written: not a directory, and its directory accepts
/// a new file (the temporary one is created and removed). A device or FIFO such as `/dev/null`
/// is not opened here (a FIFO's reader would see the check's open and close as the whole
/// table); it is written in place at the end. The error is one line.
pub fn check_writable(path: &Path) -> Result<(), String> {
    if path.is_dir() {
        return Err("is a directory".to_string());
    }
    if crate::datadir::is_special(path) {
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

/// Writes the table to `path` atomically (temporary file, then rename); a device or FIFO
/// such as `/dev/null` is written in place ([`crate::datadir::is_special`]).
pub fn write_atomic(path: &Path, reports: &[FileReport]) -> anyhow::Result<()> {
    if crate::datadir::is_special(path) {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        return write_rows(std::io::BufWriter::new(f), reports)
            .with_context(|| format!("cannot write {}", path.display()));
    }
    let tmp = temp_path(path);
    let result = (|| {
        let f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        let mut w = std::io::BufWriter::new(f);
        write_rows(&mut w, reports).with_context(|| format!("cannot write {}", tmp.display()))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::Counts;

    #[test]
    fn rows_and_error_rows() {
        let reports = vec![
            FileReport {
                name: "a.log".into(),
                bytes: 10,
                outcome: Ok(Counts {
                    error: 1,
                    warning: 0,
                    info: 12,
                    lines: 20,
                }),
            },
            FileReport {
                name: "b, odd.log".into(),
                bytes: 0,
                outcome: Err("Error: not valid UTF-8 at line 3, byte 1".into()),
            },
        ];
        let text = String::from_utf8(to_bytes(&reports).unwrap()).unwrap();
        assert_eq!(
            text,
            "File,ERROR,WARNING,INFO\na.log,1,0,12\n\"b, odd.log\",\"Error: not valid UTF-8 at line 3, byte 1\",,\n"
        );
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.csv");
        std::fs::write(&p, "old").unwrap();
        write_atomic(&p, &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "File,ERROR,WARNING,INFO\n"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(check_writable(dir.path()).is_err());
        assert!(check_writable(&dir.path().join("nope/r.csv")).is_err());
    }
}
