//! Scoring without a trace allocates a fixed handful of vectors per department (the scores, the
//! let values, the plan), however many indicators and target records the table has: the fast
//! path batch scoring relies on. Counted with a counting global allocator, in this test binary
//! only.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    /// Allocations made by this thread: tests run in parallel, each counts its own.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // `try_with`: a thread being torn down has no counter left, and is not counted.
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_of(rules: &str, data: &str) -> usize {
    let rules = jixiao::Rules::check(&jixiao::SourceFile::new("r.jx", rules))
        .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
    let dept = rules
        .load(&jixiao::SourceFile::new("d.toml", data))
        .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
    // Once to warm up anything lazy, then counted.
    rules.score(&dept).unwrap();
    let before = allocations();
    let scores = rules.score(&dept).unwrap();
    let after = allocations();
    drop(scores);
    after - before
}

#[test]
fn the_seed_is_scored_with_a_handful_of_allocations() {
    let n = allocations_of(
        include_str!("../rules/guangzhou/department-overall.jx"),
        include_str!("../fixtures/huadu-gov-office-2023/data.toml"),
    );
    println!("seed: {n} allocations");
    assert!(n <= 5, "{n} allocations to score the seed without a trace");
}

/// A table of `groups` groups of `leaves` formula leaves each, plus a target split over
/// `targets` records.
fn table(groups: usize, leaves: usize, targets: usize) -> (String, String) {
    let total = groups * leaves + 10;
    let mut rules = format!(
        "rulebook \"生成\" {{ total {total}  rating 优 >= 90%, 差 }}\ninput 绩效指标: list of target\n"
    );
    let mut data = String::new();
    for g in 0..groups {
        rules.push_str(&format!("indicator 组{g} points {leaves} {{\n"));
        for l in 0..leaves {
            rules.push_str(&format!(
                "  indicator 指标{g}_{l} points 1 {{ score min(执行数{g}_{l} / 预算数, 1) * points }}\n"
            ));
            data.push_str(&format!("\"执行数{g}_{l}\" = {}.5\n", 90 + l));
        }
        rules.push_str("}\n");
    }
    for g in 0..groups {
        for l in 0..leaves {
            rules.push_str(&format!("input 执行数{g}_{l}: money\n"));
        }
    }
    rules.push_str(
        "input 预算数: money\nindicator 绩效目标 points 10 { targets 绩效指标 split equally }\n",
    );
    data.push_str("\"预算数\" = 100\n");
    for t in 0..targets {
        data.push_str(&format!(
            "[[\"绩效指标\"]]\n\"名称\" = \"目标{t}\"\n\"指标值\" = \"≥{}篇\"\n\"实际完成值\" = \"{}篇\"\n",
            4 + t % 3,
            3 + t % 4
        ));
    }
    (rules, data)
}

#[test]
fn allocations_do_not_grow_with_the_table() {
    let (small_rules, small_data) = table(1, 1, 1);
    let (big_rules, big_data) = table(20, 30, 50);
    let small = allocations_of(&small_rules, &small_data);
    let big = allocations_of(&big_rules, &big_data);
    assert_eq!(
        small, big,
        "scoring 1 leaf and 1 target takes {small} allocations, 600 leaves and 50 targets {big}"
    );
}

/// A department line of the seed's shape, as `jixiao batch` reads them: a budget, its
/// spending, and `n` targets with their own 分值 (adding up to 90).
fn seed_line(n: usize) -> String {
    let points = rust_decimal::Decimal::from(90) / rust_decimal::Decimal::from(n);
    let records: Vec<String> = (0..n)
        .map(|i| {
            let (target, actual) = if i % 2 == 0 {
                (format!("≥{}篇", 2 + i), format!("{}篇", 2 + i))
            } else {
                (format!("≤{}万元", 50 + i), format!("{}万元", 57 + i))
            };
            format!(
                r#"{{"名称":"指标{i}","指标值":"{target}","实际完成值":"{actual}","分值":{points}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"部门":"部门1","全年预算数":3662.78,"全年执行数":3504.84,"绩效指标":[{}]}}"#,
        records.join(",")
    )
}

/// What reading a JSON line into a department allocates beyond the department itself: the
/// reader keeps the line's strings borrowed until the department takes its own.
#[test]
fn a_json_department_is_read_with_a_few_allocations_per_record() {
    let rules = jixiao::Rules::check(&jixiao::SourceFile::new(
        "r.jx",
        include_str!("../rules/guangzhou/department-overall.jx")
            .replace("split equally", "split by 分值"),
    ))
    .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
    let count = |line: String| {
        let data = jixiao::SourceFile::new("d.json", line);
        let load = || rules.load(&data).unwrap_or_else(|f| panic!("{f:?}"));
        drop(load());
        let before = allocations();
        let dept = load();
        let after = allocations();
        drop(dept);
        after - before
    };
    let (twenty, forty) = (count(seed_line(20)), count(seed_line(40)));
    println!("20 records: {twenty} allocations, 40: {forty}");
    // Each record: its name and the table of its fields (the units and the target and actual
    // value as written are short, kept inline); the department: a handful of vectors, whatever
    // its number of records.
    let per_record = (forty - twenty) / 20;
    assert!(per_record <= 2, "{per_record} allocations per record");
    assert!(
        twenty - 20 * per_record <= 16,
        "{twenty} allocations for 20 records"
    );
}
