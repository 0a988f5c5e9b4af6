//! jixiao (绩效): a rule engine for public-budget performance self-evaluation.
//!
//! Auditors write an indicator table (指标, 分值, 评分标准) as a rule file; jixiao checks it once,
//! scores any number of departments' data against it with exact decimals, and explains every
//! score step by step.
//!
//! # Using jixiao as a library
//!
//! The way in is [`Rules`]: check a rule file once, then load and score departments.
//! [`Rules::score`] records nothing and returns [`Scores`] (the total, the rating, each
//! indicator's score): the fast path for scoring many. [`Rules::trace`] returns the typed
//! [`Trace`], which [`render`] prints as text, Markdown, HTML or JSON (`jixiao.trace/2`, see
//! docs/trace-json.md). Every failure is a [`Failure`] that renders as the command line shows
//! it, with file, line and help. For custom recording (coverage, your own tables), implement
//! [`eval::Recorder`] and call [`eval::run`].
//!
//! ```
//! use jixiao::{Rules, SourceFile};
//! let rules = Rules::check(&SourceFile::new("r.jx", r#"
//! rulebook "示例" { total 10  rating 优 >= 9, 差 }
//! input 满意度: percent
//! indicator 满意度得分 points 10 { score 满意度 * points }
//! "#)).unwrap_or_else(|f| panic!("{}", f.render(jixiao::diagnostics::Style::Plain)));
//! let dept = rules.load(&SourceFile::new("d.json", r#"{"满意度": "92%"}"#)).unwrap();
//! let scores = rules.score(&dept).unwrap();
//! assert_eq!(scores.total.normalize().to_string(), "9.2");
//! assert_eq!(scores.rating(rules.rulebook()), "优");
//! ```
//!
//! # The pipeline
//!
//! One module per stage (docs/architecture.md walks through them, and through adding a rule
//! kind):
//!
//! ```text
//! rule file ─ source ─▶ syntax::parse ─▶ ast::File ─▶ check::check ─▶ model::Rulebook
//!                                                                        │
//! data file ─ source ─▶ data::load (against the model's inputs) ─▶ Department
//! 自评表 (.xlsx, .csv …) ─▶ forms::read ─▶ Form ─▶ data::load_form ─▶ Department
//!                                                                        ▼
//!                      eval::run ─▶ Recorder (Tracer → trace::Trace, Coverage, or nothing → Scores)
//!                                                                        ▼
//!                                          report::{text, json, markdown, html} (wording: report::wording)
//! ```
//!
//! Every stage has its own error type implementing [`miette::Diagnostic`]; [`diagnostics`]
//! renders them. All arithmetic is exact decimal ([`rust_decimal::Decimal`]): no float is
//! ever used between a data file and a score (a workbook's cell stores a double: [`forms`]
//! turns it into the shortest decimal that reads back as it, the number Excel shows, as the
//! cell is read).

pub mod batch;
pub mod check;
pub mod compare;
pub mod data;
pub mod diagnostics;
pub mod eval;
pub mod format;
pub mod forms;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod source;
pub mod syntax;
pub mod trace;

// The command line's own machinery: public for the `jixiao` binary and the tests, not part of
// the library's documented surface.
#[doc(hidden)]
pub mod alloc;
#[doc(hidden)]
pub mod codes;
#[doc(hidden)]
pub mod echo;
#[doc(hidden)]
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
#[doc(hidden)]
pub mod imports;
#[doc(hidden)]
pub mod testing;

pub use eval::Scores;
pub use pipeline::{Failure, Rules};
pub use report::{Format, Lang, render};
pub use source::SourceFile;
pub use trace::Trace;

mod escape;
mod number;

/// A decimal as the reports print it in a column: at least `min_dp` decimals (`9.9` → `9.90`).
pub use number::column as number_column;
/// Rounds as the rule files' `round` setting does (re-exported for tests and tools).
pub use number::round as number_round;
