//! Stage 5 of the pipeline: printers of a [`Trace`]. Only this module formats text for people;
//! every printer reads the same trace, so the formats cannot disagree.

mod diff;
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
}

/// The text trace as `jixiao test` stores it: Chinese labels, without the file hashes and the
/// engine version.
pub fn render_snapshot(trace: &Trace) -> String {
    text::render_with(trace, Lang::Zh, false)
}

pub use diff::render as render_comparison;

/// Renders a trace in one format.
pub fn render(trace: &Trace, format: Format, lang: Lang) -> String {
    match format {
        Format::Text => text::render(trace, lang),
        Format::Json => json::render(trace),
        Format::Markdown => markdown::render(trace, lang),
    }
}
