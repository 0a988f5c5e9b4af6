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

use super::form::{Amount, FormView};
use super::wording::{self, Lang, rating_why, rescale_line, review, target_text, why_lost};
use crate::trace::{Node, Trace};

/// The row the table's head is on (0-based), repeated on every printed page.
const HEAD: u32 = 3;
/// Numbers as the text trace shows them: at least two decimals, and every further digit the
/// value has (a spreadsheet shows no more than a double holds), so that a score rounded to three
/// places is not shown rounded again to two, and the rows still add up to the total on paper.
const NUMBER: &str = "0.00##########";
/// A difference of 复核, with its sign: `+2.00`, `-0.32`.
const SIGNED: &str = "+0.00##;-0.00##;0.00";
/// Rates (the funds block's 执行率): a percentage with two decimals.
const RATE: &str = "0.00%";
/// The width of the text columns (评分标准, 扣分原因), in characters of the default font.
const TEXT_WIDTH: usize = 44;

/// The trace as a workbook: the form first, the trace row by row second.
pub fn render(trace: &Trace, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = workbook()?;
    let styles = Styles::new();
    match super::form::is_form(trace) {
        true => national(book.add_worksheet(), trace, lang, &styles)?,
        false => form(book.add_worksheet(), trace, lang, &styles)?,
    }
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
    /// A label cell of the national form: bold, centred, bordered.
    label: Format,
    /// A rate of the funds block: a percentage with two decimals.
    rate: Format,
    /// A computed score that differs from the reported one.
    differs: Format,
    /// The year under the title.
    centre: Format,
    /// A difference, with its sign.
    signed: Format,
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
            label: cell.clone().set_bold().set_align(FormatAlign::Center),
            rate: cell.clone().set_num_format(RATE),
            differs: cell
                .clone()
                .set_num_format(NUMBER)
                .set_bold()
                .set_font_color(0xB3261E),
            signed: cell.clone().set_num_format(SIGNED),
            bold: cell.set_bold(),
            plain: Format::new(),
            centre: Format::new().set_align(FormatAlign::Center),
        }
    }
}

/// Text across a range of cells, merged; a range of one cell is written as it is (a
/// spreadsheet refuses to merge one cell).
fn merge(
    sheet: &mut Worksheet,
    (first_row, first_col, last_row, last_col): (u32, u16, u32, u16),
    text: &str,
    style: &Format,
) -> Result<(), XlsxError> {
    match (first_row, first_col) == (last_row, last_col) {
        true => sheet.write_string_with_format(first_row, first_col, text, style)?,
        false => sheet.merge_range(first_row, first_col, last_row, last_col, text, style)?,
    };
    Ok(())
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
    // With reported scores, 自评 stands between 分值 and the computed 复核 score.
    let reviewed = review::any(trace);
    let cols = Columns::new(reviewed);
    let last = cols.why;
    sheet.set_name(l.form_sheet)?;
    for (col, width) in [(0, 14.0), (1, 14.0), (2, 18.0), (cols.points, 8.0)]
        .into_iter()
        .chain(cols.reported.map(|c| (c, 8.0)))
        .chain([
            (cols.score, 8.0),
            (cols.lost, 8.0),
            (cols.basis, TEXT_WIDTH as f64),
            (cols.why, TEXT_WIDTH as f64),
        ])
    {
        sheet.set_column_width(col, width)?;
    }
    sheet.merge_range(0, 0, 0, last, &trace.title, &s.title)?;
    let department = trace.department.as_deref().unwrap_or("");
    let year = wording::year(trace.year.as_deref(), lang);
    sheet.merge_range(
        1,
        0,
        1,
        last,
        &format!("{}{}{department}{year}", l.department, l.colon),
        &s.plain,
    )?;
    let score_head = if reviewed {
        review::computed(lang)
    } else {
        l.score
    };
    let heads = [
        (0, l.level[0]),
        (1, l.level[1]),
        (2, l.level[2]),
        (cols.points, l.points),
        (cols.score, score_head),
        (cols.lost, l.deduction),
        (cols.basis, l.basis),
        (cols.why, l.why),
    ]
    .into_iter()
    .chain(cols.reported.map(|c| (c, review::reported(lang))));
    for (col, head) in heads {
        sheet.write_string_with_format(HEAD, col, head, &s.head)?;
    }
    let mut row = HEAD + 1;
    for node in &trace.indicators {
        row = indicator(sheet, node, 0, row, &cols, lang, s)?;
    }
    sheet.merge_range(row, 0, row, 2, l.total, &s.bold)?;
    write_number(sheet, row, cols.points, trace.points.0, &s.bold_num)?;
    if let Some(col) = cols.reported {
        match trace.reported {
            Some(d) => write_number(sheet, row, col, d.0, &s.bold_num)?,
            None => {
                sheet.write_blank(row, col, &s.text)?;
            }
        }
    }
    write_number(sheet, row, cols.score, trace.total.0, &s.bold_num)?;
    write_number(sheet, row, cols.lost, trace.deduction.0, &s.bold_num)?;
    sheet.merge_range(row, cols.basis, row, cols.why, "", &s.text)?;
    row += 1;
    sheet.merge_range(row, 0, row, 2, l.rating, &s.bold)?;
    let rating = format!("{}{}", trace.rating, lang.aside(&rating_why(trace, lang)));
    sheet.merge_range(row, 3, row, last, &rating, &s.bold)?;
    row += 1;
    if let Some(line) = rescale_line(trace, lang) {
        sheet.merge_range(row, 0, row, last, &line, &s.text)?;
        row += 1;
    }
    if reviewed {
        row = differences(sheet, trace, row + 1, last, lang, s)?;
    }
    // The signature block, two rows below the table: each label with room to write beside it.
    row += 1;
    for (col, label) in [0u16, 2, 4, cols.basis, cols.why]
        .into_iter()
        .zip(l.signature)
    {
        sheet.write_string(row, col, format!("{label}{}", l.colon))?;
    }
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(HEAD, HEAD)?;
    sheet.set_footer("&C&P / &N");
    Ok(())
}

/// The columns of the departmental form after the three levels: 分值, [自评], 得分, 扣分,
/// 评分标准, 扣分原因.
struct Columns {
    points: u16,
    reported: Option<u16>,
    score: u16,
    lost: u16,
    basis: u16,
    why: u16,
}

impl Columns {
    fn new(reviewed: bool) -> Columns {
        let r = u16::from(reviewed);
        Columns {
            points: 3,
            reported: reviewed.then_some(4),
            score: 4 + r,
            lost: 5 + r,
            basis: 6 + r,
            why: 7 + r,
        }
    }
}

/// 复核 under a table, from `row`: the heading, the totals side by side, how many rows differ,
/// and each of them with its numbers and the reason (its name across columns 0–2, then
/// 自评, 复核, 差异 in 3–5, the reason from 6 to `last`). Returns the next free row.
fn differences(
    sheet: &mut Worksheet,
    trace: &Trace,
    mut row: u32,
    last: u16,
    lang: Lang,
    s: &Styles,
) -> Result<u32, XlsxError> {
    merge(sheet, (row, 0, row, last), review::heading(lang), &s.bold)?;
    row += 1;
    let mut lines: Vec<String> = review::totals(trace, lang).into_iter().collect();
    lines.push(review::count(trace, lang));
    for line in lines {
        merge(sheet, (row, 0, row, last), &line, &s.text)?;
        row += 1;
    }
    if trace.differences.is_empty() {
        return Ok(row);
    }
    let h = review::heads(lang);
    merge(sheet, (row, 0, row, 2), h[0], &s.head)?;
    sheet.write_string_with_format(row, 3, h[1], &s.head)?;
    sheet.write_string_with_format(row, 4, h[2], &s.head)?;
    sheet.write_string_with_format(row, 5, h[3], &s.head)?;
    merge(sheet, (row, 6, row, last), h[4], &s.head)?;
    row += 1;
    for d in &trace.differences {
        let path = d.path.join(" / ");
        let why = review::reason(trace, d, lang);
        merge(sheet, (row, 0, row, 2), &path, &s.name)?;
        write_number(sheet, row, 3, d.reported.0, &s.num)?;
        write_number(sheet, row, 4, d.computed.0, &s.num)?;
        write_number(sheet, row, 5, d.computed.0 - d.reported.0, &s.signed)?;
        merge(sheet, (row, 6, row, last), &why, &s.text)?;
        let lines = super::width::width(&why)
            .div_ceil(TEXT_WIDTH)
            // The name spans the three level columns: 46 characters on the indicator table, 62 on
            // the national form (a row a line too high there rather than one clipped here).
            .max(super::width::width(&path).div_ceil(46))
            .max(1);
        if lines > 1 {
            sheet.set_row_height(row, 15.0 * lines as f64)?;
        }
        row += 1;
    }
    Ok(row)
}

/// One indicator's row, and its children's below it; returns the next free row. A group of the
/// first two levels has its name merged down its rows; a leaf there spans the level columns to
/// its right; deeper levels share the third column, indented.
fn indicator(
    sheet: &mut Worksheet,
    node: &Node,
    depth: usize,
    row: u32,
    cols: &Columns,
    lang: Lang,
    s: &Styles,
) -> Result<u32, XlsxError> {
    let col = u16::try_from(depth.min(2)).unwrap_or(2);
    let mut next = row + 1;
    if !node.children.is_empty() {
        for child in &node.children {
            next = indicator(sheet, child, depth + 1, next, cols, lang, s)?;
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
            sheet.write_string_with_format(row, col, node.name.as_str(), &style)?;
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
    write_number(sheet, row, cols.points, node.points.0, &s.num)?;
    if let Some(c) = cols.reported {
        match node.reported() {
            Some(d) => write_number(sheet, row, c, d.0, &s.num)?,
            None => {
                sheet.write_blank(row, c, &s.text)?;
            }
        }
    }
    let differs = node.reported().is_some_and(|d| d != node.score);
    let style = if differs { &s.differs } else { &s.num };
    write_number(sheet, row, cols.score, node.score.0, style)?;
    write_number(sheet, row, cols.lost, node.deduction.0, &s.num)?;
    let basis = node
        .basis()
        .map(str::to_string)
        .or_else(|| target_text(node, lang))
        .unwrap_or_default();
    let why = why_lost(node, lang);
    sheet.write_string_with_format(row, cols.basis, &basis, &s.text)?;
    sheet.write_string_with_format(row, cols.why, &why, &s.text)?;
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
        trace: &Trace,
        node: &Node,
        depth: usize,
        row: &mut u32,
        lang: Lang,
        s: &Styles,
    ) -> Result<(), XlsxError> {
        let indent = u8::try_from(depth).unwrap_or(u8::MAX);
        sheet.write_string_with_format(
            *row,
            0,
            node.name.as_str(),
            &s.bold.clone().set_indent(indent),
        )?;
        write_number(sheet, *row, 1, node.points.0, &s.num)?;
        write_number(sheet, *row, 2, node.score.0, &s.num)?;
        write_number(sheet, *row, 3, node.deduction.0, &s.num)?;
        sheet.write_string_with_format(
            *row,
            4,
            super::file_line(trace.file_name(node.location.file), &node.location),
            &s.text,
        )?;
        *row += 1;
        if let Some(basis) = node.basis() {
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
            walk(sheet, trace, child, depth + 1, row, lang, s)?;
        }
        Ok(())
    }
    for node in &trace.indicators {
        walk(sheet, trace, node, 0, &mut row, lang, s)?;
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

/// The national 项目支出绩效自评表 (财预〔2020〕10号 annex), for a trace whose records stand
/// under the form's levels: title and year; 项目名称, 主管部门, 实施单位; the funds block; 年度总体
/// 目标; the indicator table with the 一级/二级 cells merged down their rows and 自评 beside 复核
/// where the data reports scores; 总分 and the rating; 复核差异; the form's other cells; the
/// signature block. Columns: 一级 二级 三级 年度指标值 实际完成值 分值 得分 [复核] 偏差原因.
fn national(sheet: &mut Worksheet, trace: &Trace, lang: Lang, s: &Styles) -> Result<(), XlsxError> {
    let l = lang.labels();
    let w = lang.form();
    let view = FormView::of(trace, lang);
    let reviewed = view.reviewed;
    // The score columns, and the last column (偏差原因).
    let (reported_col, score_col) = match reviewed {
        true => (Some(6u16), 7u16),
        false => (None, 6u16),
    };
    let last = score_col + 1;
    let widths: [f64; 9] = [16.0, 20.0, 26.0, 14.0, 14.0, 9.0, 10.0, 10.0, 30.0];
    for col in 0..=last {
        let width = match col == last {
            true => 30.0,
            false => widths[usize::from(col)],
        };
        sheet.set_column_width(col, width)?;
    }
    // How many characters a span of columns holds, for the height of wrapped text.
    let span = |from: u16, to: u16| -> usize {
        (from..=to)
            .map(|c| match c == last {
                true => 30,
                false => widths[usize::from(c)] as usize,
            })
            .sum()
    };
    let tall =
        |sheet: &mut Worksheet, row: u32, texts: &[(&str, usize)]| -> Result<(), XlsxError> {
            let lines = texts
                .iter()
                .map(|(t, chars)| {
                    // A character of the default font is about one unit of column width; each
                    // line of the text wraps on its own.
                    t.split('\n')
                        .map(|line| super::width::width(line).div_ceil((*chars).max(1)).max(1))
                        .sum::<usize>()
                })
                .max()
                .unwrap_or(1)
                .max(1);
            if lines > 1 {
                sheet.set_row_height(row, 15.0 * lines as f64)?;
            }
            Ok(())
        };

    sheet.set_name(l.form_sheet)?;
    merge(sheet, (0, 0, 0, last), &trace.title, &s.title)?;
    sheet.set_row_height(0, 28.0)?;
    let year = trace
        .year
        .as_deref()
        .map(|y| wording::form::year(y, lang))
        .unwrap_or_default();
    merge(sheet, (1, 0, 1, last), &year, &s.centre)?;
    // The header block.
    let department = trace.department.as_deref().unwrap_or("");
    merge(sheet, (2, 0, 2, 1), w.project, &s.label)?;
    merge(sheet, (2, 2, 2, last), department, &s.text)?;
    merge(
        sheet,
        (3, 0, 3, 1),
        wording::form::key("主管部门", lang),
        &s.label,
    )?;
    merge(sheet, (3, 2, 3, 4), view.authority.unwrap_or(""), &s.text)?;
    merge(
        sheet,
        (3, 5, 3, 6),
        wording::form::key("实施单位", lang),
        &s.label,
    )?;
    merge(
        sheet,
        (3, 7, 3, last),
        view.implementer.unwrap_or(""),
        &s.text,
    )?;
    tall(
        sheet,
        3,
        &[
            (view.authority.unwrap_or(""), span(2, 4)),
            (view.implementer.unwrap_or(""), span(7, last)),
        ],
    )?;
    let mut row = 4u32;

    // The funds block: its label down the left, the heads, the total row and the sub-rows.
    let funds = &view.funds;
    let head_rows = if reviewed { 2 } else { 1 };
    let funds_last = row + head_rows - 1 + funds.rows.len() as u32;
    merge(sheet, (row, 0, funds_last, 0), w.funds, &s.label)?;
    // Money columns 2–4, 分值 5, 执行率 6, 得分 7 (自评 7 and 复核 8 with 复核).
    let heads: [(u16, &str); 5] = [
        (2, w.funds_heads[0]),
        (3, w.funds_heads[1]),
        (4, w.funds_heads[2]),
        (5, w.funds_heads[3]),
        (6, w.funds_heads[4]),
    ];
    let mut cols: Vec<(u16, &str)> = vec![(1, "")];
    cols.extend(heads);
    if reviewed {
        for (col, head) in cols {
            merge(sheet, (row, col, row + 1, col), head, &s.head)?;
        }
        merge(sheet, (row, 7, row, 8), w.funds_heads[5], &s.head)?;
        sheet.write_string_with_format(row + 1, 7, review::reported(lang), &s.head)?;
        sheet.write_string_with_format(row + 1, 8, review::computed(lang), &s.head)?;
    } else {
        for (col, head) in cols {
            sheet.write_string_with_format(row, col, head, &s.head)?;
        }
        sheet.write_string_with_format(row, 7, w.funds_heads[5], &s.head)?;
    }
    row += head_rows;
    for (i, line) in funds.rows.iter().enumerate() {
        let style = if line.sub { &s.name } else { &s.bold };
        sheet.write_string_with_format(row, 1, &line.label, style)?;
        tall(sheet, row, &[(&line.label, span(1, 1))])?;
        for (col, cell) in [2u16, 3, 4, 6].into_iter().zip(&line.cells) {
            match cell {
                Some(Amount::Number(d)) => write_number(sheet, row, col, *d, &s.num)?,
                Some(Amount::Rate(d)) => write_number(sheet, row, col, *d, &s.rate)?,
                Some(Amount::Text(t)) => {
                    sheet.write_string_with_format(row, col, t, &s.text)?;
                }
                None => {
                    sheet.write_blank(row, col, &s.text)?;
                }
            }
        }
        // 分值 and 得分 stand on the total row; the sub-rows leave them blank.
        let total_row = i == 0;
        let score_cells: Vec<(u16, Option<Decimal>, &Format)> = match reviewed {
            true => vec![
                (5, funds.points, &s.num),
                (7, funds.reported, &s.num),
                (
                    8,
                    funds.score,
                    if funds.reported.is_some() && funds.reported != funds.score {
                        &s.differs
                    } else {
                        &s.num
                    },
                ),
            ],
            false => vec![(5, funds.points, &s.num), (7, funds.score, &s.num)],
        };
        for (col, value, style) in score_cells {
            match (total_row, value) {
                (true, Some(d)) => write_number(sheet, row, col, d, style)?,
                _ => {
                    sheet.write_blank(row, col, &s.text)?;
                }
            }
        }
        row += 1;
    }

    // 年度总体目标: 预期目标 beside 实际完成情况.
    if view.expected.is_some() || view.achieved.is_some() {
        merge(sheet, (row, 0, row + 1, 0), w.goals, &s.label)?;
        merge(sheet, (row, 1, row, 4), w.expected, &s.head)?;
        merge(sheet, (row, 5, row, last), w.achieved, &s.head)?;
        let (expected, achieved) = (view.expected.unwrap_or(""), view.achieved.unwrap_or(""));
        merge(sheet, (row + 1, 1, row + 1, 4), expected, &s.text)?;
        merge(sheet, (row + 1, 5, row + 1, last), achieved, &s.text)?;
        tall(
            sheet,
            row + 1,
            &[(expected, span(1, 4)), (achieved, span(5, last))],
        )?;
        row += 2;
    }

    // The indicator table's head: 得分 over 自评 and 复核 with 复核, else one row.
    let head = row;
    let heads = [
        l.level[0], l.level[1], l.level[2], w.target, w.actual, l.points,
    ];
    if reviewed {
        for (col, text) in (0u16..).zip(heads) {
            merge(sheet, (row, col, row + 1, col), text, &s.head)?;
        }
        merge(sheet, (row, 6, row, 7), l.score, &s.head)?;
        sheet.write_string_with_format(row + 1, 6, review::reported(lang), &s.head)?;
        sheet.write_string_with_format(row + 1, 7, review::computed(lang), &s.head)?;
        merge(sheet, (row, last, row + 1, last), w.reason, &s.head)?;
        row += 2;
    } else {
        for (col, text) in (0u16..).zip(heads) {
            sheet.write_string_with_format(row, col, text, &s.head)?;
        }
        sheet.write_string_with_format(row, 6, l.score, &s.head)?;
        sheet.write_string_with_format(row, last, w.reason, &s.head)?;
        row += 1;
    }
    let head_end = row - 1;

    // The rows; a group's name merged down the rows it holds.
    let first = row;
    for (i, r) in view.rows.iter().enumerate() {
        let at = first + i as u32;
        for slot in 0..2 {
            let group = r.groups[slot];
            let starts = i == 0 || view.rows[i - 1].groups[slot].map(|g| g.0) != group.map(|g| g.0);
            if !starts {
                continue;
            }
            let col = slot as u16;
            match group {
                Some((id, name)) => {
                    let run = view.rows[i..]
                        .iter()
                        .take_while(|o| o.groups[slot].map(|g| g.0) == Some(id))
                        .count() as u32;
                    merge(sheet, (at, col, at + run - 1, col), name, &s.name)?;
                }
                None => {
                    sheet.write_blank(at, col, &s.text)?;
                }
            }
        }
        let node = r.node;
        sheet.write_string_with_format(at, 2, node.name.as_str(), &s.name)?;
        sheet.write_string_with_format(at, 3, r.target.unwrap_or(""), &s.text)?;
        sheet.write_string_with_format(at, 4, r.actual.unwrap_or(""), &s.text)?;
        write_number(sheet, at, 5, node.points.0, &s.num)?;
        if let Some(col) = reported_col {
            match node.reported() {
                Some(d) => write_number(sheet, at, col, d.0, &s.num)?,
                None => {
                    sheet.write_blank(at, col, &s.text)?;
                }
            }
        }
        let differs = node.reported().is_some_and(|d| d != node.score);
        let style = if differs { &s.differs } else { &s.num };
        write_number(sheet, at, score_col, node.score.0, style)?;
        let reason = r.remarks(lang).join("\n");
        let reason = reason.as_str();
        sheet.write_string_with_format(at, last, reason, &s.text)?;
        tall(
            sheet,
            at,
            &[
                (reason, span(last, last)),
                (&node.name, span(2, 2)),
                (r.target.unwrap_or(""), span(3, 3)),
                (r.actual.unwrap_or(""), span(4, 4)),
            ],
        )?;
    }
    row = first + view.rows.len() as u32;

    // 总分: the table's points, the reported total beside the computed one.
    merge(sheet, (row, 0, row, 4), w.total, &s.label)?;
    write_number(sheet, row, 5, trace.points.0, &s.bold_num)?;
    if let Some(col) = reported_col {
        match trace.reported {
            Some(d) => write_number(sheet, row, col, d.0, &s.bold_num)?,
            None => {
                sheet.write_blank(row, col, &s.text)?;
            }
        }
    }
    let total_style = match trace.reported {
        Some(r) if r != trace.total => &s.differs,
        _ => &s.bold_num,
    };
    write_number(sheet, row, score_col, trace.total.0, total_style)?;
    sheet.write_blank(row, last, &s.text)?;
    row += 1;
    merge(sheet, (row, 0, row, 4), l.rating, &s.label)?;
    let rating = format!("{}{}", trace.rating, lang.aside(&rating_why(trace, lang)));
    merge(sheet, (row, 5, row, last), &rating, &s.bold)?;
    row += 1;
    if let Some(line) = rescale_line(trace, lang) {
        merge(sheet, (row, 0, row, last), &line, &s.text)?;
        row += 1;
    }

    // 复核: the totals side by side, and each row that differs with the reason.
    if reviewed {
        row = differences(sheet, trace, row + 1, last, lang, s)?;
    }

    // The form's other cells: 评价结论, 存在问题, 改进措施 …
    if !view.remarks.is_empty() {
        row += 1;
        for (label, value) in &view.remarks {
            merge(sheet, (row, 0, row, 1), label, &s.label)?;
            merge(sheet, (row, 2, row, last), value, &s.text)?;
            tall(sheet, row, &[(value, span(2, last))])?;
            row += 1;
        }
    }

    // The signature block, two rows below: each label with room to write beside it.
    row += 1;
    for (col, label) in [0u16, 2, 4, 5, 7].into_iter().zip(l.signature) {
        sheet.write_string(row, col, format!("{label}{}", l.colon))?;
    }
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    sheet.set_repeat_rows(head, head_end)?;
    sheet.set_footer("&C&P / &N");
    Ok(())
}
