//! The Markdown printer: the 自评表 as a table (一级/二级/三级指标, 分值, 得分, 扣分, 评分标准),
//! ready to paste into a report or a pull-request comment.

use std::fmt::Write as _;

use super::labels::Lang;
use crate::number::column;
use crate::trace::{Node, Step, Trace};

pub fn render(trace: &Trace, lang: Lang) -> String {
    let l = lang.labels();
    let mut out = String::new();
    let _ = writeln!(out, "# {}", cell(&trace.title));
    out.push('\n');
    if let Some(dept) = &trace.department {
        let year = trace
            .year
            .as_deref()
            .map(|y| format!(" {y}"))
            .unwrap_or_default();
        let _ = writeln!(out, "**{}**：{}{}", l.department, cell(dept), cell(&year));
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} |",
        l.level[0], l.level[1], l.level[2], l.points, l.score, l.deduction, l.basis, l.why
    );
    out.push_str("|---|---|---|--:|--:|--:|---|---|\n");
    for node in &trace.indicators {
        row(&mut out, node, 0, lang);
    }
    let _ = writeln!(
        out,
        "| **{}** | | | **{}** | **{}** | **{}** | | |",
        l.total,
        column(trace.points.0, 2),
        column(trace.total.0, 2),
        column(trace.deduction.0, 2)
    );
    out.push('\n');
    if let Some(line) = super::text::rescale_line(trace, lang) {
        let _ = writeln!(out, "{}\n", cell(&line));
    }
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "**{}：{}**（{} 分）",
            l.rating,
            cell(&trace.rating),
            column(trace.total.0, 2)
        ),
        Lang::En => writeln!(
            out,
            "**{}: {}** ({} points)",
            l.rating,
            cell(&trace.rating),
            column(trace.total.0, 2)
        ),
    };
    out.push('\n');
    if !trace.losses.is_empty() {
        let _ = writeln!(out, "### {}\n", l.losses);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            l.rank, l.indicator, l.points, l.score, l.deduction
        );
        out.push_str("|--:|---|--:|--:|--:|\n");
        for (i, loss) in trace.losses.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                i + 1,
                cell(&loss.path.join(" / ")),
                column(loss.points.0, 2),
                column(loss.score.0, 2),
                column(loss.deduction.0, 2)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{}：{} sha256 `{}`  ",
        l.rules,
        code(&trace.rules.path),
        trace.rules.sha256
    );
    for import in &trace.imports {
        let _ = writeln!(
            out,
            "{}：{} sha256 `{}`  ",
            l.import,
            code(&import.path),
            import.sha256
        );
    }
    let _ = writeln!(
        out,
        "{}：{} sha256 `{}`",
        l.data,
        code(&trace.data.path),
        trace.data.sha256
    );
    out
}

fn row(out: &mut String, node: &Node, depth: usize, lang: Lang) {
    let mut levels = [String::new(), String::new(), String::new()];
    // Levels below the third are shown in the third column, indented by their depth.
    let slot = depth.min(2);
    let indent = "　".repeat(depth.saturating_sub(2));
    levels[slot] = format!("{indent}{}", cell(&node.name));
    let basis = node
        .basis
        .clone()
        .or_else(|| target_text(node, lang))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} |",
        levels[0],
        levels[1],
        levels[2],
        column(node.points.0, 2),
        column(node.score.0, 2),
        column(node.deduction.0, 2),
        cell(&basis),
        cell(&why_lost(node, lang))
    );
    for child in &node.children {
        row(out, child, depth + 1, lang);
    }
}

/// Why a leaf lost points, from its steps: each deduction with its amount, a veto, the tier or
/// category it fell in, the checklist items not met, a target missed, or a formula's result;
/// for an indicator that was not scored, why not. Empty for groups (their children say it) and
/// for rows that lost nothing.
pub(super) fn why_lost(node: &Node, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    // An indicator that was not scored says so, whatever it lost.
    if let Some(step) = node
        .steps
        .iter()
        .find(|s| matches!(s, Step::NotApplicable { .. } | Step::NotChosen { .. }))
    {
        return super::text::step_line(step, 0, lang);
    }
    if node.deduction.0.is_zero() || !node.children.is_empty() {
        return String::new();
    }
    let mut why = Vec::new();
    for step in &node.steps {
        match step {
            Step::Deduction { reason, amount } if !amount.0.is_zero() => {
                let amount = crate::number::short(amount.0);
                why.push(if zh {
                    format!("{reason}（扣 {amount}）")
                } else {
                    format!("{reason} (−{amount})")
                });
            }
            Step::Veto { reason, .. } => {
                let reason = reason.as_deref().unwrap_or("");
                why.push(if zh {
                    format!("否决：{reason}")
                } else {
                    format!("veto: {reason}")
                })
            }
            Step::Tier { tier, .. } => why.push(if zh {
                format!("落在 {tier}")
            } else {
                format!("in {tier}")
            }),
            Step::Category { value, .. } => why.push(format!("“{value}”")),
            Step::Check {
                item, holds: false, ..
            } => why.push(if zh {
                format!("未满足：{item}")
            } else {
                format!("not met: {item}")
            }),
            Step::Target {
                met: false,
                overshot,
                ..
            } => why.push(
                match (overshot, zh) {
                    (true, true) => "超出指标值过多，不计为达标",
                    (false, true) => "未达成",
                    (true, false) => "exceeded beyond the overshoot band: not met",
                    (false, false) => "not met",
                }
                .into(),
            ),
            _ => {}
        }
    }
    if why.is_empty()
        && let Some(Step::Score { formula, value, .. }) =
            node.steps.iter().find(|s| matches!(s, Step::Score { .. }))
    {
        why.push(format!("{formula} = {}", crate::number::short(value.0)));
    }
    why.join(if zh { "；" } else { "; " })
}

/// For a target record: "指标值 ≥4篇，实际完成值 4篇".
pub(super) fn target_text(node: &Node, lang: Lang) -> Option<String> {
    node.steps.iter().find_map(|s| match s {
        Step::Target {
            target,
            actual,
            reason,
            ..
        } => Some(match (reason, lang) {
            (Some(r), Lang::Zh) => format!("指标值 {target}，实际完成值 {actual}；偏差原因：{r}"),
            (None, Lang::Zh) => format!("指标值 {target}，实际完成值 {actual}"),
            (Some(r), Lang::En) => format!("target {target}, actual {actual}; reason: {r}"),
            (None, Lang::En) => format!("target {target}, actual {actual}"),
        }),
        _ => None,
    })
}

/// Text from the rules or the data made safe for a table cell, a heading or bold text: see
/// [`crate::escape::markdown`].
pub(super) fn cell(s: &str) -> String {
    crate::escape::markdown(s)
}

/// A file path as a code span.
fn code(s: &str) -> String {
    crate::escape::markdown_code(s)
}
