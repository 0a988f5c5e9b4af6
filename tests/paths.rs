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
