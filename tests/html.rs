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
