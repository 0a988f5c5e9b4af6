//! JUnit XML for CI systems that show test results (GitHub, GitLab, Jenkins): one test case per
//! department, its class the rule file, a failure with the diff or the diagnostics.

use std::fmt::Write as _;

use crate::report::Lang;
use crate::report::wording::test as words;

use super::{Case, Outcome, Problem};
use crate::escape::markup as escape;
use crate::source::display_path;

pub fn junit(cases: &[Case], outcomes: &[Outcome], lang: Lang) -> String {
    let failures = outcomes
        .iter()
        .filter(|o| !matches!(o, Outcome::Passed | Outcome::Accepted))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"jixiao\" tests=\"{}\" failures=\"{failures}\">",
        cases.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"jixiao test\" tests=\"{}\" failures=\"{failures}\">",
        cases.len()
    );
    for (case, outcome) in cases.iter().zip(outcomes) {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\"",
            escape(&case.name()),
            escape(&display_path(&case.rules))
        );
        match outcome {
            Outcome::Passed | Outcome::Accepted => out.push_str("/>\n"),
            Outcome::New => {
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\"/>\n    </testcase>",
                    escape(words::new_case(lang).trim())
                );
            }
            Outcome::Failed(problems) => {
                let message = problems
                    .iter()
                    .map(|p| match p {
                        Problem::TraceChanged(_)
                        | Problem::Expectation { .. }
                        | Problem::NotAccepted { .. }
                        | Problem::Error(_) => words::failure(p, lang),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let body: String = problems
                    .iter()
                    .map(|p| match p {
                        Problem::TraceChanged(d) | Problem::Error(d) => d.clone(),
                        Problem::Expectation { .. } | Problem::NotAccepted { .. } => {
                            format!("{}\n", words::failure(p, lang))
                        }
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    escape(&message),
                    escape(&body)
                );
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
