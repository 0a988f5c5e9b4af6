//! The form fixtures' generator (used by tests/form_fixtures.rs): reads a fixture's reviewable
//! text (`data.toml` in the data shape the data reader takes, `layout.toml` naming the layout
//! and the quirks of real files), lays the 自评表 out as a grid of cells, and renders that grid
//! as the workbook (`form.xlsx`), the same sheet as CSV (`form.csv`), and the data as JSON
//! (`data.json`). Everything here is for the tests: the fixtures it makes are what the form
//! reader (src/forms) must read back into the data the TOML holds.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};
use toml::de::{DeTable, DeValue};

// ---------------------------------------------------------------------------------------------
// The fixture's text, read in document order.

/// A TOML value with the document's order kept and numbers as they were written (exact).
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Str(String),
    /// A number as written in the TOML (decimal text).
    Num(String),
    Bool(bool),
    Array(Vec<Val>),
    Table(Vec<(String, Val)>),
}

impl Val {
    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Table(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Val::Str(_) | Val::Num(_) | Val::Bool(_) | Val::Array(_) => None,
        }
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Val::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(String, Val)] {
        match self {
            Val::Table(entries) => entries,
            Val::Str(_) | Val::Num(_) | Val::Bool(_) | Val::Array(_) => &[],
        }
    }

    pub fn items(&self) -> &[Val] {
        match self {
            Val::Array(items) => items,
            Val::Str(_) | Val::Num(_) | Val::Bool(_) | Val::Table(_) => &[],
        }
    }
}

/// Reads a TOML file's text, keeping every table's keys in the order the file writes them (the
/// parser's map is sorted by key, so the keys are put back in the order of their spans).
pub fn parse(what: &str, text: &str) -> Val {
    let table = DeTable::parse(text)
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .into_inner();
    table_val(what, &table)
}

fn table_val(what: &str, table: &DeTable<'_>) -> Val {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    Val::Table(
        entries
            .into_iter()
            .map(|(k, v)| (k.get_ref().to_string(), value(what, v.get_ref())))
            .collect(),
    )
}

fn value(what: &str, v: &DeValue<'_>) -> Val {
    match v {
        DeValue::String(s) => Val::Str(s.to_string()),
        DeValue::Integer(i) => Val::Num(plain_number(what, i.as_str())),
        DeValue::Float(f) => Val::Num(plain_number(what, f.as_str())),
        DeValue::Boolean(b) => Val::Bool(*b),
        DeValue::Datetime(d) => panic!("{what}: a date ({d}) has no place in a form fixture"),
        DeValue::Array(items) => {
            Val::Array(items.iter().map(|i| value(what, i.get_ref())).collect())
        }
        DeValue::Table(t) => table_val(what, t),
    }
}

/// A TOML number that is also a JSON number and a decimal: digits, one point, a leading minus.
fn plain_number(what: &str, text: &str) -> String {
    assert!(
        decimal(text).is_some(),
        "{what}: write the number {text} as plain decimal digits (no _, +, exponent or radix)"
    );
    text.to_string()
}

/// The text as a decimal when it is plain decimal digits with at most one point, else nothing.
pub fn decimal(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let ok = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    if ok { text.parse().ok() } else { None }
}

/// The data as JSON, in the TOML's order, numbers exactly as written.
pub fn json(data: &Val) -> String {
    fn write(v: &Val, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent + 1);
        match v {
            Val::Str(s) => out.push_str(&serde_json::to_string(s).expect("a string")),
            Val::Num(n) => out.push_str(n),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&pad);
                    write(item, indent + 1, out);
                }
                out.push('\n');
                out.push_str(&"  ".repeat(indent));
                out.push(']');
            }
            Val::Table(entries) => {
                out.push('{');
                for (i, (k, item)) in entries.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&pad);
                    out.push_str(&serde_json::to_string(k).expect("a key"));
                    out.push_str(": ");
                    write(item, indent + 1, out);
                }
                out.push('\n');
                out.push_str(&"  ".repeat(indent));
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    write(data, 0, &mut out);
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------------------------
// The layout and its quirks (layout.toml).

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// 项目支出绩效自评表, the annex of 财预〔2020〕10号.
    National,
    /// 部门预算项目支出绩效自评表 (四川, 报表编号 510000_0013zp).
    Sichuan,
}

/// What layout.toml says: the layout, and which quirks of real files this form has.
pub struct Layout {
    pub kind: Kind,
    /// The form sheet's name.
    pub sheet: String,
    /// National: 指标性质 / 指标值 / 度量单位 in three columns under 年度指标值 (a two-row head).
    pub split_target: bool,
    /// Blank rows after these parts: "title", "header", "funds", "goals", "table".
    pub spacers: Vec<String>,
    /// Header cells with stray spaces ("项目名称 ", "一级 指标", " 分值").
    pub header_spaces: bool,
    /// National funds head with letters in full-width brackets: 全年预算数（A）, 执行率（B/A）;
    /// "ascii" letters or "fullwidth" letters (（Ａ）).
    pub funds_letters: Option<String>,
    /// National: the label of the 当年财政拨款 row after 其中： (本年财政拨款 on some forms).
    pub appropriation: String,
    /// National: the 一级指标 cell says its points, as "产出指标(50分)".
    pub level_points: bool,
    /// "指标1：" before each 三级指标, numbered down the table.
    pub name_prefixes: bool,
    /// Numbers written as text cells: "表头/年初预算数", "绩效指标/3/实际完成值", "全年预算数".
    pub text_numbers: Vec<String>,
    /// Percentages written as percent-formatted numbers (91% stored as 0.91), same paths.
    pub percent: Vec<String>,
    /// Empty sheets after the form.
    pub extra_sheets: Vec<String>,
    /// A line above the title (Sichuan: 报表编号:510000_0013zp).
    pub form_number: Option<String>,
}

const LAYOUT_KEYS: [&str; 13] = [
    "layout",
    "sheet",
    "split_target",
    "spacers",
    "header_spaces",
    "funds_letters",
    "appropriation",
    "level_points",
    "name_prefixes",
    "text_numbers",
    "percent",
    "extra_sheets",
    "form_number",
];

pub fn layout(what: &str, text: &str) -> Layout {
    let v = parse(what, text);
    for (k, _) in v.entries() {
        assert!(
            LAYOUT_KEYS.contains(&k.as_str()),
            "{what}: unknown key `{k}` (known: {LAYOUT_KEYS:?})"
        );
    }
    let flag = |k: &str| matches!(v.get(k), Some(Val::Bool(true)));
    let list = |k: &str| -> Vec<String> {
        v.get(k)
            .map(|l| {
                l.items()
                    .iter()
                    .map(|i| match i {
                        Val::Str(s) => s.clone(),
                        other => panic!("{what}: `{k}` lists text, not {other:?}"),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let kind = match v.str("layout") {
        Some("national") => Kind::National,
        Some("sichuan") => Kind::Sichuan,
        other => panic!("{what}: layout must be \"national\" or \"sichuan\", not {other:?}"),
    };
    let spacers = list("spacers");
    for s in &spacers {
        assert!(
            ["title", "header", "funds", "goals", "table"].contains(&s.as_str()),
            "{what}: unknown spacer place `{s}`"
        );
    }
    Layout {
        kind,
        sheet: v.str("sheet").unwrap_or("Sheet1").to_string(),
        split_target: flag("split_target"),
        spacers,
        header_spaces: flag("header_spaces"),
        funds_letters: v.str("funds_letters").map(str::to_string),
        appropriation: v.str("appropriation").unwrap_or("当年财政拨款").to_string(),
        level_points: flag("level_points"),
        name_prefixes: flag("name_prefixes"),
        text_numbers: list("text_numbers"),
        percent: list("percent"),
        extra_sheets: list("extra_sheets"),
        form_number: v.str("form_number").map(str::to_string),
    }
}

// ---------------------------------------------------------------------------------------------
// The grid of cells.

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    Title,
    Head,
    Body,
    Plain,
}

#[derive(Clone, Debug)]
pub enum Content {
    Text(String),
    /// A number cell: the decimal written.
    Number(String),
    /// A percent-formatted number cell: the percentage as written ("91" of "91%"), and the
    /// decimals the format shows.
    Percent(String, usize),
}

pub struct Sheet {
    pub name: String,
    pub cells: BTreeMap<(u32, u16), (Content, Style)>,
    pub merges: Vec<(u32, u16, u32, u16)>,
    pub widths: Vec<f64>,
    pub rows: u32,
    pub columns: u16,
}

impl Sheet {
    fn new(name: &str, columns: u16, widths: Vec<f64>) -> Sheet {
        Sheet {
            name: name.to_string(),
            cells: BTreeMap::new(),
            merges: Vec::new(),
            widths,
            rows: 0,
            columns,
        }
    }

    fn put(&mut self, row: u32, col: u16, content: Content, style: Style) {
        assert!(col < self.columns, "column {col} outside the form");
        let old = self.cells.insert((row, col), (content, style));
        assert!(old.is_none(), "cell ({row}, {col}) written twice");
        self.rows = self.rows.max(row + 1);
    }

    fn text(&mut self, row: u32, col: u16, text: &str, style: Style) {
        self.put(row, col, Content::Text(text.to_string()), style);
    }

    /// A merged range, its value in the top-left cell.
    fn merged(
        &mut self,
        (r1, c1): (u32, u16),
        (r2, c2): (u32, u16),
        content: Content,
        style: Style,
    ) {
        self.put(r1, c1, content, style);
        if (r1, c1) != (r2, c2) {
            self.merges.push((r1, c1, r2, c2));
        }
        self.rows = self.rows.max(r2 + 1);
    }

    fn merged_text(&mut self, from: (u32, u16), to: (u32, u16), text: &str, style: Style) {
        self.merged(from, to, Content::Text(text.to_string()), style);
    }

    fn last(&self) -> u16 {
        self.columns - 1
    }
}

/// Writes the fixture's values into cells as the layout's quirks say.
struct Writer<'a> {
    layout: &'a Layout,
    used: Vec<String>,
}

impl Writer<'_> {
    /// The cell content of a data value at `path` (for the quirk lists).
    fn content(&mut self, path: &str, v: &Val) -> Content {
        let as_text = self.layout.text_numbers.iter().any(|p| p == path);
        let as_percent = self.layout.percent.iter().any(|p| p == path);
        if as_text || as_percent {
            self.used.push(path.to_string());
        }
        match v {
            Val::Num(n) if as_text => Content::Text(n.clone()),
            Val::Num(n) => Content::Number(n.clone()),
            Val::Str(s) if as_percent => {
                let pct = s
                    .strip_suffix('%')
                    .filter(|p| decimal(p).is_some())
                    .unwrap_or_else(|| panic!("{path}: {s} is not a percentage like 91%"));
                let decimals = pct.split_once('.').map_or(0, |(_, f)| f.len());
                Content::Percent(pct.to_string(), decimals)
            }
            // A plain number written as text in the data is a number cell on the form, unless
            // the layout keeps it as text (a number stored as text).
            Val::Str(s) if decimal(s).is_some() && !as_text => Content::Number(s.clone()),
            Val::Str(s) => Content::Text(s.clone()),
            Val::Bool(b) => Content::Text(if *b { "是" } else { "否" }.to_string()),
            Val::Array(_) | Val::Table(_) => panic!("{path}: a list or table is not a cell"),
        }
    }

    fn check_used(&self) {
        for p in self.layout.text_numbers.iter().chain(&self.layout.percent) {
            assert!(
                self.used.contains(p),
                "layout.toml names `{p}`, which is no value on the form"
            );
        }
    }
}

fn head(layout: &Layout, text: &str, stray: &str) -> String {
    if layout.header_spaces {
        stray.to_string()
    } else {
        text.to_string()
    }
}

/// The data's table rows.
fn rows(data: &Val) -> &[Val] {
    data.get("绩效指标").map(Val::items).unwrap_or_default()
}

/// Runs of equal keys down the rows: (first, last) index pairs, for merged level cells.
fn runs(rows: &[Val], key: impl Fn(&Val) -> String) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        match out.last_mut() {
            Some((first, last)) if key(&rows[*first]) == key(r) => *last = i,
            _ => out.push((i, i)),
        }
    }
    out
}

/// The sum of the rows' 分值 in rows first..=last (for "产出指标(50分)").
fn points(rows: &[Val]) -> String {
    let sum: Decimal = rows
        .iter()
        .filter_map(|r| match r.get("分值") {
            Some(Val::Num(n)) => decimal(n),
            _ => None,
        })
        .sum();
    sum.normalize().to_string()
}

/// Lays out the form.
pub fn form(layout: &Layout, data: &Val) -> Sheet {
    let mut w = Writer {
        layout,
        used: Vec::new(),
    };
    let sheet = match layout.kind {
        Kind::National => national(layout, data, &mut w),
        Kind::Sichuan => sichuan(layout, data, &mut w),
    };
    w.check_used();
    sheet
}

fn year(data: &Val) -> String {
    match data.get("年度") {
        Some(Val::Num(n)) => n.clone(),
        other => panic!("data.toml: 年度 must be a number, not {other:?}"),
    }
}

fn header_value(w: &mut Writer<'_>, data: &Val, key: &str) -> Option<Content> {
    data.get("表头")
        .and_then(|h| h.get(key))
        .map(|v| w.content(&format!("表头/{key}"), v))
}

fn top_value(w: &mut Writer<'_>, data: &Val, key: &str) -> Option<Content> {
    data.get(key).map(|v| w.content(key, v))
}

fn put_opt(sheet: &mut Sheet, row: u32, col: u16, c: Option<Content>) {
    if let Some(c) = c {
        sheet.put(row, col, c, Style::Body);
    }
}

/// The indicator rows' cells: one closure per data column, in the order of the form's columns
/// from `first_col`; levels merged down their runs; a row without a 名称 is a level with no
/// indicator, "/" in every other cell.
fn table_rows(
    sheet: &mut Sheet,
    w: &mut Writer<'_>,
    data: &Val,
    top: u32,
    columns: &[&str],
    level_points: bool,
) -> u32 {
    let rows = rows(data);
    let level = |r: &Val, k: &str| r.str(k).unwrap_or_default().to_string();
    for (first, last) in runs(rows, |r| level(r, "一级指标")) {
        let mut name = level(&rows[first], "一级指标");
        if level_points {
            name = format!("{name}({}分)", points(&rows[first..=last]));
        }
        sheet.merged_text(
            (top + first as u32, 1),
            (top + last as u32, 1),
            &name,
            Style::Body,
        );
    }
    for (first, last) in runs(rows, |r| {
        format!("{}\u{0}{}", level(r, "一级指标"), level(r, "二级指标"))
    }) {
        let name = level(&rows[first], "二级指标");
        sheet.merged_text(
            (top + first as u32, 2),
            (top + last as u32, 2),
            &name,
            Style::Body,
        );
    }
    let mut number = 0;
    for (i, r) in rows.iter().enumerate() {
        let row = top + i as u32;
        let path = |k: &str| format!("绩效指标/{}/{k}", i + 1);
        let Some(name) = r.str("名称") else {
            for col in 3..3 + columns.len() as u16 {
                sheet.text(row, col, "/", Style::Body);
            }
            continue;
        };
        number += 1;
        let shown = if w.layout.name_prefixes {
            format!("指标{number}：{name}")
        } else {
            name.to_string()
        };
        sheet.text(row, 3, &shown, Style::Body);
        for (j, key) in columns.iter().enumerate().skip(1) {
            if let Some(v) = r.get(key) {
                let c = w.content(&path(key), v);
                sheet.put(row, 3 + j as u16, c, Style::Body);
            }
        }
        for (k, _) in r.entries() {
            assert!(
                ["一级指标", "二级指标"].contains(&k.as_str()) || columns.contains(&k.as_str()),
                "绩效指标 row {}: `{k}` has no column on this layout",
                i + 1
            );
        }
    }
    top + rows.len() as u32
}

fn spacer(layout: &Layout, place: &str, row: &mut u32) {
    if layout.spacers.iter().any(|s| s == place) {
        *row += 1;
    }
}

fn national(layout: &Layout, data: &Val, w: &mut Writer<'_>) -> Sheet {
    let split = layout.split_target;
    let columns: u16 = if split { 11 } else { 9 };
    let widths = if split {
        vec![8.0, 12.0, 12.0, 28.0, 6.0, 10.0, 8.0, 12.0, 8.0, 8.0, 24.0]
    } else {
        vec![8.0, 12.0, 12.0, 28.0, 18.0, 14.0, 8.0, 8.0, 24.0]
    };
    let mut s = Sheet::new(&layout.sheet, columns, widths);
    let last = s.last();
    let mut row = 0;
    s.merged_text((row, 0), (row, last), "项目支出绩效自评表", Style::Title);
    row += 1;
    s.merged_text(
        (row, 0),
        (row, last),
        &format!("（{}年度）", year(data)),
        Style::Title,
    );
    row += 1;
    spacer(layout, "title", &mut row);

    // Header: 项目名称, 主管部门, 实施单位.
    s.text(row, 0, &head(layout, "项目名称", "项目名称 "), Style::Head);
    let name = top_value(w, data, "部门").expect("data.toml: 部门 (the 项目名称)");
    s.merged((row, 1), (row, last), name, Style::Body);
    row += 1;
    s.text(row, 0, &head(layout, "主管部门", " 主管部门"), Style::Head);
    let v = header_value(w, data, "主管部门").unwrap_or(Content::Text(String::new()));
    s.merged((row, 1), (row, 3), v, Style::Body);
    s.text(row, 4, "实施单位", Style::Head);
    let v = header_value(w, data, "实施单位").unwrap_or(Content::Text(String::new()));
    s.merged((row, 5), (row, last), v, Style::Body);
    row += 1;
    spacer(layout, "header", &mut row);

    // Funds: 项目资金（万元）.
    let funds_top = row;
    let (a, b, ba) = match layout.funds_letters.as_deref() {
        None => ("", "", ""),
        Some("ascii") => ("（A）", "（B）", "（B/A）"),
        Some("fullwidth") => ("（Ａ）", "（Ｂ）", "（Ｂ／Ａ）"),
        Some(other) => panic!("layout.toml: funds_letters is ascii or fullwidth, not {other}"),
    };
    let heads = [
        head(layout, "年初预算数", "年初预算数 "),
        format!("全年预算数{a}"),
        format!("全年执行数{b}"),
        head(layout, "分值", " 分值"),
        format!("执行率{ba}"),
        "得分".to_string(),
    ];
    s.merged_text((row, 1), (row, 2), "", Style::Head);
    for (j, h) in heads.iter().enumerate() {
        s.text(row, 3 + j as u16, h, Style::Head);
    }
    row += 1;
    s.merged_text((row, 1), (row, 2), "年度资金总额", Style::Head);
    put_opt(&mut s, row, 3, header_value(w, data, "年初预算数"));
    put_opt(&mut s, row, 4, top_value(w, data, "全年预算数"));
    put_opt(&mut s, row, 5, top_value(w, data, "全年执行数"));
    put_opt(&mut s, row, 6, header_value(w, data, "资金分值"));
    put_opt(&mut s, row, 7, header_value(w, data, "执行率"));
    let score = data
        .get("自评得分")
        .and_then(|t| t.get("预算执行率"))
        .map(|v| w.content("自评得分/预算执行率", v));
    put_opt(&mut s, row, 8, score);
    row += 1;
    for (label, key) in [
        (format!("其中：{}", layout.appropriation), "当年财政拨款"),
        ("上年结转资金".to_string(), "上年结转资金"),
        ("其他资金".to_string(), "其他资金"),
    ] {
        s.merged_text((row, 1), (row, 2), &label, Style::Head);
        for (col, column) in [
            (3, "年初预算数"),
            (4, "全年预算数"),
            (5, "全年执行数"),
            (7, "执行率"),
        ] {
            put_opt(
                &mut s,
                row,
                col,
                header_value(w, data, &format!("{key}.{column}")),
            );
        }
        s.text(row, 6, "—", Style::Body);
        s.text(row, 8, "—", Style::Body);
        row += 1;
    }
    s.merged_text(
        (funds_top, 0),
        (row - 1, 0),
        "项目资金（万元）",
        Style::Head,
    );
    spacer(layout, "funds", &mut row);

    // 年度总体目标.
    s.merged_text((row, 0), (row + 1, 0), "年度总体目标", Style::Head);
    s.merged_text((row, 1), (row, 4), "预期目标", Style::Head);
    s.merged_text((row, 5), (row, last), "实际完成情况", Style::Head);
    row += 1;
    let v = header_value(w, data, "预期目标").unwrap_or(Content::Text(String::new()));
    s.merged((row, 1), (row, 4), v, Style::Body);
    let v = header_value(w, data, "实际完成情况").unwrap_or(Content::Text(String::new()));
    s.merged((row, 5), (row, last), v, Style::Body);
    row += 1;
    spacer(layout, "goals", &mut row);

    // 绩效指标.
    let table_top = row;
    let level1 = head(layout, "一级指标", "一级 指标");
    let level3 = head(layout, "三级指标", "三级指标 ");
    let data_columns: Vec<&str> = if split {
        s.merged_text((row, 1), (row + 1, 1), &level1, Style::Head);
        s.merged_text((row, 2), (row + 1, 2), "二级指标", Style::Head);
        s.merged_text((row, 3), (row + 1, 3), &level3, Style::Head);
        s.merged_text((row, 4), (row, 6), "年度指标值", Style::Head);
        s.text(row + 1, 4, "指标性质", Style::Head);
        s.text(row + 1, 5, "指标值", Style::Head);
        s.text(row + 1, 6, "度量单位", Style::Head);
        s.merged_text((row, 7), (row + 1, 7), "实际完成值", Style::Head);
        s.merged_text((row, 8), (row + 1, 8), "分值", Style::Head);
        s.merged_text((row, 9), (row + 1, 9), "得分", Style::Head);
        s.merged_text(
            (row, 10),
            (row + 1, 10),
            "偏差原因分析及改进措施",
            Style::Head,
        );
        row += 2;
        vec![
            "名称",
            "指标性质",
            "指标值",
            "度量单位",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因",
        ]
    } else {
        for (col, h) in [
            (1, level1.as_str()),
            (2, "二级指标"),
            (3, level3.as_str()),
            (4, "年度指标值"),
            (5, "实际完成值"),
            (6, "分值"),
            (7, "得分"),
            (8, "偏差原因分析及改进措施"),
        ] {
            s.text(row, col, h, Style::Head);
        }
        row += 1;
        vec!["名称", "指标值", "实际完成值", "分值", "得分", "偏差原因"]
    };
    row = table_rows(&mut s, w, data, row, &data_columns, layout.level_points);
    s.merged_text((table_top, 0), (row - 1, 0), "绩效指标", Style::Head);
    spacer(layout, "table", &mut row);

    // 总分.
    let (points_col, score_col) = if split { (8, 9) } else { (6, 7) };
    s.merged_text((row, 0), (row, points_col - 1), "总分", Style::Head);
    s.put(row, points_col, Content::Number("100".into()), Style::Body);
    put_opt(&mut s, row, score_col, top_value(w, data, "总分"));
    s
}

fn sichuan(layout: &Layout, data: &Val, w: &mut Writer<'_>) -> Sheet {
    let widths = vec![10.0, 14.0, 12.0, 28.0, 8.0, 10.0, 8.0, 10.0, 8.0, 8.0, 24.0];
    let mut s = Sheet::new(&layout.sheet, 11, widths);
    let last = s.last();
    let mut row = 0;
    if let Some(number) = &layout.form_number {
        s.merged_text((row, 0), (row, last), number, Style::Plain);
        row += 1;
    }
    s.merged_text(
        (row, 0),
        (row, last),
        &format!("部门预算项目支出绩效自评表({}年度)", year(data)),
        Style::Title,
    );
    row += 1;
    spacer(layout, "title", &mut row);

    s.text(row, 0, &head(layout, "项目名称", "项目名称 "), Style::Head);
    let name = top_value(w, data, "部门").expect("data.toml: 部门 (the 项目名称)");
    s.merged((row, 1), (row, last), name, Style::Body);
    row += 1;
    s.text(row, 0, &head(layout, "主管部门", " 主管部门"), Style::Head);
    let v = header_value(w, data, "主管部门").unwrap_or(Content::Text(String::new()));
    s.merged((row, 1), (row, 4), v, Style::Body);
    s.merged_text((row, 5), (row, 6), "实施单位 (盖章)", Style::Head);
    let v = header_value(w, data, "实施单位").unwrap_or(Content::Text(String::new()));
    s.merged((row, 7), (row, last), v, Style::Body);
    row += 1;

    // 项目基本情况.
    s.merged_text((row, 0), (row + 2, 0), "项目基本情况", Style::Head);
    s.merged_text(
        (row, 1),
        (row + 1, 2),
        "1.项目年度目标完成情况",
        Style::Head,
    );
    s.merged_text((row, 3), (row, 6), "项目年度目标", Style::Head);
    s.merged_text((row, 7), (row, last), "年度目标完成情况", Style::Head);
    let v = header_value(w, data, "预期目标").unwrap_or(Content::Text(String::new()));
    s.merged((row + 1, 3), (row + 1, 6), v, Style::Body);
    let v = header_value(w, data, "实际完成情况").unwrap_or(Content::Text(String::new()));
    s.merged((row + 1, 7), (row + 1, last), v, Style::Body);
    s.merged_text(
        (row + 2, 1),
        (row + 2, 2),
        "2.项目实施内容及过程概述",
        Style::Head,
    );
    let v = header_value(w, data, "项目实施内容及过程概述").unwrap_or(Content::Text(String::new()));
    s.merged((row + 2, 3), (row + 2, last), v, Style::Body);
    row += 3;
    spacer(layout, "header", &mut row);

    // 预算执行情况(10分).
    let funds_top = row;
    for (col, h) in [
        (1, "年度预算数(万元)"),
        (2, "年初预算"),
        (3, "调整后预算数"),
        (4, "预算执行数"),
        (5, "预算执行率"),
        (6, "权重"),
        (7, "得分"),
    ] {
        let h = if col == 6 {
            head(layout, h, "权重 ")
        } else {
            h.to_string()
        };
        s.text(row, col, &h, Style::Head);
    }
    s.merged_text((row, 8), (row, last), "原因", Style::Head);
    row += 1;
    s.text(row, 1, "总额", Style::Head);
    put_opt(&mut s, row, 2, header_value(w, data, "年初预算数"));
    put_opt(&mut s, row, 3, top_value(w, data, "全年预算数"));
    put_opt(&mut s, row, 4, top_value(w, data, "全年执行数"));
    put_opt(&mut s, row, 5, header_value(w, data, "执行率"));
    put_opt(&mut s, row, 6, header_value(w, data, "资金分值"));
    let score = data
        .get("自评得分")
        .and_then(|t| t.get("预算执行率"))
        .map(|v| w.content("自评得分/预算执行率", v));
    put_opt(&mut s, row, 7, score);
    let reason = header_value(w, data, "原因").unwrap_or(Content::Text(String::new()));
    s.merged((row, 8), (row + 4, last), reason, Style::Body);
    row += 1;
    for (label, key) in [
        ("其中:财政资金", "财政资金"),
        ("财政专户管理资金", "财政专户管理资金"),
        ("单位资金", "单位资金"),
        ("其他资金", "其他资金"),
    ] {
        s.text(row, 1, label, Style::Head);
        for (col, column) in [
            (2, "年初预算数"),
            (3, "全年预算数"),
            (4, "全年执行数"),
            (5, "执行率"),
        ] {
            put_opt(
                &mut s,
                row,
                col,
                header_value(w, data, &format!("{key}.{column}")),
            );
        }
        s.text(row, 6, "/", Style::Body);
        s.text(row, 7, "/", Style::Body);
        row += 1;
    }
    s.merged_text(
        (funds_top, 0),
        (row - 1, 0),
        "预算执行情况(10分)",
        Style::Head,
    );
    spacer(layout, "funds", &mut row);

    // 绩效指标(90分).
    let table_top = row;
    for (col, h) in [
        (1, head(layout, "一级指标", "一级 指标")),
        (2, "二级指标".to_string()),
        (3, head(layout, "三级指标", "三级指标 ")),
        (4, "指标性质".to_string()),
        (5, "指标值".to_string()),
        (6, "度量单位".to_string()),
        (7, "完成值".to_string()),
        (8, "权重".to_string()),
        (9, "得分".to_string()),
        (10, "未完成原因分析".to_string()),
    ] {
        s.text(row, col, &h, Style::Head);
    }
    row += 1;
    let columns = [
        "名称",
        "指标性质",
        "指标值",
        "度量单位",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因",
    ];
    row = table_rows(&mut s, w, data, row, &columns, false);
    s.merged_text((table_top, 0), (row - 1, 0), "绩效指标(90分)", Style::Head);
    spacer(layout, "table", &mut row);

    // 合计 (the 权重 of the whole form, and the self-reported total), then the conclusions.
    s.merged_text((row, 0), (row, 7), "合计", Style::Head);
    s.put(row, 8, Content::Number("100".into()), Style::Body);
    put_opt(&mut s, row, 9, top_value(w, data, "总分"));
    row += 1;
    for key in ["评价结论", "存在问题", "改进措施"] {
        s.text(row, 0, key, Style::Head);
        let v = header_value(w, data, key).unwrap_or(Content::Text(String::new()));
        s.merged((row, 1), (row, last), v, Style::Body);
        row += 1;
    }
    let signer = |w: &mut Writer<'_>, key: &str| match header_value(w, data, key) {
        Some(Content::Text(t)) => format!("{key}:{t}"),
        Some(other) => panic!("表头/{key}: a name, not {other:?}"),
        None => format!("{key}:"),
    };
    let lead = signer(w, "项目负责人");
    let finance = signer(w, "财务负责人");
    s.merged_text((row, 0), (row, 4), &lead, Style::Plain);
    s.merged_text((row, 5), (row, last), &finance, Style::Plain);
    s
}

// ---------------------------------------------------------------------------------------------
// Rendering the grid.

fn shown(c: &Content) -> String {
    match c {
        Content::Text(t) => t.clone(),
        // A number written with decimals ("10.00") is shown with them, by its cell's format;
        // any other number shows the shortest decimal of its double (General format).
        Content::Number(n) if n.contains('.') => n.clone(),
        Content::Number(n) => format!("{}", cell_number(n)),
        Content::Percent(p, _) => format!("{p}%"),
    }
}

/// The double a cell stores for a decimal: the nearest one.
fn cell_number(n: &str) -> f64 {
    n.parse().unwrap_or_else(|_| panic!("{n} is not a number"))
}

/// The stored fraction of a percentage ("91" → 0.91), exact in decimal before it is a double.
fn fraction(pct: &str) -> f64 {
    let d: Decimal = pct.parse().expect("a percentage");
    cell_number(&(d / Decimal::ONE_HUNDRED).normalize().to_string())
}

/// The same sheet as CSV: each cell as the form shows it, merged ranges in their first cell.
pub fn csv(sheet: &Sheet) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for r in 0..sheet.rows {
        let record: Vec<String> = (0..sheet.columns)
            .map(|c| {
                sheet
                    .cells
                    .get(&(r, c))
                    .map(|(v, _)| shown(v))
                    .unwrap_or_default()
            })
            .collect();
        out.write_record(&record).expect("a CSV row");
    }
    String::from_utf8(out.into_inner().expect("CSV bytes")).expect("UTF-8")
}

/// The workbook: the form sheet, then the empty extra sheets; same input, same bytes.
pub fn xlsx(sheet: &Sheet, extra_sheets: &[String]) -> Vec<u8> {
    let mut book = jixiao::report::xlsx::workbook().expect("a workbook");
    let border = |f: Format| f.set_border(FormatBorder::Thin).set_text_wrap();
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let head = border(Format::new().set_bold())
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let body = border(Format::new()).set_align(FormatAlign::VerticalCenter);
    let plain = Format::new();
    let format = |style: Style, content: &Content| -> Format {
        let f = match style {
            Style::Title => title.clone(),
            Style::Head => head.clone(),
            Style::Body => body.clone(),
            Style::Plain => plain.clone(),
        };
        match content {
            Content::Percent(_, 0) => f.set_num_format("0%"),
            Content::Percent(_, d) => f.set_num_format(format!("0.{}%", "0".repeat(*d))),
            Content::Text(_) => f.set_num_format("@"),
            Content::Number(n) => match n.split_once('.') {
                Some((_, decimals)) => {
                    f.set_num_format(format!("0.{}", "0".repeat(decimals.len())))
                }
                None => f,
            },
        }
    };
    let ws = book.add_worksheet();
    ws.set_name(&sheet.name).expect("a sheet name");
    for (c, width) in sheet.widths.iter().enumerate() {
        ws.set_column_width(c as u16, *width)
            .expect("a column width");
    }
    let merged_first: BTreeMap<(u32, u16), (u32, u16)> = sheet
        .merges
        .iter()
        .map(|&(r1, c1, r2, c2)| ((r1, c1), (r2, c2)))
        .collect();
    for (&(r, c), (content, style)) in &sheet.cells {
        let f = format(*style, content);
        if let Some(&(r2, c2)) = merged_first.get(&(r, c)) {
            ws.merge_range(r, c, r2, c2, "", &f)
                .expect("a merged range");
        }
        match content {
            Content::Text(t) => ws.write_string_with_format(r, c, t, &f),
            Content::Number(n) => ws.write_number_with_format(r, c, cell_number(n), &f),
            Content::Percent(p, _) => ws.write_number_with_format(r, c, fraction(p), &f),
        }
        .expect("a cell");
    }
    // The form's grid has its borders on empty cells too, as a printed form does: every cell of
    // a row that holds a bordered cell, unless a merged range covers it.
    let covered = |r: u32, c: u16| {
        sheet.cells.contains_key(&(r, c))
            || sheet
                .merges
                .iter()
                .any(|&(r1, c1, r2, c2)| (r1..=r2).contains(&r) && (c1..=c2).contains(&c))
    };
    for r in 0..sheet.rows {
        let bordered = (0..sheet.columns).any(|c| {
            matches!(
                sheet.cells.get(&(r, c)),
                Some((_, Style::Head | Style::Body))
            )
        });
        for c in (0..sheet.columns).filter(|&c| bordered && !covered(r, c)) {
            ws.write_blank(r, c, &body).expect("a blank cell");
        }
    }
    // Print as the forms are printed (A4 landscape, one page wide), and give the rows of long
    // text the height their wrapped lines need (a spreadsheet does not grow merged rows).
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    let spans: BTreeMap<(u32, u16), (u32, u16)> = merged_first;
    let mut heights: BTreeMap<u32, usize> = BTreeMap::new();
    for (&(r, c), (content, _)) in &sheet.cells {
        let (r2, c2) = spans.get(&(r, c)).copied().unwrap_or((r, c));
        if r2 != r {
            continue;
        }
        let width: f64 = sheet.widths[c as usize..=c2 as usize].iter().sum();
        let units: usize = shown(content)
            .chars()
            .map(|ch| if ch.is_ascii() { 1 } else { 2 })
            .sum();
        let lines = (units as f64 / width.max(1.0)).ceil().max(1.0) as usize;
        let h = heights.entry(r).or_insert(1);
        *h = (*h).max(lines);
    }
    for (r, lines) in heights {
        if lines > 1 {
            ws.set_row_height(r, 15.0 * lines as f64)
                .expect("a row height");
        }
    }
    for name in extra_sheets {
        book.add_worksheet().set_name(name).expect("an extra sheet");
    }
    book.save_to_buffer().expect("the workbook's bytes")
}
