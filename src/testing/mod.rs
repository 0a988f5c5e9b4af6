//! `jixiao test`: the auditors' regression tests. A case is a rule file, a department's data
//! and what is expected of it: the stored text trace beside the data (`<data>.trace.txt`), a
//! total and rating (`expect = "99.98 优"`), or both. Running a case scores it and compares.
//! See docs/ci.md for how cases are laid out.

mod discover;
mod junit;

pub use discover::{CaseFileError, clashes, discover};
pub use junit::junit;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rust_decimal::Decimal;

use crate::check::Checked;
use crate::diagnostics::Look;
use crate::eval::{Coverage, Gap};
use crate::files::Role;
use crate::pipeline::{self, Failure};
use crate::source::display_path;

/// One test case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub rules: PathBuf,
    pub data: PathBuf,
    /// Where the expected trace is stored: beside the data, `<data file stem>.trace.txt`, or
    /// in the folder `traces = "…"` names.
    pub snapshot: PathBuf,
    pub expect: Option<Expect>,
    /// The `case.toml` or `jixiao.toml` the case comes from.
    pub case_file: PathBuf,
    /// Whether other cases score the same data with other rules, so that the data file alone
    /// does not name the case.
    pub shared_data: bool,
}

impl Case {
    /// How the case is named in reports: its data file, and its rule file when other cases
    /// score the same data (`departments/x.toml with rules/a.jx`).
    pub fn name(&self) -> String {
        if self.shared_data {
            format!(
                "{} with {}",
                display_path(&self.data),
                display_path(&self.rules)
            )
        } else {
            display_path(&self.data)
        }
    }
}

/// `expect = "99.98 优"`: the total and the rating a case must have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expect {
    pub total: Decimal,
    pub rating: String,
}

impl Expect {
    pub fn parse(text: &str) -> Option<Expect> {
        let mut words = text.split_whitespace();
        let total = Decimal::from_str_exact(words.next()?).ok()?;
        let rating = words.next()?.to_string();
        words.next().is_none().then_some(Expect { total, rating })
    }
}

/// What running a case found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// The trace, total or rating differs, or the case could not be scored.
    Failed(Vec<Problem>),
    /// No stored trace and no `expect`: nothing to compare with yet.
    New,
    /// `--accept` wrote the trace (new or changed).
    Accepted,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The stored trace and the new one, as a unified line diff.
    TraceChanged(String),
    /// The total and rating differ from the case's `expect`.
    Expectation {
        expected: Expect,
        total: Decimal,
        rating: String,
    },
    /// `--accept` left the stored trace (`snapshot`) as it was: the expectation fails.
    NotAccepted { snapshot: PathBuf },
    /// The rules or data failed; the rendered diagnostics.
    Error(String),
}

/// The outcome of every case, and for each rule file what no case reached.
pub struct Run {
    pub outcomes: Vec<Outcome>,
    /// Per rule file (in path order), the branches, caps and floors no department reached.
    pub gaps: Vec<(PathBuf, Vec<Gap>)>,
    /// Every file the rule files import, so that no output is written over one.
    pub imports: Vec<PathBuf>,
}

impl Case {
    /// The files running the case reads, each with what it is to the run.
    pub fn inputs(&self) -> [crate::files::Input<'_>; 4] {
        [
            (&self.rules, Role::ARuleFile),
            (&self.data, Role::DepartmentData),
            (&self.snapshot, Role::StoredTrace),
            (&self.case_file, Role::CaseFile),
        ]
    }
}

/// Every rule file of a run, checked once however many departments use it, before any case
/// runs: what they import is then known before anything is written.
pub struct Rules {
    checked: BTreeMap<PathBuf, (Result<Checked, String>, Coverage)>,
}

impl Rules {
    /// Checks the rule file of every case (a failure is kept, rendered, for its cases).
    pub fn check(cases: &[Case], look: Look) -> Rules {
        let mut checked = BTreeMap::new();
        for case in cases {
            checked.entry(case.rules.clone()).or_insert_with(|| {
                let result = pipeline::read(&case.rules)
                    .and_then(|source| pipeline::check_rules(&source))
                    .map_err(|f| f.render(look));
                (result, Coverage::default())
            });
        }
        Rules { checked }
    }

    /// Every file the rule files import, so that no output is written over one.
    pub fn imports(&self) -> Vec<PathBuf> {
        self.checked
            .values()
            .filter_map(|(checked, _)| checked.as_ref().ok())
            .flat_map(|c| c.rulebook.source.imports().filter_map(|f| f.path()))
            .map(std::path::Path::to_path_buf)
            .collect()
    }
}

/// Runs every case against its checked rule file. With `accept`, new and changed traces are
/// written instead of failing, but never over a file the run reads.
pub fn run_all(cases: &[Case], mut rules: Rules, accept: bool, look: Look) -> Run {
    let imports = rules.imports();
    let read: Vec<crate::files::Input<'_>> = cases
        .iter()
        .flat_map(|c| {
            [
                (c.rules.as_path(), Role::ARuleFile),
                (c.data.as_path(), Role::DepartmentData),
                (c.case_file.as_path(), Role::CaseFile),
            ]
        })
        .chain(imports.iter().map(|p| (p.as_path(), Role::Import)))
        .collect();
    let outcomes = cases
        .iter()
        .map(|case| match rules.checked.get_mut(&case.rules) {
            Some((Ok(checked), coverage)) => run(case, checked, coverage, accept, &read, look),
            Some((Err(rendered), _)) => Outcome::Failed(vec![Problem::Error(rendered.clone())]),
            // Not reached: every case's rule file was checked.
            None => Outcome::Failed(vec![Problem::Error(format!(
                "{} was not checked\n",
                display_path(&case.rules)
            ))]),
        })
        .collect();
    let gaps = rules
        .checked
        .into_iter()
        .filter_map(|(path, (checked, coverage))| {
            checked.ok().map(|c| (path, coverage.gaps(&c.rulebook)))
        })
        .collect();
    Run {
        outcomes,
        gaps,
        imports,
    }
}

fn run(
    case: &Case,
    checked: &Checked,
    coverage: &mut Coverage,
    accept: bool,
    read: &[crate::files::Input<'_>],
    look: Look,
) -> Outcome {
    let scored = (|| -> Result<_, Failure> {
        let dept = pipeline::load_department(&checked.rulebook, &case.data)?;
        crate::eval::evaluate_with(&checked.rulebook, &dept, Some(coverage))
            .map_err(|e| Failure::Eval(checked.rulebook.source.clone(), Box::new(e)))
    })();
    let trace = match scored {
        Ok(trace) => trace,
        Err(failure) => return Outcome::Failed(vec![Problem::Error(failure.render(look))]),
    };
    let mut problems = Vec::new();
    if let Some(expect) = &case.expect
        && (expect.total != trace.total.0 || expect.rating != trace.rating)
    {
        problems.push(Problem::Expectation {
            expected: expect.clone(),
            total: trace.total.0,
            rating: trace.rating.to_string(),
        });
    }
    let now = crate::report::render_snapshot(&trace);
    // A stored trace that cannot be read (not there, not a file, too large) is none: the
    // comparison fails, or `--accept` replaces it.
    let stored = crate::source::SourceFile::read(&case.snapshot)
        .ok()
        .map(|s| s.text().to_string());
    match (&stored, accept) {
        (Some(stored), _) if *stored == now => {}
        (_, true) if problems.is_empty() => {
            // Discovery refused stored traces that are rule files, data or case files; a file
            // the rules import is known only now. The folder of `traces = "…"` is made if needed.
            let written = crate::files::refuse_inputs(&case.snapshot, read, "traces = \"traces\"")
                .and_then(|()| crate::files::create_parent(&case.snapshot))
                .and_then(|()| crate::files::write(&case.snapshot, &now));
            return match written {
                Ok(()) => Outcome::Accepted,
                Err(e) => Outcome::Failed(vec![Problem::Error(
                    Failure::Write(Box::new(e)).render(look),
                )]),
            };
        }
        // A trace that breaks the case's own expectation is not stored: `expect` is a decision
        // someone made, and `--accept` must not quietly record a result that contradicts it.
        (_, true) => {
            problems.push(Problem::NotAccepted {
                snapshot: case.snapshot.clone(),
            });
            if let Some(stored) = &stored {
                problems.push(Problem::TraceChanged(diff(stored, &now)));
            }
        }
        (Some(stored), false) => problems.push(Problem::TraceChanged(diff(stored, &now))),
        (None, false) if case.expect.is_none() => return Outcome::New,
        (None, false) => {}
    }
    if problems.is_empty() {
        Outcome::Passed
    } else {
        Outcome::Failed(problems)
    }
}

/// A unified diff of the stored trace and the new one, two lines of context.
pub fn diff(stored: &str, now: &str) -> String {
    similar::TextDiff::from_lines(stored, now)
        .unified_diff()
        .context_radius(2)
        .header("stored", "now")
        .to_string()
}
