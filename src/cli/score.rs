//! `jixiao score RULES DATA [--data-format] [--format] [--lang] [--output]`: DATA is a data
//! file (TOML or JSON) or a filled-in 自评表 (.xlsx .xlsm .xls .ods .et, or its sheet as .csv).

use std::path::Path;

use jixiao::data::Format as DataFormat;
use jixiao::diagnostics::Look;
use jixiao::files::{Input, Role};
use jixiao::pipeline::{self, Failure};
use jixiao::report::{self, Format, Lang};
use jixiao::source::SourceFile;

/// What `jixiao score` writes: a report of the trace, or the 自评表 as a workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    /// The explained trace, for reading in a terminal.
    Text,
    /// The trace as versioned JSON (docs/trace-json.md), for tools.
    Json,
    /// The 自评表 as a Markdown table.
    Markdown,
    /// The 自评表 as one self-contained HTML page, each row opening to its trace; prints on A4.
    Html,
    /// The 自评表 as an Excel workbook to print and sign, the trace on a second sheet
    /// (needs `--output`).
    Xlsx,
}

/// The department's data as the command line names it.
pub struct Data<'a> {
    /// A file, or `-` for standard input.
    pub path: &'a Path,
    /// `--data-format`: read as this whatever the name says.
    pub format: Option<DataFormat>,
}

pub fn run(
    rules: &Path,
    data: Data<'_>,
    format: Output,
    lang: Lang,
    output: Option<&Path>,
    fail_on_difference: bool,
    look: Look,
) -> Result<(), Failure> {
    let rules_src = pipeline::read(rules)?;
    let is_form = data.path != Path::new("-")
        && data.format.is_none()
        && jixiao::forms::is_form_name(&data.path.to_string_lossy());
    let form = if is_form {
        Some(pipeline::read_bytes(data.path)?)
    } else {
        None
    };
    let (data_src, data_format) = if is_form {
        (SourceFile::new("", ""), None)
    } else if data.path == Path::new("-") {
        let src = SourceFile::read_stdin().map_err(|e| Failure::Read(Box::new(e)))?;
        let sniffed = data.format.unwrap_or_else(|| DataFormat::sniff(src.text()));
        (src, Some(sniffed))
    } else {
        (pipeline::read(data.path)?, data.format)
    };
    let scored = match form {
        // A 自评表 (a workbook, or its sheet exported as CSV): read as bytes, not text; the
        // form's own warnings are printed before the data's.
        Some((name, bytes)) => {
            let (scored, form) = pipeline::score_form(&rules_src, &name, &bytes, &mut |path| {
                SourceFile::read(path)
            })?;
            if !form.warnings.is_empty() {
                let text = SourceFile::new(form.name.clone(), form.text.clone());
                super::to_stderr(&jixiao::diagnostics::render(
                    &form.warnings,
                    &text.into(),
                    look,
                ));
            }
            scored
        }
        None => pipeline::scored(&rules_src, &data_src, data_format, &mut |path| {
            SourceFile::read(path)
        })?,
    };
    super::warn(&scored.checked, look);
    super::to_stderr(&scored.render_warnings(look));
    let trace = scored.trace;
    // A difference is a finding, not a failure, unless the run is asked to fail on it (CI).
    let review = (fail_on_difference
        && (!trace.differences.is_empty() || trace.reported.is_some_and(|r| r != trace.total)))
    .then(|| Failure::Review {
        differences: trace.differences.len(),
        totals: trace.reported.map(|r| (r.0, trace.total.0)),
    });
    let bytes = match format {
        Output::Text => report::render(&trace, Format::Text, lang).into_bytes(),
        Output::Json => report::render(&trace, Format::Json, lang).into_bytes(),
        Output::Markdown => report::render(&trace, Format::Markdown, lang).into_bytes(),
        Output::Html => report::render(&trace, Format::Html, lang).into_bytes(),
        Output::Xlsx => report::xlsx::render(&trace, lang).map_err(|e| {
            Failure::Write(Box::new(jixiao::files::WriteError::from_io(
                output.unwrap_or(Path::new("-")),
                &std::io::Error::other(e.to_string()),
            )))
        })?,
    };
    match output {
        Some(path) => {
            let source = &scored.checked.rulebook.source;
            let mut inputs: Vec<Input<'_>> = vec![(rules, Role::RuleFile)];
            if data.path != Path::new("-") {
                inputs.push((data.path, Role::DataFile));
            }
            inputs.extend(
                source
                    .imports()
                    .filter_map(|f| f.path())
                    .map(|p| (p, Role::Import)),
            );
            let suggestion = "--output trace.txt";
            jixiao::files::refuse_inputs(path, &inputs, suggestion)
                .and_then(|()| {
                    if data.path == Path::new("-") {
                        jixiao::files::refuse_stdin(path, Role::DataFile, suggestion)
                    } else {
                        Ok(())
                    }
                })
                .and_then(|()| jixiao::files::write_bytes(path, &bytes))
                .map_err(super::write_failure)?;
        }
        None => super::to_stdout_bytes(&bytes)?,
    }
    review.map_or(Ok(()), Err)
}
