//! The Markdown printer: the 自评表 as a table (一级/二级/三级指标, 分值, 得分, 扣分, 评分标准),
//! ready to paste into a report or a pull-request comment. Layout only: the words come from
//! [`super::wording`].

use std::fmt::Write as _;

use super::wording::{Lang, rescale_line, review, target_text, total_aside, why_lost};
use crate::number::column;
use crate::trace::{Node, Trace};

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
        let _ = writeln!(
            out,
            "**{}**{}{}{}",
            l.department,
            l.colon,
            cell(dept),
            cell(&year)
        );
        out.push('\n');
    }
    // With self-reported scores, 自评 stands beside the computed 复核 score.
    let reviewed = review::any(trace);
    let (score_head, reported_head, reported_align) = match reviewed {
        true => (
            review::computed(lang),
            format!(" {} |", review::reported(lang)),
            "--:|",
        ),
        false => (l.score, String::new(), ""),
    };
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |{reported_head} {} | {} | {} | {} |",
        l.level[0], l.level[1], l.level[2], l.points, score_head, l.deduction, l.basis, l.why
    );
    let _ = writeln!(out, "|---|---|---|--:|{reported_align}--:|--:|---|---|");
    for node in &trace.indicators {
        row(&mut out, node, 0, reviewed, lang);
    }
    let reported_total = match (reviewed, trace.reported) {
        (true, Some(r)) => format!(" **{}** |", column(r.0, 2)),
        (true, None) => " |".to_string(),
        (false, _) => String::new(),
    };
    let _ = writeln!(
        out,
        "| **{}** | | | **{}** |{reported_total} **{}** | **{}** | | |",
        l.total,
        column(trace.points.0, 2),
        column(trace.total.0, 2),
        column(trace.deduction.0, 2)
    );
    out.push('\n');
    if let Some(line) = rescale_line(trace, lang) {
        let _ = writeln!(out, "{}\n", cell(&line));
    }
    let _ = writeln!(
        out,
        "**{}{}{}**{}",
        l.rating,
        l.colon,
        cell(&trace.rating),
        total_aside(trace, lang)
    );
    out.push('\n');
    if reviewed {
        differences(&mut out, trace, lang);
    }
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
    // The files and their hashes, a line each (two spaces end a line without a paragraph).
    let file = |label: &str, f: &crate::trace::FileRef, end: &str| {
        format!(
            "{label}{}{} sha256 `{}`{end}\n",
            l.colon,
            code(&f.path),
            f.sha256
        )
    };
    out.push_str(&file(l.rules, &trace.rules, "  "));
    for import in &trace.imports {
        out.push_str(&file(l.import, import, "  "));
    }
    out.push_str(&file(l.data, &trace.data, ""));
    out
}

/// 复核: the totals side by side, then each row whose reported score differs, with the reason.
fn differences(out: &mut String, trace: &Trace, lang: Lang) {
    let _ = writeln!(out, "### {}\n", review::heading(lang));
    if let Some(line) = review::totals(trace, lang) {
        let _ = writeln!(out, "{}  ", cell(&line));
    }
    let _ = writeln!(out, "{}\n", review::count(trace, lang));
    if trace.differences.is_empty() {
        return;
    }
    let h = review::heads(lang);
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |",
        h[0], h[1], h[2], h[3], h[4]
    );
    out.push_str("|---|--:|--:|--:|---|\n");
    for d in &trace.differences {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&d.path.join(" / ")),
            column(d.reported.0, 2),
            column(d.computed.0, 2),
            review::signed(d),
            cell(&review::reason(trace, d, lang))
        );
    }
    out.push('\n');
}

fn row(out: &mut String, node: &Node, depth: usize, reviewed: bool, lang: Lang) {
    let mut levels = [String::new(), String::new(), String::new()];
    // Levels below the third are shown in the third column, indented by their depth.
    let slot = depth.min(2);
    let indent = lang.labels().indent.repeat(depth.saturating_sub(2));
    levels[slot] = format!("{indent}{}", cell(&node.name));
    let basis = node
        .basis()
        .map(str::to_string)
        .or_else(|| target_text(node, lang))
        .unwrap_or_default();
    let reported = match reviewed {
        true => format!(
            " {} |",
            node.reported().map(|r| column(r.0, 2)).unwrap_or_default()
        ),
        false => String::new(),
    };
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |{reported} {} | {} | {} | {} |",
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
        row(out, child, depth + 1, reviewed, lang);
    }
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
