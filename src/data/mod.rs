//! Stage 3 of the pipeline: one department's data file (TOML or JSON) → [`Department`], checked
//! against the inputs the rules declare. Numbers are read from the text as written, exactly;
//! every problem points into the data file, and all of them are reported together.
//!
//! The stage in order: `format` says which parser reads the text and `tree` reads it into one
//! spanned tree for both formats; `fit` walks the top-level keys against the rules' inputs;
//! `values` reads each value by its input type, and `records` the findings and target records
//! inside lists. This file holds the entry points, the types they return and the reader they
//! share. A department given as a spreadsheet row ([`load_cells`], for `jixiao batch`'s CSV
//! input) enters through `cells`, which only turns the cells into the same tree: one reader
//! validates every way in, equally strictly.

mod cells;
mod error;
mod fit;
mod form;
mod format;
mod records;
pub mod target;
mod tree;
mod values;

pub use cells::{Cell, ListRow};
pub use error::{DataError, SyntaxReason};
pub use form::load_form;
pub use format::Format;

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

/// One of the department's own 绩效指标.
#[derive(Clone, Debug)]
pub struct TargetRecord {
    pub name: String,
    pub target: Target,
    pub actual: Quantity,
    pub points: Option<Decimal>,
    /// 偏差原因: why a target was missed.
    pub reason: Option<String>,
    pub span: Span,
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
            key: (*name).to_string(),
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
}
