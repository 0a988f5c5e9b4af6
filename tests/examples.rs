//! The example rules repository (`examples/guangzhou-district`) as its auditors would use it:
//! its CI script passes, and a rule change fails `jixiao test` with a readable diff until the
//! new traces are accepted.

use std::path::{Path, PathBuf};
use std::process::Command;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/guangzhou-district");

/// `jixiao` on PATH, as the example's CI script expects.
fn path_with_jixiao() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_jixiao"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

/// The binary in `dir`; `jixiao test` speaks English here, as these tests read its lines (its
/// Chinese, the default, is pinned in tests/cli.rs and docs/ci.md).
fn jixiao(dir: &Path, args: &[&str]) -> (i32, String) {
    let english: &[&str] = if args.first() == Some(&"test") {
        &["--lang", "en"]
    } else {
        &[]
    };
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(english)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    (out.status.code().unwrap_or(-1), text)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    copy_dir(Path::new(EXAMPLE), &dir);
    // What a run may have left in the example folder is not part of it.
    let _ = std::fs::remove_dir_all(dir.join("target"));
    (tmp, dir)
}

#[test]
fn the_example_ci_script_passes() {
    let (_tmp, dir) = example_copy();
    let out = Command::new("bash")
        .arg("ci/check.sh")
        .current_dir(&dir)
        .env("PATH", path_with_jixiao())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ci/check.sh failed:\n{text}");
    assert!(text.contains("通过 2 个，失败 0 个"), "{text}");
    let junit = std::fs::read_to_string(dir.join("target/junit.xml")).unwrap();
    assert!(junit.contains("tests=\"2\" failures=\"0\""), "{junit}");
    assert!(
        junit.contains("<testcase name=\"departments/huadu-gov-office-2023.toml\""),
        "{junit}"
    );
}

#[test]
fn a_rule_change_fails_with_a_diff_until_accepted() {
    let (_tmp, dir) = example_copy();
    let rules = dir.join("rules/department-overall.jx");
    let text = std::fs::read_to_string(&rules).unwrap();
    // A stricter 良: the seed department keeps 99.98 优 (its expectation), the other
    // department's 83.60 falls from 良 to 中.
    std::fs::write(&rules, text.replace("良 >= 80", "良 >= 85")).unwrap();

    let (code, out) = jixiao(&dir, &["test", "--junit", "junit.xml"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAILED    departments/example-district-bureau-2023.json"),
        "{out}"
    );
    assert!(out.contains("-评级  良（83.60 ≥ 80）"), "{out}");
    assert!(out.contains("+评级  中（83.60 ≥ 60）"), "{out}");
    assert!(
        out.contains("ok        departments/huadu-gov-office-2023.toml"),
        "{out}"
    );
    assert!(out.contains("1 passed, 1 failed"), "{out}");
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(
        junit.contains("failures=\"1\"")
            && junit.contains("<failure message=\"the trace changed\">"),
        "{junit}"
    );

    let (code, out) = jixiao(&dir, &["test", "--accept"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("accepted  departments/example-district-bureau-2023.json"),
        "{out}"
    );
    let (code, out) = jixiao(&dir, &["test"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2 passed, 0 failed"), "{out}");
}

#[test]
fn a_broken_expectation_fails_even_when_accepting() {
    let (_tmp, dir) = example_copy();
    let suite = dir.join("jixiao.toml");
    let text = std::fs::read_to_string(&suite).unwrap();
    std::fs::write(&suite, text.replace("\"99.98 优\"", "\"99.99 优\"")).unwrap();
    for args in [&["test"][..], &["test", "--accept"][..]] {
        let (code, out) = jixiao(&dir, args);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("expected 99.99 优, got 99.98 优"), "{out}");
    }
}

#[test]
fn accept_does_not_store_a_trace_that_breaks_the_expectation_and_says_so() {
    let (_tmp, dir) = example_copy();
    let rules = dir.join("rules/department-overall.jx");
    let text = std::fs::read_to_string(&rules).unwrap();
    // The seed department now scores 100, against its `expect = "99.98 优"`.
    std::fs::write(
        &rules,
        text.replace(
            "  score 执行率 * points",
            "  score round(执行率, 2) * points",
        ),
    )
    .unwrap();
    let stored = dir.join("departments/huadu-gov-office-2023.trace.txt");
    let before = std::fs::read_to_string(&stored).unwrap();
    let (code, out) = jixiao(&dir, &["test", "--accept"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("expected 99.98 优, got 100 优"), "{out}");
    assert!(
        out.contains(
            "not accepted: departments/huadu-gov-office-2023.trace.txt was left as it was"
        ),
        "{out}"
    );
    assert!(
        out.contains("+评级  优（100.00 ≥ 90）"),
        "the change is shown:\n{out}"
    );
    assert_eq!(std::fs::read_to_string(&stored).unwrap(), before);
    // The department whose expectation holds was accepted.
    assert!(
        out.contains("accepted  departments/example-district-bureau-2023.json"),
        "{out}"
    );
}

#[test]
fn a_new_department_is_reported_as_new_not_passed() {
    let (_tmp, dir) = example_copy();
    std::fs::copy(
        dir.join("departments/huadu-gov-office-2023.toml"),
        dir.join("departments/another-2023.toml"),
    )
    .unwrap();
    let (code, out) = jixiao(&dir, &["test"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("new       departments/another-2023.toml"),
        "{out}"
    );
    assert!(out.contains("2 passed, 1 failed"), "{out}");
}

#[test]
fn diff_shows_each_department_and_indicator_that_changed() {
    let (_tmp, dir) = example_copy();
    let rules = dir.join("rules/department-overall.jx");
    std::fs::copy(&rules, dir.join("old.jx")).unwrap();
    let text = std::fs::read_to_string(&rules).unwrap();
    let changed = text
        .replace(
            "  score 执行率 * points",
            "  score round(执行率, 2) * points",
        )
        .replace("良 >= 80", "良 >= 85");
    std::fs::write(&rules, changed).unwrap();

    let (code, out) = jixiao(&dir, &["diff", "old.jx", "rules/department-overall.jx"]);
    assert_eq!(code, 0, "{out}");
    for needle in [
        "规则  old.jx → rules/department-overall.jx",
        "  合计  83.60 → 83.57（−0.03）  评级  良 → 中",
        "  预算执行率  7.53 → 7.50",
        "    - 舍入  四舍五入（2 位小数）7.528007… → 7.53",
        "    + 得分  round(执行率, 2) × 分值 = round(0.7528007…, 2) × 10 = 7.5",
        "  合计  99.98 → 100.00（+0.02）  评级  优 → 优",
        "汇总  2 个部门中 2 个有变化，1 个评级有变化",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }

    let (_, md) = jixiao(
        &dir,
        &[
            "diff",
            "old.jx",
            "rules/department-overall.jx",
            "--format",
            "markdown",
        ],
    );
    assert!(
        md.contains("| 83.60 | 83.57 | −0.03 | 良 | **中** |"),
        "{md}"
    );
    assert!(md.contains("```diff\n- 得分  执行率 × 分值"), "{md}");

    let (_, json) = jixiao(
        &dir,
        &[
            "diff",
            "old.jx",
            "rules/department-overall.jx",
            "--format",
            "json",
        ],
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema"], "jixiao.diff/2");
    assert_eq!(value["rating_changed"], 1);
    assert_eq!(value["departments"][0]["new"]["total"], "83.57");
}

#[test]
fn diff_compares_git_revisions() {
    let (_tmp, dir) = example_copy();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.name=审计", "-c", "user.email=audit@example.org"])
            .args(args)
            .current_dir(&dir)
            // The machine's git settings (signed commits, hooks) are not the test's.
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "规则初版"]);
    let rules = dir.join("rules/department-overall.jx");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(&rules, text.replace("良 >= 80", "良 >= 85")).unwrap();
    git(&["commit", "-qam", "提高良的分数线"]);

    let (code, out) = jixiao(&dir, &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("规则  HEAD~1:rules/department-overall.jx → HEAD:rules/department-overall.jx"),
        "{out}"
    );
    assert!(
        out.contains("  合计  83.60 → 83.60  评级  良 → 中"),
        "{out}"
    );
    assert!(
        out.contains("未变化：departments/huadu-gov-office-2023.toml"),
        "{out}"
    );
    let (code, out) = jixiao(
        &dir,
        &[
            "diff",
            "HEAD~1:rules/department-overall.jx",
            "rules/department-overall.jx",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("评级  良 → 中"), "{out}");
    let (code, out) = jixiao(
        &dir,
        &[
            "diff",
            "nosuchrev:rules/department-overall.jx",
            "rules/department-overall.jx",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("jixiao::io::read"), "{out}");
}

#[test]
fn coverage_names_what_no_department_reaches() {
    let (_tmp, dir) = example_copy();
    let (code, out) = jixiao(&dir, &["test", "--coverage"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("coverage of rules/department-overall.jx: 2 never reached by any case"),
        "{out}"
    );
    assert!(
        out.contains(
            "rules/department-overall.jx:24  `预算执行率` never reaches its cap (满分为止)"
        ),
        "{out}"
    );
    // A department that spends more than its budget reaches the cap, and the gap closes.
    std::fs::write(
        dir.join("departments/overspent-2023.toml"),
        "\"全年预算数\" = 100\n\"全年执行数\" = 120\n\n[[\"绩效指标\"]]\n\"名称\" = \"调研报告数量\"\n\"指标值\" = \"≥4篇\"\n\"实际完成值\" = \"4篇\"\n",
    )
    .unwrap();
    let (_, out) = jixiao(&dir, &["test", "--coverage", "--accept"]);
    assert!(
        out.contains("coverage of rules/department-overall.jx: 1 never reached by any case"),
        "{out}"
    );
    assert!(!out.contains("never reaches its cap"), "{out}");
}

#[test]
fn diff_says_when_the_new_rules_cannot_score_a_department() {
    let (_tmp, dir) = example_copy();
    let rules = dir.join("rules/department-overall.jx");
    std::fs::copy(&rules, dir.join("old.jx")).unwrap();
    let text = std::fs::read_to_string(&rules).unwrap();
    let changed = text
        .replace(
            "input 全年执行数: money",
            "input 全年执行数: money\ninput 年初预算数: money",
        )
        .replace(
            "  score 执行率 * points",
            "  score 执行率 * points + 年初预算数 * 0",
        );
    std::fs::write(&rules, changed).unwrap();
    let (code, out) = jixiao(&dir, &["diff", "old.jx", "rules/department-overall.jx"]);
    // A department the new rules cannot score is an error row, and the run fails.
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("  合计  99.98 → —  评级  优 → —"), "{out}");
    assert!(
        out.contains("  新规则无法计分：× 数据中没有 `年初预算数`（jixiao::data::missing）"),
        "{out}"
    );
}

#[test]
fn coverage_names_unreached_tiers_arms_items_vetoes_and_deductions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_, out) = jixiao(
        root,
        &[
            "test",
            "--coverage",
            "fixtures/tiers",
            "fixtures/categories",
            "fixtures/checklist",
            "fixtures/deductions",
        ],
    );
    for needle in [
        "fixtures/tiers/rules.jx:17  tier `>= 95%` of `预算执行率` is never reached",
        "category \"无结余\" of `结转结余` is never reached",
        "checklist item `是否设定绩效目标` of `绩效管理` never holds",
        "`人员控制` never reaches its floor (扣完为止)",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    // Reached parts are not listed: the veto applied, the 90%(含)-95% tier was hit.
    assert!(
        !out.contains("veto `not 是否设定绩效目标` of `绩效管理` never applies"),
        "{out}"
    );
    assert!(!out.contains("tier `90%(含)-95%` of `预算执行率`"), "{out}");
}
