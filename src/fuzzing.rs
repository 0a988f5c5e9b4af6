//! The whole pipeline on arbitrary bytes, for the fuzz target (`fuzz/`) and for the test that
//! replays its corpus (`tests/fuzz_corpus.rs`). Whatever the bytes, this must return: every
//! failure is a diagnostic, and every diagnostic must render. Rule files that parse are also
//! formatted, and the formatter must keep their AST.

use crate::diagnostics::Style;
use crate::pipeline::{self, Failure};
use crate::report::{self, Format, Lang};
use crate::source::SourceFile;

/// Separates the rule file from the data file in one fuzz input.
pub const SEPARATOR: &[u8] = b"\n=====\n";

/// Separates the rule file from the one file it may import, `import "fuzz-import.jx"`.
pub const IMPORT_SEPARATOR: &[u8] = b"\n-----\n";

/// The name the imported part of an input is found under.
pub const IMPORTED: &str = "fuzz-import.jx";

/// Runs one input: `RULES [IMPORT_SEPARATOR IMPORTED] [SEPARATOR DATA]`. The rule file may
/// import [`IMPORTED`], which is the part after `IMPORT_SEPARATOR`; no other file can be read,
/// so a run never touches the disk. The data is read as JSON when it starts with `{` (after
/// white space), else as TOML. Returns the exit code the CLI would give.
pub fn run_bytes(input: &[u8]) -> u8 {
    let (rules, data) = match find(input, SEPARATOR) {
        Some(i) => (&input[..i], Some(&input[i + SEPARATOR.len()..])),
        None => (input, None),
    };
    let (rules, imported) = match find(rules, IMPORT_SEPARATOR) {
        Some(i) => (&rules[..i], Some(&rules[i + IMPORT_SEPARATOR.len()..])),
        None => (rules, None),
    };
    let mut read = |path: &std::path::Path| match imported {
        Some(bytes) if path == std::path::Path::new(IMPORTED) => {
            SourceFile::from_bytes(IMPORTED.into(), bytes.to_vec())
        }
        _ => Err(crate::source::ReadError::Io {
            path: crate::source::display_path(path),
            message: crate::diagnostics::Text::new("there is no such file", "文件不存在"),
        }),
    };
    let outcome = (|| {
        let rules = SourceFile::from_bytes("fuzz.jx".into(), rules.to_vec())
            .map_err(|e| Failure::Read(Box::new(e)))?
            .at_path("fuzz.jx");
        check_formatter(&rules);
        let Some(data) = data else {
            return pipeline::check_rules_with(&rules, &mut read).map(|_| ());
        };
        let json = data.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        let name = if json { "fuzz.json" } else { "fuzz.toml" };
        let data = SourceFile::from_bytes(name.into(), data.to_vec())
            .map_err(|e| Failure::Read(Box::new(e)))?;
        let (_, trace) = pipeline::score_with(&rules, &data, &mut read)?;
        for format in [Format::Text, Format::Json, Format::Markdown, Format::Html] {
            for lang in [Lang::Zh, Lang::En] {
                std::hint::black_box(report::render(&trace, format, lang));
            }
        }
        Ok(())
    })();
    match outcome {
        Ok(()) => 0,
        Err(failure) => {
            for style in [Style::Plain, Style::Narrated] {
                std::hint::black_box(failure.render(style));
            }
            failure.exit_code()
        }
    }
}

/// The formatter's promise, on whatever parses: the formatted text parses to the same AST with
/// the same comments, and formatting it again changes nothing. A broken promise is a bug in
/// jixiao, so it panics for the fuzzer to catch.
fn check_formatter(rules: &SourceFile) {
    let Ok(ast) = crate::syntax::parse(rules) else {
        return;
    };
    let once = crate::format::format(&ast, rules.text());
    let again = SourceFile::new("formatted.jx", once.clone());
    let reparsed = match crate::syntax::parse(&again) {
        Ok(r) => r,
        Err(e) => panic!("formatted text does not parse: {e:?}\n{once}"),
    };
    let comments = |f: &crate::syntax::ast::File| -> Vec<(String, bool)> {
        f.comments
            .iter()
            .map(|c| (c.text.trim_end().to_string(), c.doc))
            .collect()
    };
    assert!(
        reparsed.items == ast.items,
        "formatting changed the AST:\n{once}"
    );
    assert!(
        comments(&reparsed) == comments(&ast),
        "formatting changed the comments:\n{once}"
    );
    let twice = crate::format::format(&reparsed, &once);
    assert!(twice == once, "formatting is not idempotent:\n{once}");
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
