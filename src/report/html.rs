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

use super::wording::{self, Lang, rating_why, rescale_line, rounding_lines, target_text, why_lost};
use crate::escape::markup as esc;
use crate::number::column;
use crate::trace::{Node, Trace};

pub fn render(trace: &Trace, lang: Lang) -> String {
    let l = lang.labels();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        l.html_lang,
        esc(&title(trace))
    );
    // Title, department, and the result in large type.
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", esc(&trace.title));
    if let Some(dept) = &trace.department {
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
    let _ = writeln!(
        out,
        "<div class=\"result\"><div><span class=\"label\">{}</span><span class=\"total\">{}</span><span class=\"of\">/ {}</span></div>\
         <div><span class=\"label\">{}</span><span class=\"rating\">{}</span><span class=\"why\">{}</span></div></div>",
        esc(l.total),
        column(trace.total.0, 2),
        column(trace.points.0, 2),
        esc(l.rating),
        esc(&trace.rating),
        esc(&rating_why(trace, lang))
    );
    let mut notes: Vec<String> = rounding_lines(trace, lang);
    notes.extend(rescale_line(trace, lang));
    let _ = writeln!(out, "<ul class=\"notes\">");
    for n in &notes {
        let _ = writeln!(out, "<li>{}</li>", esc(n));
    }
    let _ = writeln!(out, "</ul>\n</header>");

    let _ = writeln!(
        out,
        "<nav class=\"tools\"><button type=\"button\" onclick=\"setAll(true)\">{}</button> \
         <button type=\"button\" onclick=\"setAll(false)\">{}</button></nav>",
        esc(l.open_all),
        esc(l.close_all)
    );

    // The 自评表, one tbody per indicator so its steps row follows it.
    let _ = writeln!(
        out,
        "<table class=\"table\">\n<colgroup><col class=\"c-name\"><col class=\"c-num\"><col class=\"c-num\"><col class=\"c-num\"><col class=\"c-basis\"><col class=\"c-why\"></colgroup>\n\
         <thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead>",
        esc(l.indicator),
        esc(l.points),
        esc(l.score),
        esc(l.deduction),
        esc(l.basis),
        esc(l.why)
    );
    let mut next_id = 0usize;
    for node in &trace.indicators {
        row(&mut out, node, 0, lang, &mut next_id);
    }
    let _ = writeln!(
        out,
        "<tbody class=\"sum\"><tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td colspan=\"2\"></td></tr></tbody>\n</table>",
        esc(l.total),
        column(trace.points.0, 2),
        column(trace.total.0, 2),
        column(trace.deduction.0, 2)
    );

    if !trace.losses.is_empty() {
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

    // The files the score was computed from, with their hashes, and the engine.
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
        "<p>{} {} {}</p>\n</footer>",
        esc(l.engine),
        esc(trace.engine.name),
        esc(trace.engine.version)
    );
    let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// The page title: the table's title and, when known, the department.
fn title(trace: &Trace) -> String {
    match &trace.department {
        Some(d) => format!("{} — {d}", trace.title),
        None => trace.title.clone(),
    }
}

/// One indicator: its row, the row of its steps (when it has any), then its children.
fn row(out: &mut String, node: &Node, depth: usize, lang: Lang, next_id: &mut usize) {
    let basis = node
        .basis
        .clone()
        .or_else(|| target_text(node, lang))
        .unwrap_or_default();
    let kind = if node.children.is_empty() {
        "leaf"
    } else {
        "group"
    };
    let location = super::file_line(&node.location);
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
    let _ = writeln!(
        out,
        "<span class=\"loc\">{}</span></th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num{}\">{}</td><td class=\"basis\">{}</td><td class=\"why\">{}</td></tr>",
        esc(&location),
        column(node.points.0, 2),
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
            "<tr class=\"steps\"><td colspan=\"6\" style=\"padding-left: {}\"><ol>",
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
        row(out, child, depth + 1, lang, next_id);
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
tbody:has(input.open:checked) label.name::before { content: "▾"; }
input.open:focus-visible + label.name { outline: 2px solid var(--accent); }
tr.steps { display: none; }
tbody:has(input.open:checked) > tr.steps { display: table-row; }
tr.steps td { background: #fbfcfd; font-size: 12px; }
tr.steps ol { margin: 0; padding: 0; list-style: none; }
tr.steps li { padding: 1px 0; white-space: pre-wrap; word-break: break-word; }
tr.steps .k { display: inline-block; min-width: 5.5em; margin-right: 8px; color: var(--muted); }
tbody.sum th, tbody.sum td { border-top: 2px solid var(--ink); font-weight: 700; }
.losses { max-width: 720px; }
footer { margin-top: 28px; font-size: 11px; color: var(--muted); word-break: break-all; }
footer p { margin: 2px 0; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5px; }
  .tools { display: none; }
  .result { break-inside: avoid; }
  thead { display: table-header-group; }
  tbody.ind { break-inside: avoid; }
  label.name::before { content: ""; width: 0; }
  tr.steps td { background: none; }
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
