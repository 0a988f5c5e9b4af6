//! `cargo bench --bench robustness`: how long jixiao takes on the inputs issue 4 names (20 MB
//! files, 100,000 indicators, a 2-million-character name, deep nesting, junk) and how fast one
//! more department is scored against rules already checked. Prints a table; asserts only the
//! outcome of each input (a result, or a diagnostic with exit code 1 or 3), never a time.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use jixiao::pipeline::{self, Failure};
use jixiao::source::SourceFile;

const SEED_RULES: &str = include_str!("../rules/guangzhou/department-overall.jx");
const SEED_DATA: &str = include_str!("../fixtures/huadu-gov-office-2023/data.toml");

fn outcome(rules: &SourceFile, data: Option<&SourceFile>) -> u8 {
    let result: Result<(), Failure> = match data {
        None => pipeline::check_rules(rules).map(|_| ()),
        Some(d) => pipeline::score(rules, d).map(|(_, trace)| {
            black_box(jixiao::report::render(
                &trace,
                jixiao::report::Format::Text,
                jixiao::report::Lang::Zh,
            ));
        }),
    };
    match result {
        Ok(()) => 0,
        Err(f) => {
            black_box(f.render(jixiao::diagnostics::Style::Plain));
            f.exit_code()
        }
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn big_rules(indicators: usize, pad_to: usize, broken: bool) -> String {
    let mut t = format!(
        "rulebook \"t\" {{ total {indicators}  rating 优 >= 9, 差 }}\ninput 全年预算数: money\ninput 全年执行数: money\n"
    );
    for k in 0..indicators {
        let _ = writeln!(
            t,
            "indicator 指标{k} points 1 {{\n  basis \"预算执行率 = 全年执行数 ÷ 全年预算数；得分 = 预算执行率 × 分值，满分为止\"\n  score 全年执行数 / 全年预算数 * points\n}}"
        );
    }
    while t.len() < pad_to {
        let _ = writeln!(t, "// {}", "注释".repeat(100));
    }
    if broken {
        t.push_str("indicator 坏 points 1 { score 全年执行数 ÷ }\n");
    }
    t
}

fn big_data(bytes: usize) -> (String, usize) {
    let mut t = String::from("\"全年预算数\" = 3156.9\n\"全年执行数\" = 3151.09\n");
    let mut n = 0;
    while t.len() < bytes {
        let _ = write!(
            t,
            "[[\"绩效指标\"]]\n\"名称\" = \"指标{n}\"\n\"指标值\" = \"≥4篇\"\n\"实际完成值\" = \"{}篇\"\n\n",
            n % 7
        );
        n += 1;
    }
    (t, n)
}

fn main() {
    let seed_rules = SourceFile::new("department-overall.jx", SEED_RULES);
    let mut rows: Vec<(String, u8, Duration)> = Vec::new();
    let mut case = |name: &str, rules: SourceFile, data: Option<SourceFile>, expect: &[u8]| {
        eprintln!("running: {name}");
        let (code, took) = time(|| outcome(&rules, data.as_ref()));
        assert!(
            expect.contains(&code),
            "{name}: exit code {code}, expected one of {expect:?}"
        );
        rows.push((name.to_string(), code, took));
    };

    let name = "指".repeat(2_000_000);
    let typo = format!(
        "rulebook \"t\" {{ total 10  rating 优 >= 9, 差 }}\ninput {name}: money\nindicator x points 10 {{ score {name}x }}\n"
    );
    case(
        "2,000,000-character name, misspelt",
        SourceFile::new("n.jx", typo),
        None,
        &[3],
    );
    case(
        "rules: 20 MB, 100,000 indicators",
        SourceFile::new("big.jx", big_rules(100_000, 20_000_000, false)),
        None,
        &[0],
    );
    case(
        "rules: 20 MB, an error at the end",
        SourceFile::new("big.jx", big_rules(100_000, 20_000_000, true)),
        None,
        &[3],
    );
    let (data, records) = big_data(20_000_000);
    case(
        &format!("data: 20 MB, {records} target records, scored"),
        seed_rules.clone(),
        Some(SourceFile::new("big.toml", data)),
        &[0],
    );
    let deep = format!(
        "\"全年预算数\" = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    case(
        "data: TOML arrays 100,000 deep",
        seed_rules.clone(),
        Some(SourceFile::new("d.toml", deep)),
        &[1],
    );
    let deep = format!(
        "{{\"全年预算数\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    case(
        "data: JSON arrays 100,000 deep",
        seed_rules.clone(),
        Some(SourceFile::new("d.json", deep)),
        &[1],
    );
    let parens = format!(
        "rulebook \"t\" {{ total 1  rating 优 >= 1, 差 }}\ninput a: money\nindicator x points 1 {{ score {}a{} }}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    case(
        "rules: brackets 100,000 deep",
        SourceFile::new("p.jx", parens),
        None,
        &[3],
    );
    let sum = format!(
        "rulebook \"t\" {{ total 1  rating 优 >= 1, 差 }}\ninput a: money\nindicator x points 1 {{ score {} }}\n",
        vec!["a"; 100_000].join(" + ")
    );
    case(
        "rules: a sum of 100,000 terms",
        SourceFile::new("s.jx", sum),
        None,
        &[3],
    );
    let mut lets = String::from(
        "rulebook \"t\" { total 10  rating 优 >= 9, 差 }\ninput a: money\nlet 值0 = a\n",
    );
    for i in 1..100_000 {
        let _ = writeln!(lets, "let 值{i} = 值{} + 1", i - 1);
    }
    lets.push_str("indicator x points 10 { score 值99999 / 1000000 }\n");
    case(
        "rules: a chain of 100,000 lets, scored",
        SourceFile::new("c.jx", lets),
        Some(SourceFile::new("a.toml", "\"a\" = 1\n")),
        &[0],
    );
    // Half of 100,000 siblings do not apply and give their points to the other half.
    let mut spread =
        String::from("rulebook \"r\" { total 100000  rating 优 >= 1, 差 }\ninput 停用: yesno\n");
    for i in 0..100_000 {
        if i % 2 == 0 {
            let _ = writeln!(
                spread,
                "indicator 甲{i} points 1 {{ not applicable if not 停用 => redistribute  score points }}"
            );
        } else {
            let _ = writeln!(spread, "indicator 甲{i} points 1 {{ score points }}");
        }
    }
    case(
        "rules: 50,000 of 100,000 siblings redistribute",
        SourceFile::new("s.jx", spread),
        Some(SourceFile::new("s.toml", "\"停用\" = false\n")),
        &[0],
    );
    let junk: String = (0..20_000_000u32)
        .map(|i| char::from(b' ' + ((i.wrapping_mul(2_654_435_761) >> 7) % 95) as u8))
        .collect();
    case(
        "rules: 20 MB of ASCII junk",
        SourceFile::new("j.jx", junk),
        None,
        &[3],
    );

    // A template of 100,000 indicators, and a file that imports it and overrides half of them.
    let dir = std::env::temp_dir().join(format!("jixiao-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join("template.jx"), big_rules(100_000, 0, false));
    let mut district = String::from("import \"template.jx\"\n");
    for k in (0..100_000).step_by(2) {
        let _ = writeln!(
            district,
            "override indicator 指标{k} points 1 {{ score points }}"
        );
    }
    let _ = std::fs::write(dir.join("district.jx"), district);
    {
        let name = "imports: 50,000 overrides of a 100,000-indicator template";
        eprintln!("running: {name}");
        let (code, took) = time(|| {
            match SourceFile::read(&dir.join("district.jx"))
                .map_err(|e| pipeline::Failure::Read(Box::new(e)))
                .and_then(|rules| pipeline::check_rules(&rules))
            {
                Ok(_) => 0,
                Err(f) => f.exit_code(),
            }
        });
        assert_eq!(code, 0, "{name}");
        rows.push((name.to_string(), code, took));
    }
    let _ = std::fs::remove_dir_all(&dir);
    // One checked rule set, many departments: what batch scoring will cost per department.
    let checked = pipeline::check_rules(&seed_rules)
        .unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
    let data = SourceFile::new("data.toml", SEED_DATA);
    let dept = jixiao::data::load(&checked.rulebook, &data).unwrap_or_else(|_| panic!("seed data"));
    let runs = 20_000;
    let (_, took) = time(|| {
        for _ in 0..runs {
            black_box(jixiao::eval::evaluate(&checked.rulebook, black_box(&dept)).ok());
        }
    });

    println!("{:<50} {:>4} {:>10}", "input", "exit", "seconds");
    for (name, code, took) in &rows {
        println!("{name:<50} {code:>4} {:>10.3}", took.as_secs_f64());
    }
    println!(
        "\nevaluate the seed department (21 leaves) against checked rules: {:.1} µs each ({runs} runs)",
        took.as_secs_f64() * 1e6 / runs as f64
    );
}
