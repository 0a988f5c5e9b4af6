//! Writing output files atomically (traces, formatted rule files, snapshots, JUnit reports): a
//! temporary file beside the target, then a rename, so a failure leaves the old file untouched
//! and no partial file behind.

use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` through a temporary file and a rename. A new file gets the
/// permissions any program's new file gets (0666 less the umask); a file replaced keeps its own
/// (a temporary file alone would leave a reformatted rule file or a report readable only by its
/// owner).
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(existing) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(existing.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::write_atomically;

    #[test]
    fn new_files_are_readable_by_others_and_replaced_files_keep_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        // A file any program creates here: 0666 less the umask, whatever the umask is.
        let reference = dir.path().join("reference.txt");
        std::fs::write(&reference, "").unwrap();
        let expected = std::fs::metadata(&reference).unwrap().permissions().mode();
        let new = dir.path().join("new.txt");
        write_atomically(&new, "一").unwrap();
        let mode = std::fs::metadata(&new).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, expected & 0o777, "mode {mode:o}");

        let kept = dir.path().join("kept.jx");
        std::fs::write(&kept, "old").unwrap();
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&kept, "new").unwrap();
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "new");
    }
}
