//! `cargo bench --bench evaluation`: the cost of scoring one department against rules already
//! checked, with and without recording. `score` is the fast path batch scoring takes (no trace,
//! no text: the total, the rating and each indicator's score); `trace` builds the whole typed
//! trace; `trace_and_text` also renders it, as `jixiao score` does. Run on the seed (the 2023
//! self-evaluation of 花都区政府办, 21 leaves) and on a generated table of 2,000 formula leaves.

use std::hint::black_box;

use jixiao::check::Checked;
use jixiao::data::Department;
use jixiao::report::{self, Format, Lang};
use jixiao::source::SourceFile;

const SEED_RULES: &str = include_str!("../rules/guangzhou/department-overall.jx");
const SEED_DATA: &str = include_str!("../fixtures/huadu-gov-office-2023/data.toml");

// The binary's allocator, so that the bench measures scoring and tracing as `jixiao` runs them.
#[global_allocator]
static ALLOCATOR: jixiao::alloc::Allocator = jixiao::alloc::Allocator;

fn main() {
    divan::main();
}

fn load(rules: &str, data: &str) -> (Checked, Department) {
    let rules = SourceFile::new("rules.jx", rules);
    let checked = jixiao::pipeline::check_rules(&rules)
        .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
    let data = SourceFile::new("data.toml", data);
    let dept = jixiao::data::load(&checked.rulebook, &data).unwrap_or_else(|e| panic!("{e:?}"));
    (checked, dept)
}

/// A table of `n` formula leaves, each reading two money inputs through a `let`.
fn generated(n: usize) -> (String, String) {
    let mut rules = format!("rulebook \"生成\" {{ total {n}  rating 优 >= 90%, 良 >= 80%, 差 }}\n");
    let mut data = String::new();
    for i in 0..n {
        rules.push_str(&format!(
            "input 执行数{i}: money\ninput 预算数{i}: money\n\
             indicator 指标{i} points 1 {{\n  let 执行率{i} = 执行数{i} / 预算数{i}\n  score min(执行率{i}, 1) * points\n}}\n"
        ));
        data.push_str(&format!(
            "\"执行数{i}\" = {}.17\n\"预算数{i}\" = 1000\n",
            900 + i % 100
        ));
    }
    (rules, data)
}

#[divan::bench_group]
mod seed {
    use super::*;

    #[divan::bench]
    fn score(bencher: divan::Bencher) {
        let (checked, dept) = load(SEED_RULES, SEED_DATA);
        bencher.bench_local(|| jixiao::eval::score(&checked.rulebook, black_box(&dept)).ok());
    }

    #[divan::bench]
    fn trace(bencher: divan::Bencher) {
        let (checked, dept) = load(SEED_RULES, SEED_DATA);
        bencher.bench_local(|| jixiao::eval::evaluate(&checked.rulebook, black_box(&dept)).ok());
    }

    #[divan::bench]
    fn trace_and_text(bencher: divan::Bencher) {
        let (checked, dept) = load(SEED_RULES, SEED_DATA);
        bencher.bench_local(|| {
            jixiao::eval::evaluate(&checked.rulebook, black_box(&dept))
                .map(|t| report::render(&t, Format::Text, Lang::Zh))
                .ok()
        });
    }
}

#[divan::bench_group(sample_count = 20)]
mod generated_2000 {
    use super::*;

    #[divan::bench]
    fn score(bencher: divan::Bencher) {
        let (rules, data) = generated(2000);
        let (checked, dept) = load(&rules, &data);
        bencher.bench_local(|| jixiao::eval::score(&checked.rulebook, black_box(&dept)).ok());
    }

    #[divan::bench]
    fn trace(bencher: divan::Bencher) {
        let (rules, data) = generated(2000);
        let (checked, dept) = load(&rules, &data);
        bencher.bench_local(|| jixiao::eval::evaluate(&checked.rulebook, black_box(&dept)).ok());
    }
}
