//! The HTML report (`--format html`): for every scoring fixture, a page that stands alone (no
//! external asset of any kind), whose elements are properly nested, and that holds every
//! indicator with its numbers and every trace step. One page, the seed case's, is snapshotted
//! whole. (How it looks was checked in headless Chromium: see docs/reports.md.)

mod common;

use jixiao::report::{self, Format, Lang};
use jixiao::trace::{Node, Trace};

fn traces() -> Vec<(String, Trace)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let case = dir.join("case.toml");
        if !case.exists() {
            continue;
        }
        let case = common::case(&case);
        if case.name.starts_with("err_") {
            continue;
        }
        if let Ok(Some(trace)) = case.run() {
            out.push((case.name, trace));
        }
    }
    assert!(out.len() >= 10, "the fixtures hold scoring cases");
    out
}

/// The text as the page escapes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Elements that have no closing tag in HTML.
const VOID: [&str; 5] = ["meta", "col", "input", "br", "link"];

/// Every opened element is closed, in order; text never holds a raw `<`.
fn assert_nested(name: &str, html: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    // The script and style bodies are not markup.
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let end = after
            .find('>')
            .unwrap_or_else(|| panic!("{name}: unclosed tag"));
        let tag = &after[..end];
        rest = &after[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(closing) = tag.strip_prefix('/') {
            let top = stack.pop();
            assert_eq!(
                top.as_deref(),
                Some(closing),
                "{name}: </{closing}> closes {top:?}"
            );
            continue;
        }
        let element = tag
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        if element == "style" || element == "script" {
            let close = format!("</{element}>");
            let body_end = rest
                .find(&close)
                .unwrap_or_else(|| panic!("{name}: <{element}> never closed"));
            rest = &rest[body_end + close.len()..];
            continue;
        }
        if !VOID.contains(&element.as_str()) {
            stack.push(element);
        }
    }
    assert!(stack.is_empty(), "{name}: left open: {stack:?}");
}

fn every_node<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
    for n in nodes {
        out.push(n);
        every_node(&n.children, out);
    }
}

#[test]
fn every_page_stands_alone_and_is_well_formed() {
    for (name, trace) in traces() {
        for lang in [Lang::Zh, Lang::En] {
            let html = report::render(&trace, Format::Html, lang);
            assert!(html.starts_with("<!DOCTYPE html>"), "{name}");
            assert_nested(&name, &html);
            for external in ["src=", "href=", "url(", "@import", "http://", "https://"] {
                assert!(!html.contains(external), "{name}: `{external}` in the page");
            }
        }
    }
}

#[test]
fn every_page_holds_every_indicator_its_numbers_and_steps() {
    for (name, trace) in traces() {
        let html = report::render(&trace, Format::Html, Lang::Zh);
        let result = format!(
            "<span class=\"total\">{}</span>",
            jixiao::number_column(trace.total.0, 2)
        );
        assert!(html.contains(&result), "{name}: the total on top");
        assert!(
            html.contains(&format!(
                "<span class=\"rating\">{}</span>",
                esc(&trace.rating)
            )),
            "{name}: the rating on top"
        );
        let mut nodes = Vec::new();
        every_node(&trace.indicators, &mut nodes);
        for node in nodes {
            let row = format!(
                "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                jixiao::number_column(node.points.0, 2),
                jixiao::number_column(node.score.0, 2)
            );
            assert!(html.contains(&esc(&node.name)), "{name}: {}", node.name);
            assert!(html.contains(&row), "{name}: the numbers of {}", node.name);
            for line in node.steps.iter().map(|s| report::step_words(s, Lang::Zh)) {
                // Each step is shown as its label and its text.
                let text = line.split_once("  ").map_or(line.as_str(), |(_, t)| t);
                assert!(html.contains(&esc(text)), "{name}: step `{line}`");
            }
        }
    }
}

#[test]
fn markup_in_names_and_data_is_escaped() {
    let rules = jixiao::source::SourceFile::new(
        "r.jx",
        "rulebook \"<b>表</b>\" { total 10  rating 优 >= 9, 差 }\ninput 说明: text\n\
         indicator \"<script>x</script>\" points 10 { basis \"a & b\"  category 说明 { else => points } }\n",
    );
    let data = jixiao::source::SourceFile::new("d.toml", "\"说明\" = \"</td><td>\"\n");
    let (_, trace) = jixiao::pipeline::score(&rules, &data).unwrap();
    let html = report::render(&trace, Format::Html, Lang::Zh);
    assert_nested("escaping", &html);
    assert!(!html.contains("<script>x"));
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
    assert!(html.contains("a &amp; b"));
    assert!(html.contains("&lt;/td&gt;&lt;td&gt;"));
}

#[test]
fn seed_case_page() {
    let (_, trace) = traces()
        .into_iter()
        .find(|(n, _)| n == "huadu-gov-office-2023")
        .unwrap();
    insta::assert_snapshot!(report::render(&trace, Format::Html, Lang::Zh));
}

/// A node's leaves, in tree order.
fn leaves<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
    for n in nodes {
        match n.children.is_empty() {
            true => out.push(n),
            false => leaves(&n.children, out),
        }
    }
}

#[test]
fn a_project_form_prints_the_form_and_keeps_the_trace_in_the_appendix() {
    let forms: Vec<(String, Trace)> = traces()
        .into_iter()
        .filter(|(_, t)| {
            let mut nodes = Vec::new();
            every_node(&t.indicators, &mut nodes);
            nodes.iter().any(|n| n.level().is_some())
        })
        .collect();
    assert!(forms.len() >= 4, "the project form fixtures");
    let num = |d: rust_decimal::Decimal| jixiao::number_column(d, 2);
    for (name, trace) in &forms {
        let reviewed = trace.reported.is_some() || {
            let mut nodes = Vec::new();
            every_node(&trace.indicators, &mut nodes);
            nodes.iter().any(|n| n.reported().is_some())
        };
        for lang in [Lang::Zh, Lang::En] {
            let html = report::render(trace, Format::Html, lang);
            let l = lang.labels();
            let w = lang.form();
            let (form, appendix) = html
                .split_once("<section class=\"appendix\">")
                .unwrap_or_else(|| panic!("{name}: no appendix"));
            // What prints first is the form: no file:line, no hashes.
            for artefact in [&trace.rules.sha256, &trace.data.sha256] {
                assert!(!form.contains(&**artefact), "{name}: a hash on the form");
                assert!(
                    appendix.contains(&**artefact),
                    "{name}: no hash in the appendix"
                );
            }
            assert!(
                !form.contains("class=\"loc\""),
                "{name}: file:line on the form"
            );
            if let Some(dept) = &trace.department {
                assert!(form.contains(&esc(dept)), "{name}: 项目名称");
            }
            assert!(
                form.contains(&esc(w.funds_total)),
                "{name}: the funds block"
            );
            // Every record: its numbers (自评 beside 复核), then its steps row.
            let mut records = Vec::new();
            leaves(&trace.indicators, &mut records);
            for node in records.iter().filter(|n| n.name != "预算执行率") {
                let reported = match reviewed {
                    true => format!(
                        "<td class=\"num\">{}</td>",
                        node.reported().map(|r| num(r.0)).unwrap_or_default()
                    ),
                    false => String::new(),
                };
                let differs = node.reported().is_some_and(|r| r != node.score);
                let numbers = format!(
                    "<td class=\"num\">{}</td>{reported}<td class=\"num{}\">{}</td>",
                    num(node.points.0),
                    if differs { " lost" } else { "" },
                    num(node.score.0)
                );
                let at = form
                    .find(&format!("class=\"name\">{}</", esc(&node.name)))
                    .unwrap_or_else(|| panic!("{name}: {} not on the form", node.name));
                let row = &form[at..];
                let row = &row[..row.find("</tr>").unwrap()];
                assert!(row.contains(&numbers), "{name}: {}: {row}", node.name);
                let after = &form[at..];
                let steps_row = &after[after.find("</tr>").unwrap() + 5..];
                assert!(
                    node.steps.is_empty()
                        || steps_row.trim_start().starts_with("<tr class=\"steps\">"),
                    "{name}: {} opens to no steps",
                    node.name
                );
                for line in node.steps.iter().map(|s| report::step_words(s, lang)) {
                    let text = line.split_once("  ").map_or(line.as_str(), |(_, t)| t);
                    assert!(steps_row.contains(&esc(text)), "{name}: step `{line}`");
                }
            }
            // Each level's name spans its records' rows and their steps rows.
            let mut nodes = Vec::new();
            every_node(&trace.indicators, &mut nodes);
            for level in nodes.iter().filter(|n| n.level().is_some()) {
                let mut under = Vec::new();
                leaves(&level.children, &mut under);
                let rows: usize = under
                    .iter()
                    .map(|n| 1 + usize::from(!n.steps.is_empty()))
                    .sum();
                let cell = match rows {
                    1 => format!("<td class=\"level\">{}</td>", esc(&level.name)),
                    n => format!(
                        "<td class=\"level\" rowspan=\"{n}\">{}</td>",
                        esc(&level.name)
                    ),
                };
                assert!(form.contains(&cell), "{name}: {cell}");
            }
            // 总分: the points, the reported total, the computed one; the rating.
            let reported = match reviewed {
                true => format!(
                    "<td class=\"num\">{}</td>",
                    trace.reported.map(|r| num(r.0)).unwrap_or_default()
                ),
                false => String::new(),
            };
            let differs = trace.reported.is_some_and(|r| r != trace.total);
            let total = format!(
                "<th colspan=\"5\" scope=\"row\">{}</th><td class=\"num\">{}</td>{reported}<td class=\"num{}\">{}</td>",
                esc(w.total),
                num(trace.points.0),
                if differs { " lost" } else { "" },
                num(trace.total.0)
            );
            assert!(form.contains(&total), "{name}: {total}");
            assert!(form.contains(&format!(
                "<td colspan=\"{}\">{}",
                3 + usize::from(reviewed),
                esc(&trace.rating)
            )));
            for d in &trace.differences {
                assert!(form.contains(&esc(&d.path.join(" / "))), "{name}: 复核差异");
            }
            for label in l.signature {
                assert!(form.contains(&esc(label)), "{name}: {label}");
            }
        }
    }
}

#[test]
fn project_form_page() {
    let (_, trace) = traces()
        .into_iter()
        .find(|(n, _)| n == "project-form")
        .unwrap();
    insta::assert_snapshot!(report::render(&trace, Format::Html, Lang::Zh));
}
