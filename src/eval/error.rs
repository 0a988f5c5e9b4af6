//! Evaluation errors: what can still go wrong when checked rules meet real numbers. Each is
//! located in the rule file and names the indicator and the inputs involved.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic, Clone)]
#[non_exhaustive]
pub enum EvalError {
    #[error("division by zero in `{indicator}`: {divisor} is 0")]
    #[diagnostic(
        code(jixiao::eval::division_by_zero),
        help(
            "{inputs}the rule must say what a zero means, for example `if {divisor} == 0 then 0 else …`"
        )
    )]
    DivisionByZero {
        indicator: String,
        divisor: String,
        /// "with 全年预算数 = 0; " when inputs are involved, else empty.
        inputs: String,
        #[label("{divisor} = 0")]
        span: SourceSpan,
    },

    #[error("in `{indicator}`, the value {value} falls in no tier")]
    #[diagnostic(
        code(jixiao::eval::no_tier),
        help(
            "add a tier that takes {value}, or mark a neighbouring bound `(含)`; `jixiao check` warns about such gaps"
        )
    )]
    NoTier {
        indicator: String,
        value: String,
        #[label("{value}")]
        span: SourceSpan,
    },

    #[error("{message}")]
    #[diagnostic(
        code(jixiao::eval::not_applicable),
        help(
            "the data makes every indicator here not applicable, so none can be scored; check the data, and if the case is real, add an alternative without a `not applicable if …` line last, or give the group itself a `not applicable if … => full` line (or `=> exclude`, `=> redistribute`, as the 评分标准 says)"
        )
    )]
    NotApplicable {
        message: String,
        #[label("this holds too")]
        span: SourceSpan,
    },

    #[error("`{indicator}` is scored over `{list}`, which has no records")]
    #[diagnostic(
        code(jixiao::eval::no_targets),
        help(
            "add the department's targets to `{list}` in the data, or make `{indicator}` not applicable when there are none: `not applicable if count({list}) == 0 => full` (or `=> exclude`, `=> redistribute`, as the 评分标准 says)"
        )
    )]
    NoTargets {
        indicator: String,
        list: String,
        #[label("scored here")]
        span: SourceSpan,
    },

    #[error("`{indicator}` reads `{input}`, which the data leaves out")]
    #[diagnostic(
        code(jixiao::eval::absent),
        help(
            "`{input}` is optional; give it in the data, or make `{indicator}` not applicable when it is not given"
        )
    )]
    Absent {
        input: String,
        indicator: String,
        #[label("not in the data")]
        span: SourceSpan,
    },

    #[error("a number in `{indicator}` is too large to compute exactly")]
    #[diagnostic(
        code(jixiao::eval::overflow),
        help(
            "{inputs}values must stay below about 7.9 × 10^28; check the data for a misplaced digit or unit"
        )
    )]
    Overflow {
        indicator: String,
        inputs: String,
        #[label("overflows here")]
        span: SourceSpan,
    },

    #[error("in `{indicator}`, a value is not of the type the checks gave it")]
    #[diagnostic(
        code(jixiao::internal::mistyped),
        help(
            "this is a bug in jixiao, not in the rules: please report it with the rule file and the data"
        )
    )]
    Mistyped {
        indicator: String,
        #[label("here")]
        span: SourceSpan,
    },
}
