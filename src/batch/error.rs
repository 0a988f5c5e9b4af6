//! Batch errors: what is wrong with a batch's inputs as a whole (an input that is none of the
//! kinds a batch reads, a CSV table that cannot be read, target rows that belong to no
//! department). A single department's bad data is no batch error: it is that department's row.
//! (A row of the wide table that cannot be read, or whose id is not its own, is a department
//! that failed with one of these errors: its row of the summary carries it.)

use miette::Diagnostic;
use thiserror::Error;

use crate::diagnostics::{Localized, Text, Zh};

#[derive(Debug, Error, Diagnostic, Clone, PartialEq, Eq)]
pub enum BatchError {
    #[error("`{input}` is not an input jixiao batch reads: {why}")]
    #[diagnostic(
        code(jixiao::batch::input),
        help(
            "give a JSON Lines file (.jsonl), a CSV file (.csv), a folder or a glob of .toml and .json data files or of 自评表 forms (.xlsx, .xls, .ods, .et, .csv), a form's workbook, or `-` for JSON Lines on standard input"
        )
    )]
    Input { input: String, why: Text },

    #[error("cannot read the table {file}: {why}")]
    #[diagnostic(
        code(jixiao::batch::csv),
        help(
            "a CSV table has one head row and one department (or one target) a row; save it from the spreadsheet as CSV UTF-8, with the id column `{id}` in every table"
        )
    )]
    Csv { file: String, why: Text, id: String },

    #[error(
        "{count} row(s) of {file} name no department of the table, the first `{first}` ({file}!{row})"
    )]
    #[diagnostic(
        code(jixiao::batch::unmatched_targets),
        help(
            "each row of the long table must carry, in its column `{id}`, the id of a department of the wide table; correct the id or add the department"
        )
    )]
    UnmatchedTargets {
        file: String,
        count: usize,
        first: String,
        /// The row of the first such id.
        row: usize,
        id: String,
    },

    #[error(
        "the id `{department}` is on {count} rows of the table ({}): the rows of the long table {long} with this id cannot be joined to one of them",
        rows.join(", ")
    )]
    #[diagnostic(
        code(jixiao::batch::duplicate_id),
        help(
            "give each department of the wide table an id of its own in the column `{id}`, and each row of the long table the id of its department"
        )
    )]
    DuplicateId {
        department: String,
        count: usize,
        /// Where the rows stand (`departments.csv!2`, `departments.csv!5`): the first few, then
        /// `…` when there are more.
        rows: Vec<String>,
        long: String,
        id: String,
    },
}

impl Localized for BatchError {
    fn zh(&self) -> Zh {
        match self {
            BatchError::Input { input, why } => {
                Zh::new(format!("`{input}` 不是 jixiao batch 能读的输入：{}", why.zh)).help(
                    "请给出 JSON Lines 文件（.jsonl）、CSV 文件（.csv）、由 .toml、.json 数据文件或自评表（.xlsx、.xls、.ods、.et、.csv）组成的文件夹或通配路径、一个自评表工作簿，或用 `-` 从标准输入读 JSON Lines",
                )
            }
            BatchError::Csv { file, why, id } => {
                Zh::new(format!("无法读取表格 {file}：{}", why.zh)).help(format!(
                    "CSV 表格有一行表头，每行一个部门（或一个目标）；请在电子表格中另存为“CSV UTF-8”，每个表格都要有标识列 `{id}`"
                ))
            }
            BatchError::UnmatchedTargets {
                file,
                count,
                first,
                row,
                id,
            } => Zh::new(format!(
                "{file} 中有 {count} 行不属于表格中的任何部门，第一个是 `{first}`（{file}!{row}）"
            ))
            .help(format!(
                "长表的每一行都要在 `{id}` 列写明宽表中某个部门的标识；请改正标识，或把这个部门加进宽表"
            )),
            BatchError::DuplicateId {
                department,
                count,
                rows,
                long,
                id,
            } => Zh::new(format!(
                "标识 `{department}` 出现在表格的 {count} 行（{}）：无法确定长表 {long} 中这个标识的行应归入其中哪一行",
                rows.join("、")
            ))
            .help(format!(
                "请在 `{id}` 列给宽表中的每个部门一个独有的标识，并在长表的每一行写明所属部门的标识"
            )),
        }
    }
}
