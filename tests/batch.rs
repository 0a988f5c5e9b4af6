//! `jixiao batch`: JSON Lines with good and bad lines, folders, CSV tables wide and long, the
//! summary in each format, traces, `--fail-fast`, and output that does not depend on the number
//! of threads. The inputs are files under tests/cases/batch.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;

mod common;
use common::jixiao;

const RULES: &str = "rules/guangzhou/department-overall.jx";
const CASES: &str = "tests/cases/batch";

fn case(name: &str) -> String {
    format!("{CASES}/{name}")
}

/// Every good line is scored, every bad one reported with its line number; exit 1.
#[test]
fn json_lines_with_bad_lines() {
    assert_cmd_snapshot!(jixiao().args(["batch", RULES, &case("departments.jsonl")]));
}

#[test]
fn english_heads_and_a_folder_with_json_lines() {
    assert_cmd_snapshot!(jixiao().args([
        "batch",
        RULES,
        &case("folder"),
        &case("good.jsonl"),
        "--lang",
        "en"
    ]));
}

#[test]
fn csv_wide_and_long() {
    assert_cmd_snapshot!(jixiao().args([
        "batch",
        RULES,
        &case("departments.csv"),
        "--targets",
        &case("targets.csv")
    ]));
}

/// Tables as Excel and WPS save "CSV UTF-8": a byte-order mark, CRLF line ends, and a cell
/// holding a line break. A department's place is its row as the spreadsheet shows it.
#[test]
fn csv_saved_by_a_spreadsheet_keeps_its_row_numbers() {
    assert_cmd_snapshot!(jixiao().args([
        "batch",
        RULES,
        &case("excel-departments.csv"),
        "--targets",
        &case("excel-targets.csv")
    ]));
}

#[test]
fn target_rows_of_no_department_are_an_error() {
    assert_cmd_snapshot!(jixiao().args([
        "batch",
        RULES,
        &case("departments.csv"),
        "--targets",
        &case("orphans.csv")
    ]));
    assert_cmd_snapshot!(
        "target_rows_of_no_department_are_an_error_en",
        jixiao()
            .args([
                "batch",
                RULES,
                &case("departments.csv"),
                "--targets",
                &case("orphans.csv")
            ])
            .args(["--lang", "en"])
    );
}

#[test]
fn an_input_of_no_known_kind_is_an_error() {
    assert_cmd_snapshot!(jixiao().args(["batch", RULES, "README.md"]));
    assert_cmd_snapshot!(
        "an_input_of_no_known_kind_is_an_error_en",
        jixiao()
            .args(["batch", RULES, "README.md"])
            .args(["--lang", "en"])
    );
}

#[test]
fn a_table_without_its_id_column_is_an_error() {
    assert_cmd_snapshot!(jixiao().args([
        "batch",
        RULES,
        &case("departments.csv"),
        "--id-column",
        "编号"
    ]));
    assert_cmd_snapshot!(
        "a_table_without_its_id_column_is_an_error_en",
        jixiao()
            .args([
                "batch",
                RULES,
                &case("departments.csv"),
                "--id-column",
                "编号"
            ])
            .args(["--lang", "en"])
    );
}

#[test]
fn fail_fast_stops_at_the_first_failure() {
    assert_cmd_snapshot!(jixiao().args([
        "batch",
        RULES,
        &case("departments.jsonl"),
        "--fail-fast"
    ]));
}

fn summary(args: &[&str], file: &str) -> (Option<i32>, Vec<u8>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    let out = jixiao()
        .arg("batch")
        .args(args)
        .arg("--summary")
        .arg(&path)
        .output()
        .unwrap();
    let bytes = std::fs::read(&path).unwrap_or_default();
    // Nothing but the summary in the folder: no temporary file left behind.
    let left = std::fs::read_dir(dir.path()).unwrap().count();
    assert!(left <= 1, "{left} files left");
    (
        out.status.code(),
        bytes,
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn summary_as_csv_and_json_lines() {
    let jsonl = case("departments.jsonl");
    let (code, csv, stdout) = summary(&[RULES, &jsonl], "s.csv");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("summary_csv", String::from_utf8(csv).unwrap());
    assert!(stdout.contains("平均"), "{stdout}");
    let (_, jsonl_out, _) = summary(&[RULES, &jsonl], "s.jsonl");
    insta::assert_snapshot!("summary_jsonl", String::from_utf8(jsonl_out).unwrap());
}

#[test]
fn summary_as_a_spreadsheet() {
    use calamine::{Data, Reader, Xlsx};
    let (code, bytes, _) = summary(&[RULES, &case("departments.jsonl")], "s.xlsx");
    assert_eq!(code, Some(1));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["部门", "汇总"]);
    let rows = book.worksheet_range("部门").unwrap();
    assert_eq!(rows.get((0, 0)), Some(&Data::String("部门".into())));
    assert_eq!(rows.get((1, 0)), Some(&Data::String("花都区政府办".into())));
    assert_eq!(rows.get((1, 1)), Some(&Data::Float(99.98)));
    assert_eq!(rows.get((1, 2)), Some(&Data::String("优".into())));
    assert_eq!(
        rows.get((2, 5)),
        Some(&Data::String("jixiao::data::missing".into()))
    );
    assert_eq!(rows.height(), 7);
    let totals = book.worksheet_range("汇总").unwrap();
    assert_eq!(totals.get((0, 1)), Some(&Data::String("6".into())));
}

/// CRLF and LF line ends, blank lines, a line longer than `--max-file-size` and a last line
/// with no line break: each department is read from its own line, the long one is refused at
/// its line number, and the lines after it are read as theirs.
#[test]
fn line_ends_blank_lines_and_a_line_over_the_limit() {
    let good = std::fs::read_to_string(case("good.jsonl")).unwrap();
    let good: Vec<&str> = good.lines().collect();
    // JSON allows white space between tokens: the same department, past 2 KiB.
    let long = good[1].replacen('{', &format!("{{{}", " ".repeat(2100)), 1);
    let text = format!("{}\r\n\n   \r\n{long}\n{}\n{}", good[0], good[1], good[2]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lines.jsonl");
    std::fs::write(&file, text).unwrap();
    let summary = dir.path().join("s.csv");
    let out = jixiao()
        .args(["--max-file-size", "2K", "batch", RULES])
        .arg(&file)
        .arg("--summary")
        .arg(&summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let csv = std::fs::read_to_string(&summary).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let at = |row: &[&str]| row[6].rsplit(':').next().unwrap_or_default().to_string();
    let seen: Vec<(String, &str, &str)> = rows.iter().map(|r| (at(r), r[1], r[5])).collect();
    assert_eq!(
        seen,
        [
            ("1".to_string(), "99.98", "正常"),
            ("4".to_string(), "", "jixiao::io::too_large"),
            ("5".to_string(), "91.30", "正常"),
            ("6".to_string(), "94.26", "正常"),
        ],
        "{csv}"
    );
}

/// The same bytes whatever the number of threads, over more departments than one chunk.
#[test]
fn one_thread_or_two_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let many = dir.path().join("many.jsonl");
    let lines = std::fs::read_to_string(case("departments.jsonl")).unwrap();
    std::fs::write(&many, lines.repeat(700)).unwrap();
    let many = many.to_string_lossy().into_owned();
    let (code1, one, out1) = summary(&[RULES, &many, "--jobs", "1"], "s.csv");
    let (code2, two, out2) = summary(&[RULES, &many, "--jobs", "2"], "s.csv");
    assert_eq!((code1, code2), (Some(1), Some(1)));
    assert!(one == two, "--jobs 1 and --jobs 2 differ");
    assert_eq!(out1, out2);
    assert_eq!(String::from_utf8(one).unwrap().lines().count(), 1 + 6 * 700);
}

/// The totals are those of scoring each department alone with `jixiao score`.
#[test]
fn totals_agree_with_scoring_each_department_alone() {
    let (_, bytes, _) = summary(&[RULES, &case("good.jsonl")], "s.jsonl");
    let rows: Vec<serde_json::Value> = String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let text = std::fs::read_to_string(case("good.jsonl")).unwrap();
    assert_eq!(rows.len(), text.lines().count());
    for (row, line) in rows.iter().zip(text.lines()) {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("d.json");
        std::fs::write(&data, line).unwrap();
        let out = jixiao()
            .args(["score", RULES, "--format", "json"])
            .arg(&data)
            .output()
            .unwrap();
        let trace: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let decimal = |v: &serde_json::Value| {
            v.as_str()
                .and_then(|s| s.parse::<rust_decimal::Decimal>().ok())
                .unwrap()
        };
        assert_eq!(decimal(&trace["total"]), decimal(&row["total"]), "{line}");
        assert_eq!(trace["rating"], row["rating"], "{line}");
    }
}

#[test]
fn traces_are_written_one_per_department_under_safe_names() {
    let dir = tempfile::tempdir().unwrap();
    let ids = dir.path().join("ids.jsonl");
    let good = std::fs::read_to_string(case("good.jsonl")).unwrap();
    let first = good.lines().next().unwrap();
    let renamed = |name: &str| first.replace("花都区政府办", name);
    let lines = [
        renamed("花都区政府办"),
        renamed("../上级/办公室"),
        renamed("a/b"),
        renamed("a_b"),
        renamed("x\\u0007y"),
        // Names Windows keeps for its devices, as they are or before an extension.
        renamed("COM¹"),
        renamed("conout$"),
        renamed("lpt1.json"),
        renamed("\\u202eevil"),
    ];
    std::fs::write(&ids, lines.join("\n")).unwrap();
    let traces = dir.path().join("traces");
    let out = jixiao()
        .args(["batch", RULES])
        .arg(&ids)
        .arg("--traces")
        .arg(&traces)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let mut names: Vec<String> = std::fs::read_dir(&traces)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "COM¹_.json",
            "_._上级_办公室.json",
            "_evil.json",
            "a_b.json",
            "a_b~2.json",
            "conout$_.json",
            "lpt1_.json.json",
            "x_y.json",
            "花都区政府办.json"
        ]
    );
    let trace: serde_json::Value =
        serde_json::from_slice(&std::fs::read(traces.join("花都区政府办.json")).unwrap()).unwrap();
    assert_eq!(trace["total"], "99.98");
    assert!(Path::new(&traces).join("a_b~2.json").is_file());
}

/// Two traces that cannot be written (a folder stands at each one's path): every other trace is
/// written, and the error named is the first in input order, whichever thread failed first.
#[test]
fn a_failed_trace_is_the_first_in_input_order_and_the_others_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let ids = dir.path().join("ids.jsonl");
    let good = std::fs::read_to_string(case("good.jsonl")).unwrap();
    let first = good.lines().next().unwrap();
    let lines: Vec<String> = (0..200)
        .map(|i| first.replace("花都区政府办", &format!("部门{i}")))
        .collect();
    std::fs::write(&ids, lines.join("\n")).unwrap();
    let traces = dir.path().join("traces");
    for blocked in ["部门90.json", "部门180.json"] {
        std::fs::create_dir_all(traces.join(blocked).join("inside")).unwrap();
    }
    for _ in 0..5 {
        let out = jixiao()
            .args(["batch", RULES, "--jobs", "2"])
            .arg(&ids)
            .arg("--traces")
            .arg(&traces)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            err.contains("部门90.json") && !err.contains("部门180"),
            "{err}"
        );
        let written = std::fs::read_dir(&traces).unwrap().count();
        assert_eq!(written, 200, "{err}");
    }
}

/// Forms scored in a batch: workbooks named one by one, each row with 复核's columns — the total
/// the department reported and the computed total less it — in every kind of summary.
#[test]
fn forms_in_a_batch_carry_their_reported_totals() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("s.csv");
    let jsonl = dir.path().join("s.jsonl");
    for summary in [&csv, &jsonl] {
        let out = common::jixiao()
            .args([
                "batch",
                "rules/national/project-self-evaluation.jx",
                "fixtures/form-guichi-tangxi-commission-2022/form.xlsx",
                "fixtures/form-qingshen-wages-2023/form.xlsx",
                "fixtures/project-form/data.toml",
                "--summary",
            ])
            .arg(summary)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let csv = std::fs::read_to_string(csv).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].ends_with(",自评总分,总分差异"), "{csv}");
    assert!(
        rows[1].starts_with("委托业务项目,100.00,优,") && rows[1].ends_with(",98.00,+2.00"),
        "{csv}"
    );
    assert!(rows[2].ends_with(",,"), "no total reported: {csv}");
    assert!(
        rows[3].starts_with("示例项目") && rows[3].ends_with(",98.50,-1.55"),
        "{csv}"
    );
    let jsonl = std::fs::read_to_string(jsonl).unwrap();
    assert!(
        jsonl
            .lines()
            .next()
            .unwrap()
            .contains(r#""reported":"98.00","difference":"+2.00""#),
        "{jsonl}"
    );
}

/// No output is written over a file the run reads: the summary over a JSON Lines input, named
/// or read through `-`, nor the traces into a folder holding a department's file with their
/// extension. Each is refused before anything is written (exit 2), in Chinese words alone, and
/// the input is left as it was.
#[test]
fn outputs_never_write_over_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let lines = dir.path().join("d.jsonl");
    std::fs::copy(case("good.jsonl"), &lines).unwrap();
    let folder = dir.path().join("data");
    std::fs::create_dir(&folder).unwrap();
    let data = folder.join("花都区政府办.json");
    let first = std::fs::read_to_string(case("good.jsonl")).unwrap();
    std::fs::write(&data, first.lines().next().unwrap()).unwrap();
    let before = |p: &Path| std::fs::read(p).unwrap();
    let (lines_bytes, data_bytes) = (before(&lines), before(&data));
    let refused = |cmd: &mut std::process::Command, what: &str| {
        let out = cmd.output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains("jixiao::io::output_is_input"), "{what}: {err}");
        assert!(err.contains("不会"), "{what}: {err}");
        // The Chinese message names the role in Chinese, not in the English it is keyed by.
        assert!(
            !err.contains(" an input") && !err.contains("long table"),
            "{what}: {err}"
        );
    };
    refused(
        jixiao()
            .args(["batch", RULES])
            .arg(&lines)
            .arg("--summary")
            .arg(&lines),
        "the summary over a named input",
    );
    refused(
        jixiao()
            .args(["batch", RULES, "-", "--summary"])
            .arg(&lines)
            .stdin(std::fs::File::open(&lines).unwrap()),
        "the summary over standard input's file",
    );
    refused(
        jixiao()
            .args(["batch", RULES])
            .arg(&folder)
            .arg("--traces")
            .arg(&folder)
            .args(["--format", "json"]),
        "traces into the input folder",
    );
    // A file given as the traces' folder is said to be one, and left alone.
    let out = jixiao()
        .args(["batch", RULES])
        .arg(&lines)
        .arg("--traces")
        .arg(&lines)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("它是文件，不是文件夹"), "{err}");
    assert_eq!(before(&lines), lines_bytes);
    assert_eq!(before(&data), data_bytes);
    // Traces of another extension beside the data write over nothing, and are written.
    let out = jixiao()
        .args(["batch", RULES])
        .arg(&folder)
        .arg("--traces")
        .arg(&folder)
        .args(["--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(folder.join("花都区政府办.html").is_file());
    assert_eq!(before(&data), data_bytes);
}

/// Everything in a folder named as a department's file is a department: a symbolic link to a
/// file is scored as the file, a link to a folder walked as the folder, and what cannot be read
/// (a dangling link, a FIFO) fails with its error, at once, never blocking. A file or folder
/// reached twice is scored once, and a link back up the tree does not loop.
#[cfg(unix)]
#[test]
fn a_folder_scores_links_and_fails_what_it_cannot_read() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let good = std::fs::read_to_string(case("good.jsonl")).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let folder = root.join("folder");
    std::fs::create_dir_all(folder.join("real")).unwrap();
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::write(root.join("outside.json"), lines[0]).unwrap();
    std::fs::write(folder.join("a.json"), lines[1]).unwrap();
    std::fs::write(folder.join("real/r.json"), lines[2]).unwrap();
    symlink("../outside.json", folder.join("linked.json")).unwrap();
    symlink("nowhere.json", folder.join("dangling.json")).unwrap();
    symlink("nowhere", folder.join("notes.txt")).unwrap();
    symlink("real", folder.join("linkdir")).unwrap();
    symlink("../a.json", folder.join("sub/again.json")).unwrap();
    symlink("..", folder.join("sub/up")).unwrap();
    symlink(&folder, folder.join("sub/top")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(folder.join("fifo.json"))
        .status()
        .unwrap();
    assert!(made.success());
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES);
    let mut child = jixiao()
        .current_dir(root)
        .arg("batch")
        .arg(&rules)
        .args(["folder", "--summary", "s.jsonl"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("jixiao batch blocked on the folder");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    let summary = std::fs::read_to_string(root.join("s.jsonl")).unwrap();
    let rows: Vec<(String, String)> = summary
        .lines()
        .map(|l| {
            let row: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                row["location"].as_str().unwrap().to_string(),
                row["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let row = |location: &str, status: &str| (location.to_string(), status.to_string());
    assert_eq!(
        rows,
        [
            row("folder/a.json", "ok"),
            row("folder/dangling.json", "jixiao::io::read"),
            row("folder/fifo.json", "jixiao::io::not_a_file"),
            row("folder/linkdir/r.json", "ok"),
            row("folder/linked.json", "ok"),
        ],
        "{summary}"
    );
    assert!(stderr.contains("文件不存在"), "{stderr}");
}

/// A row of the wide table with more or fewer cells than its head is that department's
/// failure, at its row, in the run's language; the rows after it are read and scored.
#[test]
fn a_ragged_row_fails_alone() {
    assert_cmd_snapshot!(jixiao().args([
        "batch",
        RULES,
        &case("ragged.csv"),
        "--targets",
        &case("targets.csv")
    ]));
    assert_cmd_snapshot!(
        "a_ragged_row_fails_alone_en",
        jixiao()
            .args([
                "batch",
                RULES,
                &case("ragged.csv"),
                "--targets",
                &case("targets.csv")
            ])
            .args(["--lang", "en"])
    );
}

/// A ragged row of the long table stops the run before anything is scored (its department's
/// targets are not all there), said with its row.
#[test]
fn a_ragged_row_of_the_long_table_is_said_with_its_row() {
    assert_cmd_snapshot!(jixiao().args([
        "batch",
        RULES,
        &case("departments.csv"),
        "--targets",
        &case("ragged-targets.csv")
    ]));
}

/// A row that is not UTF-8 (a cell saved in GBK) fails alone, at its row; the others are read.
#[test]
fn a_row_that_is_not_utf8_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("gbk.csv");
    let mut bytes = "部门,全年预算数,全年执行数\n甲,100,95\n"
        .as_bytes()
        .to_vec();
    // 区科协 in GBK.
    bytes.extend_from_slice(b"\xc7\xf8\xbf\xc6\xd0\xad,100,90\n");
    bytes.extend_from_slice("乙,100,90\n".as_bytes());
    std::fs::write(&table, bytes).unwrap();
    let out = jixiao()
        .args(["batch", RULES])
        .arg(&table)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("gbk.csv!3: jixiao::batch::csv")
            && stderr.contains("其中第 1 个单元格不是 UTF-8 文本"),
        "{stderr}"
    );
    assert!(
        stdout.contains("gbk.csv!2") && stdout.contains("gbk.csv!4"),
        "{stdout}"
    );
    assert!(!stderr.contains("CSV error"), "{stderr}");
}

/// A glob that is no pattern is said in the run's language.
#[test]
fn a_bad_glob_is_said_in_words_of_our_own() {
    assert_cmd_snapshot!(jixiao().args(["batch", RULES, "["]));
    assert_cmd_snapshot!(
        "a_bad_glob_is_said_in_words_of_our_own_en",
        jixiao().args(["batch", RULES, "[", "--lang", "en"])
    );
}

/// With a long table, an id on two rows of the wide table joins its target rows to neither:
/// each of those rows fails, naming both, and the other departments are scored (exit 1).
#[test]
fn an_id_on_two_rows_of_the_table_fails_both() {
    assert_cmd_snapshot!(jixiao().args([
        "batch",
        RULES,
        &case("duplicate-ids.csv"),
        "--targets",
        &case("targets.csv")
    ]));
    assert_cmd_snapshot!(
        "an_id_on_two_rows_of_the_table_fails_both_en",
        jixiao()
            .args([
                "batch",
                RULES,
                &case("duplicate-ids.csv"),
                "--targets",
                &case("targets.csv")
            ])
            .args(["--lang", "en"])
    );
}

/// Rows of the long table that belong to no department fail the run (exit 1) after every
/// department's row is written: the summary file is there, whole.
#[test]
fn target_rows_of_no_department_leave_the_summary_whole() {
    let (code, csv, _) = summary(
        &[
            RULES,
            &case("departments.csv"),
            "--targets",
            &case("orphans.csv"),
        ],
        "s.csv",
    );
    assert_eq!(code, Some(1));
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 5, "{csv}");
    assert!(csv.contains("花都区政府办,99.98"), "{csv}");
}

/// A folder of no department is an error, as a glob matching nothing is: a run of no department
/// that passed would hide a wrong folder.
#[test]
fn a_folder_of_no_department_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/notes.txt"), "备注").unwrap();
    let out = jixiao()
        .args(["batch", RULES])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("jixiao::batch::input") && err.contains("没有部门的数据文件"),
        "{err}"
    );
}

/// A folder given by an absolute path shows each file by its path in the folder: two
/// subfolders' `data.json` are told apart, and no machine's path is printed.
#[test]
fn files_of_an_absolute_folder_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("区县");
    let good = std::fs::read_to_string(case("good.jsonl")).unwrap();
    for (sub, line) in ["甲", "乙"].iter().zip(good.lines()) {
        std::fs::create_dir_all(root.join(sub)).unwrap();
        std::fs::write(root.join(sub).join("data.json"), line).unwrap();
    }
    let out = jixiao().args(["batch", RULES]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("区县/甲/data.json") && table.contains("区县/乙/data.json"),
        "{table}"
    );
    let parent = dir.path().to_string_lossy();
    assert!(!table.contains(parent.as_ref()), "{table}");
}
