//! `jixiao batch`: every department of a district or a province scored against one checked
//! rule set, as a stream, in parallel, into one summary row each (and, when asked, one trace
//! file each). It sits after `check` (the rules are checked once) and runs stages 3–5 per
//! department: `input` finds each department's bounds in the inputs, a worker reads its data
//! with the one reader of `data` (no second, laxer one) and scores it with `eval::score`, which
//! records nothing; `summary` writes the rows and the totals.
//!
//! Departments are read a chunk at a time; a chunk is scored in parallel while the chunk
//! before it is written, in input order, and the chunk after it is read, so memory stays flat in the number of departments and
//! the output does not depend on the number of threads.
//!
//! ```
//! use jixiao::batch::{self, input::{Body, Place, Record}};
//! use jixiao::source::SourceFile;
//! let rules = SourceFile::new("r.jx", r#"
//! rulebook "示例" { total 10  rating 优 >= 9, 差 }
//! input 执行数: money
//! input 预算数: money
//! indicator 预算执行率 points 10 { score 执行数 / 预算数 * points }
//! "#);
//! let checked = jixiao::pipeline::check_rules(&rules).unwrap();
//! let record = Record {
//!     place: Place::Line { file: "d.jsonl".into(), line: 1 },
//!     body: Body::Json(r#"{"部门": "甲", "执行数": 3151.09, "预算数": 3156.9}"#.into()),
//! };
//! let (row, _) = batch::score(&checked.rulebook, record, jixiao::Lang::Zh, None);
//! let scored = row.outcome.unwrap();
//! assert_eq!((row.id.as_str(), scored.total.to_string().as_str()), ("甲", "9.98"));
//! ```

mod error;
pub mod input;
pub mod names;
pub mod summary;

pub use error::BatchError;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::data;
use crate::eval::{self, Scores};
use crate::files::WriteError;
use crate::model::{IndicatorKind, Rulebook};
use crate::report::{self, Format, Lang, wording::batch as words};
use crate::source::{SourceFile, Span};
use input::{Body, Place, Record, Records};

/// How many departments are read, scored and written together. Large enough that handing a
/// chunk to the threads costs nothing beside scoring it, small enough that a chunk of JSON
/// Lines stays a few megabytes.
pub const CHUNK: usize = 2048;

/// What a batch writes beside the summary, and when it stops.
pub struct Options {
    /// Stop after the first department that cannot be scored (in input order).
    pub fail_fast: bool,
    /// Write one trace per department into this folder, in this format.
    pub traces: Option<(PathBuf, Format)>,
    pub lang: Lang,
}

/// One department's row of the summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The department's id: its CSV id, or the name its data gives (部门), or where it stands.
    pub id: String,
    /// Where the department stands: `departments.jsonl:5`, `departments.csv!5`, `data/x.toml`.
    pub place: String,
    pub outcome: Result<Scored, Failed>,
}

/// What a department scored.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub total: Decimal,
    pub rating: String,
    /// The points lost: the rules' total less the department's.
    pub lost: Decimal,
    /// The leaf indicator that lost the most points (the first in the rules on a tie), if any
    /// lost points.
    pub top: Option<String>,
    /// The total the department reported for itself (its form's 总分), to re-check (复核).
    pub reported: Option<Decimal>,
}

/// Why a department could not be scored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failed {
    /// The code of the first diagnostic (`jixiao::data::missing`).
    pub code: String,
    /// Where: the line of the data error in its file (`departments.jsonl:5`, `x.toml:12`), the
    /// CSV row, or, for an evaluation error, where the department stands.
    pub location: String,
    /// The first diagnostic's message, with how many more there are.
    pub message: String,
}

/// The totals of a run: count per rating, mean, min, max of the totals scored.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    pub departments: usize,
    pub failed: usize,
    /// Each rating band of the rules with how many departments it got, from the highest down.
    pub ratings: Vec<(String, usize)>,
    pub sum: Decimal,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
}

impl Totals {
    pub fn new(rb: &Rulebook) -> Totals {
        Totals {
            departments: 0,
            failed: 0,
            ratings: rb.rating.iter().map(|b| (b.label.clone(), 0)).collect(),
            sum: Decimal::ZERO,
            min: None,
            max: None,
        }
    }

    fn add(&mut self, row: &Row) {
        self.departments += 1;
        match &row.outcome {
            Ok(s) => {
                if let Some((_, n)) = self.ratings.iter_mut().find(|(l, _)| *l == s.rating) {
                    *n += 1;
                }
                // Totals are at most the rules' total (≤ 1,000,000) each: a sum of a billion
                // of them is far from the limit of a decimal.
                self.sum = self.sum.saturating_add(s.total);
                self.min = Some(self.min.map_or(s.total, |m| m.min(s.total)));
                self.max = Some(self.max.map_or(s.total, |m| m.max(s.total)));
            }
            Err(_) => self.failed += 1,
        }
    }

    /// The departments scored.
    pub fn scored(&self) -> usize {
        self.departments - self.failed
    }

    /// The mean of the totals scored, exactly (to 28 digits); `None` when none was scored.
    pub fn mean(&self) -> Option<Decimal> {
        let n = Decimal::from(self.scored());
        (!n.is_zero()).then(|| self.sum.checked_div(n)).flatten()
    }
}

/// How a run ended, when it did not go through every department.
#[derive(Debug)]
pub enum Stop {
    /// The inputs as a whole are wrong (an unreadable table).
    Input(BatchError),
    /// The summary or a trace could not be written.
    Write(WriteError),
    /// Ctrl-C: nothing more was written, and the summary not at all.
    Interrupted,
}

/// Set by [`interrupt`] (the CLI's Ctrl-C handler): the run stops between two chunks.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Asks a running batch to stop before its next chunk (callable from a signal handler: it only
/// stores a flag). The next [`run`] starts afresh.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Scores every department of `records` into `summary`, on the current rayon pool (install a
/// pool of `--jobs` threads around it). `seen` is shown each chunk of rows once written (for
/// progress and the failures on standard error). Returns the totals, and whether `--fail-fast`
/// stopped the run early. Then, when the run went through every department, ask
/// [`Records::unmatched`] whether rows of the long table belonged to none.
pub fn run(
    rb: &Rulebook,
    records: &mut Records,
    options: &Options,
    summary: &mut dyn summary::Summary,
    seen: &mut (dyn FnMut(&[Row]) + Send),
) -> Result<(Totals, bool), Stop> {
    let mut totals = Totals::new(rb);
    let mut names = names::Names::default();
    let trace = options.traces.as_ref().map(|(_, f)| *f);
    let mut pending: Vec<(Row, Option<String>)> = Vec::new();
    let mut stopped = false;
    let mut chunk = records.chunk(CHUNK).map_err(Stop::Input)?;
    loop {
        // Taken, not read: a library that runs again after an interrupt is not stopped at once.
        if INTERRUPTED.swap(false, Ordering::SeqCst) {
            return Err(Stop::Interrupted);
        }
        if chunk.is_empty() && pending.is_empty() {
            break;
        }
        let done = std::mem::take(&mut pending);
        // Write the chunk before and read the chunk after while this one is scored: reading
        // and writing are one thread's work, and would otherwise keep the others waiting.
        let ((written, next), scored) = rayon::join(
            || {
                let written =
                    write_chunk(done, options, &mut names, &mut totals, summary, &mut *seen);
                let next = match written {
                    Ok(false) => records.chunk(CHUNK),
                    Ok(true) | Err(_) => Ok(Vec::new()),
                };
                (written, next)
            },
            || {
                std::mem::take(&mut chunk)
                    .into_par_iter()
                    .map(|record| score(rb, record, options.lang, trace))
                    .collect::<Vec<_>>()
            },
        );
        if written.map_err(Stop::Write)? {
            stopped = true;
            break;
        }
        chunk = next.map_err(Stop::Input)?;
        pending = scored;
    }
    // The long table's rows of no department (`Records::unmatched`) are the caller's to ask
    // for, once the summary is written: every department's row stands whatever they say.
    Ok((totals, stopped))
}

/// Writes a chunk of rows (and their traces), in order; `true` when `--fail-fast` stops here.
fn write_chunk(
    chunk: Vec<(Row, Option<String>)>,
    options: &Options,
    names: &mut names::Names,
    totals: &mut Totals,
    summary: &mut dyn summary::Summary,
    seen: &mut dyn FnMut(&[Row]),
) -> Result<bool, WriteError> {
    if chunk.is_empty() {
        return Ok(false);
    }
    let first_failure = options
        .fail_fast
        .then(|| chunk.iter().position(|(row, _)| row.outcome.is_err()))
        .flatten();
    let end = first_failure.map_or(chunk.len(), |i| i + 1);
    let (rows, traces): (Vec<Row>, Vec<Option<String>>) = chunk.into_iter().take(end).unzip();
    summary.rows(&rows)?;
    for row in &rows {
        totals.add(row);
    }
    if let Some((dir, format)) = &options.traces {
        // Names in input order, one after another; the files written in parallel.
        let files: Vec<(PathBuf, String)> = rows
            .iter()
            .zip(traces)
            .filter_map(|(row, text)| {
                let text = text?;
                Some((
                    dir.join(format!("{}.{}", names.name(&row.id), extension(*format))),
                    text,
                ))
            })
            .collect();
        // Every file is tried, and the first failure in input order is the one reported: which
        // thread failed first must not decide what is written or said.
        let written: Vec<Result<(), WriteError>> = files
            .par_iter()
            .map(|(path, text)| crate::files::write(path, text))
            .collect();
        written.into_iter().collect::<Result<(), _>>()?;
    }
    seen(&rows);
    Ok(first_failure.is_some())
}

/// The name a department's file is shown by: its row's, which a folder's walk chose.
fn shown_name(place: &Place, path: &std::path::Path) -> String {
    match place {
        Place::File(name) => name.clone(),
        Place::Line { .. } | Place::Row { .. } => crate::source::display_path(path),
    }
}

/// The extension of a trace file in `format`.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Text => "txt",
        Format::Json => "json",
        Format::Markdown => "md",
        Format::Html => "html",
    }
}

/// Reads and scores one department: its row of the summary (a failure's message in `lang`), and
/// its trace rendered in `trace`'s format when asked for (a department that fails has none).
pub fn score(
    rb: &Rulebook,
    record: Record,
    lang: Lang,
    trace: Option<Format>,
) -> (Row, Option<String>) {
    let place = record.place.to_string();
    let failed = |id: String, code: String, location: String, message: String| {
        (
            Row {
                id,
                place: place.clone(),
                outcome: Err(Failed {
                    code,
                    location,
                    message,
                }),
            },
            None,
        )
    };
    // What a failure says, in the run's language.
    fn said<E: crate::diagnostics::Localized + std::fmt::Display>(e: &E, lang: Lang) -> String {
        match lang {
            Lang::Zh => e.zh().message,
            Lang::En => e.to_string(),
        }
    }
    let is_form = matches!(&record.body, Body::File(path) if crate::forms::is_form_name(&path.to_string_lossy()));
    let (loaded, source, id) = match record.body {
        Body::Json(text) => {
            let line = match &record.place {
                Place::Line { line, .. } => *line,
                Place::Row { row, .. } => *row,
                Place::File(_) => 1,
            };
            // The file's name is shared by its lines, not copied for each.
            let file: std::sync::Arc<str> = match &record.place {
                Place::Line { file, .. } | Place::Row { file, .. } => file.clone(),
                Place::File(name) => name.as_str().into(),
            };
            let source = SourceFile::new(file, text).starting_at_line(line);
            let loaded = data::load_as(rb, &source, data::Format::Json);
            let id = match &loaded {
                Ok(_) => None,
                Err(_) => name_in_json(source.text()),
            };
            (loaded, source, id)
        }
        Body::File(path) if crate::forms::is_form_name(&path.to_string_lossy()) => {
            // A 自评表 in a folder of departments: read as `jixiao score` reads one, named as
            // its row shows it.
            let name = shown_name(&record.place, &path);
            let bytes = match crate::files::read(&path) {
                Ok(bytes) => bytes,
                Err(e) => {
                    return failed(place.clone(), code_of(&e), place.clone(), said(&e, lang));
                }
            };
            match crate::forms::read_form(&name, &bytes) {
                Ok(form) => {
                    let source = SourceFile::new(name, form.text.clone());
                    (data::load_form(rb, &form), source, None)
                }
                Err(unread) => {
                    let first = unread.errors.iter().find(|e| !e.is_warning());
                    let Some(first) = first.or(unread.errors.first()) else {
                        return failed(place.clone(), String::new(), place.clone(), String::new());
                    };
                    return failed(
                        place.clone(),
                        code_of(first),
                        place.clone(),
                        said(first, lang),
                    );
                }
            }
        }
        Body::File(path) => match SourceFile::read_named(&path, shown_name(&record.place, &path)) {
            Ok(source) => (data::load(rb, &source), source, None),
            Err(e) => return failed(place.clone(), code_of(&e), place.clone(), said(&e, lang)),
        },
        Body::Cells { id, cells, lists } => {
            let (file, row) = match &record.place {
                Place::Row { file, row } => (file.to_string(), *row),
                Place::Line { file, line } => (file.to_string(), *line),
                Place::File(name) => (name.clone(), 1),
            };
            let text: Vec<&str> = cells.iter().map(|(_, v)| v.as_str()).collect();
            let source = SourceFile::new(file, text.join(",")).starting_at_line(row);
            let cells_ref: Vec<data::Cell<'_>> = cells
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let whole = Span::new(0, source.text().len());
            let lists_ref: Vec<(&str, Vec<data::ListRow<'_>>)> = lists
                .iter()
                .map(|(name, rows)| {
                    let rows = rows
                        .iter()
                        .map(|(cells, _)| {
                            (
                                cells
                                    .iter()
                                    .map(|(k, v)| (k.as_str(), v.as_str()))
                                    .collect(),
                                whole,
                            )
                        })
                        .collect();
                    (name.as_str(), rows)
                })
                .collect();
            let loaded = data::load_cells(rb, &source, &cells_ref, &lists_ref);
            (loaded, source, (!id.is_empty()).then_some(id))
        }
        Body::Unreadable(e) => {
            return failed(place.clone(), code_of(&e), place.clone(), said(&e, lang));
        }
        Body::Failed { id, error } => {
            let id = id.unwrap_or_else(|| place.clone());
            return failed(id, code_of(&error), place.clone(), said(&error, lang));
        }
    };
    let dept = match loaded {
        Ok(dept) => dept,
        Err(errors) => {
            let id = id.unwrap_or_else(|| place.clone());
            let Some(first) = errors.first() else {
                return failed(id, String::new(), place.clone(), String::new());
            };
            let location = match &record.place {
                Place::Row { .. } => place.clone(),
                Place::Line { .. } | Place::File(_) => {
                    use miette::Diagnostic;
                    let offset = first
                        .labels()
                        .and_then(|mut l| l.next())
                        .map_or(0, |l| l.offset());
                    match is_form {
                        // A form's text is one line per cell, starting with its address: the
                        // cell is the place to look, not the line of that text.
                        true => {
                            let text = source.text();
                            let start = crate::source::lines::start(text, offset);
                            let line = &text[start..crate::source::lines::end(text, offset)];
                            let cell = line.split_whitespace().next().unwrap_or_default();
                            format!("{place} {cell}")
                        }
                        false => source.location(Span::new(offset, offset)),
                    }
                }
            };
            let more = match errors.len() {
                1 => String::new(),
                n => words::more_errors(n - 1, lang),
            };
            return failed(
                id,
                code_of(first),
                location,
                format!("{}{more}", said(first, lang)),
            );
        }
    };
    let id = id
        .or_else(|| dept.name.clone())
        .unwrap_or_else(|| place.clone());
    let scores = match eval::score(rb, &dept) {
        Ok(scores) => scores,
        Err(e) => return failed(id, code_of(&e), place.clone(), said(&e, lang)),
    };
    let text = trace.and_then(|format| {
        eval::evaluate(rb, &dept)
            .ok()
            .map(|t| report::render(&t, format, lang))
    });
    (
        Row {
            id,
            place,
            outcome: Ok(scored(rb, &scores, dept.reported.total)),
        },
        text,
    )
}

/// The summary's figures from a department's scores.
fn scored(rb: &Rulebook, scores: &Scores, reported: Option<Decimal>) -> Scored {
    let mut top: Option<(usize, Decimal)> = None;
    for (i, ind) in rb.indicators.iter().enumerate() {
        let leaf = match ind.kind {
            IndicatorKind::Group(_) | IndicatorKind::Alternatives(_) => false,
            IndicatorKind::Formula(_)
            | IndicatorKind::Tiers(_)
            | IndicatorKind::Category(_)
            | IndicatorKind::Checklist(_)
            | IndicatorKind::Deductions(_)
            | IndicatorKind::Targets(_) => true,
        };
        let lost = scores.points[i] - scores.indicators[i];
        if leaf && lost > Decimal::ZERO && top.is_none_or(|(_, most)| lost > most) {
            top = Some((i, lost));
        }
    }
    Scored {
        total: scores.total,
        rating: scores.rating(rb).to_string(),
        lost: rb.total - scores.total,
        top: top.map(|(i, _)| rb.indicators[i].name.to_string()),
        reported,
    }
}

/// The code of a diagnostic, as a row shows it.
fn code_of(e: &dyn miette::Diagnostic) -> String {
    e.code().map(|c| c.to_string()).unwrap_or_default()
}

/// The department's name (部门) in a JSON line that could not be loaded, when the line is JSON
/// at all: a row of the summary is easier to act on with the name than with a line number.
fn name_in_json(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Named {
        #[serde(rename = "部门")]
        name: Option<serde_json::Value>,
    }
    match serde_json::from_str::<Named>(text).ok()?.name? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s),
        _ => None,
    }
}

/// The line a run says on standard error for a department that failed, as it fails:
/// `departments.csv!4: jixiao::data::missing [区档案馆]: …`. One line, whatever the data holds:
/// a line break in an id or a quoted value (a CSV cell may hold one) is shown as `⏎`, and
/// other control characters escaped, as the summary table shows them. A long id or message is
/// cut (a message may quote a whole cell).
pub fn failure_line(row: &Row) -> Option<String> {
    let failed = row.outcome.as_ref().err()?;
    let safe = crate::escape::terminal;
    // Each cut as it would be shown: a data error may quote a whole cell of the data.
    let cut = |text: &str| crate::echo::cut_lines(&safe(text));
    Some(format!(
        "{}: {} [{}]: {}\n",
        cut(&failed.location),
        failed.code,
        cut(&row.id),
        cut(&failed.message)
    ))
}

/// What a run says on standard error at its end, in `lang`: how many departments failed, and
/// whether `--fail-fast` or Ctrl-C stopped it. Empty when all went well.
pub fn closing(totals: Option<&Totals>, stopped: bool, lang: Lang) -> String {
    let mut out = String::new();
    match totals {
        None => out.push_str(&format!("{}\n", words::interrupted(lang))),
        Some(t) => {
            if stopped {
                out.push_str(&format!("{}\n", words::stopped(lang)));
            }
            if t.failed > 0 {
                out.push_str(&format!(
                    "{}\n",
                    words::failed(t.failed, t.departments, lang)
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An interrupt stops the run it reaches, and only that one: a library that runs again
    /// afterwards scores its departments. (The only test of this module that runs a batch, as
    /// the flag is the process's.)
    #[test]
    fn an_interrupt_stops_one_run() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let rules = crate::pipeline::read(&root.join("rules/guangzhou/department-overall.jx"))
            .map_err(|e| format!("{e:?}"))
            .unwrap();
        let checked = crate::pipeline::check_rules(&rules)
            .map_err(|e| format!("{e:?}"))
            .unwrap();
        let input = root
            .join("tests/cases/batch/good.jsonl")
            .display()
            .to_string();
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            fail_fast: false,
            traces: None,
            lang: Lang::Zh,
        };
        let go = || {
            let csv = input::CsvOptions {
                id_column: "部门".into(),
                targets: None,
                lists: vec!["绩效指标".into()],
            };
            let mut records = input::Records::new(vec![input.clone()], csv).unwrap();
            let path = dir.path().join("s.csv");
            let mut out = summary::file(&path, summary::Kind::Csv, Lang::Zh).unwrap();
            run(
                &checked.rulebook,
                &mut records,
                &options,
                out.as_mut(),
                &mut |_| {},
            )
            .map(|(totals, _)| totals.scored())
        };
        interrupt();
        assert!(matches!(go(), Err(Stop::Interrupted)));
        assert!(matches!(go(), Ok(n) if n > 0));
    }

    /// A failure is one line on standard error, whatever its id and message hold: a CSV cell's
    /// line break is shown, not printed, and an escape sequence cannot reach the terminal.
    #[test]
    fn a_failure_is_said_on_one_line() {
        let row = |id: &str, message: &str| Row {
            id: id.into(),
            place: "d.csv!2".into(),
            outcome: Err(Failed {
                code: "jixiao::data::target_notation".into(),
                location: "d.csv!2".into(),
                message: message.into(),
            }),
        };
        assert_eq!(
            failure_line(&row("区侨务局\r\n（侨联）", "`4\n篇` 不是\u{1b}[2J")).as_deref(),
            Some(
                "d.csv!2: jixiao::data::target_notation [区侨务局⏎（侨联）]: `4⏎篇` 不是\\u{1B}[2J\n"
            )
        );
        // A message quoting a whole cell is cut, as a long id is.
        let long = "数".repeat(10_000);
        let line = failure_line(&row(&long, &long)).unwrap_or_default();
        assert!(line.chars().count() < 1_000 && line.contains('…'), "{line}");
        let scored = Row {
            outcome: Ok(Scored {
                total: Decimal::ONE,
                rating: "差".into(),
                lost: Decimal::ZERO,
                top: None,
                reported: None,
            }),
            ..row("甲", "")
        };
        assert_eq!(failure_line(&scored), None);
    }
}
