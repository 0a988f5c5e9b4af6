//! Syntax errors: what the parser expected, in words, at the place it stopped.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::diagnostics::Text;

// Each phrase in two languages makes `Unexpected` large; a file has a handful of these, never
// a hot path.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Error, Diagnostic, Clone, PartialEq)]
pub enum SyntaxError {
    #[error("expected {expected}, found {found}")]
    #[diagnostic(code(jixiao::syntax::unexpected))]
    Unexpected {
        expected: Text,
        found: Text,
        #[label("{label}")]
        span: SourceSpan,
        label: Text,
        #[help]
        help: Option<Text>,
        /// Where an unclosed quote or brace was opened.
        #[label("{opened_label}")]
        opened: Option<SourceSpan>,
        opened_label: Text,
    },

    #[error("the number {text} cannot be represented exactly")]
    #[diagnostic(
        code(jixiao::syntax::number_range),
        help("numbers may have at most 28 significant digits")
    )]
    NumberRange {
        text: String,
        #[label("out of range")]
        span: SourceSpan,
    },

    #[error("`round` keeps at most {max} decimal places, not {text}")]
    #[diagnostic(
        code(jixiao::syntax::number_range),
        help("keep 0 to {max} decimal places, for example `round half_up 2 each indicator`")
    )]
    RoundingDigits {
        text: String,
        max: u32,
        #[label("more than {max}")]
        span: SourceSpan,
    },

    #[error("brackets are nested more than {max} levels deep")]
    #[diagnostic(
        code(jixiao::syntax::too_deep),
        help("split the expression into `let` steps; no real score table nests this deep")
    )]
    TooDeep {
        max: usize,
        #[label("this bracket is too deep")]
        span: SourceSpan,
    },

    #[error("this expression is nested more than {max} operations deep")]
    #[diagnostic(
        code(jixiao::syntax::expr_too_deep),
        help("split it into `let` steps, for example one `let` per group of terms, and add those")
    )]
    ExprTooDeep {
        max: usize,
        #[label("too deep from here")]
        span: SourceSpan,
    },

    #[error("internal error: the grammar and the lowering disagree ({detail})")]
    #[diagnostic(
        code(jixiao::internal::lowering),
        help("this is a bug in jixiao, not in your file: please report it with the file")
    )]
    Internal {
        detail: String,
        #[label("here")]
        span: SourceSpan,
    },
}

impl crate::diagnostics::Localized for SyntaxError {
    fn zh(&self) -> crate::diagnostics::Zh {
        use crate::diagnostics::Zh;
        match self {
            Self::Unexpected {
                expected,
                found,
                label,
                help,
                opened,
                opened_label,
                ..
            } => Zh::new(format!("这里应当是{}，实际是{}", expected.zh, found.zh))
                .help_if(help.as_ref().map(|h| h.zh.to_string()))
                .label(label.zh.clone())
                .label_if(opened.is_some(), opened_label.zh.clone()),
            Self::NumberRange { text, .. } => Zh::new(format!("数字 {text} 无法精确表示"))
                .help("数字最多只能有 28 位有效数字")
                .label("超出范围"),
            Self::RoundingDigits { text, max, .. } => {
                Zh::new(format!("`round` 最多保留 {max} 位小数，不能是 {text}"))
                    .help(format!(
                        "保留 0 到 {max} 位小数，例如 `round half_up 2 each indicator`"
                    ))
                    .label(format!("超过 {max}"))
            }
            Self::TooDeep { max, .. } => Zh::new(format!("括号嵌套超过了 {max} 层"))
                .help("把表达式拆成几个 `let` 步骤；实际的评分表不会嵌套这么深")
                .label("这个括号嵌套太深"),
            Self::ExprTooDeep { max, .. } => Zh::new(format!("这个表达式嵌套了超过 {max} 层运算"))
                .help("把它拆成几个 `let` 步骤，例如每组项写一个 `let`，再把它们相加")
                .label("从这里开始嵌套太深"),
            Self::Internal { detail, .. } => {
                Zh::new(format!("内部错误：语法与转换不一致（{detail}）"))
                    .help("这是 jixiao 的缺陷，不是文件的问题：请连同文件一起报告")
                    .label("在这里")
            }
        }
    }
}
