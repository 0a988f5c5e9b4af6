//! Property tests over generated rule files and data: whatever the tree, the formulas and the
//! numbers, a score stays within [0, points], a parent is the sum of its children, the total is
//! the (rounded) sum of the top level, the text and JSON traces agree with the total, and the
//! JSON trace replays to it from its steps alone.

mod common;

use jixiao::report::{self, Format, Lang};
use jixiao::source::SourceFile;
use proptest::prelude::*;

/// Leaf formulas over the inputs 甲 and 乙 (money) and 达标 (yes/no); several can leave
/// [0, points] so that caps and floors are exercised.
const FORMULAS: [&str; 6] = [
    "if 乙 == 0 then 0 else 甲 / 乙 * points",
    "points - (甲 - 乙) * 0.01",
    "min(甲, 乙) / max(甲, 乙, 1) * points",
    "round(甲 * 0.001, 1)",
    "if 达标 and 甲 >= 乙 then points else points * 60%",
    "abs(甲 - 乙) / (甲 + 乙 + 1) * points",
];

/// The policies a generated `not applicable` line may take.
const POLICIES: [&str; 3] = ["full", "exclude", "redistribute"];

/// When an indicator does not apply: a policy and whether it applies when 达标 holds or fails.
type NotApplicable = Option<(usize, bool)>;

#[derive(Debug, Clone)]
enum Tree {
    Leaf(u32, usize, NotApplicable),
    Group(Vec<Tree>, NotApplicable),
}

impl Tree {
    fn points(&self) -> u32 {
        match self {
            Tree::Leaf(p, _, _) => *p,
            Tree::Group(kids, _) => kids.iter().map(Tree::points).sum(),
        }
    }

    fn write(&self, out: &mut String, name: &str) {
        let na = |na: &NotApplicable| match na {
            Some((policy, when)) => format!(
                "not applicable if 达标 == {when} => {}\n",
                POLICIES[*policy]
            ),
            None => String::new(),
        };
        match self {
            Tree::Leaf(p, f, n) => {
                out.push_str(&format!(
                    "indicator {name} points {p} {{\n{}score {}\n}}\n",
                    na(n),
                    FORMULAS[*f]
                ));
            }
            Tree::Group(kids, n) => {
                out.push_str(&format!(
                    "indicator {name} points {} {{\n{}",
                    self.points(),
                    na(n)
                ));
                for (i, k) in kids.iter().enumerate() {
                    k.write(out, &format!("{name}_{i}"));
                }
                out.push_str("}\n");
            }
        }
    }
}

fn not_applicable() -> impl Strategy<Value = NotApplicable> {
    prop_oneof![
        3 => Just(None),
        1 => (0..POLICIES.len(), any::<bool>()).prop_map(Some),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf =
        (1u32..20, 0..FORMULAS.len(), not_applicable()).prop_map(|(p, f, n)| Tree::Leaf(p, f, n));
    leaf.prop_recursive(3, 16, 4, |inner| {
        (prop::collection::vec(inner, 1..4), not_applicable())
            .prop_map(|(kids, n)| Tree::Group(kids, n))
    })
}

fn money() -> impl Strategy<Value = String> {
    (0u64..100_000_000, 0u32..3).prop_map(|(cents, dp)| {
        let d = rust_decimal::Decimal::new(cents as i64, 2).round_dp(dp);
        d.to_string()
    })
}

fn target() -> impl Strategy<Value = String> {
    (prop::sample::select(vec!["≥", "≤", "="]), 0u32..200, 0u32..200, any::<bool>()).prop_map(
        |(op, t, a, pct)| {
            let unit = if pct { "%" } else { "件" };
            format!("{{ \"名称\": \"指标{t}_{a}\", \"指标值\": \"{op}{t}{unit}\", \"实际完成值\": \"{a}{unit}\" }}")
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn traces_keep_their_invariants(
        roots in prop::collection::vec(tree(), 1..4),
        targets in prop::collection::vec(target(), 1..8),
        target_points in 1u32..30,
        a in money(),
        b in money(),
        yes in any::<bool>(),
        (mode, place) in (prop::sample::select(vec!["half_up", "half_even", "truncate"]), prop::sample::select(vec!["each indicator", "total"])),
    ) {
        let total: u32 = roots.iter().map(Tree::points).sum::<u32>() + target_points;
        let mut rules = format!(
            "rulebook \"生成\" {{\n  total {total}\n  round {mode} 2 {place}\n  rating 优 >= {}, 良 >= {}, 差\n}}\n\
             input 甲: money\ninput 乙: money\ninput 达标: yesno\ninput 绩效指标: list of target\n",
            rust_decimal::Decimal::new(i64::from(total) * 9, 1),
            rust_decimal::Decimal::new(i64::from(total) * 8, 1)
        );
        for (i, t) in roots.iter().enumerate() {
            t.write(&mut rules, &format!("指标{i}"));
        }
        rules.push_str(&format!("indicator 目标完成 points {target_points} {{ targets 绩效指标 split equally }}\n"));
        let data = format!(
            "{{ \"甲\": {a}, \"乙\": {b}, \"达标\": {yes}, \"绩效指标\": [{}] }}",
            targets.join(", ")
        );
        let rules = SourceFile::new("gen.jx", rules);
        let data = SourceFile::new("gen.json", data);
        let trace = match jixiao::pipeline::score(&rules, &data) {
            Ok((_, trace)) => trace,
            Err(f) => {
                let rendered = f.render(jixiao::diagnostics::Style::Plain);
                // A lone child that redistributes is refused by the check, and a group whose
                // children all give their points away has nobody to take them: both are
                // diagnosed, and not what this property is about.
                prop_assume!(!rendered.contains("not_applicable"), "{}", rendered);
                panic!("{rendered}");
            }
        };
        common::assert_invariants(&trace);
        // Scoring without a trace is the same evaluation: the same total and rating.
        let checked = jixiao::Rules::check(&rules).unwrap();
        let scores = checked.score(&checked.load(&data).unwrap()).unwrap();
        prop_assert_eq!(scores.total, trace.total.0);
        prop_assert_eq!(scores.rating(checked.rulebook()), trace.rating.as_str());

        let json: serde_json::Value = serde_json::from_str(&report::render(&trace, Format::Json, Lang::Zh)).unwrap();
        let json_total: rust_decimal::Decimal = json["total"].as_str().unwrap().parse().unwrap();
        prop_assert_eq!(json_total, trace.total.0);
        // The JSON alone gives the total back, step by step (tests/replay.rs).
        prop_assert_eq!(common::replay::replay("a generated trace", &json), trace.total.0);
        let text = report::render(&trace, Format::Text, Lang::En);
        let total_line = text.lines().find(|l| l.starts_with("Total")).unwrap();
        let shown: rust_decimal::Decimal = total_line.split_whitespace().nth(2).unwrap().parse().unwrap();
        prop_assert_eq!(shown, trace.total.0);
    }
}

/// The fraction `num / den` (both ≥ 0, `den` > 0) rounded to cents as `mode` rounds, in cents:
/// integer arithmetic, exact.
fn exact_cents(num: i128, den: i128, mode: &str) -> i128 {
    let (q, r) = ((num * 100) / den, (num * 100) % den);
    match mode {
        "truncate" => q,
        "half_up" => q + i128::from(2 * r >= den),
        _ => q + i128::from(2 * r > den || (2 * r == den && q % 2 == 1)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Division is exact only to 28 significant digits, but a score that divides amounts in
    /// cents and is rounded to the cent is the exact fraction rounded: round(a ÷ b × points, 2)
    /// as jixiao computes it equals (a × points) / b rounded in integers. Half the cases are
    /// built to land exactly on a half or a whole cent, where a quotient a hair off would tip.
    #[test]
    fn a_rounded_quotient_is_right_to_the_cent(
        b in 1i64..100_000_000_000,
        a_part in 0.0f64..=1.0,
        points in 1i64..=100,
        tenths in any::<bool>(),
        on_boundary in any::<bool>(),
        mode in prop::sample::select(vec!["half_up", "half_even", "truncate"]),
    ) {
        // points with one decimal sometimes: 12.5 is 125 tenths.
        let (p_num, p_den) = if tenths { (points * 10 + 5, 10) } else { (points, 1) };
        let p_num = p_num.min(1000);
        let (a, b) = if on_boundary {
            // a ÷ b × p = k ÷ 200, a half or a whole cent, with a ÷ b rarely a finite decimal.
            let m = 1 + b % 1_000_000;
            let k = ((a_part * 200.0 * p_num as f64 / p_den as f64) as i64).max(0);
            (k * p_den * m, 200 * p_num * m)
        } else {
            (((b as f64) * a_part) as i64, b)
        };
        let a = a.clamp(0, b);
        let points_text = rust_decimal::Decimal::new(p_num, if p_den == 10 { 1 } else { 0 });
        let rules = format!(
            "rulebook \"商\" {{\n  total {points_text}\n  round {mode} 2 each indicator\n  rating 优 >= 1, 差\n}}\n\
             input 甲: money\ninput 乙: money\n\
             indicator 率 points {points_text} {{\n  score 甲 / 乙 * points\n}}\n"
        );
        let data = format!(
            "{{ \"甲\": {}, \"乙\": {} }}",
            rust_decimal::Decimal::new(a, 2),
            rust_decimal::Decimal::new(b, 2)
        );
        let (_, trace) = jixiao::pipeline::score(
            &SourceFile::new("q.jx", rules),
            &SourceFile::new("q.json", data),
        )
        .unwrap();
        // a/100 ÷ b/100 × p_num/p_den = (a × p_num) / (b × p_den)
        let cents = exact_cents(
            i128::from(a) * i128::from(p_num),
            i128::from(b) * i128::from(p_den),
            mode,
        );
        let expected = rust_decimal::Decimal::from_i128_with_scale(cents, 2);
        prop_assert_eq!(trace.indicators[0].score.0, expected, "a = {}, b = {}, points = {}", a, b, points_text);
    }
}

/// One row of a form: its levels, its 分值, whether it is qualitative (and then which words its
/// 实际完成值 has), a quantitative target and actual, and the score it reports (in half points).
#[derive(Debug, Clone)]
struct Row {
    first: usize,
    second: usize,
    points: u32,
    qualitative: Option<usize>,
    target: u32,
    actual: u32,
    reported: Option<u32>,
}

fn row() -> impl Strategy<Value = Row> {
    (
        0usize..3,
        0usize..2,
        1u32..20,
        prop::option::of(0usize..GRADE_WORDS.len()),
        1u32..200,
        0u32..200,
        prop::option::of(0u32..=40),
    )
        .prop_map(
            |(first, second, points, qualitative, target, actual, reported)| Row {
                first,
                second,
                points,
                qualitative,
                target,
                actual,
                // A reported score within the row's points, in half points.
                reported: reported.map(|r| r.min(points * 2)),
            },
        )
}

/// The words of 实际完成值 a generated qualitative row may have, and the band each says.
const GRADE_WORDS: [(&str, usize); 5] = [
    ("达成预期指标", 0),
    ("完成", 0),
    ("基本达成", 1),
    ("部分完成", 1),
    ("未完成", 2),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Forms with levels, qualitative rows and self-reported scores: the trace keeps its
    /// invariants and replays, every graded row scores inside its band (its own score when that
    /// lies in the band), and 复核 lists exactly the rows whose reported score differs.
    #[test]
    fn forms_keep_their_invariants(rows in prop::collection::vec(row(), 1..12)) {
        let total: u32 = rows.iter().map(|r| r.points).sum();
        let rules = format!(
            "rulebook \"表\" {{\n  total {total}\n  round half_up 2 each indicator\n  rating 优 >= 90%, 差\n}}\n\
             scale 定性 {{\n  \"达成\" => 80%(含)-100%(含) default 100% words \"达成预期指标\", \"完成\"\n  \
             \"部分达成\" => 60%(含)-80% default 70% words \"基本达成\", \"部分完成\"\n  \
             \"未达成\" => 0%(含)-60% default 30% words \"未完成\"\n}}\n\
             input 绩效指标: list of target graded 定性\n\
             indicator 绩效指标 points {total} {{\n  targets 绩效指标 split by 分值\n}}\n"
        );
        let levels = [["产出指标", "效益指标", "满意度指标"], ["甲类", "乙类", "丙类"]];
        let records: Vec<String> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let (target, actual) = match r.qualitative {
                    Some(w) => ("达成预期指标".to_string(), GRADE_WORDS[w].0.to_string()),
                    None => (format!("≥{}件", r.target), format!("{}件", r.actual)),
                };
                let reported = r
                    .reported
                    .map(|h| format!(", \"得分\": {}", rust_decimal::Decimal::new(i64::from(h) * 5, 1)))
                    .unwrap_or_default();
                format!(
                    "{{ \"一级指标\": \"{}\", \"二级指标\": \"{}\", \"名称\": \"行{i}\", \"指标值\": \"{target}\", \"实际完成值\": \"{actual}\", \"分值\": {}{reported} }}",
                    levels[0][r.first], levels[1][r.second], r.points
                )
            })
            .collect();
        let data = format!("{{ \"绩效指标\": [{}] }}", records.join(", "));
        let rules = SourceFile::new("form.jx", rules);
        let data = SourceFile::new("form.json", data);
        let (_, trace) = jixiao::pipeline::score(&rules, &data)
            .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
        common::assert_invariants(&trace);
        let json: serde_json::Value = serde_json::from_str(&report::render(&trace, Format::Json, Lang::Zh)).unwrap();
        prop_assert_eq!(common::replay::replay("a generated form", &json), trace.total.0);

        // Every row, found under its levels, in the data's order.
        let mut leaves = Vec::new();
        fn collect<'t>(n: &'t jixiao::trace::Node, out: &mut Vec<&'t jixiao::trace::Node>) {
            match n.children.is_empty() {
                true => out.push(n),
                false => n.children.iter().for_each(|c| collect(c, out)),
            }
        }
        trace.indicators.iter().for_each(|n| collect(n, &mut leaves));
        prop_assert_eq!(leaves.len(), rows.len());
        let bands = [(80, 100, 100), (60, 80, 70), (0, 60, 30)];
        for (leaf, r) in leaves.iter().zip(&rows) {
            let points = rust_decimal::Decimal::from(r.points);
            prop_assert_eq!(leaf.points.0, points);
            if let Some(w) = r.qualitative {
                let (low, high, default) = bands[GRADE_WORDS[w].1];
                let own = r.reported.map(|h| rust_decimal::Decimal::new(i64::from(h) * 5, 1));
                let in_band = own.is_some_and(|o| {
                    let rate = o * rust_decimal::Decimal::ONE_HUNDRED / points;
                    rate >= rust_decimal::Decimal::from(low)
                        && (rate < rust_decimal::Decimal::from(high) || (high == 100 && rate == rust_decimal::Decimal::ONE_HUNDRED))
                });
                let expected = match (own, in_band) {
                    (Some(o), true) => o,
                    _ => (points * rust_decimal::Decimal::from(default) / rust_decimal::Decimal::ONE_HUNDRED)
                        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
                };
                prop_assert_eq!(leaf.score.0, expected, "row {:?}", r);
            }
        }
        // 复核 lists exactly the rows whose reported score is not the computed one.
        let differing: Vec<&str> = leaves
            .iter()
            .filter(|l| l.reported().is_some_and(|r| r != l.score))
            .map(|l| l.name.as_str())
            .collect();
        let listed: Vec<&str> = trace.differences.iter().map(|d| d.indicator.as_str()).collect();
        prop_assert_eq!(differing, listed);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// `split by 分值` has a path of its own when nothing is recorded (`eval::score`): the
    /// records are scored out of their own 分值 in one pass, and scored again as the trace scores
    /// them only when the indicator's points changed (here: 甲 does not apply and gives its points
    /// away). Whatever the number of records (past the 64 whose targets are asked first), the
    /// rounding and the redistribution, it gives the trace's scores.
    #[test]
    fn a_split_by_points_scores_alike_with_and_without_a_trace(
        records in prop::collection::vec(
            (prop::sample::select(vec!["≥", "≤", "="]), 0u32..50, 0u32..50, 1u32..400, any::<bool>()),
            1..90,
        ),
        giver in prop::option::of((1u32..2000, any::<bool>())),
        yes in any::<bool>(),
        mode in prop::sample::select(vec!["half_up", "half_even", "truncate"]),
        digits in 0u32..4,
        place in prop::sample::select(vec!["each indicator", "total"]),
    ) {
        // 分值 in cents, and the indicator's points their sum, as the data check requires.
        let own: i64 = records.iter().map(|r| i64::from(r.3)).sum();
        let own_points = rust_decimal::Decimal::new(own, 2);
        let giver_points = giver.map(|(cents, _)| rust_decimal::Decimal::new(i64::from(cents), 2));
        let total = own_points + giver_points.unwrap_or_default();
        let mut rules = format!(
            "rulebook \"分值\" {{\n  total {total}\n  round {mode} {digits} {place}\n  rating 优 >= 90%, 差\n}}\n\
             input 达标: yesno\ninput 绩效指标: list of target\n"
        );
        if let (Some((_, when)), Some(p)) = (giver, giver_points) {
            rules.push_str(&format!(
                "indicator 甲 points {p} {{\n  not applicable if 达标 == {when} => redistribute\n  score points\n}}\n"
            ));
        }
        rules.push_str(&format!(
            "indicator 乙 points {own_points} {{\n  targets 绩效指标 split by 分值\n}}\n"
        ));
        let rows: Vec<String> = records
            .iter()
            .enumerate()
            .map(|(i, (op, t, a, cents, pct))| {
                let unit = if *pct { "%" } else { "件" };
                // A `≤` target is never met by nothing, so that no quotient divides by zero.
                let a = if *op == "≤" { a + 1 } else { *a };
                format!(
                    "{{ \"名称\": \"指标{i}\", \"指标值\": \"{op}{t}{unit}\", \"实际完成值\": \"{a}{unit}\", \"分值\": {} }}",
                    rust_decimal::Decimal::new(i64::from(*cents), 2)
                )
            })
            .collect();
        let data = format!("{{ \"达标\": {yes}, \"绩效指标\": [{}] }}", rows.join(", "));
        let rules = SourceFile::new("split.jx", rules);
        let data = SourceFile::new("split.json", data);
        let trace = match jixiao::pipeline::score(&rules, &data) {
            Ok((_, trace)) => trace,
            Err(f) => panic!("{}", f.render(jixiao::diagnostics::Style::Plain)),
        };
        let checked = jixiao::Rules::check(&rules).unwrap();
        let scores = checked.score(&checked.load(&data).unwrap()).unwrap();
        prop_assert_eq!(scores.total, trace.total.0);
        let by_trace: Vec<rust_decimal::Decimal> =
            trace.indicators.iter().map(|n| n.score.0).collect();
        let top: Vec<rust_decimal::Decimal> = checked
            .rulebook()
            .roots
            .iter()
            .map(|id| scores.indicators[id.0])
            .collect();
        prop_assert_eq!(top, by_trace);
    }
}
