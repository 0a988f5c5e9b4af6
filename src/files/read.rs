//! Reading, the first step of every stage: rule files, imports, data files, test cases and
//! stored traces all come in through [`read`] (or [`read_stdin`] for `-`). Only regular files,
//! at most [`max_file_size`] bytes, looked at before they are opened.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostics::Text;
use crate::source::{FileKind, ReadError, display_path};

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
fn size_in_words(bytes: u64) -> Text {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        let mib = format!("{} MiB", bytes >> 20);
        Text::new(mib.clone(), mib)
    } else {
        Text::new(format!("{bytes} bytes"), format!("{bytes} 字节"))
    }
}

/// What a path is when it is not a regular file, for messages.
fn kind_of(meta: &std::fs::Metadata) -> FileKind {
    let ty = meta.file_type();
    if ty.is_dir() {
        return FileKind::Folder;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ty.is_fifo() {
            return FileKind::Fifo;
        }
        if ty.is_socket() {
            return FileKind::Socket;
        }
        if ty.is_char_device() || ty.is_block_device() {
            return FileKind::Device;
        }
    }
    FileKind::Other
}

/// The system's own words for a failure, in either language (it has no Chinese of its own).
pub(crate) fn system_says(e: &std::io::Error) -> Text {
    let zh = match e.kind() {
        std::io::ErrorKind::PermissionDenied => "没有读取它的权限".to_string(),
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        _ => format!("系统报告 {e}"),
    };
    Text::new(e.to_string(), zh)
}

/// Reads a regular file whole, refusing anything else and anything over [`max_file_size`].
pub fn read(path: &Path) -> Result<Vec<u8>, ReadError> {
    let shown = display_path(path);
    let limit = max_file_size();
    let (file, size) = open_checked(path, &shown, Some(limit))?;
    let capacity = usize::try_from(size.min(limit)).unwrap_or(0);
    read_limited(file, &shown, limit, capacity)
}

/// [`read`], into memory a source's text can be made of as it is: a `SourceFile` holds its text
/// as an `Arc<str>`, and making one from a `Vec` copies it (a rule file of 26 MB was held twice
/// for a moment, and the memory of the copy left behind stayed resident: 7 MB of the peak of
/// checking it). A file whose size changes while it is read is read again as [`read`] reads.
pub(crate) fn read_shared(path: &Path) -> Result<Arc<[u8]>, ReadError> {
    let shown = display_path(path);
    let limit = max_file_size();
    let (mut file, size) = open_checked(path, &shown, Some(limit))?;
    let io = |e: std::io::Error| ReadError::Io {
        path: shown.clone(),
        message: system_says(&e),
    };
    if let Ok(len) = usize::try_from(size) {
        // One allocation of the file's size, zeroed, then read into: an iterator whose length is
        // known is collected into an `Arc` in place, with no `Vec` first.
        let mut shared: Arc<[u8]> = std::iter::repeat_n(0, len).collect();
        if let Some(bytes) = Arc::get_mut(&mut shared)
            && fill(&mut file, bytes).map_err(io)? == len
            && at_end(&mut file).map_err(io)?
        {
            return Ok(shared);
        }
    }
    read(path).map(Arc::from)
}

/// Reads into `buf` until it is full or the file ends; how many bytes were read.
fn fill(file: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut at = 0;
    while at < buf.len() {
        match file.read(&mut buf[at..]) {
            Ok(0) => break,
            Ok(n) => at += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(at)
}

/// Whether nothing is left to read.
fn at_end(file: &mut impl Read) -> std::io::Result<bool> {
    let mut one = [0u8; 1];
    loop {
        match file.read(&mut one) {
            Ok(n) => return Ok(n == 0),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Opens a regular file to be read as a stream (a JSON Lines file of a million departments),
/// refusing anything else as [`read`] does; the size limit is the reader's to apply, to each
/// piece it reads.
pub fn open(path: &Path) -> Result<std::fs::File, ReadError> {
    open_checked(path, &display_path(path), None).map(|(file, _)| file)
}

/// Opens a regular file, refusing anything else, and one over `limit` when there is a limit;
/// gives the file and its size.
fn open_checked(
    path: &Path,
    shown: &str,
    limit: Option<u64>,
) -> Result<(std::fs::File, u64), ReadError> {
    let cannot = |e: std::io::Error| ReadError::Io {
        path: shown.to_string(),
        // The commonest case in words of our own: the system's wording differs by platform.
        message: match e.kind() {
            std::io::ErrorKind::NotFound => Text::new("there is no such file", "文件不存在"),
            _ => system_says(&e),
        },
    };
    let not_a_file = |meta: &std::fs::Metadata| ReadError::NotAFile {
        path: shown.to_string(),
        what: kind_of(meta),
    };
    // Look before opening: opening a FIFO with no writer blocks, and a device never ends.
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(not_a_file(&meta));
    }
    if let Some(limit) = limit
        && meta.len() > limit
    {
        return Err(too_large(shown.to_string(), Some(meta.len()), limit));
    }
    let file = open_for_reading(path).map_err(cannot)?;
    // The path may name something else by now; what was opened is what counts.
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(not_a_file(&meta));
    }
    Ok((file, meta.len()))
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
            message: system_says(&e),
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large(shown.to_string(), None, limit));
    }
    Ok(bytes)
}

/// `size` is `None` when only the limit's being passed is known (a stream, a growing file).
pub(crate) fn too_large(path: String, size: Option<u64>, limit: u64) -> ReadError {
    match size {
        Some(size) => ReadError::TooLarge {
            path,
            size: size_in_words(size),
            limit: size_in_words(limit),
        },
        None => ReadError::OverLimit {
            path,
            limit: size_in_words(limit),
        },
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
                what: FileKind::Device,
                ..
            }
        ));
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            refused(dir.path()),
            ReadError::NotAFile {
                what: FileKind::Folder,
                ..
            }
        ));
        // A FIFO nobody writes to: refused at once, not waited on.
        let fifo = dir.path().join("data.toml");
        crate::files::mkfifo(&fifo);
        assert!(matches!(
            refused(&fifo),
            ReadError::NotAFile {
                what: FileKind::Fifo,
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
            "cannot read grown.toml: it is over the limit of 4 bytes"
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
