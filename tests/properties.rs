//! Property tests over generated rule files and data: whatever the tree, the formulas and the
//! numbers, a score stays within [0, points], a parent is the sum of its children, the total is
//! the (rounded) sum of the top level, and the text and JSON traces agree with the total.

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

#[derive(Debug, Clone)]
enum Tree {
    Leaf(u32, usize),
    Group(Vec<Tree>),
}

impl Tree {
    fn points(&self) -> u32 {
        match self {
            Tree::Leaf(p, _) => *p,
            Tree::Group(kids) => kids.iter().map(Tree::points).sum(),
        }
    }

    fn write(&self, out: &mut String, name: &str) {
        match self {
            Tree::Leaf(p, f) => {
                out.push_str(&format!(
                    "indicator {name} points {p} {{ score {} }}\n",
                    FORMULAS[*f]
                ));
            }
            Tree::Group(kids) => {
                out.push_str(&format!("indicator {name} points {} {{\n", self.points()));
                for (i, k) in kids.iter().enumerate() {
                    k.write(out, &format!("{name}_{i}"));
                }
                out.push_str("}\n");
            }
        }
    }
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = (1u32..20, 0..FORMULAS.len()).prop_map(|(p, f)| Tree::Leaf(p, f));
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop::collection::vec(inner, 1..4).prop_map(Tree::Group)
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
             input 甲: money\ninput 乙: money\ninput 达标: yesno\ninput 指标: list of target\n",
            rust_decimal::Decimal::new(i64::from(total) * 9, 1),
            rust_decimal::Decimal::new(i64::from(total) * 8, 1)
        );
        for (i, t) in roots.iter().enumerate() {
            t.write(&mut rules, &format!("指标{i}"));
        }
        rules.push_str(&format!("indicator 目标 points {target_points} {{ targets 指标 split equally }}\n"));
        let data = format!(
            "{{ \"甲\": {a}, \"乙\": {b}, \"达标\": {yes}, \"指标\": [{}] }}",
            targets.join(", ")
        );
        let rules = SourceFile::new("gen.jx", rules);
        let data = SourceFile::new("gen.json", data);
        let (_, trace) = jixiao::pipeline::score(&rules, &data)
            .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
        common::assert_invariants(&trace);

        let json: serde_json::Value = serde_json::from_str(&report::render(&trace, Format::Json, Lang::Zh)).unwrap();
        let json_total: rust_decimal::Decimal = json["total"].as_str().unwrap().parse().unwrap();
        prop_assert_eq!(json_total, trace.total.0);
        let text = report::render(&trace, Format::Text, Lang::En);
        let total_line = text.lines().find(|l| l.starts_with("Total")).unwrap();
        let shown: rust_decimal::Decimal = total_line.split_whitespace().nth(2).unwrap().parse().unwrap();
        prop_assert_eq!(shown, trace.total.0);
    }
}
