//! The diagnostic registry (docs/errors.md) and the code agree: every code the source can emit
//! is documented once, every documented code exists, every code has a fixture or snapshot that
//! shows it, and `jixiao explain` finds each one.

use std::collections::BTreeSet;
use std::path::Path;

use jixiao::codes;
use jixiao::diagnostics::Lang;

mod common;

/// Every `code(jixiao::…)` in the source, by reading the source files.
fn codes_in_source() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, _) in text.match_indices("code(jixiao::") {
                    let rest = &text[i + "code(".len()..];
                    let end = rest.find(')').unwrap();
                    out.insert(rest[..end].to_string());
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

#[test]
fn every_code_is_documented_once_and_every_entry_is_a_code() {
    let entries = codes::entries();
    let documented: Vec<&str> = entries.iter().map(|e| e.code).collect();
    let unique: BTreeSet<&str> = documented.iter().copied().collect();
    assert_eq!(unique.len(), documented.len(), "a code is documented twice");
    let in_source = codes_in_source();
    let in_source: BTreeSet<&str> = in_source.iter().map(String::as_str).collect();
    let undocumented: Vec<_> = in_source.difference(&unique).collect();
    let stale: Vec<_> = unique.difference(&in_source).collect();
    assert!(
        undocumented.is_empty(),
        "codes missing from docs/errors.md: {undocumented:?}"
    );
    assert!(
        stale.is_empty(),
        "docs/errors.md documents codes the source no longer has: {stale:?}"
    );
}

#[test]
fn every_code_has_a_fixture_whose_snapshot_shows_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in codes::entries() {
        let line = entry
            .text
            .lines()
            .find(|l| l.starts_with("Fixture:") || l.starts_with("Snapshot:"))
            .unwrap_or_else(|| panic!("{}: no Fixture: or Snapshot: line", entry.code));
        let named = line.split('`').nth(1);
        let snapshot = match (line.starts_with("Fixture:"), named) {
            (true, Some(fixture)) => {
                let name = fixture.trim_start_matches("fixtures/");
                assert!(
                    name.starts_with("err_"),
                    "{}: fixture {name} is not an err_ case",
                    entry.code
                );
                root.join(format!(
                    "tests/snapshots/fixtures__diagnostics@{name}__case.toml.snap"
                ))
            }
            (false, Some(snapshot)) => root.join(snapshot),
            (_, None) => {
                assert!(
                    entry.code.starts_with("jixiao::internal::"),
                    "{}: only internal errors may go without a fixture",
                    entry.code
                );
                continue;
            }
        };
        let text = std::fs::read_to_string(&snapshot)
            .unwrap_or_else(|e| panic!("{}: {}: {e}", entry.code, snapshot.display()));
        assert!(
            text.contains(entry.code),
            "{}: {} does not show the code",
            entry.code,
            snapshot.display()
        );
    }
}

#[test]
fn explain_finds_every_code_in_full_and_by_its_last_part() {
    for entry in codes::entries() {
        assert_eq!(codes::explain(entry.code).unwrap().code, entry.code);
        let tail = entry.code.rsplit("::").next().unwrap();
        match codes::explain(tail) {
            Ok(found) => assert_eq!(found.code, entry.code),
            // A last part shared by two codes lists both.
            Err(candidates) => assert!(candidates.contains(&entry.code), "{tail}: {candidates:?}"),
        }
    }
    assert_eq!(
        codes::explain("points_sun").unwrap_err(),
        vec!["jixiao::check::points_sum"]
    );
}

/// One list of functions: the language reference and the registry name every function the
/// checker knows, in the form the `unknown_function` help gives (`round(a, 2)`).
#[test]
fn the_docs_list_every_function() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let language = std::fs::read_to_string(root.join("docs/language.md")).unwrap();
    let registry = std::fs::read_to_string(root.join("docs/errors.md")).unwrap();
    for (_, func) in jixiao::model::Func::ALL {
        let usage = format!("`{}`", func.usage());
        assert!(language.contains(&usage), "docs/language.md lacks {usage}");
        assert!(registry.contains(&usage), "docs/errors.md lacks {usage}");
    }
}

/// `jixiao explain` takes a code in full or by its last parts, as people copy them.
#[test]
fn explain_takes_the_last_parts_of_a_code() {
    for asked in [
        "jixiao::check::unit_mismatch",
        "check::unit_mismatch",
        "  check::unit_mismatch ",
    ] {
        assert_eq!(
            codes::explain(asked).map(|e| e.code),
            Ok("jixiao::check::unit_mismatch"),
            "{asked}"
        );
    }
    assert!(codes::explain("unit_mismatch").is_err(), "two codes end so");
}

/// The text outside fenced blocks: the input that triggers a code is shown as written, in
/// both languages.
fn prose(text: &str) -> String {
    let mut fenced = false;
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Every entry has its Chinese, a description and a fix, in Chinese with full-width
/// punctuation (code in backticks aside); the English of the entry stays as it was.
#[test]
fn every_entry_has_its_chinese() {
    let han = |text: &str| text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    for entry in codes::entries() {
        let description = entry
            .description(Lang::Zh)
            .unwrap_or_else(|| panic!("{}: no `中文：` paragraph", entry.code));
        let fix = entry
            .fix(Lang::Zh)
            .unwrap_or_else(|| panic!("{}: no `修改：` paragraph", entry.code));
        for (what, text) in [("description", description), ("fix", fix)] {
            assert!(han(text), "{} {what}: not Chinese: {text}", entry.code);
            assert!(!text.contains("```"), "{} {what}: a block", entry.code);
            let outside: String = text.split('`').step_by(2).collect();
            let chars: Vec<char> = outside.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                // A comma between digits groups thousands (1,000,000).
                let grouping = c == ','
                    && i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit);
                assert!(
                    !"(),;:?!".contains(c) || grouping,
                    "{} {what}: half-width `{c}` in Chinese text: {text}",
                    entry.code
                );
            }
        }
        let english = entry.english();
        for lang in [Lang::En, Lang::Zh] {
            assert!(
                entry.description(lang).is_some_and(|d| !d.is_empty())
                    && entry.fix(lang).is_some_and(|f| !f.is_empty()),
                "{}: no description or fix in {lang:?}",
                entry.code
            );
        }
        assert!(
            !english.contains(codes::ZH_DESCRIPTION) && !english.contains(codes::ZH_FIX),
            "{}: the English holds the Chinese",
            entry.code
        );
        assert_eq!(entry.in_lang(Lang::En), english, "{}", entry.code);
        let zh = entry.in_lang(Lang::Zh);
        common::assert_no_english(entry.code, &prose(&zh));
        for label in ["\n\n触发示例：\n\n", "\n\n修改："] {
            assert!(zh.contains(label), "{}: no {label}", entry.code);
        }
        assert!(
            zh.contains("\n\n示例：") || zh.contains("\n\n快照："),
            "{}: no fixture",
            entry.code
        );
        assert!(
            zh.starts_with(&format!("## {}\n\n{description}\n\n", entry.code)),
            "{}",
            entry.code
        );
        assert_eq!(
            entry.trigger(),
            zh.find("```").map(|i| {
                let end = zh[i + 3..].find("\n```").unwrap() + i + 3 + 4;
                &zh[i..end]
            }),
            "{}: the trigger is shown as in English",
            entry.code
        );
    }
}

/// The Chinese of an entry is its own: the English and the Chinese parts split at `中文：`, and
/// the English fix, the trigger and the fixture come from the English part alone.
#[test]
fn an_entry_splits_into_its_languages() {
    let entry = codes::explain("points_sum").unwrap();
    assert!(
        entry
            .english()
            .ends_with("Fixture: `fixtures/err_points_sum`")
    );
    assert_eq!(entry.example(), Some((true, "`fixtures/err_points_sum`")));
    assert_eq!(
        entry.fix(Lang::Zh),
        Some("修改某个下级指标或分组的分值，使两者一致。")
    );
    assert!(
        entry
            .trigger()
            .unwrap()
            .starts_with("```text\nindicator 预算管理 points 20 {")
    );
    let zh = entry.in_lang(Lang::Zh);
    assert!(
        zh.ends_with(
            "修改：修改某个下级指标或分组的分值，使两者一致。\n\n示例：`fixtures/err_points_sum`"
        ),
        "{zh}"
    );
    let snapshot = codes::explain("io::read").unwrap();
    assert!(
        snapshot
            .in_lang(Lang::Zh)
            .ends_with("快照：`tests/snapshots/cli__missing_file_exits_1.snap`")
    );
}
