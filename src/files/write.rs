//! Writing, the last step of a run (traces, reports, formatted rule files, stored traces, JUnit
//! reports): a regular file replaced atomically, through symbolic links, in place when it has
//! several hard links; devices, FIFOs and the standard streams written as they are.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::{WriteError, read_only, write_error};

/// How standard output is named in write errors.
pub const STDOUT: &str = "standard output";

/// Writes `text` to standard output. A closed pipe (`jixiao … | head`) is not an error: nobody
/// is left to read, so the rest is dropped quietly. Any other failure (`> /dev/full`) is.
pub fn write_stdout(text: impl AsRef<[u8]>) -> Result<(), WriteError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_ref()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(write_error(Path::new(STDOUT), &e)),
    }
}

/// Where a write goes.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A regular file (existing or not), replaced atomically.
    Atomic(PathBuf),
    /// A device, FIFO or socket, written in place.
    InPlace,
    /// This process's standard output or error (`/dev/stdout`, `/dev/fd/2`, …).
    Stdout,
    Stderr,
}

/// Writes `text` to `path`: atomically for a regular file (through any symbolic links, which
/// stay links), in place for a device or FIFO. The error names the path as the user gave it.
pub fn write(path: &Path, text: &str) -> Result<(), WriteError> {
    write_bytes(path, text.as_bytes())
}

/// [`write`] for bytes that are not text (a spreadsheet).
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let mut out = Stream::create(path)?;
    out.write_all(bytes).map_err(|e| out.error(&e))?;
    out.finish()
}

/// An output written piece by piece (a batch summary of a million rows) and committed whole by
/// [`Stream::finish`]: a regular file is written to a temporary file beside it and renamed over
/// it only then, so a run that fails or is stopped part way leaves the old file as it was (a
/// stream dropped without `finish` removes its temporary file). Devices, FIFOs, the standard
/// streams and hard-linked files are written in place as [`write`] writes them.
pub struct Stream {
    /// The path as the user gave it, for messages.
    shown: PathBuf,
    sink: Sink,
}

enum Sink {
    /// The temporary file, and the file it will replace.
    Atomic(tempfile::NamedTempFile, PathBuf),
    InPlace(std::fs::File),
    Stdout(std::io::Stdout),
    Stderr(std::io::Stderr),
}

impl Stream {
    /// Opens `path` for writing, refusing what [`write`] refuses (a read-only file, a folder).
    pub fn create(path: &Path) -> Result<Stream, WriteError> {
        let fail = |e: std::io::Error| write_error(path, &e);
        let sink = match target(path).map_err(fail)? {
            Target::Atomic(file) => match std::fs::metadata(&file) {
                Ok(existing) => {
                    if no_write_permission(&existing) {
                        return Err(read_only(path, true));
                    }
                    let writer = std::fs::OpenOptions::new()
                        .write(true)
                        .open(&file)
                        .map_err(|e| {
                            if e.kind() == std::io::ErrorKind::PermissionDenied {
                                read_only(path, false)
                            } else {
                                fail(e)
                            }
                        })?;
                    if links(&existing) > 1 {
                        writer.set_len(0).map_err(fail)?;
                        Sink::InPlace(writer)
                    } else {
                        drop(writer);
                        Sink::Atomic(temporary_beside(&file).map_err(fail)?, file)
                    }
                }
                Err(_) => Sink::Atomic(temporary_beside(&file).map_err(fail)?, file),
            },
            Target::InPlace => Sink::InPlace(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(fail)?,
            ),
            Target::Stdout => Sink::Stdout(std::io::stdout()),
            Target::Stderr => Sink::Stderr(std::io::stderr()),
        };
        Ok(Stream {
            shown: path.to_path_buf(),
            sink,
        })
    }

    /// The error of a failed write, naming the path as given.
    pub fn error(&self, e: &std::io::Error) -> WriteError {
        write_error(&self.shown, e)
    }

    /// Flushes and commits: a regular file replaces the old one now, keeping its permissions.
    pub fn finish(self) -> Result<(), WriteError> {
        let fail = |e: std::io::Error| write_error(&self.shown, &e);
        match self.sink {
            Sink::Atomic(mut tmp, file) => {
                tmp.flush().map_err(fail)?;
                tmp.as_file().sync_all().map_err(fail)?;
                if let Ok(existing) = std::fs::metadata(&file) {
                    tmp.as_file()
                        .set_permissions(existing.permissions())
                        .map_err(fail)?;
                }
                tmp.persist(&file).map_err(|e| fail(e.error))?;
                Ok(())
            }
            Sink::InPlace(mut f) => {
                f.flush().map_err(fail)?;
                // A regular file (hard-linked) is synced like a replaced one; a device or FIFO
                // cannot be.
                if f.metadata().is_ok_and(|m| m.is_file()) {
                    f.sync_all().map_err(fail)?;
                }
                Ok(())
            }
            Sink::Stdout(mut out) => match out.flush() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(e)),
                _ => Ok(()),
            },
            Sink::Stderr(mut err) => err.flush().map_err(fail),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.sink {
            Sink::Atomic(tmp, _) => tmp.write(buf),
            Sink::InPlace(f) => f.write(buf),
            // A closed pipe (`jixiao … | head`): nobody is left to read, so the rest is dropped.
            Sink::Stdout(out) => match out.write(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(buf.len()),
                other => other,
            },
            Sink::Stderr(err) => err.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Atomic(tmp, _) => tmp.flush(),
            Sink::InPlace(f) => f.flush(),
            Sink::Stdout(out) => match out.flush() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            },
            Sink::Stderr(err) => err.flush(),
        }
    }
}

/// Whether an existing file's mode gives no one write permission (`chmod a-w`, mode 0444).
///
/// Before an atomic write, an existing file is also opened for writing (without truncating it)
/// to learn whether we may write it: the rename needs only the folder's permission, and would
/// replace a file its owner made read-only, which a shell's `>` refuses. Opening asks the system
/// (permission bits, ACLs, a read-only mount) as `>` does. Root may open anything, so a file
/// with no write permission for anyone is refused by its mode bits first: that is a plain
/// statement that the file is not to be replaced, which jixiao honours even for root.
fn no_write_permission(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o222 == 0
    }
    #[cfg(not(unix))]
    {
        meta.permissions().readonly()
    }
}

/// How many names (hard links) the file has; 1 where that cannot be known.
fn links(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

/// Creates the missing folders above `path` (the folder a suite's `traces = "…"` names, before
/// the first trace is stored in it).
pub fn create_parent(path: &Path) -> Result<(), WriteError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|e| write_error(path, &e))
        }
        _ => Ok(()),
    }
}

/// Decides how `path` is written, without opening it (opening a FIFO would wait for a reader).
fn target(path: &Path) -> std::io::Result<Target> {
    if let Some(stream) = standard_stream(path) {
        return Ok(stream);
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            let is_link = std::fs::symlink_metadata(path)?.file_type().is_symlink();
            Ok(Target::Atomic(if is_link {
                std::fs::canonicalize(path)?
            } else {
                path.to_path_buf()
            }))
        }
        Ok(meta) if meta.is_dir() => Err(std::io::ErrorKind::IsADirectory.into()),
        Ok(_) => Ok(Target::InPlace),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Target::Atomic(link_end(path)?)),
        Err(e) => Err(e),
    }
}

/// `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1` and the same for 2: this process's own streams,
/// written through the handles it has rather than by reopening them (which would start at the
/// beginning of a redirected file, or truncate it).
fn standard_stream(path: &Path) -> Option<Target> {
    let text = path.to_str()?;
    match text {
        "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => Some(Target::Stdout),
        "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => Some(Target::Stderr),
        _ => None,
    }
}

/// Where a path that does not exist yet will be created: the path itself, or for a dangling
/// symbolic link, the path its chain of links ends at.
fn link_end(path: &Path) -> std::io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    // As the system does, give up after 40 links: a loop of links names no file.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = std::fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// A temporary file in the folder of `path`, to be renamed over it. A new file gets the
/// permissions any program's new file gets (0666 less the umask); a file replaced keeps its own
/// ([`Stream::finish`] copies them: a temporary file alone would leave a reformatted rule file or
/// a report readable only by its owner). A file with several names (hard links) is written in
/// place instead: a rename would give the name written a new file and leave every other name
/// with the old content, silently splitting what the user linked on purpose; the price is that
/// a failure part way leaves that file cut short, and the failure is still reported.
fn temporary_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
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
    builder.tempfile_in(dir)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn new_files_are_readable_by_others_and_replaced_files_keep_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        // A file any program creates here: 0666 less the umask, whatever the umask is.
        let reference = dir.path().join("reference.txt");
        std::fs::write(&reference, "").unwrap();
        let expected = std::fs::metadata(&reference).unwrap().permissions().mode();
        let new = dir.path().join("new.txt");
        write(&new, "一").unwrap();
        let mode = std::fs::metadata(&new).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, expected & 0o777, "mode {mode:o}");

        let kept = dir.path().join("kept.jx");
        std::fs::write(&kept, "old").unwrap();
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
        write(&kept, "new").unwrap();
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "new");
    }
}

#[cfg(all(test, unix))]
mod special_files {
    use super::*;

    #[test]
    fn a_symlink_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let real = dir.path().join("sub/real.jx");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.jx");
        std::os::unix::fs::symlink("sub/real.jx", &link).unwrap();
        write(&link, "new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        // The temporary file was made in the target's folder and renamed there: nothing left over.
        assert_eq!(
            std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
            1
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_dangling_symlink_creates_the_file_it_names() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink("sub/new.txt", &link).unwrap();
        write(&link, "一").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sub/new.txt")).unwrap(),
            "一"
        );
    }

    #[test]
    fn devices_and_fifos_are_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        write(Path::new("/dev/null"), "x").unwrap();
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        crate::files::mkfifo(&fifo);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write(&fifo, "甲乙").unwrap();
        assert_eq!(reader.join().unwrap(), "甲乙");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[test]
    fn a_read_only_file_is_refused_and_left_as_it_was() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ro = dir.path().join("ro.html");
        std::fs::write(&ro, "old").unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
        // Refused by its mode bits even when the tests run as root, who may open anything.
        let e = write(&ro, "new").unwrap_err();
        assert!(e.to_string().ends_with("ro.html: it is read-only"), "{e}");
        assert!(matches!(e, WriteError::Io { .. }));
        assert_eq!(std::fs::read_to_string(&ro).unwrap(), "old");
        // Through a symbolic link, the same.
        let link = dir.path().join("link.html");
        std::os::unix::fs::symlink("ro.html", &link).unwrap();
        assert!(write(&link, "new").is_err());
        assert_eq!(std::fs::read_to_string(&ro).unwrap(), "old");
        // Writable again, it is replaced.
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o644)).unwrap();
        write(&ro, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&ro).unwrap(), "new");
    }

    #[test]
    fn a_hard_linked_file_is_written_in_place_so_every_name_sees_it() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.txt");
        std::fs::write(&a, "a much longer old content").unwrap();
        std::fs::hard_link(&a, &b).unwrap();
        let inode = std::fs::metadata(&a).unwrap().ino();
        write(&a, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new");
        assert_eq!(std::fs::metadata(&a).unwrap().ino(), inode);
        assert_eq!(std::fs::metadata(&a).unwrap().nlink(), 2);
        // No temporary file left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn write_errors_name_the_path_as_given_not_the_temporary_file() {
        let e = write(Path::new("no-such-dir/x.txt"), "x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot write no-such-dir/x.txt: its folder does not exist"
        );
        let e = write(Path::new("/dev/full"), "x").unwrap_err();
        assert_eq!(e.to_string(), "cannot write /dev/full: the disk is full");
        let dir = tempfile::tempdir().unwrap();
        let e = write(dir.path(), "x").unwrap_err();
        assert!(e.to_string().ends_with(": it is a folder"), "{e}");
    }
}
