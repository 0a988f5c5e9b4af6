//! Not-applicable policies and alternatives at their edges, beyond what the fixtures show.

use jixiao::pipeline;
use jixiao::source::SourceFile;

fn score(rules: &str, data: &str) -> Result<jixiao::trace::Trace, String> {
    let rules = SourceFile::new("r.jx", rules.to_string());
    let data = SourceFile::new("d.toml", data.to_string());
    pipeline::score(&rules, &data)
        .map(|(_, t)| t)
        .map_err(|f| f.render(jixiao::diagnostics::Style::Plain))
}

const HEADER: &str = "rulebook \"测试\" { total 10  rating 优 >= 9, 差 }\n";

#[test]
fn alternatives_after_the_chosen_one_are_not_asked() {
    // 乙方案's condition reads an optional input the data leaves out; 甲方案 applies, so
    // 乙方案 is never asked.
    let rules = format!(
        "{HEADER}input 采用甲: yesno\ninput 乙数据: number optional\n\
         indicator 成本 points 10 one of {{\n\
           indicator 甲方案 points 10 {{ not applicable if not 采用甲  score points }}\n\
           indicator 乙方案 points 10 {{ not applicable if 乙数据 > 1  score points }}\n\
         }}\n"
    );
    let trace = score(&rules, "\"采用甲\" = true\n").unwrap();
    assert_eq!(trace.total.0.normalize().to_string(), "10");
    let second = &trace.indicators[0].children[1];
    assert!(matches!(
        &second.steps[0],
        jixiao::trace::Step::NotChosen { chosen } if chosen == "甲方案"
    ));
}

#[test]
fn redistribute_to_gives_only_to_the_siblings_named() {
    let rules = format!(
        "{HEADER}input 有甲: yesno\n\
         indicator 甲 points 4 {{ not applicable if not 有甲 => redistribute to 丙  score points }}\n\
         indicator 乙 points 3 {{ score points }}\n\
         indicator 丙 points 3 {{ score points }}\n"
    );
    let trace = score(&rules, "\"有甲\" = false\n").unwrap();
    let points: Vec<String> = trace
        .indicators
        .iter()
        .map(|n| n.points.0.normalize().to_string())
        .collect();
    assert_eq!(points, ["0", "3", "7"]);
    assert_eq!(trace.total.0.normalize().to_string(), "10");
}

#[test]
fn redistributed_shares_add_up_to_the_cent() {
    // 1 point over 3 + 3 + 3: 0.34 + 0.33 + 0.33, the remainder to the first.
    let rules = format!(
        "{HEADER}input 有甲: yesno\n\
         indicator 甲 points 1 {{ not applicable if not 有甲 => redistribute  score points }}\n\
         indicator 乙 points 3 {{ score points }}\n\
         indicator 丙 points 3 {{ score points }}\n\
         indicator 丁 points 3 {{ score points }}\n"
    );
    let trace = score(&rules, "\"有甲\" = false\n").unwrap();
    let points: Vec<String> = trace.indicators[1..]
        .iter()
        .map(|n| n.points.0.normalize().to_string())
        .collect();
    assert_eq!(points, ["3.34", "3.33", "3.33"]);
    assert_eq!(trace.total.0.normalize().to_string(), "10");
}

#[test]
fn excluding_every_indicator_is_an_error_not_a_division_by_zero() {
    let rules = format!(
        "{HEADER}input 无: yesno\n\
         indicator 甲 points 10 {{ not applicable if 无 => exclude  score points }}\n"
    );
    let err = score(&rules, "\"无\" = true\n").unwrap_err();
    assert!(err.contains("jixiao::eval::not_applicable"), "{err}");
    assert!(err.contains("every indicator is left out"), "{err}");
}

#[test]
fn given_asks_whether_an_optional_input_is_in_the_data() {
    let rules = format!(
        "{HEADER}input 满意度: percent optional\n\
         indicator 甲 points 5 {{ not applicable if not given(满意度) => exclude  score 满意度 * points }}\n\
         indicator 乙 points 5 {{ score points }}\n"
    );
    let without = score(&rules, "").unwrap();
    assert!(without.rescale.is_some());
    assert_eq!(without.total.0.normalize().to_string(), "10");
    let with = score(&rules, "\"满意度\" = \"80%\"\n").unwrap();
    assert!(with.rescale.is_none());
    assert_eq!(with.total.0.normalize().to_string(), "9");
}

#[test]
fn given_takes_only_optional_inputs() {
    let rules = format!(
        "{HEADER}input 满意度: percent\n\
         indicator 甲 points 10 {{ not applicable if not given(满意度) => full  score 满意度 * points }}\n"
    );
    let err = score(&rules, "\"满意度\" = \"80%\"\n").unwrap_err();
    assert!(err.contains("an input declared `optional`"), "{err}");
}

#[test]
fn coverage_names_alternatives_never_scored_and_conditions_never_met() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/alternatives");
    let rules = pipeline::read(&root.join("rules.jx")).unwrap();
    let data = pipeline::read(&root.join("data.toml")).unwrap();
    let checked = pipeline::check_rules(&rules).unwrap();
    let dept = jixiao::data::load(&checked.rulebook, &data).unwrap();
    let mut coverage = jixiao::eval::Coverage::default();
    jixiao::eval::evaluate_with(&checked.rulebook, &dept, Some(&mut coverage)).unwrap();
    use jixiao::eval::Unreached;
    let gaps: Vec<Unreached> = coverage
        .gaps(&checked.rulebook)
        .into_iter()
        .map(|g| g.part)
        .collect();
    // The department uses unit cost: the saving-rate alternative is never scored, and its
    // condition never fails; the unit-cost alternative is scored.
    assert!(
        gaps.contains(&Unreached::Alternative {
            alternative: "成本节约率得分".into(),
            group: "成本控制".into()
        }),
        "{gaps:?}"
    );
    assert!(
        gaps.contains(&Unreached::NotApplicable {
            indicator: "成本节约率得分".into(),
            holds: false
        }),
        "{gaps:?}"
    );
    assert!(
        !gaps.iter().any(|g| matches!(
            g,
            Unreached::Alternative { alternative, .. } if alternative == "单位成本控制"
        )),
        "{gaps:?}"
    );
}

/// A district file that imports the province template and adjusts it scores exactly as the
/// same rules written out in one file: the header setting added, the input added, and the
/// overridden indicator in the place of the imported one.
#[test]
fn an_import_scores_as_the_rules_written_out_whole() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/imports");
    let district = pipeline::read(&root.join("district.jx")).unwrap();
    let data = pipeline::read(&root.join("data.toml")).unwrap();
    let (_, imported) = pipeline::score(&district, &data).unwrap();

    let province = std::fs::read_to_string(root.join("template/province.jx")).unwrap();
    let old =
        "  indicator 预算调整 points 5 {\n    basis \"未调整预算得满分\"\n    score points\n  }\n";
    let new = "  indicator 预算调整 points 5 {\n    basis \"未调整预算得满分；每调整一次扣1分，扣完为止\"\n    deduct 1 per started 1 above 0 of 预算调整次数\n  }\n";
    assert!(
        province.contains(old),
        "the template changed: update this test"
    );
    let whole = province
        .replace(old, new)
        .replace("（省级模板）", "（示例区）")
        .replace(
            "  round half_up 2 each indicator\n",
            "  round half_up 2 each indicator\n  round half_up 3 each value\n",
        )
        .replace(
            "input 绩效指标: list of target\n",
            "input 绩效指标: list of target\ninput 预算调整次数: count\n",
        );
    let (_, written_out) = pipeline::score(&SourceFile::new("whole.jx", whole), &data).unwrap();

    let scores = |t: &jixiao::trace::Trace| -> Vec<(String, String, String)> {
        fn walk(nodes: &[jixiao::trace::Node], out: &mut Vec<(String, String, String)>) {
            for n in nodes {
                out.push((
                    n.name.to_string(),
                    n.points.0.to_string(),
                    n.score.0.to_string(),
                ));
                walk(&n.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&t.indicators, &mut out);
        out
    };
    assert_eq!(imported.title, written_out.title);
    assert_eq!(imported.total, written_out.total);
    assert_eq!(imported.rating, written_out.rating);
    assert_eq!(imported.rounding, written_out.rounding);
    assert_eq!(scores(&imported), scores(&written_out));
    assert_eq!(imported.imports.len(), 1);
    assert!(written_out.imports.is_empty());
}

#[test]
fn a_split_by_points_that_received_points_is_scored_alike_with_and_without_a_trace() {
    // 乙 receives 甲's 2 points: its records keep their proportion of the 10 (2.5 and 7.5 for
    // their 分值 of 2 and 6), which the fast path without a trace must find too, not their 分值.
    let rules = format!(
        "{HEADER}input 有甲: yesno\ninput 绩效指标: list of target\n\
         indicator 甲 points 2 {{ not applicable if not 有甲 => redistribute  score points }}\n\
         indicator 乙 points 8 {{ targets 绩效指标 split by 分值 }}\n"
    );
    let data = r#""有甲" = false
[["绩效指标"]]
"名称" = "甲项"
"指标值" = "≥10篇"
"实际完成值" = "9篇"
"分值" = 2
[["绩效指标"]]
"名称" = "乙项"
"指标值" = "≤5天"
"实际完成值" = "5天"
"分值" = 6
"#;
    let checked = jixiao::pipeline::check_rules(&SourceFile::new("r.jx", rules))
        .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
    let dept = jixiao::data::load(&checked.rulebook, &SourceFile::new("d.toml", data))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let fast = jixiao::eval::score(&checked.rulebook, &dept).unwrap();
    let traced = jixiao::eval::evaluate(&checked.rulebook, &dept).unwrap();
    assert_eq!(fast.total, traced.total.0);
    assert_eq!(fast.indicators, {
        let mut by_id = vec![rust_decimal::Decimal::ZERO; fast.indicators.len()];
        for (i, n) in traced.indicators.iter().enumerate() {
            by_id[i] = n.score.0;
        }
        by_id
    });
    // 甲项 9 ÷ 10 × 2.5 = 2.25, 乙项 7.5 in full.
    assert_eq!(traced.indicators[1].points.0.normalize().to_string(), "10");
    assert_eq!(fast.total.normalize().to_string(), "9.75");
}
