//! The formatter over every rule file in the repository: formatting twice changes nothing,
//! and the formatted file parses to the same AST (and the same comments) as the original.

use std::path::{Path, PathBuf};

use jixiao::source::SourceFile;

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
