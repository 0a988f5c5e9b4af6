//! The trace: the data model of one explained score run, produced by `eval` and read by every
//! printer in `report`. It is ordered data (vectors in tree order, no hash maps, no timings,
//! no absolute paths), so the same rules and data give the same trace on any machine.
//! Decimals serialise as strings; [`SCHEMA`] versions the JSON form (see docs/trace-json.md).

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::data::target::TargetOp;
use crate::model::{BandOp, Policy, RoundMode, Rounding};

/// The version of the JSON trace format. Bump it when a field changes meaning or goes away.
pub const SCHEMA: &str = "jixiao.trace/1";

/// A decimal in the trace: exact, serialised as a string without trailing zeros.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dec(pub Decimal);

impl Serialize for Dec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::number::exact(self.0))
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Trace {
    pub schema: &'static str,
    pub engine: Engine,
    pub title: String,
    pub department: Option<String>,
    pub year: Option<String>,
    pub rules: FileRef,
    /// The files the rule file imports (directly or through others), in the order read.
    pub imports: Vec<FileRef>,
    pub data: FileRef,
    pub rounding: Rounding,
    pub indicators: Vec<Node>,
    /// The total points of the table (usually 100).
    pub points: Dec,
    /// The total score, after any rounding of the total.
    pub total: Dec,
    pub deduction: Dec,
    /// The conversion back to the full scale, when indicators were excluded.
    pub rescale: Option<Rescale>,
    /// The rounding of the total, when the rule file rounds only the total (or after a
    /// conversion back to the full scale).
    pub total_rounding: Option<Step>,
    /// The rating label (优, 良 …).
    pub rating: String,
    /// The band that decided the rating.
    pub rating_band: RatingBand,
    /// 扣分最多的指标: every leaf that lost points, the largest loss first (ties in tree order).
    pub losses: Vec<Loss>,
}

/// Where points were lost: one leaf, named by its path from the top.
#[derive(Clone, Debug, Serialize)]
pub struct Loss {
    pub path: Vec<String>,
    pub points: Dec,
    pub score: Dec,
    pub deduction: Dec,
}

/// The leaves that lost points, largest loss first, ties in tree order.
pub fn losses(indicators: &[Node]) -> Vec<Loss> {
    fn walk(nodes: &[Node], prefix: &[String], out: &mut Vec<Loss>) {
        for n in nodes {
            let mut path = prefix.to_vec();
            path.push(n.name.clone());
            if n.children.is_empty() {
                if n.deduction.0 > rust_decimal::Decimal::ZERO {
                    out.push(Loss {
                        path,
                        points: n.points,
                        score: n.score,
                        deduction: n.deduction,
                    });
                }
            } else {
                walk(&n.children, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(indicators, &[], &mut out);
    // A stable sort keeps tree order among equal losses.
    out.sort_by_key(|l| std::cmp::Reverse(l.deduction));
    out
}

#[derive(Clone, Debug, Serialize)]
pub struct Engine {
    pub name: &'static str,
    pub version: &'static str,
}

impl Engine {
    pub fn this() -> Self {
        Engine {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// A file the trace was computed from: its path as given (relative) and the SHA-256 of its bytes.
#[derive(Clone, Debug, Serialize)]
pub struct FileRef {
    pub path: String,
    pub sha256: String,
}

impl FileRef {
    pub fn of(file: &crate::source::SourceFile) -> Self {
        FileRef {
            path: file.name().to_string(),
            sha256: file.sha256().to_string(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct RatingBand {
    pub label: String,
    /// `>=` or `>`; absent for the last band, which takes every lower total.
    pub op: Option<BandOp>,
    pub bound: Option<Dec>,
}

/// One indicator, in tree order.
#[derive(Clone, Debug, Serialize)]
pub struct Node {
    pub name: String,
    pub points: Dec,
    pub score: Dec,
    /// 扣分: points − score.
    pub deduction: Dec,
    /// Where the rule stands (`file:line`); for a target record, where the record stands in the data.
    pub location: String,
    /// The 评分标准 as the rule file quotes it.
    pub basis: Option<String>,
    pub steps: Vec<Step>,
    pub children: Vec<Node>,
}

/// One step of a leaf's computation, in the order it happened.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// An input read from the data, as the data file writes it.
    Input { name: String, value: String },
    /// A `let`: its formula, the formula with the numbers in, and the value.
    Let {
        name: String,
        formula: String,
        substituted: String,
        value: Dec,
        /// The value before it was rounded (`round … each value`), when rounding changed it.
        unrounded: Option<Dec>,
    },
    /// The score formula, before its cap, floor and rounding.
    Score {
        formula: String,
        substituted: String,
        value: Dec,
    },
    /// The value of a tiers rule and the tier it falls in, with that tier's score.
    Tier {
        formula: String,
        substituted: String,
        value: Dec,
        /// The tier as the rule file writes it: `80%(含)-90%`.
        tier: String,
        /// The tier's score: its formula, with the numbers in, and its value.
        score_formula: String,
        score_substituted: String,
        score: Dec,
    },
    /// One deduction from full points with its reason (a finding's 描述, how far a value passed
    /// its standard, or the condition that held); 0 when the rule took nothing, and why.
    Deduction { reason: String, amount: Dec },
    /// The value of a category rule, the arm it matched (`else` for the others) and its points.
    Category {
        formula: String,
        value: String,
        matched: String,
        score: Dec,
    },
    /// A checklist item: its condition, whether it held, and the points it earned.
    Check {
        item: String,
        holds: bool,
        points: Dec,
    },
    /// A veto that held: the indicator scores 0, for this reason.
    Veto {
        condition: String,
        reason: Option<String>,
    },
    /// How the points are shared among target records.
    Share {
        points: Dec,
        records: usize,
        split: Split,
        /// The share of the last records; the first `larger` records get one rounding unit more.
        share: Dec,
        larger: usize,
        unit: Dec,
    },
    /// A target record compared with its target.
    Target {
        /// The record's 名称 where no node carries it (a count ratio lists its targets as steps).
        name: Option<String>,
        op: TargetOp,
        target: String,
        actual: String,
        met: bool,
        reason: Option<String>,
        /// Met, but exceeded by more than a count ratio's overshoot band: counted as not met.
        overshot: bool,
    },
    /// The indicator does not apply (`not applicable if …` held): the condition, the policy
    /// (none among alternatives) and its points. Siblings that redistribute to the same
    /// indicators share their points out together: the first of them lists the others in
    /// `with` and, in `to`, what each receiver got of the whole; each other one names that first
    /// one in `with` and has no `to`.
    NotApplicable {
        condition: String,
        policy: Option<Policy>,
        points: Dec,
        to: Vec<Transfer>,
        with: Vec<String>,
    },
    /// An alternative of a `one of` group that was not scored, because `chosen` was.
    NotChosen { chosen: String },
    /// The points the indicator is scored out of changed from its declared points.
    Reweight { from: Dec, to: Dec, cause: Reweight },
    /// A leaf whose points changed, scored as declared and converted: score × points ÷ declared.
    Scale {
        score: Dec,
        declared: Dec,
        points: Dec,
        value: Dec,
    },
    /// 满分为止: the score was above the points.
    Cap { from: Dec, to: Dec },
    /// 扣完为止: the score was below 0.
    Floor { from: Dec, to: Dec },
    /// A rounding that changed the value.
    Round {
        mode: RoundMode,
        digits: u32,
        from: Dec,
        to: Dec,
    },
}

/// Points passed from an indicator that does not apply to a sibling.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Transfer {
    pub name: String,
    pub points: Dec,
}

/// Why an indicator's points changed.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reweight {
    /// It received a share of the points of siblings that do not apply: `from` names the
    /// first of each group of siblings that gave together, `givers` counts them all.
    Redistributed { from: Vec<String>, givers: usize },
    /// Its parent's points changed, and it keeps its proportion of them.
    Scaled { parent: String },
}

/// The total converted back to the full scale when indicators were excluded:
/// sum ÷ counted × points.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Rescale {
    /// The points of the indicators that count.
    pub counted: Dec,
    /// Their scores added up.
    pub sum: Dec,
    pub value: Dec,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    Equally,
    ByPoints,
}

impl Trace {
    /// Applies `f` to every piece of text the trace carries from the rule and data files (names,
    /// bases, formulas, reasons, values as written), so that a printer for a terminal can make
    /// them safe in one pass. Every field is named: a new text field is a compile error here.
    pub fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        let g = |s: &mut String| *s = f(s);
        let go = |s: &mut Option<String>| {
            if let Some(s) = s {
                *s = f(s);
            }
        };
        g(&mut self.title);
        go(&mut self.department);
        go(&mut self.year);
        g(&mut self.rating);
        g(&mut self.rating_band.label);
        for loss in &mut self.losses {
            loss.path.iter_mut().for_each(g);
        }
        if let Some(step) = &mut self.total_rounding {
            step.map_text(f);
        }
        for node in &mut self.indicators {
            node.map_text(f);
        }
    }
}

impl Node {
    fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        self.name = f(&self.name);
        if let Some(b) = &mut self.basis {
            *b = f(b);
        }
        for step in &mut self.steps {
            step.map_text(f);
        }
        for child in &mut self.children {
            child.map_text(f);
        }
    }
}

impl Step {
    fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        let g = |s: &mut String| *s = f(s);
        let go = |s: &mut Option<String>| {
            if let Some(s) = s {
                *s = f(s);
            }
        };
        match self {
            Step::Input { name, value } => {
                g(name);
                g(value);
            }
            Step::Let {
                name,
                formula,
                substituted,
                value: _,
                unrounded: _,
            } => {
                g(name);
                g(formula);
                g(substituted);
            }
            Step::Score {
                formula,
                substituted,
                value: _,
            } => {
                g(formula);
                g(substituted);
            }
            Step::Tier {
                formula,
                substituted,
                value: _,
                tier,
                score_formula,
                score_substituted,
                score: _,
            } => {
                g(formula);
                g(substituted);
                g(tier);
                g(score_formula);
                g(score_substituted);
            }
            Step::Deduction { reason, amount: _ } => g(reason),
            Step::Category {
                formula,
                value,
                matched,
                score: _,
            } => {
                g(formula);
                g(value);
                g(matched);
            }
            Step::Check {
                item,
                holds: _,
                points: _,
            } => g(item),
            Step::Veto { condition, reason } => {
                g(condition);
                go(reason);
            }
            Step::Share { .. } => {}
            Step::Target {
                name,
                op: _,
                target,
                actual,
                met: _,
                reason,
                overshot: _,
            } => {
                go(name);
                g(target);
                g(actual);
                go(reason);
            }
            Step::NotApplicable {
                condition,
                policy: _,
                points: _,
                to,
                with,
            } => {
                g(condition);
                to.iter_mut().for_each(|t| g(&mut t.name));
                with.iter_mut().for_each(g);
            }
            Step::NotChosen { chosen } => g(chosen),
            Step::Reweight {
                from: _,
                to: _,
                cause,
            } => match cause {
                Reweight::Redistributed { from, givers: _ } => from.iter_mut().for_each(g),
                Reweight::Scaled { parent } => g(parent),
            },
            Step::Scale { .. } | Step::Cap { .. } | Step::Floor { .. } | Step::Round { .. } => {}
        }
    }
}

impl Trace {
    /// Every leaf, depth first.
    pub fn leaves(&self) -> Vec<&Node> {
        fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
            for n in nodes {
                if n.children.is_empty() {
                    out.push(n);
                } else {
                    walk(&n.children, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.indicators, &mut out);
        out
    }
}
