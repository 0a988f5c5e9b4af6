//! Files in and out, in one place, so every reader and writer of the CLI is safe the same way.
//!
//! Reading: only regular files (and standard input, `-`), at most [`max_file_size`] bytes, with
//! the type and size looked at *before* the file is opened, so a folder, a device (`/dev/zero`),
//! a FIFO with no writer or a huge sparse file is an error at once instead of a hang or an
//! exhausted memory.
//!
//! Writing (traces, formatted rule files, stored traces, JUnit reports): a regular file is
//! replaced atomically — a temporary file beside it, then a rename — so a failure leaves the old
//! file untouched and no partial file behind. An existing file we may not write (read-only, or
//! with no write permission for anyone, even for root) is refused, as a shell's `>` refuses it;
//! a file with several hard links is overwritten in place, so that every name sees the new
//! content. A symbolic link is written through, to the file it
//! finally names (the temporary file in *that* file's folder), and stays a link. Devices, FIFOs
//! and `/dev/stdout` are written in place, as any program writes them. Every failed write is a
//! [`WriteError`]; the caller exits non-zero with it.
//!
//! Walking folders ([`walk`], [`glob`]): a symbolic link to a folder is never followed below the
//! folder named (a link to `.` would make the walk loop, two of them exponentially), and entries
//! come in sorted order, the same on every machine.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::source::{ReadError, display_path};

/// The largest file read when nothing else is said: 64 MiB, far above any rule or data file.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The limit in force. Process-wide, because every reader needs it (imports, case files, stored
/// traces) and the command line sets it once, before anything is read.
static MAX_FILE_SIZE: AtomicU64 = AtomicU64::new(DEFAULT_MAX_FILE_SIZE);

/// Sets the largest file any reader of this process accepts (`--max-file-size`).
pub fn set_max_file_size(bytes: u64) {
    MAX_FILE_SIZE.store(bytes, Ordering::Relaxed);
}

/// The largest file a reader accepts, in bytes.
pub fn max_file_size() -> u64 {
    MAX_FILE_SIZE.load(Ordering::Relaxed)
}

/// A size as `--max-file-size` takes it: a number of bytes, or with a binary unit `K`, `M`, `G`
/// (`KiB`, `MiB`, `GiB` and `KB`, `MB`, `GB` mean the same; case does not matter).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 64M or 200000000"))?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("`{unit}` is not a unit: use K, M or G, as in 64M")),
    };
    number
        .checked_mul(scale)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// A byte count in words: `64 MiB` when it is a whole number of MiB, else in bytes.
fn size_in_words(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// What a path is when it is not a regular file, for messages.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let ty = meta.file_type();
    if ty.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ty.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ty.is_socket() {
            return "a socket";
        }
        if ty.is_char_device() || ty.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Reads a regular file whole, refusing anything else and anything over [`max_file_size`].
pub fn read(path: &Path) -> Result<Vec<u8>, ReadError> {
    let shown = display_path(path);
    let cannot = |e: std::io::Error| ReadError::Io {
        path: shown.clone(),
        // The commonest case in words of our own: the system's wording differs by platform.
        message: match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file".to_string(),
            _ => e.to_string(),
        },
    };
    let not_a_file = |meta: &std::fs::Metadata| ReadError::NotAFile {
        path: shown.clone(),
        what: kind_of(meta),
    };
    // Look before opening: opening a FIFO with no writer blocks, and a device never ends.
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(not_a_file(&meta));
    }
    let limit = max_file_size();
    if meta.len() > limit {
        return Err(too_large(shown.clone(), Some(meta.len()), limit));
    }
    let file = open_for_reading(path).map_err(cannot)?;
    // The path may name something else by now; what was opened is what counts.
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(not_a_file(&meta));
    }
    let capacity = usize::try_from(meta.len().min(limit)).unwrap_or(0);
    read_limited(file, &shown, limit, capacity)
}

/// Reads standard input whole, up to [`max_file_size`].
pub fn read_stdin() -> Result<Vec<u8>, ReadError> {
    read_limited(std::io::stdin().lock(), STDIN, max_file_size(), 0)
}

/// How standard input is named in diagnostics and traces.
pub const STDIN: &str = "<stdin>";

/// At most `limit` bytes; a reader with more (a file still growing) is refused, not cut short.
fn read_limited(
    reader: impl Read,
    shown: &str,
    limit: u64,
    capacity: usize,
) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io {
            path: shown.to_string(),
            message: e.to_string(),
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large(shown.to_string(), None, limit));
    }
    Ok(bytes)
}

/// `size` is `None` when only the limit's being passed is known (a stream, a growing file).
fn too_large(path: String, size: Option<u64>, limit: u64) -> ReadError {
    ReadError::TooLarge {
        path,
        size: match size {
            Some(size) => size_in_words(size),
            None => format!("larger than {}", size_in_words(limit)),
        },
        limit: size_in_words(limit),
    }
}

/// Opens without blocking: should the path have become a FIFO since it was looked at, opening
/// it must not wait for a writer (the type is checked again on the open file).
fn open_for_reading(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Failing to write a file or standard output, or refusing to.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WriteError {
    #[error("cannot write {path}: {message}")]
    #[diagnostic(code(jixiao::io::write), help("{help}"))]
    Io {
        /// The path as the user gave it.
        path: String,
        message: String,
        help: String,
    },
    #[error("{message}")]
    #[diagnostic(
        code(jixiao::io::output_is_input),
        help(
            "writing there would replace it; give the output a file of its own, such as `{suggestion}`"
        )
    )]
    OutputIsInput {
        message: String,
        suggestion: &'static str,
    },
}

impl WriteError {
    /// 2 when the command line names an input as the output (a usage error), else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            WriteError::Io { .. } => 1,
            WriteError::OutputIsInput { .. } => 2,
        }
    }
}

/// A file a run reads, with what it is to the run ("the rule file", "a file the rules import").
pub type Input<'a> = (&'a Path, &'static str);

/// Refuses to write `output` when it is one of the files the run reads, compared as files (the
/// same device and inode on Unix), so `./r.jx`, a symbolic link to it and a hard link to it are
/// all the same file. `suggestion` is the flag with a harmless path (`--output trace.txt`).
pub fn refuse_inputs(
    output: &Path,
    inputs: &[Input<'_>],
    suggestion: &'static str,
) -> Result<(), WriteError> {
    let Some((input, what)) = inputs.iter().find(|(input, _)| same_file(output, input)) else {
        return Ok(());
    };
    let shown = output.to_string_lossy();
    let input_shown = display_path(input);
    let message = if input_shown == display_path(output) {
        format!("will not write over {shown}: it is {what}, which this run reads")
    } else {
        format!(
            "will not write over {shown}: it is the same file as {input_shown}, {what}, which this run reads"
        )
    };
    Err(WriteError::OutputIsInput {
        message,
        suggestion,
    })
}

/// Refuses to write `output` when it is the file standard input is redirected from
/// (`jixiao score rules.jx - -o data.toml < data.toml`): read through `-`, the data file has no
/// path to compare, so the file behind standard input is compared as a file instead (device and
/// inode, when it is a regular file; a pipe or a terminal is no file anyone can name).
pub fn refuse_stdin(
    output: &Path,
    what: &'static str,
    suggestion: &'static str,
) -> Result<(), WriteError> {
    if !is_stdin_file(output) {
        return Ok(());
    }
    Err(WriteError::OutputIsInput {
        message: format!(
            "will not write over {}: it is {what}, which this run reads from standard input (`-`)",
            output.to_string_lossy()
        ),
        suggestion,
    })
}

/// Whether `path` names the regular file this process's standard input reads.
#[cfg(unix)]
fn is_stdin_file(path: &Path) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    // A duplicate of the descriptor, so that the handle closed after looking is not stdin's.
    let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() else {
        return false;
    };
    let (Ok(input), Ok(output)) = (std::fs::File::from(fd).metadata(), std::fs::metadata(path))
    else {
        return false;
    };
    input.is_file() && input.dev() == output.dev() && input.ino() == output.ino()
}

#[cfg(not(unix))]
fn is_stdin_file(_: &Path) -> bool {
    false
}

/// What makes an existing file itself whatever path names it (following symbolic links): its
/// device and inode on Unix, its canonical path elsewhere. `None` when it does not exist.
pub fn identity(path: &Path) -> Option<(u64, u64, Option<PathBuf>)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino(), None))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0, Some(std::fs::canonicalize(path).ok()?)))
    }
}

/// Whether two paths name the same file: the same existing file (as [`same_file`]), or, for a
/// file not there yet, the same path once made absolute and cleaned of `.` and `..`.
pub fn same_path(a: &Path, b: &Path) -> bool {
    same_file(a, b) || lexical(a) == lexical(b)
}

/// A path made absolute and cleaned of `.` and `..` without looking at the file system.
pub fn lexical(path: &Path) -> PathBuf {
    crate::source::normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Whether two paths name the same existing file, following symbolic links. Looks at metadata
/// only: opening the paths could block (a FIFO) or have effects (a device).
pub fn same_file(a: &Path, b: &Path) -> bool {
    // Two paths neither of which names an existing file are not "the same file".
    identity(a).is_some_and(|id| identity(b) == Some(id))
}

/// How standard output is named in write errors.
pub const STDOUT: &str = "standard output";

/// The message of a failed write, in words of our own where the system's would name the
/// temporary file rather than the file the user asked for.
fn write_message(e: &std::io::Error) -> (String, String) {
    use std::io::ErrorKind as K;
    let check = "check that the folder exists and is writable and that the disk has room";
    match e.kind() {
        K::NotFound => (
            "its folder does not exist".into(),
            "create the folder first, or give a path in a folder that exists".into(),
        ),
        K::PermissionDenied => (
            "permission denied".into(),
            "write somewhere you may write, or change the permissions".into(),
        ),
        K::IsADirectory => (
            "it is a folder".into(),
            "give the path of a file, not a folder".into(),
        ),
        K::StorageFull => (
            "the disk is full".into(),
            "free some space, or write somewhere else".into(),
        ),
        _ => match e.raw_os_error() {
            Some(code) => (
                std::io::Error::from_raw_os_error(code).to_string(),
                check.into(),
            ),
            None => (e.kind().to_string(), check.into()),
        },
    }
}

fn write_error(path: &Path, e: &std::io::Error) -> WriteError {
    let (message, help) = write_message(e);
    WriteError::Io {
        path: path.to_string_lossy().into_owned(),
        message,
        help,
    }
}

/// Writes `text` to standard output. A closed pipe (`jixiao … | head`) is not an error: nobody
/// is left to read, so the rest is dropped quietly. Any other failure (`> /dev/full`) is.
pub fn write_stdout(text: &str) -> Result<(), WriteError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
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
    let fail = |e: std::io::Error| write_error(path, &e);
    match target(path).map_err(fail)? {
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
                    write_in_place(writer, text).map_err(fail)
                } else {
                    drop(writer);
                    write_atomically(&file, text).map_err(fail)
                }
            }
            Err(_) => write_atomically(&file, text).map_err(fail),
        },
        Target::InPlace => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.flush())
                .map_err(fail)
        }
        Target::Stdout => write_stdout(text).map_err(|e| match e {
            WriteError::Io { message, help, .. } => WriteError::Io {
                path: path.to_string_lossy().into_owned(),
                message,
                help,
            },
            other => other,
        }),
        Target::Stderr => {
            let mut err = std::io::stderr().lock();
            err.write_all(text.as_bytes())
                .and_then(|()| err.flush())
                .map_err(fail)
        }
    }
}

/// `cannot write ro.html: it is read-only`. `for_everyone` when its mode gives no one write
/// permission (its owner can allow it again), else when the system refused us (another user's
/// file, an ACL, a read-only mount).
fn read_only(path: &Path, for_everyone: bool) -> WriteError {
    let shown = path.to_string_lossy().into_owned();
    let (message, help) = if for_everyone {
        (
            "it is read-only".to_string(),
            format!(
                "someone made it read-only, so it is left alone; make it writable first (`chmod u+w {shown}`) if it should be replaced, or write somewhere else"
            ),
        )
    } else {
        (
            "it is read-only to you (its permissions do not let you write it)".to_string(),
            "write somewhere else, or ask the file's owner to let you write it".to_string(),
        )
    };
    WriteError::Io {
        path: shown,
        message,
        help,
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

/// Overwrites a file with several names (hard links) in place: truncated, then written. An
/// atomic rename would give the name written a new file and leave every other name with the
/// old content, silently splitting what the user linked on purpose (a report linked into a
/// shared folder, a rule file linked into two repositories). In place, every name sees the new
/// content, as with a shell's `>`; the price is that a failure part way leaves the file cut
/// short, and that failure is still reported (and the run fails).
fn write_in_place(mut file: std::fs::File, text: &str) -> std::io::Result<()> {
    file.set_len(0)?;
    file.write_all(text.as_bytes())?;
    file.flush()?;
    file.sync_all()
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

/// Writes `text` to the regular file `path` through a temporary file in the same folder and a
/// rename. A new file gets the permissions any program's new file gets (0666 less the umask); a
/// file replaced keeps its own (a temporary file alone would leave a reformatted rule file or a
/// report readable only by its owner).
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
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

/// The entries under `root` (itself first, then depth first, sorted by name within each
/// folder), without entering hidden folders (`.git`), `target`, or a symbolic link to a folder.
/// `root` itself is followed when it is a link. An entry that cannot be read is an `Err`.
/// (A `walkdir` iterator, so a caller can `skip_current_dir`.)
pub fn walk(root: &Path) -> Walk {
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(entered)
}

/// The iterator [`walk`] returns.
pub type Walk = walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>;

/// Whether a walk yields (and, for a folder, enters) an entry: not hidden folders (`.git`) nor
/// build output (`target`) below the root.
fn entered(e: &walkdir::DirEntry) -> bool {
    let name = e.file_name().to_string_lossy();
    e.depth() == 0 || !e.file_type().is_dir() || !(name.starts_with('.') || name == "target")
}

/// The paths matching a glob pattern (`departments/*.toml`, `data/**/*.json`), in sorted order,
/// found by walking from the pattern's literal folder without following symbolic links to
/// folders (the `glob` crate follows them, and loops on a link to `.`). `*` does not cross a
/// `/`; `**` as a whole part matches any number of folders.
pub fn glob(pattern: &str) -> Result<Vec<PathBuf>, glob::PatternError> {
    let compiled = glob::Pattern::new(pattern)?;
    let options = glob::MatchOptions {
        require_literal_separator: true,
        ..glob::MatchOptions::new()
    };
    let path = Path::new(pattern);
    let parts: Vec<_> = path.components().collect();
    let wild =
        |c: &std::path::Component<'_>| c.as_os_str().to_string_lossy().contains(['*', '?', '[']);
    let Some(first_wild) = parts.iter().position(wild) else {
        // No wildcard: the path itself, if it is there.
        return Ok(if std::fs::symlink_metadata(path).is_ok() {
            vec![path.to_path_buf()]
        } else {
            Vec::new()
        });
    };
    let base: PathBuf = parts[..first_wild].iter().collect();
    let root = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base.as_path()
    };
    let rest = &parts[first_wild..];
    let depth = if rest.iter().any(|c| c.as_os_str() == "**") {
        usize::MAX
    } else {
        rest.len()
    };
    let mut out = Vec::new();
    let entries = walkdir::WalkDir::new(root)
        .follow_links(false)
        .min_depth(1)
        .max_depth(depth)
        .sort_by_file_name();
    for entry in entries.into_iter().flatten() {
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let candidate = base.join(rel);
        if compiled.matches_path_with(&candidate, options) {
            out.push(candidate);
        }
    }
    Ok(out)
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
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
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

#[cfg(all(test, unix))]
mod reading {
    use super::*;

    fn refused(path: &Path) -> ReadError {
        match read(path) {
            Ok(bytes) => panic!("{} was read: {} bytes", path.display(), bytes.len()),
            Err(e) => e,
        }
    }

    #[test]
    fn only_regular_files_are_read_and_nothing_blocks() {
        assert!(matches!(
            refused(Path::new("/dev/zero")),
            ReadError::NotAFile {
                what: "a device",
                ..
            }
        ));
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            refused(dir.path()),
            ReadError::NotAFile {
                what: "a folder",
                ..
            }
        ));
        // A FIFO nobody writes to: refused at once, not waited on.
        let fifo = dir.path().join("data.toml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert!(matches!(
            refused(&fifo),
            ReadError::NotAFile {
                what: "a FIFO (named pipe)",
                ..
            }
        ));
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let sparse = dir.path().join("huge.jx");
        // 3 GiB of nothing on disk: reading it would take 3 GiB of memory.
        std::fs::File::create(&sparse)
            .unwrap()
            .set_len(3 << 30)
            .unwrap();
        let e = refused(&sparse);
        assert_eq!(
            e.to_string(),
            "cannot read huge.jx: it is 3072 MiB, over the limit of 64 MiB"
        );
    }

    #[test]
    fn a_reader_with_more_than_the_limit_is_refused_not_cut_short() {
        let e = read_limited(&b"12345"[..], "grown.toml", 4, 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read grown.toml: it is larger than 4 bytes, over the limit of 4 bytes"
        );
        assert_eq!(
            read_limited(&b"1234"[..], "ok.toml", 4, 0).unwrap(),
            b"1234"
        );
    }

    #[test]
    fn sizes_are_read_with_binary_units() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("10T").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}

#[cfg(all(test, unix))]
mod walking {
    use super::*;

    /// A folder with rule files, and links back to itself that a naive walk follows forever.
    fn looped() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        for file in ["b/c/z.jx", "b/y.jx", "a.jx", "b/data.toml"] {
            std::fs::write(dir.path().join(file), "").unwrap();
        }
        for (link, to) in [
            ("l1", "."),
            ("l2", "."),
            ("b/up", ".."),
            ("b/c/top", "../.."),
        ] {
            std::os::unix::fs::symlink(to, dir.path().join(link)).unwrap();
        }
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/x.jx"), "").unwrap();
        dir
    }

    #[test]
    fn a_walk_does_not_follow_links_to_folders_and_is_sorted() {
        let dir = looped();
        let seen: Vec<String> = walk(dir.path())
            .map(|e| e.unwrap())
            .filter(|e| e.depth() > 0)
            .map(|e| {
                let rel = e.path().strip_prefix(dir.path()).unwrap();
                rel.to_string_lossy().into_owned()
            })
            .collect();
        assert_eq!(
            seen,
            [
                "a.jx",
                "b",
                "b/c",
                "b/c/top",
                "b/c/z.jx",
                "b/data.toml",
                "b/up",
                "b/y.jx",
                "l1",
                "l2"
            ]
        );
    }

    #[test]
    fn glob_matches_in_order_without_looping() {
        let dir = looped();
        let root = dir.path().to_string_lossy().into_owned();
        let rel = |paths: Vec<PathBuf>| -> Vec<String> {
            paths
                .iter()
                .map(|p| {
                    p.strip_prefix(dir.path())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        };
        assert_eq!(rel(glob(&format!("{root}/*.jx")).unwrap()), ["a.jx"]);
        assert_eq!(
            rel(glob(&format!("{root}/**/*.jx")).unwrap()),
            [".git/x.jx", "a.jx", "b/c/z.jx", "b/y.jx"]
        );
        assert_eq!(
            rel(glob(&format!("{root}/b/*")).unwrap()),
            ["b/c", "b/data.toml", "b/up", "b/y.jx"]
        );
        assert_eq!(
            rel(glob(&format!("{root}/b/data.toml")).unwrap()),
            ["b/data.toml"]
        );
        assert!(glob(&format!("{root}/nothing/*.toml")).unwrap().is_empty());
        assert!(glob(&format!("{root}/[")).is_err());
    }
}
