//! Grammar tests, rule by rule: each input must be consumed whole by its rule (positive), or
//! must not be (negative). Table-driven so that a new rule gets its rows next to the others.

use pest::Parser;

use super::{Grammar, Rule};

/// Whether `rule` matches all of `input`.
fn whole(rule: Rule, input: &str) -> bool {
    Grammar::parse(rule, input).is_ok_and(|mut pairs| {
        pairs
            .next()
            .is_some_and(|p| p.as_span().end() == input.len())
    })
}

#[test]
fn each_rule_accepts_and_rejects() {
    use Rule::*;
    let cases: &[(Rule, &[&str], &[&str])] = &[
        (
            number,
            &["10", "3156.9", "0.05"],
            &["1.", ".5", "1e3", "１０"],
        ),
        (percent, &["95%", "99.8%"], &["95", "%5", "95 %"]),
        (integer, &["2"], &["2.0"]),
        (
            string,
            &["\"预算\"", "\"a \\\" b\"", "\"\""],
            &["“预算”", "\"open"],
        ),
        (
            ident,
            &["预算执行率", "全年预算数", "_x", "x1", "rounds"],
            &["1x", "points", "if", "“三公”"],
        ),
        (quoted_name, &["`“三公”经费`"], &["``", "`a\nb`"]),
        (name, &["执行率", "`“三公”经费控制率`"], &["\"执行率\""]),
        (total, &["total 100"], &["total", "total 一百"]),
        (
            rounding,
            &[
                "round half_up 2 each indicator",
                "round 四舍五入 2 total",
                "round truncate 0 total",
            ],
            &["round up 2 total", "round half_up each indicator"],
        ),
        (
            rating,
            &[
                "rating 优 >= 90, 良 >= 80, 中 >= 60, 差",
                "rating 优 ≥ 90, 差",
                "rating 优 > 90, 差",
                "rating 优 >= 90%, 良 >= 80%, 差",
            ],
            &["rating", "rating 优 >= 90 良", "rating 优 >= 90 %, 差"],
        ),
        (
            tier_range,
            &[
                ">= 95%",
                "= 0%",
                "＝0",
                "80%(含)-90%",
                "95%以上",
                "95% 及以上",
                "60%以下(不含)",
                "60%以内",
                "超过 100%",
                "低于60%",
                "不足 1",
            ],
            &["以上 95%", "95%超过", "60%以下(含", "== 0", "95%以上以下"],
        ),
        (
            per_point,
            &[
                "per 1% above 100% of 控制率",
                "per started 1% above 100% of 控制率",
                "per whole 1% below 90% of 率",
            ],
            &[
                "per whole started 1% above 100% of 率",
                "per whole above 100% of 率",
            ],
        ),
        (
            input_range,
            &["> 0", ">= 0", "0%..100%", "0 .. 10", "0以上"],
            &["0..", "..100%", "0...100"],
        ),
        (
            judgement_type,
            &[
                "judgement 三档",
                "judgement { \"达成\" => 80%(含)-100%(含) }",
            ],
            &["judgement", "judgement 三档 {"],
        ),
        (
            scale_decl,
            &["scale 三档 { \"达成\" => 80%(含)-100%(含)  \"未达成\" => 0-80% }"],
            &["scale { }", "scale 三档"],
        ),
        (
            rulebook,
            &["rulebook \"标题\" { total 100 }", "rulebook \"t\" {}"],
            &["rulebook 标题 { }"],
        ),
        (
            input_decl,
            &[
                "input 全年预算数: money",
                "input x: list of target",
                "input 是否: yesno",
            ],
            &["input x money", "input x: float", "input x: list of money"],
        ),
        (
            let_decl,
            &["let 执行率 = 全年执行数 / 全年预算数"],
            &["let 执行率 全年执行数", "let = 1"],
        ),
        (
            expr,
            &[
                "a + b * c",
                "-a",
                "not a and b or c",
                "a ≥ 95%",
                "a × b ÷ c",
                "非 a 且 b 或 c",
                "if a > 1 then 2 else 3",
                "min(a, 1)",
                "round(a, 2)",
                "(a + b) / 2",
                "points * 执行率",
            ],
            &["a +", "a b", "if a then b", "min(a,"],
        ),
        (score_rule, &["score 执行率 * points"], &["score"]),
        (
            targets_rule,
            &[
                "targets 绩效指标 split equally",
                "targets 绩效指标 split by 分值",
            ],
            &["targets 绩效指标", "targets 绩效指标 split"],
        ),
        (basis, &["basis \"满分为止\""], &["basis 满分为止"]),
        (
            indicator,
            &[
                "indicator 预算执行率 points 10 { score points }",
                "indicator \"“三公”经费\" points 4.5 { }",
                "indicator a points 10 { indicator b points 10 { score 1 } }",
            ],
            &[
                "indicator a 10 { }",
                "indicator a points { }",
                "indicator a points 10 { score 1",
            ],
        ),
        (
            file,
            &[
                "",
                "// 注释\n",
                "input a: money // 行尾注释\n",
                // CRLF, LF and a lone CR each end a comment and separate statements.
                "// 注释\r\ninput a: money // 尾\r\ninput b: money\r\n",
                "// 注释\rinput a: money // 尾\rinput b: money\r",
            ],
            &["input", "}", "// 注释 input a: money\rx"],
        ),
    ];
    for (rule, good, bad) in cases {
        for input in *good {
            assert!(
                self::whole(*rule, input),
                "{rule:?} should accept {input:?}"
            );
        }
        for input in *bad {
            assert!(
                !self::whole(*rule, input),
                "{rule:?} should reject {input:?}"
            );
        }
    }
}

#[test]
fn keywords_are_not_identifiers_but_prefixes_are() {
    assert!(!whole(Rule::ident, "points"));
    assert!(whole(Rule::ident, "pointsx"));
    assert!(
        whole(Rule::ident, "或有负债"),
        "a keyword 或 does not swallow names that start with it"
    );
}

#[test]
fn every_statement_keyword_is_a_grammar_keyword() {
    // The error helper's list of statement keywords must follow the grammar: each one is a
    // keyword, not an identifier.
    for kw in super::expected::STATEMENT_KEYWORDS {
        assert!(
            !whole(Rule::ident, kw),
            "`{kw}` is not a keyword of the grammar"
        );
    }
}
