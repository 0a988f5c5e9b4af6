//! `jixiao diff OLD NEW [DATA…]`: what a rule change does to every department's score. OLD and
//! NEW are rule files, git objects (`HEAD~1:rules/x.jx`), or two revisions (`HEAD~1 HEAD`), in
//! which case the rule files and departments come from the suites of `./jixiao.toml`. Without
//! DATA, the departments are those the suites score with the NEW rule file.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use jixiao::compare::{self, Comparison};
use jixiao::diagnostics::{Localized, Look, Text, Zh};
use jixiao::pipeline::{self, Failure};
use jixiao::report::{DiffFormat as Format, Lang};
use jixiao::source::{ReadError, SourceFile, display_path};

/// A revision that git would read as an option (`--output=…` makes `git show` write a file).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{spec}` is not a revision: a git revision cannot start with `-`")]
#[diagnostic(
    code(jixiao::diff::revision),
    help(
        "name the old and new rules as files, `REV:path` or revisions such as `HEAD~1`, `main`, a commit hash; a file whose name starts with `-` can be given as `./-name.jx`"
    )
)]
pub struct BadRevision {
    spec: String,
}

impl Localized for BadRevision {
    fn zh(&self) -> Zh {
        Zh::new(format!(
            "`{}` 不是修订版本：git 的修订版本不能以 `-` 开头",
            self.spec
        ))
        .help("把新旧规则写成文件、`REV:path`，或 `HEAD~1`、`main`、提交哈希这样的修订版本；名称以 `-` 开头的文件可以写成 `./-name.jx`")
    }
}

/// Refuses a spec whose revision part starts with `-`: git would take it as an option.
fn check_revision(spec: &str) -> Result<(), BadRevision> {
    let rev = match git_spec(spec) {
        Some((rev, _)) => rev,
        None if is_revision(spec) => spec,
        None => return Ok(()),
    };
    if rev.starts_with('-') {
        return Err(BadRevision {
            spec: spec.to_string(),
        });
    }
    Ok(())
}

pub fn run(
    old: &str,
    new: &str,
    data: &[PathBuf],
    format: Format,
    lang: Lang,
    look: Look,
) -> ExitCode {
    for spec in [old, new] {
        if let Err(e) = check_revision(spec) {
            super::to_stderr(&jixiao::diagnostics::render_alone(&e, look));
            return ExitCode::from(2);
        }
    }
    // Each pair of rule files to compare, with the departments to score.
    let pairs: Vec<(String, String, Vec<PathBuf>)> = if is_revision(old) && is_revision(new) {
        let cases = match jixiao::testing::discover(&[]) {
            Ok(cases) => cases,
            Err(errors) => {
                for e in &errors {
                    super::to_stderr(&super::test::render(e, look));
                }
                super::to_stderr(match look.lang {
                    Lang::En => {
                        "error: two revisions are compared through the suites of ./jixiao.toml\n"
                    }
                    Lang::Zh => "错误：比较两个修订版本要通过 ./jixiao.toml 中的测试套件\n",
                });
                return ExitCode::from(1);
            }
        };
        let mut rules: Vec<PathBuf> = cases.iter().map(|c| c.rules.clone()).collect();
        rules.dedup();
        rules
            .into_iter()
            .map(|r| {
                let path = display_path(&r);
                let depts = if data.is_empty() {
                    cases
                        .iter()
                        .filter(|c| c.rules == r)
                        .map(|c| c.data.clone())
                        .collect()
                } else {
                    data.to_vec()
                };
                (format!("{old}:{path}"), format!("{new}:{path}"), depts)
            })
            .collect()
    } else {
        let depts = if data.is_empty() {
            suite_data_for(new)
        } else {
            data.to_vec()
        };
        if depts.is_empty() {
            super::to_stderr(match look.lang {
                Lang::En => {
                    "error: no departments to score: give their data files after the two rule files\n"
                }
                Lang::Zh => "错误：没有要计分的部门：在两个规则文件后面给出各部门的数据文件\n",
            });
            return ExitCode::from(2);
        }
        vec![(old.to_string(), new.to_string(), depts)]
    };
    let mut documents = Vec::new();
    let (mut failed, mut total) = (0, 0);
    for (old_spec, new_spec, depts) in pairs {
        match compare_pair(&old_spec, &new_spec, &depts, look) {
            Ok(c) => {
                failed += c.failed();
                total += c.departments.len();
                documents.push(jixiao::report::render_comparison(&c, format, lang));
            }
            Err(failure) => {
                super::to_stderr(&failure.render(look));
                return ExitCode::from(failure.exit_code());
            }
        }
    }
    if let Err(failure) = super::to_stdout(&documents.join("\n")) {
        return super::fail(&failure, look);
    }
    if failed > 0 {
        // The rows say which and why; the exit code tells CI that the comparison is incomplete.
        super::to_stderr(&match look.lang {
            Lang::En => format!(
                "error: {failed} of {total} departments could not be scored; `jixiao score RULES DATA` shows why in full\n"
            ),
            Lang::Zh => format!(
                "错误：{total} 个部门中有 {failed} 个无法计分；`jixiao score 规则 数据` 会完整说明原因\n"
            ),
        });
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn compare_pair(
    old: &str,
    new: &str,
    depts: &[PathBuf],
    look: Look,
) -> Result<Comparison, Failure> {
    let (old_src, new_src) = (load(old)?, load(new)?);
    let (old_rules, new_rules) = (checked(old, &old_src)?, checked(new, &new_src)?);
    let mut departments = Vec::new();
    let failed = |f: Failure| compare::Failed {
        code: f.code(),
        error: f.render(look),
    };
    for path in depts {
        // A data file (or a form) that cannot be read fails under both versions: a row, not
        // the end.
        let score = |checked: &jixiao::check::Checked| -> Result<jixiao::trace::Trace, Failure> {
            let dept = pipeline::load_department(&checked.rulebook, path)?;
            jixiao::eval::evaluate(&checked.rulebook, &dept)
                .map_err(|e| Failure::Eval(checked.rulebook.source.clone(), Box::new(e)))
        };
        let (a, b) = (
            score(&old_rules).map_err(failed),
            score(&new_rules).map_err(failed),
        );
        departments.push(compare::department(
            display_path(path),
            a.as_ref().map_err(Clone::clone),
            b.as_ref().map_err(Clone::clone),
        ));
    }
    Ok(Comparison {
        old_rules: old_src.name().to_string(),
        new_rules: new_src.name().to_string(),
        departments,
    })
}

/// The rules checked, with the files they import read from where they were: the same
/// revision for `REV:path`, else the disk.
fn checked(spec: &str, source: &SourceFile) -> Result<jixiao::check::Checked, Failure> {
    match git_spec(spec) {
        Some((rev, _)) => pipeline::check_rules_with(source, &mut |path: &Path| {
            git_show(rev, &display_path(path))
        }),
        None => pipeline::check_rules(source),
    }
}

/// `REV:path` split, when `spec` names a git object rather than a file on disk.
fn git_spec(spec: &str) -> Option<(&str, &str)> {
    if Path::new(spec).is_file() {
        return None;
    }
    spec.split_once(':')
}

/// A rule file from disk, or from git for `REV:path`.
fn load(spec: &str) -> Result<SourceFile, Failure> {
    match git_spec(spec) {
        // Imports are found relative to the file's path within the revision.
        Some((rev, file)) => git_show(rev, file)
            .map(|s| s.at_path(file.trim_start_matches("./")))
            .map_err(|e| Failure::Read(Box::new(e))),
        None => pipeline::read(Path::new(spec)),
    }
}

/// `file` as it was at revision `rev`, named `REV:file`.
fn git_show(rev: &str, file: &str) -> Result<SourceFile, ReadError> {
    let name = format!("{rev}:{file}");
    // `REV:./path` is relative to the current folder, as the user typed it.
    let object = if file.starts_with("./") || file.starts_with('/') {
        name.clone()
    } else {
        format!("{rev}:./{file}")
    };
    let failure = |message: Text| ReadError::Io {
        path: name.clone(),
        message,
    };
    // Checked by `check_revision` already; here too, so no caller can pass git an option.
    if rev.starts_with('-') {
        return Err(failure(Text::new(
            "a revision cannot start with `-`",
            "修订版本不能以 `-` 开头",
        )));
    }
    // `--end-of-options`: whatever follows is a revision, never an option.
    let out = Command::new("git")
        .args(["show", "--end-of-options", &object])
        .output()
        .map_err(|e| {
            failure(Text::new(
                format!("cannot run git: {e}"),
                format!("无法运行 git：系统报告 {e}"),
            ))
        })?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(failure(Text::new(
            said.clone(),
            format!("git 报告：“{said}”"),
        )));
    }
    SourceFile::from_bytes(name.clone(), out.stdout)
}

/// A revision rather than a file: not a file on disk and no `:path` part.
fn is_revision(spec: &str) -> bool {
    !Path::new(spec).exists() && !spec.contains(':')
}

/// The departments the suites of ./jixiao.toml score with this rule file.
fn suite_data_for(rules: &str) -> Vec<PathBuf> {
    let rules = rules.rsplit_once(':').map_or(rules, |(_, p)| p);
    let target = jixiao::source::normalize(Path::new(rules));
    jixiao::testing::discover(&[])
        .map(|cases| {
            cases
                .into_iter()
                .filter(|c| c.rules == target)
                .map(|c| c.data)
                .collect()
        })
        .unwrap_or_default()
}
