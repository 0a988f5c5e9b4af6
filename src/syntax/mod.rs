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
    // On one thread (`jixiao batch --jobs 1`, say) there is nothing to gain.
    let ahead_from = match rayon::current_num_threads() {
        0 | 1 => usize::MAX,
        _ => AHEAD_FROM,
    };
    parse_items(source, base, ahead_from)
}

/// [`parse_from`], with the items of a file of `ahead_from` bytes or more parsed ahead.
fn parse_items(
    source: &SourceFile,
    base: usize,
    ahead_from: usize,
) -> Result<ast::File, Vec<SyntaxError>> {
    let mut items = Vec::new();
    let comments = parse_each(source, base, ahead_from, true, &mut |item| items.push(item))?;
    // A file of 100,000 indicators would otherwise keep room for 131,072.
    items.shrink_to_fit();
    Ok(ast::File { items, comments })
}

/// Parses a rule file item by item, handing each top-level item to `sink` as soon as it is
/// parsed, in file order, or returns every syntax error found. The file's comments are not
/// kept (a check has no use for them: 20,000 comments of a large table took 2 MB). Items
/// are handed over only while no error is found, and an item lowering refuses is not: a caller
/// that gets errors drops what it made of the items. A large file's items are parsed ahead in
/// parallel a slice of the file at a time, so that what `sink` keeps of them is all that is
/// kept ([`crate::pipeline`] checks each as it comes).
pub(crate) fn parse_large(
    source: &SourceFile,
    sink: &mut dyn FnMut(ast::Item),
) -> Result<(), Vec<SyntaxError>> {
    let ahead_from = match rayon::current_num_threads() {
        0 | 1 => usize::MAX,
        _ => AHEAD_FROM,
    };
    parse_each(source, 0, ahead_from, false, sink).map(drop)
}

/// [`parse_large`] for a file that starts at offset `base`, its items parsed ahead when it has
/// `ahead_from` bytes or more; the comments it gives are the file's with `keep_comments`, else
/// none.
fn parse_each(
    source: &SourceFile,
    base: usize,
    ahead_from: usize,
    keep_comments: bool,
    sink: &mut dyn FnMut(ast::Item),
) -> Result<Vec<ast::Comment>, Vec<SyntaxError>> {
    let text = source.text();
    let mut scan = comments::scan(text);
    if !keep_comments {
        scan.comments = Vec::new();
    }
    if let Some(span) = scan.too_deep {
        return Err(vec![SyntaxError::TooDeep {
            max: comments::MAX_NESTING,
            span: span.into(),
        }]);
    }
    if let Some(span) = scan.too_many_ifs {
        return Err(vec![SyntaxError::ExprTooDeep {
            max: lower::MAX_EXPR_DEPTH,
            span: span.into(),
        }]);
    }
    // The items of a large file, parsed and lowered ahead, apart and in parallel.
    let mut ahead = Ahead::new(
        text,
        match text.len() >= ahead_from {
            true => std::mem::take(&mut scan.line_starts),
            false => Vec::new(),
        },
        base,
    );
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
        if rule == Rule::file && !ahead.is_done() {
            // The next item starts where the trivia after this step end; if it was parsed ahead
            // from there, that parse is the one this step would make.
            if let Some(a) = ahead.take(trivia_end(text, at)) {
                match a.item {
                    Ok(item) if errors.is_empty() && lowering.is_empty() => sink(item),
                    Ok(_) => {}
                    Err(e) => lowering.push(e),
                }
                before = at;
                at = a.end;
                continue;
            }
        }
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
                        Ok(item) if lowering.is_empty() => sink(item),
                        Ok(_) => {}
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
                    None => (plain(err, &text[at..]), at),
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
    let mut comments = scan.comments;
    for c in &mut comments {
        c.span = Span::new(c.span.start() + base, c.span.end() + base);
    }
    Ok(comments)
}

/// From how many bytes a file's items are parsed ahead ([`parse_ahead`]): a rule file people
/// write is parsed faster one item after another than threads can be set to work on it.
const AHEAD_FROM: usize = 256 * 1024;

/// How many bytes of a file [`Ahead`] parses ahead at a time: enough to keep every thread
/// busy for a while, little enough that the syntax trees of one slice are a few megabytes.
/// (The tests take slices of a few items, so that the rule files they parse take several.)
const AHEAD_SLICE: usize = if cfg!(test) { 200 } else { 256 * 1024 };

/// A top-level item parsed and lowered on its own, from `start` to `end`.
struct Parsed {
    start: usize,
    end: usize,
    item: Result<ast::Item, SyntaxError>,
}

/// The items of a file parsed ahead, a slice of [`AHEAD_SLICE`] bytes at a time, in parallel:
/// one from each line of `starts` that starts with the keyword of a top-level item. pest reads
/// only what follows where it starts, so an item parsed from there is the item
/// [`parse_each`]'s loop parses when it reaches that place, spans and all (each is parsed from
/// there to the end of the file, which [`lower`] looks at to end a span). One that fails to
/// parse is left out: the loop parses it again, and explains the failure.
struct Ahead<'t> {
    text: &'t str,
    /// The lines that start with a top-level item's keyword.
    starts: Vec<usize>,
    /// The first of `starts` not yet parsed.
    next: usize,
    /// The items of the slice parsed last, in file order, those taken or passed popped.
    ready: std::collections::VecDeque<Parsed>,
    base: usize,
}

impl<'t> Ahead<'t> {
    fn new(text: &'t str, mut starts: Vec<usize>, base: usize) -> Self {
        starts.retain(|&start| starts_item(&text[start..]));
        starts.shrink_to_fit();
        Ahead {
            text,
            starts,
            next: 0,
            ready: std::collections::VecDeque::new(),
            base,
        }
    }

    fn is_done(&self) -> bool {
        self.ready.is_empty() && self.next >= self.starts.len()
    }

    /// The item parsed ahead from `start`, if there is one; those before `start` are passed.
    fn take(&mut self, start: usize) -> Option<Parsed> {
        loop {
            while self.ready.front().is_some_and(|a| a.start < start) {
                self.ready.pop_front();
            }
            if let Some(first) = self.ready.front() {
                return match first.start == start {
                    true => self.ready.pop_front(),
                    false => None,
                };
            }
            // Nothing parsed from `start` on: the next slice, from there.
            self.next += self.starts[self.next..].partition_point(|&s| s < start);
            let &first = self.starts.get(self.next)?;
            if first > start {
                return None;
            }
            let len = self.starts[self.next..]
                .partition_point(|&s| s < first.saturating_add(AHEAD_SLICE))
                .max(1);
            let slice = &self.starts[self.next..self.next + len];
            self.next += len;
            self.ready = parse_ahead(self.text, slice, self.base).into();
        }
    }
}

/// Parses, in parallel, the item at each of `starts`.
fn parse_ahead(text: &str, starts: &[usize], base: usize) -> Vec<Parsed> {
    use rayon::prelude::*;
    starts
        .par_iter()
        .filter_map(|&start| {
            let outer = Grammar::parse(Rule::next_item, &text[start..])
                .ok()?
                .next()?;
            let end = start + outer.as_span().end();
            let inner = outer.into_inner().next()?;
            if inner.as_rule() == Rule::EOI {
                return None;
            }
            let item = lower::item(inner, start + base).map_err(|e| *e);
            Some(Parsed { start, end, item })
        })
        .collect()
}

/// Whether `text` starts with a word that starts a top-level item, in either spelling.
pub(super) fn starts_item(text: &str) -> bool {
    use keywords::{IMPORT, INDICATOR, INPUT, LET, OVERRIDE, RULEBOOK, SCALE};
    [INDICATOR, INPUT, LET, SCALE, RULEBOOK, IMPORT, OVERRIDE]
        .iter()
        .any(|w| text.starts_with(w.en) || text.starts_with(w.zh))
}

/// Where the trivia pest skips from `at` (`WHITESPACE` in the grammar, comments included) end.
fn trivia_end(text: &str, mut at: usize) -> usize {
    loop {
        let rest = &text[at..];
        let code = rest.trim_start_matches([' ', '\t', '\n', '\r', '\u{3000}', '\u{FEFF}']);
        at += rest.len() - code.len();
        if !code.starts_with("//") {
            return at;
        }
        // A comment runs to its line break, which is trivia too.
        at += memchr::memchr2(b'\n', b'\r', code.as_bytes()).unwrap_or(code.len());
    }
}

/// Parses `text` again with pest recording every attempt, which names the literal punctuation
/// it expected and finds the furthest point it reached. Recording slows parsing by about 40%,
/// so it is switched on only to explain a failure, one thread at a time.
fn detailed_error(text: &str, rule: Rule) -> Option<pest::error::Error<Rule>> {
    // pest reads whether to record attempts from one flag for the whole process, when a parse
    // starts. Without the lock, another thread's detailed parse could turn it off just before
    // this one starts, and the error would depend on the threads' timing. A parse on another
    // thread that starts while it is on records attempts it does not need: slower, not
    // different (`plain` drops them where such an error is explained).
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _only = DETAIL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Off again however the parse ends, a panic included (else every later parse records).
    struct Off;
    impl Drop for Off {
        fn drop(&mut self) {
            pest::set_error_detail(false);
        }
    }
    let _off = Off;
    pest::set_error_detail(true);
    Grammar::parse(rule, text).err()
}

/// `err` without the attempts pest records while another thread's [`detailed_error`] has
/// them on: explained the same whichever thread ran when.
fn plain(err: pest::error::Error<Rule>, text: &str) -> pest::error::Error<Rule> {
    match pest::Position::new(text, error_offset(&err)) {
        Some(pos) if err.parse_attempts().is_some() => {
            pest::error::Error::new_from_pos(err.variant, pos)
        }
        _ => err,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule file of the repository, and each cut short every 250 bytes (most of
    /// them then fail to parse, in the middle of an item or between two).
    fn texts() -> Vec<(String, String)> {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut texts = Vec::new();
        for dir in ["fixtures", "rules"] {
            for entry in walkdir::WalkDir::new(format!("{root}/{dir}")).sort_by_file_name() {
                let entry = entry.unwrap();
                if entry.path().extension().is_some_and(|e| e == "jx") {
                    let name = entry.path().display().to_string();
                    // A fixture in another encoding is refused before it is parsed.
                    let Ok(text) = std::fs::read_to_string(entry.path()) else {
                        continue;
                    };
                    for cut in (100..text.len()).step_by(250) {
                        if text.is_char_boundary(cut) {
                            texts.push((format!("{name}:{cut}"), text[..cut].to_string()));
                        }
                    }
                    texts.push((name, text));
                }
            }
        }
        texts
    }

    #[test]
    fn items_parsed_ahead_make_the_same_ast_and_the_same_errors() {
        for (name, text) in texts() {
            let src = SourceFile::new(name.clone(), text);
            for base in [0, 1000] {
                let one_by_one = format!("{:?}", parse_items(&src, base, usize::MAX));
                let ahead = format!("{:?}", parse_items(&src, base, 0));
                assert_eq!(one_by_one, ahead, "{name}");
            }
        }
    }

    /// pest turns on the recording its detailed errors need with one flag for the whole
    /// process: files parsed on several threads at once (`jixiao test`, a library user's own
    /// threads) must each get the error they get alone.
    #[test]
    fn errors_are_the_same_on_many_threads_at_once() {
        let broken: Vec<SourceFile> = texts()
            .into_iter()
            .map(|(name, text)| SourceFile::new(name, text))
            .filter(|src| parse(src).is_err())
            .take(40)
            .collect();
        let alone: Vec<String> = broken.iter().map(|s| format!("{:?}", parse(s))).collect();
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..25 {
                        for (src, alone) in broken.iter().zip(&alone) {
                            assert_eq!(&format!("{:?}", parse(src)), alone, "{}", src.name());
                        }
                    }
                });
            }
        });
    }

    /// Nesting as deep as [`comments::MAX_NESTING`] allows, as braces of indicators and as
    /// brackets of an expression, parses on a thread of 2 MiB (the test harness's, and rayon's);
    /// one level deeper is refused before pest sees it.
    #[test]
    fn nesting_at_the_limit_parses_on_a_small_stack() {
        let half = comments::MAX_NESTING / 2;
        let deep = move |extra: usize| {
            format!(
                "{}score {}a{}\n{}",
                "indicator x points 1 {\n".repeat(half),
                "(".repeat(half + extra),
                ")".repeat(half + extra),
                "}\n".repeat(half)
            )
        };
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                for ahead_from in [0, usize::MAX] {
                    let src = SourceFile::new("deep.jx", deep(0));
                    assert!(
                        parse_items(&src, 0, ahead_from).is_ok(),
                        "{:?}",
                        parse_items(&src, 0, ahead_from).err()
                    );
                    let src = SourceFile::new("deeper.jx", deep(1));
                    let errors = parse_items(&src, 0, ahead_from).err().unwrap_or_default();
                    assert!(matches!(errors[..], [SyntaxError::TooDeep { .. }]));
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }

    /// `if` nests without brackets, so the bracket nesting limit does not see it: more `if`s
    /// in one block than [`comments::MAX_IFS`] are refused before pest recurses into them, at
    /// the first one too many, the same error whatever the stack and whether the item would be
    /// parsed ahead on one of rayon's threads or not.
    #[test]
    fn ifs_nested_without_brackets_are_an_error_not_a_crash() {
        let n = 100_000;
        let chained = format!(
            "input a: yesno\nindicator x points 1 {{ score {}0 }}\n",
            "if a then 1 else ".repeat(n)
        );
        let nested = format!(
            "input a: yesno\nindicator x points 1 {{ score {}a{} }}\n",
            "if ".repeat(n),
            " then 1 else 0".repeat(n)
        );
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                for text in [chained, nested] {
                    // The first `if` past the limit: the limit's own count of them before it.
                    let at = text
                        .match_indices("if")
                        .nth(comments::MAX_IFS)
                        .map(|(i, _)| i);
                    for ahead_from in [0, usize::MAX] {
                        let src = SourceFile::new("ifs.jx", text.clone());
                        let errors = parse_items(&src, 0, ahead_from).err().unwrap_or_default();
                        assert!(
                            matches!(
                                errors[..],
                                [SyntaxError::ExprTooDeep { span, .. }] if Some(span.offset()) == at
                            ),
                            "{errors:?}"
                        );
                    }
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
