//! Stage 5 of the pipeline: printers of a [`Trace`]. Only this module formats text for people;
//! every printer reads the same trace, so the formats cannot disagree.

mod diff;
mod html;
mod json;
mod labels;
mod markdown;
mod text;
mod width;

pub use labels::Lang;
pub use text::step_lines;

use crate::trace::Trace;

/// The output formats of `jixiao score`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The explained trace, for reading in a terminal.
    Text,
    /// The trace as versioned JSON (docs/trace-json.md), for tools.
    Json,
    /// The 自评表 as a Markdown table.
    Markdown,
    /// The 自评表 as one self-contained HTML page, each row opening to its trace; prints on A4.
    Html,
}

/// The text trace as `jixiao test` stores it: Chinese labels, without the file hashes and the
/// engine version.
pub fn render_snapshot(trace: &Trace) -> String {
    text::render_with(trace, Lang::Zh, false)
}

pub use diff::render as render_comparison;

/// The output formats of `jixiao diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// For reading in a terminal.
    Text,
    /// `jixiao.diff/1`, for tools.
    Json,
    /// To paste into a pull-request comment.
    Markdown,
}

/// Renders a trace in one format.
pub fn render(trace: &Trace, format: Format, lang: Lang) -> String {
    match format {
        Format::Text => text::render(trace, lang),
        Format::Json => json::render(trace),
        Format::Markdown => markdown::render(trace, lang),
        Format::Html => html::render(trace, lang),
    }
}
