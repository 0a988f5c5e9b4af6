//! End-to-end runs of the binary: exit codes, stdout and stderr, and `--output`.

use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

mod common;
use common::jixiao;

const RULES: &str = "rules/guangzhou/department-overall.jx";
const SEED: &str = "fixtures/huadu-gov-office-2023/data.toml";

#[test]
fn check_passes_on_the_bundled_rules() {
    assert_cmd_snapshot!(jixiao().args(["check", RULES]));
}

/// A warning alone: the check passes (exit 0) and says what it noticed.
#[test]
fn check_warns_when_a_deduction_counts_otherwise_than_its_basis() {
    assert_cmd_snapshot!(jixiao().args(["check", "fixtures/whole-points/counting-mismatch.jx"]));
    assert_cmd_snapshot!(
        "check_warns_when_a_deduction_counts_otherwise_than_its_basis_en",
        jixiao()
            .args(["check", "fixtures/whole-points/counting-mismatch.jx"])
            .args(["--lang", "en"])
    );
}

#[test]
fn check_fails_with_exit_code_3() {
    assert_cmd_snapshot!(jixiao().args(["check", "fixtures/err_points_sum/rules.jx"]));
}

#[test]
fn bad_data_exits_1() {
    assert_cmd_snapshot!(jixiao().args(["score", RULES, "fixtures/err_data_missing/data.toml"]));
}

#[test]
fn usage_errors_exit_2() {
    assert_cmd_snapshot!(jixiao().args(["score", RULES]));
}

#[test]
fn missing_file_exits_1() {
    assert_cmd_snapshot!(jixiao().args(["check", "rules/no-such-file.jx"]));
    assert_cmd_snapshot!(
        "missing_file_exits_1_en",
        jixiao()
            .args(["check", "rules/no-such-file.jx"])
            .args(["--lang", "en"])
    );
}

#[test]
fn score_prints_the_seed_total_in_every_format() {
    for (format, needle) in [
        ("text", "评级  优（99.98 ≥ 90）"),
        ("json", "\"total\": \"99.98\""),
        ("markdown", "**评级：优**（99.98 分）"),
    ] {
        let out = jixiao()
            .args(["score", RULES, SEED, "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.contains(needle),
            "{format} output lacks {needle:?}:\n{stdout}"
        );
    }
}

#[test]
fn output_is_written_whole_and_not_at_all_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trace.json");
    let out = jixiao()
        .args(["score", RULES, SEED, "--format", "json", "--output"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout when --output is given"
    );
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("\"rating\": \"优\""));

    // A failing run leaves the earlier file as it was, and no temporary file behind.
    let out = jixiao()
        .args([
            "score",
            RULES,
            "fixtures/err_data_missing/data.toml",
            "--output",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn json_diagnostics_are_one_object_per_line_with_places() {
    let out = jixiao()
        .args([
            "--lang",
            "en",
            "--error-format",
            "json",
            "check",
            "fixtures/err_unknown_name/rules.jx",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    let codes: Vec<&str> = lines.iter().map(|l| l["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["jixiao::check::unused_input", "jixiao::check::unknown_name"]
    );
    let unknown = &lines[1];
    assert_eq!(unknown["severity"], "error");
    assert_eq!(unknown["file"], "fixtures/err_unknown_name/rules.jx");
    // `  score 全年执行数 / 全年预算 * points`: the name starts at the 17th character of line 8.
    assert_eq!(
        (
            unknown["at"]["line"].as_u64(),
            unknown["at"]["column"].as_u64()
        ),
        (Some(8), Some(17))
    );
    assert_eq!(unknown["help"], "did you mean `全年预算数`?");
}

#[test]
fn explain_prints_the_registry_entry_or_exits_2() {
    let out = jixiao()
        .args(["--lang", "en", "explain", "points_sum"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("## jixiao::check::points_sum\n"),
        "{stdout}"
    );
    assert!(stdout.contains("Fixture: `fixtures/err_points_sum`"));
    assert_cmd_snapshot!(jixiao().args(["explain", "points_sun"]));
}

/// `jixiao explain` speaks the language of the diagnostics: `--lang en` prints the English
/// entry as written, `--lang zh` (the default) its Chinese, with the triggering input as
/// written and the labels in Chinese.
#[test]
fn explain_prints_the_entry_in_the_language_asked_for() {
    let run = |args: &[&str]| {
        let out = jixiao().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    for code in [
        "points_sum",
        "io::read",
        "unknown_name",
        "data::number",
        "trace_clash",
    ] {
        let english = run(&["--lang", "en", "explain", code]);
        assert!(english.contains("\nTriggered by:\n"), "{code}");
        let chinese = run(&["--lang", "zh", "explain", code]);
        assert_eq!(chinese, run(&["explain", code]), "{code}");
        assert!(chinese.starts_with("## jixiao::"), "{code}: {chinese}");
        assert_eq!(chinese.lines().next(), english.lines().next(), "{code}");
        // The input that triggers the code is shown as written; the rest is Chinese.
        let mut fenced = false;
        let prose: Vec<&str> = chinese
            .lines()
            .filter(|line| {
                if line.starts_with("```") {
                    fenced = !fenced;
                    return false;
                }
                !fenced
            })
            .collect();
        common::assert_no_english(code, &prose.join("\n"));
        let block = |text: &str| {
            let start = text.find("```").unwrap();
            let end = text.rfind("```").unwrap();
            text[start..end].to_string()
        };
        assert_eq!(block(&chinese), block(&english), "{code}");
    }
    assert_cmd_snapshot!(
        "explain_zh",
        jixiao().args(["--lang", "zh", "explain", "points_sum"])
    );
    assert_cmd_snapshot!(
        "explain_zh_unknown_code",
        jixiao().args(["--lang", "zh", "explain", "points_sun"])
    );
}

#[test]
fn test_reports_a_bad_case_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("jixiao.toml"),
        "[[suite]]\nrules = \"rules.jx\"\ndata = [\"departments/*.toml\"]\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(get_cargo_bin("jixiao"))
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stderr).unwrap()
    };
    insta::assert_snapshot!(run(&["test"]));
    insta::assert_snapshot!("reports_a_bad_case_file_en", run(&["test", "--lang", "en"]));
}

#[test]
fn diff_of_a_department_that_cannot_be_scored_is_an_error_not_a_change() {
    // The same rules on both sides: a department whose data divides by zero has not changed,
    // it has failed, and so has the run.
    assert_cmd_snapshot!(jixiao().args([
        "diff",
        RULES,
        RULES,
        "fixtures/err_eval_division_by_zero/data.toml",
        SEED
    ]));
}

/// 复核: a self-reported score that differs is a finding (exit 0), unless the run is asked to
/// fail on it (exit 4, with one line saying what was found, in the run's language).
#[test]
fn a_difference_fails_the_run_only_when_asked() {
    let rules = "rules/national/project-self-evaluation.jx";
    let form = "fixtures/project-form/data.toml";
    let out = jixiao().args(["score", rules, form]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    for (lang, says) in [
        (
            "zh",
            "复核：1 处自评得分与复核得分不同，自评总分 98.50 而复核总分 96.95",
        ),
        (
            "en",
            "review: 1 reported score(s) differ from the computed ones; the reported total is 98.50, the computed one 96.95",
        ),
    ] {
        let out = jixiao()
            .args(["score", rules, form, "--fail-on-difference", "--lang", lang])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(4), "{lang}");
        // The report is still written whole.
        assert!(String::from_utf8_lossy(&out.stdout).contains("96.95"));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{lang}"
        );
    }
    // A form whose reported scores all agree passes.
    let agree = "fixtures/form-guichi-tangxi-village-2022/data.toml";
    let out = jixiao()
        .args(["score", rules, agree, "--fail-on-difference"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// `fmt --check` lists what it would change and says how many, in the language asked for.
#[test]
fn fmt_check_speaks_the_language_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let rules = std::fs::read_to_string(RULES).unwrap();
    std::fs::write(dir.path().join("规则.jx"), rules.replace("\n", "\n\n\n")).unwrap();
    for (name, lang) in [
        ("fmt_check_speaks_the_language_asked_for", "zh"),
        ("fmt_check_speaks_the_language_asked_for_en", "en"),
    ] {
        let mut cmd = jixiao();
        cmd.current_dir(dir.path())
            .args(["fmt", "--check", "规则.jx", "--lang", lang]);
        assert_cmd_snapshot!(name, cmd);
    }
}

/// A record's field under two of its names is said to be one field, not one name written twice;
/// a synonym of a field's name is read as that field.
#[test]
fn a_field_under_two_names_is_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.json");
    let record = |extra: &str| {
        format!(
            "{{\"全年预算数\": 100, \"全年执行数\": 100, \"绩效指标\": [{{\"名称\": \"甲\", \"指标值\": \"≥4篇\", \"实际完成值\": \"4篇\"{extra}}}]}}"
        )
    };
    std::fs::write(&data, record(", \"得分\": 90, \"自评得分\": 90")).unwrap();
    let out = jixiao().args(["score", RULES]).arg(&data).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("`自评得分` 与 `得分` 是同一个字段"), "{err}");
    std::fs::write(&data, record(", \"偏离原因\": \"无\"")).unwrap();
    let out = jixiao().args(["score", RULES]).arg(&data).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
