//! Input shaped to crash a recursive parser or checker ends in a diagnostic instead. These run
//! on the test harness's 2 MiB threads, a smaller stack than the binary's main thread has.

use jixiao::diagnostics::Style;
use jixiao::pipeline::{self, Failure};
use jixiao::source::SourceFile;

fn rules_with_score(expr: &str) -> SourceFile {
    SourceFile::new(
        "deep.jx",
        format!(
            "rulebook \"t\" {{ total 10  rating 优 >= 9, 差 }}\ninput a: money\nindicator x points 10 {{ score {expr} }}\n"
        ),
    )
}

/// The run fails with exit code 3 and the given diagnostic code.
fn assert_refused(source: &SourceFile, code: &str) {
    match pipeline::check_rules(source) {
        Ok(_) => panic!("expected {code}, but the rules passed"),
        Err(failure @ Failure::Syntax(..)) | Err(failure @ Failure::Check(..)) => {
            assert_eq!(failure.exit_code(), 3);
            let rendered = failure.render(Style::Plain);
            assert!(rendered.contains(code), "expected {code}, got:\n{rendered}");
        }
        Err(other) => panic!("unexpected failure: {}", other.render(Style::Plain)),
    }
}

#[test]
fn a_sum_of_100_000_terms_is_refused_not_overflowed() {
    let expr = vec!["a"; 100_000].join(" + ");
    assert_refused(&rules_with_score(&expr), "jixiao::syntax::expr_too_deep");
}

#[test]
fn long_prefix_chains_are_refused() {
    assert_refused(
        &rules_with_score(&format!("{}a", "- ".repeat(100_000))),
        "expr_too_deep",
    );
    assert_refused(
        &rules_with_score(&format!("{}true", "not ".repeat(100_000))),
        "expr_too_deep",
    );
}

#[test]
fn brackets_100_000_deep_are_refused() {
    let expr = format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_refused(&rules_with_score(&expr), "jixiao::syntax::too_deep");
    let braces = format!(
        "{}{}",
        "indicator x points 1 {".repeat(100_000),
        "}".repeat(100_000)
    );
    assert_refused(
        &SourceFile::new("deep.jx", braces),
        "jixiao::syntax::too_deep",
    );
}

#[test]
fn a_deep_but_reasonable_expression_still_scores() {
    // 60 terms: deeper than any real 评分标准, just within the limit of 64.
    let expr = format!("({}) / 60 * points", vec!["a"; 60].join(" + "));
    let rules = rules_with_score(&expr);
    let data = SourceFile::new("d.toml", "\"a\" = 0.95\n");
    let (_, trace) =
        pipeline::score(&rules, &data).unwrap_or_else(|f| panic!("{}", f.render(Style::Plain)));
    assert_eq!(trace.total.0.to_string(), "9.50");
}

#[test]
fn points_beyond_any_table_are_refused_before_a_sum_can_overflow() {
    let max = rust_decimal::Decimal::MAX;
    let source = SourceFile::new(
        "big.jx",
        format!(
            "rulebook \"t\" {{ total {max}  rating 优 >= 9, 差 }}\ninput a: money\n\
             indicator x points {max} {{ score a }}\nindicator y points {max} {{ score a }}\n"
        ),
    );
    assert_refused(&source, "jixiao::check::points_range");
}

/// The outcome of running rule and data bytes through the pipeline, as the CLI would.
fn exit_code(rules: &[u8], data: Option<(&str, &[u8])>) -> u8 {
    let run = || -> Result<(), Failure> {
        let rules = SourceFile::from_bytes("r.jx".into(), rules.to_vec())
            .map_err(|e| Failure::Read(Box::new(e)))?;
        match data {
            None => pipeline::check_rules(&rules).map(|_| ()),
            Some((name, bytes)) => {
                let data = SourceFile::from_bytes(name.into(), bytes.to_vec())
                    .map_err(|e| Failure::Read(Box::new(e)))?;
                pipeline::score(&rules, &data).map(|_| ())
            }
        }
    };
    match run() {
        Ok(()) => 0,
        Err(f) => {
            // Every failure must render, in every style.
            for style in [Style::Plain, Style::Narrated, Style::Json] {
                assert!(!f.render(style).is_empty());
            }
            f.exit_code()
        }
    }
}

const SEED_RULES: &str = include_str!("../rules/guangzhou/department-overall.jx");
const SEED_DATA: &str = include_str!("../fixtures/huadu-gov-office-2023/data.toml");

#[test]
fn hostile_rule_files_end_in_a_diagnostic() {
    assert_eq!(
        exit_code("\u{feff}".as_bytes(), None),
        3,
        "a file that is only a BOM"
    );
    assert_eq!(exit_code(b"", None), 3, "an empty file");
    assert_eq!(
        exit_code(b"rulebook \"t\" {\x00 total 10 }", None),
        3,
        "a NUL byte"
    );
    assert_eq!(
        exit_code(&[0xff, 0xfe, 0x00, 0x41, 0xc3], None),
        1,
        "invalid UTF-8"
    );
    let junk: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!([1, 3].contains(&exit_code(&junk, None)), "binary junk");
    let junk_text: String = (0..50_000u32)
        .map(|i| char::from_u32(0x4e00 + (i * 7919) % 500).unwrap_or('x'))
        .collect();
    assert_eq!(exit_code(junk_text.as_bytes(), None), 3, "Chinese junk");
    let forty = "1234567890123456789012345678901234567890";
    let rules = format!(
        "rulebook \"t\" {{ total 10  rating 优 >= 9, 差 }}\nindicator x points 10 {{ score {forty} }}\n"
    );
    assert_eq!(exit_code(rules.as_bytes(), None), 3, "a 40-digit number");
}

#[test]
fn a_two_million_character_name_is_just_a_name() {
    let name = "指".repeat(2_000_000);
    let rules = format!(
        "rulebook \"t\" {{ total 10  rating 优 >= 9, 差 }}\ninput {name}: money\nindicator x points 10 {{ score {name} }}\n"
    );
    assert_eq!(exit_code(rules.as_bytes(), None), 0);
    let typo = format!(
        "rulebook \"t\" {{ total 10  rating 优 >= 9, 差 }}\ninput {name}: money\nindicator x points 10 {{ score {name}x }}\n"
    );
    assert_eq!(exit_code(typo.as_bytes(), None), 3);
}

#[test]
fn hostile_data_files_end_in_a_diagnostic() {
    let rules = SEED_RULES.as_bytes();
    let deep_toml = format!(
        "\"全年预算数\" = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(
        exit_code(rules, Some(("d.toml", deep_toml.as_bytes()))),
        1,
        "TOML arrays 100,000 deep"
    );
    let deep_json = format!(
        "{{\"全年预算数\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(
        exit_code(rules, Some(("d.json", deep_json.as_bytes()))),
        1,
        "JSON arrays 100,000 deep"
    );
    assert_eq!(
        exit_code(rules, Some(("d.toml", "\u{feff}".as_bytes()))),
        1,
        "a data file that is only a BOM"
    );
    assert_eq!(
        exit_code(rules, Some(("d.json", b"\x00\x01\x02"))),
        1,
        "binary junk as JSON"
    );
    let forty = "\"全年预算数\" = 1234567890123456789012345678901234567890\n\"全年执行数\" = 1\n\"绩效指标\" = []\n";
    assert_eq!(
        exit_code(rules, Some(("d.toml", forty.as_bytes()))),
        1,
        "a 40-digit decimal"
    );
    let json_forty = "{\"全年预算数\": 1e40, \"全年执行数\": 1, \"绩效指标\": []}";
    assert_eq!(
        exit_code(rules, Some(("d.json", json_forty.as_bytes()))),
        1,
        "1e40 in JSON"
    );
}

#[test]
fn crlf_files_score_exactly_as_lf_files() {
    let score = |rules: &str, data: &str| {
        let rules = SourceFile::new("r.jx", rules.to_string());
        let data = SourceFile::new("d.toml", data.to_string());
        let (_, trace) =
            pipeline::score(&rules, &data).unwrap_or_else(|f| panic!("{}", f.render(Style::Plain)));
        trace
    };
    let lf = score(SEED_RULES, SEED_DATA);
    let crlf = score(
        &SEED_RULES.replace('\n', "\r\n"),
        &SEED_DATA.replace('\n', "\r\n"),
    );
    assert_eq!(crlf.total, lf.total);
    let text = |t: &jixiao::trace::Trace| {
        let out = jixiao::report::render(t, jixiao::report::Format::Text, jixiao::report::Lang::Zh);
        // Only the file hashes may differ.
        out.lines()
            .filter(|l| !l.contains("sha256"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(text(&crlf), text(&lf));
    assert!(
        !text(&crlf).contains('\r'),
        "no carriage return leaks into the trace"
    );
}

#[test]
fn an_error_far_along_a_minified_line_renders() {
    // A one-line JSON export of 3,000 targets with an error near its end: the label stands past
    // column 65,535, where miette's drawing panics; jixiao prints the place instead.
    let records: Vec<String> = (0..3000)
        .map(|i| format!("{{\"名称\":\"指标{i}\",\"指标值\":\"≥4篇\",\"实际完成值\":\"4篇\"}}"))
        .collect();
    let data = format!(
        "{{\"全年预算数\":3156.9,\"全年执行数\":3151.09,\"绩效指标\":[{},{{\"名称\":}}]}}",
        records.join(",")
    );
    assert_eq!(
        exit_code(SEED_RULES.as_bytes(), Some(("d.json", data.as_bytes()))),
        1
    );
    let long_rules = format!(
        "rulebook \"t\" {{ total 10  rating 优 >= 9, 差 }} input a: money {} indicator x points 10 {{ score b }}",
        "let 甲 = 1 ".repeat(20_000)
    );
    assert_eq!(exit_code(long_rules.as_bytes(), None), 3);
}

#[test]
fn a_long_chain_of_lets_is_checked_and_scored_in_order() {
    // Each let reads the one before: no transitive sets per let, no recursion per link.
    let mut rules = String::from(
        "rulebook \"t\" { total 10  rating 优 >= 9, 差 }\ninput a: money\nlet 值0 = a\n",
    );
    for i in 1..5_000 {
        rules.push_str(&format!("let 值{i} = 值{} + 1\n", i - 1));
    }
    rules.push_str("indicator x points 10 { score 值4999 / 1000 }\n");
    let (_, trace) = pipeline::score(
        &SourceFile::new("c.jx", rules),
        &SourceFile::new("a.toml", "\"a\" = 1\n"),
    )
    .unwrap_or_else(|f| panic!("{}", f.render(Style::Plain)));
    assert_eq!(trace.total.0, rust_decimal::Decimal::from(5));
    assert_eq!(
        trace.indicators[0].steps.len(),
        1 + 5_000 + 1,
        "the input, every let, the score"
    );
}

#[test]
fn huge_values_in_deductions_and_count_ratios_are_located_errors_not_panics() {
    let max = "79228162514264337593543950335";
    let deduct = "rulebook \"t\" { total 5  rating 优 >= 4.5, 差 }\ninput 支出: money\ninput 预算: money\n\
                  indicator 三公 points 5 {\n  let 率 = 支出 / 预算\n  deduct 1 per started 0.0001% above 100% of 率\n}\n";
    let data = format!("\"支出\" = {max}\n\"预算\" = 1\n");
    assert_eq!(
        exit_code(deduct.as_bytes(), Some(("d.toml", data.as_bytes()))),
        1
    );
    let count = "rulebook \"t\" { total 90  rating 优 >= 81, 差 }\ninput 绩效指标: list of target\n\
                 indicator 完成 points 90 {\n  targets 绩效指标 count overshoot 30%\n}\n";
    let data = format!(
        "[[\"绩效指标\"]]\n\"名称\" = \"甲\"\n\"指标值\" = \"≥{max}件\"\n\"实际完成值\" = \"{max}件\"\n"
    );
    assert_eq!(
        exit_code(count.as_bytes(), Some(("d.toml", data.as_bytes()))),
        0
    );
}

#[test]
fn a_byte_order_mark_is_read_past_in_rules_toml_and_json_without_moving_any_place() {
    const BOM: &str = "\u{feff}";
    const JSON: &str = include_str!("../fixtures/example-district-bureau-2023/data.json");
    let total = |rules: &str, name: &str, data: &str| {
        let rules = SourceFile::new("r.jx", rules.to_string());
        let data = SourceFile::new(name, data.to_string());
        pipeline::score(&rules, &data)
            .map(|(_, t)| t.total)
            .unwrap_or_else(|f| panic!("{name}: {}", f.render(Style::Plain)))
    };
    let plain = total(SEED_RULES, "d.json", JSON);
    assert_eq!(total(SEED_RULES, "d.json", &format!("{BOM}{JSON}")), plain);
    assert_eq!(
        total(
            &format!("{BOM}{SEED_RULES}"),
            "d.toml",
            &format!("{BOM}{SEED_DATA}")
        ),
        total(SEED_RULES, "d.toml", SEED_DATA)
    );

    // An error in a file with a mark stands at the same line and column as without it.
    let places = |name: &str, data: &str| -> Vec<(u64, u64)> {
        let rules = SourceFile::new("r.jx", SEED_RULES.to_string());
        let data = SourceFile::new(name, data.to_string());
        let Err(failure) = pipeline::score(&rules, &data) else {
            panic!("{name} scored: {data:?}");
        };
        failure
            .render(Style::Json)
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (
                    v["at"]["line"].as_u64().unwrap(),
                    v["at"]["column"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    for (name, bad) in [
        (
            "d.json",
            "{\"全年预算数\": \"x\", \"全年执行数\": 1, \"绩效指标\": []}",
        ),
        (
            "d.toml",
            "\"全年预算数\" = \"x\"\n\"全年执行数\" = 1\n\"绩效指标\" = []\n",
        ),
        ("d.json", "{\"全年预算数\": 1,, }"),
    ] {
        let without = places(name, bad);
        assert!(!without.is_empty());
        assert_eq!(places(name, &format!("{BOM}{bad}")), without, "{bad}");
    }
}

/// A diagnostic quotes at most about 200 characters of input, however long the input: a 1 MB
/// name in the rules (unknown, duplicated, an indicator's) or in the data gives a few hundred
/// bytes of diagnostics, in every style, not megabytes.
#[test]
fn megabyte_names_are_cut_in_every_diagnostic() {
    let huge = "预".repeat(350_000); // about 1 MB
    let header = "rulebook \"t\" { total 10  rating 优 >= 9, 差 }\ninput a: money\n";
    let cases = [
        // unknown name, and an unknown name in a lone-score position
        format!("{header}indicator x points 10 {{ score {huge} * 2 }}\n"),
        // duplicate indicator names, quoted
        format!(
            "{header}indicator \"{huge}\" points 5 {{ score a }}\nindicator \"{huge}\" points 5 {{ score a }}\n"
        ),
        // a leaf without a scoring rule
        format!("{header}indicator `{huge}` points 10 {{ }}\n"),
        // a number too long to hold
        format!(
            "{header}indicator x points 10 {{ score a * 1.{} }}\n",
            "1".repeat(1_000_000)
        ),
    ];
    for (i, rules) in cases.iter().enumerate() {
        let source = SourceFile::new("big.jx", rules.clone());
        let failure = pipeline::check_rules(&source).unwrap_err();
        for style in [Style::Plain, Style::Json, Style::Narrated] {
            let rendered = failure.render(style);
            assert!(
                rendered.len() < 8_000,
                "case {i} {style:?}: {} bytes of diagnostics",
                rendered.len()
            );
            assert!(
                rendered.contains('…'),
                "case {i} {style:?}: nothing was cut"
            );
        }
    }
    // The data: an unknown key 1 MB long.
    let rules = SourceFile::new(
        "r.jx",
        format!("{header}indicator x points 10 {{ score a }}\n"),
    );
    let data = SourceFile::new("d.toml", format!("\"a\" = 1\n\"{huge}\" = 2\n"));
    let failure = pipeline::score(&rules, &data).unwrap_err();
    for style in [Style::Plain, Style::Json] {
        let rendered = failure.render(style);
        assert!(
            rendered.len() < 8_000,
            "data {style:?}: {} bytes",
            rendered.len()
        );
    }
}
