//! `jixiao score RULES DATA [--format] [--lang] [--output]`

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
    super::warn(&checked, style);
    let text = report::render(&trace, format, lang);
    match output {
        Some(path) => jixiao::files::write(path, &text).map_err(super::write_failure),
        None => super::to_stdout(&text),
    }
}
