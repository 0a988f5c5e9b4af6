//! Decimals from data files are read exactly: 3151.09 in TOML and in JSON becomes exactly
//! 3151.09 (mantissa 315109, scale 2), never passing through f64, where it would be
//! 3151.090000000000145519152283668518066406250.

use jixiao::data::{self, Datum};
use jixiao::source::SourceFile;
use rust_decimal::Decimal;

fn rules() -> jixiao::model::Rulebook {
    let src = SourceFile::new(
        "r.jx",
        "rulebook \"t\" { total 10  rating 优 >= 9, 差 }\ninput 执行数: money\nindicator 甲 points 10 { score 执行数 }\n",
    );
    let file = jixiao::syntax::parse(&src).unwrap();
    jixiao::check::check(&file, &src).unwrap().rulebook
}

fn read(name: &str, text: &str) -> Decimal {
    let dept = data::load(&rules(), &SourceFile::new(name, text)).unwrap();
    match dept.values[0] {
        Datum::Number(n) => n,
        ref other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn toml_and_json_decimals_are_exact() {
    for value in [
        read("d.toml", "\"执行数\" = 3151.09\n"),
        read("d.json", "{\"执行数\": 3151.09}"),
    ] {
        assert_eq!(value.mantissa(), 315109);
        assert_eq!(value.scale(), 2);
        assert_eq!(value.to_string(), "3151.09");
    }
}

#[test]
fn digits_beyond_f64_survive() {
    // 17 significant digits: f64 would round the last ones away.
    let text = "12345678901234.567";
    assert_eq!(
        read("d.toml", &format!("\"执行数\" = {text}\n")).to_string(),
        text
    );
    assert_eq!(
        read("d.json", &format!("{{\"执行数\": {text}}}")).to_string(),
        text
    );
    assert_eq!(
        read("d.toml", "\"执行数\" = 1_000.10\n").to_string(),
        "1000.10"
    );
    assert_eq!(
        read("d.json", "{\"执行数\": 3.15109e3}").to_string(),
        "3151.09"
    );
}

#[test]
fn round_digits_count_by_value_not_by_how_they_are_written() {
    for digits in ["2", "2.0", "2.00"] {
        let src = SourceFile::new(
            "r.jx",
            format!(
                "rulebook \"t\" {{ total 10  rating 优 >= 9, 差 }}\ninput 甲: number\nindicator 乙 points 10 {{ score round(甲, {digits}) }}\n"
            ),
        );
        let file = jixiao::syntax::parse(&src).unwrap();
        let rb = jixiao::check::check(&file, &src).unwrap().rulebook;
        let dept = data::load(&rb, &SourceFile::new("d.toml", "\"甲\" = 3.14159\n")).unwrap();
        let scores = jixiao::eval::score(&rb, &dept).unwrap();
        assert_eq!(scores.total.to_string(), "3.14", "round(甲, {digits})");
    }
}

/// A form's rows with 度量单位 apart: a bare number is in that unit, except a bare fraction
/// under `%` against a target of 1 or more (0.91 beside 95): 91%, or 0.91%? An error, never a
/// guess.
#[test]
fn a_bare_fraction_under_a_percent_unit_is_never_guessed() {
    let rules = SourceFile::new(
        "r.jx",
        "rulebook \"t\" { total 10  rating 优 >= 9, 差 }\ninput 绩效指标: list of target\n\
         indicator 甲 points 10 { targets 绩效指标 split by 分值 }\n",
    );
    let rules = jixiao::Rules::check(&rules).unwrap();
    let row = |actual: &str| {
        format!(
            "[[\"绩效指标\"]]\n\"名称\" = \"完成率\"\n\"指标性质\" = \"≥\"\n\"指标值\" = \"95\"\n\"度量单位\" = \"%\"\n\"实际完成值\" = {actual}\n\"分值\" = 10\n"
        )
    };
    for bare in ["0.91", "\"0.91\""] {
        let failure = rules
            .load(&SourceFile::new("d.toml", row(bare)))
            .unwrap_err();
        assert_eq!(failure.code(), "jixiao::data::bare_percent", "{bare}");
    }
    // In its unit, or written with its `%`, it reads.
    for (actual, score) in [("98", "10"), ("\"91%\"", "9.58"), ("\"0.91%\"", "0.1")] {
        let dept = rules.load(&SourceFile::new("d.toml", row(actual))).unwrap();
        let total = rules.score(&dept).unwrap().total;
        assert_eq!(total.round_dp(2).normalize().to_string(), score, "{actual}");
    }
}
