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
        /// The inputs involved and their values.
        inputs: Read,
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

    #[error("{why}")]
    #[diagnostic(
        code(jixiao::eval::not_applicable),
        help(
            "the data makes every indicator here not applicable, so none can be scored; check the data, and if the case is real, add an alternative without a `not applicable if …` line last, or give the group itself a `not applicable if … => full` line (or `=> exclude`, `=> redistribute`, as the 评分标准 says)"
        )
    )]
    NotApplicable {
        why: NoneApplies,
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
        inputs: Read,
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

impl crate::diagnostics::Localized for EvalError {
    fn zh(&self) -> crate::diagnostics::Zh {
        use crate::diagnostics::Zh;
        match self {
            Self::DivisionByZero {
                indicator,
                divisor,
                inputs,
                ..
            } => Zh::new(format!("`{indicator}` 中出现除以零：{divisor} 为 0"))
                .help(format!(
                    "{}规则必须写明为零时怎么办，例如 `if {divisor} == 0 then 0 else …`",
                    inputs.zh()
                ))
                .label(format!("{divisor} = 0")),
            Self::NoTier {
                indicator, value, ..
            } => Zh::new(format!("`{indicator}` 中，取值 {value} 不落在任何一档中"))
                .help(format!(
                    "增加一档接住 {value}，或者给相邻的界限标上 `(含)`；`jixiao check` 会对这种缺口发出警告"
                ))
                .label(value.clone()),
            Self::NotApplicable { why, .. } => Zh::new(why.zh())
                .help("按这份数据，这里的所有指标都不适用，没有一个能评分；请检查数据；如果情况属实，就在最后加一个不带 `not applicable if …` 行的备选指标，或者给这一组本身写上 `not applicable if … => full` 行（或按评分标准写 `=> exclude`、`=> redistribute`）")
                .label("这一条也成立"),
            Self::NoTargets {
                indicator, list, ..
            } => Zh::new(format!("`{indicator}` 按 `{list}` 评分，但它没有记录"))
                .help(format!(
                    "在数据的 `{list}` 中加上部门的绩效指标，或者规定没有记录时 `{indicator}` 不适用：`not applicable if count({list}) == 0 => full`（或按评分标准写 `=> exclude`、`=> redistribute`）"
                ))
                .label("在这里评分"),
            Self::Absent {
                input, indicator, ..
            } => Zh::new(format!("`{indicator}` 要读取 `{input}`，但数据中没有"))
                .help(format!(
                    "`{input}` 是可选输入；在数据中给出它，或者规定没有给出时 `{indicator}` 不适用"
                ))
                .label("数据中没有"),
            Self::Overflow {
                indicator, inputs, ..
            } => Zh::new(format!("`{indicator}` 中的一个数太大，无法精确计算"))
                .help(format!(
                    "{}取值必须小于约 7.9 × 10^28；请检查数据中是否有错位的数字或单位",
                    inputs.zh()
                ))
                .label("在这里溢出"),
            Self::Mistyped { indicator, .. } => {
                Zh::new(format!("`{indicator}` 中，一个值的类型与检查时确定的不同"))
                    .help("这是 jixiao 的缺陷，不是规则的问题：请连同规则文件和数据一起报告")
                    .label("在这里")
            }
        }
    }
}

/// "with 全年预算数 = 0; " (see `inputs` above) in Chinese: "其中 全年预算数 = 0；".
/// The inputs an expression read, with their values, for an error's help: "with 全年预算数 = 0; "
/// in English, "其中 全年预算数 = 0；" in Chinese, nothing when no input is involved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Read(pub Vec<(String, crate::trace::Value)>);

impl Read {
    fn listed(&self, lang: crate::report::Lang, between: &str) -> String {
        self.0
            .iter()
            .map(|(name, v)| format!("{name} = {}", crate::report::wording::datum(v, lang)))
            .collect::<Vec<_>>()
            .join(between)
    }

    fn zh(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        format!("其中 {}；", self.listed(crate::report::Lang::Zh, "、"))
    }
}

impl std::fmt::Display for Read {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            return Ok(());
        }
        write!(f, "with {}; ", self.listed(crate::report::Lang::En, ", "))
    }
}

/// Why nothing could be scored where indicators do not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoneApplies {
    /// Every indicator is left out (`=> exclude`): there is no score to convert.
    EveryIndicator,
    /// None of the alternatives of a `one of` group applies.
    Alternatives { names: Vec<String> },
    /// An indicator redistributes its points, but none of the siblings it gives them to applies.
    Receivers { indicator: String },
}

impl std::fmt::Display for NoneApplies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::EveryIndicator => {
                f.write_str("every indicator is left out, so there is no score to convert")
            }
            Self::Alternatives { names } => {
                write!(f, "none of the alternatives {} applies", names.join(", "))
            }
            Self::Receivers { indicator } => write!(
                f,
                "`{indicator}` redistributes its points, but none of the siblings it gives them to applies"
            ),
        }
    }
}

impl NoneApplies {
    fn zh(&self) -> String {
        match self {
            Self::EveryIndicator => "所有指标都不计入，没有得分可以折算".into(),
            Self::Alternatives { names } => format!("备选指标 {} 都不适用", names.join("、")),
            Self::Receivers { indicator } => {
                format!("`{indicator}` 要把分值重新分配给同级指标，但接收分值的同级指标都不适用")
            }
        }
    }
}
