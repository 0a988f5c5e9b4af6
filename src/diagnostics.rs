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
    /// One JSON object per line per diagnostic, for editors and CI (see docs/errors.md).
    Json,
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
            Style::Json => {
                out.push_str(&json_line(d, Some(source)));
                Ok(())
            }
        };
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// One diagnostic as a line of JSON: code, severity, message, the file with the line, column
/// and byte span of the first label, every label, and the help. Lines and columns are 1-based;
/// a column counts characters (not bytes), so 预算 is two columns wide here.
pub fn json_line(d: &dyn Diagnostic, source: Option<&SourceFile>) -> String {
    let place = |offset: usize, len: usize| -> serde_json::Value {
        let Some(src) = source else {
            return serde_json::Value::Null;
        };
        let text = src.text();
        let offset = offset.min(text.len());
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        serde_json::json!({
            "line": src.line_of(offset),
            "column": text[line_start..offset].chars().count() + 1,
            "start": offset,
            "end": offset + len,
        })
    };
    let labels: Vec<serde_json::Value> = d
        .labels()
        .into_iter()
        .flatten()
        .map(|l| {
            serde_json::json!({
                "message": l.label(),
                "at": place(l.offset(), l.len()),
            })
        })
        .collect();
    let first = d.labels().and_then(|mut l| l.next());
    let severity = match d.severity() {
        Some(miette::Severity::Warning) => "warning",
        Some(miette::Severity::Advice) => "advice",
        _ => "error",
    };
    let value = serde_json::json!({
        "code": d.code().map(|c| c.to_string()),
        "severity": severity,
        "message": d.to_string(),
        "file": source.map(|s| s.name().to_string()),
        "at": first.map_or(serde_json::Value::Null, |l| place(l.offset(), l.len())),
        "labels": labels,
        "help": d.help().map(|h| h.to_string()),
    });
    let mut line = value.to_string();
    line.push('\n');
    line
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
