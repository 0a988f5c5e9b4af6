//! The words of 复核 (re-checking the scores a department reported for itself): the two score
//! columns, the totals side by side, and each row where they differ with the reason, in
//! Chinese and English. The printers place them; the evaluator found the differences
//! ([`crate::trace::differences`]).

use super::Lang;
use super::steps::{step, why_lost};
use crate::number::column;
use crate::trace::{Difference, Node, Step, Trace};

/// The column of the reported scores: 自评得分.
pub fn reported(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "自评",
        Lang::En => "Reported",
    }
}

/// The column of the computed scores beside it: 复核得分.
pub fn computed(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "复核",
        Lang::En => "Computed",
    }
}

/// The heading of the list of differences.
pub fn heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "复核差异",
        Lang::En => "Differences from the reported scores",
    }
}

/// The column heads of the list: the row, reported, computed, difference, reason.
pub fn heads(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Zh => ["指标", "自评得分", "复核得分", "差异", "原因"],
        Lang::En => ["Indicator", "Reported", "Computed", "Difference", "Reason"],
    }
}

/// Whether the trace has anything to re-check: a reported total or a reported row.
pub fn any(trace: &Trace) -> bool {
    fn reported(nodes: &[Node]) -> bool {
        nodes
            .iter()
            .any(|n| n.reported().is_some() || reported(&n.children))
    }
    trace.reported.is_some() || reported(&trace.indicators)
}

/// The computed minus the reported, signed: `+2.00`, `−1.50`.
pub fn signed(d: &Difference) -> String {
    let delta = d.computed.0 - d.reported.0;
    let shown = column(delta.abs(), 2);
    if delta.is_sign_negative() {
        format!("−{shown}")
    } else {
        format!("+{shown}")
    }
}

/// The totals side by side: `自评总分 98.00，复核总分 100.00（+2.00）`, or that they agree.
pub fn totals(trace: &Trace, lang: Lang) -> Option<String> {
    let reported = trace.reported?;
    let (r, c) = (column(reported.0, 2), column(trace.total.0, 2));
    let delta = trace.total.0 - reported.0;
    let sign = if delta.is_sign_negative() { "−" } else { "+" };
    let delta = format!("{sign}{}", column(delta.abs(), 2));
    Some(match (reported == trace.total, lang) {
        (true, Lang::Zh) => format!("自评总分 {r}，复核总分 {c}：一致"),
        (true, Lang::En) => format!("reported total {r}, computed {c}: they agree"),
        (false, Lang::Zh) => format!("自评总分 {r}，复核总分 {c}（{delta}）"),
        (false, Lang::En) => format!("reported total {r}, computed {c} ({delta})"),
    })
}

/// How many rows differ, as a line: `复核发现 3 处差异`, or none.
pub fn count(trace: &Trace, lang: Lang) -> String {
    match (trace.differences.len(), lang) {
        (0, Lang::Zh) => "复核未发现得分差异".into(),
        (0, Lang::En) => "no reported score differs from the computed one".into(),
        (n, Lang::Zh) => format!("复核发现 {n} 处得分差异"),
        (1, Lang::En) => "1 reported score differs from the computed one".into(),
        (n, Lang::En) => format!("{n} reported scores differ from the computed ones"),
    }
}

/// Why the computed score of a differing row is what it is: what it lost and why, or for a row
/// that lost nothing, its score step (`达成，计满分 8`).
pub fn reason(trace: &Trace, d: &Difference, lang: Lang) -> String {
    let Some(node) = find(&trace.indicators, &d.path) else {
        return String::new();
    };
    let lost = why_lost(node, lang);
    if !lost.is_empty() {
        return lost;
    }
    node.steps
        .iter()
        .rev()
        .find(|s| matches!(s, Step::TargetScore { .. } | Step::Score { .. }))
        .map(|s| step(s, lang).body)
        .unwrap_or_default()
}

/// The node at `path` (names from the top).
fn find<'t>(nodes: &'t [Node], path: &[String]) -> Option<&'t Node> {
    let (first, rest) = path.split_first()?;
    let node = nodes.iter().find(|n| n.name == *first)?;
    match rest.is_empty() {
        true => Some(node),
        false => find(&node.children, rest),
    }
}

/// The line `--fail-on-difference` ends a run with: what 复核 found.
pub fn failure(
    differences: usize,
    totals: Option<(rust_decimal::Decimal, rust_decimal::Decimal)>,
    lang: Lang,
) -> String {
    let totals = totals
        .filter(|(reported, total)| reported != total)
        .map(|(reported, total)| match lang {
            Lang::Zh => format!(
                "，自评总分 {} 而复核总分 {}",
                column(reported, 2),
                column(total, 2)
            ),
            Lang::En => format!(
                "; the reported total is {}, the computed one {}",
                column(reported, 2),
                column(total, 2)
            ),
        })
        .unwrap_or_default();
    match lang {
        Lang::Zh => format!(
            "复核：{differences} 处自评得分与复核得分不同{totals}（--fail-on-difference）\n"
        ),
        Lang::En => format!(
            "review: {differences} reported score(s) differ from the computed ones{totals} (--fail-on-difference)\n"
        ),
    }
}
