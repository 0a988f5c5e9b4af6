//! The Markdown of the report and of `jixiao diff` is pasted into pull-request comments, which
//! render it as HTML: names, data text and reasons written by anyone must come out as text,
//! never as markup, and never break the table they stand in.

use jixiao::report::{self, DiffFormat, Format, Lang};
use jixiao::source::SourceFile;

const HOSTILE_RULES: &str = "rulebook \"<script>alert(1)</script>|表\" { total 10  round half_up 2 each indicator  rating `<b>优</b>` >= 9, 差 }\n\
input 说明: text\n\
input 问题: list of finding\n\
indicator \"<img src=x onerror=alert(1)>|名\" points 10 {\n\
  basis \"a | b <i>c</i> **d**\"\n\
  deduct 1 per 问题\n\
}\n";

const HOSTILE_DATA: &str = "\"部门\" = \"<iframe src=javascript:x>|部门\"\n\
\"年度\" = \"2023<br>\"\n\
\"说明\" = \"</td><td>\"\n\
[[\"问题\"]]\n\"描述\" = \"<img src=y onerror=alert(2)>\\n| 破 | 表 |\"\n";

/// No tag written by the input survives: every `<` of it is an entity.
fn assert_no_raw_markup(what: &str, md: &str) {
    for tag in [
        "<script", "<img", "<iframe", "<b>", "<i>", "</td>", "<br>2", "2023<br>",
    ] {
        assert!(!md.contains(tag), "{what}: `{tag}` passed through:\n{md}");
    }
}

/// Every table row has as many cells as the table's header (no `|` broke a row, no line
/// break split one).
fn assert_rows_whole(what: &str, md: &str) {
    let mut columns = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        // Cells are separated by the pipes that are not escaped.
        let mut cells = 0;
        let mut escaped = false;
        for c in line.chars() {
            if c == '|' && !escaped {
                cells += 1;
            }
            escaped = c == '\\' && !escaped;
        }
        match columns {
            None => columns = Some(cells),
            Some(n) => assert_eq!(n, cells, "{what}: a broken row: {line}"),
        }
    }
}

#[test]
fn hostile_names_and_data_stay_text_in_the_markdown_report() {
    let rules = SourceFile::new("r.jx", HOSTILE_RULES);
    let data = SourceFile::new("d.toml", HOSTILE_DATA);
    let (_, trace) = jixiao::pipeline::score(&rules, &data).unwrap();
    for lang in [Lang::Zh, Lang::En] {
        let md = report::render(&trace, Format::Markdown, lang);
        assert_no_raw_markup("report", &md);
        assert_rows_whole("report", &md);
        assert!(md.contains("&lt;script>alert(1)&lt;/script>\\|表"), "{md}");
        assert!(md.contains("&lt;img src=x onerror=alert(1)>\\|名"), "{md}");
        assert!(md.contains("a \\| b &lt;i>c&lt;/i> \\*\\*d\\*\\*"), "{md}");
        assert!(md.contains("&lt;b>优&lt;/b>"), "{md}");
        assert!(md.contains("2023&lt;br>"), "{md}");
    }
}

#[test]
fn hostile_names_stay_text_in_the_markdown_diff() {
    let old = SourceFile::new("old`.jx", HOSTILE_RULES);
    let new = SourceFile::new(
        "new.jx",
        HOSTILE_RULES.replace("deduct 1 per", "deduct 2 per"),
    );
    let data = SourceFile::new("d.toml", HOSTILE_DATA);
    let (_, a) = jixiao::pipeline::score(&old, &data).unwrap();
    let (_, b) = jixiao::pipeline::score(&new, &data).unwrap();
    let dept = jixiao::compare::department("d|<b>.toml".into(), Ok(&a), Ok(&b));
    assert!(!dept.changes.is_empty());
    let comparison = jixiao::compare::Comparison {
        old_rules: "old`.jx".into(),
        new_rules: "new.jx".into(),
        departments: vec![dept],
    };
    for lang in [Lang::Zh, Lang::En] {
        let md = report::render_comparison(&comparison, DiffFormat::Markdown, lang);
        assert_rows_whole("diff", &md);
        assert!(md.contains("``old`.jx``"), "{md}");
        assert!(md.contains("d\\|&lt;b>.toml"), "{md}");
        // Outside the code blocks (where nothing is markup), no tag of the input is left.
        let outside: String = md.split("```").step_by(2).collect::<Vec<_>>().join("");
        assert_no_raw_markup("diff", &outside);
        // The step lines inside a code block stay one line each.
        assert!(!md.contains("\n| 破"), "{md}");
    }
}
