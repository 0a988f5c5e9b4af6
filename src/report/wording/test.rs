//! What `jixiao test` says, in Chinese and English: how each case went, what a failed case
//! found, the count at the end, and the coverage of each rule file.

use super::Lang;
use crate::number::exact;
use crate::source::display_path;
use crate::testing::{Expect, Problem};

/// How a case went, as the first column of its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Accepted,
    New,
    Failed,
}

/// The word of a verdict, padded so that the names after it line up.
pub fn verdict(v: Verdict, lang: Lang) -> String {
    let word = match (v, lang) {
        (Verdict::Passed, Lang::Zh) => "通过",
        (Verdict::Accepted, Lang::Zh) => "已接受",
        (Verdict::New, Lang::Zh) => "新用例",
        (Verdict::Failed, Lang::Zh) => "失败",
        (Verdict::Passed, Lang::En) => "ok",
        (Verdict::Accepted, Lang::En) => "accepted",
        (Verdict::New, Lang::En) => "new",
        (Verdict::Failed, Lang::En) => "FAILED",
    };
    crate::report::width::pad_right(word, 10)
}

/// After a new case's name: what to do with it.
pub fn new_case(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "（没有存放的计算过程，也没有 expect：请检查它，再运行 `jixiao test --accept`）"
        }
        Lang::En => " (no stored trace and no expect: review it and run `jixiao test --accept`)",
    }
}

/// What a failed case found, in one line; `None` for problems shown as they are (a diff, the
/// diagnostics of a case that could not be scored).
pub fn problem(p: &Problem, lang: Lang) -> Option<String> {
    match p {
        Problem::Expectation {
            expected,
            total,
            rating,
        } => Some(expectation(expected, *total, rating, lang)),
        Problem::NotAccepted { snapshot } => Some(match lang {
            Lang::Zh => format!(
                "未接受：{} 保持原样，因为预期不成立；请修改规则或 `expect`，再接受",
                display_path(snapshot)
            ),
            Lang::En => format!(
                "not accepted: {} was left as it was, because the expectation fails; fix the rules or the `expect`, then accept again",
                display_path(snapshot)
            ),
        }),
        Problem::TraceChanged(_) | Problem::Error(_) => None,
    }
}

fn expectation(
    expected: &Expect,
    total: rust_decimal::Decimal,
    rating: &str,
    lang: Lang,
) -> String {
    let (want, got) = (exact(expected.total), exact(total));
    match lang {
        Lang::Zh => format!("预期 {want} {}，实际 {got} {rating}", expected.rating),
        Lang::En => format!("expected {want} {}, got {got} {rating}", expected.rating),
    }
}

/// The one-line summary of a failed case, for a JUnit report.
pub fn failure(p: &Problem, lang: Lang) -> String {
    problem(p, lang).unwrap_or_else(|| {
        match (p, lang) {
            (Problem::TraceChanged(_), Lang::Zh) => "计算过程有变化",
            (Problem::TraceChanged(_), Lang::En) => "the trace changed",
            (Problem::Error(_), Lang::Zh) => "这个用例无法计分",
            (Problem::Error(_), Lang::En) => "the case could not be scored",
            (Problem::Expectation { .. } | Problem::NotAccepted { .. }, _) => "",
        }
        .to_string()
    })
}

/// The count at the end of a run.
pub fn counts(passed: usize, failed: usize, new: usize, lang: Lang) -> String {
    let mut out = match lang {
        Lang::Zh => format!("\n通过 {passed} 个，失败 {failed} 个\n"),
        Lang::En => format!("\n{passed} passed, {failed} failed\n"),
    };
    if new > 0 {
        out.push_str(&match lang {
            Lang::Zh => format!("失败的用例中有 {new} 个是没有存放计算过程的新用例\n"),
            Lang::En => format!("{new} of the failed are new cases without a stored trace\n"),
        });
    }
    out
}

/// The heading of a rule file's coverage.
pub fn coverage(rules: &str, unreached: usize, lang: Lang) -> String {
    match (unreached, lang) {
        (0, Lang::Zh) => format!("\n{rules} 的覆盖：每个分支、满分为止和扣完为止都有用例达到\n"),
        (0, Lang::En) => {
            format!("\ncoverage of {rules}: every branch, cap and floor is reached by some case\n")
        }
        (n, Lang::Zh) => format!("\n{rules} 的覆盖：有 {n} 处没有任何用例达到\n"),
        (n, Lang::En) => format!("\ncoverage of {rules}: {n} never reached by any case\n"),
    }
}

/// When no case is found.
pub fn no_cases(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "错误：没有找到测试用例（文件夹中需要有 jixiao.toml 或 case.toml；见 docs/ci.md）\n"
        }
        Lang::En => {
            "error: no test cases found (a folder needs a jixiao.toml or a case.toml; see docs/ci.md)\n"
        }
    }
}
