//! The workbook printer (`--format xlsx`): the 自评表 as a finance officer prints, signs and files
//! it, and the whole trace on a second sheet. Layout only: every word comes from
//! [`super::wording`] or from the files.
//!
//! The form sheet has the title and the department, the table (一级/二级/三级指标 with a group's
//! name merged down its rows, 分值, 得分, 扣分, 评分标准, 扣分原因), the total and rating, and a
//! signature block; it prints on A4 landscape, one page wide, its head row repeated on every
//! page. Numbers are numeric cells shown with at least two decimals. The same trace gives the same bytes:
//! the workbook's creation time is fixed.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::wording::{self, Lang, rating_why, rescale_line, target_text, why_lost};
use crate::trace::{Node, Trace};

/// Columns of the form: three levels of names, points, score, lost, basis, why.
const COLUMNS: u16 = 8;
/// The row the table's head is on (0-based), repeated on every printed page.
const HEAD: u32 = 3;
/// Numbers as the text trace shows them: at least two decimals, and every further digit the
/// value has (a spreadsheet shows no more than a double holds), so that a score rounded to three
/// places is not shown rounded again to two, and the rows still add up to the total on paper.
const NUMBER: &str = "0.00##########";
/// The width of the text columns (评分标准, 扣分原因), in characters of the default font.
const TEXT_WIDTH: usize = 44;

/// The trace as a workbook: the form first, the trace row by row second.
pub fn render(trace: &Trace, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = workbook()?;
    let styles = Styles::new();
    form(book.add_worksheet(), trace, lang, &styles)?;
    steps(book.add_worksheet(), trace, lang, &styles)?;
    book.save_to_buffer()
}

/// A workbook whose bytes depend only on what is written into it: its creation time is fixed
/// (a workbook otherwise records when it was made, and the same scores would give other bytes).
pub fn workbook() -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&fixed));
    Ok(book)
}

/// A decimal as a spreadsheet number, written as the number with the fewest digits that reads
/// back as it; `None` only for a value no double can hold (there is none below 7.9 × 10^28).
fn number(d: Decimal) -> Option<f64> {
    d.to_f64().filter(|f| f.is_finite())
}

struct Styles {
    title: Format,
    head: Format,
    text: Format,
    name: Format,
    num: Format,
    bold_num: Format,
    bold: Format,
    plain: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            head: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(0xD9D9D9),
            text: cell.clone(),
            name: cell.clone().set_align(FormatAlign::Left),
            num: cell.clone().set_num_format(NUMBER),
            bold_num: cell.clone().set_num_format(NUMBER).set_bold(),
            bold: cell.set_bold(),
            plain: Format::new(),
        }
    }
}

/// Writes `d` as a number in the given style, or as its digits where no double holds it.
fn write_number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    d: Decimal,
    style: &Format,
) -> Result<(), XlsxError> {
    match number(d) {
        Some(f) => sheet.write_number_with_format(row, col, f, style)?,
        None => sheet.write_string_with_format(row, col, d.to_string(), style)?,
    };
    Ok(())
}

fn form(sheet: &mut Worksheet, trace: &Trace, lang: Lang, s: &Styles) -> Result<(), XlsxError> {
    let l = lang.labels();
    sheet.set_name(l.form_sheet)?;
    for (col, width) in [
        (0, 14.0),
        (1, 14.0),
        (2, 18.0),
        (3, 8.0),
        (4, 8.0),
        (5, 8.0),
        (6, TEXT_WIDTH as f64),
        (7, TEXT_WIDTH as f64),
    ] {
        sheet.set_column_width(col, width)?;
    }
    sheet.merge_range(0, 0, 0, COLUMNS - 1, &trace.title, &s.title)?;
    let department = trace.department.as_deref().unwrap_or("");
    let year = wording::year(trace.year.as_deref(), lang);
    sheet.merge_range(
        1,
        0,
        1,
        COLUMNS - 1,
        &format!("{}{}{department}{year}", l.department, l.colon),
        &s.plain,
    )?;
    let heads = [
        l.level[0],
        l.level[1],
        l.level[2],
        l.points,
        l.score,
        l.deduction,
        l.basis,
        l.why,
    ];
    for (col, head) in (0u16..).zip(heads) {
        sheet.write_string_with_format(HEAD, col, head, &s.head)?;
    }
    let mut row = HEAD + 1;
    for node in &trace.indicators {
        row = indicator(sheet, node, 0, row, lang, s)?;
    }
    sheet.merge_range(row, 0, row, 2, l.total, &s.bold)?;
    write_number(sheet, row, 3, trace.points.0, &s.bold_num)?;
    write_number(sheet, row, 4, trace.total.0, &s.bold_num)?;
    write_number(sheet, row, 5, trace.deduction.0, &s.bold_num)?;
    sheet.merge_range(row, 6, row, 7, "", &s.text)?;
    row += 1;
    sheet.merge_range(row, 0, row, 2, l.rating, &s.bold)?;
    let rating = format!("{}{}", trace.rating, lang.aside(&rating_why(trace, lang)));
    sheet.merge_range(row, 3, row, COLUMNS - 1, &rating, &s.bold)?;
    row += 1;
    if let Some(line) = rescale_line(trace, lang) {
        sheet.merge_range(row, 0, row, COLUMNS - 1, &line, &s.text)?;
        row += 1;
    }
    // The signature block, two rows below the table: each label with room to write beside it.
    row += 1;
    for (col, label) in [0u16, 2, 4, 6, 7].into_iter().zip(l.signature) {
        sheet.write_string(row, col, format!("{label}{}", l.colon))?;
    }
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(HEAD, HEAD)?;
    sheet.set_footer("&C&P / &N");
    Ok(())
}

/// One indicator's row, and its children's below it; returns the next free row. A group of the
/// first two levels has its name merged down its rows; a leaf there spans the level columns to
/// its right; deeper levels share the third column, indented.
fn indicator(
    sheet: &mut Worksheet,
    node: &Node,
    depth: usize,
    row: u32,
    lang: Lang,
    s: &Styles,
) -> Result<u32, XlsxError> {
    let col = u16::try_from(depth.min(2)).unwrap_or(2);
    let mut next = row + 1;
    if !node.children.is_empty() {
        for child in &node.children {
            next = indicator(sheet, child, depth + 1, next, lang, s)?;
        }
    }
    match (depth < 2, node.children.is_empty()) {
        (true, false) if next - 1 > row => {
            sheet.merge_range(row, col, next - 1, col, &node.name, &s.name)?;
        }
        (true, true) => {
            sheet.merge_range(row, col, row, 2, &node.name, &s.name)?;
        }
        _ => {
            let indent = u8::try_from(depth.saturating_sub(2)).unwrap_or(u8::MAX);
            let style = s.name.clone().set_indent(indent);
            sheet.write_string_with_format(row, col, &node.name, &style)?;
        }
    }
    // The level columns left of the name, and right of a group's name on its own row, are
    // blank cells with borders.
    for c in 0..col {
        if !merged_above(depth, c) {
            sheet.write_blank(row, c, &s.text)?;
        }
    }
    if !node.children.is_empty() {
        for c in col + 1..3 {
            sheet.write_blank(row, c, &s.text)?;
        }
    }
    write_number(sheet, row, 3, node.points.0, &s.num)?;
    write_number(sheet, row, 4, node.score.0, &s.num)?;
    write_number(sheet, row, 5, node.deduction.0, &s.num)?;
    let basis = node
        .basis
        .clone()
        .or_else(|| target_text(node, lang))
        .unwrap_or_default();
    let why = why_lost(node, lang);
    sheet.write_string_with_format(row, 6, &basis, &s.text)?;
    sheet.write_string_with_format(row, 7, &why, &s.text)?;
    // Spreadsheets do not grow a row for wrapped text on their own: as high as the longest text.
    let lines = [&basis, &why]
        .iter()
        .map(|t| super::width::width(t).div_ceil(TEXT_WIDTH))
        .max()
        .unwrap_or(1)
        .max(1);
    if lines > 1 {
        sheet.set_row_height(row, 15.0 * lines as f64)?;
    }
    Ok(next)
}

/// Whether the level column `col` of a row at `depth` is covered by an ancestor's merged name.
fn merged_above(depth: usize, col: u16) -> bool {
    usize::from(col) < depth.min(2)
}

/// The second sheet: every indicator with its numbers and where its rule stands, then each step
/// of its computation in words, a row each.
fn steps(sheet: &mut Worksheet, trace: &Trace, lang: Lang, s: &Styles) -> Result<(), XlsxError> {
    let l = lang.labels();
    sheet.set_name(l.trace_sheet)?;
    for (col, width) in [(0, 30), (1, 8), (2, 8), (3, 8), (4, 24), (5, 12), (6, 90)] {
        sheet.set_column_width(col, width)?;
    }
    let heads = [
        l.indicator,
        l.points,
        l.score,
        l.deduction,
        l.location,
        l.step,
        l.says,
    ];
    for (col, head) in (0u16..).zip(heads) {
        sheet.write_string_with_format(0, col, head, &s.head)?;
    }
    let mut row = 1;
    fn walk(
        sheet: &mut Worksheet,
        node: &Node,
        depth: usize,
        row: &mut u32,
        lang: Lang,
        s: &Styles,
    ) -> Result<(), XlsxError> {
        let indent = u8::try_from(depth).unwrap_or(u8::MAX);
        sheet.write_string_with_format(*row, 0, &node.name, &s.bold.clone().set_indent(indent))?;
        write_number(sheet, *row, 1, node.points.0, &s.num)?;
        write_number(sheet, *row, 2, node.score.0, &s.num)?;
        write_number(sheet, *row, 3, node.deduction.0, &s.num)?;
        sheet.write_string_with_format(*row, 4, super::file_line(&node.location), &s.text)?;
        *row += 1;
        if let Some(basis) = &node.basis {
            sheet.write_string(*row, 5, lang.labels().basis)?;
            sheet.write_string(*row, 6, basis)?;
            *row += 1;
        }
        for step in &node.steps {
            let words = wording::step(step, lang);
            sheet.write_string(*row, 5, words.label)?;
            sheet.write_string(*row, 6, &words.body)?;
            *row += 1;
        }
        for child in &node.children {
            walk(sheet, child, depth + 1, row, lang, s)?;
        }
        Ok(())
    }
    for node in &trace.indicators {
        walk(sheet, node, 0, &mut row, lang, s)?;
    }
    sheet.write_string_with_format(row, 0, l.total, &s.bold)?;
    write_number(sheet, row, 1, trace.points.0, &s.bold_num)?;
    write_number(sheet, row, 2, trace.total.0, &s.bold_num)?;
    write_number(sheet, row, 3, trace.deduction.0, &s.bold_num)?;
    row += 1;
    if let Some(step) = &trace.total_rounding {
        let words = wording::step(step, lang);
        sheet.write_string(row, 5, words.label)?;
        sheet.write_string(row, 6, &words.body)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, l.rating, &s.bold)?;
    sheet.write_string(
        row,
        6,
        format!("{}{}", trace.rating, lang.aside(&rating_why(trace, lang))),
    )?;
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    Ok(())
}
