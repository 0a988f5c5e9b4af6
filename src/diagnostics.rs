//! Rendering diagnostics of any stage, with the source they point into. The CLI and the
//! snapshot tests share this code, so what the tests pin down is what users see.

use std::fmt::Write as _;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NarratableReportHandler, Report};

use crate::source::SourceFile;

/// How diagnostics are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Boxes and arrows, in colour.
    Colour,
    /// Boxes and arrows, no colour: what a terminal without colour, a log and the snapshots show.
    Plain,
    /// One paragraph per diagnostic, for screen readers and simple logs.
    Narrated,
}

/// Width the graphical renderer wraps at; fixed so that output does not depend on the terminal.
const WIDTH: usize = 100;

/// Renders every diagnostic against `source`, one after another.
pub fn render<D>(diagnostics: &[D], source: &SourceFile, style: Style) -> String
where
    D: Diagnostic + Clone + Send + Sync + 'static,
{
    let mut out = String::new();
    for d in diagnostics {
        let report = Report::new(d.clone()).with_source_code(source.named_source());
        let _ = match style {
            Style::Colour => GraphicalReportHandler::new_themed(GraphicalTheme::unicode())
                .with_width(WIDTH)
                .render_report(&mut out, report.as_ref()),
            Style::Plain => GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
                .with_width(WIDTH)
                .render_report(&mut out, report.as_ref()),
            Style::Narrated => {
                NarratableReportHandler::new().render_report(&mut out, report.as_ref())
            }
        };
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// `error: 3 errors in rules/x.jx` (and warnings), for the end of a failed run.
pub fn summary(errors: usize, warnings: usize, file: &str) -> String {
    let mut out = String::new();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => {}
        (0, w) => {
            let _ = write!(out, "{} in {file}", plural(w, "warning"));
        }
        (e, 0) => {
            let _ = write!(out, "{} in {file}", plural(e, "error"));
        }
        (e, w) => {
            let _ = write!(
                out,
                "{} and {} in {file}",
                plural(e, "error"),
                plural(w, "warning")
            );
        }
    }
    out
}
