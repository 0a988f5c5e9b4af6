//! Stage 5 of the pipeline: printers of a [`Trace`]. Only this module formats text for people;
//! every printer reads the same trace, so the formats cannot disagree. The printers (`text`,
//! `markdown`, `html`, `diff`) own the layout; `wording` owns every word they print in
//! Chinese and English, so the formats cannot word a step differently either.

mod diff;
mod form;
mod html;
mod json;
mod markdown;
mod text;
pub(crate) mod width;
#[doc(hidden)]
pub mod wording;
pub mod xlsx;

pub use wording::Lang;

/// A part of the rules no test case reached, in words (`jixiao test --coverage`).
pub fn gap_words(gap: &crate::eval::Gap, lang: Lang) -> String {
    wording::gap(gap, lang)
}

/// One step of a trace in words, as the text trace prints it: its label, two spaces, what it did.
pub fn step_words(step: &crate::trace::Step, lang: Lang) -> String {
    wording::step(step, lang).to_string()
}

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
    /// `jixiao.diff/2`, for tools.
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

/// The file name and line of a rule or record (`rules.jx:12`), from the trace's location
/// (`rules/guangzhou/rules.jx:12`) in the file named `whole`: the tables have no room for the
/// folders.
fn file_line(whole: &str, location: &crate::trace::Location) -> String {
    // A form's cell says where it is by itself.
    if let Some(cell) = &location.cell {
        return cell.clone();
    }
    let file = std::path::Path::new(whole)
        .file_name()
        .map_or(whole, |f| f.to_str().unwrap_or(whole));
    format!("{file}:{}", location.line)
}
