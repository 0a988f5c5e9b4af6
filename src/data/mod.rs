//! Stage 3 of the pipeline: one department's data file (TOML or JSON) → [`Department`], checked
//! against the inputs the rules declare. Numbers are read from the text as written, exactly;
//! every problem points into the data file, and all of them are reported together.
//!
//! The stage in order: `format` says which parser reads the text and `tree` reads it into one
//! spanned tree for both formats (JSON by the scanner of `json` when it is plain, by the full
//! parser otherwise); `fit` walks the top-level keys against the rules' inputs;
//! `values` reads each value by its input type, and `records` the findings and target records
//! inside lists. This file holds the entry points, the types they return and the reader they
//! share. A department given as a spreadsheet row ([`load_cells`], for `jixiao batch`'s CSV
//! input) enters through `cells`, which only turns the cells into the same tree: one reader
//! validates every way in, equally strictly. Plain JSON is read first as it is scanned, by
//! `stream`, without a tree for its target lists; through the same reader, and giving way to
//! the tree at anything else.

mod cells;
mod error;
mod fit;
mod form;
mod format;
mod json;
mod records;

/// The field of a target record that `key` names (`自评得分` → `得分`), as a data file's key or a
/// form's column head; `None` for another column. (The form reader keeps its own table of heads,
/// which it matches loosely; a test holds the two to one meaning.)
#[cfg(test)]
pub(crate) fn record_field(key: &str) -> Option<&'static str> {
    records::field_of(key).map(|i| records::TARGET_FIELDS[i])
}
mod stream;
pub mod target;
mod tree;
mod values;

pub use cells::{Cell, ListRow};
pub use error::{DataError, JsonProblem, SyntaxReason};
pub use form::load_form;
pub use format::Format;

use compact_str::CompactString;
use rust_decimal::Decimal;

use crate::model::Rulebook;
use crate::source::{SourceFile, Span};
use target::{Quantity, Target};

/// One department's data, one value per declared input (indexed by `InputId`).
#[derive(Clone, Debug)]
pub struct Department {
    /// `部门`: the department's name, if the file gives it.
    pub name: Option<String>,
    /// `年度`: the year evaluated, if the file gives it.
    pub year: Option<String>,
    pub source: SourceFile,
    pub values: Vec<Datum>,
    /// The self-reported scores, when the data gives them (a 自评表's 得分 column and 总分).
    pub reported: Reported,
    /// `表头`: the form's other header and funds cells as written (主管部门, 年初预算数 …), in
    /// order; kept and printed on the form, never scored.
    pub details: Vec<(String, String)>,
    /// What the data reads with but is worth saying (levels off their weights under `warn`).
    pub warnings: Vec<DataError>,
}

/// The scores a department gave itself, to re-check (复核) against the computed ones.
#[derive(Clone, Debug, Default)]
pub struct Reported {
    /// `总分`: the self-reported total.
    pub total: Option<Decimal>,
    /// `自评得分`: the self-reported scores of the rules' indicators, by name, in the data's
    /// order (a target record's own 得分 is on the record).
    pub indicators: Vec<(String, Decimal)>,
}

#[derive(Clone, Debug)]
pub enum Datum {
    Number(Decimal),
    Bool(bool),
    Text(String),
    Targets(Vec<TargetRecord>),
    Findings(Vec<Finding>),
    /// An `optional` input the data leaves out (an optional list left out is empty instead).
    Absent,
    /// An assessor's rating: the rate, the band it lies in, and the reason.
    Judgement {
        rate: Decimal,
        band: String,
        reason: String,
    },
}

/// A problem found (一例/一项), as a `deduct … per` rule counts it.
#[derive(Clone, Debug)]
pub struct Finding {
    /// 描述: what was found, quoted in the trace beside its deduction.
    pub description: String,
    pub span: Span,
}

/// One of the department's own 绩效指标: a row of a 自评表's indicator table.
#[derive(Clone, Debug)]
pub struct TargetRecord {
    /// 名称 (the form's 三级指标).
    pub name: String,
    /// What is compared: a quantity with its target, or a qualitative grade.
    pub measure: Measure,
    pub points: Option<Decimal>,
    /// The parts many records lack ([`TargetRecord::levels`], [`TargetRecord::reported`],
    /// [`TargetRecord::reason`], [`TargetRecord::extra`]), boxed together and absent when all
    /// are: a record is 240 bytes, four cache lines, rather than 344 and six (a trace reads the
    /// whole of each record, and waits for its lines from memory).
    pub rare: Option<Box<Rare>>,
    pub span: Span,
    /// Its 名称: in a form, the 三级指标 cell, where the record is said to stand.
    pub place: Span,
}

/// What a target record holds that many lack: a form's levels, its own score, a reason, other
/// columns.
#[derive(Clone, Debug, Default)]
pub struct Rare {
    /// 一级指标 and 二级指标, where the data gives them (产出指标, 数量指标): held inline when
    /// short, as most are (a form names a level on every row, and a batch reads a million forms).
    pub levels: [Option<CompactString>; 2],
    /// 得分: the score the department reported for this row.
    pub reported: Option<Decimal>,
    /// 偏差原因: why a target was missed.
    pub reason: Option<String>,
    /// Any other column of the row (度量单位 is folded into the values), as written.
    pub extra: Vec<(String, String)>,
}

impl Rare {
    /// The rare parts of a record, boxed; `None` when it has none of them.
    pub fn boxed(
        levels: [Option<CompactString>; 2],
        reported: Option<Decimal>,
        reason: Option<String>,
        extra: Vec<(String, String)>,
    ) -> Option<Box<Rare>> {
        let none = levels.iter().all(Option::is_none)
            && reported.is_none()
            && reason.is_none()
            && extra.is_empty();
        (!none).then(|| {
            Box::new(Rare {
                levels,
                reported,
                reason,
                extra,
            })
        })
    }
}

/// The levels of a record outside any.
static NO_LEVELS: [Option<CompactString>; 2] = [None, None];

/// How a target record is measured.
#[derive(Clone, Debug)]
pub enum Measure {
    /// A quantitative (定量) target: `≥500人次` against `520人次`.
    Quantity { target: Target, actual: Quantity },
    /// A qualitative (定性) target, graded on the list's scale.
    Grade(Graded),
}

/// A qualitative record's grade, and where it came from.
#[derive(Clone, Debug)]
pub struct Graded {
    /// 指标值 and 实际完成值 as written (`达成预期指标`, `基本达成`).
    pub target: String,
    pub actual: String,
    /// The band of the list's scale (`model::Input::bands`).
    pub band: usize,
    pub from: GradeFrom,
}

/// How a qualitative record's grade is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GradeFrom {
    /// The record's `等级` says it.
    Column,
    /// 实际完成值 is one of the band's `words`.
    Words,
    /// 实际完成值 is written as its 指标值: the target was reached, the top band.
    SameAsTarget,
}

impl TargetRecord {
    /// Where the record stands in `source`: in a form, its 三级指标 cell (a row's first cells
    /// are its levels, merged over many rows); in a data file, the record itself.
    pub fn at(&self, source: &SourceFile) -> Span {
        match source.is_cells() {
            true => self.place,
            false => self.span,
        }
    }

    /// 一级指标 and 二级指标, where the data gives them (产出指标, 数量指标).
    pub fn levels(&self) -> &[Option<CompactString>; 2] {
        self.rare.as_ref().map_or(&NO_LEVELS, |r| &r.levels)
    }

    /// 得分: the score the department reported for this row.
    pub fn reported(&self) -> Option<Decimal> {
        self.rare.as_ref().and_then(|r| r.reported)
    }

    /// 偏差原因: why a target was missed.
    pub fn reason(&self) -> Option<&String> {
        self.rare.as_ref().and_then(|r| r.reason.as_ref())
    }

    /// Any other column of the row (度量单位 is folded into the values), as written.
    pub fn extra(&self) -> &[(String, String)] {
        self.rare.as_ref().map_or(&[], |r| &r.extra)
    }

    /// The quantitative target and actual value, for a record that has them.
    pub fn quantity(&self) -> Option<(&Target, &Quantity)> {
        match &self.measure {
            Measure::Quantity { target, actual } => Some((target, actual)),
            Measure::Grade(_) => None,
        }
    }
}

/// Reads and checks one department's data against the rules' inputs, in the format its name
/// says (`.toml` or `.json`).
pub fn load(rules: &Rulebook, source: &SourceFile) -> Result<Department, Vec<DataError>> {
    match Format::of_name(source.name()) {
        Some(format) => load_as(rules, source, format),
        None => Err(vec![DataError::UnknownFormat {
            path: source.name().to_string(),
        }]),
    }
}

/// [`load`], in the format given whatever the name says.
pub fn load_as(
    rules: &Rulebook,
    source: &SourceFile,
    format: Format,
) -> Result<Department, Vec<DataError>> {
    // Plain JSON is read as it is scanned; anything else, and any error, by the tree.
    if format == Format::Json
        && let Some(department) = stream::department(rules, source)
    {
        return Ok(department);
    }
    let root = format.parse(source.text())?;
    read(rules, root, source)
}

/// One department given as a row of cells (`全年预算数` → `3156.9`), its list inputs each as
/// rows of cells (one record a row), as a CSV file holds it; `source` is the row's text, and
/// every value is placed on it. Read and checked exactly as a data file is.
pub fn load_cells(
    rules: &Rulebook,
    source: &SourceFile,
    cells: &[Cell<'_>],
    lists: &[(&str, Vec<ListRow<'_>>)],
) -> Result<Department, Vec<DataError>> {
    let whole = Span::new(0, source.text().len());
    let mut entries = cells::row(rules, cells, whole);
    for (name, rows) in lists {
        entries.push(tree::Entry {
            key: std::borrow::Cow::Borrowed(*name),
            key_span: whole,
            value: tree::Spanned {
                node: cells::list(rules, rows),
                span: whole,
            },
        });
    }
    let root = tree::Spanned {
        node: tree::Node::Table(entries),
        span: whole,
    };
    read(rules, root, source)
}

/// The tree of one department's data, read against the rules: the department, or every error.
fn read(
    rules: &Rulebook,
    root: tree::Spanned,
    source: &SourceFile,
) -> Result<Department, Vec<DataError>> {
    let mut reader = Reader {
        rules,
        errors: Vec::new(),
        form: source.is_cells(),
    };
    let dept = reader.department(root, source);
    let mut errors = reader.errors;
    if errors.is_empty() {
        if let Some(dept) = dept {
            return Ok(dept);
        }
    }
    errors.sort_by_key(|e| {
        use miette::Diagnostic;
        e.labels()
            .and_then(|mut l| l.next())
            .map_or(0, |l| l.offset())
    });
    Err(errors)
}

/// The reader every part of the stage writes its errors to: all problems are gathered, so the
/// data file's author sees them together.
struct Reader<'r> {
    rules: &'r Rulebook,
    errors: Vec<DataError>,
    /// The data is a form's cells (a workbook or its CSV): helps say which cell to fill in,
    /// not which line of TOML to write.
    form: bool,
}
