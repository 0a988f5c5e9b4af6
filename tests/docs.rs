//! The documentation cannot drift: every command shown in README.md and docs/*.md is run, and
//! what the page shows must be what jixiao prints.
//!
//! What a page holds, and what is checked:
//!
//! - A ```` ```console ```` block: each `$ jixiao …` line is run from the repository root (a
//!   line ending in `\` goes on), and the lines below it, up to the next `$`, must be what it
//!   prints (standard output, then standard error, colour off). A line that is only `…` stands
//!   for any number of lines, so a page may show part of a trace. In a line, a digest cut short
//!   (`sha256 6d01d536…`, or `sha256 …`) stands for the whole SHA-256, so an edited example file
//!   changes no page. `cargo run --release -- ARGS` runs the tested binary with ARGS (cargo's
//!   own progress lines are not part of the output).
//! - A ```` ```sh ```` or ```` ```bash ```` block of commands without their output: each
//!   `jixiao` or `cargo run` command is run in a scratch folder that sees the repository's
//!   `rules/`, `fixtures/` and `examples/` (a path under `/tmp/` is moved into it) and must
//!   succeed; every other command must be in [`NOT_RUN`], with the reason.
//! - A ```` ```text ```` block that looks like jixiao's output (a trace, a diagnostic) is an
//!   error: show it as a `console` block with the command that prints it.
//!
//! A hidden comment right before a block (Markdown does not show it) sets it up:
//!
//! ```text
//! <!-- test: in examples/guangzhou-district
//! sed -i 's/良 >= 80/良 >= 85/' rules/department-overall.jx
//! -->
//! ```
//!
//! `in DIR` runs the block in a scratch copy of DIR, after the shell lines below it (with
//! `jixiao` on `PATH`); `from FILE` says the block is an excerpt of FILE: its lines stand in
//! FILE in this order, a `…` line standing for any lines.
//!
//! A failure names the page, the block's line and the command, with a diff of what the page
//! shows against what jixiao prints (the lines a `…` stands for left out). To bring a page up
//! to date, `JIXIAO_DOCS=overwrite cargo test --test docs` writes what jixiao prints into its
//! console blocks; review that with `git diff`, as it may place a `…` otherwise than you would.
//!
//! To document a new command: write a ```` ```console ```` block with its `$ jixiao …` line
//! (and a `<!-- test: in … -->` comment if it needs a folder of its own), run the command
//! above, and cut what the reader does not need with `…` lines.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const BIN: &str = env!("CARGO_BIN_EXE_jixiao");

/// Pages being written elsewhere, not yet checked: delete a page from this list to check it.
const NOT_YET: &[&str] = &[];

/// Commands shown in ```sh blocks that the tests do not run, by how they start, and why.
const NOT_RUN: &[(&str, &str)] = &[
    (
        "cargo install",
        "installs into the user's cargo folder; `cargo run` below builds the same binary",
    ),
    (
        "cargo test",
        "the command that runs these tests; .ci/run runs it (checked below)",
    ),
    ("chromium", "a browser, not jixiao"),
];

/// A fenced block of a page.
struct Block {
    page: String,
    /// The line of the opening fence, from 1.
    line: usize,
    info: String,
    body: Vec<String>,
    setup: Option<Setup>,
}

/// The hidden `<!-- test: … -->` comment before a block.
#[derive(Clone)]
struct Setup {
    /// `in DIR`: run in a scratch copy of DIR.
    dir: Option<String>,
    /// `from FILE`: the block is an excerpt of FILE.
    from: Option<String>,
    /// Shell lines run in the scratch folder before the block.
    run: Vec<String>,
}

impl Block {
    fn place(&self) -> String {
        format!("{}:{}", self.page, self.line)
    }
}

/// README.md and every page under docs/ but those in [`NOT_YET`].
fn pages() -> Vec<String> {
    let mut pages = vec!["README.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .unwrap()
        .map(|e| format!("docs/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".md") && !NOT_YET.contains(&p.as_str()))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

fn blocks(page: &str) -> Vec<Block> {
    let text = std::fs::read_to_string(Path::new(ROOT).join(page)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut setup: Option<Setup> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("<!-- test:") {
            let mut parsed = Setup {
                dir: None,
                from: None,
                run: Vec::new(),
            };
            let head = rest.trim().trim_end_matches("-->").trim().to_string();
            if !rest.contains("-->") {
                loop {
                    i += 1;
                    let l = lines.get(i).unwrap_or_else(|| {
                        panic!("{page}:{}: a test comment is not closed", i + 1)
                    });
                    if l.trim() == "-->" {
                        break;
                    }
                    parsed.run.push(l.trim().to_string());
                }
            }
            if let Some(dir) = head.strip_prefix("in ") {
                parsed.dir = Some(dir.trim().to_string());
            } else if let Some(file) = head.strip_prefix("from ") {
                parsed.from = Some(file.trim().to_string());
            } else {
                panic!("{page}:{}: unknown test comment: {head}", i + 1);
            }
            setup = Some(parsed);
        } else if let Some(info) = trimmed.strip_prefix("```") {
            let indent = line.len() - trimmed.len();
            let start = i + 1;
            let mut body = Vec::new();
            i += 1;
            while i < lines.len() && lines[i].trim_start() != "```" {
                let l = lines[i];
                body.push(l.get(indent..).unwrap_or(l.trim_start()).to_string());
                i += 1;
            }
            out.push(Block {
                page: page.to_string(),
                line: start,
                info: info.trim().to_string(),
                body,
                setup: setup.take(),
            });
        } else if !trimmed.is_empty() {
            // A test comment belongs to the block right after it.
            if let Some(s) = setup.take() {
                panic!(
                    "{page}:{}: a test comment ({:?}) is not followed by a block",
                    i + 1,
                    s.dir.or(s.from)
                );
            }
        }
        i += 1;
    }
    out
}

/// Splits a command line into words as a shell would: quotes, backslashes, a `#` comment.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                word.extend(chars.by_ref().take_while(|&c| c != '\''));
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => word.extend(chars.next()),
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            '#' if !in_word => break,
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

/// The lines of a shell block as commands: a line ending in `\` goes on.
fn commands(lines: &[String]) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for (n, line) in lines.iter().enumerate() {
        if open {
            let last = out.last_mut().unwrap();
            last.1.pop();
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            out.push((n, line.trim().to_string()));
        }
        open = out.last().is_some_and(|(_, c)| c.ends_with('\\'));
    }
    out
}

/// The jixiao arguments of a command that runs jixiao, or None.
fn jixiao_args(words: &[String]) -> Option<Vec<String>> {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    match w.as_slice() {
        ["jixiao", ..] => Some(words[1..].to_vec()),
        ["cargo", "run", "--release", "--", ..] => Some(words[4..].to_vec()),
        _ => None,
    }
}

/// What jixiao prints, standard output then standard error, each line without trailing blanks
/// and without blank lines at the end.
fn run_jixiao(args: &[String], dir: &Path) -> String {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    normalise(&text)
}

fn normalise(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |n| n + 1);
    lines[..end].join("\n")
}

/// `jixiao` on PATH, for the setup lines.
fn path_with_jixiao() -> std::ffi::OsString {
    let bin = Path::new(BIN).parent().unwrap().to_path_buf();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_name() == "target" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The folder a block runs in: the repository, or a scratch copy set up as its comment says.
fn folder(block: &Block) -> (Option<tempfile::TempDir>, PathBuf) {
    let Some(Setup {
        dir: Some(dir),
        run,
        ..
    }) = &block.setup
    else {
        return (None, PathBuf::from(ROOT));
    };
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join(Path::new(dir).file_name().unwrap());
    copy_dir(&Path::new(ROOT).join(dir), &work);
    for line in run {
        let out = Command::new("bash")
            .args(["-c", line])
            .current_dir(&work)
            .env("PATH", path_with_jixiao())
            .env("NO_COLOR", "1")
            .env("GIT_AUTHOR_NAME", "审计")
            .env("GIT_AUTHOR_EMAIL", "audit@example.org")
            .env("GIT_COMMITTER_NAME", "审计")
            .env("GIT_COMMITTER_EMAIL", "audit@example.org")
            // The machine's git settings (signed commits, hooks) are not the test's.
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: setup `{line}` failed:\n{}{}",
            block.place(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (Some(tmp), work)
}

/// Whether `expected` (a page's lines, `…` lines standing for any lines) matches `actual`.
fn lines_match(expected: &[&str], actual: &[&str]) -> bool {
    // table[i][j]: expected[i..] matches actual[j..].
    let (n, m) = (expected.len(), actual.len());
    let mut table = vec![vec![false; m + 1]; n + 1];
    table[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            table[i][j] = if expected[i].trim() == "…" {
                table[i + 1][j] || (j < m && table[i][j + 1])
            } else {
                j < m && line_matches(expected[i], actual[j]) && table[i + 1][j + 1]
            };
        }
    }
    table[0][0]
}

/// A line of a page against a line printed: the same, but that a digest may be cut short
/// (`sha256 6d01d536…`, `sha256 …`): a word of at most 63 hexadecimal digits and `…` stands
/// for a SHA-256 that begins with them.
fn line_matches(expected: &str, actual: &str) -> bool {
    if expected == actual {
        return true;
    }
    let (mut e, mut a) = (expected, actual);
    while let Some(at) = e.find("sha256 ") {
        let start = at + "sha256 ".len();
        if a.get(..start) != Some(&e[..start]) {
            return false;
        }
        let rest = &e[start..];
        let digits = rest
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len());
        let shown = &rest[..digits];
        if !rest[digits..].starts_with('…') {
            return false;
        }
        let whole = &a[start..];
        let len = whole
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(whole.len());
        if len != 64 || !whole.starts_with(shown) {
            return false;
        }
        e = &rest[digits + '…'.len_utf8()..];
        a = &whole[64..];
    }
    e == a
}

/// What the page would show of `actual`: `actual` aligned with the page's lines (as few lines
/// changed as can be), the lines a `…` stands for left out and the lines that match as the
/// page writes them. Diffed with the page, it shows only what changed.
fn as_the_page_would_show(expected: &[&str], actual: &[&str]) -> Vec<String> {
    const NEVER: usize = usize::MAX / 2;
    // A line printed and not shown costs 1, a line shown changed to one like it 1, a line shown
    // that is gone or replaced by another 10: so the page keeps its lines where it can.
    const GONE: usize = 10;
    let changed = |i: usize, j: usize| {
        if line_matches(expected[i], actual[j]) {
            0
        } else if similar::TextDiff::from_chars(expected[i], actual[j]).ratio() >= 0.5 {
            1
        } else {
            GONE
        }
    };
    let (n, m) = (expected.len(), actual.len());
    // cost[i][j]: the cost of expected[i..] showing actual[j..].
    let mut cost = vec![vec![NEVER; m + 1]; n + 1];
    cost[n][m] = 0;
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            if i == n && j == m {
                continue;
            }
            let mut best = NEVER;
            if i < n && expected[i].trim() == "…" {
                best = best.min(cost[i + 1][j]);
                if j < m {
                    best = best.min(cost[i][j + 1]);
                }
            } else if i < n {
                if j < m {
                    best = best.min(cost[i + 1][j + 1] + changed(i, j));
                }
                best = best.min(cost[i + 1][j] + GONE);
            }
            if j < m {
                best = best.min(cost[i][j + 1] + 1);
            }
            cost[i][j] = best;
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        let here = cost[i][j];
        if i < n && expected[i].trim() == "…" {
            if j < m && cost[i][j + 1] == here {
                j += 1;
                continue;
            }
            if cost[i + 1][j] == here {
                out.push(expected[i].to_string());
                i += 1;
                continue;
            }
        } else if i < n && j < m && cost[i + 1][j + 1] + changed(i, j) == here {
            // A line that matches stays as the page writes it (a digest cut short).
            let line = if changed(i, j) == 0 {
                expected[i]
            } else {
                actual[j]
            };
            out.push(line.to_string());
            (i, j) = (i + 1, j + 1);
            continue;
        } else if i < n && cost[i + 1][j] + GONE == here {
            i += 1;
            continue;
        }
        out.push(actual[j].to_string());
        j += 1;
    }
    out
}

fn diff(expected: &str, actual: &str, what: &str) -> String {
    similar::TextDiff::from_lines(&format!("{expected}\n"), &format!("{actual}\n"))
        .unified_diff()
        .context_radius(3)
        .header("the page shows", what)
        .to_string()
}

/// Lines of a page to replace: from, to (exclusive, 0-based), and the new lines.
type Fix = (usize, usize, Vec<String>);

/// Runs a console block; a mismatch is written to `failures`, with its fix to `fixes`.
fn check_console(block: &Block, failures: &mut String, fixes: &mut Vec<Fix>) -> usize {
    let (_tmp, dir) = folder(block);
    let mut count = 0;
    let mut at = 0;
    let lines = &block.body;
    while at < lines.len() {
        let Some(first) = lines[at].strip_prefix("$ ") else {
            panic!(
                "{}: a console block starts with a `$ jixiao …` line, not {:?}",
                block.place(),
                lines[at]
            );
        };
        let mut command = first.trim().to_string();
        at += 1;
        while command.ends_with('\\') && at < lines.len() {
            command.pop();
            command.push(' ');
            command.push_str(lines[at].trim());
            at += 1;
        }
        let end = (at..lines.len())
            .find(|&n| lines[n].starts_with("$ "))
            .unwrap_or(lines.len());
        let expected = normalise(&lines[at..end].join("\n"));
        let output_at = at;
        at = end;
        let args = jixiao_args(&words(&command)).unwrap_or_else(|| {
            panic!(
                "{}: a console block runs jixiao (or `cargo run --release --`), not `{command}`",
                block.place()
            )
        });
        let actual = run_jixiao(&args, &dir);
        count += 1;
        let want: Vec<&str> = expected.lines().collect();
        let have: Vec<&str> = actual.lines().collect();
        if !lines_match(&want, &have) {
            let shown = as_the_page_would_show(&want, &have);
            let _ = write!(
                failures,
                "\n{}: `{command}` printed other output than the page shows \
                 (a `…` line on the page stands for any lines):\n{}",
                block.place(),
                diff(&expected, &shown.join("\n"), "jixiao prints")
            );
            // The body's first line is the page's line `block.line` (from 0); keep the blank
            // lines that end the output.
            let kept = lines[output_at..end].len() - want.len().min(end - output_at);
            let first = block.line + output_at;
            fixes.push((first, first + (end - output_at) - kept, shown));
        }
    }
    count
}

/// The jixiao commands of a shell block run and succeed; the others are known not to run.
fn check_shell(block: &Block, failures: &mut String) -> usize {
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["rules", "fixtures", "examples", "tests"] {
        std::os::unix::fs::symlink(Path::new(ROOT).join(dir), tmp.path().join(dir)).unwrap();
    }
    let scratch = format!("{}/", tmp.path().display());
    let mut count = 0;
    for (n, command) in commands(&block.body) {
        let words: Vec<String> = words(&command)
            .into_iter()
            .map(|w| w.replace("/tmp/", &scratch))
            .collect();
        if words.is_empty() {
            continue;
        }
        if let Some(args) = jixiao_args(&words) {
            let out = Command::new(BIN)
                .args(&args)
                .current_dir(tmp.path())
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            count += 1;
            if !out.status.success() {
                let _ = write!(
                    failures,
                    "\n{}:{}: `{command}` failed:\n{}{}",
                    block.page,
                    block.line + 1 + n,
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        } else if !NOT_RUN.iter().any(|(start, _)| command.starts_with(start)) {
            let _ = write!(
                failures,
                "\n{}:{}: `{command}` is neither run by tests/docs.rs nor listed in its NOT_RUN",
                block.page,
                block.line + 1 + n
            );
        }
    }
    count
}

/// A block that is an excerpt of a file: its lines stand in the file in this order.
fn check_excerpt(block: &Block, file: &str, failures: &mut String) -> usize {
    let text = std::fs::read_to_string(Path::new(ROOT).join(file))
        .unwrap_or_else(|e| panic!("{}: {file}: {e}", block.place()));
    let text = normalise(&text);
    let mut want = vec!["…"];
    want.extend(block.body.iter().map(|l| l.trim_end()));
    want.push("…");
    let have: Vec<&str> = text.lines().collect();
    if !lines_match(&want, &have) {
        let shown = block.body.join("\n");
        let _ = write!(
            failures,
            "\n{}: the block is not an excerpt of {file}:\n{}",
            block.place(),
            diff(&shown, &text, file)
        );
    }
    1
}

/// A text block that a reader would take for jixiao's output.
fn looks_like_output(body: &[String]) -> bool {
    const LABELS: &[&str] = &[
        "评级",
        "合计",
        "舍入",
        "输入",
        "计算",
        "得分",
        "目标",
        "扣分",
        "分档",
        "分类",
        "检查",
        "否决",
        "不适用",
        "分配",
        "折算",
        "规则",
        "数据",
    ];
    body.iter().any(|line| {
        let l = line.trim_start();
        l.starts_with("$ jixiao")
            || l.starts_with("jixiao::")
            || l.starts_with("╭─[")
            || LABELS
                .iter()
                .any(|label| l.strip_prefix(label).is_some_and(|r| r.starts_with("  ")))
    })
}

/// Checks every block of a page; returns how many commands and excerpts were checked. With
/// `JIXIAO_DOCS=overwrite`, a console block's output is rewritten to what jixiao prints
/// (keeping its `…` lines where they still fit): review the change with `git diff`.
fn check_page(page: &str) -> Result<usize, String> {
    let mut failures = String::new();
    let mut fixes = Vec::new();
    let mut count = 0;
    for block in blocks(page) {
        if let Some(file) = block.setup.as_ref().and_then(|s| s.from.clone()) {
            count += check_excerpt(&block, &file, &mut failures);
            continue;
        }
        match block.info.as_str() {
            "console" => count += check_console(&block, &mut failures, &mut fixes),
            "sh" | "bash" => count += check_shell(&block, &mut failures),
            "text" if looks_like_output(&block.body) => {
                let _ = write!(
                    failures,
                    "\n{}: this text block looks like jixiao's output: make it a console block \
                     with the `$ jixiao …` command that prints it",
                    block.place()
                );
            }
            _ => {}
        }
    }
    if !fixes.is_empty() && std::env::var("JIXIAO_DOCS").as_deref() == Ok("overwrite") {
        let path = Path::new(ROOT).join(page);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (from, to, new) in fixes.into_iter().rev() {
            let indent: String = lines[from - 1].chars().take_while(|c| *c == ' ').collect();
            let new = new.into_iter().map(|l| {
                if l.is_empty() {
                    l
                } else {
                    format!("{indent}{l}")
                }
            });
            lines.splice(from..to, new);
        }
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        failures.insert_str(
            0,
            "\n(rewritten with JIXIAO_DOCS=overwrite: review it with git diff)",
        );
    } else if !fixes.is_empty() {
        failures.push_str(
            "\n\nTo write what jixiao prints into the page: \
             JIXIAO_DOCS=overwrite cargo test --test docs",
        );
    }
    if failures.is_empty() {
        Ok(count)
    } else {
        Err(format!("{page} has drifted:\n{failures}"))
    }
}

#[test]
fn the_readme_shows_what_jixiao_prints() {
    let checked = check_page("README.md").unwrap_or_else(|e| panic!("{e}"));
    assert!(checked >= 4, "only {checked} checked");
}

#[test]
fn the_readme_test_command_is_what_ci_runs() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let ci = std::fs::read_to_string(Path::new(ROOT).join(".ci/run")).unwrap();
    let block = blocks("README.md")
        .into_iter()
        .find(|b| b.info == "sh" && b.body == ["cargo test"])
        .expect("README.md shows `cargo test` as a block of its own");
    assert!(readme.contains("Run the tests"), "{}", block.place());
    assert!(
        ci.contains("\ncargo test --locked\n"),
        ".ci/run runs the tests"
    );
}

#[test]
fn every_page_shows_what_jixiao_prints() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for page in pages().into_iter().filter(|p| p != "README.md") {
        match check_page(&page) {
            Ok(count) => checked += count,
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 19, "only {checked} checked");
}

/// docs/errors.md shows, under a code, the command that triggers it (in a ```text block, as
/// `jixiao explain` prints it): each such command, run beside a rule file `rules.jx` (which
/// imports `template/province.jx`) and its `data.toml`, with `rules/`, `fixtures/` and `tests/` at
/// hand, prints that code.
#[test]
fn the_commands_in_the_registry_trigger_their_code() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_dir(&Path::new(ROOT).join("fixtures/imports"), dir);
    std::fs::copy(dir.join("district.jx"), dir.join("rules.jx")).unwrap();
    std::fs::copy(dir.join("data.toml"), dir.join("data.tsv")).unwrap();
    for folder in ["rules", "fixtures", "tests"] {
        std::os::unix::fs::symlink(Path::new(ROOT).join(folder), dir.join(folder)).unwrap();
    }
    let mut code = String::new();
    let mut checked = 0;
    for block in blocks("docs/errors.md") {
        // The code of the section the block stands in.
        let text = std::fs::read_to_string(Path::new(ROOT).join(&block.page)).unwrap();
        if let Some(heading) = text
            .lines()
            .take(block.line)
            .filter_map(|l| l.strip_prefix("## "))
            .last()
        {
            code = heading.trim().to_string();
        }
        for (_, command) in commands(&block.body) {
            let Some(args) = jixiao_args(&words(&command)) else {
                continue;
            };
            let out = run_jixiao(&args, dir);
            assert!(
                out.contains(&code),
                "{}: `{command}` does not print {code}:\n{out}",
                block.place()
            );
            checked += 1;
        }
    }
    assert!(checked >= 7, "only {checked} commands");
}
