//! `cargo bench --bench batch`: the cost of one department of a batch, over generated
//! departments of the seed's shape (a budget rate plus 20 targets with 分值 3.0–6.0, ≥ and ≤
//! targets, some missed), scored by the Guangzhou rules split by 分值.
//!
//! - `score` is `eval::score`, recording nothing: the batch's fast path;
//! - `by_hand` computes the same totals in a loop of rust_decimal written for this one rule set,
//!   the floor any engine is measured against (the issue's target: `score` within 2× of it);
//! - `trace` records the full typed trace (target: within 3× of `score`);
//! - `load` is a department read from its JSON line and checked against the rules (stage 3);
//! - `json_line` is a department from its JSON line to its summary row, as `jixiao batch` does
//!   it (read, checked, scored);
//! - `run_jsonl` is `batch::run` end to end, as the command runs it: 20,000 departments from a
//!   JSON Lines file to a CSV summary, on every core (a million is 50 times its time).
//!
//! The bench allocates with the binary's allocator (mimalloc), so that it measures the engine
//! as `jixiao batch` runs it. The whole run over a million lines is measured on the release
//! binary; docs/batch.md says how.

use std::hint::black_box;

use jixiao::batch::input::{Body, Place, Record};
use jixiao::data::Department;
use jixiao::data::target::TargetOp;
use jixiao::source::SourceFile;
use rust_decimal::Decimal;

const SEED_RULES: &str = include_str!("../rules/guangzhou/department-overall.jx");

#[global_allocator]
static ALLOCATOR: jixiao::alloc::Allocator = jixiao::alloc::Allocator;

fn main() {
    divan::main();
}

/// The seed's rules with each target worth its own 分值.
fn rules() -> jixiao::check::Checked {
    let text = SEED_RULES.replace("split equally", "split by 分值");
    let rules = SourceFile::new("rules.jx", text);
    jixiao::pipeline::check_rules(&rules)
        .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)))
}

/// `n` departments as JSON lines: a budget, its spending, and 20 targets whose 分值 (3.0–6.0)
/// add up to 90; about one target in seven missed, half of them `≥` and half `≤`.
fn lines(n: usize) -> Vec<String> {
    let mut seed = 7u64;
    let mut next = move |m: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    (0..n)
        .map(|d| {
            let budget = 1000 + next(400_000);
            let spent = budget - next(budget / 10);
            let mut targets = Vec::new();
            for i in 0..20u64 {
                let shift = [0, 5, 10, 15][(i / 2 % 4) as usize];
                let points = if i % 2 == 0 { 45 + shift } else { 45 - shift };
                let missed = next(7) == 0;
                let (target, actual) = if i % 2 == 0 {
                    let t = 2 + next(48);
                    (format!("≥{t}篇"), format!("{}篇", if missed { t - 1 } else { t }))
                } else {
                    let t = 50 + next(150);
                    (format!("≤{t}万元"), format!("{}万元", if missed { t + 7 } else { t }))
                };
                targets.push(format!(
                    r#"{{"名称":"指标{i}","指标值":"{target}","实际完成值":"{actual}","分值":{}.{}}}"#,
                    points / 10,
                    points % 10
                ));
            }
            format!(
                r#"{{"部门":"部门{d}","全年预算数":{}.{:02},"全年执行数":{}.{:02},"绩效指标":[{}]}}"#,
                budget / 100,
                budget % 100,
                spent / 100,
                spent % 100,
                targets.join(",")
            )
        })
        .collect()
}

fn departments(checked: &jixiao::check::Checked, n: usize) -> Vec<Department> {
    lines(n)
        .into_iter()
        .map(|l| {
            let src = SourceFile::new("d.jsonl", l);
            jixiao::data::load_as(&checked.rulebook, &src, jixiao::data::Format::Json)
                .unwrap_or_else(|e| panic!("{e:?}"))
        })
        .collect()
}

/// The seed's rules written by hand: the budget rate × 10 capped and rounded, then each target
/// met for its 分值 or scored in proportion, rounded, and the total.
fn by_hand(dept: &Department) -> Decimal {
    use jixiao::data::Datum;
    let hundredth = 2;
    let (Datum::Number(budget), Datum::Number(spent), Datum::Targets(targets)) =
        (&dept.values[0], &dept.values[1], &dept.values[2])
    else {
        return Decimal::ZERO;
    };
    let ten = Decimal::TEN;
    let rate = (spent / budget * ten).min(ten).round_dp_with_strategy(
        hundredth,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    let mut sum = Decimal::ZERO;
    for t in targets {
        let points = t.points.unwrap_or_default();
        let Some((target, actual)) = t.quantity() else {
            return Decimal::ZERO;
        };
        let (op, target, actual) = (target.op, target.quantity.value, actual.value);
        let met = match op {
            TargetOp::AtLeast => actual >= target,
            TargetOp::AtMost => actual <= target,
            TargetOp::Exactly => actual == target,
        };
        // Multiplied before dividing, and each record's score rounded (the rules round each
        // indicator), as the engine does.
        let score = if met {
            points
        } else {
            match op {
                TargetOp::AtLeast | TargetOp::Exactly => actual * points / target,
                TargetOp::AtMost => target * points / actual,
            }
        };
        sum += score.round_dp_with_strategy(
            hundredth,
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        );
    }
    rate + sum
}

const N: usize = 1000;

/// Times `f` over `N` generated departments, one item each.
fn each<T>(bencher: divan::Bencher, f: impl Fn(&jixiao::model::Rulebook, &Department) -> T) {
    let checked = rules();
    let depts = departments(&checked, N);
    bencher
        .counter(divan::counter::ItemsCount::new(N))
        .bench_local(|| {
            for d in &depts {
                black_box(f(&checked.rulebook, black_box(d)));
            }
        });
}

#[divan::bench(sample_count = 20)]
fn score(bencher: divan::Bencher) {
    each(bencher, |rb, d| jixiao::eval::score(rb, d).ok());
}

#[divan::bench(sample_count = 20)]
fn by_hand_loop(bencher: divan::Bencher) {
    // The loop computes the same totals as the engine.
    let checked = rules();
    for d in &departments(&checked, N) {
        let engine = jixiao::eval::score(&checked.rulebook, d).unwrap().total;
        assert_eq!(by_hand(d), engine, "{:?}", d.name);
    }
    each(bencher, |_, d| by_hand(d));
}

#[divan::bench(sample_count = 20)]
fn trace(bencher: divan::Bencher) {
    each(bencher, |rb, d| jixiao::eval::evaluate(rb, d).ok());
}

#[divan::bench(sample_count = 20)]
fn json_line(bencher: divan::Bencher) {
    let checked = rules();
    let lines = lines(N);
    let file: std::sync::Arc<str> = "d.jsonl".into();
    bencher
        .counter(divan::counter::ItemsCount::new(N))
        .with_inputs(|| lines.clone())
        .bench_local_values(|lines| {
            for (i, line) in lines.into_iter().enumerate() {
                let record = Record {
                    place: Place::Line {
                        file: file.clone(),
                        line: i + 1,
                    },
                    body: Body::Json(line.into()),
                };
                black_box(jixiao::batch::score(
                    &checked.rulebook,
                    record,
                    jixiao::Lang::Zh,
                    None,
                ));
            }
        });
}

/// Times reading and checking each of `lines` into a `Department`.
fn load_each(bencher: divan::Bencher, checked: &jixiao::check::Checked, lines: &[SourceFile]) {
    bencher
        .counter(divan::counter::ItemsCount::new(lines.len()))
        .bench_local(|| {
            for line in lines {
                black_box(
                    jixiao::data::load_as(&checked.rulebook, line, jixiao::data::Format::Json)
                        .is_ok(),
                );
            }
        });
}

#[divan::bench(sample_count = 20)]
fn load(bencher: divan::Bencher) {
    let checked = rules();
    let lines: Vec<SourceFile> = lines(N)
        .into_iter()
        .map(|l| SourceFile::new("d.jsonl", l))
        .collect();
    load_each(bencher, &checked, &lines);
}

/// `line` as Python's `json.dumps` and PHP's `json_encode` write it by default: every character
/// outside ASCII as a `\u` escape.
fn ascii_escaped(line: &str) -> String {
    let mut out = String::new();
    for c in line.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// `load` of the same departments written with escapes.
#[divan::bench(sample_count = 20)]
fn load_escaped(bencher: divan::Bencher) {
    let checked = rules();
    let lines: Vec<SourceFile> = lines(N)
        .iter()
        .map(|l| SourceFile::new("d.jsonl", ascii_escaped(l)))
        .collect();
    // The escaped lines score as the plain ones do.
    for (line, plain) in lines.iter().zip(departments(&checked, N)) {
        let read = jixiao::data::load_as(&checked.rulebook, line, jixiao::data::Format::Json)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let score = |d: &Department| jixiao::eval::score(&checked.rulebook, d).unwrap().total;
        assert_eq!(score(&read), score(&plain));
    }
    load_each(bencher, &checked, &lines);
}

#[divan::bench(sample_count = 5)]
fn run_jsonl(bencher: divan::Bencher) {
    const LINES: usize = 20_000;
    let checked = rules();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("departments.jsonl");
    std::fs::write(&input, lines(LINES).join("\n")).unwrap();
    let summary = dir.path().join("s.csv");
    let options = jixiao::batch::Options {
        fail_fast: false,
        traces: None,
        lang: jixiao::Lang::Zh,
    };
    bencher
        .counter(divan::counter::ItemsCount::new(LINES))
        .bench_local(|| {
            let csv = jixiao::batch::input::CsvOptions {
                id_column: "部门".into(),
                targets: None,
                lists: vec!["绩效指标".into()],
            };
            let mut records =
                jixiao::batch::input::Records::new(vec![input.display().to_string()], csv).unwrap();
            let kind = jixiao::batch::summary::Kind::Csv;
            let mut out = jixiao::batch::summary::file(&summary, kind, jixiao::Lang::Zh).unwrap();
            let run = jixiao::batch::run(
                &checked.rulebook,
                &mut records,
                &options,
                out.as_mut(),
                &mut |_| {},
            );
            let Ok((totals, _)) = run else {
                panic!("the run stopped");
            };
            assert_eq!(totals.scored(), LINES);
            out.finish(&totals).unwrap();
        });
}
