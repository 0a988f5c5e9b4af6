//! Stage 2½ of the pipeline, before the data reader: a filled-in 自评表 (项目支出绩效自评表 and
//! its variants) as users have it, in Excel, WPS or LibreOffice or exported as CSV, read into a
//! [`Form`]: its cells under the canonical keys of the shared spec, each with its `sheet!C12`
//! address. [`crate::data::load_form`] then hands the form to the one data reader, so a form is
//! checked exactly as a data file is.
//!
//! The steps: `workbook` (calamine, with the number formats it does not give) or `csv` turns
//! the file into grids of raw cells (`grid`); `layout` recognises the form by its header cells
//! and reads it; this file picks the sheet, and writes [`Form::text`], one line per cell read,
//! which every diagnostic's span points into.

mod csv;
mod error;
mod grid;
mod layout;
mod numfmt;
mod workbook;

pub use error::{FormError, Unreadable};

use crate::source::Span;

/// The 自评表 layouts jixiao recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The national 项目支出绩效自评表 (财预〔2020〕10号).
    National,
    /// Sichuan's 部门预算项目支出绩效自评表.
    Sichuan,
    /// The 部门整体支出绩效自评表.
    Department,
}

/// A form as read.
#[derive(Clone, Debug)]
pub struct Form {
    pub layout: Layout,
    /// The file name as given on the command line.
    pub name: String,
    /// The cells read, one line per cell (`绩效指标!E12  指标值  ≥500人次`): the text every
    /// diagnostic's span points into, so a snippet shows the `sheet!C12` address.
    pub text: String,
    /// Header, funds and 总分, under the canonical keys, in the form's order.
    pub fields: Vec<FormField>,
    /// The indicator table's rows, in the form's order (levels filled down merged cells).
    pub rows: Vec<FormRow>,
    /// What the form shows otherwise than it holds, and the like: the form still reads.
    pub warnings: Vec<FormError>,
    /// The SHA-256 of the file's bytes, in hex: the trace names the form by it.
    pub sha256: String,
}

#[derive(Clone, Debug)]
pub struct FormField {
    pub key: String,
    pub value: CellValue,
    /// Into [`Form::text`]: the value.
    pub span: Span,
    /// `绩效指标!E12`.
    pub cell: String,
}

#[derive(Clone, Debug)]
pub struct FormRow {
    pub fields: Vec<FormField>,
    /// Into [`Form::text`]: the row's lines.
    pub span: Span,
}

/// One cell's value, exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellValue {
    /// Exact decimal text: the shortest decimal that reads back as the stored double, or the
    /// number as typed when it is stored as text.
    Number(String),
    /// A percentage, as the cell shows it: 0.91 in a cell formatted `0%` is `Percent("91")`.
    Percent(String),
    /// Text, trimmed. "/" "—" "－" "／" and empty cells are left out entirely.
    Text(String),
    Bool(bool),
}

impl CellValue {
    /// The value as a line of [`Form::text`] shows it.
    pub fn shown(&self) -> String {
        match self {
            CellValue::Number(n) => n.clone(),
            CellValue::Percent(p) => format!("{p}%"),
            CellValue::Text(t) => t
                .split(['\r', '\n'])
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            CellValue::Bool(true) => "TRUE".into(),
            CellValue::Bool(false) => "FALSE".into(),
        }
    }
}

/// A form that could not be read: its errors (and warnings), and the text they point into.
#[derive(Clone, Debug)]
pub struct Unread {
    pub text: String,
    pub errors: Vec<FormError>,
}

/// Whether a file name is a form's: .xlsx .xlsm .xls .ods .et .csv, in any case.
pub fn is_form_name(name: &str) -> bool {
    kind_of(name).is_some()
}

enum Kind {
    Workbook(workbook::Kind),
    Csv,
}

fn kind_of(name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "xlsx" | "xlsm" => Kind::Workbook(workbook::Kind::Xlsx),
        "xls" => Kind::Workbook(workbook::Kind::Xls),
        "ods" => Kind::Workbook(workbook::Kind::Ods),
        "et" => Kind::Workbook(workbook::Kind::Et),
        "csv" => Kind::Csv,
        _ => return None,
    })
}

/// Reads a form from its file's bytes, by the file's extension.
pub fn read(name: &str, bytes: &[u8]) -> Result<Form, Vec<FormError>> {
    read_form(name, bytes).map_err(|u| u.errors)
}

/// [`read`], keeping the text the errors point into when the form cannot be read.
pub fn read_form(name: &str, bytes: &[u8]) -> Result<Form, Unread> {
    let unread = |e: FormError| Unread {
        text: String::new(),
        errors: vec![e],
    };
    let grids = match kind_of(name) {
        Some(Kind::Workbook(kind)) => workbook::grids(name, kind, bytes).map_err(unread)?,
        Some(Kind::Csv) => vec![csv::grid(name, bytes).map_err(unread)?],
        None => {
            return Err(unread(FormError::Unreadable {
                name: name.to_string(),
                reason: Unreadable::Extension,
            }));
        }
    };
    let grids: Vec<&grid::Grid> = grids.iter().filter(|g| !g.is_empty()).collect();
    // The sheet with the indicator table is the form; empty sheets and notes are not.
    let with_table: Vec<&grid::Grid> = grids
        .iter()
        .copied()
        .filter(|g| !layout::table_headers(g).is_empty())
        .collect();
    if let [first, second, ..] = with_table.as_slice() {
        let (r1, c1) = layout::table_headers(first)[0];
        let (r2, c2) = layout::table_headers(second)[0];
        return Err(unread(FormError::TwoTables {
            first: first.address(r1, c1),
            second: second.address(r2, c2),
            span: None,
        }));
    }
    let Some(sheet) = with_table.first().or(grids.first()) else {
        return Err(unread(FormError::Layout {
            name: name.to_string(),
            missing: crate::diagnostics::Text::new("cell at all", "任何单元格"),
            looked_for: layout::looked_for(),
        }));
    };
    let parsed = layout::parse(name, sheet).map_err(unread)?;
    let mut form = build(name, sheet, parsed)?;
    form.sha256 = crate::source::hex_sha256(bytes);
    Ok(form)
}

/// The form from what the layout read: the text, one line per cell, and the spans into it.
fn build(name: &str, g: &grid::Grid, parsed: layout::Parsed) -> Result<Form, Unread> {
    // Every value in the form's order (by the row and column it is read on), then written out.
    let mut all: Vec<(Option<usize>, &layout::Found)> = parsed
        .fields
        .iter()
        .map(|f| (None, f))
        .chain(
            parsed
                .rows
                .iter()
                .enumerate()
                .flat_map(|(i, row)| row.iter().map(move |f| (Some(i), f))),
        )
        .collect();
    all.sort_by_key(|(_, f)| f.at);
    let mut text = String::new();
    let mut fields = Vec::new();
    let mut rows: Vec<FormRow> = parsed
        .rows
        .iter()
        .map(|_| FormRow {
            fields: Vec::new(),
            span: Span::new(0, 0),
        })
        .collect();
    // Where each cell's first line is, for the problems that point at a cell.
    let mut lines: Vec<((u32, u32), Span)> = Vec::new();
    for (row, found) in all {
        let cell = g.address(found.cell.0, found.cell.1);
        let start = text.len();
        text.push_str(&format!("{cell}  {}  ", found.key));
        let value_start = text.len();
        text.push_str(&found.value.shown());
        let span = Span::new(value_start, text.len());
        text.push('\n');
        lines.push((found.cell, span));
        let field = FormField {
            key: found.key.clone(),
            value: found.value.clone(),
            span,
            cell,
        };
        match row {
            Some(i) => {
                let r = &mut rows[i];
                r.span = if r.fields.is_empty() {
                    Span::new(start, text.len() - 1)
                } else {
                    Span::new(r.span.start(), text.len() - 1)
                };
                r.fields.push(field);
            }
            None => fields.push(field),
        }
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for problem in parsed.problems {
        let span = problem
            .at
            .and_then(|at| lines.iter().find(|(c, _)| *c == at).map(|(_, s)| *s));
        let e = with_span(problem.error, span);
        if e.is_warning() {
            warnings.push(e);
        } else {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        errors.extend(warnings);
        return Err(Unread { text, errors });
    }
    Ok(Form {
        layout: parsed.layout,
        name: name.to_string(),
        text,
        fields,
        rows,
        warnings,
        sha256: String::new(),
    })
}

fn with_span(mut e: FormError, at: Option<Span>) -> FormError {
    let at = at.map(miette::SourceSpan::from);
    match &mut e {
        FormError::TwoTables { span, .. }
        | FormError::NoPoints { span, .. }
        | FormError::NoName { span, .. }
        | FormError::ZeroTotal { span, .. }
        | FormError::TotalMismatch { span, .. }
        | FormError::HiddenDigits { span, .. }
        | FormError::HiddenText { span, .. }
        | FormError::NumberFormat { span, .. } => *span = at,
        FormError::Unreadable { .. } | FormError::Layout { .. } => {}
    }
    e
}

#[cfg(test)]
mod tests;
