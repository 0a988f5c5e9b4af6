//! Which file a path names, whatever path names it: before a run writes its output, the output
//! is compared as a file with every file the run reads (and the file behind standard input), so
//! that no input is ever written over.

use std::path::{Path, PathBuf};

use super::WriteError;
use crate::diagnostics::Text;
use crate::source::display_path;

/// A file a run reads, with what it is to the run.
pub type Input<'a> = (&'a Path, Role);

/// What a file is to a run, as an error that refuses to write over it names it: every role has
/// its words in both languages, so none reaches a Chinese message in English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The rule file of `jixiao score` or `jixiao batch`.
    RuleFile,
    /// One of the rule files of `jixiao test`'s cases.
    ARuleFile,
    /// The rule file of the case whose stored trace would clash (`jixiao test`).
    CaseOwnRuleFile,
    /// The data file of `jixiao score`.
    DataFile,
    /// The data of one of `jixiao test`'s cases.
    DepartmentData,
    /// A file the rules import.
    Import,
    /// A stored trace of `jixiao test`.
    StoredTrace,
    /// A case file of `jixiao test`.
    CaseFile,
    /// One of `jixiao batch`'s inputs.
    BatchInput,
    /// `jixiao batch`'s long table (`--targets`).
    LongTable,
}

impl Role {
    pub fn en(self) -> &'static str {
        match self {
            Role::RuleFile => "the rule file",
            Role::ARuleFile => "a rule file",
            Role::CaseOwnRuleFile => "the case's own rule file",
            Role::DataFile => "the data file",
            Role::DepartmentData => "a department's data",
            Role::Import => "a file the rules import",
            Role::StoredTrace => "a stored trace",
            Role::CaseFile => "a case file",
            Role::BatchInput => "an input",
            Role::LongTable => "the long table of targets",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::RuleFile => "规则文件",
            Role::ARuleFile => "一个规则文件",
            Role::CaseOwnRuleFile => "这个用例自己的规则文件",
            Role::DataFile => "数据文件",
            Role::DepartmentData => "一个部门的数据",
            Role::Import => "规则导入的文件",
            Role::StoredTrace => "一个存储的计算过程",
            Role::CaseFile => "一个测试用例文件",
            Role::BatchInput => "输入文件",
            Role::LongTable => "目标长表",
        }
    }
}

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
    let (what, what_zh) = (what.en(), what.zh());
    let message = if input_shown == display_path(output) {
        Text::new(
            format!("will not write over {shown}: it is {what}, which this run reads"),
            format!("不会覆盖 {shown}：它是本次运行读取的{what_zh}"),
        )
    } else {
        Text::new(
            format!(
                "will not write over {shown}: it is the same file as {input_shown}, {what}, which this run reads"
            ),
            format!("不会覆盖 {shown}：它与 {input_shown} 是同一个文件，是本次运行读取的{what_zh}"),
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
pub fn refuse_stdin(output: &Path, what: Role, suggestion: &'static str) -> Result<(), WriteError> {
    if !is_stdin_file(output) {
        return Ok(());
    }
    Err(WriteError::OutputIsInput {
        message: Text::new(
            format!(
                "will not write over {}: it is {}, which this run reads from standard input (`-`)",
                output.to_string_lossy(),
                what.en()
            ),
            format!(
                "不会覆盖 {}：它是本次运行从标准输入（`-`）读取的{}",
                output.to_string_lossy(),
                what.zh()
            ),
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
