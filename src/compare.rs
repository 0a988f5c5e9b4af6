//! Comparing one department's traces under two versions of a rule file (`jixiao diff`): the
//! totals and ratings, and every indicator whose score or steps changed, matched by its path of
//! names. The printers are in `report::diff`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::trace::{Dec, Node, Step, Trace};

/// The whole comparison: every department under the old and the new rules.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub old_rules: String,
    pub new_rules: String,
    pub departments: Vec<Department>,
}

impl Comparison {
    /// How many departments either version could not score.
    pub fn failed(&self) -> usize {
        self.departments.iter().filter(|d| d.failed()).count()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Department {
    /// The data file.
    pub data: String,
    pub name: Option<String>,
    pub old: Outcome,
    pub new: Outcome,
    /// Indicators whose score or steps changed, in tree order.
    pub changes: Vec<Change>,
}

/// A department's result under one version of the rules.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Scored {
        total: Dec,
        rating: String,
    },
    /// The rules could not score this data (for example, it lacks a new input, or it divides
    /// by zero): an error, never a change.
    Failed {
        /// The code of the first diagnostic (`jixiao::eval::division_by_zero`).
        code: String,
        /// Every diagnostic, rendered.
        error: String,
    },
}

/// Why one version of the rules could not score a department.
#[derive(Clone, Debug)]
pub struct Failed {
    pub code: String,
    pub error: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// Names from the top-level indicator down.
    pub path: Vec<String>,
    /// The score before and after; absent where the indicator does not exist.
    pub old: Option<Dec>,
    pub new: Option<Dec>,
    /// Lines only the old trace has, and only the new one has, compared as typed facts.
    pub removed: Vec<Line>,
    pub added: Vec<Line>,
}

/// A line of an indicator's explanation, as a comparison matches them: its 评分标准, or one of
/// its steps. The printers put them into words.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Line {
    Basis { basis: String },
    Step(Box<Step>),
}

impl Department {
    pub fn total_change(&self) -> Option<rust_decimal::Decimal> {
        match (&self.old, &self.new) {
            (Outcome::Scored { total: a, .. }, Outcome::Scored { total: b, .. }) => Some(b.0 - a.0),
            _ => None,
        }
    }

    pub fn rating_changed(&self) -> bool {
        match (&self.old, &self.new) {
            (Outcome::Scored { rating: a, .. }, Outcome::Scored { rating: b, .. }) => a != b,
            _ => false,
        }
    }

    /// Whether either version of the rules could not score the department. Such a department
    /// is an error, not a change: identical rules that both fail have not changed anything.
    pub fn failed(&self) -> bool {
        matches!(self.old, Outcome::Failed { .. }) || matches!(self.new, Outcome::Failed { .. })
    }

    /// Whether both versions scored it, and the total, the rating or a step differs.
    pub fn changed(&self) -> bool {
        !self.failed()
            && (self.total_change().is_some_and(|d| !d.is_zero())
                || self.rating_changed()
                || !self.changes.is_empty())
    }
}

/// One department's comparison from its two traces (or the errors that stopped them).
pub fn department(
    data: String,
    old: Result<&Trace, Failed>,
    new: Result<&Trace, Failed>,
) -> Department {
    let name = old
        .as_ref()
        .ok()
        .or(new.as_ref().ok())
        .and_then(|t| t.department.clone());
    let outcome = |t: &Result<&Trace, Failed>| match t {
        Ok(t) => Outcome::Scored {
            total: t.total,
            rating: t.rating.to_string(),
        },
        Err(e) => Outcome::Failed {
            code: e.code.clone(),
            error: e.error.clone(),
        },
    };
    let changes = match (&old, &new) {
        (Ok(a), Ok(b)) => changes(a, b),
        _ => Vec::new(),
    };
    Department {
        data,
        name,
        old: outcome(&old),
        new: outcome(&new),
        changes,
    }
}

type Flat = BTreeMap<Vec<String>, (usize, Dec, Vec<Line>)>;

fn changes(old: &Trace, new: &Trace) -> Vec<Change> {
    let (a, b) = (flatten(&old.indicators), flatten(&new.indicators));
    let mut paths: Vec<(usize, &Vec<String>)> = a.iter().map(|(p, (i, _, _))| (*i, p)).collect();
    // Indicators only the new rules have come after the old order, in their own order.
    let offset = a.len();
    paths.extend(
        b.iter()
            .filter(|(p, _)| !a.contains_key(*p))
            .map(|(p, (i, _, _))| (offset + i, p)),
    );
    paths.sort();
    let mut out = Vec::new();
    for (_, path) in paths {
        let (old, new) = (a.get(path), b.get(path));
        let (removed, added) = match (old, new) {
            (Some((_, _, x)), Some((_, _, y))) => line_changes(x, y),
            (Some((_, _, x)), None) => (x.clone(), Vec::new()),
            (None, Some((_, _, y))) => (Vec::new(), y.clone()),
            (None, None) => continue,
        };
        let (os, ns) = (old.map(|o| o.1), new.map(|n| n.1));
        if os == ns && removed.is_empty() && added.is_empty() {
            continue;
        }
        out.push(Change {
            path: path.clone(),
            old: os,
            new: ns,
            removed,
            added,
        });
    }
    out
}

/// Every indicator by its path of names: its order in the tree, its score and its lines.
fn flatten(nodes: &[Node]) -> Flat {
    fn walk(nodes: &[Node], prefix: &[String], out: &mut Flat) {
        for n in nodes {
            let mut path = prefix.to_vec();
            path.push(String::from(n.name.as_str()));
            let lines: Vec<Line> = n
                .basis()
                .into_iter()
                .map(|b| Line::Basis {
                    basis: b.to_string(),
                })
                .chain(n.steps.iter().map(|s| Line::Step(Box::new(s.clone()))))
                .collect();
            out.insert(path.clone(), (out.len(), n.score, lines));
            walk(&n.children, &path, out);
        }
    }
    let mut out = BTreeMap::new();
    walk(nodes, &[], &mut out);
    out
}

/// The lines only `old` has and only `new` has, in their order.
fn line_changes(old: &[Line], new: &[Line]) -> (Vec<Line>, Vec<Line>) {
    let mut capture = similar::algorithms::Capture::new();
    // Capture never fails.
    let _ = similar::algorithms::myers::diff(&mut capture, old, 0..old.len(), new, 0..new.len());
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for op in capture.ops() {
        for change in op.iter_changes(old, new) {
            match change.tag() {
                similar::ChangeTag::Delete => removed.push(change.value()),
                similar::ChangeTag::Insert => added.push(change.value()),
                similar::ChangeTag::Equal => {}
            }
        }
    }
    (removed, added)
}
