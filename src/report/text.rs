//! The text printer: the explained trace for a terminal. Indicator rows are columns aligned
//! by display width (CJK characters are two columns); under each leaf its steps, indented.
//! Layout only: every word it prints comes from [`super::wording`] or from the files.

use std::fmt::Write as _;

use super::width::{pad_left, pad_right, width};
use super::wording::{self, Lang, rating_why, rescale_line, review, rounding_lines};
use crate::number::column;
use crate::trace::{Node, Step, Trace};

const INDENT: usize = 2;

pub fn render(trace: &Trace, lang: Lang) -> String {
    render_with(trace, lang, true)
}

/// The text trace; without `provenance`, the lines naming the files, their SHA-256 and the
/// engine version are left out (what `jixiao test` stores, so that a comment edited in a rule
/// file or a new engine version does not change every snapshot).
pub fn render_with(trace: &Trace, lang: Lang, provenance: bool) -> String {
    // Text from the files is printed as one line each, with nothing a terminal would obey.
    let mut safe = trace.clone();
    safe.map_text(&crate::escape::terminal);
    let trace = &safe;
    let l = lang.labels();
    let mut out = String::new();
    header(&mut out, trace, lang, provenance);
    // With self-reported scores, 自评 stands beside the computed 复核 score.
    let reviewed = review::any(trace);
    // A number column is as wide as its longest number or its head, with two spaces before
    // (English heads are wider than the numbers under them).
    let heads = match reviewed {
        true => vec![
            l.points,
            review::reported(lang),
            review::computed(lang),
            l.deduction,
        ],
        false => vec![l.points, l.score, l.deduction],
    };
    let num = num_column(&trace.indicators)
        .max(width(&column(trace.total.0, 2)) + 2)
        .max(heads.iter().map(|h| width(h) + 2).max().unwrap_or(0));
    let name_width = name_column(&trace.indicators, 0)
        .max(width(l.indicator))
        .max(width(l.total));
    let (score_head, reported_head) = match reviewed {
        true => (
            review::computed(lang),
            pad_left(review::reported(lang), num),
        ),
        false => (l.score, String::new()),
    };
    let _ = writeln!(
        out,
        "{}{}{reported_head}{}{}  {}",
        pad_right(l.indicator, name_width),
        pad_left(l.points, num),
        pad_left(score_head, num),
        pad_left(l.deduction, num),
        l.location
    );
    let layout = Layout {
        name_width,
        num,
        reviewed,
        trace,
    };
    for node in &trace.indicators {
        write_node(&mut out, node, 0, &layout, lang);
    }
    let reported_total = match reviewed {
        true => pad_left(
            &trace.reported.map(|r| column(r.0, 2)).unwrap_or_default(),
            num,
        ),
        false => String::new(),
    };
    let _ = writeln!(
        out,
        "{}{}{reported_total}{}{}",
        pad_right(l.total, name_width),
        pad_left(&column(trace.points.0, 2), num),
        pad_left(&column(trace.total.0, 2), num),
        pad_left(&column(trace.deduction.0, 2), num),
    );
    if let Some(line) = rescale_line(trace, lang) {
        let _ = writeln!(out, "{}{line}", " ".repeat(INDENT));
    }
    if let Some(step) = &trace.total_rounding {
        let _ = writeln!(out, "{}", step_line(step, INDENT, lang));
    }
    let why = lang.aside(&rating_why(trace, lang));
    let _ = writeln!(out, "{}  {}{why}", l.rating, trace.rating);
    if reviewed {
        differences(&mut out, trace, lang);
    }
    losses(&mut out, trace, lang);
    out
}

/// 复核: the totals side by side, then each row whose reported score differs, with the reason.
fn differences(out: &mut String, trace: &Trace, lang: Lang) {
    let _ = writeln!(out, "\n{}", review::heading(lang));
    if let Some(line) = review::totals(trace, lang) {
        let _ = writeln!(out, "{}{line}", " ".repeat(INDENT));
    }
    let _ = writeln!(out, "{}{}", " ".repeat(INDENT), review::count(trace, lang));
    let names: Vec<String> = trace
        .differences
        .iter()
        .map(|d| d.path.join(" / "))
        .collect();
    let name_width = names.iter().map(|n| width(n)).max().unwrap_or(0) + 2;
    let heads = review::heads(lang);
    for (i, (d, name)) in trace.differences.iter().zip(&names).enumerate() {
        let _ = writeln!(
            out,
            "{:>4}. {}{} {}  {} {}{}  {}",
            i + 1,
            pad_right(name, name_width),
            heads[1],
            pad_left(&column(d.reported.0, 2), 7),
            heads[2],
            pad_left(&column(d.computed.0, 2), 7),
            pad_left(&review::signed(d), 9),
            review::reason(trace, d, lang)
        );
    }
}

/// The widths of the table's columns, and whether it has the 自评 column.
struct Layout<'a> {
    name_width: usize,
    num: usize,
    reviewed: bool,
    /// The trace, for the names of the files its locations stand in.
    trace: &'a Trace,
}

/// 扣分最多的指标: the leaves that lost points, numbered, the loss right-aligned.
fn losses(out: &mut String, trace: &Trace, lang: Lang) {
    if trace.losses.is_empty() {
        return;
    }
    let names: Vec<String> = trace.losses.iter().map(|l| l.path.join(" / ")).collect();
    let width = names.iter().map(|n| width(n)).max().unwrap_or(0) + 2;
    let _ = writeln!(out, "\n{}", lang.labels().losses);
    for (i, (loss, name)) in trace.losses.iter().zip(&names).enumerate() {
        let _ = writeln!(
            out,
            "{:>4}. {}{}",
            i + 1,
            pad_right(name, width),
            pad_left(&column(loss.deduction.0, 2), 8)
        );
    }
}

fn header(out: &mut String, trace: &Trace, lang: Lang, provenance: bool) {
    let l = lang.labels();
    let _ = writeln!(out, "{}", trace.title);
    if trace.department.is_some() || trace.year.is_some() {
        let name = trace.department.as_deref().unwrap_or("");
        let year = wording::year(trace.year.as_deref(), lang);
        let _ = writeln!(out, "{}  {name}{year}", l.department);
    }
    if provenance {
        let _ = writeln!(
            out,
            "{}  {}  sha256 {}",
            l.rules, trace.rules.path, trace.rules.sha256
        );
        for import in &trace.imports {
            let _ = writeln!(
                out,
                "{}  {}  sha256 {}",
                l.import, import.path, import.sha256
            );
        }
        let _ = writeln!(
            out,
            "{}  {}  sha256 {}",
            l.data, trace.data.path, trace.data.sha256
        );
    }
    for line in rounding_lines(trace, lang) {
        let _ = writeln!(out, "{line}");
    }
    if provenance {
        let _ = writeln!(
            out,
            "{}  {} {}",
            l.engine, trace.engine.name, trace.engine.version
        );
    }
    out.push('\n');
}

fn name_column(nodes: &[Node], depth: usize) -> usize {
    nodes
        .iter()
        .map(|n| (depth * INDENT + width(&n.name)).max(name_column(&n.children, depth + 1)))
        .max()
        .unwrap_or(0)
        + 2
}

/// The width of the number columns: the widest number shown, plus two spaces between columns.
fn num_column(nodes: &[Node]) -> usize {
    nodes
        .iter()
        .map(|n| {
            [n.points.0, n.score.0, n.deduction.0]
                .into_iter()
                .chain(n.reported().map(|r| r.0))
                .map(|d| width(&column(d, 2)) + 2)
                .max()
                .unwrap_or(0)
                .max(num_column(&n.children))
        })
        .max()
        .unwrap_or(0)
        .max(8)
}

fn write_node(out: &mut String, node: &Node, depth: usize, layout: &Layout<'_>, lang: Lang) {
    let (name_width, num) = (layout.name_width, layout.num);
    let indent = " ".repeat(depth * INDENT);
    // Made safe here, as `map_text` made the other text from the files safe.
    let file = crate::escape::terminal(layout.trace.file_name(node.location.file));
    let location = super::file_line(&file, &node.location);
    let reported = match layout.reviewed {
        true => pad_left(
            &node.reported().map(|r| column(r.0, 2)).unwrap_or_default(),
            num,
        ),
        false => String::new(),
    };
    let _ = writeln!(
        out,
        "{}{}{reported}{}{}  {}",
        pad_right(&format!("{indent}{}", node.name), name_width),
        pad_left(&column(node.points.0, 2), num),
        pad_left(&column(node.score.0, 2), num),
        pad_left(&column(node.deduction.0, 2), num),
        location
    );
    let step_indent = (depth + 1) * INDENT;
    if let Some(basis) = node.basis() {
        let _ = writeln!(
            out,
            "{}{}  {basis}",
            " ".repeat(step_indent),
            lang.labels().basis
        );
    }
    for step in &node.steps {
        let _ = writeln!(out, "{}", step_line(step, step_indent, lang));
    }
    for child in &node.children {
        write_node(out, child, depth + 1, layout, lang);
    }
}

/// A step as a line of the text trace: its label and words, indented.
fn step_line(step: &Step, indent: usize, lang: Lang) -> String {
    format!("{}{}", " ".repeat(indent), wording::step(step, lang))
}
