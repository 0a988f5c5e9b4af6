//! Finding test cases. A folder with a `jixiao.toml` holds suites (one rule file, many
//! departments' data by glob); any other folder with a `case.toml` is one case. Cases are
//! returned sorted by data file, so runs and reports are in the same order everywhere.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;
use toml::de::{DeTable, DeValue};

use super::{Case, Expect};
use crate::source::display_path;

/// A `jixiao.toml` or `case.toml` that cannot be used.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(jixiao::test::case_file), help("{help}"))]
pub struct CaseFileError {
    message: String,
    help: String,
    #[source_code]
    src: NamedSource<Arc<str>>,
    #[label("here")]
    span: Option<SourceSpan>,
}

const CASE_HELP: &str = "a case.toml names `rules = \"…\"` and `data = \"…\"` (relative to its folder), and may say `expect = \"99.98 优\"`";
const SUITE_HELP: &str = "a jixiao.toml has [[suite]] tables with `rules = \"…\"`, `data = [\"departments/*.toml\"]` and an optional [suite.expect] table of `\"data file\" = \"99.98 优\"`";

/// Every case under `paths` (files or folders; the current folder when empty).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Case>, Vec<CaseFileError>> {
    let roots = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for root in &roots {
        if root.is_file() {
            read_case_file(root, &mut cases, &mut errors);
        } else {
            walk(root, &mut cases, &mut errors);
        }
    }
    cases.sort_by(|a, b| a.data.cmp(&b.data).then(a.rules.cmp(&b.rules)));
    // The same department with the same rules, named by two case files, is one case.
    cases.dedup_by(|a, b| a.data == b.data && a.rules == b.rules && a.expect == b.expect);
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(errors)
    }
}

/// Every folder under `root` (symbolic links to folders not followed, so a link cannot make the
/// walk loop), in sorted order.
fn walk(root: &Path, cases: &mut Vec<Case>, errors: &mut Vec<CaseFileError>) {
    let mut entries = crate::files::walk(root);
    while let Some(entry) = entries.next() {
        let Ok(entry) = entry else {
            continue;
        };
        if !entry.file_type().is_dir() {
            continue;
        }
        let dir = entry.path();
        let suite = dir.join("jixiao.toml");
        if suite.is_file() {
            // A jixiao.toml says where its cases are; nothing below it is searched.
            read_case_file(&suite, cases, errors);
            entries.skip_current_dir();
            continue;
        }
        let case = dir.join("case.toml");
        if case.is_file() {
            read_case_file(&case, cases, errors);
        }
    }
}

fn read_case_file(path: &Path, cases: &mut Vec<Case>, errors: &mut Vec<CaseFileError>) {
    let text: Arc<str> = match crate::source::SourceFile::read(path) {
        Ok(t) => t.text().into(),
        Err(e) => {
            errors.push(CaseFileError {
                message: e.to_string(),
                help: CASE_HELP.into(),
                src: NamedSource::new(display_path(path), Arc::from("")),
                span: None,
            });
            return;
        }
    };
    let file = File {
        path: path.to_path_buf(),
        name: display_path(path),
        text: text.clone(),
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let table = match DeTable::parse(&text) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            errors.push(*file.error(
                format!("invalid TOML: {}", e.message().trim()),
                CASE_HELP,
                e.span(),
            ));
            return;
        }
    };
    let is_suite = path.file_name().is_some_and(|n| n == "jixiao.toml");
    let result = if is_suite {
        file.suites(&table, cases)
    } else {
        file.case(&table, cases)
    };
    if let Err(e) = result {
        errors.push(*e);
    }
}

struct File {
    path: PathBuf,
    name: String,
    text: Arc<str>,
    dir: PathBuf,
}

type Entry<'a> = (
    &'a toml::Spanned<toml::de::DeString<'a>>,
    &'a toml::Spanned<DeValue<'a>>,
);

impl File {
    /// Boxed: the error is large, and every reading function here returns it.
    fn error(
        &self,
        message: String,
        help: &str,
        span: Option<std::ops::Range<usize>>,
    ) -> Box<CaseFileError> {
        Box::new(CaseFileError {
            message: format!("{}: {message}", self.name),
            help: help.into(),
            src: NamedSource::new(self.name.clone(), self.text.clone()),
            span: span.map(|r| SourceSpan::new(r.start.into(), r.end - r.start)),
        })
    }

    fn get<'a>(&self, table: &'a DeTable<'a>, key: &str) -> Option<Entry<'a>> {
        table.iter().find(|(k, _)| k.get_ref() == key)
    }

    /// A string field, as a path relative to the file's folder.
    fn path(
        &self,
        table: &DeTable<'_>,
        key: &str,
        help: &str,
        whole: std::ops::Range<usize>,
    ) -> Result<PathBuf, Box<CaseFileError>> {
        match self.get(table, key) {
            Some((_, v)) => match v.get_ref() {
                DeValue::String(s) => Ok(self.dir.join(s.as_ref())),
                _ => Err(self.error(
                    format!("`{key}` must be text in quotes"),
                    help,
                    Some(v.span()),
                )),
            },
            None => Err(self.error(format!("`{key}` is missing"), help, Some(whole))),
        }
    }

    fn expect(
        &self,
        v: &toml::Spanned<DeValue<'_>>,
        help: &str,
    ) -> Result<Expect, Box<CaseFileError>> {
        match v.get_ref() {
            DeValue::String(s) => Expect::parse(s).ok_or_else(|| {
                self.error(
                    format!("`{s}` is not a total and a rating such as \"99.98 优\""),
                    help,
                    Some(v.span()),
                )
            }),
            _ => Err(self.error(
                "an expectation is text such as \"99.98 优\"".into(),
                help,
                Some(v.span()),
            )),
        }
    }

    fn case(&self, table: &DeTable<'_>, cases: &mut Vec<Case>) -> Result<(), Box<CaseFileError>> {
        let whole = 0..self.text.len();
        let rules = self.path(table, "rules", CASE_HELP, whole.clone())?;
        let data = self.path(table, "data", CASE_HELP, whole)?;
        let expect = match self.get(table, "expect") {
            Some((_, v)) => Some(self.expect(v, CASE_HELP)?),
            None => None,
        };
        cases.push(case(rules, data, expect, &self.path));
        Ok(())
    }

    fn suites(&self, table: &DeTable<'_>, cases: &mut Vec<Case>) -> Result<(), Box<CaseFileError>> {
        let Some((key, suites)) = self.get(table, "suite") else {
            return Err(self.error(
                "there is no [[suite]]".into(),
                SUITE_HELP,
                Some(0..self.text.len()),
            ));
        };
        let DeValue::Array(suites) = suites.get_ref() else {
            return Err(self.error(
                "`suite` must be written [[suite]]".into(),
                SUITE_HELP,
                Some(key.span()),
            ));
        };
        for suite in suites {
            let DeValue::Table(t) = suite.get_ref() else {
                return Err(self.error(
                    "a [[suite]] must be a table".into(),
                    SUITE_HELP,
                    Some(suite.span()),
                ));
            };
            let rules = self.path(t, "rules", SUITE_HELP, suite.span())?;
            let patterns: Vec<&toml::Spanned<DeValue<'_>>> = match self.get(t, "data") {
                Some((_, v)) => match v.get_ref() {
                    DeValue::Array(items) => items.iter().collect(),
                    _ => vec![v],
                },
                None => {
                    return Err(self.error(
                        "`data` is missing".into(),
                        SUITE_HELP,
                        Some(suite.span()),
                    ));
                }
            };
            let mut expects = Vec::new();
            if let Some((_, v)) = self.get(t, "expect") {
                let DeValue::Table(e) = v.get_ref() else {
                    return Err(self.error(
                        "`expect` is a table of data file = \"99.98 优\"".into(),
                        SUITE_HELP,
                        Some(v.span()),
                    ));
                };
                for (file, value) in e.iter() {
                    expects.push((
                        self.dir.join(file.get_ref().as_ref()),
                        self.expect(value, SUITE_HELP)?,
                        file.span(),
                    ));
                }
            }
            let mut found = Vec::new();
            for p in patterns {
                let DeValue::String(pattern) = p.get_ref() else {
                    return Err(self.error(
                        "a data pattern is text such as \"departments/*.toml\"".into(),
                        SUITE_HELP,
                        Some(p.span()),
                    ));
                };
                let full = self.dir.join(pattern.as_ref());
                let matches = crate::files::glob(&full.to_string_lossy()).map_err(|e| {
                    self.error(
                        format!("`{pattern}` is not a valid pattern: {e}"),
                        SUITE_HELP,
                        Some(p.span()),
                    )
                })?;
                let before = found.len();
                found.extend(matches.into_iter().filter(|m| m.is_file()));
                if found.len() == before {
                    return Err(self.error(
                        format!("`{pattern}` matches no file"),
                        SUITE_HELP,
                        Some(p.span()),
                    ));
                }
            }
            for (file, _, span) in &expects {
                if !found.iter().any(|f| same(f, file)) {
                    return Err(self.error(
                        format!(
                            "`{}` has an expectation but is not among the suite's data",
                            display_path(file)
                        ),
                        SUITE_HELP,
                        Some(span.clone()),
                    ));
                }
            }
            for data in found {
                let expect = expects
                    .iter()
                    .find(|(f, _, _)| same(f, &data))
                    .map(|(_, e, _)| e.clone());
                cases.push(case(rules.clone(), data, expect, &self.path));
            }
        }
        Ok(())
    }
}

fn same(a: &Path, b: &Path) -> bool {
    crate::source::normalize(a) == crate::source::normalize(b)
}

fn case(rules: PathBuf, data: PathBuf, expect: Option<Expect>, case_file: &Path) -> Case {
    let rules = crate::source::normalize(&rules);
    let data = crate::source::normalize(&data);
    let snapshot = data.with_extension("trace.txt");
    Case {
        rules,
        data,
        snapshot,
        expect,
        case_file: crate::source::normalize(case_file),
    }
}
