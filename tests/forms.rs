//! Forms through the whole pipeline: `jixiao score RULES form.xlsx` and its CSV export score as
//! the same data written as TOML does, and the form's warnings are printed.
//!
//! The `err_form_…` fixtures that must be workbooks (a number format, merged cells) are made
//! here too, with rust_xlsxwriter, so that they can be reviewed and rebuilt: each test builds
//! its workbook and requires the file under fixtures/ to be exactly it. A fixture that differs
//! (or is missing) is written anew and the test fails once, so the new bytes are looked at and
//! committed. The snapshot of each fixture's diagnostics is taken by tests/fixtures.rs.

mod common;

use std::path::Path;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// Requires `fixtures/<path>` to hold `bytes`, writing them when it does not.
fn require(path: &str, bytes: &[u8]) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path);
    if std::fs::read(&file).ok().as_deref() == Some(bytes) {
        return;
    }
    std::fs::write(&file, bytes).unwrap();
    panic!("fixtures/{path} was out of date and has been written anew: look at it and commit it");
}

/// The national 项目支出绩效自评表's header and funds block, as the template lays it out:
/// a merged title, the year row, 项目名称 merged across, 项目资金（万元） merged down.
fn national_head(ws: &mut Worksheet, budget: f64) -> Result<(), XlsxError> {
    let plain = Format::new();
    let two = Format::new().set_num_format("0.00");
    let pct = Format::new().set_num_format("0.00%");
    ws.merge_range(0, 0, 0, 7, "项目支出绩效自评表", &plain)?;
    ws.merge_range(1, 0, 1, 7, "（ 2023年度 ）", &plain)?;
    ws.write(2, 0, "项目名称")?;
    ws.merge_range(2, 1, 2, 7, "XX培训项目", &plain)?;
    ws.merge_range(3, 0, 4, 0, "项目资金（万元）", &plain)?;
    ws.write(3, 2, "全年预算数（A）")?;
    ws.write(3, 3, "全年执行数（B）")?;
    ws.write(3, 4, "执行率（B/A）")?;
    ws.write(4, 1, "年度资金总额")?;
    ws.write_number_with_format(4, 2, budget, &two)?;
    ws.write_number_with_format(4, 3, 3151.09, &two)?;
    ws.write_number_with_format(4, 4, 0.9982, &pct)?;
    Ok(())
}

/// A 全年预算数 of 3156.904 in a cell formatted `0.00` (shown 3156.90), and an indicator row
/// whose 分值 is "/": the warning comes with the error that stops the form.
#[test]
fn err_form_hidden_digits() {
    let mut book = jixiao::report::xlsx::workbook().unwrap();
    let ws = book.add_worksheet().set_name("自评表").unwrap();
    national_head(ws, 3156.904).unwrap();
    let plain = Format::new();
    ws.merge_range(6, 0, 8, 0, "绩效指标", &plain).unwrap();
    for (c, h) in ["一级指标", "三级指标", "年度指标值", "实际完成值", "分值"]
        .iter()
        .enumerate()
    {
        ws.write(6, 1 + c as u16, *h).unwrap();
    }
    ws.merge_range(7, 1, 8, 1, "产出指标", &plain).unwrap();
    ws.write(7, 2, "指标1：培训人次").unwrap();
    ws.write(7, 3, "≥500人次").unwrap();
    ws.write(7, 4, "520人次").unwrap();
    ws.write_number(7, 5, 45).unwrap();
    ws.write(8, 2, "指标2：课程数").unwrap();
    ws.write(8, 3, "≥10门").unwrap();
    ws.write(8, 4, "9门").unwrap();
    ws.write(8, 5, "/").unwrap();
    book.add_worksheet().set_name("Sheet2").unwrap();
    require(
        "err_form_hidden_digits/form.xlsx",
        &book.save_to_buffer().unwrap(),
    );
}

/// The rules of the err_form_ fixtures: 预算执行率 10, 产出指标 90 split by 分值.
const RULES: &str = "fixtures/err_form_no_points/rules.jx";

/// A national form with only the cells today's inputs read: 项目名称, the funds total's
/// 全年预算数 / 全年执行数, and two indicator rows (one merged level over both).
fn scoring_xlsx(budget: f64) -> Vec<u8> {
    let mut book = jixiao::report::xlsx::workbook().unwrap();
    let ws = book.add_worksheet().set_name("自评表").unwrap();
    let plain = Format::new();
    let two = Format::new().set_num_format("#,##0.00");
    ws.merge_range(0, 0, 0, 5, "项目支出绩效自评表（2023年度）", &plain)
        .unwrap();
    ws.write(2, 0, "项目名称").unwrap();
    ws.merge_range(2, 1, 2, 5, "XX培训项目", &plain).unwrap();
    ws.merge_range(3, 0, 4, 0, "项目资金（万元）", &plain)
        .unwrap();
    ws.write(3, 2, "全年预算数").unwrap();
    ws.write(3, 3, "全年执行数").unwrap();
    ws.write(4, 1, "年度资金总额").unwrap();
    ws.write_number_with_format(4, 2, budget, &two).unwrap();
    ws.write(4, 3, " 3151.09 ").unwrap();
    ws.merge_range(6, 0, 8, 0, "绩效指标", &plain).unwrap();
    for (c, h) in ["三级指标", "年 度 指 标 值", "实际完成值", "分值（权重）"]
        .iter()
        .enumerate()
    {
        ws.write(6, 1 + c as u16, *h).unwrap();
    }
    ws.write(7, 1, "指标1：培训人次").unwrap();
    ws.write(7, 2, "≥500人次").unwrap();
    ws.write(7, 3, "520人次").unwrap();
    ws.write_number(7, 4, 45).unwrap();
    ws.write(8, 1, "指标2：课程数").unwrap();
    ws.write(8, 2, "≥10门").unwrap();
    ws.write(8, 3, "9门").unwrap();
    ws.write(8, 4, "45").unwrap();
    book.save_to_buffer().unwrap()
}

const SCORING_TOML: &str = r#""部门" = "XX培训项目"
"年度" = 2023
"全年预算数" = 3156.9
"全年执行数" = 3151.09

[["绩效指标"]]
"名称" = "培训人次"
"指标值" = "≥500人次"
"实际完成值" = "520人次"
"分值" = 45

[["绩效指标"]]
"名称" = "课程数"
"指标值" = "≥10门"
"实际完成值" = "9门"
"分值" = 45
"#;

/// The JSON trace without what names the data file (its name and digest).
fn total_of(json: &str) -> (String, String, Vec<String>) {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let scores = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("{} {}", i["name"], i["score"]))
        .collect();
    (v["total"].to_string(), v["rating"].to_string(), scores)
}

#[test]
fn an_xlsx_form_scores_as_its_toml_does() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("自评表.xlsx");
    std::fs::write(&form, scoring_xlsx(3156.9)).unwrap();
    let toml = dir.path().join("data.toml");
    std::fs::write(&toml, SCORING_TOML).unwrap();
    let run = |data: &Path| {
        let out = common::jixiao()
            .args(["score", RULES])
            .arg(data)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let json = run(&form);
    let from_form = total_of(&json);
    assert_eq!(from_form, total_of(&run(&toml)));
    // The trace names the form by its file's digest, not by the digest of the cells read.
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let digest = {
        use sha2::Digest;
        let hash = sha2::Sha256::digest(std::fs::read(&form).unwrap());
        hash.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    assert_eq!(v["data"]["sha256"], digest.as_str());
    assert_eq!(from_form.0, "\"95.48\"");
}

#[test]
fn a_form_warning_is_printed_and_the_form_scores() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("自评表.xlsx");
    std::fs::write(&form, scoring_xlsx(3156.904)).unwrap();
    let out = common::jixiao()
        .args(["score", RULES])
        .arg(&form)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("jixiao::form::hidden_digits"), "{stderr}");
    assert!(stderr.contains("自评表!C5"), "{stderr}");
    assert!(String::from_utf8(out.stdout).unwrap().contains("3156.904"));
}

#[test]
fn a_data_error_in_a_form_names_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("自评表.csv");
    std::fs::write(
        &form,
        "项目名称,XX培训项目,,,\n项目资金（万元）,,全年预算数,全年执行数,\n,年度资金总额,3156.9,三千,\n\
         绩效指标,三级指标,年度指标值,实际完成值,分值\n,培训人次,≥500人次,520人次,90\n",
    )
    .unwrap();
    let out = common::jixiao()
        .args(["score", RULES])
        .arg(&form)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("自评表!D3  全年执行数  三千"), "{stderr}");
}

#[test]
fn a_folder_of_forms_scores_in_a_batch_and_a_failure_names_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.xlsx"), scoring_xlsx(3156.9)).unwrap();
    std::fs::write(
        dir.path().join("b.csv"),
        "项目名称,YY项目,,,\n项目资金（万元）,,全年预算数,全年执行数,\n,年度资金总额,3156.9,三千,\n\
         绩效指标,三级指标,年度指标值,实际完成值,分值\n,培训人次,≥500人次,520人次,90\n",
    )
    .unwrap();
    let out = common::jixiao()
        .args(["batch", RULES])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("XX培训项目") && stdout.contains("95.48"),
        "{stdout}"
    );
    assert!(stdout.contains("b!D3"), "{stdout}");
}

/// A JSON trace without what names where the data came from (its file, lines and digest).
fn without_places(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for key in ["file", "line", "cell", "sha256", "path"] {
                map.remove(key);
            }
            map.values_mut().for_each(without_places);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_places),
        _ => {}
    }
}

/// Every published form under fixtures/form-*: its workbook and its CSV export give the trace
/// its data.toml gives, total, rating, 复核 and every step.
#[test]
fn every_published_form_scores_as_its_data_file() {
    use jixiao::report::{self, Format, Lang};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("form-")
        })
        .collect();
    dirs.sort();
    for dir in dirs {
        let case = common::case(&dir.join("case.toml"));
        let json = |trace: &jixiao::trace::Trace| {
            let mut v: serde_json::Value =
                serde_json::from_str(&report::render(trace, Format::Json, Lang::Zh)).unwrap();
            without_places(&mut v);
            v
        };
        let expected = json(&case.trace());
        let rules = jixiao::pipeline::read(&case.rules).unwrap();
        for form in ["form.xlsx", "form.csv"] {
            let path = dir.join(form);
            if !path.exists() {
                continue;
            }
            let (name, bytes) = jixiao::pipeline::read_bytes(&path).unwrap();
            let (scored, read) = jixiao::pipeline::score_form(&rules, &name, &bytes, &mut |p| {
                jixiao::SourceFile::read(p)
            })
            .unwrap_or_else(|f| panic!("{name}:\n{}", f.render(jixiao::diagnostics::Style::Plain)));
            assert!(read.warnings.is_empty(), "{name}: {:?}", read.warnings);
            assert_eq!(json(&scored.trace), expected, "{name}");
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} forms");
}

/// A rules repository whose cases are the forms themselves: `jixiao test` scores a case whose
/// data is a workbook, and `jixiao diff` compares rule versions over it.
#[test]
fn test_and_diff_read_a_form_as_a_case() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("c1");
    std::fs::create_dir(&case).unwrap();
    std::fs::copy(
        "fixtures/form-guichi-tangxi-commission-2022/form.xlsx",
        case.join("form.xlsx"),
    )
    .unwrap();
    let rules = std::fs::canonicalize("rules/national/project-self-evaluation.jx").unwrap();
    std::fs::write(
        case.join("case.toml"),
        format!(
            "rules = {:?}\ndata = \"form.xlsx\"\nexpect = \"100 优\"\n",
            rules.display()
        ),
    )
    .unwrap();
    let test = |accept: bool| {
        let mut cmd = common::jixiao();
        cmd.current_dir(dir.path()).args(["test", "."]);
        if accept {
            cmd.arg("--accept");
        }
        cmd.output().unwrap()
    };
    assert!(test(true).status.success());
    let again = test(false);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let stored = std::fs::read_to_string(case.join("form.trace.txt")).unwrap();
    assert!(stored.contains("复核发现 1 处得分差异"), "{stored}");

    let diff = common::jixiao()
        .args(["diff"])
        .arg(&rules)
        .arg(&rules)
        .arg(case.join("form.xlsx"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&diff.stdout);
    assert!(diff.status.success(), "{out}");
    assert!(out.contains("未变化：form.xlsx"), "{out}");
}
