//! End-to-end runs of the binary on the edges of the file system: outputs that are links,
//! devices or missing folders, outputs that are inputs, write errors, inputs that are not
//! regular files, folders that link to themselves, and git arguments that look like options.

#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Output};

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

const RULES: &str = "rules/guangzhou/department-overall.jx";
const SEED: &str = "fixtures/huadu-gov-office-2023/data.toml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run in the crate's folder.
fn jixiao() -> Command {
    jixiao_in(root())
}

/// The binary in `dir`, its messages in English (these tests read them).
fn jixiao_in(dir: &Path) -> Command {
    let mut cmd = Command::new(get_cargo_bin("jixiao"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["--lang", "en"]);
    cmd
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A rule file the formatter changes: the seed rules with their layout spoiled.
/// The run failed with `exit` and the diagnostic `code`; its output, for more checks.
fn fails(cmd: &mut Command, exit: i32, code: &str, what: &str) -> Output {
    let out = cmd.output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(exit), "{what}: {err}");
    assert!(err.contains(code), "{what}: {err}");
    out
}

/// The run was refused as a usage error (exit 2) with `code`.
fn refused(cmd: &mut Command, code: &str, what: &str) -> Output {
    fails(cmd, 2, code, what)
}

fn unformatted_rules() -> String {
    std::fs::read_to_string(root().join(RULES))
        .unwrap()
        .replace("\n  ", "\n      ")
}

#[test]
fn output_into_a_missing_folder() {
    assert_cmd_snapshot!(jixiao().args([
        "score",
        RULES,
        SEED,
        "--output",
        "no-such-dir/trace.txt"
    ]));
    assert_cmd_snapshot!(
        "output_into_a_missing_folder_zh",
        jixiao()
            .args(["score", RULES, SEED, "--output", "no-such-dir/trace.txt"])
            .args(["--lang", "zh"])
    );
}

#[test]
fn output_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    std::os::unix::fs::symlink("reports/trace.txt", dir.path().join("latest.txt")).unwrap();
    let out = jixiao()
        .args(["score", RULES, SEED, "--output"])
        .arg(dir.path().join("latest.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(dir.path().join("latest.txt")).unwrap();
    assert!(link.file_type().is_symlink());
    let written = std::fs::read_to_string(dir.path().join("reports/trace.txt")).unwrap();
    assert!(written.contains("Rating"));

    // /dev/null stays a device.
    let out = jixiao()
        .args(["score", RULES, SEED, "--output", "/dev/null"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn fmt_of_a_symlinked_rule_file_formats_the_file_it_points_to() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::fs::write(dir.path().join("shared/rules.jx"), unformatted_rules()).unwrap();
    std::os::unix::fs::symlink("shared/rules.jx", dir.path().join("rules.jx")).unwrap();
    let out = jixiao_in(dir.path())
        .args(["fmt", "rules.jx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "formatted rules.jx\n");
    let link = std::fs::symlink_metadata(dir.path().join("rules.jx")).unwrap();
    assert!(link.file_type().is_symlink());
    let formatted = std::fs::read_to_string(dir.path().join("shared/rules.jx")).unwrap();
    assert_eq!(
        formatted,
        std::fs::read_to_string(root().join(RULES)).unwrap()
    );
}

#[test]
fn a_full_disk_on_stdout_is_an_error_in_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rules.jx"), unformatted_rules()).unwrap();
    let fmt = dir.path().join("rules.jx");
    let fmt = fmt.to_str().unwrap();
    let runs: [&[&str]; 6] = [
        &["check", RULES],
        &["score", RULES, SEED],
        &["explain", "points_sum"],
        &["diff", RULES, RULES, SEED],
        &["test", "examples/guangzhou-district"],
        // The file is formatted; only the listing of it is lost.
        &["fmt", fmt],
    ];
    for args in runs {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = jixiao().args(args).stdout(full).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("jixiao::io::write") && err.contains("cannot write standard output"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(fmt).unwrap(),
        std::fs::read_to_string(root().join(RULES)).unwrap()
    );
    // In Chinese, standard output is named in Chinese.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = jixiao()
        .args(["check", RULES, "--lang", "zh"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(
        stderr(&out).lines().nth(2),
        Some("  × 无法写入 标准输出：磁盘已满"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let mut child = jixiao()
        .args(["score", RULES, SEED, "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away, as `| head -0` does.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "", "no error, no panic");
}

#[test]
fn a_device_as_data_is_refused_at_once() {
    assert_cmd_snapshot!(jixiao().args(["score", RULES, "/dev/zero"]));
    assert_cmd_snapshot!(
        "a_device_as_data_is_refused_at_once_zh",
        jixiao()
            .args(["score", RULES, "/dev/zero"])
            .args(["--lang", "zh"])
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    assert_cmd_snapshot!(jixiao().args(["--max-file-size", "1K", "score", RULES, SEED]));
    assert_cmd_snapshot!(
        "a_file_over_the_size_limit_is_refused_zh",
        jixiao()
            .args(["--max-file-size", "1K", "score", RULES, SEED])
            .args(["--lang", "zh"])
    );
    // Raised, it is read.
    let out = jixiao()
        .args(["--max-file-size", "1M", "score", RULES, SEED])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_import_that_is_a_device_or_a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.jx")).unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.path().join("fifo.jx"))
        .status()
        .unwrap();
    assert!(made.success());
    for import in ["zero.jx", "fifo.jx"] {
        std::fs::write(
            dir.path().join("rules.jx"),
            format!(
                "import \"{import}\"\n{}",
                std::fs::read_to_string(root().join(RULES)).unwrap()
            ),
        )
        .unwrap();
        let out = jixiao_in(dir.path())
            .args(["check", "rules.jx"])
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(err.contains("jixiao::check::import"), "{err}");
        assert!(err.contains("not a file"), "{err}");
    }
}

#[test]
fn data_from_standard_input_in_either_format() {
    let run = |args: &[&str], input: &[u8]| {
        use std::io::Write;
        let mut child = jixiao()
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    };
    let toml = std::fs::read(root().join(SEED)).unwrap();
    let json =
        std::fs::read(root().join("fixtures/example-district-bureau-2023/data.json")).unwrap();
    for (input, total) in [(&toml, "99.98"), (&json, "示例区某局")] {
        let out = run(&["score", RULES, "-"], input);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout.contains(total), "{stdout}");
        assert!(stdout.contains("Data  <stdin>  sha256"), "{stdout}");
    }
    // Said outright, the format is not guessed: JSON read as TOML is a TOML error.
    let out = run(&["score", RULES, "-", "--data-format", "toml"], &json);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("invalid TOML"), "{}", stderr(&out));
    // And a file whose name says nothing can be read with it.
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.txt");
    std::fs::write(&export, &toml).unwrap();
    let out = jixiao()
        .args(["score", RULES, "--data-format", "toml"])
        .arg(&export)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A copy of a fixture folder, to write into.
fn copy_of(folder: &str) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&root().join(folder), dir.path());
    dir
}

/// Every file under `dir` with its contents, to see that nothing changed.
fn contents(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<(std::path::PathBuf, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let ty = entry.file_type().unwrap();
            if ty.is_dir() {
                walk(&entry.path(), out);
            } else if ty.is_file() {
                out.push((entry.path(), std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

#[test]
fn output_onto_an_imported_file_is_refused() {
    let dir = copy_of("fixtures/imports");
    let before = contents(dir.path());
    assert_cmd_snapshot!(jixiao_in(dir.path()).args([
        "score",
        "district.jx",
        "data.toml",
        "--output",
        "template/province.jx"
    ]));
    assert_cmd_snapshot!(
        "output_onto_an_imported_file_is_refused_zh",
        jixiao_in(dir.path())
            .args([
                "score",
                "district.jx",
                "data.toml",
                "--output",
                "template/province.jx"
            ])
            .args(["--lang", "zh"])
    );
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn output_onto_any_input_is_refused_however_it_is_named() {
    let dir = copy_of("fixtures/imports");
    std::fs::hard_link(dir.path().join("data.toml"), dir.path().join("hard.toml")).unwrap();
    std::os::unix::fs::symlink("district.jx", dir.path().join("link.jx")).unwrap();
    let before = contents(dir.path());
    for output in [
        "district.jx",
        "./district.jx",
        "template/../district.jx",
        "link.jx",
        "data.toml",
        "hard.toml",
    ] {
        refused(
            jixiao_in(dir.path()).args(["score", "district.jx", "data.toml", "--output", output]),
            "jixiao::io::output_is_input",
            output,
        );
    }
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn test_junit_onto_an_input_is_refused() {
    let dir = copy_of("examples/guangzhou-district");
    let before = contents(dir.path());
    for output in [
        "jixiao.toml",
        "rules/department-overall.jx",
        "departments/huadu-gov-office-2023.toml",
        "departments/huadu-gov-office-2023.trace.txt",
    ] {
        refused(
            jixiao_in(dir.path()).args(["test", "--junit", output]),
            "jixiao::io::output_is_input",
            output,
        );
    }
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn test_junit_onto_a_stored_trace_not_yet_written_is_refused_before_anything_is_written() {
    let dir = copy_of("examples/guangzhou-district");
    let trace = "departments/huadu-gov-office-2023.trace.txt";
    std::fs::remove_file(dir.path().join(trace)).unwrap();
    let before = contents(dir.path());
    for accept in [true, false] {
        let mut cmd = jixiao_in(dir.path());
        cmd.args(["test", "--junit", trace]);
        if accept {
            cmd.arg("--accept");
        }
        let out = refused(&mut cmd, "jixiao::io::output_is_input", trace);
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "will not write the JUnit report to {trace}: it is where the stored trace of departments/huadu-gov-office-2023.toml is kept"
            )),
            "{err}"
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "nothing ran");
        assert_eq!(contents(dir.path()), before, "nothing was written");
    }
}

/// Runs to the end within `secs` seconds, or fails (a walk that loops would never end).
fn within(secs: u64, cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed().as_secs() >= secs {
            child.kill().unwrap();
            panic!("{cmd:?} still running after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn folders_that_link_to_themselves_are_walked_once() {
    let dir = copy_of("examples/guangzhou-district");
    // Twenty links to `.` in each folder: a walk that follows them takes 20^depth steps.
    for folder in ["", "rules", "departments"] {
        for i in 0..20 {
            std::os::unix::fs::symlink(".", dir.path().join(folder).join(format!("l{i}"))).unwrap();
        }
    }
    let suites = std::fs::read_to_string(dir.path().join("jixiao.toml"))
        .unwrap()
        .replace("\"departments/*.toml\"", "\"departments/**/*.toml\"");
    std::fs::write(dir.path().join("jixiao.toml"), suites).unwrap();

    let out = within(20, jixiao_in(dir.path()).args(["fmt", "--check", "."]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = within(20, jixiao_in(dir.path()).args(["test", "."]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.ends_with("\n2 passed, 0 failed\n"), "{stdout}");
    let rules = "rules/department-overall.jx";
    let out = within(20, jixiao_in(dir.path()).args(["diff", rules, rules]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_revision_that_looks_like_an_option_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd_snapshot!(jixiao_in(dir.path()).args([
        "diff",
        "--",
        "--output=out:rules.jx",
        "HEAD:rules.jx",
        "data.toml"
    ]));
    assert_cmd_snapshot!(
        "a_revision_that_looks_like_an_option_is_refused_zh",
        // Before `--`: after it, every word is a revision or a path.
        jixiao_in(dir.path()).args([
            "--lang",
            "zh",
            "diff",
            "--",
            "--output=out:rules.jx",
            "HEAD:rules.jx",
            "data.toml"
        ])
    );
    for args in [["--", "-x", "HEAD"], ["--", "HEAD", "--output=x"]] {
        refused(
            jixiao_in(dir.path()).arg("diff").args(args),
            "jixiao::diff::revision",
            &format!("{args:?}"),
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "git wrote nothing"
    );
}

#[test]
fn a_read_only_output_or_rule_file_is_refused_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro.html");
    std::fs::write(&ro, "kept").unwrap();
    let rules = dir.path().join("ro.jx");
    std::fs::write(&rules, unformatted_rules()).unwrap();
    for file in [&ro, &rules] {
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    let out = jixiao()
        .args(["score", RULES, SEED, "--format", "html", "--output"])
        .arg(&ro)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("jixiao::io::write"), "{err}");
    assert!(err.contains("ro.html: it is read-only"), "{err}");
    assert!(err.contains("chmod u+w"), "{err}");
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), "kept");

    let out = jixiao_in(dir.path())
        .args(["fmt", "ro.jx"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("cannot write ro.jx: it is read-only"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&rules).unwrap(),
        unformatted_rules()
    );
    // `fmt --check` writes nothing, so a read-only file is only looked at.
    let out = jixiao_in(dir.path())
        .args(["fmt", "--check", "ro.jx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn an_output_with_hard_links_is_written_in_place_for_every_name() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.txt");
    let shared = dir.path().join("shared.txt");
    std::fs::write(&report, "old").unwrap();
    std::fs::hard_link(&report, &shared).unwrap();
    let out = jixiao()
        .args(["score", RULES, SEED, "--output"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(&shared).unwrap();
    assert!(written.contains("Rating"), "{written}");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), written);
    assert_eq!(std::fs::metadata(&report).unwrap().nlink(), 2);
}

#[test]
fn output_onto_the_file_standard_input_reads_is_refused() {
    let dir = copy_of("fixtures/imports");
    std::fs::hard_link(dir.path().join("data.toml"), dir.path().join("hard.toml")).unwrap();
    let before = contents(dir.path());
    for output in ["data.toml", "./data.toml", "hard.toml", "/dev/stdin"] {
        let stdin = std::fs::File::open(dir.path().join("data.toml")).unwrap();
        let err = stderr(&refused(
            jixiao_in(dir.path())
                .args(["score", "district.jx", "-", "--output", output])
                .stdin(stdin),
            "jixiao::io::output_is_input",
            output,
        ));
        assert!(
            err.contains("which this run reads from standard input (`-`)"),
            "{output}: {err}"
        );
    }
    assert_eq!(contents(dir.path()), before);
    // Another file is written as ever.
    let stdin = std::fs::File::open(dir.path().join("data.toml")).unwrap();
    let out = jixiao_in(dir.path())
        .args(["score", "district.jx", "-", "--output", "trace.txt"])
        .stdin(stdin)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A rules repository with the seed rules as `rules/a.jx` and `rules/b.jx`, the seed department
/// as `departments/x.toml`, and this `jixiao.toml`.
fn two_rule_files(suites: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::create_dir(dir.path().join("departments")).unwrap();
    for name in ["a", "b"] {
        std::fs::copy(
            root().join(RULES),
            dir.path().join(format!("rules/{name}.jx")),
        )
        .unwrap();
    }
    std::fs::copy(root().join(SEED), dir.path().join("departments/x.toml")).unwrap();
    std::fs::write(dir.path().join("jixiao.toml"), suites).unwrap();
    dir
}

const TWO_SUITES: &str = "[[suite]]\nrules = \"rules/a.jx\"\ndata = [\"departments/*.toml\"]\n\n[[suite]]\nrules = \"rules/b.jx\"\ndata = [\"departments/*.toml\"]\n";

#[test]
fn two_suites_sharing_a_stored_trace_are_refused() {
    let dir = two_rule_files(TWO_SUITES);
    let before = contents(dir.path());
    assert_cmd_snapshot!(jixiao_in(dir.path()).args(["test", "--accept"]));
    assert_cmd_snapshot!(
        "two_suites_sharing_a_stored_trace_are_refused_zh",
        jixiao_in(dir.path())
            .args(["test", "--accept"])
            .args(["--lang", "zh"])
    );
    assert_eq!(contents(dir.path()), before, "nothing was written");
}

#[test]
fn two_suites_with_traces_folders_of_their_own_pass_once_accepted() {
    let suites = TWO_SUITES
        .replace("rules/a.jx\"\n", "rules/a.jx\"\ntraces = \"traces/a\"\n")
        .replace("rules/b.jx\"\n", "rules/b.jx\"\ntraces = \"traces/b\"\n");
    let dir = two_rule_files(&suites);
    let out = jixiao_in(dir.path())
        .args(["test", "--accept"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}{stdout}", stderr(&out));
    assert_eq!(
        stdout,
        "accepted  departments/x.toml with rules/a.jx  → traces/a/x.trace.txt\n\
         accepted  departments/x.toml with rules/b.jx  → traces/b/x.trace.txt\n\
         \n2 passed, 0 failed\n"
    );
    assert!(!dir.path().join("departments/x.trace.txt").exists());
    let out = jixiao_in(dir.path()).arg("test").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A change to one rule file fails its case alone; accepting fixes it for good.
    let a = dir.path().join("rules/a.jx");
    let changed = std::fs::read_to_string(&a)
        .unwrap()
        .replacen("rulebook \"", "rulebook \"改", 1);
    std::fs::write(&a, changed).unwrap();
    let out = jixiao_in(dir.path()).arg("test").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("FAILED    departments/x.toml with rules/a.jx"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ok        departments/x.toml with rules/b.jx"),
        "{stdout}"
    );
    for (args, code) in [(&["test", "--accept"][..], 0), (&["test"][..], 0)] {
        let out = jixiao_in(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn data_files_that_differ_only_in_extension_share_no_stored_trace() {
    let dir = two_rule_files(
        "[[suite]]\nrules = \"rules/a.jx\"\ndata = [\"departments/*.toml\", \"departments/*.json\"]\n",
    );
    std::fs::copy(
        root().join("fixtures/example-district-bureau-2023/data.json"),
        dir.path().join("departments/x.json"),
    )
    .unwrap();
    let before = contents(dir.path());
    let out = fails(
        jixiao_in(dir.path()).args(["test", "--accept"]),
        1,
        "jixiao::test::trace_clash",
        "--accept",
    );
    let err = stderr(&out);
    assert!(
        err.contains("two cases would keep their stored trace in departments/x.trace.txt: `departments/x.json` scored with `rules/a.jx` (jixiao.toml) and `departments/x.toml` scored with `rules/a.jx` (jixiao.toml)"),
        "{err}"
    );
    assert!(err.contains("rename one of them"), "{err}");
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn a_stored_trace_path_that_is_an_input_is_never_written() {
    // The rule file is named as the department's stored trace would be.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(RULES), dir.path().join("d.trace.txt")).unwrap();
    std::fs::copy(root().join(SEED), dir.path().join("d.toml")).unwrap();
    std::fs::write(
        dir.path().join("case.toml"),
        "rules = \"d.trace.txt\"\ndata = \"d.toml\"\n",
    )
    .unwrap();
    let before = contents(dir.path());
    let out = fails(
        jixiao_in(dir.path()).args(["test", "--accept"]),
        1,
        "jixiao::test::trace_clash",
        "--accept",
    );
    let err = stderr(&out);
    assert!(
        err.contains("would be d.trace.txt, which is the case's own rule file, read by this run"),
        "{err}"
    );
    assert_eq!(contents(dir.path()), before);
    // With `traces`, the stored trace goes elsewhere and the case runs.
    std::fs::write(
        dir.path().join("case.toml"),
        "rules = \"d.trace.txt\"\ndata = \"d.toml\"\ntraces = \"traces\"\n",
    )
    .unwrap();
    let out = jixiao_in(dir.path())
        .args(["test", "--accept"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("traces/d.trace.txt").is_file());

    // A file the rules import is known only once they are checked; it is not written either.
    let dir = copy_of("fixtures/imports");
    std::fs::rename(
        dir.path().join("template/province.jx"),
        dir.path().join("data.trace.txt"),
    )
    .unwrap();
    let district = std::fs::read_to_string(dir.path().join("district.jx"))
        .unwrap()
        .replace(
            "import \"template/province.jx\"",
            "import \"data.trace.txt\"",
        );
    std::fs::write(dir.path().join("district.jx"), district).unwrap();
    let before = contents(dir.path());
    let out = jixiao_in(dir.path())
        .args(["test", "--accept"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{}{stdout}", stderr(&out));
    assert!(stdout.contains("jixiao::io::output_is_input"), "{stdout}");
    assert!(
        stdout.contains("will not write over data.trace.txt: it is a file the rules import"),
        "{stdout}"
    );
    assert_eq!(contents(dir.path()), before);
}
