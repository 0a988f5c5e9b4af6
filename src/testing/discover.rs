//! Finding test cases. A folder with a `jixiao.toml` holds suites (one rule file, many
//! departments' data by glob); any other folder with a `case.toml` is one case. Cases are
//! returned sorted by data file, so runs and reports are in the same order everywhere.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;
use toml::de::{DeTable, DeValue};

use super::{Case, Expect};
use crate::diagnostics::{Localized, Text};
use crate::files::Role;
use crate::source::display_path;

/// A `jixiao.toml` or `case.toml` that cannot be used.
#[derive(Debug, Error, Diagnostic)]
pub enum CaseFileError {
    #[error("{message}")]
    #[diagnostic(code(jixiao::test::case_file), help("{help}"))]
    Invalid {
        message: Text,
        help: Text,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("here")]
        span: Option<SourceSpan>,
    },
    /// Two cases would keep their trace in one file, or a stored trace would be a file the run
    /// reads: `--accept` would overwrite one with the other.
    #[error("{message}")]
    #[diagnostic(code(jixiao::test::trace_clash), help("{help}"))]
    TraceClash { message: Text, help: Text },
}

impl crate::diagnostics::Localized for CaseFileError {
    fn zh(&self) -> crate::diagnostics::Zh {
        use crate::diagnostics::Zh;
        match self {
            CaseFileError::Invalid {
                message,
                help,
                span,
                ..
            } => Zh::new(message.zh.clone())
                .help(help.zh.clone())
                .label_if(span.is_some(), "在这里"),
            CaseFileError::TraceClash { message, help } => {
                Zh::new(message.zh.clone()).help(help.zh.clone())
            }
        }
    }
}

const CASE_HELP: (&str, &str) = (
    "a case.toml names `rules = \"…\"` and `data = \"…\"` (relative to its folder), and may say `expect = \"99.98 优\"` and `traces = \"folder\"`",
    "case.toml 写明 `rules = \"…\"` 和 `data = \"…\"`（相对于它所在的文件夹），还可以写 `expect = \"99.98 优\"` 和 `traces = \"folder\"`",
);
const SUITE_HELP: (&str, &str) = (
    "a jixiao.toml has [[suite]] tables with `rules = \"…\"`, `data = [\"departments/*.toml\"]`, an optional `traces = \"folder\"` and an optional [suite.expect] table of `\"data file\" = \"99.98 优\"`",
    "jixiao.toml 由若干 [[suite]] 表组成，每个表写 `rules = \"…\"`、`data = [\"departments/*.toml\"]`，可选 `traces = \"folder\"`，以及可选的 [suite.expect] 表（`\"数据文件\" = \"99.98 优\"`）",
);

/// The help of a case file, in both languages.
type Help = (&'static str, &'static str);

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
    // Sorted by data, the cases of one department are neighbours.
    for i in 0..cases.len() {
        let shared = |j: usize| cases.get(j).is_some_and(|c: &Case| c.data == cases[i].data);
        cases[i].shared_data = shared(i + 1) || (i > 0 && shared(i - 1));
    }
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
            errors.push(CaseFileError::Invalid {
                message: Text::new(e.to_string(), e.zh().message),
                help: Text::new(CASE_HELP.0, CASE_HELP.1),
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
                Text::new(
                    format!("invalid TOML: {}", e.message().trim()),
                    format!("TOML 格式有误：“{}”", e.message().trim()),
                ),
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
        message: Text,
        help: Help,
        span: Option<std::ops::Range<usize>>,
    ) -> Box<CaseFileError> {
        Box::new(CaseFileError::Invalid {
            message: Text::new(
                format!("{}: {}", self.name, message.en),
                format!("{}：{}", self.name, message.zh),
            ),
            help: Text::new(help.0, help.1),
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
        help: Help,
        whole: std::ops::Range<usize>,
    ) -> Result<PathBuf, Box<CaseFileError>> {
        match self.get(table, key) {
            Some((_, v)) => match v.get_ref() {
                DeValue::String(s) => Ok(self.dir.join(s.as_ref())),
                _ => Err(self.error(
                    Text::new(
                        format!("`{key}` must be text in quotes"),
                        format!("`{key}` 必须是带引号的文字"),
                    ),
                    help,
                    Some(v.span()),
                )),
            },
            None => Err(self.error(
                Text::new(format!("`{key}` is missing"), format!("缺少 `{key}`")),
                help,
                Some(whole),
            )),
        }
    }

    /// An optional string field, as a path relative to the file's folder.
    fn optional_path(
        &self,
        table: &DeTable<'_>,
        key: &str,
        help: Help,
    ) -> Result<Option<PathBuf>, Box<CaseFileError>> {
        match self.get(table, key) {
            Some(_) => self.path(table, key, help, 0..0).map(Some),
            None => Ok(None),
        }
    }

    fn expect(
        &self,
        v: &toml::Spanned<DeValue<'_>>,
        help: Help,
    ) -> Result<Expect, Box<CaseFileError>> {
        match v.get_ref() {
            DeValue::String(s) => Expect::parse(s).ok_or_else(|| {
                self.error(
                    Text::new(
                        format!("`{s}` is not a total and a rating such as \"99.98 优\""),
                        format!("`{s}` 不是总分加评级，例如 \"99.98 优\""),
                    ),
                    help,
                    Some(v.span()),
                )
            }),
            _ => Err(self.error(
                Text::new(
                    "an expectation is text such as \"99.98 优\"",
                    "预期是文字，例如 \"99.98 优\"",
                ),
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
        // `traces = "folder"`: the stored trace in that folder instead of beside the data.
        let snapshot = self
            .optional_path(table, "traces", CASE_HELP)?
            .map(|folder| stored_trace(&folder, Path::new(data.file_name().unwrap_or_default())));
        cases.push(case(rules, data, snapshot, expect, &self.path));
        Ok(())
    }

    fn suites(&self, table: &DeTable<'_>, cases: &mut Vec<Case>) -> Result<(), Box<CaseFileError>> {
        let Some((key, suites)) = self.get(table, "suite") else {
            return Err(self.error(
                Text::new("there is no [[suite]]", "没有 [[suite]]"),
                SUITE_HELP,
                Some(0..self.text.len()),
            ));
        };
        let DeValue::Array(suites) = suites.get_ref() else {
            return Err(self.error(
                Text::new(
                    "`suite` must be written [[suite]]",
                    "`suite` 必须写成 [[suite]]",
                ),
                SUITE_HELP,
                Some(key.span()),
            ));
        };
        for suite in suites {
            let DeValue::Table(t) = suite.get_ref() else {
                return Err(self.error(
                    Text::new("a [[suite]] must be a table", "[[suite]] 必须是一个表"),
                    SUITE_HELP,
                    Some(suite.span()),
                ));
            };
            let rules = self.path(t, "rules", SUITE_HELP, suite.span())?;
            let traces = self.optional_path(t, "traces", SUITE_HELP)?;
            let patterns: Vec<&toml::Spanned<DeValue<'_>>> = match self.get(t, "data") {
                Some((_, v)) => match v.get_ref() {
                    DeValue::Array(items) => items.iter().collect(),
                    _ => vec![v],
                },
                None => {
                    return Err(self.error(
                        Text::new("`data` is missing", "缺少 `data`"),
                        SUITE_HELP,
                        Some(suite.span()),
                    ));
                }
            };
            let mut expects = Vec::new();
            if let Some((_, v)) = self.get(t, "expect") {
                let DeValue::Table(e) = v.get_ref() else {
                    return Err(self.error(
                        Text::new(
                            "`expect` is a table of data file = \"99.98 优\"",
                            "`expect` 是“数据文件 = \"99.98 优\"”组成的表",
                        ),
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
                        Text::new(
                            "a data pattern is text such as \"departments/*.toml\"",
                            "数据路径是文字，例如 \"departments/*.toml\"",
                        ),
                        SUITE_HELP,
                        Some(p.span()),
                    ));
                };
                let full = self.dir.join(pattern.as_ref());
                let matches = crate::files::glob(&full.to_string_lossy()).map_err(|e| {
                    self.error(
                        Text::new(
                            format!("`{pattern}` is not a valid pattern: {e}"),
                            format!("`{pattern}` 不是有效的路径模式：“{e}”"),
                        ),
                        SUITE_HELP,
                        Some(p.span()),
                    )
                })?;
                let before = found.len();
                let base = literal_folder(&full);
                found.extend(
                    matches
                        .into_iter()
                        .filter(|m| m.is_file())
                        .map(|m| (m, base.clone())),
                );
                if found.len() == before {
                    return Err(self.error(
                        Text::new(
                            format!("`{pattern}` matches no file"),
                            format!("`{pattern}` 没有匹配任何文件"),
                        ),
                        SUITE_HELP,
                        Some(p.span()),
                    ));
                }
            }
            for (file, _, span) in &expects {
                if !found.iter().any(|(f, _)| same(f, file)) {
                    return Err(self.error(
                        Text::new(
                            format!(
                                "`{}` has an expectation but is not among the suite's data",
                                display_path(file)
                            ),
                            format!("`{}` 有预期，但不在这组测试的数据中", display_path(file)),
                        ),
                        SUITE_HELP,
                        Some(span.clone()),
                    ));
                }
            }
            for (data, base) in found {
                let expect = expects
                    .iter()
                    .find(|(f, _, _)| same(f, &data))
                    .map(|(_, e, _)| e.clone());
                // In the suite's `traces` folder, the data's path below the pattern's literal
                // folder: `departments/**/*.toml` keeps `departments/a/x.toml` and
                // `departments/b/x.toml` apart as `a/x.trace.txt` and `b/x.trace.txt`.
                let snapshot = traces.as_ref().map(|folder| {
                    let below = data
                        .strip_prefix(&base)
                        .ok()
                        .filter(|p| !p.as_os_str().is_empty())
                        .unwrap_or_else(|| Path::new(data.file_name().unwrap_or_default()));
                    stored_trace(folder, below)
                });
                cases.push(case(rules.clone(), data, snapshot, expect, &self.path));
            }
        }
        Ok(())
    }
}

fn same(a: &Path, b: &Path) -> bool {
    crate::source::normalize(a) == crate::source::normalize(b)
}

/// The folder of a pattern before its first wildcard (`departments` for
/// `departments/**/*.toml`); for a pattern without one, the folder of the file it names.
fn literal_folder(pattern: &Path) -> PathBuf {
    let wild =
        |c: &std::path::Component<'_>| c.as_os_str().to_string_lossy().contains(['*', '?', '[']);
    let parts: Vec<_> = pattern.components().collect();
    match parts.iter().position(wild) {
        Some(first) => parts[..first].iter().collect(),
        None => pattern.parent().map(Path::to_path_buf).unwrap_or_default(),
    }
}

/// `<folder>/<data path>.trace.txt`, the data's extension replaced.
fn stored_trace(folder: &Path, data: &Path) -> PathBuf {
    folder.join(data).with_extension("trace.txt")
}

/// `snapshot`: where `traces = "folder"` keeps the stored trace; beside the data without it.
fn case(
    rules: PathBuf,
    data: PathBuf,
    snapshot: Option<PathBuf>,
    expect: Option<Expect>,
    case_file: &Path,
) -> Case {
    let rules = crate::source::normalize(&rules);
    let data = crate::source::normalize(&data);
    let snapshot =
        crate::source::normalize(&snapshot.unwrap_or_else(|| data.with_extension("trace.txt")));
    Case {
        rules,
        data,
        snapshot,
        expect,
        case_file: crate::source::normalize(case_file),
        shared_data: false,
    }
}

/// Every pair of cases that would keep their stored trace in one file, and every stored trace
/// that would be a file the run reads (a rule file, a department's data, a case file): with
/// either, `jixiao test --accept` would overwrite one file with another, and the next run would
/// fail a case that no accepting can fix. `jixiao test` refuses to run until it is fixed.
pub fn clashes(cases: &[Case]) -> Vec<CaseFileError> {
    use std::collections::BTreeMap;
    let mut errors = Vec::new();
    let describe = |c: &Case| {
        format!(
            "`{}` scored with `{}` ({})",
            display_path(&c.data),
            display_path(&c.rules),
            display_path(&c.case_file)
        )
    };
    let describe_zh = |c: &Case| {
        format!(
            "用 `{}` 为 `{}` 计分（{}）",
            display_path(&c.rules),
            display_path(&c.data),
            display_path(&c.case_file)
        )
    };
    // Where each file the run reads is, by path and, when it exists, as a file.
    let mut read_paths: BTreeMap<PathBuf, (Role, &Case)> = BTreeMap::new();
    let mut read_files = BTreeMap::new();
    for c in cases {
        for (path, what) in [
            (&c.rules, Role::CaseOwnRuleFile),
            (&c.data, Role::DepartmentData),
            (&c.case_file, Role::CaseFile),
        ] {
            read_paths
                .entry(crate::files::lexical(path))
                .or_insert((what, c));
            if let Some(id) = crate::files::identity(path) {
                read_files.entry(id).or_insert((what, c));
            }
        }
    }
    let mut by_trace: BTreeMap<PathBuf, &Case> = BTreeMap::new();
    for c in cases {
        let trace = display_path(&c.snapshot);
        let read = read_paths
            .get(&crate::files::lexical(&c.snapshot))
            .or_else(|| crate::files::identity(&c.snapshot).and_then(|id| read_files.get(&id)));
        if let Some((what, owner)) = read {
            let role = if *what == Role::CaseOwnRuleFile && owner.rules != c.rules {
                Role::ARuleFile
            } else {
                *what
            };
            let (what, what_zh) = (role.en(), role.zh());
            errors.push(CaseFileError::TraceClash {
                message: Text::new(
                    format!(
                        "the stored trace of {} would be {trace}, which is {what}, read by this run; `jixiao test --accept` would write over it",
                        describe(c)
                    ),
                    format!(
                        "{}的计算过程将存放在 {trace}，而它是{what_zh}，本次运行要读取它；`jixiao test --accept` 会覆盖它",
                        describe_zh(c)
                    ),
                ),
                help: Text::new(
                    format!(
                        "rename that file so it does not end in `.trace.txt` beside the data, or keep stored traces in a folder of their own: `traces = \"traces\"` in {} (see docs/ci.md)",
                        display_path(&c.case_file)
                    ),
                    format!(
                        "给那个文件改名，使它不以 `.trace.txt` 结尾，或者把计算过程存放在单独的文件夹中：在 {} 中写 `traces = \"traces\"`（见 docs/ci.md）",
                        display_path(&c.case_file)
                    ),
                ),
            });
            continue;
        }
        let Some(first) = by_trace.get(&crate::files::lexical(&c.snapshot)).copied() else {
            by_trace.insert(crate::files::lexical(&c.snapshot), c);
            continue;
        };
        if first.data == c.data && first.rules == c.rules {
            // The same department with the same rules (two case files, two expectations):
            // one trace, the same for both.
            continue;
        }
        let help = if first.data == c.data {
            Text::new(
                format!(
                    "the same department scored by two rule files needs a stored trace for each: give each [[suite]] its own folder for them, as `traces = \"traces/{}\"` in the suite of `{}` and `traces = \"traces/{}\"` in the suite of `{}` (see docs/ci.md)",
                    stem(&first.rules),
                    display_path(&first.rules),
                    stem(&c.rules),
                    display_path(&c.rules)
                ),
                format!(
                    "同一个部门用两个规则文件计分，每个都需要自己的计算过程：给每个 [[suite]] 单独的文件夹，在 `{}` 的那组中写 `traces = \"traces/{}\"`，在 `{}` 的那组中写 `traces = \"traces/{}\"`（见 docs/ci.md）",
                    display_path(&first.rules),
                    stem(&first.rules),
                    display_path(&c.rules),
                    stem(&c.rules)
                ),
            )
        } else {
            Text::new(
                "two data files whose names differ only in their extension share a stored trace: rename one of them, or score them in suites with different `traces = \"folder\"` settings (see docs/ci.md)",
                "两个数据文件的名称只有扩展名不同，会共用一个计算过程：给其中一个改名，或者把它们放在 `traces = \"folder\"` 设置不同的测试组中（见 docs/ci.md）",
            )
        };
        errors.push(CaseFileError::TraceClash {
            message: Text::new(
                format!(
                    "two cases would keep their stored trace in {trace}: {} and {}",
                    describe(first),
                    describe(c)
                ),
                format!(
                    "两个用例的计算过程将存放在同一个文件 {trace} 中：{}，以及{}",
                    describe_zh(first),
                    describe_zh(c)
                ),
            ),
            help,
        });
    }
    errors
}

/// A rule file's name without its extension, for a folder name in a suggestion.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rules".into())
}
