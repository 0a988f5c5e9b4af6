//! Every help text is a step that works. Each `err_` fixture's case.toml lists, as `[[fix]]`
//! tables, the edits its diagnostics tell the user to make:
//!
//! ```toml
//! [[fix]]
//! for = "jixiao::check::unknown_name"          # the diagnostic (or a list of them)
//! follows = "did you mean `全年预算数`?"        # words of its help, or of its Fix line
//! file = "rules.jx"                             # relative to the fixture's folder
//! replace = "全年执行数 / 全年预算 *"            # found exactly once in the file
//! with = "全年执行数 / 全年预算数 *"
//! ```
//!
//! A fix may instead `rename` the file (a data file converted to TOML) or `convert` it from the
//! encoding it was saved in (`convert = "GBK"`). The test applies the fixes in memory (nothing
//! on disk changes), runs the case again and requires it to be clean: the rules check without
//! an error or a warning, and the data, if any, scores. It also requires that every error the
//! fixture shows is answered by a fix, that each fix quotes the help it follows (so that a
//! change of wording fails here until the fix is looked at again), and that the fixes are small
//! edits, not a rewrite.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jixiao::SourceFile;
use jixiao::diagnostics::Style;
use jixiao::source::normalize;
use toml::de::{DeTable, DeValue};

/// Fixtures without a fix, each with the reason. (A file saved as GBK is converted by
/// [`gbk_to_utf8`], which knows the characters that fixture holds.)
const EXEMPT: &[(&str, &str)] = &[
    (
        "err_form_hidden_digits",
        "a workbook (made by tests/forms.rs): it is corrected in Excel, not by a text edit",
    ),
    (
        "err_form_percent_padding",
        "a workbook (made with openpyxl): it is corrected in Excel, not by a text edit",
    ),
    (
        "err_form_beyond_sheet",
        "a damaged workbook: it is saved again in Excel, not corrected by a text edit",
    ),
    (
        "err_form_cell_twice",
        "a damaged workbook: it is saved again in Excel, not corrected by a text edit",
    ),
    (
        "err_form_damaged",
        "a damaged workbook: it is saved again in Excel, not corrected by a text edit",
    ),
    (
        "err_form_number_format",
        "a workbook (made with openpyxl): it is corrected in Excel, not by a text edit",
    ),
];

/// The most lines a fix may remove and add in one file.
const MOST_LINES_CHANGED: usize = 12;

struct Fix {
    codes: Vec<String>,
    follows: String,
    file: PathBuf,
    replace: Option<(String, String)>,
    rename: Option<String>,
    convert: Option<String>,
}

/// A diagnostic of the case as it is, from its JSON line.
struct Shown {
    code: String,
    severity: String,
    help: String,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn err_fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("err_"))
        })
        .collect();
    out.sort();
    out
}

fn text<'a>(table: &'a DeTable<'a>, key: &str, what: &str) -> Option<&'a str> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| match v.get_ref() {
            DeValue::String(s) => s.as_ref(),
            other => panic!("{what}: `{key}` must be text, not {other:?}"),
        })
}

/// The `[[fix]]` tables of a case.toml.
fn fixes(case_toml: &Path) -> Vec<Fix> {
    let source = std::fs::read_to_string(case_toml).unwrap();
    let table = DeTable::parse(&source)
        .unwrap_or_else(|e| panic!("{}: {e}", case_toml.display()))
        .into_inner();
    let what = case_toml.display().to_string();
    let Some((_, list)) = table.iter().find(|(k, _)| k.get_ref() == "fix") else {
        return Vec::new();
    };
    let DeValue::Array(list) = list.get_ref() else {
        panic!("{what}: write the fixes as [[fix]]")
    };
    list.iter()
        .map(|fix| {
            let DeValue::Table(t) = fix.get_ref() else {
                panic!("{what}: a [[fix]] is a table")
            };
            let codes = match t.iter().find(|(k, _)| k.get_ref() == "for").map(|(_, v)| v) {
                Some(v) => match v.get_ref() {
                    DeValue::String(s) => vec![s.to_string()],
                    DeValue::Array(a) => a
                        .iter()
                        .map(|c| match c.get_ref() {
                            DeValue::String(s) => s.to_string(),
                            other => panic!("{what}: a code is text, not {other:?}"),
                        })
                        .collect(),
                    other => panic!("{what}: `for` is a code or a list, not {other:?}"),
                },
                None => panic!("{what}: a fix says which diagnostic it is `for`"),
            };
            let replace = match (text(t, "replace", &what), text(t, "with", &what)) {
                (Some(r), Some(w)) => Some((r.to_string(), w.to_string())),
                (None, None) => None,
                _ => panic!("{what}: `replace` and `with` go together"),
            };
            Fix {
                codes,
                follows: text(t, "follows", &what)
                    .unwrap_or_else(|| panic!("{what}: a fix quotes the help it `follows`"))
                    .to_string(),
                file: PathBuf::from(
                    text(t, "file", &what)
                        .unwrap_or_else(|| panic!("{what}: a fix names its `file`")),
                ),
                replace,
                rename: text(t, "rename", &what).map(str::to_string),
                convert: text(t, "convert", &what).map(str::to_string),
            }
        })
        .collect()
}

/// The diagnostics a failure shows, read back from its JSON lines.
fn shown(failure: &jixiao::Failure) -> Vec<Shown> {
    failure
        .render(Style::Json)
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            Shown {
                code: v["code"].as_str().unwrap_or_default().to_string(),
                severity: v["severity"].as_str().unwrap_or_default().to_string(),
                help: v["help"].as_str().unwrap_or_default().to_string(),
            }
        })
        .collect()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The registry's `Fix:` paragraph for a code, on one line.
fn fix_line(code: &str) -> String {
    let entry = jixiao::codes::explain(code).unwrap_or_else(|_| panic!("{code} is not documented"));
    let fix = entry
        .text
        .split("\n\n")
        .find(|p| p.starts_with("Fix:"))
        .unwrap_or_else(|| panic!("{code}: no Fix: line"));
    one_line(fix)
}

/// The characters the GBK fixture holds, with their GBK bytes: enough to decode that file the
/// way an editor's "save as UTF-8" would, and to fail on any other.
const GBK: &[(char, [u8; 2])] = &[
    ('示', [0xCA, 0xBE]),
    ('例', [0xC0, 0xFD]),
    ('优', [0xD3, 0xC5]),
    ('差', [0xB2, 0xEE]),
    ('执', [0xD6, 0xB4]),
    ('行', [0xD0, 0xD0]),
    ('率', [0xC2, 0xCA]),
];

fn gbk_to_utf8(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            out.push(bytes[i] as char);
            i += 1;
            continue;
        }
        let pair = [bytes[i], bytes[i + 1]];
        let (c, _) = GBK
            .iter()
            .find(|(_, b)| *b == pair)
            .unwrap_or_else(|| panic!("GBK bytes {pair:02X?} are not in the table"));
        out.push(*c);
        i += 2;
    }
    out
}

/// A file as the fixes leave it: its text and the name it goes by.
struct Edited {
    original: String,
    text: String,
    path: PathBuf,
    converted: bool,
}

/// The fixes applied to the files they name, by each file's path relative to the crate (as
/// the case names its files); a fix may edit the fixture's files and the bundled rules.
fn apply(dir: &Path, fixes: &[Fix], what: &str) -> BTreeMap<PathBuf, Edited> {
    let dir = dir.strip_prefix(root()).unwrap();
    let mut files: BTreeMap<PathBuf, Edited> = BTreeMap::new();
    for fix in fixes {
        let path = normalize(&dir.join(&fix.file));
        assert!(
            path.starts_with(dir) || path.starts_with("rules"),
            "{what}: {} is outside the fixture",
            path.display()
        );
        let file = files.entry(path.clone()).or_insert_with(|| {
            let bytes = std::fs::read(root().join(&path)).unwrap();
            let text = match &fix.convert {
                Some(encoding) => {
                    assert_eq!(encoding, "GBK", "{what}: only GBK is known");
                    gbk_to_utf8(&bytes)
                }
                None => String::from_utf8(bytes).unwrap(),
            };
            Edited {
                original: text.clone(),
                text,
                path: path.clone(),
                converted: false,
            }
        });
        if let Some((replace, with)) = &fix.replace {
            let found = file.text.matches(replace.as_str()).count();
            assert_eq!(
                found,
                1,
                "{what}: `{replace}` is found {found} times in {}",
                path.display()
            );
            file.text = file.text.replacen(replace.as_str(), with, 1);
        }
        if let Some(name) = &fix.rename {
            file.path = path.with_file_name(name);
            file.converted = true;
        }
    }
    files
}

/// A fix is an edit of a few lines that keeps most of the file, not a file written anew (a
/// file converted to another format excepted: its lines are all new by nature).
fn assert_small(what: &str, file: &Edited) {
    let diff = similar::TextDiff::from_lines(&file.original, &file.text);
    let (mut kept, mut removed, mut added) = (0, 0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Equal => kept += 1,
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Insert => added += 1,
        }
    }
    let name = file.path.display();
    assert!(
        removed + added <= MOST_LINES_CHANGED,
        "{what}: the fix of {name} removes {removed} lines and adds {added}: not a small edit"
    );
    assert!(
        file.converted || removed <= kept,
        "{what}: the fix of {name} removes {removed} lines and keeps {kept}: a rewrite"
    );
}

/// Runs the case with the edited files in place of the ones on disk (imports included): the
/// checked rules, once the data (if any) has scored too.
fn run_fixed(
    case: &common::Case,
    files: &BTreeMap<PathBuf, Edited>,
) -> Result<jixiao::Rules, jixiao::Failure> {
    let source = |path: &Path| -> Result<SourceFile, jixiao::source::ReadError> {
        match files.get(&normalize(path)) {
            Some(e) => Ok(
                SourceFile::new(e.path.display().to_string(), e.text.clone())
                    .at_path(e.path.clone()),
            ),
            None => SourceFile::read(path),
        }
    };
    let rules = source(&case.rules).map_err(|e| jixiao::Failure::Read(Box::new(e)))?;
    let checked = jixiao::Rules::check_with(&rules, &mut |p| source(p))?;
    match &case.data {
        Some(data) => {
            let data = source(data).map_err(|e| jixiao::Failure::Read(Box::new(e)))?;
            let dept = checked.load(&data)?;
            checked.trace(&dept)?;
            Ok(checked)
        }
        None => Ok(checked),
    }
}

#[test]
fn every_err_fixture_has_a_fix_or_a_reason() {
    let exempt: BTreeSet<&str> = EXEMPT.iter().map(|(name, _)| *name).collect();
    for dir in err_fixtures() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let has = !fixes(&dir.join("case.toml")).is_empty();
        assert!(
            has != exempt.contains(name.as_str()),
            "{name}: a fixture has fixes, or an exemption with its reason (and not both)"
        );
    }
}

/// Every fixture with fixes, each in turn; a failing fixture is reported (its panic printed) and
/// the others still run, so that one run shows every help that does not work.
#[test]
fn following_the_help_makes_every_error_go() {
    let mut failed = Vec::new();
    let mut fixed = 0;
    for dir in err_fixtures() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let fixes = fixes(&dir.join("case.toml"));
        if fixes.is_empty() {
            continue;
        }
        if std::panic::catch_unwind(|| follow(&dir, &fixes)).is_err() {
            failed.push(name);
        }
        fixed += 1;
    }
    assert!(failed.is_empty(), "following the help fails for {failed:?}");
    assert_eq!(fixed + EXEMPT.len(), err_fixtures().len());
}

/// Applies a fixture's fixes and runs it again; panics at the first thing that is not so.
fn follow(dir: &Path, fixes: &[Fix]) {
    let case_toml = dir.join("case.toml");
    let case = common::case(&case_toml);
    let what = case.name.clone();
    let failure = match case.run() {
        Err(f) => f,
        Ok(_) => panic!("{what}: the fixture does not fail"),
    };
    let before = shown(&failure);

    // Each fix follows the help of a diagnostic the case shows, in its words.
    for fix in fixes {
        for code in &fix.codes {
            assert!(
                before.iter().any(|d| &d.code == code),
                "{what}: a fix is for {code}, which the case does not show"
            );
        }
        let follows = one_line(&fix.follows);
        let quoted = fix.codes.iter().all(|code| {
            before
                .iter()
                .any(|d| &d.code == code && one_line(&d.help).contains(&follows))
                || fix_line(code).contains(&follows)
        });
        assert!(
            quoted,
            "{what}: no help or Fix line of {:?} says \"{follows}\"",
            fix.codes
        );
    }
    // Every error shown is answered by a fix.
    let answered: BTreeSet<&str> = fixes
        .iter()
        .flat_map(|f| f.codes.iter().map(String::as_str))
        .collect();
    for d in before.iter().filter(|d| d.severity == "error") {
        assert!(
            answered.contains(d.code.as_str()),
            "{what}: no fix for {}",
            d.code
        );
    }

    let files = apply(dir, fixes, &what);
    for file in files.values() {
        assert_small(&what, file);
    }
    match run_fixed(&case, &files) {
        Ok(rules) => {
            let warnings: Vec<String> = rules
                .warnings()
                .iter()
                .map(|w| {
                    use miette::Diagnostic;
                    w.code().map(|c| c.to_string()).unwrap_or_default()
                })
                .collect();
            assert!(
                warnings.is_empty(),
                "{what}: fixed, the rules still warn: {warnings:?}"
            );
        }
        Err(f) => panic!(
            "{what}: following the help does not fix it:\n{}",
            f.render(Style::Plain)
        ),
    }
}
