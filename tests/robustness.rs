//! Input shaped to crash a recursive parser or checker ends in a diagnostic instead. These run
//! on the test harness's 2 MiB threads, a smaller stack than the binary's main thread has.

use jixiao::diagnostics::Style;
use jixiao::pipeline::{self, Failure};
use jixiao::source::SourceFile;

fn rules_with_score(expr: &str) -> SourceFile {
    SourceFile::new(
        "deep.jx",
        format!(
            "rulebook \"t\" {{ total 10  rating 优 >= 9, 差 }}\ninput a: money\nindicator x points 10 {{ score {expr} }}\n"
        ),
    )
}

/// The run fails with exit code 3 and the given diagnostic code.
fn assert_refused(source: &SourceFile, code: &str) {
    match pipeline::check_rules(source) {
        Ok(_) => panic!("expected {code}, but the rules passed"),
        Err(failure @ Failure::Syntax(..)) | Err(failure @ Failure::Check(..)) => {
            assert_eq!(failure.exit_code(), 3);
            let rendered = failure.render(Style::Plain);
            assert!(rendered.contains(code), "expected {code}, got:\n{rendered}");
        }
        Err(other) => panic!("unexpected failure: {}", other.render(Style::Plain)),
    }
}

#[test]
fn a_sum_of_100_000_terms_is_refused_not_overflowed() {
    let expr = vec!["a"; 100_000].join(" + ");
    assert_refused(&rules_with_score(&expr), "jixiao::syntax::expr_too_deep");
}

#[test]
fn long_prefix_chains_are_refused() {
    assert_refused(
        &rules_with_score(&format!("{}a", "- ".repeat(100_000))),
        "expr_too_deep",
    );
    assert_refused(
        &rules_with_score(&format!("{}true", "not ".repeat(100_000))),
        "expr_too_deep",
    );
}

#[test]
fn brackets_100_000_deep_are_refused() {
    let expr = format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_refused(&rules_with_score(&expr), "jixiao::syntax::too_deep");
    let braces = format!(
        "{}{}",
        "indicator x points 1 {".repeat(100_000),
        "}".repeat(100_000)
    );
    assert_refused(
        &SourceFile::new("deep.jx", braces),
        "jixiao::syntax::too_deep",
    );
}

#[test]
fn a_deep_but_reasonable_expression_still_scores() {
    // 60 terms: deeper than any real 评分标准, just within the limit of 64.
    let expr = format!("({}) / 60 * points", vec!["a"; 60].join(" + "));
    let rules = rules_with_score(&expr);
    let data = SourceFile::new("d.toml", "\"a\" = 0.95\n");
    let (_, trace) =
        pipeline::score(&rules, &data).unwrap_or_else(|f| panic!("{}", f.render(Style::Plain)));
    assert_eq!(trace.total.0.to_string(), "9.50");
}

#[test]
fn points_beyond_any_table_are_refused_before_a_sum_can_overflow() {
    let max = rust_decimal::Decimal::MAX;
    let source = SourceFile::new(
        "big.jx",
        format!(
            "rulebook \"t\" {{ total {max}  rating 优 >= 9, 差 }}\ninput a: money\n\
             indicator x points {max} {{ score a }}\nindicator y points {max} {{ score a }}\n"
        ),
    );
    assert_refused(&source, "jixiao::check::points_range");
}
