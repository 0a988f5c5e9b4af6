//! What a failed or refused write says, the last step of a run (a trace, a report, a
//! formatted rule file, a stored trace): the error type, and the words of our own for the
//! system's failures.

use std::path::Path;

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
    /// The error of a failed write to `path` (named as the user gave it).
    pub fn from_io(path: &Path, e: &std::io::Error) -> WriteError {
        write_error(path, e)
    }

    /// 2 when the command line names an input as the output (a usage error), else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            WriteError::Io { .. } => 1,
            WriteError::OutputIsInput { .. } => 2,
        }
    }
}

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

pub(super) fn write_error(path: &Path, e: &std::io::Error) -> WriteError {
    let (message, help) = write_message(e);
    WriteError::Io {
        path: path.to_string_lossy().into_owned(),
        message,
        help,
    }
}

/// `cannot write ro.html: it is read-only`. `for_everyone` when its mode gives no one write
/// permission (its owner can allow it again), else when the system refused us (another user's
/// file, an ACL, a read-only mount).
pub(super) fn read_only(path: &Path, for_everyone: bool) -> WriteError {
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
