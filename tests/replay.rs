//! Every scoring fixture's total replayed from its JSON trace alone (`common::replay`): each
//! term evaluated again, each leaf's score rebuilt from its steps, each group added up and the
//! total converted and rounded as the trace's header says. A tool that reads `jixiao.trace/2`
//! can check a score without jixiao; this test is that tool. A trace with any one number
//! changed must then fail to replay.

mod common;

use std::collections::BTreeSet;

use jixiao::report::{self, Format, Lang};
use rust_decimal::Decimal;
use serde_json::Value as Json;

/// Each scoring fixture's name and JSON trace.
fn traces() -> Vec<(String, Json)> {
    common::scoring_cases()
        .into_iter()
        .map(|case| {
            let trace = case.trace();
            let json = report::render(&trace, Format::Json, Lang::Zh);
            (case.name, serde_json::from_str(&json).unwrap())
        })
        .collect()
}

#[test]
fn every_scoring_fixture_replays_to_its_total() {
    let mut kinds = BTreeSet::new();
    let traces = traces();
    for (name, json) in &traces {
        let total = common::replay::replay(name, json);
        let recorded: Decimal = json["total"].as_str().unwrap().parse().unwrap();
        assert_eq!(total, recorded, "{name}: replayed total");
        walk_steps(json, &mut |step, _| {
            kinds.insert(step["kind"].as_str().unwrap().to_string());
        });
    }
    assert!(traces.len() >= 27, "the scoring fixtures: {}", traces.len());
    // Every kind of step the fixtures hold is replayed (`not_chosen` has no fixture yet; the
    // property test in tests/properties.rs replays generated traces too).
    for kind in [
        "grade",
        "input",
        "let",
        "score",
        "tier",
        "deduction",
        "deductions",
        "category",
        "check",
        "veto",
        "checklist",
        "share",
        "target",
        "target_score",
        "met_ratio",
        "not_applicable",
        "reweight",
        "scale",
        "cap",
        "floor",
        "round",
    ] {
        assert!(kinds.contains(kind), "no fixture has a `{kind}` step");
    }
}

/// Calls `f` with every step of every node and the JSON pointer to it.
fn walk_steps(trace: &Json, f: &mut dyn FnMut(&Json, &str)) {
    fn node(n: &Json, at: &str, f: &mut dyn FnMut(&Json, &str)) {
        for (i, s) in n["steps"].as_array().unwrap().iter().enumerate() {
            f(s, &format!("{at}/steps/{i}"));
        }
        for (i, k) in n["children"].as_array().unwrap().iter().enumerate() {
            node(k, &format!("{at}/children/{i}"), f);
        }
    }
    for (i, n) in trace["indicators"].as_array().unwrap().iter().enumerate() {
        node(n, &format!("/indicators/{i}"), f);
    }
}

/// Adds `thousandths` of a point to the decimal at `pointer`.
fn nudge(trace: &mut Json, pointer: &str, thousandths: i64) {
    let v = trace.pointer_mut(pointer).unwrap();
    let d: Decimal = v.as_str().unwrap().parse().unwrap();
    *v = Json::String((d + Decimal::new(thousandths, 3)).normalize().to_string());
}

/// Changing any one number the replay rebuilds makes it fail: for each step kind and field,
/// the first such step in the fixtures is nudged, and so are the totals.
#[test]
fn a_trace_with_one_number_changed_does_not_replay() {
    let traces = traces();
    let fields: [(&str, &str); 16] = [
        ("input", "/value/value"),
        ("let", "/value/value"),
        ("score", "/value"),
        ("tier", "/score"),
        ("tier", "/value"),
        ("deduction", "/amount"),
        ("deductions", "/deducted"),
        ("check", "/points"),
        ("checklist", "/value"),
        ("target", "/actual_value"),
        ("target_score", "/value"),
        ("met_ratio", "/value"),
        ("reweight", "/to"),
        ("scale", "/value"),
        ("cap", "/to"),
        ("round", "/to"),
    ];
    let mut tampered = Vec::new();
    for (kind, field) in fields {
        let found = traces.iter().find_map(|(name, json)| {
            let mut at = None;
            walk_steps(json, &mut |step, pointer| {
                let numeric = step
                    .pointer(field)
                    .and_then(Json::as_str)
                    .is_some_and(|s| s.parse::<Decimal>().is_ok());
                // A target met by a margin stays met, and a count ratio counts a missed one
                // however far it missed: the one nudged is a missed record scored alone.
                let missed = kind != "target" || (step["met"] == false && step["name"].is_null());
                if at.is_none() && step["kind"] == kind && numeric && missed {
                    at = Some(format!("{pointer}{field}"));
                }
            });
            at.map(|at| (name, json, at))
        });
        let (name, json, at) = found.unwrap_or_else(|| panic!("no `{kind}` step has {field}"));
        let mut json = json.clone();
        nudge(&mut json, &at, 1);
        tampered.push((format!("{name} {kind}{field}"), json));
    }
    for (name, json) in &traces {
        // A score or total changed with its deduction, so that only the replay can tell.
        for (score, deduction) in [
            ("/total", "/deduction"),
            ("/indicators/0/score", "/indicators/0/deduction"),
        ] {
            let mut json = json.clone();
            nudge(&mut json, score, 1);
            nudge(&mut json, deduction, -1);
            tampered.push((format!("{name} {score}"), json));
        }
    }
    for (what, json) in tampered {
        let replayed = std::panic::catch_unwind(|| common::replay::replay(&what, &json));
        assert!(replayed.is_err(), "{what}: a changed trace replayed");
    }
}

/// The table under tests/cases replays too: it holds the steps no fixture has (an alternative
/// not chosen among them) and a fourth level.
#[test]
fn the_every_step_table_replays() {
    let case = common::every_step_case();
    let trace = case.trace();
    let json: Json = serde_json::from_str(&report::render(&trace, Format::Json, Lang::Zh)).unwrap();
    let mut kinds = Vec::new();
    walk_steps(&json, &mut |step, _| kinds.push(step["kind"].clone()));
    assert!(kinds.contains(&Json::from("not_chosen")), "{kinds:?}");
    assert_eq!(common::replay::replay(&case.name, &json), trace.total.0);
}
