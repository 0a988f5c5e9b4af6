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
//! Walking folders ([`walk()`], [`glob()`]): a symbolic link to a folder is never followed below the
//! folder named (a link to `.` would make the walk loop, two of them exponentially), and entries
//! come in sorted order, the same on every machine.
//!
//! The parts: `read` (regular files and standard input, within the size limit), `write` (atomic
//! replacement, links, devices, standard streams), `walk` (folders and globs), `identity` (which
//! file a path names, and the refusal to write over a file the run reads) and `error` (what a
//! failed write says).

mod error;
mod identity;
pub(crate) mod read;
mod walk;
mod write;

pub use error::WriteError;
pub use identity::{
    Input, Role, identity, lexical, refuse_inputs, refuse_stdin, same_file, same_path,
};
pub use read::{
    DEFAULT_MAX_FILE_SIZE, STDIN, max_file_size, open, parse_size, read, read_stdin,
    set_max_file_size,
};
pub(crate) use read::{read_shared, too_large};
pub use walk::{Walk, glob, walk};
pub use write::{STDOUT, Stream, create_parent, write, write_bytes, write_stdout};

/// Makes a FIFO (named pipe) at `path`, for the tests that read and write special files.
#[cfg(all(test, unix))]
fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}
