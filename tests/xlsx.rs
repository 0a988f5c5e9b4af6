//! The workbook (`--format xlsx`), read back with calamine: the form sheet holds every
//! indicator's points and score and the total, the trace sheet every step, and the same trace
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
                close(form.get_value((row, 4)), node.score.0, &what);
                close(form.get_value((row, 5)), node.deduction.0, &what);
                let level = (0..3)
                    .filter_map(|c| form.get_value((row, c)))
                    .any(|d| d == &Data::String(node.name.clone()));
                assert!(level, "{what}: its name is in no level column of row {row}");
                row += 1;
            }
            close(form.get_value((row, 4)), trace.total.0, &case.name);
            let rating = form.get_value((row + 1, 3));
            assert!(
                matches!(rating, Some(Data::String(r)) if r.starts_with(&trace.rating)),
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
    let case = &common::scoring_cases()[0];
    let trace = case.run().unwrap().unwrap();
    let once = jixiao::report::xlsx::render(&trace, Lang::Zh).unwrap();
    let again = jixiao::report::xlsx::render(&trace, Lang::Zh).unwrap();
    assert_eq!(once, again);
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
