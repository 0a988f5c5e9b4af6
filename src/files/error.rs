//! What a failed or refused write says, the last step of a run (a trace, a report, a
//! formatted rule file, a stored trace): the error type, and the words of our own for the
//! system's failures.

use std::path::Path;

use crate::diagnostics::{Localized, Text, Zh};

/// Failing to write a file or standard output, or refusing to.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WriteError {
    #[error("cannot write {path}: {message}")]
    #[diagnostic(code(jixiao::io::write), help("{help}"))]
    Io {
        /// The path as the user gave it.
        path: String,
        message: Text,
        help: Text,
    },
    #[error("{message}")]
    #[diagnostic(
        code(jixiao::io::output_is_input),
        help(
            "writing there would replace it; give the output a file of its own, such as `{suggestion}`"
        )
    )]
    OutputIsInput {
        message: Text,
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
fn write_message(e: &std::io::Error) -> (Text, Text) {
    use std::io::ErrorKind as K;
    let check = Text::new(
        "check that the folder exists and is writable and that the disk has room",
        "检查文件夹是否存在、是否可写，以及磁盘是否还有空间",
    );
    match e.kind() {
        K::NotFound => (
            Text::new("its folder does not exist", "它所在的文件夹不存在"),
            Text::new(
                "create the folder first, or give a path in a folder that exists",
                "先建立这个文件夹，或者给出一个已有文件夹中的路径",
            ),
        ),
        K::PermissionDenied => (
            Text::new("permission denied", "没有写入权限"),
            Text::new(
                "write somewhere you may write, or change the permissions",
                "写到你有权限写入的地方，或者修改权限",
            ),
        ),
        K::IsADirectory => (
            Text::new("it is a folder", "它是一个文件夹"),
            Text::new(
                "give the path of a file, not a folder",
                "请给出文件的路径，而不是文件夹",
            ),
        ),
        K::StorageFull => (
            Text::new("the disk is full", "磁盘已满"),
            Text::new(
                "free some space, or write somewhere else",
                "腾出一些空间，或者写到别处",
            ),
        ),
        _ => {
            let said = match e.raw_os_error() {
                Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
                None => e.kind().to_string(),
            };
            (Text::new(said.clone(), format!("系统报告 {said}")), check)
        }
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
            Text::new("it is read-only", "它是只读的"),
            Text::new(
                format!(
                    "someone made it read-only, so it is left alone; make it writable first (`chmod u+w {shown}`) if it should be replaced, or write somewhere else"
                ),
                format!(
                    "有人把它设为只读，所以不去动它；如果确实要替换它，先让它可写（`chmod u+w {shown}`），或者写到别处"
                ),
            ),
        )
    } else {
        (
            Text::new(
                "it is read-only to you (its permissions do not let you write it)",
                "你无权写入它（它的权限不允许你写入）",
            ),
            Text::new(
                "write somewhere else, or ask the file's owner to let you write it",
                "写到别处，或者请文件的所有者允许你写入",
            ),
        )
    };
    WriteError::Io {
        path: shown,
        message,
        help,
    }
}

impl Localized for WriteError {
    fn zh(&self) -> Zh {
        match self {
            WriteError::Io {
                path,
                message,
                help,
            } => {
                // Standard output is named by a word, not a path, in each language.
                let path = match path.as_str() {
                    super::STDOUT => "标准输出",
                    path => path,
                };
                Zh::new(format!("无法写入 {path}：{}", message.zh)).help(help.zh.clone())
            }
            WriteError::OutputIsInput {
                message,
                suggestion,
            } => Zh::new(message.zh.clone()).help(format!(
                "写到那里会覆盖它；请给输出单独指定一个文件，例如 `{suggestion}`"
            )),
        }
    }
}
