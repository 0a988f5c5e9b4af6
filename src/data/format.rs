//! Stage 3 (data file → [`Department`](super::Department)), first step: which of the two formats
//! a data file is written in, by its name or, for standard input, by its first character; and the
//! parser that reads each into the one spanned tree ([`super::tree`]) the rest of the stage reads.

use super::error::DataError;
use super::tree::{self, Spanned};

/// The two formats a department's data is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// The format a file's name says: `.toml` or `.json`, in any case.
    pub fn of_name(name: &str) -> Option<Format> {
        let name = name.to_ascii_lowercase();
        if name.ends_with(".toml") {
            Some(Format::Toml)
        } else if name.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        }
    }

    /// The format of text with no name (standard input): JSON when it starts with `{`, after
    /// any byte-order mark and white space; TOML otherwise. A data file is one table, so JSON
    /// data always starts with `{`, and TOML never does.
    pub fn sniff(text: &str) -> Format {
        match text
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .starts_with('{')
        {
            true => Format::Json,
            false => Format::Toml,
        }
    }

    /// Reads `text` in this format into the spanned tree, or every syntax error found.
    pub(super) fn parse(self, text: &str) -> Result<Spanned<'_>, Vec<DataError>> {
        match self {
            Format::Toml => tree::from_toml(text),
            Format::Json => tree::from_json(text),
        }
    }
}
