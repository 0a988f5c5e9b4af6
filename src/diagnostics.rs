//! Rendering diagnostics of any stage, with the source they point into. The CLI and the
//! snapshot tests share this code, so what the tests pin down is what users see.

use std::fmt::Write as _;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NarratableReportHandler,
    Report, Severity,
};

use crate::source::{SourceMap, lines};

mod lang;

pub use lang::{DEFAULT as DEFAULT_LANG, Lang, Localized, Text, Zh};

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

/// How diagnostics are printed: drawn in a [`Style`], worded in a [`Lang`]. A bare style is
/// English, as the library has always printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    pub style: Style,
    pub lang: Lang,
}

impl From<Style> for Look {
    fn from(style: Style) -> Look {
        Look {
            style,
            lang: Lang::En,
        }
    }
}

/// Width the graphical renderer wraps at; fixed so that output does not depend on the terminal.
const WIDTH: usize = 100;

/// Renders every diagnostic against `source` (a file, or a rule file with its imports), one
/// after another.
pub fn render<D>(diagnostics: &[D], source: &SourceMap, look: impl Into<Look>) -> String
where
    D: Localized,
{
    let Look { style, lang } = look.into();
    let mut out = String::new();
    for d in diagnostics {
        let d = &Bounded::in_lang(d, lang);
        if style != Style::Json
            && let Some(place) = on_overlong_line(d, source)
        {
            // miette cannot draw a label beyond column 65,535 (it panics), and a snippet of a
            // line that long helps nobody: the message, help and place are printed without it.
            let handler = GraphicalReportHandler::new_themed(match style {
                Style::Colour => GraphicalTheme::unicode(),
                _ => GraphicalTheme::unicode_nocolor(),
            })
            .with_width(WIDTH);
            let _ = handler.render_report(&mut out, Report::new(d.clone()).as_ref());
            let _ = match lang {
                Lang::En => writeln!(out, "  at {place} (the line is too long to show)"),
                Lang::Zh => writeln!(out, "  位置：{place}（这一行太长，不显示）"),
            };
            continue;
        }
        let report = Report::new(d.clone()).with_source_code(source.clone());
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
                out.push_str(&json_of(d, Some(source)));
                Ok(())
            }
        };
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// A diagnostic as it is printed: its message, labels and help with echoed input cut and
/// invisible characters escaped ([`crate::echo::bound`]), so however long a name in the input,
/// a diagnostic stays a few lines. Every printer of diagnostics goes through it.
#[derive(Clone)]
pub struct Bounded<'a> {
    code: Option<String>,
    severity: Option<Severity>,
    message: String,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    /// The diagnostic's own source, for one that carries it (`jixiao test`'s case files).
    source: Option<&'a dyn miette::SourceCode>,
}

impl std::fmt::Debug for Bounded<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bounded")
            .field("code", &self.code)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl<'a> Bounded<'a> {
    /// The diagnostic bounded, with its own source when it carries one.
    pub fn with_source(d: &'a dyn Diagnostic) -> Bounded<'a> {
        Bounded {
            source: d.source_code(),
            ..Bounded::of(d)
        }
    }

    /// [`Bounded::with_source`], worded in `lang`.
    pub fn with_source_in(d: &'a dyn Localized, lang: Lang) -> Bounded<'a> {
        Bounded {
            source: d.source_code(),
            ..Bounded::in_lang(d, lang)
        }
    }
}

impl Bounded<'static> {
    /// The diagnostic bounded and worded in `lang`: its code, severity and places, with the
    /// message, help and label texts of that language.
    pub fn in_lang(d: &dyn Localized, lang: Lang) -> Bounded<'static> {
        use crate::echo::bound;
        let english = Bounded::of(d);
        match lang {
            Lang::En => english,
            Lang::Zh => {
                let zh = d.zh();
                debug_assert_eq!(
                    zh.labels.len(),
                    english.labels.len(),
                    "{:?}: the Chinese has another number of labels",
                    english.code
                );
                let labels = if zh.labels.len() == english.labels.len() {
                    english
                        .labels
                        .iter()
                        .zip(&zh.labels)
                        .map(|(l, text)| relabel(l, Some(bound(text))))
                        .collect()
                } else {
                    english.labels
                };
                Bounded {
                    message: bound(&zh.message),
                    help: zh.help.as_deref().map(bound),
                    labels,
                    ..english
                }
            }
        }
    }

    /// The diagnostic bounded, to be drawn against a source given with it.
    pub fn of(d: &dyn Diagnostic) -> Bounded<'static> {
        use crate::echo::bound;
        Bounded {
            source: None,
            code: d.code().map(|c| c.to_string()),
            severity: d.severity(),
            message: bound(&d.to_string()),
            help: d.help().map(|h| bound(&h.to_string())),
            labels: d
                .labels()
                .into_iter()
                .flatten()
                .map(|l| relabel(&l, l.label().map(bound)))
                .collect(),
        }
    }
}

/// The label `l` with the text `text`.
fn relabel(l: &LabeledSpan, text: Option<String>) -> LabeledSpan {
    if l.primary() {
        LabeledSpan::new_primary_with_span(text, *l.inner())
    } else {
        LabeledSpan::new_with_span(text, *l.inner())
    }
}

impl std::fmt::Display for Bounded<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Bounded<'_> {}

impl Diagnostic for Bounded<'_> {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source
    }

    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn std::fmt::Display>)
    }

    fn severity(&self) -> Option<Severity> {
        self.severity
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// Lines longer than this are not drawn in a snippet.
const LONGEST_SHOWN_LINE: usize = 1_000;

/// `file:line:column` of the first label when any label stands on a line longer than
/// [`LONGEST_SHOWN_LINE`] characters, or next to one (the snippet shows a line of context on
/// either side).
fn on_overlong_line(d: &dyn Diagnostic, source: &SourceMap) -> Option<String> {
    let labels: Vec<_> = d.labels()?.collect();
    let overlong = labels.iter().any(|l| {
        let (base, file) = source.file_at(l.offset());
        let text = file.text();
        let at = (l.offset() - base).min(text.len());
        let (start, end) = (lines::start(text, at), lines::end(text, at));
        let before = start.checked_sub(1).map(|b| lines::start(text, b));
        let after = lines::next_start(text, end);
        [before, Some(start), after].into_iter().flatten().any(|s| {
            text.get(s..lines::end(text, s))
                .is_some_and(|line| line.chars().count() > LONGEST_SHOWN_LINE)
        })
    });
    if !overlong {
        return None;
    }
    let first = labels.first()?;
    Some(place(source, first.offset(), first.len()).text)
}

/// Where an offset stands: its file, 1-based line and column (in characters), and its
/// byte range within its file.
struct Place {
    file: String,
    line: usize,
    column: usize,
    start: usize,
    end: usize,
    /// `file:line:column`.
    text: String,
}

fn place(source: &SourceMap, offset: usize, len: usize) -> Place {
    let (base, file) = source.file_at(offset);
    let text = file.text();
    let at = (offset - base).min(text.len());
    let line = file.line_of(at);
    let column = file.column_of(at);
    Place {
        file: file.name().to_string(),
        line,
        column,
        start: at,
        end: at + len,
        text: format!("{}:{line}:{column}", file.name()),
    }
}

/// One diagnostic as a line of JSON: code, severity, message, the file with the line, column
/// and byte span of the first label, every label (each with its file), and the help. Lines and
/// columns are 1-based; a column counts characters (not bytes), so 预算 is two columns wide
/// here; byte offsets are within the label's own file. The message, labels and help are in
/// `lang`; the code is the same in every language.
pub fn json_line(d: &dyn Localized, source: Option<&SourceMap>, lang: Lang) -> String {
    json_of(&Bounded::in_lang(d, lang), source)
}

fn json_of(d: &Bounded<'_>, source: Option<&SourceMap>) -> String {
    let at = |offset: usize, len: usize| -> serde_json::Value {
        let Some(src) = source else {
            return serde_json::Value::Null;
        };
        let p = place(src, offset, len);
        serde_json::json!({
            "file": p.file,
            "line": p.line,
            "column": p.column,
            "start": p.start,
            "end": p.end,
        })
    };
    let labels: Vec<serde_json::Value> = d
        .labels()
        .into_iter()
        .flatten()
        .map(|l| {
            serde_json::json!({
                "message": l.label(),
                "at": at(l.offset(), l.len()),
            })
        })
        .collect();
    let first = d.labels().and_then(|mut l| l.next());
    let severity = match d.severity() {
        Some(miette::Severity::Warning) => "warning",
        Some(miette::Severity::Advice) => "advice",
        _ => "error",
    };
    let file = match (source, &first) {
        (Some(src), Some(l)) => Some(src.file_at(l.offset()).1.name().to_string()),
        (Some(src), None) => Some(src.main().name().to_string()),
        (None, _) => None,
    };
    let value = serde_json::json!({
        "code": d.code().map(|c| c.to_string()),
        "severity": severity,
        "message": d.to_string(),
        "file": file,
        "at": first.map_or(serde_json::Value::Null, |l| at(l.offset(), l.len())),
        "labels": labels,
        "help": d.help().map(|h| h.to_string()),
    });
    let mut line = value.to_string();
    line.push('\n');
    line
}

/// `3 errors in rules/x.jx` (and warnings), for the end of a failed run; in Chinese
/// `rules/x.jx 中有 3 个错误`.
pub fn summary(errors: usize, warnings: usize, file: &str, lang: Lang) -> String {
    let errors = (errors > 0).then(|| lang::count(errors, "error", "错误", lang));
    let warnings = (warnings > 0).then(|| lang::count(warnings, "warning", "警告", lang));
    let counted = match (errors, warnings) {
        (None, None) => return String::new(),
        (Some(one), None) | (None, Some(one)) => one,
        (Some(e), Some(w)) => match lang {
            Lang::En => format!("{e} and {w}"),
            Lang::Zh => format!("{e}和 {w}"),
        },
    };
    match lang {
        Lang::En => format!("{counted} in {file}"),
        Lang::Zh => format!("{file} 中有 {counted}"),
    }
}

/// A diagnostic about a file as a whole, or of the command line (no place in a rule or data
/// file to show): drawn on its own, with its own source when it carries one.
pub fn render_alone(e: &dyn Localized, look: impl Into<Look>) -> String {
    let Look { style, lang } = look.into();
    if style == Style::Json {
        return json_line(e, None, lang);
    }
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(match style {
        Style::Colour => GraphicalTheme::unicode(),
        _ => GraphicalTheme::unicode_nocolor(),
    });
    let _ = handler.render_report(&mut out, &Bounded::with_source_in(e, lang));
    out
}

/// [`alternatives`] in Chinese: `数字、名称或 `(``.
pub(crate) fn alternatives_zh(mut words: Vec<String>) -> String {
    match words.len() {
        0 => "别的内容".into(),
        1 => words.remove(0),
        _ => {
            let last = words.pop().unwrap_or_default();
            // An alternative that has its own 或 (`80%(含)-90% => 2` 或 `>= 95% => 6`) is set
            // off from the last one, which would otherwise read as a third example of it.
            let or = match words.iter().any(|w| w.contains('或')) {
                true => "；或者",
                false => "或",
            };
            format!("{}{or}{}", words.join("、"), last)
        }
    }
}

/// Alternatives as a sentence names them: `a number, a name or `(``.
pub(crate) fn alternatives(mut words: Vec<String>) -> String {
    match words.len() {
        0 => "something else".into(),
        1 => words.remove(0),
        _ => {
            let last = words.pop().unwrap_or_default();
            format!("{} or {}", words.join(", "), last)
        }
    }
}
