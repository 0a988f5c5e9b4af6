//! `jixiao test [PATH…] [--accept] [--junit FILE]`: score every case, compare with what is
//! stored, show line diffs, end with the count of passed and failed cases (`通过 N 个，失败 N
//! 个`); exit 0 only when all pass. Every word comes from `report::wording::test`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jixiao::diagnostics::Look;
use jixiao::report::wording::test::{self as words, Verdict};
use jixiao::testing::{self, Outcome, Problem};

pub fn run(
    paths: &[PathBuf],
    accept: bool,
    junit: Option<&Path>,
    coverage: bool,
    look: Look,
) -> ExitCode {
    let lang = look.lang;
    let cases = match testing::discover(paths) {
        Ok(cases) => cases,
        Err(errors) => {
            for e in &errors {
                super::to_stderr(&render(e, look));
            }
            return ExitCode::from(1);
        }
    };
    let clashes = testing::clashes(&cases);
    if !clashes.is_empty() {
        for e in &clashes {
            super::to_stderr(&render(e, look));
        }
        return ExitCode::from(1);
    }
    if cases.is_empty() {
        super::to_stderr(words::no_cases(look.lang));
        return ExitCode::from(1);
    }
    // Checked before anything is written.
    let refuse = |imports: &[PathBuf]| -> Result<(), ExitCode> {
        let Some(path) = junit else {
            return Ok(());
        };
        let inputs: Vec<jixiao::files::Input<'_>> = cases
            .iter()
            .flat_map(testing::Case::inputs)
            .chain(
                imports
                    .iter()
                    .map(|p| (p.as_path(), jixiao::files::Role::Import)),
            )
            .collect();
        let suggestion = "--junit junit.xml";
        jixiao::files::refuse_inputs(path, &inputs, suggestion)
            .and_then(|()| {
                // A stored trace not there yet is a path the run reads (and `--accept` writes):
                // compared as paths, since there is no file to compare.
                match cases
                    .iter()
                    .find(|c| jixiao::files::same_path(path, &c.snapshot))
                {
                    None => Ok(()),
                    Some(case) => Err(jixiao::files::WriteError::OutputIsInput {
                        message: jixiao::diagnostics::Text::new(
                            format!(
                                "will not write the JUnit report to {}: it is where the stored trace of {} is kept, which this run reads{}",
                                path.to_string_lossy(),
                                case.name(),
                                if accept { " and `--accept` writes" } else { "" }
                            ),
                            format!(
                                "不会把 JUnit 报告写到 {}：那里存放着 {} 的计算过程，本次运行要读取它{}",
                                path.to_string_lossy(),
                                case.name(),
                                if accept { "，`--accept` 还要写入它" } else { "" }
                            ),
                        ),
                        suggestion,
                    }),
                }
            })
            .map_err(|e| super::fail(&super::write_failure(e), look))
    };
    // Every rule file is checked first, so that what they import is known before anything is
    // written, by `--accept` or `--junit`.
    let rules = testing::Rules::check(&cases, look);
    if let Err(code) = refuse(&rules.imports()) {
        return code;
    }
    let run = testing::run_all(&cases, rules, accept, look);
    let outcomes = run.outcomes;
    let colour = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let (mut passed, mut failed, mut new) = (0, 0, 0);
    let mut out = String::new();
    for (case, outcome) in cases.iter().zip(&outcomes) {
        let name = case.name();
        match outcome {
            Outcome::Passed => {
                passed += 1;
                out.push_str(&format!(
                    "{}{name}\n",
                    words::verdict(Verdict::Passed, lang)
                ));
            }
            Outcome::Accepted => {
                passed += 1;
                out.push_str(&format!(
                    "{}{name}  → {}\n",
                    words::verdict(Verdict::Accepted, lang),
                    jixiao::source::display_path(&case.snapshot)
                ));
            }
            Outcome::New => {
                failed += 1;
                new += 1;
                out.push_str(&format!(
                    "{}{name}{}\n",
                    words::verdict(Verdict::New, lang),
                    words::new_case(lang)
                ));
            }
            Outcome::Failed(problems) => {
                failed += 1;
                out.push_str(&format!(
                    "{}{name}\n",
                    words::verdict(Verdict::Failed, lang)
                ));
                for p in problems {
                    match p {
                        Problem::Expectation { .. } | Problem::NotAccepted { .. } => {
                            out.push_str(&format!(
                                "  {}\n",
                                words::problem(p, lang).unwrap_or_default()
                            ));
                        }
                        Problem::Error(rendered) => out.push_str(&indent(rendered)),
                        Problem::TraceChanged(diff) => out.push_str(&indent(&paint(diff, colour))),
                    }
                }
            }
        }
    }
    out.push_str(&words::counts(passed, failed, new, lang));
    if coverage {
        for (rules, gaps) in &run.gaps {
            let rules = jixiao::source::display_path(rules);
            out.push_str(&words::coverage(&rules, gaps.len(), lang));
            for gap in gaps {
                out.push_str(&format!(
                    "  {}  {}\n",
                    gap.location,
                    jixiao::report::gap_words(gap, lang)
                ));
            }
        }
    }
    let printed = super::to_stdout(&out);
    if let Some(path) = junit {
        let xml = testing::junit(&cases, &outcomes, lang);
        if let Err(e) = jixiao::files::write(path, &xml) {
            return super::fail(&super::write_failure(e), look);
        }
    }
    if let Err(failure) = printed {
        return super::fail(&failure, look);
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A case-file error drawn like every other diagnostic.
pub(super) fn render(e: &testing::CaseFileError, look: Look) -> String {
    jixiao::diagnostics::render_alone(e, look)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// Removed lines red, added lines green, as terminals show diffs.
fn paint(diff: &str, colour: bool) -> String {
    if !colour {
        return diff.to_string();
    }
    diff.lines()
        .map(|l| {
            let code = if l.starts_with("+++") || l.starts_with("---") {
                "1"
            } else if l.starts_with('+') {
                "32"
            } else if l.starts_with('-') {
                "31"
            } else if l.starts_with("@@") {
                "36"
            } else {
                return format!("{l}\n");
            };
            format!("\x1b[{code}m{l}\x1b[0m\n")
        })
        .collect()
}
