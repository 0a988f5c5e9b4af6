//! `--lang en` speaks English: every run of Chinese characters an English report prints comes
//! from the files it was computed from (names, bases, reasons, values as written), never from
//! the printers. For each scoring fixture, the text, Markdown and HTML reports in English are
//! searched for maximal runs of CJK characters (Han ideographs and CJK punctuation), and each
//! run must occur in the rule file, a file it imports, or the data file.

mod common;

use jixiao::compare;
use jixiao::diagnostics::Style;
use jixiao::report::{self, DiffFormat, Format, Lang};
use jixiao::trace::Trace;

/// Han ideographs and the punctuation of Chinese text: ，。：；（）、【】《》“” and the
/// full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'   // CJK Unified Ideographs Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{3134F}' // Extensions B–G
        | '\u{3000}'..='\u{303F}' // CJK Symbols and Punctuation: 、。〈〉《》「」【】 and the ideographic space
        | '\u{FF00}'..='\u{FFEF}' // Halfwidth and Fullwidth Forms: ，：；（）！？
        | '“' | '”')
}

/// Every maximal run of CJK characters in `text`.
fn cjk_runs(text: &str) -> Vec<&str> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_cjk(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(&text[s..]);
    }
    runs
}

/// The runs of `text` that none of `files` holds, each once, with a line of context.
fn foreign_runs(text: &str, files: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for run in cjk_runs(text) {
        if files.iter().any(|f| f.contains(run)) {
            continue;
        }
        let line = text
            .lines()
            .find(|l| l.contains(run))
            .unwrap_or_default()
            .trim();
        let shown = format!("{run:?} in: {line}");
        if !out.contains(&shown) {
            out.push(shown);
        }
    }
    out
}

/// The text of every file a trace was computed from: the rules, what they import, the data.
fn source_texts(case: &str, trace: &Trace) -> Vec<String> {
    let mut paths = vec![&trace.rules.path, &trace.data.path];
    paths.extend(trace.imports.iter().map(|i| &i.path));
    paths
        .into_iter()
        .map(|p| std::fs::read_to_string(&**p).unwrap_or_else(|e| panic!("{case}: {p}: {e}")))
        .collect()
}

/// Each scoring fixture and the table under tests/cases, with its trace.
fn traces() -> Vec<(String, Trace)> {
    common::scoring_cases()
        .into_iter()
        .chain([common::every_step_case()])
        .map(|case| {
            let trace = case.trace();
            (case.name, trace)
        })
        .collect()
}

/// Fails with every run found, if any.
fn assert_none(failures: &[String], what: &str) {
    assert!(
        failures.is_empty(),
        "{what} print Chinese that is not in the files:\n{}",
        failures.join("\n")
    );
}

#[test]
fn english_reports_print_no_chinese_of_their_own() {
    let mut failures = Vec::new();
    for (name, trace) in traces() {
        let files = source_texts(&name, &trace);
        for format in [Format::Text, Format::Markdown, Format::Html] {
            let shown = report::render(&trace, format, Lang::En);
            for run in foreign_runs(&shown, &files) {
                failures.push(format!("{name} {format:?}: {run}"));
            }
        }
    }
    assert_none(&failures, "English reports");
}

/// `jixiao diff --lang en` too: each trace compared with the next one's (a change in every
/// kind of step, and in the bases), and a department neither version can score.
#[test]
fn english_comparisons_print_no_chinese_of_their_own() {
    let traces = traces();
    let broken = common::case(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/err_eval_division_by_zero/case.toml"),
    );
    let failure = broken.run().expect_err("the case fails");
    let failed = compare::Failed {
        code: failure.code(),
        error: failure.render(Style::Plain),
    };
    let mut broken_files = vec![std::fs::read_to_string(&broken.rules).unwrap()];
    broken_files.extend(
        broken
            .data
            .as_ref()
            .map(|d| std::fs::read_to_string(d).unwrap()),
    );
    let mut failures = Vec::new();
    for (i, (old_name, old)) in traces.iter().enumerate() {
        let (new_name, new) = &traces[(i + 1) % traces.len()];
        let comparison = compare::Comparison {
            old_rules: old.rules.path.to_string(),
            new_rules: new.rules.path.to_string(),
            departments: vec![
                compare::department(old.data.path.to_string(), Ok(old), Ok(new)),
                compare::department(
                    broken.name.clone(),
                    Err(failed.clone()),
                    Err(failed.clone()),
                ),
            ],
        };
        let mut files = source_texts(old_name, old);
        files.extend(source_texts(new_name, new));
        files.extend(broken_files.iter().cloned());
        for format in [DiffFormat::Text, DiffFormat::Markdown] {
            let shown = report::render_comparison(&comparison, format, Lang::En);
            for run in foreign_runs(&shown, &files) {
                failures.push(format!("{old_name} → {new_name} {format:?}: {run}"));
            }
        }
    }
    assert_none(&failures, "English comparisons");
}
