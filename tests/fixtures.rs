//! Snapshot tests over every fixture folder. A case that scores has its trace snapshotted in
//! text (Chinese and English labels), JSON and Markdown, and its invariants checked; an `err_`
//! case has its rendered diagnostics (plain, no colour) and exit code snapshotted.

mod common;

use jixiao::diagnostics::Style;
use jixiao::report::{self, Format, Lang};

#[test]
fn fixtures() {
    insta::glob!("../fixtures", "*/case.toml", |path| {
        let case = common::case(path);
        let expect_error = case.name.starts_with("err_");
        match (case.run(), expect_error) {
            (Ok(Some(trace)), false) => {
                common::assert_invariants(&trace);
                let json = report::render(&trace, Format::Json, Lang::Zh);
                let value: serde_json::Value = serde_json::from_str(&json).unwrap();
                let total: rust_decimal::Decimal =
                    value["total"].as_str().unwrap().parse().unwrap();
                assert_eq!(total, trace.total.0, "the JSON total is the trace's");
                assert_eq!(value["rating"], trace.rating.as_str());
                let text = report::render(&trace, Format::Text, Lang::Zh);
                for format in [Format::Text, Format::Markdown, Format::Html] {
                    for lang in [Lang::Zh, Lang::En] {
                        let shown = report::render(&trace, format, lang);
                        common::assert_decimals_cut(&format!("{} {format:?}", case.name), &shown);
                    }
                }
                assert!(text.contains(&format!("评级  {}", trace.rating)));
                insta::assert_snapshot!("text", text);
                insta::assert_snapshot!("text_en", report::render(&trace, Format::Text, Lang::En));
                insta::assert_snapshot!("json", json);
                insta::assert_snapshot!(
                    "markdown",
                    report::render(&trace, Format::Markdown, Lang::Zh)
                );
            }
            (Err(failure), true) => {
                let rendered = failure.render(Style::Plain);
                insta::assert_snapshot!(
                    "diagnostics",
                    format!("exit code {}\n\n{rendered}", failure.exit_code())
                );
                let zh = failure.render(jixiao::diagnostics::Look {
                    style: Style::Plain,
                    lang: Lang::Zh,
                });
                common::assert_no_english(&case.name, &zh);
                insta::assert_snapshot!(
                    "diagnostics_zh",
                    format!("exit code {}\n\n{zh}", failure.exit_code())
                );
            }
            (Ok(_), true) => panic!("{}: expected an error, but it passed", case.name),
            (Ok(None), false) => panic!("{}: a passing case needs data to score", case.name),
            (Err(failure), false) => {
                panic!("{}: failed:\n{}", case.name, failure.render(Style::Plain))
            }
        }
    });
}

/// The founding case, asserted directly as well as by snapshot: 99.98 and 优, with 预算执行率
/// at 9.98 from 3151.09 ÷ 3156.9 × 10 = 9.98159… rounded half up.
#[test]
fn seed_case_scores_99_98_excellent() {
    let case = common::case(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/huadu-gov-office-2023/case.toml"),
    );
    let trace = case.run().unwrap().unwrap();
    assert_eq!(trace.total.0.to_string(), "99.98");
    assert_eq!(trace.rating, "优");
    let rate = &trace.indicators[0];
    assert_eq!(
        (rate.name.as_str(), rate.score.0.to_string().as_str()),
        ("预算执行率", "9.98")
    );
    assert_eq!(trace.leaves().len(), 21);
}

/// The reasons column of the Markdown and HTML tables speaks the labels' language: the
/// shortfalls department loses points to a veto, a tier, a checklist item and a missed target.
#[test]
fn reasons_for_lost_points_follow_the_language() {
    let case = common::case(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/management-shortfalls/case.toml"),
    );
    let trace = case.run().unwrap().unwrap();
    for format in [Format::Markdown, Format::Html] {
        let zh = report::render(&trace, format, Lang::Zh);
        let en = report::render(&trace, format, Lang::En);
        for (zh_word, en_word) in [
            ("否决：", "veto: "),
            ("落在 ", "in "),
            ("未达成", "not met"),
        ] {
            assert!(zh.contains(zh_word), "{format:?} zh: {zh_word}");
            assert!(!en.contains(zh_word), "{format:?} en still says {zh_word}");
            assert!(en.contains(en_word), "{format:?} en: {en_word}");
        }
    }
}
