//! jixiao (绩效): a rule engine for public-budget performance self-evaluation.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! rule file ─ source ─▶ syntax::parse ─▶ ast::File ─▶ check::check ─▶ model::Rulebook
//!                                                                        │
//! data file ─ source ─▶ data::load (against the model's inputs) ─▶ Department
//!                                                                        ▼
//!                                              eval::evaluate ─▶ trace::Trace ─▶ report::{text, json, markdown}
//! ```
//!
//! Every stage has its own error type implementing [`miette::Diagnostic`]; [`diagnostics`]
//! renders them. All arithmetic is exact decimal ([`rust_decimal::Decimal`]): no float is
//! ever used between a data file and a score.

pub mod batch;
pub mod check;
pub mod codes;
pub mod compare;
pub mod data;
pub mod diagnostics;
pub mod echo;
pub mod eval;
pub mod files;
pub mod format;
#[doc(hidden)]
pub mod fuzzing;
pub mod imports;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod source;
pub mod syntax;
pub mod testing;
pub mod trace;

mod escape;
mod number;

/// A decimal as the reports print it in a column: at least `min_dp` decimals (`9.9` → `9.90`).
pub use number::column as number_column;
/// Rounds as the rule files' `round` setting does (re-exported for tests and tools).
pub use number::round as number_round;
