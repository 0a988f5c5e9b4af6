//! Stage 1 of the pipeline: text → [`ast::File`]. Only this module sees pest. It reports
//! syntax errors with expected tokens named in words, and recovers at the next top-level
//! item so that one run shows every syntax error in a file.

pub mod ast;
mod comments;
mod error;
mod expected;
mod lower;

#[cfg(test)]
mod grammar_tests;

pub use error::SyntaxError;

use pest::Parser;

use crate::source::{SourceFile, Span};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/jixiao.pest"]
pub(crate) struct Grammar;

/// Parses a rule file into its AST, or returns every syntax error found.
///
/// ```
/// use jixiao::source::SourceFile;
/// let src = SourceFile::new("a.jx", "input 全年预算数: money\n");
/// let file = jixiao::syntax::parse(&src).unwrap();
/// assert_eq!(file.items.len(), 1);
/// ```
pub fn parse(source: &SourceFile) -> Result<ast::File, Vec<SyntaxError>> {
    let text = source.text();
    let scan = comments::scan(text);
    if let Some(span) = scan.too_deep {
        return Err(vec![SyntaxError::TooDeep {
            max: comments::MAX_NESTING,
            span: span.into(),
        }]);
    }
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut start = 0;
    loop {
        // Pest parses the rest of the file from `start`; spans are shifted back afterwards.
        let rest = &text[start..];
        match Grammar::parse(Rule::file, rest) {
            Ok(mut pairs) => {
                match pairs.next() {
                    Some(file) => match lower::file(file, start) {
                        Ok(mut more) => items.append(&mut more),
                        Err(mut errs) => errors.append(&mut errs),
                    },
                    None => errors.push(SyntaxError::Internal {
                        detail: "no file".into(),
                        span: Span::new(start, start).into(),
                    }),
                }
                break;
            }
            Err(err) => {
                let err = detailed_error(rest).unwrap_or(err);
                let error = expected::describe(&err, text, start);
                let at = match &error {
                    SyntaxError::Unexpected { span, .. } => span.offset(),
                    _ => start + error_offset(&err),
                };
                errors.push(error);
                match next_item_start(text, at) {
                    Some(next) => start = next,
                    None => break,
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(ast::File {
            items,
            comments: scan.comments,
        })
    } else {
        Err(errors)
    }
}

/// Parses `text` again with pest recording every attempt, which names the literal punctuation
/// it expected and finds the furthest point it reached. Recording slows parsing by about 40%,
/// so it is switched on only to explain a failure. The switch is global to pest; another
/// thread parsing at the same moment at worst gets the slower parse or a less detailed error.
fn detailed_error(text: &str) -> Option<pest::error::Error<Rule>> {
    pest::set_error_detail(true);
    let result = Grammar::parse(Rule::file, text);
    pest::set_error_detail(false);
    result.err()
}

fn error_offset(err: &pest::error::Error<Rule>) -> usize {
    match err.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// Where parsing resumes after an error: the next line after `after` that starts, at its first
/// column, with a keyword that opens a top-level item.
fn next_item_start(text: &str, after: usize) -> Option<usize> {
    let mut pos = text[after..].find('\n')? + after + 1;
    while pos < text.len() {
        let line = &text[pos..];
        if ["indicator", "input", "let", "rulebook"].iter().any(|kw| {
            line.starts_with(kw)
                && line[kw.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_whitespace())
        }) {
            return Some(pos);
        }
        pos += line.find('\n')? + 1;
    }
    None
}
