//! `jixiao fmt [PATH…] [--check]`: rule files in the canonical layout (see `jixiao::format`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jixiao::diagnostics::Style;
use jixiao::pipeline::{self, Failure};

/// Formats every `.jx` file under `paths` (files or folders; the current folder by default).
/// With `check`, writes nothing and lists the files that would change, exiting 1 if any would.
/// A file that does not parse is reported and left alone (exit 3).
pub fn run(paths: &[PathBuf], check: bool, style: Style) -> ExitCode {
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
        match format_one(path, check) {
            Ok(false) => {}
            Ok(true) => {
                changed += 1;
                let verb = if check { "would reformat" } else { "formatted" };
                if listing.is_none() {
                    let line = format!("{verb} {}\n", jixiao::source::display_path(path));
                    listing = super::to_stdout(&line).err();
                }
            }
            Err(failure) => {
                broken += 1;
                super::to_stderr(&failure.render(style));
            }
        }
    }
    if let Some(failure) = &listing {
        super::to_stderr(&failure.render(style));
    }
    if broken > 0 {
        ExitCode::from(3)
    } else if let Some(failure) = listing {
        ExitCode::from(failure.exit_code())
    } else if check && changed > 0 {
        super::to_stderr(&format!(
            "{changed} of {} files are not formatted; run `jixiao fmt`\n",
            files.len()
        ));
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether the file changed (or would).
fn format_one(path: &Path, check: bool) -> Result<bool, Failure> {
    let source = pipeline::read(path)?;
    let ast =
        jixiao::syntax::parse(&source).map_err(|e| Failure::Syntax(source.clone().into(), e))?;
    let formatted = jixiao::format::format(&ast, source.text());
    if formatted == source.text() {
        return Ok(false);
    }
    if !check {
        jixiao::files::write(path, &formatted).map_err(super::write_failure)?;
    }
    Ok(true)
}

/// `.jx` files under a path, skipping hidden folders and build output.
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        out.push(path.to_path_buf()); // reported as unreadable by `format_one`
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if p.is_dir() {
            if !name.starts_with('.') && name != "target" {
                collect(&p, out);
            }
        } else if p.extension().is_some_and(|e| e == "jx") {
            out.push(p);
        }
    }
}
