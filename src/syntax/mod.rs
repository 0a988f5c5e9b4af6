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
    // Lowering's own errors (a number out of range, an expression too deep) count only in a
    // file that parses: a syntax error ends lowering.
    let mut lowering = Vec::new();
    let mut errors = Vec::new();
    // The file is parsed with `file` and, after an error, from a later statement with the
    // lenient `resume`, only to find more errors. Either is parsed one step (one item) at a
    // time, from `at`; `before` is where the step before began, a point the whole rule can be
    // parsed from again to explain a failure.
    let mut rule = Rule::file;
    let mut at = 0;
    let mut before = 0;
    loop {
        let step = match rule {
            Rule::file => Rule::next_item,
            _ => Rule::next_resumed,
        };
        match Grammar::parse(step, &text[at..]) {
            Ok(mut pairs) => {
                let Some(outer) = pairs.next() else {
                    errors.push(SyntaxError::Internal {
                        detail: format!("no {step:?}"),
                        span: Span::new(at, at).into(),
                    });
                    break;
                };
                let end = at + outer.as_span().end();
                match outer.into_inner().next() {
                    Some(p) if p.as_rule() == Rule::EOI => break,
                    Some(p) if rule == Rule::file => match lower::item(p, at + base) {
                        Ok(item) => items.push(item),
                        Err(e) => lowering.push(*e),
                    },
                    // After an error, statements are parsed only to find further errors.
                    Some(_) => {}
                    None => {
                        errors.push(SyntaxError::Internal {
                            detail: format!("empty {step:?}"),
                            span: Span::new(at, at).into(),
                        });
                        break;
                    }
                }
                before = at;
                at = end;
            }
            Err(err) => {
                // The whole rule, parsed again from the step before with every attempt
                // recorded, fails where the parse of the whole file did and tried there all
                // that it tried (the step before may have tried a last optional part there).
                let (err, from) = match detailed_error(&text[before..], rule) {
                    Some(detailed) => (detailed, before),
                    None => (err, at),
                };
                let error = expected::describe(&err, text, from);
                let stopped = match &error {
                    SyntaxError::Unexpected { span, .. } => span.offset(),
                    _ => from + error_offset(&err),
                };
                errors.push(error);
                match next_statement(text, stopped) {
                    Some(next) => {
                        at = next;
                        before = next;
                        rule = Rule::resume;
                    }
                    None => break,
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if !lowering.is_empty() {
        return Err(lowering);
    }
    // A file of 100,000 indicators would otherwise keep room for 131,072.
    items.shrink_to_fit();
    let mut comments = scan.comments;
    for c in &mut comments {
        c.span = Span::new(c.span.start + base, c.span.end + base);
    }
    Ok(ast::File { items, comments })
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
