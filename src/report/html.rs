//! The HTML printer: the 自评表 as one self-contained page to open in a browser or print on A4.
//! The rating and total stand on top; every indicator row opens to its trace steps. Styles and
//! the one small script are inline, so the page needs no other file and no network.
//!
//! Rows open without JavaScript: each row with steps carries a checkbox (drawn as a ▸ marker)
//! and the steps row below it shows while the box is checked (`:has()`). The script only adds
//! "open all"/"close all" and opens every row before printing, so paper holds the whole trace.
//!
//! Layout only: the words come from [`super::wording`].

use std::fmt::Write as _;

use super::form::{Amount, FormView};
use super::wording::{
    self, Lang, rating_why, rescale_line, review, rounding_lines, target_text, why_lost,
};
use crate::escape::markup as esc;
use crate::number::column;
use crate::trace::{Node, Trace};

pub fn render(trace: &Trace, lang: Lang) -> String {
    let l = lang.labels();
    let form = super::form::is_form(trace);
    let reviewed = review::any(trace);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        l.html_lang,
        esc(&title(trace))
    );
    // Title, department, and the result in large type (on screen; the form has its 总分 row).
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", esc(&trace.title));
    match (form, &trace.department) {
        (true, _) => {
            if let Some(year) = trace.year.as_deref() {
                let _ = writeln!(
                    out,
                    "<p class=\"year\">{}</p>",
                    esc(&wording::form::year(year, lang))
                );
            }
        }
        (false, Some(dept)) => {
            let year = wording::year(trace.year.as_deref(), lang);
            let _ = writeln!(
                out,
                "<p class=\"dept\">{}{}{}{}</p>",
                esc(l.department),
                l.colon,
                esc(dept),
                esc(&year)
            );
        }
        (false, None) => {}
    }
    let _ = writeln!(
        out,
        "<div class=\"result{}\"><div><span class=\"label\">{}</span><span class=\"total\">{}</span><span class=\"of\">/ {}</span></div>\
         <div><span class=\"label\">{}</span><span class=\"rating\">{}</span><span class=\"why\">{}</span></div></div>",
        if form { " screen" } else { "" },
        esc(l.total),
        column(trace.total.0, 2),
        column(trace.points.0, 2),
        esc(l.rating),
        esc(&trace.rating),
        esc(&rating_why(trace, lang))
    );
    let mut notes: Vec<String> = match form {
        // The rounding policy is the appendix's on a form.
        true => Vec::new(),
        false => rounding_lines(trace, lang),
    };
    notes.extend(rescale_line(trace, lang));
    if !notes.is_empty() {
        let _ = writeln!(out, "<ul class=\"notes\">");
        for n in &notes {
            let _ = writeln!(out, "<li>{}</li>", esc(n));
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "</header>");

    let _ = writeln!(
        out,
        "<nav class=\"tools\"><button type=\"button\" onclick=\"setAll(true)\">{}</button> \
         <button type=\"button\" onclick=\"setAll(false)\">{}</button></nav>",
        esc(l.open_all),
        esc(l.close_all)
    );

    let mut next_id = 0usize;
    if form {
        national(&mut out, trace, lang, &mut next_id);
    } else {
        tree(&mut out, trace, lang, reviewed, &mut next_id);
        rating_line(&mut out, trace, lang);
    }
    if reviewed {
        differences(&mut out, trace, lang);
    }
    if !form {
        losses(&mut out, trace, lang);
    }
    signature(&mut out, lang);

    // The appendix: what a finance officer does not sign but an auditor asks for — on a form,
    // the whole indicator tree with where each rule stands, and the rounding policy; the files
    // the score was computed from, with their hashes, and the engine.
    let _ = writeln!(
        out,
        "<section class=\"appendix\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>",
        esc(lang.form().appendix),
        esc(match form {
            true => lang.form().appendix_note,
            false => lang.form().appendix_files,
        })
    );
    if form {
        let _ = writeln!(out, "<ul class=\"notes\">");
        for n in rounding_lines(trace, lang) {
            let _ = writeln!(out, "<li>{}</li>", esc(&n));
        }
        let _ = writeln!(out, "</ul>");
        tree(&mut out, trace, lang, false, &mut next_id);
        losses(&mut out, trace, lang);
    }
    let colon = l.colon;
    let file = |label: &str, f: &crate::trace::FileRef| {
        format!(
            "<p>{}{colon}<code>{}</code> sha256 <code>{}</code></p>\n",
            esc(label),
            esc(&f.path),
            esc(&f.sha256)
        )
    };
    out.push_str("<footer>\n");
    out.push_str(&file(l.rules, &trace.rules));
    for import in &trace.imports {
        out.push_str(&file(l.import, import));
    }
    out.push_str(&file(l.data, &trace.data));
    let _ = writeln!(
        out,
        "<p>{} {} {}</p>\n</footer>\n</section>",
        esc(l.engine),
        esc(trace.engine.name),
        esc(trace.engine.version)
    );
    let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// The indicator tree as a table: one row per indicator, indented by level, with 分值, 得分
/// (自评 beside 复核 when `reviewed`), 扣分, 评分标准 and 扣分原因, each row opening to its steps.
fn tree(out: &mut String, trace: &Trace, lang: Lang, reviewed: bool, next_id: &mut usize) {
    let l = lang.labels();
    let (reported_col, reported_head) = match reviewed {
        true => (
            "<col class=\"c-num\">",
            format!("<th class=\"num\">{}</th>", esc(review::reported(lang))),
        ),
        false => ("", String::new()),
    };
    let score_head = if reviewed {
        review::computed(lang)
    } else {
        l.score
    };
    let _ = writeln!(
        out,
        "<table class=\"table\">\n<colgroup><col class=\"c-name\"><col class=\"c-num\">{reported_col}<col class=\"c-num\"><col class=\"c-num\"><col class=\"c-basis\"><col class=\"c-why\"></colgroup>\n\
         <thead><tr><th>{}</th><th class=\"num\">{}</th>{reported_head}<th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead>",
        esc(l.indicator),
        esc(l.points),
        esc(score_head),
        esc(l.deduction),
        esc(l.basis),
        esc(l.why)
    );
    for node in &trace.indicators {
        row(out, trace, node, 0, lang, reviewed, next_id);
    }
    let reported_total = match (reviewed, trace.reported) {
        (true, Some(r)) => format!("<td class=\"num\">{}</td>", column(r.0, 2)),
        (true, None) => "<td></td>".to_string(),
        (false, _) => String::new(),
    };
    let _ = writeln!(
        out,
        "<tbody class=\"sum\"><tr><th scope=\"row\">{}</th><td class=\"num\">{}</td>{reported_total}<td class=\"num\">{}</td><td class=\"num\">{}</td><td colspan=\"2\"></td></tr></tbody>\n</table>",
        esc(l.total),
        column(trace.points.0, 2),
        column(trace.total.0, 2),
        column(trace.deduction.0, 2)
    );
}

/// The rating under the departmental table, with the band that decided it.
fn rating_line(out: &mut String, trace: &Trace, lang: Lang) {
    let l = lang.labels();
    let _ = writeln!(
        out,
        "<p class=\"rated\"><strong>{}{}{}</strong>{}</p>",
        esc(l.rating),
        l.colon,
        esc(&trace.rating),
        esc(&lang.aside(&rating_why(trace, lang)))
    );
}

/// 扣分最多的指标.
fn losses(out: &mut String, trace: &Trace, lang: Lang) {
    let l = lang.labels();
    if trace.losses.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<table class=\"losses\">\n<thead><tr><th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>",
        esc(l.losses),
        esc(l.rank),
        esc(l.indicator),
        esc(l.points),
        esc(l.score),
        esc(l.deduction)
    );
    for (i, loss) in trace.losses.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            i + 1,
            esc(&loss.path.join(" / ")),
            column(loss.points.0, 2),
            column(loss.score.0, 2),
            column(loss.deduction.0, 2)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

/// 复核: the totals side by side, then each row whose reported score differs, with the reason.
fn differences(out: &mut String, trace: &Trace, lang: Lang) {
    let _ = writeln!(
        out,
        "<section class=\"review\">\n<h2>{}</h2>",
        esc(review::heading(lang))
    );
    if let Some(line) = review::totals(trace, lang) {
        let _ = writeln!(out, "<p>{}</p>", esc(&line));
    }
    let _ = writeln!(out, "<p>{}</p>", esc(&review::count(trace, lang)));
    if !trace.differences.is_empty() {
        let h = review::heads(lang);
        let _ = writeln!(
            out,
            "<table class=\"differences\">\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>",
            esc(h[0]),
            esc(h[1]),
            esc(h[2]),
            esc(h[3]),
            esc(h[4])
        );
        for d in &trace.differences {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num lost\">{}</td><td>{}</td></tr>",
                esc(&d.path.join(" / ")),
                column(d.reported.0, 2),
                column(d.computed.0, 2),
                esc(&review::signed(d)),
                esc(&review::reason(trace, d, lang))
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
    }
    let _ = writeln!(out, "</section>");
}

/// The signature block: each label with a line to sign or write on.
fn signature(out: &mut String, lang: Lang) {
    let l = lang.labels();
    let _ = write!(out, "<div class=\"sign\">");
    for label in l.signature {
        let _ = write!(
            out,
            "<div><span>{}{}</span><span class=\"line\"></span></div>",
            esc(label),
            esc(l.colon.trim_end())
        );
    }
    let _ = writeln!(out, "</div>");
}

/// The national 项目支出绩效自评表: the header block, the funds block (its total row opening to
/// the 预算执行率 trace), 年度总体目标, the indicator table with the 一级/二级 cells spanning
/// their rows and 自评 beside 复核 when the data reports scores, each record opening to its
/// steps, then 总分, the rating and the form's other cells.
fn national(out: &mut String, trace: &Trace, lang: Lang, next_id: &mut usize) {
    let l = lang.labels();
    let w = lang.form();
    let view = FormView::of(trace, lang);
    let reviewed = view.reviewed;
    // The header block.
    let _ = writeln!(
        out,
        "<table class=\"form info\">\n<colgroup><col class=\"c-label\"><col><col class=\"c-label\"><col></colgroup>\n<tbody>\n\
         <tr><th>{}</th><td colspan=\"3\">{}</td></tr>\n<tr><th>{}</th><td>{}</td><th>{}</th><td>{}</td></tr>\n</tbody>\n</table>",
        esc(w.project),
        esc(trace.department.as_deref().unwrap_or("")),
        esc(wording::form::key("主管部门", lang)),
        esc(view.authority.unwrap_or("")),
        esc(wording::form::key("实施单位", lang)),
        esc(view.implementer.unwrap_or(""))
    );

    // The funds block.
    let funds = &view.funds;
    let span = if reviewed { " rowspan=\"2\"" } else { "" };
    let _ = write!(
        out,
        "<table class=\"form funds\">\n<thead><tr><th{span} class=\"corner\">{}</th>",
        esc(w.funds)
    );
    for head in &w.funds_heads[..5] {
        let _ = write!(out, "<th{span} class=\"num\">{}</th>", esc(head));
    }
    match reviewed {
        true => {
            let _ = write!(
                out,
                "<th colspan=\"2\" class=\"num\">{}</th></tr>\n<tr><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n",
                esc(w.funds_heads[5]),
                esc(review::reported(lang)),
                esc(review::computed(lang))
            );
        }
        false => {
            let _ = writeln!(
                out,
                "<th class=\"num\">{}</th></tr></thead>",
                esc(w.funds_heads[5])
            );
        }
    }
    let columns = 7 + usize::from(reviewed);
    for (i, line) in funds.rows.iter().enumerate() {
        let total = i == 0;
        let opens = total && view.funds_node.is_some_and(|n| !n.steps.is_empty());
        if i < 2 {
            let _ = write!(out, "<tbody{}>", if total { " class=\"ind\"" } else { "" });
        }
        let _ = write!(
            out,
            "<tr class=\"row{}\">",
            if line.sub { " sub" } else { "" }
        );
        let _ = write!(
            out,
            "<th scope=\"row\">{}</th>",
            name(&line.label, opens, next_id)
        );
        let cells: [&Option<Amount>; 4] = [
            &line.cells[0],
            &line.cells[1],
            &line.cells[2],
            &line.cells[3],
        ];
        let mut tds: Vec<String> = cells[..3].iter().map(|c| amount(c)).collect();
        let number = |d: Option<rust_decimal::Decimal>| match (total, d) {
            (true, Some(d)) => column(d, 2),
            _ => String::new(),
        };
        tds.push(number(funds.points));
        tds.push(amount(cells[3]));
        if reviewed {
            tds.push(number(funds.reported));
        }
        tds.push(number(funds.score));
        let differs = reviewed && funds.reported.is_some() && funds.reported != funds.score;
        for (j, td) in tds.iter().enumerate() {
            let lost = differs && total && j + 1 == tds.len();
            let _ = write!(
                out,
                "<td class=\"num{}\">{td}</td>",
                if lost { " lost" } else { "" }
            );
        }
        let _ = writeln!(out, "</tr>");
        if opens && let Some(node) = view.funds_node {
            steps(out, node, columns, lang);
        }
        if total || i + 1 == funds.rows.len() {
            let _ = writeln!(out, "</tbody>");
        }
    }
    let _ = writeln!(out, "</table>");

    // 年度总体目标.
    if view.expected.is_some() || view.achieved.is_some() {
        let _ = writeln!(
            out,
            "<table class=\"form goals\">\n<colgroup><col class=\"c-label\"><col><col></colgroup>\n<tbody>\n\
             <tr><th rowspan=\"2\">{}</th><th class=\"sub\">{}</th><th class=\"sub\">{}</th></tr>\n<tr><td>{}</td><td>{}</td></tr>\n</tbody>\n</table>",
            esc(w.goals),
            esc(w.expected),
            esc(w.achieved),
            esc(view.expected.unwrap_or("")),
            esc(view.achieved.unwrap_or(""))
        );
    }

    // The indicator table: one tbody, so that the level cells can span their rows (a steps row
    // counts among them, hidden or shown).
    let head_rows = if reviewed { " rowspan=\"2\"" } else { "" };
    let _ = write!(
        out,
        "<table class=\"form targets\">\n<colgroup><col class=\"c-l1\"><col class=\"c-l2\"><col class=\"c-l3\"><col class=\"c-value\"><col class=\"c-value\"><col class=\"c-num\"><col class=\"c-num\">{}<col class=\"c-reason\"></colgroup>\n<thead><tr>",
        if reviewed {
            "<col class=\"c-num\">"
        } else {
            ""
        }
    );
    for head in [l.level[0], l.level[1], l.level[2], w.target, w.actual] {
        let _ = write!(out, "<th{head_rows}>{}</th>", esc(head));
    }
    let _ = write!(out, "<th{head_rows} class=\"num\">{}</th>", esc(l.points));
    match reviewed {
        true => {
            let _ = write!(
                out,
                "<th colspan=\"2\" class=\"num\">{}</th><th rowspan=\"2\">{}</th></tr>\n<tr><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
                esc(l.score),
                esc(w.reason),
                esc(review::reported(lang)),
                esc(review::computed(lang))
            );
        }
        false => {
            let _ = write!(
                out,
                "<th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                esc(l.score),
                esc(w.reason)
            );
        }
    }
    let columns = 8 + usize::from(reviewed);
    // The rows a record takes: its own, and its steps row.
    let height = |r: &super::form::Row| 1 + usize::from(!r.node.steps.is_empty());
    for (i, r) in view.rows.iter().enumerate() {
        let node = r.node;
        let _ = write!(out, "<tr class=\"row\">");
        for slot in 0..2 {
            let id = r.groups[slot].map(|g| g.0);
            let starts = i == 0 || view.rows[i - 1].groups[slot].map(|g| g.0) != id;
            if !starts {
                continue;
            }
            let rows: usize = match id {
                Some(id) => view.rows[i..]
                    .iter()
                    .take_while(|o| o.groups[slot].map(|g| g.0) == Some(id))
                    .map(height)
                    .sum(),
                None => height(r),
            };
            let span = match rows > 1 {
                true => format!(" rowspan=\"{rows}\""),
                false => String::new(),
            };
            let _ = write!(
                out,
                "<td class=\"level\"{span}>{}</td>",
                esc(r.groups[slot].map_or("", |g| g.1))
            );
        }
        let _ = write!(
            out,
            "<th scope=\"row\">{}</th><td>{}</td><td>{}</td><td class=\"num\">{}</td>",
            name(&node.name, !node.steps.is_empty(), next_id),
            esc(r.target.unwrap_or("")),
            esc(r.actual.unwrap_or("")),
            column(node.points.0, 2)
        );
        if reviewed {
            let _ = write!(
                out,
                "<td class=\"num\">{}</td>",
                node.reported().map(|d| column(d.0, 2)).unwrap_or_default()
            );
        }
        let differs = node.reported().is_some_and(|d| d != node.score);
        let _ = writeln!(
            out,
            "<td class=\"num{}\">{}</td><td class=\"reason\">{}</td></tr>",
            if differs { " lost" } else { "" },
            column(node.score.0, 2),
            r.remarks(lang)
                .iter()
                .map(|t| esc(t))
                .collect::<Vec<_>>()
                .join("<br>")
        );
        if !node.steps.is_empty() {
            steps(out, node, columns - 2, lang);
        }
    }
    let _ = writeln!(out, "</tbody>");
    // 总分 and the rating.
    let reported_total = match reviewed {
        true => format!(
            "<td class=\"num\">{}</td>",
            trace.reported.map(|d| column(d.0, 2)).unwrap_or_default()
        ),
        false => String::new(),
    };
    let differs = trace.reported.is_some_and(|r| r != trace.total);
    let _ = writeln!(
        out,
        "<tbody class=\"sum\"><tr><th colspan=\"5\" scope=\"row\">{}</th><td class=\"num\">{}</td>{reported_total}<td class=\"num{}\">{}</td><td></td></tr>\n\
         <tr><th colspan=\"5\" scope=\"row\">{}</th><td colspan=\"{}\">{}{}</td></tr></tbody>\n</table>",
        esc(w.total),
        column(trace.points.0, 2),
        if differs { " lost" } else { "" },
        column(trace.total.0, 2),
        esc(l.rating),
        columns - 5,
        esc(&trace.rating),
        esc(&lang.aside(&rating_why(trace, lang)))
    );

    // The form's other cells.
    if !view.remarks.is_empty() {
        let _ = writeln!(
            out,
            "<table class=\"form remarks\">\n<colgroup><col class=\"c-label\"><col></colgroup>\n<tbody>"
        );
        for (label, value) in &view.remarks {
            let _ = writeln!(
                out,
                "<tr><th>{}</th><td>{}</td></tr>",
                esc(label),
                esc(value)
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
    }
}

/// A row's name: a label that opens its steps when it has any (the id ties it to its box).
fn name(text: &str, opens: bool, next_id: &mut usize) -> String {
    match opens {
        false => format!("<span class=\"name\">{}</span>", esc(text)),
        true => {
            let id = format!("r{next_id}");
            *next_id += 1;
            format!(
                "<input type=\"checkbox\" class=\"open\" id=\"{id}\"><label for=\"{id}\" class=\"name\">{}</label>",
                esc(text)
            )
        }
    }
}

/// A cell of the funds block: an amount with two decimals or more, a rate as a percentage.
fn amount(cell: &Option<Amount>) -> String {
    match cell {
        Some(Amount::Number(d)) => column(*d, 2),
        Some(Amount::Rate(d)) => match d.checked_mul(rust_decimal::Decimal::ONE_HUNDRED) {
            Some(p) => format!("{}%", column(p.round_dp(2), 2)),
            None => String::new(),
        },
        Some(Amount::Text(t)) => esc(t),
        None => String::new(),
    }
}

/// The row of a record's steps, below its row in the form, across `columns` columns.
fn steps(out: &mut String, node: &Node, columns: usize, lang: Lang) {
    let _ = write!(out, "<tr class=\"steps\"><td colspan=\"{columns}\"><ol>");
    if let Some(basis) = node.basis() {
        let _ = write!(
            out,
            "<li><span class=\"k\">{}</span>{}</li>",
            esc(lang.labels().basis),
            esc(basis)
        );
    }
    for step in &node.steps {
        let words = wording::step(step, lang);
        let _ = write!(
            out,
            "<li><span class=\"k\">{}</span>{}</li>",
            esc(words.label),
            esc(&words.body)
        );
    }
    let _ = writeln!(out, "</ol></td></tr>");
}

/// The page title: the table's title and, when known, the department.
fn title(trace: &Trace) -> String {
    match &trace.department {
        Some(d) => format!("{} — {d}", trace.title),
        None => trace.title.clone(),
    }
}

/// One indicator: its row, the row of its steps (when it has any), then its children.
fn row(
    out: &mut String,
    trace: &Trace,
    node: &Node,
    depth: usize,
    lang: Lang,
    reviewed: bool,
    next_id: &mut usize,
) {
    let basis = node
        .basis()
        .map(str::to_string)
        .or_else(|| target_text(node, lang))
        .unwrap_or_default();
    let kind = if node.children.is_empty() {
        "leaf"
    } else {
        "group"
    };
    let location = super::file_line(trace.file_name(node.location.file), &node.location);
    let _ = write!(
        out,
        "<tbody class=\"ind {kind} d{}\">\n<tr class=\"row\"><th scope=\"row\" style=\"padding-left: {}\">",
        depth.min(9),
        indent(4 + 12 * depth)
    );
    // Rows with steps open and close; the id ties the label to its box.
    if node.steps.is_empty() {
        let _ = write!(out, "<span class=\"name\">{}</span>", esc(&node.name));
    } else {
        let id = format!("r{next_id}");
        *next_id += 1;
        let _ = write!(
            out,
            "<input type=\"checkbox\" class=\"open\" id=\"{id}\"><label for=\"{id}\" class=\"name\">{}</label>",
            esc(&node.name)
        );
    }
    let reported = match reviewed {
        true => format!(
            "<td class=\"num\">{}</td>",
            node.reported().map(|d| column(d.0, 2)).unwrap_or_default()
        ),
        false => String::new(),
    };
    let differs = node.reported().is_some_and(|d| d != node.score);
    let _ = writeln!(
        out,
        "<span class=\"loc\">{}</span></th><td class=\"num\">{}</td>{reported}<td class=\"num{}\">{}</td><td class=\"num{}\">{}</td><td class=\"basis\">{}</td><td class=\"why\">{}</td></tr>",
        esc(&location),
        column(node.points.0, 2),
        if differs { " lost" } else { "" },
        column(node.score.0, 2),
        if node.deduction.0.is_zero() {
            ""
        } else {
            " lost"
        },
        column(node.deduction.0, 2),
        esc(&basis),
        esc(&why_lost(node, lang))
    );
    if !node.steps.is_empty() {
        let _ = write!(
            out,
            "<tr class=\"steps\"><td colspan=\"{}\" style=\"padding-left: {}\"><ol>",
            6 + usize::from(reviewed),
            indent(16 + 12 * depth)
        );
        // The basis has its own column, so the steps start with the inputs.
        for step in &node.steps {
            let words = wording::step(step, lang);
            let _ = write!(
                out,
                "<li><span class=\"k\">{}</span>{}</li>",
                esc(words.label),
                esc(&words.body)
            );
        }
        let _ = writeln!(out, "</ol></td></tr>");
    }
    let _ = writeln!(out, "</tbody>");
    for child in &node.children {
        row(out, trace, child, depth + 1, lang, reviewed, next_id);
    }
}

/// An indentation of `tenths` tenths of an em, written without floating point: `1.6em`.
fn indent(tenths: usize) -> String {
    format!("{}.{}em", tenths / 10, tenths % 10)
}

/// The page's styles: system fonts with CJK fallbacks, A4 when printed.
const STYLE: &str = r#":root { --ink: #1d2733; --muted: #5b6b7c; --line: #d5dce4; --band: #f3f6f9; --lost: #b3261e; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; color: var(--ink); font: 14px/1.55 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
.dept { margin: 0 0 12px; color: var(--muted); }
.result { display: flex; gap: 40px; align-items: baseline; padding: 12px 16px; border: 1px solid var(--line); border-radius: 6px; background: var(--band); }
.result .label { display: block; font-size: 12px; color: var(--muted); }
.result .total, .result .rating { font-size: 32px; font-weight: 700; font-variant-numeric: tabular-nums; }
.result .of, .result .why { margin-left: 8px; color: var(--muted); }
.notes { margin: 10px 0 0; padding-left: 18px; color: var(--muted); font-size: 12px; }
.notes li { white-space: pre-wrap; }
.tools { margin: 16px 0 8px; }
.tools button { font: inherit; font-size: 12px; padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
table { width: 100%; border-collapse: collapse; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; text-align: left; }
thead th { font-size: 12px; color: var(--muted); border-bottom: 2px solid var(--ink); white-space: nowrap; }
thead th.num { text-align: right; }
col.c-name { width: 22%; } col.c-num { width: 7%; } col.c-basis { width: 34%; } col.c-why { width: 23%; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.lost { color: var(--lost); }
tbody.group > tr.row { background: var(--band); }
tbody.group > tr.row > th, tbody.group > tr.row > td.num { font-weight: 600; }
tbody.d0 > tr.row > th { font-weight: 700; }
tr.row > th { font-weight: 500; }
.loc { display: block; font-size: 11px; font-weight: 400; color: var(--muted); }
.basis, .why { font-size: 12px; }
tr.row .why { color: var(--muted); }
tr.row:has(td.lost) .why { color: var(--lost); }
input.open { position: absolute; opacity: 0; width: 1px; height: 1px; }
label.name { cursor: pointer; }
label.name::before { content: "▸"; display: inline-block; width: 1em; color: var(--accent); }
input.open:checked + label.name::before { content: "▾"; }
input.open:focus-visible + label.name { outline: 2px solid var(--accent); }
tr.steps { display: none; }
tr:has(input.open:checked) + tr.steps { display: table-row; }
tr.steps td { background: #fbfcfd; font-size: 12px; }
tr.steps ol { margin: 0; padding: 0; list-style: none; }
tr.steps li { padding: 1px 0; white-space: pre-wrap; word-break: break-word; }
tr.steps .k { display: inline-block; min-width: 5.5em; margin-right: 8px; color: var(--muted); }
tbody.sum th, tbody.sum td { border-top: 2px solid var(--ink); font-weight: 700; }
.losses { max-width: 720px; }
footer { margin-top: 28px; font-size: 11px; color: var(--muted); word-break: break-all; }
footer p { margin: 2px 0; }
header:has(.year) h1 { text-align: center; }
.year { margin: 0 0 12px; text-align: center; color: var(--muted); }
.rated { margin: 10px 0 0; }
table.form { margin: 0 0 -1px; table-layout: fixed; }
table.form th, table.form td { border: 1px solid #8a96a3; padding: 4px 6px; vertical-align: middle; }
table.form thead th { color: var(--ink); border-bottom: 1px solid #8a96a3; white-space: normal; text-align: center; background: var(--band); }
table.form tbody th { font-weight: 600; }
table.form th.sub, table.info th, table.goals th, table.remarks th { background: var(--band); text-align: center; }
table.form td { word-break: break-word; }
col.c-label { width: 14%; }
table.funds th.corner { width: 18%; }
table.funds tr.sub th { font-weight: 400; }
table.targets col.c-l1 { width: 9%; } table.targets col.c-l2 { width: 12%; } table.targets col.c-l3 { width: 14%; }
table.targets col.c-value { width: 10%; } table.targets col.c-num { width: 7.5%; }
table.targets td.level { font-weight: 600; background: #fbfcfd; }
table.targets td.reason { font-size: 12px; }
table.targets tr.steps td { text-align: left; }
/* The level cells span the steps rows too, so a closed steps row stays in the grid, empty. */
table.targets tr.steps { display: table-row; }
table.targets tr.steps td { padding: 0 6px; border-top-style: hidden; }
table.targets tr.steps ol { display: none; }
table.targets tr:has(input.open:checked) + tr.steps td { padding: 4px 6px; }
table.targets tr:has(input.open:checked) + tr.steps ol { display: block; }
table.goals td, table.remarks td { white-space: pre-wrap; }
.review { break-inside: avoid; }
.review p { margin: 2px 0; }
.differences { max-width: 100%; }
.sign { display: flex; flex-wrap: wrap; gap: 10px 28px; margin: 36px 0 8px; }
.sign > div { display: flex; align-items: flex-end; gap: 4px; min-width: 15em; }
.sign .line { flex: 1; min-width: 7em; border-bottom: 1px solid var(--ink); height: 1.4em; }
.appendix { margin-top: 40px; padding-top: 8px; border-top: 2px solid var(--line); }
.appendix .note { color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5px; }
  .tools { display: none; }
  .result { break-inside: avoid; }
  thead { display: table-header-group; }
  tbody.ind { break-inside: avoid; }
  label.name::before { content: ""; width: 0; }
  tr.steps td { background: none; }
  .screen { display: none; }
  table.form thead th, table.targets td.reason { font-size: inherit; }
  body > table.table .loc { display: none; }
  table.funds tr.steps, table.funds tr:has(input.open:checked) + tr.steps { display: none; }
  table.targets tr.steps td, table.targets tr:has(input.open:checked) + tr.steps td { padding: 0; }
  table.targets tr.steps ol, table.targets tr:has(input.open:checked) + tr.steps ol { display: none; }
  table.form thead { display: table-header-group; }
  .appendix { break-before: page; border-top: none; margin-top: 0; }
  .sign { break-inside: avoid; }
}
"#;

/// "Open all"/"close all", and every row opened before printing.
const SCRIPT: &str = r##"function setAll(open) {
  document.querySelectorAll("input.open").forEach(function (box) { box.checked = open; });
}
window.addEventListener("beforeprint", function () { setAll(true); });
// `page.html#all` opens with every trace shown (a link to send, or a screenshot).
if (location.hash === "#all") { setAll(true); }
"##;
