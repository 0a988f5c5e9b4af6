//! The whole pipeline in two calls, shared by the CLI and the tests: read → parse → check for
//! `jixiao check`, and on through data → evaluate for `jixiao score`. A [`Failure`] knows which
//! stage failed, renders its diagnostics against the right file and maps to an exit code.

use crate::check::{self, CheckError, Checked};
use crate::data::{self, DataError};
use crate::diagnostics::{self, Lang, Look};
use crate::eval::{self, EvalError};
use crate::files::WriteError;
use crate::forms::{self, Form, FormError};
use crate::source::{ReadError, SourceFile, SourceMap};
use crate::syntax::SyntaxError;
use crate::syntax::ast::Item;
use crate::trace::Trace;

/// Why a run stopped, with the file the diagnostics point into.
#[derive(Debug)]
#[non_exhaustive]
pub enum Failure {
    Read(Box<ReadError>),
    /// An output (a file, standard output) could not be written.
    Write(Box<WriteError>),
    /// Syntax errors, in the rule file or a file it imports.
    Syntax(SourceMap, Vec<SyntaxError>),
    Check(SourceMap, Vec<CheckError>),
    Data(SourceFile, Vec<DataError>),
    /// A 自评表 that cannot be read as a form: its errors and warnings, against the form's
    /// text (one line per cell read; empty when the file could not be opened at all).
    Form(SourceFile, Vec<FormError>),
    Eval(SourceMap, Box<EvalError>),
    /// A batch's inputs as a whole (`jixiao batch`).
    Batch(Box<crate::batch::BatchError>),
    /// 复核 found self-reported scores that differ from the computed ones, and the run was
    /// asked to fail on them (`--fail-on-difference`): not an error of any file.
    Review {
        /// How many rows differ.
        differences: usize,
        /// The reported total and the computed one, when the data reports a total.
        totals: Option<(rust_decimal::Decimal, rust_decimal::Decimal)>,
    },
}

impl Failure {
    /// 1 for bad input (unreadable files, bad data, a division by zero in the data) and for
    /// an output that cannot be written, 3 when the rules fail their checks.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Read(_)
            | Failure::Data(..)
            | Failure::Form(..)
            | Failure::Eval(..)
            | Failure::Batch(_) => 1,
            Failure::Write(e) => e.exit_code(),
            Failure::Syntax(..) | Failure::Check(..) => 3,
            Failure::Review { .. } => 4,
        }
    }

    /// The code of the first diagnostic (`jixiao::eval::division_by_zero`), as a row of
    /// `jixiao diff` shows it.
    pub fn code(&self) -> String {
        use miette::Diagnostic;
        fn first<D: Diagnostic>(errs: &[D]) -> Option<String> {
            errs.first().and_then(|e| e.code()).map(|c| c.to_string())
        }
        let code = match self {
            Failure::Read(e) => e.code().map(|c| c.to_string()),
            Failure::Write(e) => e.code().map(|c| c.to_string()),
            Failure::Syntax(_, errs) => first(errs),
            Failure::Check(_, errs) => {
                // The first error, not a warning that came before it.
                let errors: Vec<&CheckError> = errs.iter().filter(|e| !e.is_warning()).collect();
                errors.first().and_then(|e| e.code()).map(|c| c.to_string())
            }
            Failure::Data(_, errs) => first(errs),
            Failure::Form(_, errs) => {
                let errors: Vec<&FormError> = errs.iter().filter(|e| !e.is_warning()).collect();
                errors.first().and_then(|e| e.code()).map(|c| c.to_string())
            }
            Failure::Eval(_, e) => e.code().map(|c| c.to_string()),
            Failure::Batch(e) => e.code().map(|c| c.to_string()),
            Failure::Review { .. } => None,
        };
        code.unwrap_or_default()
    }

    /// Every diagnostic, then a one-line summary: drawn in a style, in English, or with a
    /// [`Look`], in its language.
    pub fn render(&self, look: impl Into<Look>) -> String {
        let look = look.into();
        let (body, errors, warnings, file) = match self {
            Failure::Read(e) => return diagnostics::render_alone(e.as_ref(), look),
            Failure::Write(e) => return diagnostics::render_alone(e.as_ref(), look),
            Failure::Batch(e) => return diagnostics::render_alone(e.as_ref(), look),
            Failure::Review {
                differences,
                totals,
            } => return crate::report::wording::review::failure(*differences, *totals, look.lang),
            Failure::Syntax(src, errs) => (
                diagnostics::render(errs, src, look),
                errs.len(),
                0,
                src.main().name(),
            ),
            Failure::Check(src, errs) => {
                let warnings = errs.iter().filter(|e| e.is_warning()).count();
                (
                    diagnostics::render(errs, src, look),
                    errs.len() - warnings,
                    warnings,
                    src.main().name(),
                )
            }
            Failure::Data(src, errs) => (
                diagnostics::render(errs, &SourceMap::single(src.clone()), look),
                errs.len(),
                0,
                src.name(),
            ),
            Failure::Form(src, errs) => {
                let warnings = errs.iter().filter(|e| e.is_warning()).count();
                (
                    diagnostics::render(errs, &SourceMap::single(src.clone()), look),
                    errs.len() - warnings,
                    warnings,
                    src.name(),
                )
            }
            Failure::Eval(src, err) => (
                diagnostics::render(std::slice::from_ref(err.as_ref()), src, look),
                1,
                0,
                src.main().name(),
            ),
        };
        if look.style == diagnostics::Style::Json {
            // JSON lines only: a tool reads one object per line and nothing else.
            return body;
        }
        let summary = diagnostics::summary(errors, warnings, file, look.lang);
        match look.lang {
            Lang::En => format!("{body}error: {summary}\n"),
            Lang::Zh => format!("{body}错误：{summary}\n"),
        }
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
    if rules.text().len() >= STREAM_FROM
        && let Some(checked) = check_streamed(rules)
    {
        return checked;
    }
    let loaded = crate::imports::load(rules, read)?;
    check::check_owned(loaded.file, loaded.sources.clone())
        .map_err(|e| Failure::Check(loaded.sources, e))
}

/// From how many bytes a rule file is checked as it is parsed ([`check_streamed`]).
const STREAM_FROM: usize = 256 * 1024;

/// Checks a large rule file item by item as it is parsed, so that its syntax tree is never
/// held whole beside its model (100,000 indicators: 130 MB of tree), with the same result as
/// [`crate::imports::load`] and [`check::check_owned`] give. The checks need the header, the
/// scales and the inputs first: once the file's second top-level indicator is parsed, the
/// items before it are taken for all of them, and each item after is checked as it comes.
/// `None` when the file is not one this can check alone, found on the way: it imports,
/// overrides, declares something other than a `let` after that point, has no header, or a
/// name found nowhere is a `let` further down (whose hint needs the whole file); the caller
/// then checks it the usual way.
fn check_streamed(rules: &SourceFile) -> Option<Result<Checked, Failure>> {
    // The items are checked on a thread of their own while the next ones are parsed.
    let (parsed, state) = std::thread::scope(|scope| {
        // Items go over in batches: one wake-up of the checker for each, not for each item.
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Item>>(STREAM_QUEUE);
        let checker = std::thread::Builder::new()
            .name("jixiao-check".into())
            .stack_size(CHECK_STACK)
            .spawn_scoped(scope, move || {
                let mut state = Streamed::Gathering(Vec::new(), 0);
                for item in receive.into_iter().flatten() {
                    state.take(item, rules);
                }
                state
            });
        match checker {
            Ok(checker) => {
                // A checker gone (it cannot be: it panicked) leaves nothing to hand items to.
                let mut batch = Vec::with_capacity(STREAM_BATCH);
                let parsed = crate::syntax::parse_large(rules, &mut |item| {
                    batch.push(item);
                    if batch.len() == STREAM_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(STREAM_BATCH));
                        let _ = send.send(full);
                    }
                });
                let _ = send.send(batch);
                drop(send);
                let state = checker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (parsed, state)
            }
            // No thread to be had: each item checked here, between two items parsed.
            Err(_) => {
                let mut state = Streamed::Gathering(Vec::new(), 0);
                let parsed = crate::syntax::parse_large(rules, &mut |item| state.take(item, rules));
                (parsed, state)
            }
        }
    });
    let sources = SourceMap::single(rules.clone());
    if let Err(errors) = parsed {
        return Some(Err(Failure::Syntax(sources, errors)));
    }
    match state {
        Streamed::Declined => None,
        // Fewer than two top-level indicators: the whole file, as the usual way checks it.
        Streamed::Gathering(items, _) => Some(
            // Without its comments, which the checks do not read.
            check::check_owned(
                crate::syntax::ast::File {
                    items,
                    comments: Vec::new(),
                },
                sources.clone(),
            )
            .map_err(|e| Failure::Check(sources, e)),
        ),
        Streamed::Checking(session) => match session.finish(sources.clone()) {
            Ok(checked) => Some(Ok(checked)),
            Err((_, true)) => None,
            Err((errors, false)) => Some(Err(Failure::Check(sources, errors))),
        },
    }
}

/// How many batches of parsed items wait for the checker at most, and how many items a batch
/// holds: enough that neither side waits on the other for long, few enough that their syntax
/// trees take little room (at most some hundred items in flight).
const STREAM_QUEUE: usize = 2;
const STREAM_BATCH: usize = 32;

/// The stack of the thread that checks a file as it is parsed: a main thread's (the checks
/// recurse into nested indicators and expressions as deep as parsing allows).
const CHECK_STACK: usize = 8 * 1024 * 1024;

/// Where [`check_streamed`] stands in a file.
enum Streamed {
    /// The items before the second top-level indicator, and how many of them are top-level
    /// indicators.
    Gathering(Vec<Item>, usize),
    Checking(Box<check::Session>),
    /// Not a file to check this way.
    Declined,
}

impl Streamed {
    /// Takes the next top-level item of `rules`.
    fn take(&mut self, item: Item, rules: &SourceFile) {
        fn overrides(ind: &crate::syntax::ast::Indicator) -> bool {
            ind.overrides || ind.children().any(overrides)
        }
        let declined = match &item {
            Item::Import(_) => true,
            Item::Indicator(ind) => overrides(ind),
            Item::Rulebook(_) | Item::Scale(_) | Item::Input(_) => {
                matches!(self, Streamed::Checking(_))
            }
            Item::Let(_) => false,
        };
        if declined {
            *self = Streamed::Declined;
        }
        match self {
            Streamed::Gathering(items, roots) => {
                *roots += usize::from(matches!(item, Item::Indicator(_)));
                items.push(item);
                if *roots < 2 {
                    return;
                }
                let roots = *roots;
                if !items.iter().any(|i| matches!(i, Item::Rulebook(_))) {
                    *self = Streamed::Declined;
                    return;
                }
                let items = std::mem::take(items);
                let mut session = check::Session::new(
                    &items,
                    indicator_lines(rules.text()),
                    roots,
                    true,
                    rules.shared_text(),
                );
                for item in items {
                    session.item(item);
                }
                *self = Streamed::Checking(Box::new(session));
            }
            Streamed::Checking(session) => {
                session.note_lets(&item);
                session.item(item);
            }
            Streamed::Declined => {}
        }
    }
}

/// How many lines of `text` start (after their indentation) with the keyword of an indicator:
/// the number of its indicators, as far as a count of lines can tell, to make room for.
fn indicator_lines(text: &str) -> usize {
    use crate::syntax::keywords::INDICATOR;
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .filter(|&start| {
            let line = text[start..].trim_start_matches([' ', '\t', '\u{3000}']);
            line.starts_with(INDICATOR.en) || line.starts_with(INDICATOR.zh)
        })
        .count()
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
    score_as(rules, data, None, read)
}

/// [`score_with`], with the data read in `format` (when given) whatever its name says.
pub fn score_as(
    rules: &SourceFile,
    data: &SourceFile,
    format: Option<data::Format>,
    read: &mut crate::imports::Reader<'_>,
) -> Result<(Checked, Trace), Failure> {
    scored(rules, data, format, read).map(|s| (s.checked, s.trace))
}

/// A department scored from its files, with what the data reader warned of.
#[derive(Debug)]
pub struct Scored {
    pub checked: Checked,
    pub trace: Trace,
    /// The data's warnings (levels off their weights under `warn` …), drawn against `data`.
    pub warnings: Vec<DataError>,
    pub data: SourceFile,
}

impl Scored {
    /// The data's warnings, drawn as diagnostics; empty when there are none.
    pub fn render_warnings(&self, look: impl Into<Look>) -> String {
        match self.warnings.is_empty() {
            true => String::new(),
            false => {
                diagnostics::render(&self.warnings, &SourceMap::single(self.data.clone()), look)
            }
        }
    }
}

/// [`score_as`], keeping the data's warnings.
pub fn scored(
    rules: &SourceFile,
    data: &SourceFile,
    format: Option<data::Format>,
    read: &mut crate::imports::Reader<'_>,
) -> Result<Scored, Failure> {
    let rules = Rules::check_with(rules, read)?;
    let mut dept = rules.load_as(data, format)?;
    let trace = rules.trace(&dept)?;
    Ok(Scored {
        checked: rules.checked,
        trace,
        warnings: std::mem::take(&mut dept.warnings),
        data: dept.source,
    })
}

/// Reads a form file's bytes (a workbook or a CSV export), named as the command line names it.
pub fn read_bytes(path: &std::path::Path) -> Result<(String, Vec<u8>), Failure> {
    let bytes = crate::files::read(path).map_err(|e| Failure::Read(Box::new(e)))?;
    Ok((crate::source::display_path(path), bytes))
}

/// Reads a 自评表 (a workbook or a CSV export, by its name) against `rules`: the department,
/// and the form as read.
fn load_form(
    rules: &crate::model::Rulebook,
    name: &str,
    bytes: &[u8],
) -> Result<(data::Department, Form), Failure> {
    let form = forms::read_form(name, bytes)
        .map_err(|u| Failure::Form(SourceFile::new(name, u.text), u.errors))?;
    let dept = data::load_form(rules, &form)
        .map_err(|e| Failure::Data(SourceFile::new(form.name.clone(), form.text.clone()), e))?;
    Ok((dept, form))
}

/// One department's data from its file, whatever it is: a data file (TOML or JSON) or a
/// 自评表 (a workbook or its CSV export), by its name — as `jixiao test` and `jixiao diff`
/// read the departments they score.
pub fn load_department(
    rules: &crate::model::Rulebook,
    path: &std::path::Path,
) -> Result<data::Department, Failure> {
    if forms::is_form_name(&path.to_string_lossy()) {
        let (name, bytes) = read_bytes(path)?;
        return load_form(rules, &name, &bytes).map(|(dept, _)| dept);
    }
    let data = read(path)?;
    data::load(rules, &data).map_err(|e| Failure::Data(data.clone(), e))
}

/// Scores one 自评表: as [`scored`] scores a data file (the data's warnings kept), and the form
/// as read, its own warnings among it.
pub fn score_form(
    rules: &SourceFile,
    name: &str,
    bytes: &[u8],
    read: &mut crate::imports::Reader<'_>,
) -> Result<(Scored, Form), Failure> {
    let rules = Rules::check_with(rules, read)?;
    let (mut dept, form) = rules.load_form(name, bytes)?;
    let trace = rules.trace(&dept)?;
    let scored = Scored {
        checked: rules.checked,
        trace,
        warnings: std::mem::take(&mut dept.warnings),
        data: dept.source,
    };
    Ok((scored, form))
}

/// A rule file checked once, ready to score any number of departments: the library's way in.
///
/// ```
/// use jixiao::{Format, Lang, Rules, SourceFile};
/// let rules = Rules::check(&SourceFile::new("r.jx", r#"
/// rulebook "示例" { total 10  rating 优 >= 9, 差 }
/// input 执行数: money
/// input 预算数: money
/// indicator 预算执行率 points 10 { score 执行数 / 预算数 * points }
/// "#)).map_err(|f| f.render(jixiao::diagnostics::Style::Plain)).unwrap();
/// for (budget, spent, total) in [("3156.9", "3151.09", "9.98"), ("100", "50", "5")] {
///     let text = format!("\"执行数\" = {spent}\n\"预算数\" = {budget}\n");
///     let dept = rules.load(&SourceFile::new("d.toml", text)).unwrap();
///     // Scores only: nothing recorded, the fast path for many departments.
///     let scores = rules.score(&dept).unwrap();
///     assert_eq!(scores.total.normalize().to_string(), total);
///     // The explained trace, rendered as `jixiao score` prints it.
///     let trace = rules.trace(&dept).unwrap();
///     assert!(jixiao::render(&trace, Format::Text, Lang::Zh).contains("预算执行率"));
/// }
/// ```
#[derive(Debug)]
pub struct Rules {
    checked: Checked,
}

impl Rules {
    /// Parses and checks a rule file, reading the files it imports from disk.
    pub fn check(rules: &SourceFile) -> Result<Rules, Failure> {
        check_rules(rules).map(|checked| Rules { checked })
    }

    /// [`Rules::check`], with imported files read by `read` (from a git revision, say).
    pub fn check_with(
        rules: &SourceFile,
        read: &mut crate::imports::Reader<'_>,
    ) -> Result<Rules, Failure> {
        check_rules_with(rules, read).map(|checked| Rules { checked })
    }

    /// The checked model.
    pub fn rulebook(&self) -> &crate::model::Rulebook {
        &self.checked.rulebook
    }

    /// The warnings the checks found (the rules are usable).
    pub fn warnings(&self) -> &[crate::check::CheckError] {
        &self.checked.warnings
    }

    /// Reads one department's data file (TOML or JSON, by its name) against these rules.
    pub fn load(&self, data: &SourceFile) -> Result<data::Department, Failure> {
        self.load_as(data, None)
    }

    /// [`Rules::load`], with the data read in `format` (when given) whatever its name says.
    pub fn load_as(
        &self,
        data: &SourceFile,
        format: Option<data::Format>,
    ) -> Result<data::Department, Failure> {
        // A form exported as CSV, read as text: a form all the same.
        if format.is_none() && forms::is_form_name(data.name()) {
            return self
                .load_form(data.name(), data.text().as_bytes())
                .map(|(dept, _)| dept);
        }
        match format {
            Some(format) => data::load_as(&self.checked.rulebook, data, format),
            None => data::load(&self.checked.rulebook, data),
        }
        .map_err(|e| Failure::Data(data.clone(), e))
    }

    /// Reads a 自评表 (a workbook or a CSV export, by its name) against these rules: the
    /// department, and the form as read (its warnings among it).
    pub fn load_form(&self, name: &str, bytes: &[u8]) -> Result<(data::Department, Form), Failure> {
        load_form(&self.checked.rulebook, name, bytes)
    }

    /// Scores a department without recording how: the total, the rating and every
    /// indicator's score.
    pub fn score(&self, dept: &data::Department) -> Result<eval::Scores, Failure> {
        eval::score(&self.checked.rulebook, dept).map_err(|e| self.eval_failure(e))
    }

    /// Scores a department and explains every step.
    pub fn trace(&self, dept: &data::Department) -> Result<Trace, Failure> {
        eval::evaluate(&self.checked.rulebook, dept).map_err(|e| self.eval_failure(e))
    }

    fn eval_failure(&self, e: eval::EvalError) -> Failure {
        Failure::Eval(self.checked.rulebook.source.clone(), Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A check's result as a user sees it: the model, or the diagnostics.
    fn shown(result: Result<Checked, Failure>) -> String {
        match result {
            Ok(checked) => format!("{checked:?}"),
            Err(failure) => failure.render(diagnostics::Style::Plain),
        }
    }

    /// Checking a file item by item as it is parsed gives what parsing it whole and checking
    /// that gives, on every rule file of the repository and each cut short every 400 bytes
    /// (most of them then fail to parse, or to check).
    #[test]
    fn checking_as_parsed_is_checking_the_whole() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut streamed = 0;
        for dir in ["fixtures", "rules", "examples"] {
            for entry in walkdir::WalkDir::new(format!("{root}/{dir}")).sort_by_file_name() {
                let entry = entry.unwrap();
                if entry.path().extension().is_none_or(|e| e != "jx") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                let name = entry.path().display().to_string();
                let cuts = (100..text.len())
                    .step_by(400)
                    .filter(|&c| text.is_char_boundary(c));
                for cut in cuts.chain([text.len()]) {
                    let src = SourceFile::new(format!("{name}:{cut}"), &text[..cut]);
                    let whole = shown(check_rules_with(&src, &mut |p| SourceFile::read(p)));
                    if let Some(result) = check_streamed(&src) {
                        streamed += 1;
                        assert_eq!(shown(result), whole, "{name}:{cut}");
                    }
                }
            }
        }
        assert!(streamed > 100, "{streamed}");
    }

    /// A name found nowhere when it is checked, but a `let` further down: the hint that says
    /// so needs the whole file, which is then checked the usual way.
    #[test]
    fn a_let_further_down_sends_the_file_the_usual_way() {
        let text = |name: &str| {
            format!(
                "rulebook \"t\" {{\n  total 30\n  round half_up 2 each indicator\n  rating 优 >= 90%, 差\n}}\n\
                 input 全年预算数: money\n\
                 indicator x points 10 {{ score 全年预算数 }}\n\
                 indicator y points 10 {{ score {name} }}\n\
                 indicator z points 10 {{\n  let 执行率 = 全年预算数\n  score 执行率\n}}\n"
            )
        };
        let below = SourceFile::new("t.jx", text("执行率"));
        assert!(check_streamed(&below).is_none());
        let nowhere = SourceFile::new("t.jx", text("完成度"));
        let streamed = check_streamed(&nowhere).map(shown);
        assert_eq!(
            streamed,
            Some(shown(check_rules_with(
                &nowhere,
                &mut |p| SourceFile::read(p)
            )))
        );
        assert!(shown(check_rules_with(&below, &mut |p| SourceFile::read(p))).contains("执行率"));
    }
}
