//! Stage 2½ (form file → [`super::Form`]), the last step: which 自评表 a grid is, by its header
//! cells, and its cells read under the canonical keys of the shared spec (the national names;
//! the Sichuan and departmental wording maps onto them). Every check of the form as a form is
//! here too: a total row of zeros beside filled rows, a total that contradicts its rows, a row
//! with a name but no 分值, a second indicator table. Nothing is guessed silently: what is not
//! recognised is left out of the form, and what contradicts itself is an error or a warning
//! naming the cell.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::error::FormError;
use super::grid::{self, Grid, Raw, label, normalize};
use super::{CellValue, Layout};

/// Header cells of the indicator table, as the forms write them, and the canonical key each
/// column's values are read under.
const TABLE_COLUMNS: &[(&str, &str)] = &[
    ("一级指标", "一级指标"),
    ("二级指标", "二级指标"),
    ("三级指标", "名称"),
    ("指标性质", "指标性质"),
    ("年度指标值", "指标值"),
    ("指标值", "指标值"),
    ("度量单位", "度量单位"),
    ("计量单位", "度量单位"),
    ("实际完成值", "实际完成值"),
    ("全年实际完成值", "实际完成值"),
    ("完成值", "实际完成值"),
    ("分值", "分值"),
    ("权重", "分值"),
    ("得分", "得分"),
    ("自评得分", "得分"),
    ("实际得分", "得分"),
    ("评分", "得分"),
    ("偏差原因分析及改进措施", "偏差原因"),
    ("未完成原因分析", "偏差原因"),
    ("偏差原因", "偏差原因"),
];

/// Header cells of the funds block (national / Sichuan wording) and their canonical column.
const FUNDS_COLUMNS: &[(&str, &str)] = &[
    ("年初预算数", "年初预算数"),
    ("年初预算", "年初预算数"),
    ("全年预算数", "全年预算数"),
    ("调整后预算数", "全年预算数"),
    ("全年执行数", "全年执行数"),
    ("预算执行数", "全年执行数"),
    ("执行率", "执行率"),
    ("预算执行率", "执行率"),
    ("分值", "分值"),
    ("权重", "分值"),
    ("得分", "得分"),
    ("自评得分", "得分"),
    ("实际得分", "得分"),
    ("评分", "得分"),
];

/// The funds columns that are amounts: a total row's amount is the sum of the rows below it.
const AMOUNTS: &[&str] = &["年初预算数", "全年预算数", "全年执行数"];

/// The label of the funds block's total row.
const FUNDS_TOTALS: &[&str] = &["年度资金总额", "总额", "资金总额", "合计"];

/// The label of the indicator table's total row.
const TABLE_TOTALS: &[&str] = &["总分", "合计", "总计", "合计得分"];

/// Header labels whose value is the next cell to the right, and their canonical key.
const LABELS: &[(&str, &str)] = &[
    ("项目名称", "项目名称"),
    ("部门名称", "部门名称"),
    ("部门(单位)名称", "部门名称"),
    ("单位名称", "部门名称"),
    ("主管部门", "主管部门"),
    ("实施单位", "实施单位"),
    ("年度", "年度"),
    ("项目实施内容及过程概述", "项目实施内容及过程概述"),
    ("评价结论", "评价结论"),
    ("存在问题", "存在问题"),
    ("改进措施", "改进措施"),
    ("项目负责人", "项目负责人"),
    ("财务负责人", "财务负责人"),
    ("填报人", "填报人"),
    ("审核人", "审核人"),
    ("联系电话", "联系电话"),
    ("填报日期", "填报日期"),
];

/// Headings whose value is the cell below (年度总体目标's two columns), and their key.
const GOALS: &[(&str, &str)] = &[
    ("预期目标", "预期目标"),
    ("项目年度目标", "预期目标"),
    ("年度目标", "预期目标"),
    ("实际完成情况", "实际完成情况"),
    ("年度目标完成情况", "实际完成情况"),
    ("实际完成目标", "实际完成情况"),
];

/// Labels of whole blocks: never a value, and the end of the block above them.
const SECTIONS: &[&str] = &[
    "年度总体目标",
    "总体目标",
    "项目基本情况",
    "项目年度目标完成情况",
    "绩效指标",
    "预算执行情况",
    "项目资金",
    "年度预算数",
    "年度主要任务",
];

/// What the layouts are recognised by, for the error that finds none of it (English, Chinese).
pub(crate) const LOOKED_FOR: (&str, &str) = (
    "项目名称 or 部门（单位）名称, the funds header 年初预算数 / 全年预算数 (Sichuan: 年初预算 / 调整后预算数), and the table header 三级指标",
    "“项目名称”或“部门（单位）名称”、资金表表头“年初预算数”/“全年预算数”（四川：“年初预算”/“调整后预算数”）以及绩效指标表表头“三级指标”",
);

/// [`LOOKED_FOR`] as a phrase in both languages.
pub(crate) fn looked_for() -> crate::diagnostics::Text {
    crate::diagnostics::Text::new(LOOKED_FOR.0, LOOKED_FOR.1)
}

fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// One value read from a cell.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub key: String,
    pub value: CellValue,
    /// The cell that holds the value (a merged region's first cell).
    pub cell: (u32, u32),
    /// Where it is read, for the order of the form (a level filled down is read on its row).
    pub at: (u32, u32),
}

/// A problem of the form, and the cell whose line it points at.
pub(crate) struct Problem {
    pub error: FormError,
    pub at: Option<(u32, u32)>,
}

/// A grid read as a form.
pub(crate) struct Parsed {
    pub layout: Layout,
    pub fields: Vec<Found>,
    pub rows: Vec<Vec<Found>>,
    pub problems: Vec<Problem>,
}

/// Where the indicator table's header is: every row with a `三级指标` cell.
pub(crate) fn table_headers(g: &Grid) -> Vec<(u32, u32)> {
    (0..g.rows)
        .filter_map(|r| {
            g.row_cells(r)
                .into_iter()
                .find(|(_, raw)| label(raw) == "三级指标")
                .map(|(c, _)| (r, c))
        })
        .collect()
}

/// Reads one grid as a form, or says which header cells it lacks.
pub(crate) fn parse(name: &str, g: &Grid) -> Result<Parsed, FormError> {
    let layout_error = |missing: crate::diagnostics::Text| FormError::Layout {
        name: name.to_string(),
        missing,
        looked_for: looked_for(),
    };
    let tables = table_headers(g);
    let Some(&(table_row, _)) = tables.first() else {
        return Err(layout_error(crate::diagnostics::Text::new(
            "indicator table (a header cell 三级指标)",
            "绩效指标表（表头单元格“三级指标”）",
        )));
    };
    let mut p = Parsed {
        layout: Layout::National,
        fields: Vec::new(),
        rows: Vec::new(),
        problems: Vec::new(),
    };
    if let Some(&(second, col)) = tables.get(1) {
        p.problems.push(Problem {
            error: FormError::TwoTables {
                first: g.address(tables[0].0, tables[0].1),
                second: g.address(second, col),
                span: None,
            },
            at: None,
        });
    }
    let mut consumed = vec![false; g.rows as usize];

    // The funds block: the first row above the table with two of its amount headers.
    let funds_row = (0..table_row).find(|&r| {
        g.row_cells(r)
            .iter()
            .filter(|(_, raw)| {
                matches!(
                    lookup(FUNDS_COLUMNS, &label(raw)),
                    Some("年初预算数" | "全年预算数" | "全年执行数")
                )
            })
            .count()
            >= 2
    });
    let texts: Vec<String> = (0..g.rows)
        .flat_map(|r| g.row_cells(r).into_iter().map(|(_, raw)| label(raw)))
        .collect();
    let has = |words: &[&str]| texts.iter().any(|t| words.iter().any(|w| t == w));
    let title_has = |w: &str| texts.iter().any(|t| t.contains(w));
    let funds_headers: Vec<String> = funds_row
        .map(|r| g.row_cells(r).iter().map(|(_, raw)| label(raw)).collect())
        .unwrap_or_default();
    p.layout = if has(&["部门名称", "部门(单位)名称", "单位名称"])
        || title_has("部门整体支出绩效自评表")
    {
        Layout::Department
    } else if funds_headers
        .iter()
        .any(|h| h == "调整后预算数" || h == "预算执行数")
        || title_has("部门预算项目支出绩效自评表")
    {
        Layout::Sichuan
    } else if has(&["项目名称"]) || funds_row.is_some() {
        Layout::National
    } else {
        return Err(layout_error(crate::diagnostics::Text::new(
            "header cell 项目名称 or 部门（单位）名称, nor a funds block (年初预算数 / 全年预算数)",
            "表头单元格“项目名称”或“部门（单位）名称”，也没有资金表（年初预算数 / 全年预算数）",
        )));
    };

    if let Some(h) = funds_row {
        funds(g, h, table_row, &mut p, &mut consumed);
    }
    goals(g, table_row, &mut p, &mut consumed);
    table(g, table_row, &mut p, &mut consumed);
    for r in tables.iter().skip(1).map(|t| t.0) {
        consumed[r as usize] = true;
    }
    labels(g, &mut p, &consumed);
    year(
        g,
        &mut p,
        funds_row.unwrap_or(table_row).min(first_label_row(g)),
    );
    p.fields.sort_by_key(|f| f.at);
    Ok(p)
}

/// The first row holding a header label: what lies above it is the title.
fn first_label_row(g: &Grid) -> u32 {
    (0..g.rows)
        .find(|&r| {
            g.row_cells(r)
                .iter()
                .any(|(_, raw)| lookup(LABELS, &label(raw)).is_some())
        })
        .unwrap_or(g.rows)
}

/// A cell's value, if it holds one that applies; and the warning if it shows another.
fn value(g: &Grid, p: &mut Parsed, at: (u32, u32), raw: &Raw) -> Option<CellValue> {
    let read = grid::read(raw)?;
    let cell = g.address(at.0, at.1);
    let error = match read.hidden {
        Some(grid::Shown::Rounded { shown, stored }) => Some(FormError::HiddenDigits {
            cell: cell.clone(),
            shown,
            stored,
            span: None,
        }),
        Some(grid::Shown::Text {
            shown,
            stored,
            code,
        }) => Some(FormError::HiddenText {
            cell: cell.clone(),
            shown,
            stored,
            code,
            span: None,
        }),
        None => None,
    };
    let unclear = read.unclear.map(|code| FormError::NumberFormat {
        cell,
        stored: read.value.shown(),
        code,
        span: None,
    });
    for error in error.into_iter().chain(unclear) {
        p.problems.push(Problem {
            error,
            at: Some(at),
        });
    }
    Some(read.value)
}

/// A cell of its own at (row, col): not a part of a region merged from the left or above.
fn own(g: &Grid, row: u32, col: u32) -> Option<&Raw> {
    (g.origin(row, col) == (row, col))
        .then(|| g.raw(row, col))
        .flatten()
}

fn funds(g: &Grid, h: u32, table_row: u32, p: &mut Parsed, consumed: &mut [bool]) {
    consumed[h as usize] = true;
    let mut columns: Vec<(u32, String)> = Vec::new();
    let mut first = None;
    for (c, raw) in g.row_cells(h) {
        let text = label(raw);
        if let Some(key) = lookup(FUNDS_COLUMNS, &text) {
            first.get_or_insert(c);
            columns.push((c, key.to_string()));
        } else if first.is_some() && !text.is_empty() {
            // Another column of the block (Sichuan's 原因): kept under its header.
            columns.push((c, text));
        }
    }
    let Some(first) = first.filter(|&c| c > 0) else {
        return;
    };
    let label_col = first - 1;
    let mut total: Option<u32> = None;
    let mut sub_rows: Vec<u32> = Vec::new();
    for r in h + 1..table_row {
        if g.blank_row(r) {
            continue;
        }
        // The row's label: the nearest cell of its own left of the amounts (a label merged
        // across columns reads at its first, and a CSV export leaves the rest of it empty).
        let name = (0..=label_col).rev().find_map(|c| {
            let at = g.origin(r, c);
            (at.0 == r)
                .then(|| g.raw(at.0, at.1))
                .flatten()
                .map(label)
                .filter(|t| !t.is_empty())
        });
        let Some(name) = name else {
            break;
        };
        let section = g.row_cells(r).iter().any(|(_, raw)| {
            let t = label(raw);
            SECTIONS.contains(&t.as_str())
                || lookup(GOALS, &t).is_some()
                || lookup(LABELS, &t).is_some()
        });
        if section {
            break;
        }
        consumed[r as usize] = true;
        let name = funds_row_name(&name);
        let is_total =
            total.is_none() && sub_rows.is_empty() && FUNDS_TOTALS.contains(&name.as_str());
        if is_total {
            total = Some(r);
        } else {
            sub_rows.push(r);
        }
        for (c, column) in &columns {
            let Some(raw) = own(g, r, *c) else { continue };
            let Some(v) = value(g, p, (r, *c), raw) else {
                continue;
            };
            let key = match (is_total, column.as_str()) {
                (true, "分值") => "资金分值".to_string(),
                (true, "得分") => "资金得分".to_string(),
                (true, other) => other.to_string(),
                (false, other) => format!("{name}.{other}"),
            };
            p.fields.push(Found {
                key,
                value: v,
                cell: (r, *c),
                at: (r, *c),
            });
        }
    }
    // The departmental form lists its funds twice over (by source, then by use): its rows
    // are not one partition of the total, and are not added up.
    if p.layout == Layout::Department {
        return;
    }
    let Some(t) = total else { return };
    for (c, column) in columns
        .iter()
        .filter(|(_, k)| AMOUNTS.contains(&k.as_str()))
    {
        let number = |r: u32| -> Option<Decimal> {
            p.fields
                .iter()
                .find(|f| f.cell == (r, *c))
                .and_then(|f| match &f.value {
                    CellValue::Number(n) => Decimal::from_str(n).ok(),
                    CellValue::Percent(_) | CellValue::Text(_) | CellValue::Bool(_) => None,
                })
        };
        let parts: Vec<Decimal> = sub_rows.iter().filter_map(|&r| number(r)).collect();
        let (Some(total_value), false) = (number(t), parts.is_empty()) else {
            continue;
        };
        let sum: Decimal = parts.iter().sum();
        let cell = g.address(t, *c);
        if total_value.is_zero() && !sum.is_zero() {
            p.problems.push(Problem {
                error: FormError::ZeroTotal {
                    column: column.clone(),
                    cell,
                    sum: sum.normalize().to_string(),
                    span: None,
                },
                at: Some((t, *c)),
            });
        } else if total_value != sum {
            p.problems.push(Problem {
                error: FormError::TotalMismatch {
                    column: column.clone(),
                    cell,
                    total: total_value.normalize().to_string(),
                    sum: sum.normalize().to_string(),
                    span: None,
                },
                at: Some((t, *c)),
            });
        }
    }
}

/// A funds row's name as the canonical keys write it: `其中：本年财政拨款` → `当年财政拨款`.
fn funds_row_name(label: &str) -> String {
    let name = label
        .strip_prefix("其中:")
        .or_else(|| label.strip_prefix("其中"))
        .unwrap_or(label);
    match name {
        "本年财政拨款" => "当年财政拨款".to_string(),
        other => other.to_string(),
    }
}

/// 年度总体目标: the heading cells 预期目标 / 实际完成情况 (Sichuan: 项目年度目标 / 年度目标完成情况)
/// with their values in the row below.
fn goals(g: &Grid, table_row: u32, p: &mut Parsed, consumed: &mut [bool]) {
    for r in 0..table_row {
        if consumed[r as usize] {
            continue;
        }
        let heads: Vec<(u32, &'static str)> = g
            .row_cells(r)
            .into_iter()
            .filter_map(|(c, raw)| lookup(GOALS, &label(raw)).map(|k| (c, k)))
            .collect();
        if heads.is_empty() {
            continue;
        }
        consumed[r as usize] = true;
        for (c, key) in heads {
            for below in r + 1..table_row.min(r + 4) {
                let at = g.origin(below, c);
                if at.0 != below {
                    continue;
                }
                let Some(raw) = g.raw(at.0, at.1) else {
                    continue;
                };
                let text = label(raw);
                if SECTIONS.contains(&text.as_str()) || lookup(LABELS, &text).is_some() {
                    break;
                }
                consumed[below as usize] = true;
                if let Some(v) = value(g, p, at, raw) {
                    p.fields.push(Found {
                        key: key.to_string(),
                        value: v,
                        cell: at,
                        at,
                    });
                }
                break;
            }
        }
    }
}

/// The indicator table from its header row, to its total row or the first header label after it.
fn table(g: &Grid, h: u32, p: &mut Parsed, consumed: &mut [bool]) {
    consumed[h as usize] = true;
    let header = g.row_cells(h);
    let first = header
        .iter()
        .find(|(_, raw)| matches!(label(raw).as_str(), "一级指标" | "二级指标" | "三级指标"))
        .map_or(0, |(c, _)| *c);
    let mut columns: Vec<(u32, String)> = header
        .iter()
        .filter(|(c, _)| *c >= first)
        .filter_map(|(c, raw)| {
            let text = label(raw);
            let key = lookup(TABLE_COLUMNS, &text).map_or(text, str::to_string);
            (!key.is_empty()).then_some((*c, key))
        })
        .collect();
    // A header of two rows: 年度指标值 over 指标性质 | 指标值 | 度量单位. A row below the header
    // whose every cell is a column header names the columns under it.
    let mut start = h + 1;
    let sub = g.row_cells(start);
    if !sub.is_empty()
        && sub
            .iter()
            .all(|(_, raw)| lookup(TABLE_COLUMNS, &label(raw)).is_some())
    {
        consumed[start as usize] = true;
        for (c, raw) in sub {
            let key = lookup(TABLE_COLUMNS, &label(raw))
                .unwrap_or_default()
                .to_string();
            match columns.iter_mut().find(|(col, _)| *col == c) {
                Some(column) => column.1 = key,
                None => columns.push((c, key)),
            }
        }
        columns.sort_by_key(|(c, _)| *c);
        start += 1;
    }
    let col_of = |key: &str| columns.iter().find(|(_, k)| k == key).map(|(c, _)| *c);
    let (points_col, score_col, name_col) = (col_of("分值"), col_of("得分"), col_of("名称"));
    let mut levels: [Option<Found>; 2] = [None, None];
    let mut r = start;
    while r < g.rows {
        let cells = g.row_cells(r);
        if cells.is_empty() {
            // A spacer, or a row of a level merged down with nothing else: nothing to read.
            r = g.next_row_with_cells(r + 1);
            continue;
        }
        let first_text = cells.first().map(|(_, raw)| label(raw)).unwrap_or_default();
        if TABLE_TOTALS.contains(&first_text.as_str()) {
            consumed[r as usize] = true;
            total_row(g, r, cells[0].0, points_col, score_col, p);
            return;
        }
        let ends = cells.iter().any(|(_, raw)| {
            let t = label(raw);
            lookup(LABELS, &t).is_some()
                || t == "三级指标"
                || SECTIONS.contains(&t.as_str()) && t != "绩效指标"
        });
        if ends {
            return;
        }
        consumed[r as usize] = true;
        let mut row: Vec<Found> = Vec::new();
        for (c, key) in &columns {
            let level = match key.as_str() {
                "一级指标" => Some(0),
                "二级指标" => Some(1),
                _ => None,
            };
            if let Some(i) = level {
                // A level merged down its rows is read on every row of the region; an empty
                // level cell continues the level above, as a merged cell shows it.
                let at = g.origin(r, *c);
                let found = match g.raw(at.0, at.1) {
                    Some(raw) if at.1 == *c => value(g, p, at, raw).map(|v| Found {
                        value: level_name(v),
                        key: key.clone(),
                        cell: at,
                        at: (r, *c),
                    }),
                    Some(_) => None,
                    None => levels[i].clone().map(|f| Found { at: (r, *c), ..f }),
                };
                // A new 一级指标 starts its own 二级指标: the one above belongs to another level.
                if i == 0
                    && found.as_ref().map(|f| &f.value) != levels[0].as_ref().map(|f| &f.value)
                {
                    levels[1] = None;
                }
                levels[i] = found.clone();
                row.extend(found);
                continue;
            }
            let Some(raw) = own(g, r, *c) else { continue };
            let Some(mut v) = value(g, p, (r, *c), raw) else {
                continue;
            };
            if key == "名称" {
                match strip_number(&v) {
                    Some(name) => v = name,
                    None => continue,
                }
            }
            row.push(Found {
                key: key.clone(),
                value: v,
                cell: (r, *c),
                at: (r, *c),
            });
        }
        let named = row.iter().any(|f| f.key == "名称");
        let values: Vec<&Found> = row
            .iter()
            .filter(|f| f.key != "一级指标" && f.key != "二级指标")
            .collect();
        if !named && values.is_empty() {
            // A level with no indicator under it (a "/" row): not a target.
            r += 1;
            continue;
        }
        if !named {
            let at = values[0].cell;
            p.problems.push(Problem {
                error: FormError::NoName {
                    row: r + 1,
                    cell: g.address(r, name_col.unwrap_or(at.1)),
                    span: None,
                },
                at: Some(at),
            });
        } else if let Some(pc) = points_col
            && !row.iter().any(|f| f.key == "分值")
        {
            let name = row
                .iter()
                .find(|f| f.key == "名称")
                .map(|f| f.value.shown())
                .unwrap_or_default();
            p.problems.push(Problem {
                error: FormError::NoPoints {
                    name,
                    cell: g.address(r, pc),
                    span: None,
                },
                at: row.iter().find(|f| f.key == "名称").map(|f| f.cell),
            });
        }
        p.rows.push(row);
        r += 1;
    }
}

/// A level as its name: `产出指标(50分)` → `产出指标` (the points are the form's note on the
/// level, and the rules weigh the levels themselves).
pub(crate) fn level_name(v: CellValue) -> CellValue {
    let CellValue::Text(t) = &v else { return v };
    let t = t.trim();
    let cut = t
        .strip_suffix([')', '）'])
        .and_then(|rest| rest.strip_suffix('分'))
        .and_then(|rest| {
            let open = rest.rfind(['(', '（'])?;
            let points = &rest[open..].trim_start_matches(['(', '（']);
            (!points.is_empty() && points.chars().all(|c| c.is_ascii_digit() || c == '.'))
                .then(|| rest[..open].trim_end())
        });
    match cut {
        Some(name) if !name.is_empty() => CellValue::Text(name.to_string()),
        _ => v,
    }
}

/// `指标1：培训人次` → `培训人次`; `None` when nothing is left (a template's `指标1：`).
fn strip_number(v: &CellValue) -> Option<CellValue> {
    let CellValue::Text(t) = v else {
        return Some(v.clone());
    };
    let mut rest = t.trim();
    if let Some(after) = rest.strip_prefix("指标") {
        let digits = after
            .chars()
            .take_while(|c| c.is_ascii_digit() || matches!(c, '０'..='９'))
            .count();
        if digits > 0 {
            let after: String = after.chars().skip(digits).collect();
            let after = after.trim_start();
            if let Some(name) = after.strip_prefix(['：', ':']) {
                let name = name.trim();
                return (!name.is_empty() && !grid::not_applicable(name))
                    .then(|| CellValue::Text(name.to_string()));
            }
        }
    }
    rest = rest.trim();
    Some(CellValue::Text(rest.to_string()))
}

/// The table's total row: its 得分 is the 总分; its 分值 must be the rows' (and the funds
/// block's) points.
fn total_row(
    g: &Grid,
    r: u32,
    label_col: u32,
    points_col: Option<u32>,
    score_col: Option<u32>,
    p: &mut Parsed,
) {
    let label_at = g.origin(r, label_col);
    let cell = |c: u32| {
        let at = g.origin(r, c);
        (at != label_at && at.0 == r).then(|| g.raw(at.0, at.1).map(|raw| (at, raw)))?
    };
    if let Some((at, raw)) = score_col.and_then(cell)
        && let Some(v) = value(g, p, at, raw)
    {
        p.fields.push(Found {
            key: "总分".into(),
            value: v,
            cell: at,
            at,
        });
    }
    let Some((at, raw)) = points_col.and_then(cell) else {
        return;
    };
    let Some(CellValue::Number(total)) = value(g, p, at, raw) else {
        return;
    };
    let Ok(total) = Decimal::from_str(&total) else {
        return;
    };
    let points = |f: &Found| match &f.value {
        CellValue::Number(n) => Decimal::from_str(n).ok(),
        CellValue::Percent(_) | CellValue::Text(_) | CellValue::Bool(_) => None,
    };
    let sum: Decimal = p
        .rows
        .iter()
        .flat_map(|row| row.iter().filter(|f| f.key == "分值"))
        .filter_map(points)
        .sum();
    let funds: Decimal = p
        .fields
        .iter()
        .filter(|f| f.key == "资金分值")
        .filter_map(points)
        .sum();
    if total != sum && total != sum + funds {
        let shown = if funds.is_zero() {
            sum.normalize().to_string()
        } else {
            (sum + funds).normalize().to_string()
        };
        p.problems.push(Problem {
            error: FormError::TotalMismatch {
                column: "分值".into(),
                cell: g.address(at.0, at.1),
                total: total.normalize().to_string(),
                sum: shown,
                span: None,
            },
            at: None,
        });
    }
}

/// Header labels anywhere on the sheet outside the blocks read: the value is the next cell to
/// the right (`项目名称 | 2023年…项目`), or the rest of the cell (`项目负责人：张三`).
fn labels(g: &Grid, p: &mut Parsed, consumed: &[bool]) {
    for r in 0..g.rows {
        if consumed[r as usize] {
            continue;
        }
        let cells = g.row_cells(r);
        for (i, (c, raw)) in cells.iter().enumerate() {
            let text = label(raw);
            if let Some(key) = lookup(LABELS, &text) {
                let Some((vc, vraw)) = cells.get(i + 1) else {
                    continue;
                };
                let vt = label(vraw);
                if lookup(LABELS, &vt).is_some() || SECTIONS.contains(&vt.as_str()) {
                    continue;
                }
                if let Some(v) = value(g, p, (r, *vc), vraw) {
                    p.fields.push(Found {
                        key: key.to_string(),
                        value: v,
                        cell: (r, *vc),
                        at: (r, *vc),
                    });
                }
                continue;
            }
            // `项目负责人：张三` in one cell.
            if let Raw::Text(t) = raw
                && let Some((head, rest)) = t.split_once(['：', ':'])
                && let Some(key) = lookup(LABELS, &normalize(head))
                && !rest.trim().is_empty()
                && !grid::not_applicable(rest)
            {
                p.fields.push(Found {
                    key: key.to_string(),
                    value: CellValue::Text(rest.trim().to_string()),
                    cell: (r, *c),
                    at: (r, *c),
                });
            }
        }
    }
}

/// The year, from a 年度 cell or else the title (`（2023年度）`, `2023年度项目支出绩效自评表`).
fn year(g: &Grid, p: &mut Parsed, title_end: u32) {
    if p.fields.iter().any(|f| f.key == "年度") {
        return;
    }
    for r in 0..title_end {
        for (c, raw) in g.row_cells(r) {
            let Raw::Text(t) = raw else { continue };
            let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            let chars: Vec<char> = t.chars().collect();
            for i in 0..chars.len().saturating_sub(4) {
                let four = &chars[i..i + 4];
                let before_digit = i > 0 && chars[i - 1].is_ascii_digit();
                if !before_digit && four.iter().all(char::is_ascii_digit) && chars[i + 4] == '年' {
                    p.fields.push(Found {
                        key: "年度".into(),
                        value: CellValue::Number(four.iter().collect()),
                        cell: (r, c),
                        at: (r, c),
                    });
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod heads {
    /// The form's table heads and a data file's record keys name the fields alike: a form
    /// copied into a data file (or exported as JSON) reads the same.
    #[test]
    fn the_table_heads_are_the_record_fields() {
        for (head, field) in super::TABLE_COLUMNS {
            assert_eq!(crate::data::record_field(head), Some(*field), "{head}");
        }
    }
}
