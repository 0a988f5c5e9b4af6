//! Stage 1 of the pipeline: text → [`ast::File`]. Only this module sees pest. It reports
//! syntax errors with expected tokens named in words, and recovers at the next top-level
//! item so that one run shows every syntax error in a file.

pub mod ast;
mod comments;
mod error;
mod expected;
pub mod keywords;
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
    parse_at(source, 0)
}

/// [`parse`] for a file that starts at offset `base` of a [`crate::source::SourceMap`] (an
/// imported file): every span in the AST is shifted by `base`. Errors are always located in
/// the file itself (from 0).
pub fn parse_at(source: &SourceFile, base: usize) -> Result<ast::File, Vec<SyntaxError>> {
    match parse_from(source, base) {
        // Errors are located in the file itself: a file with errors is parsed again from 0 (only
        // then, so an imported file that parses is parsed once).
        Err(_) if base != 0 => parse_from(source, 0),
        result => result,
    }
}

fn parse_from(source: &SourceFile, base: usize) -> Result<ast::File, Vec<SyntaxError>> {
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
    // The first parse reads the file as a file; after an error, parsing resumes at a later
    // statement with the lenient `resume` rule, only to find more errors.
    let mut rule = Rule::file;
    loop {
        // Pest parses the rest of the file from `start`; spans are shifted back afterwards.
        let rest = &text[start..];
        match Grammar::parse(rule, rest) {
            Ok(mut pairs) if rule == Rule::file => {
                match pairs.next() {
                    Some(file) => match lower::file(file, start + base) {
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
            Ok(_) => break,
            Err(err) => {
                let err = detailed_error(rest, rule).unwrap_or(err);
                let error = expected::describe(&err, text, start);
                let at = match &error {
                    SyntaxError::Unexpected { span, .. } => span.offset(),
                    _ => start + error_offset(&err),
                };
                errors.push(error);
                match next_statement(text, at) {
                    Some(next) => {
                        start = next;
                        rule = Rule::resume;
                    }
                    None => break,
                }
            }
        }
    }
    if errors.is_empty() {
        let mut comments = scan.comments;
        for c in &mut comments {
            c.span = Span::new(c.span.start + base, c.span.end + base);
        }
        Ok(ast::File { items, comments })
    } else {
        Err(errors)
    }
}

/// Parses `text` again with pest recording every attempt, which names the literal punctuation
/// it expected and finds the furthest point it reached. Recording slows parsing by about 40%,
/// so it is switched on only to explain a failure. The switch is global to pest; another
/// thread parsing at the same moment at worst gets the slower parse or a less detailed error.
fn detailed_error(text: &str, rule: Rule) -> Option<pest::error::Error<Rule>> {
    pest::set_error_detail(true);
    let result = Grammar::parse(rule, text);
    pest::set_error_detail(false);
    result.err()
}

fn error_offset(err: &pest::error::Error<Rule>) -> usize {
    match err.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// Where parsing resumes after an error: the next line after `after` whose first word (after
/// indentation) starts a statement.
fn next_statement(text: &str, after: usize) -> Option<usize> {
    // Statements, and the settings of a header, in either spelling.
    let starts = || {
        keywords::STATEMENTS
            .iter()
            .chain(&keywords::SETTINGS)
            .flat_map(|w| [w.en, w.zh])
    };
    let mut pos = crate::source::lines::next_start(text, after)?;
    while pos < text.len() {
        let line = &text[pos..];
        let indent = line.len() - line.trim_start_matches([' ', '\t', '\u{3000}']).len();
        let word = &line[indent..];
        if starts().any(|kw| {
            word.starts_with(kw)
                && word[kw.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_whitespace())
        }) {
            return Some(pos + indent);
        }
        pos = crate::source::lines::next_start(text, pos)?;
    }
    None
}
