//! Stage 3 (department data → [`Department`](super::Department)), for forms: a 自评表 read by
//! [`crate::forms`] is turned into the same spanned tree the TOML and JSON parsers give, keyed
//! as a data file would be (the shared spec's mapping, section B), so that the one reader of
//! this stage validates a form exactly as it validates a data file. Nothing here reads a
//! number or checks a value: a cell only becomes text, a number as the form holds it, or
//! yes/no, placed at its line of [`Form::text`](crate::forms::Form) so every error names its
//! `sheet!C12`.

use super::tree::{Entry, Node, Spanned};
use super::{DataError, Department};
use crate::forms::{CellValue, Form, FormField};
use crate::model::{InputType, Rulebook};
use crate::source::{SourceFile, Span};

/// The keys of a target record whose values are words, even when a cell holds a number
/// (`指标值` 100 of a row whose 指标性质 is = and 度量单位 %; `实际完成值` 50, read as a data
/// file writes it, `"50"`, with the units and signs the reader finds in text).
const TEXT_FIELDS: &[&str] = &[
    "名称",
    "指标值",
    "实际完成值",
    "一级指标",
    "二级指标",
    "指标性质",
    "度量单位",
    "偏差原因",
    "等级",
];

/// Reads and checks a form against the rules' inputs: the form's cells, keyed as the rules
/// read them, through the one data reader. The department's source is the form's text, named
/// by the file, so that every data error shows the line of its cell.
pub fn load_form(rules: &Rulebook, form: &Form) -> Result<Department, Vec<DataError>> {
    let source = form_source(form);
    let whole = Span::new(0, form.text.len());
    let mut entries: Vec<Entry> = Vec::new();
    let mut header: Vec<Entry> = Vec::new();
    let mut reported: Vec<Entry> = Vec::new();
    let rate_indicator = rules.indicators.iter().any(|i| i.name == "预算执行率");
    for f in &form.fields {
        let input = rules.inputs.iter().find(|i| i.name == f.key);
        let key = match f.key.as_str() {
            _ if input.is_some() => f.key.clone(),
            "项目名称" | "部门名称" => "部门".to_string(),
            "年度" | "总分" => f.key.clone(),
            "资金得分" if rate_indicator => {
                reported.push(entry("预算执行率", f, false));
                continue;
            }
            _ => {
                header.push(entry(&f.key, f, false));
                continue;
            }
        };
        let textual = match input {
            Some(i) => textual_input(i.ty),
            None => key == "部门",
        };
        entries.push(entry(&key, f, textual));
    }
    for (key, items) in [("表头", header), ("自评得分", reported)] {
        // Placed at its first cell: a key the form itself never writes has no line of its own.
        if let Some(first) = items.first().map(|e| e.value.span) {
            entries.push(Entry {
                key: key.to_string(),
                key_span: first,
                value: Spanned {
                    node: Node::Table(items),
                    span: first,
                },
            });
        }
    }
    if !form.rows.is_empty() {
        let rows = form
            .rows
            .iter()
            .map(|row| Spanned {
                node: Node::Table(
                    row.fields
                        .iter()
                        .map(|f| entry(&f.key, f, TEXT_FIELDS.contains(&f.key.as_str())))
                        .collect(),
                ),
                span: row.span,
            })
            .collect();
        let first = form.rows[0].span;
        let last = form.rows[form.rows.len() - 1].span;
        entries.push(Entry {
            key: target_list(rules).to_string(),
            key_span: first,
            value: Spanned {
                node: Node::Array(rows),
                span: first.to(last),
            },
        });
    }
    // A key the form gives twice (two 项目名称 cells) is the reader's duplicate-key error,
    // naming both lines.
    let root = Spanned {
        node: Node::Table(entries),
        span: whole,
    };
    super::read(rules, root, &source)
}

/// The form's text as the department's source: named by the file, with the file's digest.
pub(crate) fn form_source(form: &Form) -> SourceFile {
    let source = SourceFile::new(form.name.clone(), form.text.clone());
    match form.sha256.is_empty() {
        true => source,
        false => source.with_sha256(form.sha256.clone()),
    }
}

/// The input the table's rows are: the rules' one list of targets, or the one named 绩效指标
/// when there are several (or none: then the reader says the rules have no such input).
fn target_list(rules: &Rulebook) -> &str {
    let lists: Vec<&str> = rules
        .inputs
        .iter()
        .filter(|i| i.ty == InputType::TargetList)
        .map(|i| i.name.as_str())
        .collect();
    match lists.as_slice() {
        [one] => one,
        _ => "绩效指标",
    }
}

fn textual_input(ty: InputType) -> bool {
    match ty {
        InputType::Text | InputType::Category | InputType::Judgement => true,
        InputType::Money
        | InputType::Number
        | InputType::Percent
        | InputType::Count
        | InputType::YesNo
        | InputType::TargetList
        | InputType::FindingList => false,
    }
}

/// One cell as an entry of the tree, at its value's place in the form's text.
fn entry(key: &str, f: &FormField, textual: bool) -> Entry {
    let node = match &f.value {
        CellValue::Number(n) if textual => Node::Text(n.clone()),
        CellValue::Number(n) => Node::Number(n.clone()),
        // The percentage as a data file writes it: the reader knows `91%`.
        CellValue::Percent(p) => Node::Text(format!("{p}%")),
        CellValue::Text(t) => Node::Text(t.clone()),
        CellValue::Bool(b) => Node::Bool(*b),
    };
    Entry {
        key: key.to_string(),
        key_span: f.span,
        value: Spanned { node, span: f.span },
    }
}
