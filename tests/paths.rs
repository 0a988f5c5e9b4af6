//! Scoring without a trace (`Rules::score`, the batch path) and with one (`Rules::trace`) are
//! one evaluation recorded two ways: for every table, the same total, rating and score and
//! points of every indicator.

mod common;

use jixiao::trace::Node;
use jixiao::{Rules, SourceFile};

#[test]
fn scores_and_traces_agree_on_every_table() {
    let mut cases = common::scoring_cases();
    cases.push(common::every_step_case());
    for case in cases {
        let rules = Rules::check(&jixiao::pipeline::read(&case.rules).unwrap())
            .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
        let data: SourceFile = jixiao::pipeline::read(case.data.as_ref().unwrap()).unwrap();
        let dept = rules.load(&data).unwrap();
        let scores = rules.score(&dept).unwrap();
        let trace = rules.trace(&dept).unwrap();
        assert_eq!(scores.total, trace.total.0, "{}", case.name);
        assert_eq!(
            scores.rating(rules.rulebook()),
            trace.rating,
            "{}",
            case.name
        );
        // The trace's indicators in tree order are the rule book's (target records, generated
        // from the data, are not indicators of the rules and are skipped).
        let mut by_name = Vec::new();
        fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
            for n in nodes {
                out.push(n);
                walk(&n.children, out);
            }
        }
        walk(&trace.indicators, &mut by_name);
        let rb = rules.rulebook();
        for (id, ind) in rb.indicators.iter().enumerate() {
            let Some(node) = by_name.iter().find(|n| n.name == ind.name) else {
                continue;
            };
            // Names are unique among siblings, not across the table: compare where unique.
            if by_name.iter().filter(|n| n.name == ind.name).count() > 1 {
                continue;
            }
            assert_eq!(
                scores.indicators[id], node.score.0,
                "{}: score of {}",
                case.name, ind.name
            );
            assert_eq!(
                scores.points[id], node.points.0,
                "{}: points of {}",
                case.name, ind.name
            );
        }
    }
}

/// Below an indicator that is not scored (left out, counted in full, or an alternative not
/// chosen) nothing is scored: out of 0 points, so nothing there counts as points lost.
#[test]
fn indicators_below_one_not_scored_have_no_points() {
    let rules = Rules::check(&SourceFile::new(
        "n.jx",
        "rulebook \"t\" { total 20  round half_up 2 each indicator  rating 优 >= 9, 差 }\n\
         input 无项目: yesno\ninput 乙: number\n\
         indicator 项目管理 points 15 {\n  not applicable if 无项目 => exclude\n  \
         indicator 项目A points 15 { score 乙 }\n}\n\
         indicator 其他 points 5 { score 乙 }\n",
    ))
    .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
    let dept = rules
        .load(&SourceFile::new(
            "n.toml",
            "\"无项目\" = true\n\"乙\" = 4.9\n",
        ))
        .unwrap();
    let scores = rules.score(&dept).unwrap();
    let id = |name: &str| {
        rules
            .rulebook()
            .indicators
            .iter()
            .position(|i| i.name == name)
            .unwrap()
    };
    assert_eq!(scores.points[id("项目A")], rust_decimal::Decimal::ZERO);
    assert_eq!(scores.indicators[id("项目A")], rust_decimal::Decimal::ZERO);
    assert_eq!(scores.total.normalize().to_string(), "19.6");
}

/// A deduction so large that points less it cannot be computed is an evaluation error, not a
/// crash.
#[test]
fn an_overflowing_deduction_is_an_error() {
    let rules = Rules::check(&SourceFile::new(
        "d.jx",
        "rulebook \"t\" { total 10  rating 优 >= 9, 差 }\ninput 甲: number\ninput 乙: number\n\
         indicator A points 10 {\n  deduct 甲 if true\n  deduct 乙 if true\n}\n",
    ))
    .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
    let dept = rules
        .load(&SourceFile::new(
            "d.toml",
            "\"甲\" = -79228162514264337593543950335\n\"乙\" = 0\n",
        ))
        .unwrap();
    let failure = rules.score(&dept).unwrap_err();
    assert_eq!(failure.code(), "jixiao::eval::overflow");
    assert!(rules.trace(&dept).is_err());
}
