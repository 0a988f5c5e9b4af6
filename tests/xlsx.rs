//! The workbook (`--format xlsx`), read back with calamine: the form sheet holds every
//! indicator's points and score and the total (on a project form: every record with 自评 beside
//! 复核, the 一级/二级 cells merged down their rows, the funds block's numbers), the trace sheet
//! every indicator and step, an English workbook no Chinese label of its own, and the same trace
//! gives the same bytes.

mod common;

use calamine::{Data, Reader, Xlsx};
use jixiao::report::Lang;
use jixiao::trace::{Node, Trace};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

fn workbook(trace: &Trace, lang: Lang) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    let bytes = jixiao::report::xlsx::render(trace, lang).unwrap();
    Xlsx::new(std::io::Cursor::new(bytes)).unwrap()
}

/// Every node, depth first, as the form lists them.
fn nodes(trace: &Trace) -> Vec<&Node> {
    fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
        for n in nodes {
            out.push(n);
            walk(&n.children, out);
        }
    }
    let mut out = Vec::new();
    walk(&trace.indicators, &mut out);
    out
}

/// Whether the trace is a project form: records grouped under the form's levels.
fn is_form(trace: &Trace) -> bool {
    nodes(trace).iter().any(|n| n.level().is_some())
}

/// Whether the data reports scores of its own (自评).
fn reviewed(trace: &Trace) -> bool {
    trace.reported.is_some() || nodes(trace).iter().any(|n| n.reported().is_some())
}

/// A spreadsheet number read back as the decimal with the fewest digits that gives it: equal to
/// the trace's value whenever that value has at most 15 significant digits.
fn close(cell: Option<&Data>, value: Decimal, what: &str) {
    let Some(Data::Float(f)) = cell else {
        panic!("{what}: {cell:?} is not a number");
    };
    let read: Decimal = format!("{f}").parse().unwrap();
    let expected = value.to_f64().unwrap();
    assert!(
        read == value.normalize() || (f - expected).abs() <= expected.abs() * 1e-14,
        "{what}: {read} ≠ {value}"
    );
}

#[test]
fn the_form_holds_every_score_and_the_total() {
    let mut cases = common::scoring_cases();
    // Four levels, an alternative not chosen, siblings that redistribute together.
    cases.push(common::every_step_case());
    for case in cases {
        let trace = case.run().unwrap().unwrap();
        // A project form has its own layout (below).
        if is_form(&trace) {
            continue;
        }
        let reviewed = reviewed(&trace);
        let (score, lost) = if reviewed { (5, 6) } else { (4, 5) };
        for lang in [Lang::Zh, Lang::En] {
            let mut book = workbook(&trace, lang);
            let names = book.sheet_names();
            assert_eq!(names.len(), 2, "{}", case.name);
            let form = book.worksheet_range(&names[0]).unwrap();
            // The head is row 4 (0-based 3); the indicators follow in tree order.
            let mut row = 4;
            for node in nodes(&trace) {
                let what = format!("{} {}", case.name, node.name);
                close(form.get_value((row, 3)), node.points.0, &what);
                if reviewed && let Some(reported) = node.reported() {
                    close(form.get_value((row, 4)), reported.0, &what);
                }
                close(form.get_value((row, score)), node.score.0, &what);
                close(form.get_value((row, lost)), node.deduction.0, &what);
                let level = (0..3)
                    .filter_map(|c| form.get_value((row, c)))
                    .any(|d| d == &Data::String(node.name.to_string()));
                assert!(level, "{what}: its name is in no level column of row {row}");
                row += 1;
            }
            close(form.get_value((row, score)), trace.total.0, &case.name);
            let rating = form.get_value((row + 1, 3));
            assert!(
                matches!(rating, Some(Data::String(r)) if r.starts_with(&*trace.rating)),
                "{}: {rating:?}",
                case.name
            );
            // The trace sheet: every step's words, in order, under its indicator.
            let steps = book.worksheet_range(&names[1]).unwrap();
            let said: Vec<String> = steps
                .rows()
                .filter_map(|r| match r.get(6) {
                    Some(Data::String(s)) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            for node in nodes(&trace) {
                for step in &node.steps {
                    let words = jixiao::report::step_words(step, lang);
                    let body = words.split_once("  ").map_or(words.as_str(), |(_, b)| b);
                    assert!(
                        said.iter().any(|s| s == body),
                        "{}: `{body}` is not on the trace sheet",
                        case.name
                    );
                }
            }
        }
    }
}

#[test]
fn the_same_trace_gives_the_same_bytes() {
    // An indicator table and a project form.
    let cases = common::scoring_cases();
    let form = cases.iter().find(|c| c.name == "project-form").unwrap();
    for case in [&cases[0], form] {
        let trace = case.run().unwrap().unwrap();
        let once = jixiao::report::xlsx::render(&trace, Lang::Zh).unwrap();
        let again = jixiao::report::xlsx::render(&trace, Lang::Zh).unwrap();
        assert_eq!(once, again, "{}", case.name);
    }
}

#[test]
fn score_writes_the_workbook_and_asks_for_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("自评表.xlsx");
    let score = |output: &[&std::ffi::OsStr]| {
        common::jixiao()
            .args([
                "score",
                "rules/guangzhou/department-overall.jx",
                "fixtures/huadu-gov-office-2023/data.toml",
                "--format",
                "xlsx",
            ])
            .args(output)
            .output()
            .unwrap()
    };
    let out = score(&["--output".as_ref(), path.as_os_str()]);
    assert_eq!(out.status.code(), Some(0));
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["自评表", "计算过程"]);
    let form = book.worksheet_range("自评表").unwrap();
    assert_eq!(
        form.get_value((0, 0)),
        Some(&Data::String("部门整体支出绩效自评（广州市）".into()))
    );
    // Without --output, a workbook is refused: it is not text for a terminal.
    assert_eq!(score(&[]).status.code(), Some(2));
}

/// The row whose column `col` holds `text`, from `from` on.
fn find_row(range: &calamine::Range<Data>, col: u32, text: &str, from: u32) -> Option<u32> {
    let (end, _) = range.end()?;
    (from..=end).find(|&r| range.get_value((r, col)) == Some(&Data::String(text.into())))
}

/// The number of an input the trace read, as the funds block shows it.
fn input(trace: &Trace, name: &str) -> Option<Decimal> {
    nodes(trace).iter().find_map(|n| {
        n.steps.iter().find_map(|s| match s {
            jixiao::trace::Step::Input {
                name: n,
                value: jixiao::trace::Value::Number { value, .. },
            } if n == name => Some(value.0),
            _ => None,
        })
    })
}

#[test]
fn the_national_form_holds_every_record_both_scores_the_levels_and_the_funds() {
    let cases: Vec<_> = common::scoring_cases()
        .into_iter()
        .map(|c| {
            let trace = c.run().unwrap().unwrap();
            (c.name, trace)
        })
        .filter(|(_, t)| is_form(t))
        .collect();
    assert!(
        cases.len() >= 4,
        "the project form fixtures: {}",
        cases.len()
    );
    for (name, trace) in &cases {
        let reviewed = reviewed(trace);
        for lang in [Lang::Zh, Lang::En] {
            let mut book = workbook(trace, lang);
            let names = book.sheet_names();
            let form = book.worksheet_range(&names[0]).unwrap();
            let merged = book.worksheet_merge_cells(&names[0]).unwrap().unwrap();
            let l = lang.labels();
            let w = lang.form();
            assert_eq!(
                form.get_value((0, 0)),
                Some(&Data::String(trace.title.clone())),
                "{name}: the title"
            );
            if let Some(dept) = &trace.department {
                assert_eq!(form.get_value((2, 2)), Some(&Data::String(dept.clone())));
            }
            // The funds block's total row: 全年预算数, 全年执行数, 分值, 得分 (自评 and 复核).
            let funds = find_row(&form, 1, w.funds_total, 0).expect("the funds total row");
            let what = format!("{name} funds");
            for (col, input_name) in [(3, "全年预算数"), (4, "全年执行数")] {
                if let Some(value) = input(trace, input_name) {
                    close(form.get_value((funds, col)), value, &what);
                }
            }
            let rate = nodes(trace)
                .into_iter()
                .find(|n| n.name == "预算执行率")
                .expect("the funds indicator");
            close(form.get_value((funds, 5)), rate.points.0, &what);
            match reviewed {
                true => {
                    if let Some(r) = rate.reported() {
                        close(form.get_value((funds, 7)), r.0, &what);
                    }
                    close(form.get_value((funds, 8)), rate.score.0, &what);
                }
                false => close(form.get_value((funds, 7)), rate.score.0, &what),
            }
            if let Some(initial) = trace.details.iter().find(|c| c.name == "年初预算数") {
                close(
                    form.get_value((funds, 2)),
                    initial.value.parse().unwrap(),
                    &what,
                );
            }
            // A sub-row of the funds block, as the data writes it.
            for c in &trace.details {
                let Some(("当年财政拨款", "全年预算数")) = c.name.split_once('.') else {
                    continue;
                };
                let label = format!(
                    "{}{}",
                    w.of_which,
                    jixiao::report::wording::form::key("当年财政拨款", lang)
                );
                let row = find_row(&form, 1, &label, funds).expect("the sub-row");
                close(form.get_value((row, 3)), c.value.parse().unwrap(), &what);
            }
            // The table: the head, then one row per record in tree order.
            let head = find_row(&form, 0, l.level[0], funds).expect("the table's head");
            let first = head + if reviewed { 2 } else { 1 };
            let (score_col, reason_col) = if reviewed { (7, 8) } else { (6, 7) };
            let records: Vec<&Node> = nodes(trace)
                .into_iter()
                .filter(|n| n.children.is_empty() && n.name != "预算执行率")
                .collect();
            for (i, node) in records.iter().enumerate() {
                let row = first + i as u32;
                let what = format!("{name} {}", node.name);
                assert_eq!(
                    form.get_value((row, 2)),
                    Some(&Data::String(node.name.to_string())),
                    "{what}: row {row}"
                );
                close(form.get_value((row, 5)), node.points.0, &what);
                if let Some(r) = node.reported() {
                    close(form.get_value((row, 6)), r.0, &what);
                }
                close(form.get_value((row, score_col)), node.score.0, &what);
                let reason = node.steps.iter().find_map(|s| match s {
                    jixiao::trace::Step::Target { note, .. } => note.reason().map(String::from),
                    jixiao::trace::Step::Grade(grade) => grade.reason.as_deref().map(String::from),
                    _ => None,
                });
                // The reason first, then the record's other columns, a line each.
                let cell = match form.get_value((row, reason_col)) {
                    Some(Data::String(s)) => s.clone(),
                    _ => String::new(),
                };
                let lines: Vec<&str> = cell.lines().collect();
                let mut expected: Vec<String> = reason.into_iter().collect();
                let colon = lang.labels().colon;
                expected.extend(node.columns().iter().map(|c| {
                    format!(
                        "{}{colon}{}",
                        jixiao::report::wording::form::key(&c.name, lang),
                        c.value
                    )
                }));
                assert_eq!(lines, expected, "{what}: 偏差原因");
            }
            // Each level's name stands at its first record, merged down its records.
            fn level_nodes<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
                for n in nodes {
                    if n.level().is_some() {
                        out.push(n);
                    }
                    level_nodes(&n.children, out);
                }
            }
            let mut levels = Vec::new();
            level_nodes(&trace.indicators, &mut levels);
            for level in levels {
                let col = u32::from(level.level().unwrap() - 1);
                let mut leaves = Vec::new();
                every_leaf(&level.children, &mut leaves);
                let at = records
                    .iter()
                    .position(|r| std::ptr::eq(*r, leaves[0]))
                    .unwrap() as u32;
                let (top, bottom) = (first + at, first + at + leaves.len() as u32 - 1);
                let what = format!("{name} level {}", level.name);
                assert_eq!(
                    form.get_value((top, col)),
                    Some(&Data::String(level.name.to_string())),
                    "{what}"
                );
                if bottom > top {
                    assert!(
                        merged
                            .iter()
                            .any(|d| d.start == (top, col) && d.end == (bottom, col)),
                        "{what}: not merged over rows {top}–{bottom}"
                    );
                }
            }
            // 总分: the table's points, the reported total, the computed one; then the rating.
            let total = first + records.len() as u32;
            assert_eq!(
                form.get_value((total, 0)),
                Some(&Data::String(w.total.into()))
            );
            close(form.get_value((total, 5)), trace.points.0, name);
            if let Some(r) = trace.reported {
                close(form.get_value((total, 6)), r.0, name);
            }
            close(form.get_value((total, score_col)), trace.total.0, name);
            assert!(
                matches!(form.get_value((total + 1, 5)), Some(Data::String(r)) if r.starts_with(&*trace.rating)),
                "{name}: the rating"
            );
            // 复核差异: every difference with both scores.
            if !trace.differences.is_empty() {
                let heading = find_row(
                    &form,
                    0,
                    jixiao::report::wording::review::heading(lang),
                    total,
                )
                .expect("the differences");
                for d in &trace.differences {
                    let row =
                        find_row(&form, 0, &d.path.join(" / "), heading).expect("a difference");
                    close(form.get_value((row, 3)), d.reported.0, name);
                    close(form.get_value((row, 4)), d.computed.0, name);
                }
            }
            // The trace sheet: every node with its points and score, in tree order.
            let steps = book.worksheet_range(&names[1]).unwrap();
            for (i, node) in nodes(trace).into_iter().enumerate() {
                let row = find_row(&steps, 0, &node.name, 1)
                    .unwrap_or_else(|| panic!("{name}: {} ({i}) on the trace sheet", node.name));
                close(steps.get_value((row, 1)), node.points.0, name);
                close(steps.get_value((row, 2)), node.score.0, name);
            }
        }
    }
}

fn every_leaf<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
    for n in nodes {
        match n.children.is_empty() {
            true => out.push(n),
            false => every_leaf(&n.children, out),
        }
    }
}

/// Han ideographs and the punctuation of Chinese text, as tests/english.rs counts them.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}'
        | '\u{3000}'..='\u{303F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '“' | '”')
}

#[test]
fn an_english_workbook_prints_no_chinese_of_its_own() {
    let mut cases = common::scoring_cases();
    cases.push(common::every_step_case());
    for case in cases {
        let trace = case.run().unwrap().unwrap();
        let mut sources: Vec<String> = vec![
            std::fs::read_to_string(&*trace.rules.path).unwrap(),
            std::fs::read_to_string(&*trace.data.path).unwrap(),
        ];
        sources.extend(
            trace
                .imports
                .iter()
                .map(|i| std::fs::read_to_string(&*i.path).unwrap()),
        );
        let mut book = workbook(&trace, Lang::En);
        for sheet in book.sheet_names() {
            let range = book.worksheet_range(&sheet).unwrap();
            for cell in range.used_cells() {
                let Data::String(text) = cell.2 else {
                    continue;
                };
                // Every maximal run of CJK characters comes from the files.
                let mut run = String::new();
                for c in text.chars().chain(['.']) {
                    if is_cjk(c) {
                        run.push(c);
                        continue;
                    }
                    if !run.is_empty() {
                        assert!(
                            sources.iter().any(|s| s.contains(&run)),
                            "{}: `{run}` in `{text}` ({sheet}) is in none of its files",
                            case.name
                        );
                        run.clear();
                    }
                }
            }
        }
    }
}
