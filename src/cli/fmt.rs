//! `jixiao fmt [PATH…] [--check] [--keywords zh|en]`: rule files in the canonical layout (see
//! `jixiao::format`), optionally with every keyword in one spelling.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jixiao::diagnostics::{Lang, Look};
use jixiao::pipeline::{self, Failure};
use jixiao::syntax::keywords::Spelling;

/// Formats every `.jx` file under `paths` (files or folders; the current folder by default).
/// With `check`, writes nothing and lists the files that would change, exiting 1 if any would.
/// A file that does not parse is reported and left alone (exit 3). With `keywords`, every
/// keyword is written in that spelling.
pub fn run(paths: &[PathBuf], check: bool, keywords: Option<Spelling>, look: Look) -> ExitCode {
    let roots = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut files = Vec::new();
    for root in &roots {
        collect(root, &mut files);
    }
    files.sort();
    files.dedup();
    let (mut changed, mut broken) = (0, 0);
    // The listing failing to print does not stop the formatting; it fails the run at the end.
    let mut listing: Option<Failure> = None;
    for path in &files {
        match format_one(path, check, keywords) {
            Ok(false) => {}
            Ok(true) => {
                changed += 1;
                let verb = match (look.lang, check) {
                    (Lang::En, true) => "would reformat ",
                    (Lang::En, false) => "formatted ",
                    (Lang::Zh, true) => "需要排版：",
                    (Lang::Zh, false) => "已排版：",
                };
                if listing.is_none() {
                    let line = format!("{verb}{}\n", jixiao::source::display_path(path));
                    listing = super::to_stdout(&line).err();
                }
            }
            Err(failure) => {
                broken += 1;
                super::to_stderr(&failure.render(look));
            }
        }
    }
    if let Some(failure) = &listing {
        super::to_stderr(&failure.render(look));
    }
    if broken > 0 {
        ExitCode::from(3)
    } else if let Some(failure) = listing {
        ExitCode::from(failure.exit_code())
    } else if check && changed > 0 {
        let files = files.len();
        super::to_stderr(&match look.lang {
            Lang::En => format!(
                "{changed} of {files} file{} not formatted; run `jixiao fmt`\n",
                if files == 1 { " is" } else { "s are" }
            ),
            Lang::Zh => {
                format!("{files} 个文件中有 {changed} 个未按规范排版；运行 `jixiao fmt` 排版\n")
            }
        });
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether the file changed (or would).
fn format_one(path: &Path, check: bool, keywords: Option<Spelling>) -> Result<bool, Failure> {
    let source = pipeline::read(path)?;
    let ast =
        jixiao::syntax::parse(&source).map_err(|e| Failure::Syntax(source.clone().into(), e))?;
    let formatted = jixiao::format::format_with(&ast, source.text(), keywords);
    if formatted == source.text() {
        return Ok(false);
    }
    if !check {
        jixiao::files::write(path, &formatted).map_err(super::write_failure)?;
    }
    Ok(true)
}

/// `.jx` files under a path, skipping hidden folders and build output. A path named is taken
/// as it is (a file, or a link to one, whatever its extension); below a folder, only regular
/// `.jx` files count: symbolic links are not followed, so a link cannot make the walk loop or
/// format one file twice.
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    for entry in jixiao::files::walk(path) {
        match entry {
            Ok(e) if e.depth() == 0 && !e.file_type().is_dir() => out.push(e.into_path()),
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "jx") => {
                out.push(e.into_path());
            }
            Ok(_) => {}
            // Reported as unreadable by `format_one`.
            Err(e) => out.push(e.path().unwrap_or(path).to_path_buf()),
        }
    }
}
