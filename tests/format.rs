//! The formatter over every rule file in the repository: formatting twice changes nothing,
//! and the formatted file parses to the same AST (and the same comments) as the original.

use std::path::{Path, PathBuf};

use jixiao::source::SourceFile;
use jixiao::syntax::keywords::Spelling;

fn rule_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "jx") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["rules", "fixtures", "examples"] {
        walk(&root.join(dir), &mut out);
    }
    out.sort();
    out
}

fn comments(file: &jixiao::syntax::ast::File) -> Vec<(String, bool)> {
    file.comments
        .iter()
        .map(|c| (c.text.trim_end().to_string(), c.doc))
        .collect()
}

#[test]
fn formatting_is_idempotent_and_keeps_the_ast() {
    let mut formatted_files = 0;
    for path in rule_files() {
        let Ok(source) = SourceFile::read(&path) else {
            continue;
        };
        // Files with syntax errors (err_ fixtures) cannot be formatted.
        let Ok(ast) = jixiao::syntax::parse(&source) else {
            continue;
        };
        let once = jixiao::format::format(&ast, source.text());
        let reparsed = jixiao::syntax::parse(&SourceFile::new("formatted.jx", once.clone()))
            .unwrap_or_else(|e| {
                panic!(
                    "{}: the formatted file does not parse: {e:?}\n{once}",
                    path.display()
                )
            });
        assert_eq!(
            reparsed.items,
            ast.items,
            "{}: formatting changed the AST",
            path.display()
        );
        assert_eq!(
            comments(&reparsed),
            comments(&ast),
            "{}: formatting lost or changed comments",
            path.display()
        );
        let twice = jixiao::format::format(&reparsed, &once);
        assert_eq!(
            twice,
            once,
            "{}: formatting is not idempotent",
            path.display()
        );
        formatted_files += 1;
    }
    assert!(
        formatted_files >= 20,
        "only {formatted_files} rule files were formatted"
    );
}

/// What `jixiao fmt --check` checks in CI: every rule file in the repository that parses is
/// already in the canonical layout.
#[test]
fn every_rule_file_in_the_repository_is_formatted() {
    for path in rule_files() {
        let Ok(source) = SourceFile::read(&path) else {
            continue;
        };
        let Ok(ast) = jixiao::syntax::parse(&source) else {
            continue;
        };
        assert_eq!(
            jixiao::format::format(&ast, source.text()),
            source.text(),
            "{}: run `jixiao fmt`",
            path.display()
        );
    }
}

#[test]
fn a_messy_file_is_laid_out_canonically() {
    let messy = "// 头\nrulebook   \"测试\"{total 100\nround 四舍五入 2 each   indicator // 舍入\n  rating 优>=90,差}\ninput a:money   // 甲\n\n\nlet x=(a+1)*2\nindicator 甲 points 100 { basis \"说明\"\n  score if a>=((5)) 且 not (a<1) then points\n      // 中间\n      else ((a)) × 2 ÷ 3}   // 尾\n";
    let ast = jixiao::syntax::parse(&SourceFile::new("m.jx", messy)).unwrap();
    let expected = "// 头\nrulebook \"测试\" {\n  total 100\n  round 四舍五入 2 each indicator  // 舍入\n  rating 优 >= 90, 差\n}\ninput a: money  // 甲\n\nlet x = (a + 1) * 2\nindicator 甲 points 100 {\n  basis \"说明\"\n  score if a >= (5) 且 not (a < 1) then points else (a) × 2 ÷ 3  // 中间\n}  // 尾\n";
    assert_eq!(jixiao::format::format(&ast, messy), expected);
}

/// A byte-order mark opening the file (Windows Notepad) is kept, and formatting twice still
/// changes nothing.
#[test]
fn a_byte_order_mark_is_kept() {
    let text = "\u{feff}rulebook \"t\" {\n  total 10\n  rating 优 >= 9, 差\n}\ninput a: money\nindicator x points 10 {\n  score a * points\n}\n";
    let ast = jixiao::syntax::parse(&SourceFile::new("b.jx", text)).unwrap();
    assert_eq!(jixiao::format::format(&ast, text), text);
}

/// `text` with every line break (CRLF, LF or a lone CR) written as `ending`.
fn with_endings(text: &str, ending: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', ending)
}

/// The line breaks a text holds, by kind.
fn endings(text: &str) -> (usize, usize, usize) {
    let crlf = text.matches("\r\n").count();
    let lf = text.matches('\n').count() - crlf;
    let cr = text.matches('\r').count() - crlf;
    (lf, crlf, cr)
}

/// Every indicator's location, depth first.
fn locations(trace: &jixiao::Trace, nodes: &[jixiao::trace::Node], out: &mut Vec<String>) {
    for n in nodes {
        let at = &n.location;
        let file = trace.file_name(at.file);
        match &at.cell {
            Some(cell) => out.push(format!("{} {file} {cell}", n.name)),
            None => out.push(format!("{} {file}:{}", n.name, at.line)),
        }
        locations(trace, &n.children, out);
    }
}

/// The data files scored against `rules` by the fixture cases (a case names its rules and data
/// relative to its folder; several cases share the bundled rule files).
fn data_of(rules: &Path) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(dir.join("case.toml")) else {
            continue;
        };
        let field = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
                .map(|v| jixiao::source::normalize(&dir.join(v.trim_end_matches('"'))))
        };
        if let (Some(r), Some(d)) = (field("rules"), field("data"))
            && r == jixiao::source::normalize(rules)
        {
            out.push(d);
        }
    }
    out.sort();
    out
}

/// CRLF, LF and a lone CR each end a line, everywhere: every rule file, written with each of
/// the three, formats idempotently to the same AST and comments keeping its own line breaks,
/// and scores the same, with every indicator at the same `file:line`, as the file as it is.
#[test]
fn every_line_ending_formats_and_scores_the_same() {
    let mut scored = 0;
    for path in rule_files() {
        let Ok(source) = SourceFile::read(&path) else {
            continue;
        };
        let Ok(ast) = jixiao::syntax::parse(&source) else {
            continue;
        };
        // Cases that fail on purpose (err_ fixtures) are formatted but not scored.
        let expected: Vec<_> = data_of(&path)
            .iter()
            .filter_map(|d| {
                let data = jixiao::pipeline::read(d).ok()?;
                let (_, trace) = jixiao::pipeline::score(&source, &data).ok()?;
                let mut at = Vec::new();
                locations(&trace, &trace.indicators, &mut at);
                Some((data, trace.total, at, trace.rating))
            })
            .collect();
        for (name, ending) in [("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r")] {
            let what = format!("{} with {name}", path.display());
            let text = with_endings(source.text(), ending);
            let styled = SourceFile::new(source.name(), text.clone()).at_path(&path);
            let parsed = jixiao::syntax::parse(&styled)
                .unwrap_or_else(|e| panic!("{what}: does not parse: {e:?}"));
            assert_eq!(parsed.items, ast.items, "{what}: a different AST");
            assert_eq!(comments(&parsed), comments(&ast), "{what}: other comments");
            let once = jixiao::format::format(&parsed, &text);
            assert_eq!(
                once,
                with_endings(&jixiao::format::format(&ast, source.text()), ending),
                "{what}: formatted differently from the file as it is"
            );
            let lines = once.matches(ending).count();
            let want = match name {
                "LF" => (lines, 0, 0),
                "CRLF" => (0, lines, 0),
                _ => (0, 0, lines),
            };
            assert_eq!(
                endings(&once),
                want,
                "{what}: its line breaks were not kept"
            );
            let reparsed = jixiao::syntax::parse(&SourceFile::new("formatted.jx", once.clone()))
                .unwrap_or_else(|e| panic!("{what}: the formatted file does not parse: {e:?}"));
            assert_eq!(
                reparsed.items, ast.items,
                "{what}: formatting changed the AST"
            );
            assert_eq!(
                jixiao::format::format(&reparsed, &once),
                once,
                "{what}: not idempotent"
            );
            for (data, total, at, rating) in &expected {
                for rules in [
                    &styled,
                    &SourceFile::new(source.name(), once.clone()).at_path(&path),
                ] {
                    let (_, trace) = jixiao::pipeline::score(rules, data).unwrap_or_else(|e| {
                        panic!("{what}: {}", e.render(jixiao::diagnostics::Style::Plain))
                    });
                    assert_eq!(&trace.total, total, "{what}: another total");
                    assert_eq!(&trace.rating, rating, "{what}: another rating");
                    let mut got = Vec::new();
                    locations(&trace, &trace.indicators, &mut got);
                    assert_eq!(&got, at, "{what}: other locations");
                }
                scored += 1;
            }
        }
    }
    assert!(scored >= 3 * 15, "only {scored} scoring runs");
}

/// Diagnostics point at the same line and column whatever ends the lines, and count columns
/// in characters, in the drawn snippet as in JSON.
#[test]
fn diagnostics_place_errors_alike_in_every_line_ending() {
    let text = "rulebook \"t\" { total 10  rating 优 >= 9, 差 }\n// 注释\ninput 预算数: money\nindicator 甲 points 10 {\n  score 预算数 × 2 + 未知数\n}\n";
    for ending in ["\n", "\r\n", "\r"] {
        let rules = SourceFile::new("e.jx", with_endings(text, ending));
        let failure = jixiao::pipeline::check_rules(&rules).unwrap_err();
        let plain = failure.render(jixiao::diagnostics::Style::Plain);
        assert!(plain.contains("╭─[e.jx:5:19]"), "{ending:?}:\n{plain}");
        assert!(
            plain.contains(" 5 │   score 预算数 × 2 + 未知数\n"),
            "{ending:?}:\n{plain}"
        );
        assert!(!plain.contains('\r'), "{ending:?}: a CR in the snippet");
        let json = failure.render(jixiao::diagnostics::Style::Json);
        assert!(json.contains("\"column\":19,"), "{ending:?}: {json}");
        assert!(json.contains("\"line\":5,"), "{ending:?}: {json}");
    }
}

/// `format_with` in one spelling.
fn spelled(ast: &jixiao::syntax::ast::File, text: &str, spelling: Spelling) -> String {
    jixiao::format::format_with(ast, text, Some(spelling))
}

/// Parses a formatted text, which must parse to `ast` with the same comments.
fn reparse(text: &str, ast: &jixiao::syntax::ast::File, what: &str) -> jixiao::syntax::ast::File {
    let parsed = jixiao::syntax::parse(&SourceFile::new("spelled.jx", text))
        .unwrap_or_else(|e| panic!("{what}: does not parse: {e:?}\n{text}"));
    assert_eq!(parsed.items, ast.items, "{what}: another AST");
    assert_eq!(comments(&parsed), comments(ast), "{what}: other comments");
    parsed
}

/// Every rule file, written with Chinese keywords and then with English ones, parses to the
/// same AST each time, and fmt keeps either; a file written in one spelling comes back to its
/// own fmt output byte for byte after a round through the other.
#[test]
fn every_rule_file_converts_between_the_spellings() {
    use Spelling::{Chinese, English};
    let (mut english, mut chinese, mut mixed) = (0, 0, 0);
    for path in rule_files() {
        let Ok(source) = SourceFile::read(&path) else {
            continue;
        };
        let Ok(ast) = jixiao::syntax::parse(&source) else {
            continue;
        };
        let what = path.display();
        let text = source.text();
        let fmt = jixiao::format::format(&ast, text);
        let zh = spelled(&ast, text, Chinese);
        let en = spelled(&ast, text, English);
        let zh_ast = reparse(&zh, &ast, &format!("{what} in Chinese"));
        let en_ast = reparse(&en, &ast, &format!("{what} in English"));
        assert_eq!(
            jixiao::format::format(&zh_ast, &zh),
            zh,
            "{what}: fmt of the Chinese version is not idempotent"
        );
        assert_eq!(
            jixiao::format::format(&en_ast, &en),
            en,
            "{what}: fmt of the English version is not idempotent"
        );
        assert_eq!(
            spelled(&zh_ast, &zh, English),
            en,
            "{what}: to Chinese and back"
        );
        assert_eq!(
            spelled(&en_ast, &en, Chinese),
            zh,
            "{what}: to English and back"
        );
        // A file in one spelling is that spelling's fmt output; the others mix the two (an
        // English file with `四舍五入` or `且`), and come back as the English or Chinese version.
        if fmt == en {
            english += 1;
        } else if fmt == zh {
            chinese += 1;
        } else {
            mixed += 1;
        }
    }
    assert!(english >= 60, "only {english} files in English keywords");
    assert!(chinese >= 4, "only {chinese} files in Chinese keywords");
    assert!(mixed <= 2, "{mixed} files mix the spellings");
}

/// Without `--keywords`, each keyword keeps the spelling it was written in, however mixed.
#[test]
fn fmt_keeps_each_keyword_as_written() {
    let messy = "评分表 \"混合\" {总分 100\nround 四舍五入 2 各 indicator\n  等级 优>=90,差}\ninput a:金额 可选\n输入 b: yesno\n令 x=如果 a>1 then 分值 else 0\nindicator 甲 分值 60 { 评分标准 \"说明\"\n  score x 且 b == 是 or not b}\n指标 乙 points 40 择一 {\n  indicator 丙 分值 40 { 不适用 如果 非 b => 重新分配\n得分 points }\n  指标 丁 points 40 { not applicable if b => full\n    扣 1 per started 1% 高于 100% 按 a } }\n";
    let ast = jixiao::syntax::parse(&SourceFile::new("m.jx", messy)).unwrap();
    let expected = "评分表 \"混合\" {\n  总分 100\n  round 四舍五入 2 各 indicator\n  等级 优 >= 90, 差\n}\ninput a: 金额 可选\n输入 b: yesno\n令 x = 如果 a > 1 then 分值 else 0\nindicator 甲 分值 60 {\n  评分标准 \"说明\"\n  score x 且 b == 是 or not b\n}\n指标 乙 points 40 择一 {\n  indicator 丙 分值 40 {\n    不适用 如果 非 b => 重新分配\n    得分 points\n  }\n  指标 丁 points 40 {\n    not applicable if b => full\n    扣 1 per started 1% 高于 100% 按 a\n  }\n}\n";
    let once = jixiao::format::format(&ast, messy);
    assert_eq!(once, expected);
    let reparsed = reparse(&once, &ast, "mixed");
    assert_eq!(jixiao::format::format(&reparsed, &once), once);
    let zh = spelled(&ast, messy, Spelling::Chinese);
    assert!(zh.contains("舍入 四舍五入 2 各 指标\n"), "{zh}");
    assert!(zh.contains("得分 x 且 b == 是 或 非 b\n"), "{zh}");
    assert!(zh.contains("扣 1 每 进一 1% 高于 100% 按 a\n"), "{zh}");
    assert!(zh.contains("不适用 如果 b => 计满分\n"), "{zh}");
    let en = spelled(&ast, messy, Spelling::English);
    assert!(en.contains("round half_up 2 each indicator\n"), "{en}");
    assert!(en.contains("score x and b == true or not b\n"), "{en}");
    assert!(
        en.contains("deduct 1 per started 1% above 100% of a\n"),
        "{en}"
    );
    assert!(en.contains("indicator 乙 points 40 one of {\n"), "{en}");
}

/// The Chinese twin of each rule file in rules/ and examples/ (`foo.zh.jx` beside `foo.jx`),
/// as `jixiao fmt --keywords zh` writes it.
fn twins() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    rule_files()
        .into_iter()
        .filter(|p| {
            (p.starts_with(root.join("rules")) || p.starts_with(root.join("examples")))
                && !p.to_string_lossy().ends_with(".zh.jx")
        })
        .map(|p| {
            let twin = p.with_extension("zh.jx");
            (p, twin)
        })
        .collect()
}

#[test]
fn every_rule_file_has_its_chinese_twin() {
    let twins = twins();
    assert!(twins.len() >= 4, "only {} rule files", twins.len());
    for (original, twin) in twins {
        let source = SourceFile::read(&original).unwrap();
        let ast = jixiao::syntax::parse(&source).unwrap();
        let want = spelled(&ast, source.text(), Spelling::Chinese);
        let have = std::fs::read_to_string(&twin).unwrap_or_default();
        assert!(
            have == want,
            "{} is missing or out of date: copy {} to it and run `jixiao fmt --keywords zh` on it",
            twin.display(),
            original.display()
        );
    }
}

/// `jixiao score` of a twin prints what it prints for the original, in text and in JSON, but
/// for the rule file's own path and hash, which name the file scored.
#[test]
fn twins_score_the_same_as_their_originals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = |p: &Path| p.strip_prefix(root).unwrap().to_string_lossy().to_string();
    let mut runs = 0;
    for (original, twin) in twins() {
        let mut data = data_of(&original);
        // An example rules repository scores every department file it holds.
        if let Ok(rel) = original.strip_prefix(root.join("examples"))
            && let Some(repo) = rel.components().next()
        {
            let departments = root.join("examples").join(repo).join("departments");
            for entry in std::fs::read_dir(departments).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "toml" || e == "json") {
                    data.push(path);
                }
            }
        }
        assert!(
            !data.is_empty(),
            "{}: no data scores it",
            original.display()
        );
        let hash = |p: &Path| SourceFile::read(p).unwrap().sha256().to_string();
        for data in data {
            for format in ["text", "json"] {
                let score = |rules: &Path| {
                    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
                        .args([
                            "score",
                            "--format",
                            format,
                            &relative(rules),
                            &relative(&data),
                        ])
                        .current_dir(root)
                        .env("NO_COLOR", "1")
                        .output()
                        .unwrap();
                    (
                        out.status.code(),
                        String::from_utf8(out.stdout).unwrap(),
                        String::from_utf8(out.stderr).unwrap(),
                    )
                };
                let (code, want, warnings) = score(&original);
                let (twin_code, out, twin_warnings) = score(&twin);
                let name = |p: &Path| p.file_name().unwrap().to_string_lossy().to_string();
                let have = out
                    .replace(&name(&twin), &name(&original))
                    .replace(&hash(&twin), &hash(&original));
                let what = format!("{} with {} as {format}", twin.display(), data.display());
                assert_eq!(twin_code, code, "{what}: another exit code");
                assert_eq!(have, want, "{what}: another output");
                // A diagnostic quotes the rule file's lines, which are spelled differently: a
                // failure (err_ fixtures) must be the same failure, by its code.
                let first_line = |s: &str| s.lines().next().unwrap_or("").to_string();
                assert_eq!(
                    first_line(&twin_warnings),
                    first_line(&warnings),
                    "{what}: another diagnostic"
                );
                runs += 1;
            }
        }
    }
    assert!(runs >= 10, "only {runs} runs");
}

/// The ```text blocks of a Markdown file, each with the last line of prose before it.
fn text_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = markdown.lines();
    let mut before = String::new();
    while let Some(line) = lines.next() {
        if line == "```text" {
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            out.push((before.clone(), body.join("\n") + "\n"));
        } else if !line.trim().is_empty() {
            before = line.to_string();
        }
    }
    out
}

fn parse_text(text: &str) -> Option<jixiao::syntax::ast::File> {
    jixiao::syntax::parse(&SourceFile::new("doc.jx", text)).ok()
}

/// docs/language.md lists every keyword with its Chinese spelling, and each example is followed
/// by its Chinese twin (`中文关键字：`): the same rules, where the example is a whole file.
#[test]
fn the_language_reference_shows_both_spellings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/language.md")).unwrap();
    for word in jixiao::syntax::keywords::ALL {
        let row = format!("| `{}` | `{}` |", word.en, word.zh);
        assert!(doc.contains(&row), "docs/language.md lacks the row {row}");
    }
    let blocks = text_blocks(&doc);
    let mut whole = 0;
    for pair in blocks.windows(2) {
        let ((_, en), (label, zh)) = (&pair[0], &pair[1]);
        if label != "中文关键字：" {
            continue;
        }
        match (parse_text(en), parse_text(zh)) {
            (Some(en_ast), Some(zh_ast)) => {
                assert_eq!(zh_ast.items, en_ast.items, "another AST:\n{en}\n{zh}");
                whole += 1;
            }
            // An excerpt with `…` parses in neither spelling.
            (None, None) => {}
            _ => panic!("only one of these parses:\n{en}\n{zh}"),
        }
    }
    assert!(whole >= 15, "only {whole} examples with their Chinese twin");
}

/// README.md shows the seed rule file and an excerpt of its Chinese twin: the same rules.
#[test]
fn the_readme_shows_the_seed_rules_in_both_spellings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let blocks = text_blocks(&readme);
    let find = |start: &str| {
        blocks
            .iter()
            .find(|(_, b)| b.starts_with(start))
            .and_then(|(_, b)| parse_text(b))
            .unwrap_or_else(|| panic!("README.md has no rules starting {start:?} that parse"))
    };
    let en = find("rulebook \"部门整体支出绩效自评（广州市）\"");
    let zh = find("评分表 \"部门整体支出绩效自评（广州市）\"");
    assert_eq!(zh.items, en.items);
    // An excerpt: every line of it stands in the twin.
    let twin =
        std::fs::read_to_string(root.join("rules/guangzhou/department-overall.zh.jx")).unwrap();
    let (_, excerpt) = blocks
        .iter()
        .find(|(_, b)| b.starts_with("评分表"))
        .unwrap();
    for line in excerpt.lines().filter(|l| !l.is_empty()) {
        assert!(
            twin.lines().any(|t| t == line),
            "README.md: {line:?} is not in the twin"
        );
    }
}
