//! The trace: the data model of one explained score run, produced by `eval` and read by every
//! printer in `report`. It is ordered data (vectors in tree order, no hash maps, no timings,
//! no absolute paths), so the same rules and data give the same trace on any machine.
//! Decimals serialise as strings; [`SCHEMA`] versions the JSON form (see docs/trace-json.md).

use std::sync::Arc;

use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::data::target::TargetOp;
use crate::model::{BandOp, BinaryOp, Counting, Func, Policy, RoundMode, Rounding, UnaryOp, Unit};

/// The version of the JSON trace format. Bump it when a field changes meaning or goes away.
pub const SCHEMA: &str = "jixiao.trace/2";

/// A decimal in the trace: exact, serialised as a string without trailing zeros.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dec(pub Decimal);

impl Serialize for Dec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::number::exact(self.0))
    }
}

/// (Serialised by hand, below: each node's location names its file by an id, written out as
/// the file's path.)
#[derive(Clone, Debug)]
#[non_exhaustive]
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
    /// (Held inline, as a label of a few characters is: not allocated for each department.)
    pub rating: CompactString,
    /// The band that decided the rating.
    pub rating_band: RatingBand,
    /// 扣分最多的指标: every leaf that lost points, the largest loss first (ties in tree order).
    pub losses: Vec<Loss>,
    /// The self-reported total (自评总分), when the data gives one.
    pub reported: Option<Dec>,
    /// 复核: every row whose self-reported score differs from the computed one (the totals are
    /// compared through `reported` and `total`).
    pub differences: Vec<Difference>,
    /// The form's other header and funds cells, as written (主管部门, 年初预算数 …).
    pub details: Vec<Column>,
}

impl Trace {
    /// The path, as given, of the file `id` names (empty for an import the trace does not list,
    /// which no evaluation makes).
    pub fn file_name(&self, id: FileId) -> &str {
        match id {
            FileId::Rules => &self.rules.path,
            FileId::Import(i) => self.imports.get(i).map_or("", |f| &f.path),
            FileId::Data => &self.data.path,
        }
    }
}

/// The JSON form of a trace (docs/trace-json.md): its fields in order, each node's location
/// with its file's path. Every field is named in the pattern: a new field is a compile error
/// here until it is written out.
impl Serialize for Trace {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Trace {
            schema,
            engine,
            title,
            department,
            year,
            rules,
            imports,
            data,
            rounding,
            indicators,
            points,
            total,
            deduction,
            rescale,
            total_rounding,
            rating,
            rating_band,
            losses,
            reported,
            differences,
            details,
        } = self;
        #[derive(Serialize)]
        struct Json<'a> {
            schema: &'a str,
            engine: &'a Engine,
            title: &'a String,
            department: &'a Option<String>,
            year: &'a Option<String>,
            rules: &'a FileRef,
            imports: &'a Vec<FileRef>,
            data: &'a FileRef,
            rounding: &'a Rounding,
            indicators: Nodes<'a>,
            points: &'a Dec,
            total: &'a Dec,
            deduction: &'a Dec,
            rescale: &'a Option<Rescale>,
            total_rounding: &'a Option<Step>,
            rating: &'a CompactString,
            rating_band: &'a RatingBand,
            losses: &'a Vec<Loss>,
            reported: &'a Option<Dec>,
            differences: &'a Vec<Difference>,
            #[serde(skip_serializing_if = "no_columns")]
            details: &'a Vec<Column>,
        }
        Json {
            schema,
            engine,
            title,
            department,
            year,
            rules,
            imports,
            data,
            rounding,
            indicators: Nodes(indicators, self),
            points,
            total,
            deduction,
            rescale,
            total_rounding,
            rating,
            rating_band,
            losses,
            reported,
            differences,
            details,
        }
        .serialize(s)
    }
}

fn no_columns(columns: &&Vec<Column>) -> bool {
    columns.is_empty()
}

/// Nodes with the trace that names their files.
struct Nodes<'a>(&'a [Node], &'a Trace);

impl Serialize for Nodes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|n| NodeJson(n, self.1)))
    }
}

/// A node as its JSON form writes it.
struct NodeJson<'a>(&'a Node, &'a Trace);

impl Serialize for NodeJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let NodeJson(node, trace) = *self;
        let Node {
            name,
            points,
            score,
            deduction,
            location,
            rare,
            steps,
            children,
        } = node;
        let Rare {
            basis,
            level,
            reported,
            columns,
        } = rare.as_deref().unwrap_or(&NO_RARE);
        #[derive(Serialize)]
        struct Json<'a> {
            name: &'a CompactString,
            points: &'a Dec,
            score: &'a Dec,
            deduction: &'a Dec,
            location: LocationJson<'a>,
            basis: &'a Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            level: &'a Option<u8>,
            #[serde(skip_serializing_if = "Option::is_none")]
            reported: &'a Option<Dec>,
            #[serde(skip_serializing_if = "no_columns")]
            columns: &'a Vec<Column>,
            steps: &'a Steps,
            children: Nodes<'a>,
        }
        #[derive(Serialize)]
        struct LocationJson<'a> {
            file: &'a str,
            line: usize,
            #[serde(skip_serializing_if = "Option::is_none")]
            cell: &'a Option<String>,
        }
        Json {
            name,
            points,
            score,
            deduction,
            location: LocationJson {
                file: trace.file_name(location.file),
                line: location.line,
                cell: &location.cell,
            },
            basis,
            level,
            reported,
            columns,
            steps,
            children: Nodes(children, trace),
        }
        .serialize(s)
    }
}

/// Where points were lost: one leaf, named by its path from the top.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Loss {
    /// Names as the nodes hold them (inline when short: no allocation for each).
    pub path: Vec<CompactString>,
    pub points: Dec,
    pub score: Dec,
    pub deduction: Dec,
}

/// The leaves that lost points, largest loss first, ties in tree order.
pub fn losses(indicators: &[Node]) -> Vec<Loss> {
    // The names above the node being looked at are borrowed: a path is copied only for a leaf
    // that lost points, not for every node walked.
    fn walk<'a>(nodes: &'a [Node], path: &mut Vec<&'a CompactString>, out: &mut Vec<Loss>) {
        for n in nodes {
            if n.children.is_empty() {
                // Above zero, asked without rust_decimal's comparison (a call for every leaf).
                if n.deduction.0.is_sign_positive() && !n.deduction.0.is_zero() {
                    let mut owned = Vec::with_capacity(path.len() + 1);
                    owned.extend(path.iter().map(|&p| p.clone()));
                    owned.push(n.name.clone());
                    out.push(Loss {
                        path: owned,
                        points: n.points,
                        score: n.score,
                        deduction: n.deduction,
                    });
                }
            } else {
                path.push(&n.name);
                walk(&n.children, path, out);
                path.pop();
            }
        }
    }
    // Not counted first to be made at its size: a department loses points on a few leaves, which
    // the list's first allocation (room for four) holds, and counting walked the whole tree once
    // more, every node of every target record (about 200 instructions of a department's 34,000
    // in the batch bench).
    let mut out = Vec::new();
    walk(indicators, &mut Vec::with_capacity(4), &mut out);
    rank(&mut out);
    out
}

/// Orders losses listed in tree order as [`Trace::losses`] lists them: the largest loss first;
/// a stable sort keeps tree order among equal losses.
pub(crate) fn rank(losses: &mut [Loss]) {
    losses.sort_by(|a, b| crate::number::cmp(b.deduction.0, a.deduction.0));
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
    /// Shared with the [`SourceFile`](crate::source::SourceFile) it names, as its digest is:
    /// a department's trace copies neither.
    #[serde(serialize_with = "shared_str")]
    pub path: Arc<str>,
    #[serde(serialize_with = "shared_str")]
    pub sha256: Arc<str>,
}

impl FileRef {
    pub fn of(file: &crate::source::SourceFile) -> Self {
        FileRef {
            path: file.name_shared().clone(),
            sha256: file.sha256_shared().clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct RatingBand {
    pub label: CompactString,
    /// `>=` or `>`; absent for the last band, which takes every lower total.
    pub op: Option<BandOp>,
    pub bound: Option<Dec>,
}

/// Where an indicator stands: the line of its rule in a rule file, or of its record in the
/// data for a target record. The JSON form names the file by its path as given (never made
/// absolute): `{"file": "rules.jx", "line": 12}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Which of the trace's files ([`Trace::file_name`]).
    pub file: FileId,
    pub line: usize,
    /// In a form read from a workbook or CSV: the cell (`绩效指标!E12`); the line is then the
    /// line of the form's cells as read.
    pub cell: Option<String>,
}

/// Which of the files a trace was computed from a location stands in. A node names its file so
/// rather than holding its name: a name shared with its
/// [`SourceFile`](crate::source::SourceFile) (an `Arc`) is counted up for each node recorded and
/// down again when the trace is dropped, two atomic operations a node, each of which waits for
/// every store before it (some 10% of the time of recording a department's trace).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileId {
    /// The rule file ([`Trace::rules`]).
    Rules,
    /// A file it imports: [`Trace::imports`]`[i]`.
    Import(usize),
    /// The data file ([`Trace::data`]).
    Data,
}

impl Location {
    /// Where `span` of a rule set's files stands.
    pub fn in_rules(files: &crate::source::SourceMap, span: crate::source::Span) -> Location {
        let (i, line, cell) = files.locate(span);
        Location {
            file: match i.checked_sub(1) {
                None => FileId::Rules,
                Some(import) => FileId::Import(import),
            },
            line,
            cell,
        }
    }

    /// Where `span` of the data file stands.
    pub fn in_data(file: &crate::source::SourceFile, span: crate::source::Span) -> Location {
        let (line, cell) = file.line_and_cell(span);
        Location {
            file: FileId::Data,
            line,
            cell,
        }
    }
}

/// A shared string as the string it holds.
fn shared_str<S: Serializer>(s: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(s)
}

/// One indicator, in tree order. (Serialised by hand, below, with its trace's file names.)
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Node {
    /// Held inline when short (most names are): no allocation for each record of a department.
    pub name: CompactString,
    pub points: Dec,
    pub score: Dec,
    /// 扣分: points − score.
    pub deduction: Dec,
    /// Where the rule stands; for a target record, where the record stands in the data.
    pub location: Location,
    /// What few nodes have (a basis, a level, a reported score, other columns), none for most:
    /// read through [`Node::basis`], [`Node::level`], [`Node::reported`] and [`Node::columns`].
    pub rare: Option<Box<Rare>>,
    pub steps: Steps,
    pub children: Vec<Node>,
}

/// The parts of a [`Node`] that a target record, most nodes of a trace, does not have: held
/// apart, behind one pointer, so that a node is written and dropped with one field for the
/// four rather than four (and is 64 bytes smaller).
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Rare {
    /// The 评分标准 as the rule file quotes it.
    pub basis: Option<String>,
    /// A group of target records under one of the form's levels — 1 for a 一级指标 (产出指标),
    /// 2 for a 二级指标 (数量指标) — rather than an indicator of the rules; its points and score
    /// are the subtotals of its records.
    pub level: Option<u8>,
    /// The score the department reported for it (自评得分), when the data gives one.
    pub reported: Option<Dec>,
    /// A target record's other columns of the form, as written (年初预算数, 备注 …).
    pub columns: Vec<Column>,
}

/// The rare parts of a node that has none.
static NO_RARE: Rare = Rare {
    basis: None,
    level: None,
    reported: None,
    columns: Vec::new(),
};

impl Node {
    /// The rare parts, each empty when the node has none.
    pub fn rare(&self) -> &Rare {
        self.rare.as_deref().unwrap_or(&NO_RARE)
    }

    /// The 评分标准 as the rule file quotes it.
    pub fn basis(&self) -> Option<&str> {
        self.rare().basis.as_deref()
    }

    /// For a group of target records under one of the form's levels: 1 for a 一级指标, 2 for a
    /// 二级指标 (see [`Rare::level`]).
    pub fn level(&self) -> Option<u8> {
        self.rare().level
    }

    /// The score the department reported for it (自评得分), when the data gives one.
    pub fn reported(&self) -> Option<Dec> {
        self.rare().reported
    }

    /// A target record's other columns of the form, as written (年初预算数, 备注 …).
    pub fn columns(&self) -> &[Column] {
        &self.rare().columns
    }
}

/// A node's steps, in the order they happened: a slice of [`Step`]s to read. Up to three are
/// held in the node itself — a target record has two or three (its comparison, its score, a
/// rounding) — so that recording a department's records allocates nothing for their steps;
/// a node with more keeps them on the heap.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Steps(smallvec::SmallVec<[Step; Steps::HELD]>);

impl Steps {
    /// How many steps a node holds itself.
    pub const HELD: usize = 3;

    pub fn new() -> Steps {
        Steps::default()
    }

    #[inline]
    pub fn push(&mut self, step: Step) {
        self.0.push(step);
    }

    /// Makes room for `more` steps at once: a node with more than three grows on the heap once,
    /// rather than to four steps and then to eight, copying them each time.
    pub fn reserve(&mut self, more: usize) {
        self.0.reserve_exact(more);
    }

    /// Adds the step `make` builds, built where it will stand. A step handed to [`Self::push`]
    /// is built aside and copied into place (96 bytes, through `memcpy`), and that copy reads
    /// in wide loads what was just written in narrow stores, which the processor cannot pass on
    /// from its store buffer: it waits for every store to land, for each step of a trace.
    #[inline(always)]
    pub fn push_with(&mut self, make: impl FnOnce() -> Step) {
        self.0.reserve(1);
        let len = self.0.len();
        // SAFETY: `reserve` made room for a step at `len`; it is written before the length
        // counts it (a panic in `make` leaves the steps as they were).
        unsafe {
            self.0.as_mut_ptr().add(len).write(make());
            self.0.set_len(len + 1);
        }
    }
}

impl std::ops::Deref for Steps {
    type Target = [Step];
    fn deref(&self) -> &[Step] {
        &self.0
    }
}

impl std::ops::DerefMut for Steps {
    fn deref_mut(&mut self) -> &mut [Step] {
        &mut self.0
    }
}

impl<'a> IntoIterator for &'a Steps {
    type Item = &'a Step;
    type IntoIter = std::slice::Iter<'a, Step>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a mut Steps {
    type Item = &'a mut Step;
    type IntoIter = std::slice::IterMut<'a, Step>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter_mut()
    }
}

impl FromIterator<Step> for Steps {
    fn from_iter<I: IntoIterator<Item = Step>>(steps: I) -> Steps {
        Steps(steps.into_iter().collect())
    }
}

/// As the list of steps it holds (the JSON form is unchanged).
impl Serialize for Steps {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

/// A cell of the form kept as written: its column (or header) and its text.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub value: String,
}

/// A row whose self-reported score is not the score computed (复核差异).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Difference {
    /// The row's name: the indicator, or the target record (三级指标).
    pub indicator: String,
    /// Where it stands, from the top: the indicators and levels above it, then its name.
    pub path: Vec<String>,
    pub reported: Dec,
    pub computed: Dec,
}

/// Every node whose reported score differs from its computed one, in tree order. Where the
/// rules round each indicator's score (`rounding`), a reported score is compared as rounded the
/// same way: a form's cell holding 48.421052… and showing 48.42 reports 48.42.
pub fn differences(indicators: &[Node], rounding: Option<(RoundMode, u32)>) -> Vec<Difference> {
    // As for losses: the path is borrowed while walking, copied only for a row that differs.
    fn walk<'a>(
        nodes: &'a [Node],
        path: &mut Vec<&'a str>,
        rounding: Option<(RoundMode, u32)>,
        out: &mut Vec<Difference>,
    ) {
        for n in nodes {
            path.push(&n.name);
            if let Some(reported) = n.reported() {
                let compared = match rounding {
                    Some((mode, digits)) => Dec(crate::number::round(reported.0, mode, digits)),
                    None => reported,
                };
                if compared != n.score {
                    out.push(Difference {
                        indicator: String::from(n.name.as_str()),
                        path: path.iter().map(|p| p.to_string()).collect(),
                        reported,
                        computed: n.score,
                    });
                }
            }
            walk(&n.children, path, rounding, out);
            path.pop();
        }
    }
    // Most data report no scores of their own: nothing to walk for.
    fn reports(nodes: &[Node]) -> bool {
        nodes
            .iter()
            .any(|n| n.reported().is_some() || reports(&n.children))
    }
    let mut out = Vec::new();
    if reports(indicators) {
        walk(indicators, &mut Vec::new(), rounding, &mut out);
    }
    out
}

/// A value as the data gives it or a formula computes it, with what it measures.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Value {
    /// A number. With `unit` percent, a fraction: 95% is 0.95.
    Number {
        value: Dec,
        unit: Unit,
    },
    Bool {
        value: bool,
    },
    Text {
        value: String,
    },
    /// A list input: how many records it holds.
    List {
        records: usize,
        of: ListOf,
    },
    /// An assessor's judgement (boxed: it is rare, and its texts would make every value, and
    /// every term holding one, half as large again).
    Judgement(Box<Judgement>),
    /// An `optional` input the data leaves out.
    Absent,
}

/// An assessor's judgement: the rate given, the band it lies in and the reason.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Judgement {
    pub rate: Dec,
    pub band: String,
    pub reason: String,
}

/// What a list input holds.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ListOf {
    /// 绩效指标: target records.
    Targets,
    /// Findings (问题), as `deduct … per` counts them.
    Findings,
}

/// An expression of the rule file with the value of every name in it: what a printer writes
/// twice, once with the names (`全年执行数 ÷ 全年预算数`) and once with the numbers in.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Term {
    Number {
        value: Dec,
    },
    /// A percentage as written: 95 for `95%`.
    Percent {
        value: Dec,
    },
    Text {
        value: String,
    },
    Bool {
        value: bool,
    },
    Input {
        name: CompactString,
        value: Value,
    },
    /// A `let`, with its value once computed.
    Let {
        name: CompactString,
        value: Option<Value>,
    },
    /// The points of an indicator (`points`, 分值).
    Points {
        value: Dec,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Term>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Term>,
        right: Box<Term>,
    },
    If {
        condition: Box<Term>,
        then: Box<Term>,
        otherwise: Box<Term>,
    },
    /// A function call; `value` is the result where the trace shows the call by its result
    /// (`given`, `count`).
    Call {
        func: Func,
        args: Vec<Term>,
        value: Option<Value>,
    },
}

/// A bound of a tier, as the rule file sets it.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Bound {
    /// The number as written (80 for `80%`).
    pub value: Dec,
    pub percent: bool,
    pub inclusive: bool,
}

/// Why a `deduct` line took what it took (0 included: every line looked at says why).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Deducted {
    /// One finding of a list (`index` counts from 1), with its 描述.
    Finding {
        list: String,
        index: usize,
        description: String,
    },
    /// The list of findings is empty.
    NoFindings { list: String },
    /// A value measured against a standard: by how much it passed it, and how many units of
    /// `per` that counts for, as `counting` says. `excess` is absent when it did not pass.
    PerUnit {
        measured: Term,
        value: Dec,
        /// Whether the rule measures in percentage points.
        percent: bool,
        /// `above` the standard, or below it.
        above: bool,
        standard: Dec,
        per: Dec,
        each: Dec,
        counting: Counting,
        excess: Option<Dec>,
        counted: Option<Dec>,
    },
    /// A condition, and whether it held.
    Condition { condition: Term, holds: bool },
}

/// How an unmet target's share is scaled: the ratio of the record's completion.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Completion {
    /// 实际完成值 ÷ 指标值 (more is better).
    ActualOverTarget,
    /// 指标值 ÷ 实际完成值 (less is better).
    TargetOverActual,
    /// A graded record's own reported 得分 ÷ its 分值, inside the band of its grade.
    Reported,
    /// A graded record's band's default rate (its own 得分 is missing or outside the band).
    Default,
}

/// One step of a leaf's computation, in the order it happened.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    /// An input read from the data.
    Input { name: CompactString, value: Value },
    /// A `let`: its expression and its value.
    Let {
        name: CompactString,
        /// Boxed, as every large field of a rare step is, so that a step stays small.
        formula: Box<Term>,
        value: Value,
        /// The value before it was rounded (`round … each value`), when rounding changed it.
        unrounded: Option<Dec>,
    },
    /// The score formula, before its cap, floor and rounding.
    Score { formula: Term, value: Dec },
    /// The value of a tiers rule and the tier it falls in, with that tier's score (boxed: one
    /// step of a tiers leaf, and larger than the steps every target record has).
    Tier(Box<TierStep>),
    /// One deduction from full points and why; 0 when the rule took nothing.
    Deduction { amount: Dec, why: Box<Deducted> },
    /// A deductions leaf: its points less every deduction.
    Deductions {
        points: Dec,
        deducted: Dec,
        value: Dec,
    },
    /// The value of a category rule, the arm it matched (none for the `else` arm) and its points.
    Category {
        formula: Box<Term>,
        value: Value,
        matched: Option<String>,
        score: Dec,
    },
    /// A checklist item: its condition, whether it held, and the points it earned.
    Check {
        condition: Term,
        holds: bool,
        points: Dec,
    },
    /// A veto that held: the indicator scores 0, for this reason.
    Veto {
        condition: Term,
        reason: Option<String>,
    },
    /// A checklist's score: the items' points added up, or 0 when a veto held.
    Checklist {
        earned: Vec<Dec>,
        vetoed: bool,
        value: Dec,
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
    /// A target record compared with its target. (Its JSON form names its note's texts in
    /// their places: `name` first, `reason` before `overshot`.)
    #[serde(serialize_with = "target_json")]
    Target {
        /// The record's 名称 where no node carries it (a count ratio lists its targets as
        /// steps), and its 偏差原因: rare, so held behind one pointer.
        note: Note,
        op: TargetOp,
        /// The target and the actual value as the data writes them (`≥2,000人`, `1,850人`) …
        /// (held inline when short, as the data holds them: no allocation for each record)
        target: CompactString,
        actual: CompactString,
        /// … and as numbers (a percentage keeps its written number: 98 for `98%`).
        target_value: Dec,
        actual_value: Dec,
        met: bool,
        /// Met, but exceeded by more than a count ratio's overshoot band: counted as not met.
        overshot: bool,
    },
    /// A qualitative (定性) record graded on its list's scale (boxed: qualitative records are
    /// few, and their texts would make every step larger).
    Grade(Box<GradeStep>),
    /// A target record's score: its share in full when met, otherwise the share scaled by its
    /// completion (`completion` says which way), numerator × share ÷ denominator.
    TargetScore {
        share: Dec,
        completion: Option<Completion>,
        numerator: Dec,
        denominator: Dec,
        value: Dec,
    },
    /// A count ratio: targets met ÷ targets × points.
    MetRatio {
        met: usize,
        records: usize,
        points: Dec,
        value: Dec,
    },
    /// The indicator does not apply (`not applicable if …` held): the condition, the policy
    /// (none among alternatives) and its points. Siblings that redistribute to the same
    /// indicators share their points out together: the first of them lists the others in
    /// `with` and, in `to`, what each receiver got of the whole; each other one names that first
    /// one in `with` and has no `to`.
    NotApplicable {
        condition: Box<Term>,
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

/// The value of a tiers rule and the tier it falls in, with that tier's score ([`Step::Tier`]).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[non_exhaustive]
pub struct TierStep {
    pub formula: Term,
    pub value: Dec,
    /// Whether the tiers are written in percentages.
    pub percent: bool,
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
    /// The tier as the rule file writes it: `80%(含)-90%`.
    pub label: String,
    pub score_formula: Term,
    pub score: Dec,
}

/// A qualitative (定性) record graded on its list's scale ([`Step::Grade`]): the grade and how
/// it is known, the band's range, and the record's own reported score. The `target_score` after
/// it scales the share by the rate.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[non_exhaustive]
pub struct GradeStep {
    /// The record's 名称 where no node carries it (a count ratio lists its targets as steps).
    pub name: Option<Box<str>>,
    /// 指标值 and 实际完成值 as written.
    pub target: Box<str>,
    pub actual: Box<str>,
    pub scale: Box<str>,
    pub grade: Box<str>,
    pub from: crate::data::GradeFrom,
    /// The band's rates as written (`60%(含)-80%`).
    pub range: Box<str>,
    /// The record's own 得分, when the data gives it.
    pub reported: Option<Dec>,
    pub reason: Option<Box<str>>,
}

/// The rare texts of a [`Step::Target`]: the record's 名称 where no node carries it and its
/// 偏差原因. Most records have neither, and hold no allocation for them; held inline, the two
/// made the step, written for every target record, 136 bytes rather than 96, and every step
/// as large (three are held in each node).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Note(Option<Box<NoteTexts>>);

#[derive(Clone, Debug, PartialEq)]
struct NoteTexts {
    name: Option<String>,
    reason: Option<String>,
}

impl Note {
    pub fn new(name: Option<String>, reason: Option<String>) -> Note {
        match name.is_none() && reason.is_none() {
            true => Note(None),
            false => Note(Some(Box::new(NoteTexts { name, reason }))),
        }
    }

    /// The record's 名称, where no node carries it (a count ratio lists its targets as steps).
    pub fn name(&self) -> Option<&str> {
        self.0.as_ref().and_then(|t| t.name.as_deref())
    }

    /// The 偏差原因 the data gives for the record.
    pub fn reason(&self) -> Option<&str> {
        self.0.as_ref().and_then(|t| t.reason.as_deref())
    }

    fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        if let Some(texts) = &mut self.0 {
            let NoteTexts { name, reason } = &mut **texts;
            for text in [name, reason].into_iter().flatten() {
                *text = f(text);
            }
        }
    }
}

/// [`Step::Target`] as its JSON form has always written it: the note's name first and its
/// reason before `overshot` (docs/trace-json.md). Every field is a parameter: a new one is a
/// compile error here until it is written out.
#[allow(clippy::too_many_arguments)]
fn target_json<S: Serializer>(
    note: &Note,
    op: &TargetOp,
    target: &CompactString,
    actual: &CompactString,
    target_value: &Dec,
    actual_value: &Dec,
    met: &bool,
    overshot: &bool,
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Json<'a> {
        name: Option<&'a str>,
        op: &'a TargetOp,
        target: &'a CompactString,
        actual: &'a CompactString,
        target_value: &'a Dec,
        actual_value: &'a Dec,
        met: &'a bool,
        reason: Option<&'a str>,
        overshot: &'a bool,
    }
    Json {
        name: note.name(),
        op,
        target,
        actual,
        target_value,
        actual_value,
        met,
        reason: note.reason(),
        overshot,
    }
    .serialize(s)
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
#[non_exhaustive]
pub enum Reweight {
    /// It received a share of the points of siblings that do not apply: `from` names the
    /// first of each group of siblings that gave together, `givers` counts them all.
    Redistributed { from: Vec<String>, givers: usize },
    /// Its parent's points changed, and it keeps its proportion of them.
    Scaled { parent: String },
    /// The rules share the parent's points equally, and the record's own 分值 (`from`) is not
    /// its share: the data's number is not used, and the trace says so.
    SharedEqually,
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
        self.rating = f(&self.rating).into();
        self.rating_band.label = f(&self.rating_band.label).into();
        for loss in &mut self.losses {
            loss.path.iter_mut().for_each(|s| *s = f(s).into());
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
        // (The location's file is named by an id: a printer makes its name safe where it
        // writes it.)
        self.name = f(&self.name).into();
        if let Some(b) = self.rare.as_mut().and_then(|r| r.basis.as_mut()) {
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

impl Value {
    fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        match self {
            Value::Text { value } => *value = f(value),
            Value::Judgement(j) => {
                let Judgement {
                    rate: _,
                    band,
                    reason,
                } = &mut **j;
                *band = f(band);
                *reason = f(reason);
            }
            Value::Number { .. } | Value::Bool { .. } | Value::List { .. } | Value::Absent => {}
        }
    }
}

impl Term {
    fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        match self {
            Term::Number { .. }
            | Term::Percent { .. }
            | Term::Bool { .. }
            | Term::Points { .. } => {}
            Term::Text { value } => *value = f(value),
            Term::Input { name, value } => {
                *name = f(name).into();
                value.map_text(f);
            }
            Term::Let { name, value } => {
                *name = f(name).into();
                if let Some(v) = value {
                    v.map_text(f);
                }
            }
            Term::Unary { op: _, operand } => operand.map_text(f),
            Term::Binary { op: _, left, right } => {
                left.map_text(f);
                right.map_text(f);
            }
            Term::If {
                condition,
                then,
                otherwise,
            } => {
                condition.map_text(f);
                then.map_text(f);
                otherwise.map_text(f);
            }
            Term::Call {
                func: _,
                args,
                value,
            } => {
                args.iter_mut().for_each(|a| a.map_text(f));
                if let Some(v) = value {
                    v.map_text(f);
                }
            }
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
                *name = f(name).into();
                value.map_text(f);
            }
            Step::Let {
                name,
                formula,
                value,
                unrounded: _,
            } => {
                *name = f(name).into();
                formula.map_text(f);
                value.map_text(f);
            }
            Step::Score { formula, value: _ } => formula.map_text(f),
            Step::Tier(tier) => {
                let TierStep {
                    formula,
                    label,
                    score_formula,
                    ..
                } = &mut **tier;
                formula.map_text(f);
                g(label);
                score_formula.map_text(f);
            }
            Step::Deduction { amount: _, why } => match &mut **why {
                Deducted::Finding {
                    list,
                    index: _,
                    description,
                } => {
                    g(list);
                    g(description);
                }
                Deducted::NoFindings { list } => g(list),
                Deducted::PerUnit { measured, .. } => measured.map_text(f),
                Deducted::Condition {
                    condition,
                    holds: _,
                } => condition.map_text(f),
            },
            Step::Category {
                formula,
                value,
                matched,
                score: _,
            } => {
                formula.map_text(f);
                value.map_text(f);
                go(matched);
            }
            Step::Check { condition, .. } => condition.map_text(f),
            Step::Veto { condition, reason } => {
                condition.map_text(f);
                go(reason);
            }
            Step::Target {
                note,
                target,
                actual,
                ..
            } => {
                note.map_text(f);
                *target = f(target).into();
                *actual = f(actual).into();
            }
            Step::Grade(step) => {
                let GradeStep {
                    name,
                    target,
                    actual,
                    scale,
                    grade,
                    reason,
                    ..
                } = &mut **step;
                let b = |s: &mut Box<str>| *s = f(s).into_boxed_str();
                let bo = |s: &mut Option<Box<str>>| {
                    if let Some(s) = s {
                        *s = f(s).into_boxed_str();
                    }
                };
                bo(name);
                b(target);
                b(actual);
                b(scale);
                b(grade);
                bo(reason);
            }
            Step::NotApplicable {
                condition,
                policy: _,
                points: _,
                to,
                with,
            } => {
                condition.map_text(f);
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
                Reweight::SharedEqually => {}
            },
            Step::Deductions { .. }
            | Step::Checklist { .. }
            | Step::Share { .. }
            | Step::TargetScore { .. }
            | Step::MetRatio { .. }
            | Step::Scale { .. }
            | Step::Cap { .. }
            | Step::Floor { .. }
            | Step::Round { .. } => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A step is moved into its node as it is recorded, and three are held in every node: the
    /// large fields of rare steps are boxed so that no kind makes every step large.
    #[test]
    fn steps_stay_small() {
        assert!(
            std::mem::size_of::<Step>() <= 96,
            "{}",
            std::mem::size_of::<Step>()
        );
    }

    /// A node is written for each target record of a department, and dropped with its trace:
    /// what few nodes have is held apart ([`Rare`]), not in every node.
    #[test]
    fn nodes_stay_small() {
        assert!(
            std::mem::size_of::<Node>() <= 448,
            "{}",
            std::mem::size_of::<Node>()
        );
    }
}
