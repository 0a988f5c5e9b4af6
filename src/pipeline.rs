//! The whole pipeline in two calls, shared by the CLI and the tests: read → parse → check for
//! `jixiao check`, and on through data → evaluate for `jixiao score`. A [`Failure`] knows which
//! stage failed, renders its diagnostics against the right file and maps to an exit code.

use crate::check::{self, CheckError, Checked};
use crate::data::{self, DataError};
use crate::diagnostics::{self, Style};
use crate::eval::{self, EvalError};
use crate::source::{ReadError, SourceFile, SourceMap};
use crate::syntax::SyntaxError;
use crate::trace::Trace;

/// Why a run stopped, with the file the diagnostics point into.
#[derive(Debug)]
pub enum Failure {
    Read(Box<ReadError>),
    /// Syntax errors, in the rule file or a file it imports.
    Syntax(SourceMap, Vec<SyntaxError>),
    Check(SourceMap, Vec<CheckError>),
    Data(SourceFile, Vec<DataError>),
    Eval(SourceMap, Box<EvalError>),
}

impl Failure {
    /// 1 for bad input (unreadable files, bad data, a division by zero in the data),
    /// 3 when the rules fail their checks.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Read(_) | Failure::Data(..) | Failure::Eval(..) => 1,
            Failure::Syntax(..) | Failure::Check(..) => 3,
        }
    }

    /// Every diagnostic, then a one-line summary.
    pub fn render(&self, style: Style) -> String {
        let (body, errors, warnings, file) = match self {
            Failure::Read(e) if style == Style::Json => {
                return diagnostics::json_line(e.as_ref(), None);
            }
            Failure::Read(e) => {
                let mut out = String::new();
                let handler = miette::GraphicalReportHandler::new_themed(match style {
                    Style::Colour => miette::GraphicalTheme::unicode(),
                    _ => miette::GraphicalTheme::unicode_nocolor(),
                });
                let _ =
                    handler.render_report(&mut out, &diagnostics::Bounded::with_source(e.as_ref()));
                return out;
            }
            Failure::Syntax(src, errs) => (
                diagnostics::render(errs, src, style),
                errs.len(),
                0,
                src.main().name(),
            ),
            Failure::Check(src, errs) => {
                let warnings = errs.iter().filter(|e| e.is_warning()).count();
                (
                    diagnostics::render(errs, src, style),
                    errs.len() - warnings,
                    warnings,
                    src.main().name(),
                )
            }
            Failure::Data(src, errs) => (
                diagnostics::render(errs, &SourceMap::single(src.clone()), style),
                errs.len(),
                0,
                src.name(),
            ),
            Failure::Eval(src, err) => (
                diagnostics::render(std::slice::from_ref(err.as_ref()), src, style),
                1,
                0,
                src.main().name(),
            ),
        };
        if style == Style::Json {
            // JSON lines only: a tool reads one object per line and nothing else.
            return body;
        }
        format!(
            "{body}error: {}\n",
            diagnostics::summary(errors, warnings, file)
        )
    }
}

/// Reads a file into a source, or fails with a read error.
pub fn read(path: &std::path::Path) -> Result<SourceFile, Failure> {
    SourceFile::read(path).map_err(|e| Failure::Read(Box::new(e)))
}

/// Parses and checks a rule file, with the files it imports read from disk.
pub fn check_rules(rules: &SourceFile) -> Result<Checked, Failure> {
    check_rules_with(rules, &mut |path| SourceFile::read(path))
}

/// [`check_rules`], with imported files read by `read` (from a git revision, say).
pub fn check_rules_with(
    rules: &SourceFile,
    read: &mut crate::imports::Reader<'_>,
) -> Result<Checked, Failure> {
    let loaded = crate::imports::load(rules, read)?;
    check::check(&loaded.file, loaded.sources.clone())
        .map_err(|e| Failure::Check(loaded.sources, e))
}

/// Scores one department: the checked rules (with their warnings) and the trace.
pub fn score(rules: &SourceFile, data: &SourceFile) -> Result<(Checked, Trace), Failure> {
    score_with(rules, data, &mut |path| SourceFile::read(path))
}

/// [`score`], with imported files read by `read`.
pub fn score_with(
    rules: &SourceFile,
    data: &SourceFile,
    read: &mut crate::imports::Reader<'_>,
) -> Result<(Checked, Trace), Failure> {
    let checked = check_rules_with(rules, read)?;
    let dept = data::load(&checked.rulebook, data).map_err(|e| Failure::Data(data.clone(), e))?;
    let trace = eval::evaluate(&checked.rulebook, &dept)
        .map_err(|e| Failure::Eval(checked.rulebook.source.clone(), Box::new(e)))?;
    Ok((checked, trace))
}
