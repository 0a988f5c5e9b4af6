//! The national 项目支出绩效自评表 read off a trace, for the printers that write the form back
//! (`xlsx`, `html`): which cell holds what, before any layout. A trace is a project form when
//! its target records are grouped under the form's levels (nodes with a `level`). The header
//! and funds cells come from the trace's `details` (the form's cells as written) and from the
//! 预算执行率 indicator (its inputs, points and score); the table's rows are the records, each
//! with its 一级/二级指标 group, 年度指标值, 实际完成值 and 偏差原因 as its steps give them.
//!
//! No words here: labels come from [`super::wording::form`]; values from the files.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::wording::{Lang, form::key};
use crate::trace::{Node, Step, Trace, Value};

/// The indicator whose score is the funds block's 得分 (docs/forms.md: 资金得分 →
/// 自评得分.预算执行率).
const FUNDS_INDICATOR: &str = "预算执行率";
/// The funds block's columns as the form's keys name them, in its order.
const FUNDS_COLUMNS: [&str; 4] = ["年初预算数", "全年预算数", "全年执行数", "执行率"];
/// The national form's sub-rows of the funds block.
const NATIONAL_ROWS: [&str; 3] = ["当年财政拨款", "上年结转资金", "其他资金"];
/// Header cells the form places itself (the rest are printed under the remarks).
const PLACED: [&str; 6] = [
    "主管部门",
    "实施单位",
    "预期目标",
    "实际完成情况",
    "资金分值",
    "资金得分",
];

/// Whether the trace is a project form: some of its records are grouped under levels.
pub fn is_form(trace: &Trace) -> bool {
    fn any(nodes: &[Node]) -> bool {
        nodes
            .iter()
            .any(|n| n.level().is_some() || any(&n.children))
    }
    any(&trace.indicators)
}

/// A cell of the funds block: an amount, a rate (a fraction: 0.95 is 95%), or text as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    Number(Decimal),
    Rate(Decimal),
    Text(String),
}

impl Amount {
    /// A cell as the form writes it: `89.974`, `1,200`, `100%`, `100.00%`, or words.
    fn parse(text: &str) -> Amount {
        let t = text.trim().replace(',', "");
        if let Some(p) = t.strip_suffix('%').or_else(|| t.strip_suffix('％'))
            && let Ok(d) = Decimal::from_str(p.trim())
        {
            return Amount::Rate(d / Decimal::ONE_HUNDRED);
        }
        match Decimal::from_str(&t) {
            Ok(d) => Amount::Number(d),
            Err(_) => Amount::Text(text.to_string()),
        }
    }
}

/// One row of the funds block: its label (worded), whether it is a sub-row, and its cells in
/// the order of [`FUNDS_COLUMNS`].
pub struct FundsRow {
    pub label: String,
    pub sub: bool,
    pub cells: [Option<Amount>; 4],
}

/// The funds block: its rows, and the 分值 and 得分 of its total row.
pub struct Funds {
    pub rows: Vec<FundsRow>,
    pub points: Option<Decimal>,
    pub reported: Option<Decimal>,
    pub score: Option<Decimal>,
}

/// A row of the indicator table: a record (or another scored leaf) with its groups.
pub struct Row<'t> {
    /// The 一级指标 and 二级指标 it stands under: an id shared by the rows of one group (for
    /// merging), and the group's name.
    pub groups: [Option<(usize, &'t str)>; 2],
    pub node: &'t Node,
    pub target: Option<&'t str>,
    pub actual: Option<&'t str>,
    pub reason: Option<&'t str>,
    /// The record's other columns as the form writes them (备注 …), kept and printed under the
    /// reason.
    pub columns: &'t [crate::trace::Column],
}

/// The form's cells, read off a trace.
pub struct FormView<'t> {
    /// Whether the data reports scores: 自评 beside 复核.
    pub reviewed: bool,
    pub authority: Option<&'t str>,
    pub implementer: Option<&'t str>,
    pub funds: Funds,
    pub expected: Option<&'t str>,
    pub achieved: Option<&'t str>,
    pub rows: Vec<Row<'t>>,
    /// The form's other cells (评价结论, 存在问题 …, and any the data adds): label, value.
    pub remarks: Vec<(String, &'t str)>,
    /// The 预算执行率 indicator, whose trace the funds block's 得分 opens to.
    pub funds_node: Option<&'t Node>,
}

impl<'t> FormView<'t> {
    pub fn of(trace: &'t Trace, lang: Lang) -> FormView<'t> {
        let detail = |k: &str| {
            trace
                .details
                .iter()
                .find(|c| c.name == k)
                .map(|c| c.value.as_str())
        };
        let funds_node = find_leaf(&trace.indicators, FUNDS_INDICATOR);
        let mut rows = Vec::new();
        let mut next_id = 0;
        for node in &trace.indicators {
            collect(node, 0, [None, None], &mut next_id, &mut rows, funds_node);
        }
        FormView {
            reviewed: super::wording::review::any(trace),
            authority: detail("主管部门"),
            implementer: detail("实施单位"),
            funds: funds(trace, funds_node, lang),
            expected: detail("预期目标"),
            achieved: detail("实际完成情况"),
            rows,
            remarks: remarks(trace, lang),
            funds_node,
        }
    }
}

/// The first leaf of that name.
fn find_leaf<'t>(nodes: &'t [Node], name: &str) -> Option<&'t Node> {
    nodes.iter().find_map(|n| match n.children.is_empty() {
        true => (n.name == name).then_some(n),
        false => find_leaf(&n.children, name),
    })
}

/// The table's rows under `node`, in tree order: every leaf but the funds indicator, under the
/// nearest level-1 and level-2 groups above it (a leaf above no level stands under the top
/// indicator it belongs to, when it is not that indicator itself).
fn collect<'t>(
    node: &'t Node,
    depth: usize,
    mut groups: [Option<(usize, &'t str)>; 2],
    next_id: &mut usize,
    rows: &mut Vec<Row<'t>>,
    funds: Option<&'t Node>,
) {
    if node.children.is_empty() {
        if funds.is_some_and(|f| std::ptr::eq(f, node)) {
            return;
        }
        let (target, actual, reason) = record(node);
        rows.push(Row {
            groups,
            node,
            target,
            actual,
            reason,
            columns: node.columns(),
        });
        return;
    }
    let slot = match node.level() {
        Some(1) => Some(0),
        Some(_) => Some(1),
        // A rule's indicator above the levels names the rows only when no level will.
        None => (depth == 0).then_some(0),
    };
    if let Some(slot) = slot {
        groups[slot] = Some((*next_id, node.name.as_str()));
        *next_id += 1;
        if slot == 0 {
            groups[1] = None;
        }
    }
    for child in &node.children {
        collect(child, depth + 1, groups, next_id, rows, funds);
    }
}

impl Row<'_> {
    /// The 偏差原因 cell: the reason, then each other column of the record as `备注：…`, a line
    /// each (the column names are the form's own words).
    pub fn remarks(&self, lang: Lang) -> Vec<String> {
        let colon = lang.labels().colon;
        self.reason
            .map(str::to_string)
            .into_iter()
            .chain(
                self.columns
                    .iter()
                    .map(|c| format!("{}{colon}{}", key(&c.name, lang), c.value)),
            )
            .collect()
    }
}

/// A record's 年度指标值, 实际完成值 and 偏差原因, as its target or grade step gives them.
fn record(node: &Node) -> (Option<&str>, Option<&str>, Option<&str>) {
    for step in &node.steps {
        if let Step::Target {
            note,
            target,
            actual,
            ..
        } = step
        {
            return (Some(target), Some(actual), note.reason());
        }
        if let Step::Grade(grade) = step {
            return (
                Some(&grade.target),
                Some(&grade.actual),
                grade.reason.as_deref(),
            );
        }
    }
    (None, None, None)
}

/// The value of an input named `name` in any step of the trace, as a number.
fn input(nodes: &[Node], name: &str) -> Option<Decimal> {
    nodes.iter().find_map(|n| {
        n.steps
            .iter()
            .find_map(|s| match s {
                Step::Input {
                    name: n,
                    value: Value::Number { value, .. },
                } if n == name => Some(value.0),
                _ => None,
            })
            .or_else(|| input(&n.children, name))
    })
}

/// The funds block: the total row from the header cells and the funds indicator's inputs, the
/// sub-rows from the `row.column` cells (the national rows, or the rows the form has when they
/// are others, as on the Sichuan form).
fn funds(trace: &Trace, node: Option<&Node>, lang: Lang) -> Funds {
    let detail = |k: &str| {
        trace
            .details
            .iter()
            .find(|c| c.name == k)
            .map(|c| Amount::parse(&c.value))
    };
    let budget =
        detail("全年预算数").or_else(|| input(&trace.indicators, "全年预算数").map(Amount::Number));
    let spent =
        detail("全年执行数").or_else(|| input(&trace.indicators, "全年执行数").map(Amount::Number));
    let rate = detail("执行率").or_else(|| match (&budget, &spent) {
        (Some(Amount::Number(b)), Some(Amount::Number(s))) if !b.is_zero() => {
            s.checked_div(*b).map(Amount::Rate)
        }
        _ => None,
    });
    let w = lang.form();
    let mut rows = vec![FundsRow {
        label: w.funds_total.to_string(),
        sub: false,
        cells: [detail("年初预算数"), budget, spent, rate],
    }];
    // The sub-rows the form has, in its order.
    let mut found: Vec<&str> = Vec::new();
    for c in &trace.details {
        if let Some((row, column)) = c.name.split_once('.')
            && FUNDS_COLUMNS.contains(&column)
            && !found.contains(&row)
        {
            found.push(row);
        }
    }
    let names: Vec<&str> = match found.iter().all(|r| NATIONAL_ROWS.contains(r)) {
        true => NATIONAL_ROWS.to_vec(),
        false => found,
    };
    for (i, name) in names.into_iter().enumerate() {
        let cell = |column: &str| detail(&format!("{name}.{column}"));
        let prefix = if i == 0 { w.of_which } else { "" };
        rows.push(FundsRow {
            label: format!("{prefix}{}", key(name, lang)),
            sub: true,
            cells: FUNDS_COLUMNS.map(cell),
        });
    }
    let points = node
        .map(|n| n.points.0)
        .or_else(|| match detail("资金分值") {
            Some(Amount::Number(d)) => Some(d),
            _ => None,
        });
    Funds {
        rows,
        points,
        reported: node.and_then(|n| n.reported().map(|r| r.0)).or_else(|| {
            match detail("资金得分") {
                Some(Amount::Number(d)) => Some(d),
                _ => None,
            }
        }),
        score: node.map(|n| n.score.0),
    }
}

/// The header cells the form does not place itself: 评价结论, 存在问题, 改进措施 and any other,
/// in the form's order.
fn remarks(trace: &Trace, lang: Lang) -> Vec<(String, &str)> {
    trace
        .details
        .iter()
        .filter(|c| {
            let funds = match c.name.split_once('.') {
                Some((_, column)) => FUNDS_COLUMNS.contains(&column),
                None => FUNDS_COLUMNS.contains(&c.name.as_str()),
            };
            !funds && !PLACED.contains(&c.name.as_str())
        })
        .map(|c| (key(&c.name, lang).to_string(), c.value.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Amount;
    use rust_decimal::Decimal;

    #[test]
    fn cells_read_as_amounts_rates_or_text() {
        assert_eq!(
            Amount::parse("89.974"),
            Amount::Number(Decimal::new(89974, 3))
        );
        assert_eq!(
            Amount::parse("1,200"),
            Amount::Number(Decimal::new(1200, 0))
        );
        assert_eq!(Amount::parse("100.00%"), Amount::Rate(Decimal::new(1, 0)));
        assert_eq!(Amount::parse("97.5%"), Amount::Rate(Decimal::new(975, 3)));
        assert_eq!(Amount::parse("见附表"), Amount::Text("见附表".into()));
    }
}
