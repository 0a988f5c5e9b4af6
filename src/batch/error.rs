//! Batch errors: what is wrong with a batch's inputs as a whole (an input that is none of the
//! kinds a batch reads, a CSV table that cannot be read, target rows that belong to no
//! department). A single department's bad data is no batch error: it is that department's row.

use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Error, Diagnostic, Clone, PartialEq, Eq)]
pub enum BatchError {
    #[error("`{input}` is not an input jixiao batch reads: {why}")]
    #[diagnostic(
        code(jixiao::batch::input),
        help(
            "give a JSON Lines file (.jsonl), a CSV file (.csv), a folder or a glob of .toml and .json data files, or `-` for JSON Lines on standard input"
        )
    )]
    Input { input: String, why: String },

    #[error("cannot read the table {file}: {why}")]
    #[diagnostic(
        code(jixiao::batch::csv),
        help(
            "a CSV table has one head row and one department (or one target) a row; save it from the spreadsheet as CSV UTF-8, with the id column `{id}` in every table"
        )
    )]
    Csv {
        file: String,
        why: String,
        id: String,
    },

    #[error("{count} row(s) of {file} name no department of the table, the first `{first}`")]
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
        id: String,
    },
}
