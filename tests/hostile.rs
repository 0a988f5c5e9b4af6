//! Hostile input, generated: every class of defect that once gave a wrong score with exit 0 or
//! lost a file, applied to every scoring fixture, plus blind mutations (truncation, byte flips,
//! line-ending changes, a BOM, a huge name). Each case runs the real binary in a scratch folder
//! with a 10-second limit and checks what a user relies on: no panic, no hang, no more than
//! 1 GB of memory, the documented exit code (0 ok, 1 bad input, 2 usage, 3 rules failed their
//! checks), bounded messages, and no input file changed or lost.

#![cfg(unix)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

const LIMIT: Duration = Duration::from_secs(10);
const MAX_RSS_KIB: i64 = 1024 * 1024;
/// Messages may quote input, but cut: a megabyte of name must not become megabytes of stderr.
const MAX_STDERR: usize = 256 * 1024;

/// What one run did.
struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

/// Runs jixiao in `dir` with `args`, within the limits above. The child is reaped by `wait4`,
/// which also gives its peak memory; `Child::wait` cannot.
#[allow(clippy::zombie_processes)]
fn run(dir: &Path, args: &[OsString]) -> Run {
    let out_path = dir.join(".stdout");
    let err_path = dir.join(".stderr");
    let child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    let (status, rss) = loop {
        let mut status = 0;
        // SAFETY: plain wait4 on our own child, with valid pointers to locals.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(
            done >= 0,
            "wait4 failed: {}",
            std::io::Error::last_os_error()
        );
        if done == pid {
            break (status, usage.ru_maxrss);
        }
        if start.elapsed() > LIMIT {
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("jixiao {args:?} ran over {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let stdout = std::fs::read(&out_path).unwrap();
    let stderr = String::from_utf8_lossy(&std::fs::read(&err_path).unwrap()).into_owned();
    let _ = std::fs::remove_file(out_path);
    let _ = std::fs::remove_file(err_path);
    assert!(
        rss <= MAX_RSS_KIB,
        "jixiao {args:?} used {rss} KiB of memory"
    );
    assert!(
        libc::WIFEXITED(status),
        "jixiao {args:?} was killed by signal {}:\n{stderr}",
        libc::WTERMSIG(status)
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "jixiao {args:?} panicked:\n{stderr}"
    );
    assert!(
        stderr.len() <= MAX_STDERR,
        "jixiao {args:?} wrote {} bytes of messages",
        stderr.len()
    );
    Run {
        code: libc::WEXITSTATUS(status),
        stdout,
        stderr,
    }
}

fn args(list: &[&str]) -> Vec<OsString> {
    list.iter().map(OsString::from).collect()
}

/// A scoring fixture copied into a scratch folder as `rules.jx` and `data.toml`/`data.json`.
struct Scratch {
    dir: tempfile::TempDir,
    name: String,
    rules: String,
    data: String,
    data_name: &'static str,
}

impl Scratch {
    fn write(&self, rules: &str, data: &str) {
        std::fs::write(self.dir.path().join("rules.jx"), rules).unwrap();
        std::fs::write(self.dir.path().join(self.data_name), data).unwrap();
    }

    fn score(&self, rules: &str, data: &str, extra: &[&str]) -> Run {
        self.write(rules, data);
        let mut a = args(&["score", "rules.jx", self.data_name]);
        a.extend(args(extra));
        let r = run(self.dir.path(), &a);
        // Whatever happened, the inputs are as they were.
        let read = |n: &str| std::fs::read_to_string(self.dir.path().join(n)).unwrap();
        assert_eq!(read("rules.jx"), rules, "{}: rules.jx changed", self.name);
        assert_eq!(read(self.data_name), data, "{}: data changed", self.name);
        r
    }
}

/// Every scoring fixture whose rules stand in one file.
fn scratches() -> Vec<Scratch> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<PathBuf> = glob::glob(&format!("{}/fixtures/*/case.toml", root.display()))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    cases.sort();
    cases
        .iter()
        .map(|p| common::case(p))
        .filter(|c| !c.name.starts_with("err_"))
        .filter_map(|c| {
            let rules = std::fs::read_to_string(root.join(&c.rules)).ok()?;
            let data_path = c.data?;
            let data = std::fs::read_to_string(root.join(&data_path)).ok()?;
            if rules.contains("import ") {
                return None;
            }
            let data_name = if data_path.extension().is_some_and(|e| e == "json") {
                "data.json"
            } else {
                "data.toml"
            };
            Some(Scratch {
                dir: tempfile::tempdir().unwrap(),
                name: c.name,
                rules,
                data,
                data_name,
            })
        })
        .collect()
}

/// The total of a JSON trace.
fn total(run: &Run) -> String {
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    v["total"].as_str().unwrap().to_string()
}

/// A small deterministic generator: the same mutations on every machine and every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// The character boundary at or before `i`.
fn boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[test]
fn every_fixture_scores_and_survives_blind_mutation() {
    let mut rng = Lcg(0x6a69_7869_616f);
    for s in scratches() {
        let clean = s.score(&s.rules, &s.data, &["--format", "json"]);
        assert_eq!(clean.code, 0, "{}: {}", s.name, clean.stderr);
        for _ in 0..6 {
            // Truncated anywhere (on a character boundary): an error, never a panic.
            let cut = boundary(&s.rules, rng.below(s.rules.len()));
            let r = s.score(&s.rules[..cut], &s.data, &[]);
            assert!([0, 1, 3].contains(&r.code), "{}: exit {}", s.name, r.code);
            let cut = boundary(&s.data, rng.below(s.data.len()));
            let r = s.score(&s.rules, &s.data[..cut], &[]);
            assert!([0, 1].contains(&r.code), "{}: exit {}", s.name, r.code);
            // An ASCII byte replaced by another.
            let mut bytes = s.rules.clone().into_bytes();
            let at = rng.below(bytes.len());
            if bytes[at].is_ascii() {
                bytes[at] = b"{}()\"=<>%-.,0 \n\r"[rng.below(16)];
            }
            let rules = String::from_utf8(bytes).unwrap();
            let r = s.score(&rules, &s.data, &["--format", "markdown"]);
            assert!([0, 1, 3].contains(&r.code), "{}: exit {}", s.name, r.code);
        }
    }
}

/// Commas that are not thousands separators, in any number of the data (text or bare), are
/// errors (exit 1), never a different number: `3151.09` typed as `"3151,09"`.
#[test]
fn stray_commas_in_numbers_are_errors() {
    let mut tried = 0;
    for s in scratches() {
        let bytes = s.data.as_bytes();
        for (dot, _) in s.data.match_indices('.') {
            let start = (0..dot)
                .rev()
                .take_while(|&k| bytes[k].is_ascii_digit())
                .last()
                .unwrap_or(dot);
            let end = (dot + 1..bytes.len())
                .take_while(|&k| bytes[k].is_ascii_digit())
                .last()
                .map_or(dot, |k| k + 1);
            // Three digits after the comma would be a true thousands separator: `3,125`.
            if start == dot || end <= dot + 1 || end - dot - 1 == 3 {
                continue;
            }
            let line_start = s.data[..start].rfind('\n').map_or(0, |n| n + 1);
            if s.data[line_start..].trim_start().starts_with('#') {
                continue;
            }
            // In a comment after the value on its line.
            let before = &s.data[line_start..start];
            if before
                .char_indices()
                .any(|(i, c)| c == '#' && before[..i].matches('"').count() % 2 == 0)
            {
                continue;
            }
            let quoted = s.data[line_start..start].matches('"').count() % 2 == 1;
            // A number inside prose (实际完成情况 = "…完成预算资金89.97万元…") is text, not a
            // value: a value's number comes first in its string, after at most a comparison.
            let opening = s.data[line_start..start]
                .rfind('"')
                .map_or(start, |q| line_start + q + 1);
            if quoted
                && s.data[opening..start]
                    .chars()
                    .any(|c| !"≥≤=<>＝ ".contains(c))
            {
                continue;
            }
            let number = s.data[start..end].replacen('.', ",", 1);
            let slipped = if quoted {
                number
            } else {
                format!("\"{number}\"")
            };
            let data = format!("{}{}{}", &s.data[..start], slipped, &s.data[end..]);
            let r = s.score(&s.rules, &data, &[]);
            assert_eq!(r.code, 1, "{}: {slipped} was read:\n{}", s.name, r.stderr);
            assert!(
                r.stderr.contains("jixiao::data::"),
                "{}: {slipped}:\n{}",
                s.name,
                r.stderr
            );
            tried += 1;
        }
    }
    assert!(tried > 20, "only {tried} numbers tried");
}

/// A percentage typed as a spreadsheet stores it (0.91 for 91%) against a percent target.
#[test]
fn bare_fractions_against_percent_targets_are_errors() {
    let mut tried = 0;
    for s in scratches() {
        for (i, _) in s.data.match_indices("实际完成值") {
            let line_end = s.data[i..].find('\n').map_or(s.data.len(), |n| i + n);
            let line = &s.data[i..line_end];
            let Some(pct) = line.find("%\"") else {
                continue;
            };
            let open = line[..pct].rfind('"').unwrap();
            let Ok(value) = line[open + 1..pct].parse::<rust_decimal::Decimal>() else {
                continue;
            };
            let fraction = (value / rust_decimal::Decimal::ONE_HUNDRED).normalize();
            let line = format!("{}{}{}", &line[..open], fraction, &line[pct + 2..]);
            let data = format!("{}{}{}", &s.data[..i], line, &s.data[line_end..]);
            let r = s.score(&s.rules, &data, &[]);
            assert_eq!(r.code, 1, "{}: {line}", s.name);
            assert!(r.stderr.contains("bare_percent"), "{}", r.stderr);
            tried += 1;
        }
    }
    assert!(tried > 0);
}

/// A percentage step without its `%`, and a rating band above the total, fail the check.
#[test]
fn unit_slips_and_unreachable_bands_fail_the_check() {
    let mut tried = 0;
    for s in scratches() {
        if let Some(i) = s.rules.find(" 1% above") {
            let rules = format!("{} 1 above{}", &s.rules[..i], &s.rules[i + 9..]);
            let r = s.score(&rules, &s.data, &[]);
            assert_eq!(r.code, 3, "{}", s.name);
            assert!(r.stderr.contains("unit_mismatch"), "{}", r.stderr);
            tried += 1;
        }
        if let Some(i) = s.rules.find("rating ") {
            let bound = s.rules[i..].find(">= ").map(|n| i + n + 3).unwrap();
            let end = bound + s.rules[bound..].find([',', ' ']).unwrap();
            let rules = format!("{}100000{}", &s.rules[..bound], &s.rules[end..]);
            let r = s.score(&rules, &s.data, &[]);
            assert_eq!(r.code, 3, "{}: {}", s.name, &rules[i..i + 40]);
            assert!(r.stderr.contains("rating_unreachable"), "{}", r.stderr);
            tried += 1;
        }
    }
    assert!(tried > 10, "{tried}");
}

/// CRLF and lone-CR line endings (old Mac editors, some WPS exports) score exactly as LF.
#[test]
fn line_endings_do_not_change_a_score() {
    for s in scratches() {
        let lf = total(&s.score(&s.rules, &s.data, &["--format", "json"]));
        for eol in ["\r\n", "\r"] {
            let rules = s.rules.replace('\n', eol);
            let r = s.score(&rules, &s.data, &["--format", "json"]);
            assert_eq!(r.code, 0, "{} with {eol:?}: {}", s.name, r.stderr);
            assert_eq!(total(&r), lf, "{} with {eol:?}", s.name);
            let data = s.data.replace('\n', eol);
            let r = s.score(&s.rules, &data, &["--format", "json"]);
            assert_eq!(r.code, 0, "{} data with {eol:?}: {}", s.name, r.stderr);
            assert_eq!(total(&r), lf, "{} data with {eol:?}", s.name);
        }
    }
}

/// Every way of pointing the output at something precious: an input (by any spelling), a link
/// to an input, a device that fails, a folder. The inputs survive and the exit code says so.
#[test]
fn outputs_never_destroy_inputs_or_hide_failures() {
    for s in scratches().into_iter().take(4) {
        s.write(&s.rules, &s.data);
        let dir = s.dir.path();
        std::os::unix::fs::symlink("rules.jx", dir.join("link.jx")).unwrap();
        for target in ["rules.jx", "./rules.jx", "link.jx", s.data_name] {
            let r = s.score(&s.rules, &s.data, &["--output", target]);
            assert_eq!(r.code, 2, "{}: --output {target}: {}", s.name, r.stderr);
            assert!(r.stderr.contains("output_is_input"), "{}", r.stderr);
        }
        let r = s.score(&s.rules, &s.data, &["--output", "/dev/full"]);
        assert_eq!(r.code, 1, "{}: /dev/full: {}", s.name, r.stderr);
        let r = s.score(&s.rules, &s.data, &["--format", "html", "--output", "."]);
        assert_ne!(r.code, 0, "{}: a folder as output", s.name);
        // Through a link to a new file: the file is written, the link stays a link.
        std::os::unix::fs::symlink("out.txt", dir.join("out-link.txt")).unwrap();
        let r = s.score(&s.rules, &s.data, &["--output", "out-link.txt"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(dir.join("out-link.txt").is_symlink());
        assert!(!std::fs::read(dir.join("out.txt")).unwrap().is_empty());
    }
}

/// Inputs that are not files: a device that never ends, a folder, a FIFO nobody writes, a
/// file past the size limit. Each is refused at once.
#[test]
fn inputs_that_are_not_files_are_refused_at_once() {
    let s = scratches().into_iter().next().unwrap();
    s.write(&s.rules, &s.data);
    let dir = s.dir.path();
    let fifo = dir.join("fifo.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string for the path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    std::fs::create_dir(dir.join("folder.toml")).unwrap();
    for data in ["/dev/zero", "/dev/urandom", "folder.toml", "fifo.toml"] {
        let r = run(dir, &args(&["score", "rules.jx", data]));
        assert_eq!(r.code, 1, "{data}: {}", r.stderr);
    }
    for rules in ["/dev/zero", "folder.toml", "fifo.toml"] {
        let r = run(dir, &args(&["check", rules]));
        assert_eq!(r.code, 1, "{rules}: {}", r.stderr);
    }
    let r = run(
        dir,
        &args(&["--max-file-size", "100", "score", "rules.jx", s.data_name]),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("too_large"), "{}", r.stderr);
}

/// Folders whose links lead back to themselves: every walk ends, and `diff` takes no option
/// in a revision's place.
#[test]
fn walks_end_and_revisions_are_not_options() {
    let s = scratches().into_iter().next().unwrap();
    s.write(&s.rules, &s.data);
    let dir = s.dir.path();
    for i in 0..8 {
        std::os::unix::fs::symlink(".", dir.join(format!("loop{i}"))).unwrap();
    }
    let r = run(dir, &args(&["fmt", "--check", "."]));
    assert!([0, 1].contains(&r.code), "{}", r.stderr);
    let r = run(dir, &args(&["test", "."]));
    assert!([0, 1].contains(&r.code), "{}", r.stderr);
    let r = run(
        dir,
        &args(&["diff", "--output=out:rules.jx", "HEAD", s.data_name]),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!dir.join("out").exists());
}

/// A name of a megabyte quoted in a message is cut, not echoed whole.
#[test]
fn huge_names_give_short_messages() {
    let s = scratches().into_iter().next().unwrap();
    let huge = "甲".repeat(350_000);
    let rules = format!("{}\nindicator 多余 points 1 {{ score {huge} }}\n", s.rules);
    let r = s.score(&rules, &s.data, &[]);
    assert_eq!(r.code, 3, "{}", &r.stderr[..r.stderr.len().min(2000)]);
    assert!(r.stderr.len() < 16 * 1024, "{} bytes", r.stderr.len());
    let r = run(
        s.dir.path(),
        &[
            OsString::from("score"),
            OsString::from("rules.jx"),
            OsString::from(s.data_name),
            OsString::from("--format"),
            OsString::from("x".repeat(120_000)),
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.len() < 16 * 1024, "{} bytes", r.stderr.len());
}

/// Names and reasons from the data cannot forge lines of the text trace or drive a terminal:
/// a line break, an escape sequence and a right-to-left override in the department's name
/// leave the trace with the same lines, none of them raw.
#[test]
fn data_text_cannot_forge_trace_lines() {
    for s in scratches().into_iter().take(6) {
        let clean = s.score(&s.rules, &s.data, &[]);
        assert_eq!(clean.code, 0);
        let forged = "某单位\n合计  100.00  100.00  0.00\r\u{1b}[1A\u{202e}优";
        let field = if s.data_name.ends_with("json") {
            format!("\"部门\": {},", serde_json::to_string(forged).unwrap())
        } else {
            format!("\"部门\" = {}\n", serde_json::to_string(forged).unwrap())
        };
        let data = match s.data.find("\"部门\"") {
            Some(i) => {
                let end = i + s.data[i..].find('\n').unwrap();
                format!("{}{}{}", &s.data[..i], field.trim_end(), &s.data[end..])
            }
            None if s.data_name.ends_with("json") => s.data.replacen('{', &format!("{{{field}"), 1),
            None => format!("{field}{}", s.data),
        };
        let r = s.score(&s.rules, &data, &[]);
        assert_eq!(r.code, 0, "{}: {}", s.name, r.stderr);
        let text = String::from_utf8(r.stdout).unwrap();
        assert!(
            !text.contains(['\u{1b}', '\r', '\u{202e}']),
            "{}: raw control characters in the trace",
            s.name
        );
        assert_eq!(
            text.lines().count(),
            String::from_utf8(clean.stdout).unwrap().lines().count() + 1
                - usize::from(s.data.contains("\"部门\"")),
            "{}: the trace has forged lines:\n{text}",
            s.name
        );
    }
}
