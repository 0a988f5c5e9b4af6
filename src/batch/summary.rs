//! The last step of a batch: the summary, one row per department in input order, then the
//! totals. An aligned table for a terminal, or `--summary FILE` as CSV, JSON Lines or a
//! spreadsheet (.xlsx) by its extension. Files are written through `files::Stream` and
//! committed only when the run ends well, so an interrupted run leaves no half-written summary.
//! Numbers are written with two decimals as score tables show them; the words come from
//! `report::wording::batch`.

use std::borrow::Cow;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{Row, Totals};
use crate::diagnostics::Text;
use crate::files::{Stream, WriteError};
use crate::number::column;
use crate::report::Lang;
use crate::report::width::{pad_left, pad_right, width};
use crate::report::wording::batch as words;

/// Where the rows go.
pub trait Summary: Send {
    /// Writes a chunk of rows, in order.
    fn rows(&mut self, rows: &[Row]) -> Result<(), WriteError>;
    /// Writes the totals (where the format holds them) and commits the file.
    fn finish(self: Box<Self>, totals: &Totals) -> Result<(), WriteError>;
}

/// The kinds of summary file, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Jsonl,
    Xlsx,
}

impl Kind {
    /// The kind a file's name says, if it says one.
    pub fn of(path: &Path) -> Option<Kind> {
        let name = path.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".csv") {
            Some(Kind::Csv)
        } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
            Some(Kind::Jsonl)
        } else if name.ends_with(".xlsx") {
            Some(Kind::Xlsx)
        } else {
            None
        }
    }
}

/// A summary written to `path`, in the kind its name says.
pub fn file(path: &Path, kind: Kind, lang: Lang) -> Result<Box<dyn Summary>, WriteError> {
    Ok(match kind {
        Kind::Csv => {
            let stream = Stream::create(path)?;
            let mut csv = csv::Writer::from_writer(BufWriter::new(stream));
            csv.write_record(words::heads(lang))
                .map_err(|e| csv_error(path, e))?;
            Box::new(Csv {
                path: path.to_path_buf(),
                csv,
                lang,
            })
        }
        Kind::Jsonl => Box::new(Jsonl {
            path: path.to_path_buf(),
            out: BufWriter::new(Stream::create(path)?),
            lang,
        }),
        Kind::Xlsx => {
            // Refuse what cannot be written (a read-only file, a missing folder) before the run.
            drop(Stream::create(path)?);
            Box::new(Xlsx::new(path, lang)?)
        }
    })
}

/// The aligned table on standard output.
pub fn table(lang: Lang) -> Box<dyn Summary> {
    Box::new(Table {
        out: BufWriter::new(std::io::stdout()),
        widths: None,
        lang,
    })
}

/// The cells of a row as the files write them: id, total, rating, points lost, the indicator
/// that lost most, status, location, message, then 复核: the total the department reported and
/// the computed total less it. Borrowed from the row but for the numbers (a million rows are
/// written a run).
fn cells(row: &Row, lang: Lang) -> [Cow<'_, str>; 10] {
    let empty = || Cow::Borrowed("");
    match &row.outcome {
        Ok(s) => [
            Cow::Borrowed(row.id.as_str()),
            Cow::Owned(column(s.total, 2)),
            Cow::Borrowed(s.rating.as_str()),
            Cow::Owned(column(s.lost, 2)),
            Cow::Borrowed(s.top.as_deref().unwrap_or_default()),
            Cow::Borrowed(words::ok(lang)),
            Cow::Borrowed(row.place.as_str()),
            empty(),
            s.reported.map_or_else(empty, |r| Cow::Owned(column(r, 2))),
            s.reported
                .map_or_else(empty, |r| Cow::Owned(signed(s.total - r))),
        ],
        Err(f) => [
            Cow::Borrowed(row.id.as_str()),
            empty(),
            empty(),
            empty(),
            empty(),
            Cow::Borrowed(f.code.as_str()),
            Cow::Borrowed(f.location.as_str()),
            Cow::Borrowed(f.message.as_str()),
            empty(),
            empty(),
        ],
    }
}

/// A difference with its sign: `+2.00`, `-1.55` (ASCII, as a spreadsheet reads a number).
fn signed(d: rust_decimal::Decimal) -> String {
    match d.is_sign_negative() && !d.is_zero() {
        true => format!("-{}", column(d.abs(), 2)),
        false => format!("+{}", column(d, 2)),
    }
}

/// The totals as lines of label and value: departments, scored, failed, each rating's count,
/// the sum, mean, min and max of the totals (empty when nothing was scored).
pub fn totals_lines(t: &Totals, lang: Lang) -> Vec<(String, String)> {
    let [departments, scored, failed, sum, mean, min, max] = words::totals_labels(lang);
    let shown = |d: Option<rust_decimal::Decimal>| d.map(|d| column(d, 2)).unwrap_or_default();
    let mean_value = t
        .mean()
        .map(|m| crate::number::round(m, crate::model::RoundMode::HalfUp, 2));
    let mut lines = vec![
        (departments.to_string(), t.departments.to_string()),
        (scored.to_string(), t.scored().to_string()),
        (failed.to_string(), t.failed.to_string()),
    ];
    lines.extend(
        t.ratings
            .iter()
            .map(|(label, n)| (words::rating_count(label, lang), n.to_string())),
    );
    lines.extend([
        (sum.to_string(), column(t.sum, 2)),
        (mean.to_string(), shown(mean_value)),
        (min.to_string(), shown(t.min)),
        (max.to_string(), shown(t.max)),
    ]);
    lines
}

/// The totals as text, a heading and one aligned line each.
pub fn totals_text(t: &Totals, lang: Lang) -> String {
    let lines = totals_lines(t, lang);
    let label_width = lines.iter().map(|(l, _)| width(l)).max().unwrap_or(0);
    let value_width = lines.iter().map(|(_, v)| width(v)).max().unwrap_or(0);
    let mut out = format!("{}\n", words::totals_sheet(lang));
    for (label, value) in lines {
        out.push_str(&format!(
            "  {}  {}\n",
            pad_right(&label, label_width),
            pad_left(&value, value_width)
        ));
    }
    out
}

struct Table {
    out: BufWriter<std::io::Stdout>,
    /// The widths of the id, rating, top-loss and status columns, from the first chunk of rows:
    /// a stream cannot wait for the last row to align the first. Longer cells push their line.
    widths: Option<[usize; 4]>,
    lang: Lang,
}

impl Table {
    /// A line of the table: the summary's columns up to 位置 (the message is said on standard
    /// error, one line a failure).
    fn line(&self, cells: [&str; 7]) -> String {
        let [id, rating, top, status] = self.widths.unwrap_or_default();
        let [c_id, c_total, c_rating, c_lost, c_top, c_status, c_location] = cells;
        let line = format!(
            "{}  {}  {}  {}  {}  {}  {}",
            pad_right(c_id, id),
            pad_left(c_total, 7),
            pad_right(c_rating, rating),
            pad_left(c_lost, 7),
            pad_right(c_top, top),
            pad_right(c_status, status),
            c_location
        );
        format!("{}\n", line.trim_end())
    }

    fn write(&mut self, text: &str) -> Result<(), WriteError> {
        match self.out.write_all(text.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(
                crate::files::WriteError::from_io(Path::new(crate::files::STDOUT), &e),
            ),
            _ => Ok(()),
        }
    }
}

impl Summary for Table {
    fn rows(&mut self, rows: &[Row]) -> Result<(), WriteError> {
        let heads = words::heads(self.lang);
        if self.widths.is_none() {
            let widest = |f: &dyn Fn(&Row) -> usize, head: &str| {
                rows.iter().map(f).max().unwrap_or(0).max(width(head))
            };
            self.widths = Some([
                widest(&|r| width(&crate::escape::terminal(&r.id)), heads[0]),
                widest(
                    &|r| r.outcome.as_ref().map_or(0, |s| width(&s.rating)),
                    heads[2],
                ),
                widest(
                    &|r| {
                        r.outcome
                            .as_ref()
                            .map_or(0, |s| s.top.as_deref().map_or(0, width))
                    },
                    heads[4],
                ),
                widest(
                    &|r| match &r.outcome {
                        Ok(_) => width(words::ok(self.lang)),
                        Err(f) => width(&f.code),
                    },
                    heads[5],
                ),
            ]);
            let head = self.line([
                heads[0], heads[1], heads[2], heads[3], heads[4], heads[5], heads[6],
            ]);
            self.write(&head)?;
        }
        let mut text = String::new();
        for row in rows {
            let [id, total, rating, lost, top, status, location, ..] = cells(row, self.lang);
            let (id, location) = (
                crate::escape::terminal(&id),
                crate::escape::terminal(&location),
            );
            text.push_str(&self.line([&id, &total, &rating, &lost, &top, &status, &location]));
        }
        self.write(&text)
    }

    fn finish(mut self: Box<Self>, totals: &Totals) -> Result<(), WriteError> {
        let text = format!("\n{}", totals_text(totals, self.lang));
        self.write(&text)?;
        match self.out.flush() {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(
                crate::files::WriteError::from_io(Path::new(crate::files::STDOUT), &e),
            ),
            _ => Ok(()),
        }
    }
}

struct Csv {
    path: PathBuf,
    csv: csv::Writer<BufWriter<Stream>>,
    lang: Lang,
}

fn csv_error(path: &Path, e: csv::Error) -> WriteError {
    let io = match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    };
    WriteError::from_io(path, &io)
}

/// A buffered stream's stream back, to commit it.
fn unbuffer(path: &Path, out: BufWriter<Stream>) -> Result<Stream, WriteError> {
    out.into_inner()
        .map_err(|e| WriteError::from_io(path, e.error()))
}

impl Summary for Csv {
    fn rows(&mut self, rows: &[Row]) -> Result<(), WriteError> {
        for row in rows {
            self.csv
                .write_record(cells(row, self.lang).iter().map(|c| c.as_bytes()))
                .map_err(|e| csv_error(&self.path, e))?;
        }
        Ok(())
    }

    /// A CSV file holds the rows alone, so that any program reads it as one table; the totals
    /// are printed on standard output.
    fn finish(self: Box<Self>, _totals: &Totals) -> Result<(), WriteError> {
        // The system's error itself, so that a full disk is said to be one.
        let out = self
            .csv
            .into_inner()
            .map_err(|e| WriteError::from_io(&self.path, e.error()))?;
        unbuffer(&self.path, out)?.finish()
    }
}

struct Jsonl {
    path: PathBuf,
    out: BufWriter<Stream>,
    lang: Lang,
}

/// A row of the JSON Lines summary: keys in English whatever the language, values as strings
/// (decimals as written, never floats).
#[derive(serde::Serialize)]
struct JsonRow<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rating: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lost: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    top_loss: Option<&'a str>,
    status: &'a str,
    location: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    /// 复核: the total the department reported, and the computed total less it.
    #[serde(skip_serializing_if = "Option::is_none")]
    reported: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    difference: Option<String>,
}

impl Summary for Jsonl {
    fn rows(&mut self, rows: &[Row]) -> Result<(), WriteError> {
        let _ = self.lang;
        for row in rows {
            let json = match &row.outcome {
                Ok(s) => JsonRow {
                    id: &row.id,
                    total: Some(column(s.total, 2)),
                    rating: Some(&s.rating),
                    lost: Some(column(s.lost, 2)),
                    top_loss: s.top.as_deref(),
                    status: "ok",
                    location: &row.place,
                    message: None,
                    reported: s.reported.map(|r| column(r, 2)),
                    difference: s.reported.map(|r| signed(s.total - r)),
                },
                Err(f) => JsonRow {
                    id: &row.id,
                    total: None,
                    rating: None,
                    lost: None,
                    top_loss: None,
                    status: &f.code,
                    location: &f.location,
                    message: Some(&f.message),
                    reported: None,
                    difference: None,
                },
            };
            // A row of strings always serialises: what can fail is the write, said as the
            // system's error (its kind kept, not wrapped as "other").
            serde_json::to_writer(&mut self.out, &json)
                .map_err(|e| WriteError::from_io(&self.path, &std::io::Error::from(e)))?;
            self.out
                .write_all(b"\n")
                .map_err(|e| WriteError::from_io(&self.path, &e))?;
        }
        Ok(())
    }

    /// Rows only, as for CSV: every line is a department.
    fn finish(self: Box<Self>, _totals: &Totals) -> Result<(), WriteError> {
        unbuffer(&self.path, self.out)?.finish()
    }
}

struct Xlsx {
    path: PathBuf,
    book: rust_xlsxwriter::Workbook,
    /// The next row to write (0 is the head).
    row: u32,
    lang: Lang,
}

/// The largest number of rows of a sheet, head included.
const XLSX_ROWS: u32 = 1_048_576;

/// A spreadsheet that cannot be written, in words of our own in both languages: a failure to
/// write is the system's, said as any failed write is; anything else is the spreadsheet
/// writer's, whose words are English (and, passed on as a system error, would be lost).
fn xlsx_error(path: &Path, e: rust_xlsxwriter::XlsxError) -> WriteError {
    let (message, help) = match e {
        rust_xlsxwriter::XlsxError::IoError(io) => return WriteError::from_io(path, &io),
        other => (
            Text::new(
                format!("the spreadsheet writer failed: {other}"),
                format!("电子表格写入程序出错：{other}"),
            ),
            Text::new(
                "write the summary as .csv or .jsonl instead",
                "请改把汇总写成 .csv 或 .jsonl",
            ),
        ),
    };
    WriteError::Io {
        path: path.to_string_lossy().into_owned(),
        message,
        help,
    }
}

/// A summary with more departments than a sheet has rows.
fn too_many_rows(path: &Path) -> WriteError {
    // XLSX_ROWS less the head row.
    let most = "1,048,575";
    WriteError::Io {
        path: path.to_string_lossy().into_owned(),
        message: Text::new(
            format!("a spreadsheet holds at most {most} departments, one a row"),
            format!("电子表格最多容纳 {most} 个部门（每行一个）"),
        ),
        help: Text::new(
            "write the summary as .csv or .jsonl, which hold any number of departments",
            "请把汇总写成 .csv 或 .jsonl，它们能容纳任意数目的部门",
        ),
    }
}

impl Xlsx {
    fn new(path: &Path, lang: Lang) -> Result<Xlsx, WriteError> {
        let fail = |e| xlsx_error(path, e);
        // A fixed creation time: the same departments give the same bytes.
        let mut book = crate::report::xlsx::workbook().map_err(fail)?;
        // Rows go to a temporary file as they come, not into memory.
        let sheet = book.add_worksheet_with_constant_memory();
        sheet.set_name(words::rows_sheet(lang)).map_err(fail)?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, head) in (0u16..).zip(words::heads(lang)) {
            sheet
                .write_string_with_format(0, c, head, &bold)
                .map_err(fail)?;
        }
        Ok(Xlsx {
            path: path.to_path_buf(),
            book,
            row: 1,
            lang,
        })
    }
}

impl Summary for Xlsx {
    fn rows(&mut self, rows: &[Row]) -> Result<(), WriteError> {
        let path = self.path.clone();
        let fail = |e| xlsx_error(&path, e);
        let sheet = self.book.worksheet_from_index(0).map_err(fail)?;
        for row in rows {
            if self.row >= XLSX_ROWS {
                return Err(too_many_rows(&path));
            }
            let cells = cells(row, self.lang);
            for (c, text) in (0u16..).zip(&cells) {
                // Totals and points lost are numbers a spreadsheet can add up; an exact decimal
                // of two places is exact as a double too when shown with two places.
                let number = match (c, &row.outcome) {
                    (1, Ok(s)) => Some(s.total),
                    (3, Ok(s)) => Some(s.lost),
                    (8, Ok(s)) => s.reported,
                    (9, Ok(s)) => s.reported.map(|r| s.total - r),
                    _ => None,
                };
                match number.and_then(|d| d.to_string().parse::<f64>().ok()) {
                    Some(n) => sheet.write_number(self.row, c, n).map(|_| ()),
                    None if text.is_empty() => Ok(()),
                    None => sheet.write_string(self.row, c, text.as_ref()).map(|_| ()),
                }
                .map_err(fail)?;
            }
            self.row += 1;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, totals: &Totals) -> Result<(), WriteError> {
        let path = self.path.clone();
        let fail = |e| xlsx_error(&path, e);
        let sheet = self.book.add_worksheet();
        sheet
            .set_name(words::totals_sheet(self.lang))
            .map_err(fail)?;
        for (r, (label, value)) in (0u32..).zip(totals_lines(totals, self.lang)) {
            sheet.write_string(r, 0, label).map_err(fail)?;
            sheet.write_string(r, 1, value).map_err(fail)?;
        }
        let bytes = self.book.save_to_buffer().map_err(fail)?;
        crate::files::write_bytes(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Localized;

    /// A spreadsheet summary past a sheet's last row is said in the run's language, with what
    /// to do: not the spreadsheet writer's English passed on as "other error".
    #[test]
    fn a_spreadsheet_too_long_is_said_in_both_languages() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.xlsx");
        let mut xlsx = Xlsx::new(&path, Lang::Zh).unwrap();
        xlsx.row = XLSX_ROWS;
        let row = Row {
            id: "甲".into(),
            place: "d.jsonl:1".into(),
            outcome: Err(super::super::Failed {
                code: String::new(),
                location: String::new(),
                message: String::new(),
            }),
        };
        let e = xlsx.rows(&[row]).unwrap_err();
        let zh = e.zh();
        assert!(
            zh.message.contains("电子表格最多容纳 1,048,575 个部门"),
            "{}",
            zh.message
        );
        assert!(!zh.message.contains("other error"), "{}", zh.message);
        assert!(
            e.to_string().contains("at most 1,048,575 departments"),
            "{e}"
        );
    }
}
