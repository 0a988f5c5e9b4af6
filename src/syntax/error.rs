//! Syntax errors: what the parser expected, in words, at the place it stopped.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic, Clone, PartialEq)]
pub enum SyntaxError {
    #[error("expected {expected}, found {found}")]
    #[diagnostic(code(jixiao::syntax::unexpected))]
    Unexpected {
        expected: String,
        found: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
        /// Where an unclosed quote or brace was opened.
        #[label("{opened_label}")]
        opened: Option<SourceSpan>,
        opened_label: String,
    },

    #[error("the number {text} cannot be represented exactly")]
    #[diagnostic(
        code(jixiao::syntax::number_range),
        help("numbers may have at most 28 significant digits")
    )]
    NumberRange {
        text: String,
        #[label("out of range")]
        span: SourceSpan,
    },

    #[error("`round` keeps at most {max} decimal places, not {text}")]
    #[diagnostic(
        code(jixiao::syntax::number_range),
        help("keep 0 to {max} decimal places, for example `round half_up 2 each indicator`")
    )]
    RoundingDigits {
        text: String,
        max: u32,
        #[label("more than {max}")]
        span: SourceSpan,
    },

    #[error("brackets are nested more than {max} levels deep")]
    #[diagnostic(
        code(jixiao::syntax::too_deep),
        help("split the expression into `let` steps; no real score table nests this deep")
    )]
    TooDeep {
        max: usize,
        #[label("this bracket is too deep")]
        span: SourceSpan,
    },

    #[error("this expression is nested more than {max} operations deep")]
    #[diagnostic(
        code(jixiao::syntax::expr_too_deep),
        help("split it into `let` steps, for example one `let` per group of terms, and add those")
    )]
    ExprTooDeep {
        max: usize,
        #[label("too deep from here")]
        span: SourceSpan,
    },

    #[error("internal error: the grammar and the lowering disagree ({detail})")]
    #[diagnostic(
        code(jixiao::internal::lowering),
        help("this is a bug in jixiao, not in your file: please report it with the file")
    )]
    Internal {
        detail: String,
        #[label("here")]
        span: SourceSpan,
    },
}
