//! `cargo bench --bench check`: checking a large rule file, from its text to the checked model
//! (issue 11, part 6: 10,000 indicators in ≤ 50 ms, 100,000 in ≤ 0.5 s and ≤ 100 MB).
//!
//! The generated file repeats the shape of the Guangzhou management rules: a group of nine
//! leaves (a `let` and a `score`, a `category`, two `checklist`s, one with a veto, `tiers` under
//! `not applicable`, two deductions, `tiers`, a plain `score`), each with its `basis`, and a
//! comment now and then. `parse` is the syntax stage alone; `check` is the whole of
//! `pipeline::check_rules`, as `jixiao check` runs it.
//!
//! Peak memory is measured on the release binary: `JIXIAO_BENCH_WRITE=/tmp cargo bench --bench
//! check` also writes the files (`check-10000.jx`, `check-100000.jx`), then
//! `/usr/bin/time -v target/release/jixiao check /tmp/check-100000.jx` ("Maximum resident set
//! size").

use std::fmt::Write as _;
use std::hint::black_box;

use jixiao::source::SourceFile;

// The binary's allocator, so that the bench measures `jixiao check` as it runs.
#[global_allocator]
static ALLOCATOR: jixiao::alloc::Allocator = jixiao::alloc::Allocator;

fn main() {
    if let Some(dir) = std::env::var_os("JIXIAO_BENCH_WRITE") {
        for n in SIZES {
            let path = std::path::Path::new(&dir).join(format!("check-{n}.jx"));
            std::fs::write(&path, rules(n)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
    divan::main();
}

const SIZES: [usize; 2] = [10_000, 100_000];

const HEADER: &str = r#"// A generated rule file: groups of nine leaves in the shape of the Guangzhou management rules.
input 全年预算数: money
input 全年执行数: money
input 年初预算数: money
input 调剂金额: money
input 结余情况: one of "无结余", "有结余但不超过上年结转", "超过上年结转"
input 预算是否公开: yesno
input 决算是否公开: yesno
input 公开是否及时: yesno
input 是否设定绩效目标: yesno
input 是否开展绩效监控: yesno
input 政府采购实际金额: money
input 政府采购计划金额: money
input 资产问题: list of finding
input 三公经费支出数: money
input 三公经费预算数: money
"#;

/// A rule file of `n` indicators (`n` a multiple of ten): `n / 10` groups of 30 points.
fn rules(n: usize) -> String {
    let groups = n / 10;
    let mut t = format!(
        "rulebook \"生成的评分表\" {{\n  total {}\n  round half_up 2 each indicator\n  rating 优 >= 90%, 良 >= 80%, 中 >= 60%, 差\n}}\n\n{HEADER}",
        groups * 30
    );
    for g in 0..groups {
        let _ = write!(
            t,
            r#"
/// 第{g}组：管理效率的九项指标。
indicator 管理效率{g} points 30 {{
  indicator 预算执行率{g} points 4 {{
    basis "预算执行率 = 全年执行数 ÷ 全年预算数；得分 = 预算执行率 × 分值，满分为止"
    let 执行率{g} = 全年执行数 / 全年预算数
    score if 执行率{g} > 1 then points else 执行率{g} * points
  }}
  indicator 结转结余{g} points 3 {{
    basis "无结余得3分；有结余但不超过上年结转得2分；超过上年结转不得分"
    category 结余情况 {{
      "无结余"                 => points
      "有结余但不超过上年结转" => 2
      "超过上年结转"           => 0
    }}
  }}
  indicator 预决算公开{g} points 4 {{
    basis "公开预算得1.5分；公开决算得1.5分；按时公开得1分"
    checklist {{
      预算是否公开                  => 1.5
      决算是否公开                  => 1.5
      预算是否公开 and 公开是否及时 => 1
    }}
  }}
  indicator 绩效管理{g} points 4 {{
    basis "设定绩效目标得2分；开展绩效监控得2分；未设置绩效目标，该栏不得分"
    checklist {{
      是否设定绩效目标 => 2
      是否开展绩效监控 => 2
      veto not 是否设定绩效目标 "未设置绩效目标，该栏不得分"
    }}
  }}
  indicator 政府采购执行率{g} points 3 {{
    basis "执行率≥95%得3分；85%（含）-95%得2分；75%（含）-85%得1分；75%以下不得分"
    not applicable if 政府采购计划金额 == 0 => redistribute
    let 采购执行率{g} = 政府采购实际金额 / 政府采购计划金额
    tiers 采购执行率{g} {{
      >= 95%      => points
      85%(含)-95% => 2
      75%(含)-85% => 1
      < 75%       => 0
    }}
  }}
  indicator 资产管理{g} points 4 {{
    basis "资产管理发现问题每例扣1分，扣完为止"
    deduct 1 per 资产问题
  }}
  indicator 三公经费控制率{g} points 3 {{
    basis "控制率≤100%得满分；每超过一个百分点扣1分（不足一个百分点按一个计），扣完为止"
    let 三公控制率{g} = 三公经费支出数 / 三公经费预算数
    deduct 1 per started 1% above 100% of 三公控制率{g}
  }}
  indicator 预算调整率{g} points 3 {{
    basis "调整率不超过5%得满分；5%-10%（含）得1分；超过10%不得分"
    tiers 调剂金额 / 年初预算数 {{
      <= 5%       => points
      5%-10%(含)  => 1
      > 10%       => 0
    }}
  }}
  indicator 公开及时{g} points 2 {{ // 按时公开的得满分
    basis "按时公开得2分"
    score if 公开是否及时 then points else 0
  }}
}}
"#
        );
    }
    t
}

fn source(n: usize) -> SourceFile {
    SourceFile::new(format!("check-{n}.jx"), rules(n))
}

/// The syntax stage alone: text to AST.
#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn parse(bencher: divan::Bencher, n: usize) {
    let src = source(n);
    bencher
        .counter(divan::counter::BytesCount::new(src.text().len()))
        .bench_local(|| black_box(jixiao::syntax::parse(black_box(&src)).is_ok()));
}

/// `jixiao check` without the printing: text to checked model, imports and warnings included.
#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn check(bencher: divan::Bencher, n: usize) {
    let src = source(n);
    assert!(
        jixiao::pipeline::check_rules(&src).is_ok(),
        "the generated file checks"
    );
    bencher
        .counter(divan::counter::BytesCount::new(src.text().len()))
        .bench_local(|| black_box(jixiao::pipeline::check_rules(black_box(&src)).is_ok()));
}
