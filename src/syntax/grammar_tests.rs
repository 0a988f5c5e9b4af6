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
                "input 是否公开: yesno",
                "输入 是否公开: 是否",
                "输入 问题清单: 问题列表 可选",
                "input 绩效指标: 目标列表",
                "输入 结余: 择一 \"无结余\", \"有结余\"",
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
    // The error helper's list of statement keywords must follow the grammar: each one, in
    // either spelling, is a keyword, not an identifier.
    for word in super::keywords::STATEMENTS
        .iter()
        .chain(&super::keywords::SETTINGS)
    {
        for kw in [word.en, word.zh] {
            assert!(
                !whole(Rule::ident, kw),
                "`{kw}` is not a keyword of the grammar"
            );
        }
    }
}

/// Every spelling in the keyword table is reserved: it, or the first word of an English
/// phrase (`not applicable`), cannot be a name.
#[test]
fn every_spelling_of_every_keyword_is_reserved() {
    for word in super::keywords::ALL {
        for spelling in [word.en, word.zh] {
            let first = spelling.split(' ').next().unwrap_or(spelling);
            assert!(!whole(Rule::ident, first), "`{first}` can be a name");
        }
    }
}

/// A Chinese keyword is a whole word, as an English one is: a name that starts with a keyword,
/// ends with one or holds one stays a name; the keyword needs a space (or punctuation) after it.
#[test]
fn chinese_keywords_do_not_swallow_names() {
    for name in [
        "得分率",
        "指标值",
        "扣分合计",
        "分值合计",
        "是否公开",
        "否决权",
        "如果值",
        "令牌",
        "目标值",
        "目标列表数",
        "按时完成率",
        "每人成本",
        "总分数",
        "等级分",
        "计数器",
        "文本框",
        "各项支出",
        "进一步",
        "高于标准",
        "低于标准",
        "不适用率",
        "择一项",
        "执行率得分",
        "公开否",
    ] {
        assert!(whole(Rule::ident, name), "`{name}` is not a name");
        assert!(whole(Rule::expr, name), "`{name}` is not an expression");
    }
    // The score rule is `得分` then an expression, never a name that begins `得分`.
    assert!(whole(Rule::score_rule, "得分 执行率 × 分值"));
    assert!(whole(Rule::score_rule, "得分 得分率 × 分值"));
    assert!(!whole(Rule::score_rule, "得分执行率"));
    assert!(!whole(Rule::deduct_rule, "扣1 每 问题清单"));
    assert!(whole(Rule::deduct_rule, "扣 1 每 问题清单"));
    // The full-width space of a Chinese input method ends a keyword too.
    assert!(whole(Rule::score_rule, "得分\u{3000}执行率"));
    // Punctuation ends a keyword as a space does.
    assert!(whole(Rule::expr, "如果(a > 1)则(2)否则(3)"));
    assert!(whole(Rule::expr, "非(是否公开)"));
    // `分值` is the field of a target record that holds its points, in either spelling.
    assert!(whole(Rule::targets_rule, "targets 绩效指标 split by 分值"));
    assert!(whole(Rule::targets_rule, "目标 绩效指标 按 分值"));
    assert!(whole(Rule::targets_rule, "目标 绩效指标 均分"));
    assert!(whole(Rule::targets_rule, "目标 绩效指标 计数 超出 30%"));
    assert!(whole(Rule::targets_rule, "目标 按时完成率 按 分值"));
    assert!(!whole(Rule::targets_rule, "目标 绩效指标 按分值"));
}

/// Each statement, written with Chinese keywords.
#[test]
fn chinese_spellings_of_each_statement() {
    let cases: &[(Rule, &str)] = &[
        (Rule::import_decl, "导入 \"../省级.jx\""),
        (
            Rule::rulebook,
            "评分表 \"标题\" { 总分 100  舍入 四舍五入 2 各 指标  舍入 截断 4 各 中间值  等级 优 >= 90, 差 }",
        ),
        (Rule::rounding, "舍入 银行家舍入 2 总分"),
        (
            Rule::scale_decl,
            "档次 三档 { \"达成\" => 80%(含)-100%(含) }",
        ),
        (Rule::input_decl, "输入 满意度: 百分比 0%..100% 可选"),
        (Rule::input_decl, "输入 完成情况: 评定 三档"),
        (Rule::input_decl, "输入 问题数: 计数"),
        (Rule::input_decl, "输入 说明: 文本"),
        (Rule::input_decl, "输入 预算数: 金额 > 0"),
        (Rule::input_decl, "输入 人数: 数值"),
        (Rule::let_decl, "令 执行率 = 执行数 ÷ 预算数"),
        (
            Rule::indicator,
            "替换 指标 甲 分值 10 择一 { 指标 乙 分值 10 { 不适用 如果 非 是否开展 得分 分值 } }",
        ),
        (Rule::basis, "评分标准 \"满分为止\""),
        (Rule::not_applicable, "不适用 如果 无采购 => 计满分"),
        (Rule::not_applicable, "不适用 如果 无采购 => 剔除"),
        (
            Rule::not_applicable,
            "不适用 如果 无采购 => 重新分配 给 甲, 乙",
        ),
        (
            Rule::tiers_rule,
            "分档 执行率 { >= 95% => 分值  低于 60% => 0 }",
        ),
        (
            Rule::category_rule,
            "分类 结余 { \"无结余\" => 3  否则 => 0 }",
        ),
        (
            Rule::checklist_rule,
            "检查清单 { 是否公开 => 2  否决 非 是否公开 \"未公开\" }",
        ),
        (Rule::deduct_rule, "扣 0.5 每 进一 1% 高于 100% 按 控制率"),
        (Rule::deduct_rule, "扣 0.5 每 去尾 1% 低于 100% 按 控制率"),
        (
            Rule::deduct_rule,
            "扣 2 如果 是否公开 == 否 或 是否公开 != 是",
        ),
        (Rule::expr, "如果 a 且 b 则 分值 否则 0"),
    ];
    for (rule, input) in cases {
        assert!(whole(*rule, input), "{rule:?} should accept {input:?}");
    }
}

/// The syntax errors of a file: what was expected, what was found, the help, and the line.
fn errors(text: &str) -> Vec<(String, String, Option<String>, usize)> {
    let source = crate::source::SourceFile::new("t.jx", text);
    let Err(errors) = super::parse(&source) else {
        panic!("{text:?} parses");
    };
    errors
        .into_iter()
        .map(|e| match e {
            super::SyntaxError::Unexpected {
                expected,
                found,
                help,
                span,
                ..
            } => {
                let line = text[..span.offset()].matches('\n').count() + 1;
                (
                    expected.en.into_owned(),
                    found.en.into_owned(),
                    help.map(|h| h.en.into_owned()),
                    line,
                )
            }
            other => panic!("{other:?}"),
        })
        .collect()
}

/// A slip made in Chinese keywords is reported as the same slip in English ones: the same
/// expected tokens, line and help, and parsing resumes at the next statement in either.
#[test]
fn syntax_errors_are_alike_in_both_spellings() {
    let pairs = [
        (
            "indicator 甲 points { score 1 }\n",
            "指标 甲 分值 { 得分 1 }\n",
        ),
        ("input 甲 money\n", "输入 甲 金额\n"),
        (
            "input 甲: money\nindicator 乙 points 10 {\n  score 甲 +\n  basis \"说明\"\n}\n",
            "输入 甲: 金额\n指标 乙 分值 10 {\n  得分 甲 +\n  评分标准 \"说明\"\n}\n",
        ),
        (
            "input 甲: money\nindicator 乙 points 10 {\n  tiers 甲 { >= 1 => }\n}\nindicator 丙 10 {\n}\n",
            "输入 甲: 金额\n指标 乙 分值 10 {\n  分档 甲 { >= 1 => }\n}\n指标 丙 10 {\n}\n",
        ),
        (
            "indicator 乙 points 10 {\n  deduct 1 per 1% above 100% 甲\n}\n",
            "指标 乙 分值 10 {\n  扣 1 每 1% 高于 100% 甲\n}\n",
        ),
    ];
    for (en, zh) in pairs {
        let (en_errors, zh_errors) = (errors(en), errors(zh));
        assert_eq!(en_errors.len(), zh_errors.len(), "{en:?} / {zh:?}");
        for (e, z) in en_errors.iter().zip(&zh_errors) {
            assert_eq!(e.0, z.0, "expected, {en:?} / {zh:?}");
            // The help quotes the words as written.
            let words_in_english = |h: &Option<String>| {
                h.as_ref().map(|h| {
                    super::keywords::ALL.iter().fold(h.clone(), |h, w| {
                        h.replace(&format!("`{}`", w.zh), &format!("`{}`", w.en))
                    })
                })
            };
            assert_eq!(e.2, words_in_english(&z.2), "help, {en:?} / {zh:?}");
            assert_eq!(e.3, z.3, "line, {en:?} / {zh:?}");
        }
    }
    // Parsing resumes at a Chinese statement keyword: both errors are found.
    assert_eq!(errors(pairs[3].1).len(), 2);
}

/// A keyword where a name is meant, or run into the word after it, gets a help that says so;
/// a keyword in backticks is a name.
#[test]
fn keywords_as_names_and_keywords_run_together_are_explained() {
    let help = |text: &str| errors(text).remove(0).2.unwrap_or_default();
    assert!(
        help("input 指标: list of target\n")
            .contains("`指标` is a keyword (`indicator` or `指标`)"),
        "{}",
        help("input 指标: list of target\n")
    );
    assert!(help("令 得分 = 1\n").contains("write it in backticks, `` `得分` ``"));
    let run_together = "指标 乙 分值 10 {\n  得分执行率\n}\n";
    assert!(
        help(run_together).contains("`得分执行率` is one word"),
        "{}",
        help(run_together)
    );
    assert!(help("指标 乙 分值 10 {\n  扣1 每 问题\n}\n").contains("put a space after it"));
    let quoted = "输入 `指标`: 目标列表\n指标 乙 分值 10 {\n  目标 `指标` 均分\n}\n";
    let file = super::parse(&crate::source::SourceFile::new("q.jx", quoted)).unwrap();
    assert_eq!(file.items.len(), 2);
}

/// The `keyword` rule (asked before every identifier) lists exactly the spellings of the
/// `kw_` rules, longer spellings before the shorter ones they start with.
#[test]
fn the_keyword_rule_lists_every_spelling_of_the_kw_rules() {
    let grammar = include_str!("../../grammar/jixiao.pest");
    let quoted = |text: &str| -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
            .collect()
    };
    let start = grammar
        .find("\nkeyword = _{")
        .unwrap_or_else(|| panic!("no keyword rule"));
    let end = start + grammar[start..].find("\n}").unwrap_or(0);
    let listed = quoted(&grammar[start..end]);
    let mut spelled: Vec<String> = grammar
        .lines()
        .filter(|l| l.starts_with("kw_") && l.contains("~ !XID_CONTINUE"))
        .flat_map(quoted)
        .collect();
    // `not applicable` is `not` followed by a word; its Chinese spelling is one word.
    spelled.retain(|s| s != "applicable" && s != "\\t");
    let (mut a, mut b) = (listed.clone(), spelled);
    a.sort();
    a.dedup();
    b.sort();
    b.dedup();
    assert_eq!(a, b);
    for (i, long) in listed.iter().enumerate() {
        for short in &listed[i + 1..] {
            assert!(
                !short.starts_with(long.as_str()),
                "`{short}` comes after `{long}`, which it starts with"
            );
        }
    }
}

/// A file is parsed an item at a time, yet an error names what the whole file's parse tried
/// there: at the start of a line that begins no item, the optional parts of the item before
/// (an input's range) as well as the items and the end of the file; and every error is found.
#[test]
fn item_by_item_parsing_explains_errors_as_the_whole_file_would() {
    let found = errors(
        "input a: money\ninput b: money\n%\ninput c: money\nindicator x points 1 {\n  score +\n}\n",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    let (expected, what, _, line) = &found[0];
    assert_eq!((what.as_str(), *line), ("`%`", 3));
    for words in [
        "a range such as",
        "the end of the file",
        "the keyword `input`",
    ] {
        assert!(expected.contains(words), "{expected}");
    }
    assert_eq!(found[1].3, 6, "{found:?}");
}
