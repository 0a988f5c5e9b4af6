//! Stage 3 (data file → [`Department`]), the fast way in for JSON: a department read as it is
//! scanned, for `jixiao batch`, which reads a million a run. A target list (twenty records a
//! department of the seed's shape) is read record by record out of one table reused for each,
//! never built as a tree of its own and then taken apart; every other value is scanned into its
//! node and read as the tree's are.
//!
//! Every value goes through the same [`Reader`] as the tree's, in the same order, so a
//! department read here is the department the tree gives. At the first thing this way does not
//! read — text the scanner leaves to the full parser, or anything wrong with the data — it
//! gives up, and [`super::load_as`] reads the text again by the tree, which says every error in
//! its usual words and order. A differential test holds the two ways to the same department.

use std::borrow::Cow;

use super::fit::{Fit, Key};
use super::json::{Scanner, placeholder};
use super::tree::{Node, Spanned};
use super::{Datum, Department, Reader};
use crate::model::{InputType, Rulebook};
use crate::source::{SourceFile, Span};

/// The department of `source`, a JSON text; `None` when it is not read this way (see above).
pub(super) fn department(rules: &Rulebook, source: &SourceFile) -> Option<Department> {
    let mut s = Scanner::new(source.text());
    let mut reader = Reader {
        rules,
        errors: Vec::new(),
        form: source.is_cells(),
    };
    let mut fit = Fit::new(rules);
    s.space();
    if s.peek()? != b'{' {
        return None;
    }
    // `{}` reads as the tree reads it: every input missing.
    let mut more = s.open(b'}');
    while more {
        let (key, key_span) = s.key()?;
        let list = match s.peek()? {
            b'[' => fit
                .input(key)
                .filter(|&i| rules.inputs[i].ty == InputType::TargetList),
            _ => None,
        };
        match list {
            Some(_) => {
                let Key::Input(i) = reader.key(&mut fit, Cow::Borrowed(key), key_span) else {
                    return None;
                };
                // A list's range (`input … > 0`) is a number's: a list has none to check.
                *fit.value_mut(i) = Some(Datum::Targets(targets(&mut s, &mut reader, key)?));
            }
            None => {
                let mut value = placeholder();
                s.value(1, &mut value)?;
                reader.entry(&mut fit, Cow::Borrowed(key), key_span, value);
            }
        }
        if !reader.errors.is_empty() {
            return None;
        }
        more = s.next(b'}')?;
    }
    s.space();
    if !s.done() {
        return None;
    }
    let department = reader.fitted(fit, source)?;
    reader.errors.is_empty().then_some(department)
}

/// The records of the target list `list`, read one by one; the scanner stands on its `[`.
/// `None` at the first record that is not plain or not right.
fn targets<'a>(
    s: &mut Scanner<'a>,
    reader: &mut Reader,
    list: &str,
) -> Option<Vec<super::TargetRecord>> {
    // Room for the twenty-odd records of a department's table, grown once for a longer one.
    let mut records = Vec::with_capacity(32);
    // One table for every record: its entries are cleared and read again for each.
    let mut entries = Vec::with_capacity(8);
    let mut more = s.open(b']');
    while more {
        if s.peek()? != b'{' {
            return None;
        }
        let start = s.at;
        entries.clear();
        s.entries(2, &mut entries)?;
        let item = Spanned {
            node: Node::Table(entries),
            span: Span::new(start, s.at),
        };
        // A row that only names its levels is no record, as in the tree.
        if !super::records::level_only(&item) {
            records.push(reader.target_record(list, &item)?);
        }
        let Node::Table(table) = item.node else {
            return None;
        };
        entries = table;
        more = s.next(b']')?;
    }
    Some(records)
}

#[cfg(test)]
mod tests {
    //! Read as scanned, or by the tree: the same department, or the stream gives way.
    use super::super::json::tests::{apply, edit, rules};
    use super::*;
    use proptest::prelude::*;

    /// `text` read both ways: a department read as scanned is the tree's, and whatever the
    /// scanner reads that the tree reads without error, the stream reads too.
    fn agree(rules: &Rulebook, text: &str) -> Result<(), TestCaseError> {
        let source = SourceFile::new("d.json", text);
        let streamed = department(rules, &source).map(|d| format!("{d:?}"));
        let tree = super::super::json::scan(text)
            .map(|tree| super::super::read(rules, tree, &source).map(|d| format!("{d:?}")));
        match (streamed, tree) {
            (Some(streamed), Some(Ok(tree))) => prop_assert_eq!(streamed, tree, "{:?}", text),
            (Some(_), other) => {
                prop_assert!(
                    false,
                    "read as scanned, but the tree gives {other:?}: {text:?}"
                )
            }
            (None, Some(Ok(_))) => prop_assert!(false, "the stream gave way on {text:?}"),
            (None, None | Some(Err(_))) => {}
        }
        Ok(())
    }

    /// A department of the seed's shape whose 分值 add up to the indicator's 90 points, with
    /// now and then what a form adds: levels, a level-only row, a reason, a reported score, an
    /// extra column, the name and year, the keys in any order.
    fn departments() -> impl Strategy<Value = String> {
        let record = (
            0u32..60,
            1u32..200,
            0u32..200,
            any::<bool>(),
            10u32..40,
            0u8..8,
        )
            .prop_map(|(i, t, a, at_least, points, extra)| {
                let (op, unit) = if at_least { ("≥", "篇") } else { ("≤", "万元") };
                let more = match extra {
                    0 => r#","一级指标":"产出指标","二级指标":"数量指标""#.to_string(),
                    1 => r#","偏差原因":"天气原因""#.to_string(),
                    2 => r#","备注":"见附件","年初预算数":12.5"#.to_string(),
                    3 => format!(r#","得分":{}"#, points / 20),
                    _ => String::new(),
                };
                (
                    points,
                    format!(
                        r#"{{"名称":"指标{i}","指标值":"{op}{t}{unit}","实际完成值":"{a}{unit}"{more},"分值":"#
                    ),
                )
            });
        (
            0u32..1000,
            1000u64..400_000,
            0u64..100,
            prop::collection::vec(record, 1..22),
            any::<bool>(),
            0u8..4,
        )
            .prop_map(|(d, budget, less, records, level_row, head)| {
                let spent = budget - budget * less / 1000;
                let mut left = 900u32;
                let n = records.len();
                let mut list: Vec<String> = records
                    .into_iter()
                    .enumerate()
                    .map(|(k, (points, record))| {
                        let points = if k + 1 == n { left } else { points };
                        left -= points;
                        format!("{record}{}.{}}}", points / 10, points % 10)
                    })
                    .collect();
                if level_row {
                    list.insert(
                        n / 2,
                        r#"{"一级指标":"效益指标","二级指标":"社会效益指标"}"#.into(),
                    );
                }
                let money = format!(
                    r#""全年预算数":{}.{:02},"全年执行数":{}.{:02}"#,
                    budget / 100,
                    budget % 100,
                    spent / 100,
                    spent % 100
                );
                let targets = format!(r#""绩效指标":[{}]"#, list.join(","));
                match head {
                    0 => format!(r#"{{"部门":"部门{d}",{money},{targets}}}"#),
                    1 => format!(r#"{{{targets},"年度":2023,{money}}}"#),
                    2 => format!(r#"{{ {money} , "部门" : "部门{d}" , {targets} }}"#),
                    _ => format!("{{\n  {targets},\n  {money},\n  \"年度\": \"2023\"\n}}\n"),
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn a_department_read_as_scanned_is_the_trees(
            line in departments(),
            edits in prop::collection::vec(edit(), 1..4),
        ) {
            let rules = rules();
            // The line as generated reads without error: the stream must read it.
            let source = SourceFile::new("d.json", line.as_str());
            prop_assert!(department(&rules, &source).is_some(), "the stream gave way on {line:?}");
            agree(&rules, &line)?;
            agree(&rules, &apply(&line, &edits))?;
        }
    }
}
