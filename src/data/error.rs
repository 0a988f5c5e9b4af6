//! Data errors: everything wrong with a department's data file, each pointing into that file.
//!
//! Every sentence jixiao writes about a data file is here, in the attributes of [`DataError`] or
//! in the `Display` of a reason enum beside it, so that the wording can be read, and one day
//! translated, in one place. The reader elsewhere in `data` gathers only the facts.

use std::fmt;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::number::WrittenNumberError;

#[derive(Debug, Error, Diagnostic, Clone)]
#[non_exhaustive]
pub enum DataError {
    #[error("{reason}")]
    #[diagnostic(code(jixiao::data::syntax), help("{}", reason.help()))]
    Syntax {
        reason: SyntaxReason,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("data files must end in .toml or .json, not `{path}`")]
    #[diagnostic(
        code(jixiao::data::format),
        help(
            "convert it into a TOML file named `….toml`, one department per file and one line such as `\"全年预算数\" = 3156.9` per input; a file that already holds TOML or JSON can be renamed, or read whatever its name with `jixiao score --data-format toml` (or `json`)"
        )
    )]
    UnknownFormat { path: String },

    #[error("the data has no `{name}`")]
    #[diagnostic(code(jixiao::data::missing), help("{example}"))]
    Missing {
        name: String,
        ty: &'static str,
        example: String,
        #[label("`{name}` is missing from this file")]
        span: SourceSpan,
    },

    #[error("`{name}` is not an input of these rules")]
    #[diagnostic(code(jixiao::data::unknown))]
    Unknown {
        name: String,
        #[label("unknown field")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{name}` must be {expected}, but it is {found}")]
    #[diagnostic(code(jixiao::data::wrong_type))]
    WrongType {
        name: String,
        expected: &'static str,
        found: String,
        #[label("{found}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{name}` is \"{value}\", which is not one of its values")]
    #[diagnostic(
        code(jixiao::data::not_an_option),
        help("{suggestion}`{name}` is one of: {options}")
    )]
    NotAnOption {
        name: String,
        value: String,
        options: String,
        suggestion: String,
        #[label("not an option")]
        span: SourceSpan,
    },

    #[error("the rate {rate} is outside the band \"{band}\" ({range})")]
    #[diagnostic(
        code(jixiao::data::judgement_band),
        help(
            "give a rate inside the band, or the band the rate belongs to; the bands are declared in the rules"
        )
    )]
    JudgementBand {
        rate: String,
        band: String,
        range: String,
        #[label("not in {range}")]
        span: SourceSpan,
    },

    #[error("the number `{text}` cannot be read exactly")]
    #[diagnostic(
        code(jixiao::data::inexact),
        help("write a plain decimal with at most 28 significant digits, for example 3151.09")
    )]
    Inexact {
        text: String,
        #[label("not an exact decimal")]
        span: SourceSpan,
    },

    /// A number written in a way that reads two ways, or not at all. The wording is the
    /// number's own (`WrittenNumberError::message` and `::help`), shared with the target
    /// notation; one too long to be exact is [`DataError::Inexact`] instead.
    #[error("{}", reason.message())]
    #[diagnostic(code(jixiao::data::number), help("{}", reason.help()))]
    Number {
        reason: WrittenNumberError,
        #[label("not a number jixiao can read for sure")]
        span: SourceSpan,
    },

    #[error("`{text}` is not {what} as score tables write them")]
    #[diagnostic(code(jixiao::data::target_notation), help("{help}"))]
    TargetNotation {
        text: String,
        /// `a target` (指标值) or `an actual value` (实际完成值).
        what: &'static str,
        help: String,
        #[label("malformed target")]
        span: SourceSpan,
    },

    #[error("the actual value is in {actual} but the target is in {target}")]
    #[diagnostic(
        code(jixiao::data::unit_mismatch),
        help("write 实际完成值 in the same unit as 指标值, converting if needed")
    )]
    UnitMismatch {
        /// The unit in backticks (`` `万元` ``), or `no unit`.
        target: String,
        actual: String,
        #[label("in {actual}")]
        span: SourceSpan,
        #[label("target in {target}")]
        target_span: SourceSpan,
    },

    #[error("the actual value `{actual}` has no `%`, but the target `{target}` is a percentage")]
    #[diagnostic(code(jixiao::data::bare_percent), help("{help}"))]
    BarePercent {
        actual: String,
        target: String,
        as_fraction: String,
        help: String,
        #[label("a bare number: {as_fraction}% or {actual}%?")]
        span: SourceSpan,
        #[label("a percentage")]
        target_span: SourceSpan,
    },

    #[error("`{name}` is {value}, outside the range the rules allow ({range})")]
    #[diagnostic(
        code(jixiao::data::out_of_range),
        help(
            "correct the value in the data; if it is right, change the range the rules declare for `{name}` ({range})"
        )
    )]
    OutOfRange {
        name: String,
        value: String,
        range: String,
        #[label("not {range}")]
        span: SourceSpan,
    },

    #[error("the target list `{name}` is empty")]
    #[diagnostic(
        code(jixiao::data::no_targets),
        help("list the department's 绩效指标, one record each with 名称, 指标值 and 实际完成值")
    )]
    NoTargets {
        name: String,
        #[label("no records")]
        span: SourceSpan,
    },

    #[error(
        "the 分值 of `{list}` add up to {sum}, but indicator `{indicator}` has {points} points"
    )]
    #[diagnostic(
        code(jixiao::data::target_points),
        help("{arithmetic}; correct the 分值 of the records")
    )]
    TargetPoints {
        list: String,
        indicator: String,
        sum: String,
        points: String,
        arithmetic: String,
        #[label("these records")]
        span: SourceSpan,
    },
}

/// Why a data file cannot be read as TOML or JSON at all, or reads two ways (a key given twice).
/// The parser's message is kept as the parser words it; what jixiao says around it is below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxReason {
    /// A key given twice in one table; `first` is the byte where it was first given.
    DuplicateKey { key: String, first: usize },
    /// The TOML parser's message.
    Toml { parser: String },
    /// The TOML parser's message about an unquoted key that is not ASCII: the slip every
    /// Chinese data file makes first, so it gets help of its own.
    TomlUnquotedKey { parser: String },
    /// The JSON parser's message.
    Json { parser: String },
    /// A JSON file with no value in it.
    EmptyJson,
}

impl fmt::Display for SyntaxReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyntaxReason::DuplicateKey { key, first } => {
                write!(f, "`{key}` is given twice (first at byte {first})")
            }
            SyntaxReason::Toml { parser } | SyntaxReason::TomlUnquotedKey { parser } => {
                write!(f, "invalid TOML: {parser}")
            }
            SyntaxReason::Json { parser } => write!(f, "invalid JSON: {parser}"),
            SyntaxReason::EmptyJson => write!(f, "the JSON file is empty"),
        }
    }
}

impl SyntaxReason {
    /// How to put it right.
    pub fn help(&self) -> &'static str {
        match self {
            SyntaxReason::DuplicateKey { .. } => "keep one of the two values",
            SyntaxReason::Toml { .. } => {
                "see https://toml.io for the syntax; text values need double quotes"
            }
            SyntaxReason::TomlUnquotedKey { .. } => {
                "TOML allows only ASCII letters in bare keys: put Chinese keys in double quotes, \"全年预算数\" = 3156.9 and [[\"绩效指标\"]]"
            }
            SyntaxReason::Json { .. } => "check the commas, quotes and brackets around this place",
            SyntaxReason::EmptyJson => "a data file is one object: { \"全年预算数\": 3156.9, … }",
        }
    }
}

impl DataError {
    /// The error for a number written in the data that cannot be read exactly.
    pub(crate) fn from_number(
        e: crate::number::WrittenNumberError,
        span: crate::source::Span,
    ) -> Self {
        match e {
            crate::number::WrittenNumberError::TooLong { text } => DataError::Inexact {
                text,
                span: span.into(),
            },
            reason => DataError::Number {
                reason,
                span: span.into(),
            },
        }
    }
}
