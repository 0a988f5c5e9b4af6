//! The diagnostic registry (docs/errors.md) and the code agree: every code the source can emit
//! is documented once, every documented code exists, every code has a fixture or snapshot that
//! shows it, and `jixiao explain` finds each one.

use std::collections::BTreeSet;
use std::path::Path;

use jixiao::codes;

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
