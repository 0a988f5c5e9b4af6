//! `jixiao score RULES DATA [--format] [--lang] [--output]`

use std::io::Write;
use std::path::Path;

use jixiao::diagnostics::Style;
use jixiao::pipeline::{self, Failure};
use jixiao::report::{self, Format, Lang};

pub fn run(
    rules: &Path,
    data: &Path,
    format: Format,
    lang: Lang,
    output: Option<&Path>,
    style: Style,
) -> Result<(), Failure> {
    let rules_src = pipeline::read(rules)?;
    let data_src = pipeline::read(data)?;
    let (checked, trace) = pipeline::score(&rules_src, &data_src)?;
    super::warn(&checked, &rules_src, style);
    let text = report::render(&trace, format, lang);
    match output {
        Some(path) => write_atomically(path, &text).map_err(|e| super::io_failure(path, e)),
        None => {
            super::to_stdout(&text);
            Ok(())
        }
    }
}

/// Writes to a temporary file beside `path`, then renames it over `path`: a failure leaves
/// the old file untouched and no partial file behind.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
