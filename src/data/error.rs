//! Data errors: everything wrong with a department's data file, each pointing into that file.
//!
//! Every sentence jixiao writes about a data file is here, in the attributes of [`DataError`] or
//! in the `Display` of a reason enum beside it, so that the wording can be read, and one day
//! translated, in one place. The reader elsewhere in `data` gathers only the facts.

use std::borrow::Cow;
use std::fmt;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::diagnostics::{Localized, Text, Zh};
use crate::number::WrittenNumberError;

#[derive(Debug, Error, Diagnostic, Clone)]
#[non_exhaustive]
pub enum DataError {
    #[error("{reason}")]
    #[diagnostic(code(jixiao::data::syntax), help("{}", reason.help()))]
    Syntax {
        reason: SyntaxReason,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("data files must end in .toml or .json, not `{path}`")]
    #[diagnostic(
        code(jixiao::data::format),
        help(
            "convert it into a TOML file named `….toml`, one department per file and one line such as `\"全年预算数\" = 3156.9` per input; a file that already holds TOML or JSON can be renamed, or read whatever its name with `jixiao score --data-format toml` (or `json`)"
        )
    )]
    UnknownFormat { path: String },

    #[error("the data has no `{name}`")]
    #[diagnostic(code(jixiao::data::missing), help("{example}"))]
    Missing {
        name: String,
        example: Text,
        #[label("`{name}` is missing from this file")]
        span: SourceSpan,
    },

    #[error("`{name}` is not a field of a target record")]
    #[diagnostic(code(jixiao::data::unknown), help("{help}"))]
    UnknownField {
        name: String,
        /// Which field it is one slip from.
        help: Text,
        #[label("unknown field")]
        span: SourceSpan,
    },

    #[error("`{name}` is not an input of these rules")]
    #[diagnostic(code(jixiao::data::unknown))]
    Unknown {
        name: String,
        #[label("unknown field")]
        span: SourceSpan,
        #[help]
        help: Option<Text>,
    },

    #[error("the data must be {expected}, but it is {found}")]
    #[diagnostic(code(jixiao::data::wrong_type))]
    NotATable {
        expected: Text,
        found: Text,
        #[label("{found}")]
        span: SourceSpan,
        #[help]
        help: Option<Text>,
    },

    #[error("`{name}` must be {expected}, but it is {found}")]
    #[diagnostic(code(jixiao::data::wrong_type))]
    WrongType {
        name: String,
        expected: Text,
        found: Text,
        #[label("{found}")]
        span: SourceSpan,
        #[help]
        help: Option<Text>,
    },

    #[error("`{name}` is \"{value}\", which is not one of its values")]
    #[diagnostic(
        code(jixiao::data::not_an_option),
        help(
            "{}`{name}` is one of: {options}",
            suggestion.as_ref().map(|n| format!("did you mean \"{n}\"? ")).unwrap_or_default()
        )
    )]
    NotAnOption {
        name: String,
        value: String,
        options: String,
        /// The option nearest to the value, if near enough to be a slip.
        suggestion: Option<String>,
        #[label("not an option")]
        span: SourceSpan,
    },

    #[error("the rate {rate} is outside the band \"{band}\" ({range})")]
    #[diagnostic(
        code(jixiao::data::judgement_band),
        help(
            "give a rate inside the band, or the band the rate belongs to; the bands are declared in the rules"
        )
    )]
    JudgementBand {
        rate: String,
        band: String,
        range: String,
        #[label("not in {range}")]
        span: SourceSpan,
    },

    #[error("the number `{text}` cannot be read exactly")]
    #[diagnostic(
        code(jixiao::data::inexact),
        help("write a plain decimal with at most 28 significant digits, for example 3151.09")
    )]
    Inexact {
        text: String,
        #[label("not an exact decimal")]
        span: SourceSpan,
    },

    /// A number written in a way that reads two ways, or not at all. The wording is the
    /// number's own (`WrittenNumberError::message` and `::help`), shared with the target
    /// notation; one too long to be exact is [`DataError::Inexact`] instead.
    #[error("{}", reason.message())]
    #[diagnostic(code(jixiao::data::number), help("{}", reason.help()))]
    Number {
        reason: WrittenNumberError,
        #[label("not a number jixiao can read for sure")]
        span: SourceSpan,
    },

    #[error("the grade of `{written}` cannot be known on scale `{scale}`")]
    #[diagnostic(
        code(jixiao::data::grade),
        help(
            "{}, or add `{written}` to the `words` of its band in `scale {scale}`", give.en
        )
    )]
    Grade {
        written: String,
        scale: String,
        grades: String,
        /// How to give the row its grade: a key in a data file, a column on a form.
        give: Text,
        #[label("which grade is this?")]
        span: SourceSpan,
    },

    #[error(
        "the records under 一级指标 `{level}` carry {sum} points, not the {weight} the rules set"
    )]
    #[diagnostic(
        code(jixiao::data::levels),
        help(
            "correct the 分值 of the records under `{level}` so they add up to {weight}: {arithmetic}"
        )
    )]
    Levels {
        level: String,
        sum: String,
        weight: String,
        arithmetic: String,
        #[label("the first record under this level")]
        span: SourceSpan,
    },

    #[error(
        "the records under 一级指标 `{level}` carry {sum} points, not the {weight} the guidance sets"
    )]
    #[diagnostic(
        code(jixiao::data::levels),
        severity(Warning),
        help(
            "the form is scored by its own 分值; if the weights should hold, correct the 分值 of the records under `{level}`: {arithmetic}"
        )
    )]
    LevelsWarning {
        level: String,
        sum: String,
        weight: String,
        arithmetic: String,
        #[label("the first record under this level")]
        span: SourceSpan,
    },

    #[error("`{text}` is not {what} as score tables write them")]
    #[diagnostic(code(jixiao::data::target_notation), help("{help}"))]
    TargetNotation {
        text: String,
        /// `a target` (指标值) or `an actual value` (实际完成值).
        what: Text,
        help: Text,
        #[label("malformed target")]
        span: SourceSpan,
    },

    #[error("the actual value is in {actual} but the target is in {target}")]
    #[diagnostic(
        code(jixiao::data::unit_mismatch),
        help("write 实际完成值 in the same unit as 指标值, converting if needed")
    )]
    UnitMismatch {
        /// The unit in backticks (`` `万元` ``), or `no unit`.
        target: Text,
        actual: Text,
        #[label("in {actual}")]
        span: SourceSpan,
        #[label("target in {target}")]
        target_span: SourceSpan,
    },

    #[error("the actual value `{actual}` has no `%`, but the target `{target}` is a percentage")]
    #[diagnostic(code(jixiao::data::bare_percent), help("{help}"))]
    BarePercent {
        actual: String,
        target: String,
        as_fraction: String,
        help: Text,
        #[label("a bare number: {as_fraction}% or {actual}%?")]
        span: SourceSpan,
        #[label("a percentage")]
        target_span: SourceSpan,
    },

    #[error("`{name}` is {value}, outside the range the rules allow ({range})")]
    #[diagnostic(
        code(jixiao::data::out_of_range),
        help(
            "correct the value in the data; if it is right, change the range the rules declare for `{name}` ({range})"
        )
    )]
    OutOfRange {
        name: String,
        value: String,
        range: String,
        #[label("not {range}")]
        span: SourceSpan,
    },

    #[error("the target list `{name}` is empty")]
    #[diagnostic(
        code(jixiao::data::no_targets),
        help("list the department's 绩效指标, one record each with 名称, 指标值 and 实际完成值")
    )]
    NoTargets {
        name: String,
        #[label("no records")]
        span: SourceSpan,
    },

    #[error(
        "the 分值 of `{list}` add up to {sum}, but indicator `{indicator}` has {points} points"
    )]
    #[diagnostic(
        code(jixiao::data::target_points),
        help("{arithmetic}; correct the 分值 of the records")
    )]
    TargetPoints {
        list: String,
        indicator: String,
        sum: String,
        points: String,
        arithmetic: String,
        #[label("these records")]
        span: SourceSpan,
    },
}

/// Why a data file cannot be read as TOML or JSON at all, or reads two ways (a key given twice).
/// The parser's message is kept as the parser words it; what jixiao says around it is below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxReason {
    /// A key given twice in one table; `first` is the byte where it was first given.
    DuplicateKey { key: String, first: usize },
    /// A record's field given under two of its names (`得分` and `自评得分`); `first` is the
    /// byte where `other` gave it.
    SameField {
        key: String,
        other: String,
        first: usize,
    },
    /// The TOML parser's message.
    Toml { parser: String },
    /// The TOML parser's message about an unquoted key that is not ASCII: the slip every
    /// Chinese data file makes first, so it gets help of its own.
    TomlUnquotedKey { parser: String },
    /// Full-width punctuation a Chinese input method types (`：`, `，`, `“`) where TOML or JSON
    /// needs the ASCII mark: the slip of data typed by hand in China.
    FullWidth { found: char, ascii: char },
    /// What the JSON parser found wrong, in jixiao's words.
    Json(JsonProblem),
    /// A JSON file with no value in it.
    EmptyJson,
}

impl fmt::Display for SyntaxReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyntaxReason::DuplicateKey { key, first } => {
                write!(f, "`{key}` is given twice (first at byte {first})")
            }
            SyntaxReason::SameField { key, other, first } => write!(
                f,
                "`{key}` is another name of `{other}`, which this record already gives (at byte {first})"
            ),
            SyntaxReason::Toml { parser } | SyntaxReason::TomlUnquotedKey { parser } => {
                write!(f, "invalid TOML: {parser}")
            }
            SyntaxReason::FullWidth { found, ascii } => write!(
                f,
                "`{found}` is a full-width character from the Chinese input method; the data needs {}",
                ascii_en(*ascii)
            ),
            SyntaxReason::Json(problem) => write!(f, "invalid JSON: {}", problem.en()),
            SyntaxReason::EmptyJson => write!(f, "the JSON file is empty"),
        }
    }
}

impl SyntaxReason {
    /// How to put it right.
    pub fn help(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            SyntaxReason::DuplicateKey { .. } | SyntaxReason::SameField { .. } => {
                "keep one of the two values"
            }
            SyntaxReason::Toml { .. } => {
                "see https://toml.io for the syntax; text values need double quotes"
            }
            SyntaxReason::TomlUnquotedKey { .. } => {
                "TOML allows only ASCII letters in bare keys: put Chinese keys in double quotes, \"全年预算数\" = 3156.9 and [[\"绩效指标\"]]"
            }
            SyntaxReason::FullWidth { ascii, .. } => {
                return format!(
                    "switch the input method to half-width (English) input and type {} here",
                    ascii_en(*ascii)
                )
                .into();
            }
            SyntaxReason::Json(problem) => return problem.help_en(),
            SyntaxReason::EmptyJson => "a data file is one object: { \"全年预算数\": 3156.9, … }",
        })
    }
}

impl DataError {
    /// The error for a number written in the data that cannot be read exactly.
    pub(crate) fn from_number(
        e: crate::number::WrittenNumberError,
        span: crate::source::Span,
    ) -> Self {
        match e {
            crate::number::WrittenNumberError::TooLong { text } => DataError::Inexact {
                text,
                span: span.into(),
            },
            reason => DataError::Number {
                reason,
                span: span.into(),
            },
        }
    }
}

impl SyntaxReason {
    fn zh(&self) -> String {
        match self {
            SyntaxReason::DuplicateKey { key, first } => {
                format!("`{key}` 写了两次（第一次在第 {first} 字节处）")
            }
            SyntaxReason::SameField { key, other, first } => {
                format!(
                    "`{key}` 与 `{other}` 是同一个字段，这条记录已经写了 `{other}`（在第 {first} 字节处）"
                )
            }
            SyntaxReason::Toml { parser } | SyntaxReason::TomlUnquotedKey { parser } => {
                match toml_zh(parser) {
                    Some(zh) => format!("TOML 格式错误：{zh}"),
                    // A message this build does not know (a newer parser's): quoted as it is.
                    None => format!("TOML 格式错误，解析器报告：“{parser}”"),
                }
            }
            SyntaxReason::FullWidth { found, ascii } => {
                format!(
                    "`{found}` 是中文输入法打出的全角字符；数据中要用{}",
                    ascii_zh(*ascii)
                )
            }
            SyntaxReason::Json(problem) => format!("JSON 格式错误：{}", problem.zh()),
            SyntaxReason::EmptyJson => "JSON 文件是空的".into(),
        }
    }

    fn help_zh(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            SyntaxReason::DuplicateKey { .. } | SyntaxReason::SameField { .. } => {
                "两个值只保留一个"
            }
            SyntaxReason::Toml { .. } => "TOML 的写法见 https://toml.io；文字要写在双引号中",
            SyntaxReason::TomlUnquotedKey { .. } => {
                "TOML 中不加引号的键只能由英文字母等组成：中文键要写在双引号中，例如 \"全年预算数\" = 3156.9 和 [[\"绩效指标\"]]"
            }
            SyntaxReason::FullWidth { ascii, .. } => {
                return format!(
                    "把输入法切换到半角（英文）状态，在这里改为{}",
                    ascii_zh(*ascii)
                )
                .into();
            }
            SyntaxReason::Json(problem) => return problem.help_zh(),
            SyntaxReason::EmptyJson => "数据文件是一个对象：{ \"全年预算数\": 3156.9, … }",
        })
    }
}

/// The ASCII character a full-width one stands for, as a message names it.
fn ascii_en(c: char) -> String {
    match c {
        ' ' => "an ASCII space".into(),
        c => format!("the ASCII `{c}`"),
    }
}

fn ascii_zh(c: char) -> String {
    match c {
        ' ' => "半角空格".into(),
        c => format!("半角的 `{c}`"),
    }
}

/// The TOML parser's message in Chinese. The parser gives only English text, made of one of a
/// fixed set of descriptions and, after `, expected `, a list of what it expected (`toml`'s
/// `de::Error::new`); each part is looked up here. `None` for a part this build does not know.
fn toml_zh(parser: &str) -> Option<String> {
    let (what, expected) = match parser.split_once(", expected ") {
        Some((what, expected)) => (what, Some(expected)),
        None => (parser, None),
    };
    // Whether the list of what was expected adds anything to the description.
    let (what, list) = match what {
        "`_` may only go between digits" => ("`_` 只能写在两个数字之间", false),
        "cannot recurse further; max recursion depth met" | "recursion limit" => {
            ("嵌套层数过多", false)
        }
        "carriage return must be followed by newline" => ("回车符后面必须是换行符", false),
        "extra `=`" => ("多了一个 `=`", false),
        "extra assignment between key-value pairs" => ("键值对之间多了一个 `=`", false),
        "extra comma in array" => ("数组中多了一个逗号", false),
        "extra comma in inline table" => ("内联表中多了一个逗号", false),
        "integers with a radix cannot be signed" => ("带进制前缀的整数不能有正负号", false),
        "invalid comment character" => ("注释中有不允许的字符", false),
        "invalid inline table element" => ("内联表中的元素无效", true),
        "invalid key-value pair" => ("键值对无效", true),
        "invalid unquoted key" => ("不加引号的键中有不允许的字符", true),
        "invalid key" => ("键无效", true),
        "invalid value" => ("值无效", true),
        "invalid table" => ("表头无效", true),
        "invalid string" => ("文字无效", true),
        "invalid basic string" => ("双引号字符串无效", true),
        "invalid literal string" => ("单引号字符串无效", true),
        "invalid multi-line basic string" | "invalid multi-line literal string" => {
            ("多行字符串无效", true)
        }
        "invalid boolean" => ("布尔值无效（只能是 true 或 false）", false),
        "invalid date-time" => ("日期时间无效", false),
        "invalid integer number" => ("整数无效", true),
        "invalid binary number" | "invalid octal number" | "invalid hexadecimal number" => {
            ("进制数无效", true)
        }
        "invalid float" | "invalid mantissa" | "invalid fraction" | "invalid exponent" => {
            ("小数无效", true)
        }
        "key with no value" => ("键没有值", true),
        "keys cannot be multi-line basic strings" | "keys cannot be multi-line literal strings" => {
            ("键不能是多行字符串", false)
        }
        "missing array opening" => ("缺少数组开头的 `[`", false),
        "missing assignment between key-value pairs" => ("键和值之间缺少 `=`", false),
        "missing comma between array elements" => ("数组元素之间缺少逗号", false),
        "missing comma between key-value pairs" => ("键值对之间缺少逗号", false),
        "missing comment start" => ("缺少注释开头的 `#`", false),
        "missing escaped value" => ("反斜杠 `\\` 后面缺少转义的字符", true),
        "missing inline table opening" => ("缺少内联表开头的 `{`", false),
        "missing key for inline table element" => ("内联表的元素缺少键", false),
        "missing opening quote" => ("缺少开头的引号", false),
        "missing table open" => ("缺少表头开头的 `[`", false),
        "missing value for key" => ("键缺少值", false),
        "missing value" => ("缺少值", false),
        "radix must be lowercase" => ("进制前缀必须小写", false),
        "redundant integer number prefix" => ("整数多了前缀", false),
        "redundant numeric sign" => ("数字多了正负号", false),
        "string values must be quoted" => ("文字值必须加引号", false),
        "too few unicode value digits" => ("Unicode 转义的十六进制数字不够", false),
        "unclosed array table" => ("表数组的表头没有用 `]]` 结束", false),
        "unclosed array" => ("数组没有用 `]` 结束", false),
        "unclosed inline table" => ("内联表没有用 `}` 结束", false),
        "unclosed table" => ("表头没有用 `]` 结束", false),
        "unexpected `=` in array" => ("数组中不能出现 `=`", false),
        "unexpected content between comment and newline" => ("注释与换行之间有多余的内容", false),
        "unexpected content" => ("有多余的内容", true),
        "unexpected key or value" => ("有多余的键或值", true),
        "unexpected leading zero" => ("数字不能以 0 开头", false),
        "unexpected sign" => ("这里不能有正负号", false),
        "unquoted keys cannot be empty" => ("不加引号的键不能为空", false),
        "duplicate key" => ("键重复", false),
        "invalid date" | "invalid time" | "invalid offset" | "invalid datetime" => {
            ("日期时间无效", true)
        }
        other => {
            // `cannot extend value of type integer with a dotted key`, for each type of value.
            let kind = other
                .strip_prefix("cannot extend value of type ")?
                .strip_suffix(" with a dotted key")?;
            let kind = match kind {
                "array" => "数组",
                "inline table" => "内联表",
                "table" => "表",
                "string" => "字符串",
                "integer" => "整数",
                "float" => "小数",
                "boolean" => "布尔值",
                "datetime" => "日期时间",
                _ => return None,
            };
            return Some(format!("不能用带点的键扩展{kind}（这个键已经是{kind}）"));
        }
    };
    let expected = expected.filter(|_| list);
    let Some(expected) = expected else {
        return Some(what.to_string());
    };
    let words = expected
        .split(", ")
        .map(|e| {
            // `month between 01 and 12`: what a date's part must lie between.
            if let Some((part, range)) = e.split_once(" between ") {
                let (low, high) = range.split_once(" and ")?;
                let part = match part {
                    "month" => "月份",
                    "day" => "日",
                    "hour" | "hours" => "小时",
                    "minute" | "minutes" => "分钟",
                    "second" => "秒",
                    _ => return None,
                };
                return Some(format!("{low} 到 {high} 之间的{part}"));
            }
            Some(
                match e {
                    // A literal, which the parser writes in backquotes.
                    e if e.len() > 2 && e.starts_with('`') && e.ends_with('`') => e,
                    "'`'" => e,
                    "newline" => "换行",
                    "nothing" => "没有内容",
                    "basic string" => "双引号字符串",
                    "literal string" => "单引号字符串",
                    "multi-line basic string" => "多行字符串",
                    "characters" => "字符",
                    "printable characters" => "可打印字符",
                    "non-double-quote visible characters" => "双引号以外的可见字符",
                    "non-single-quote characters" => "单引号以外的字符",
                    "non-single-quote visible characters" => "单引号以外的可见字符",
                    "digits" | "numbers" => "数字",
                    "letters" => "字母",
                    "key" => "键",
                    "value" => "值",
                    "unicode hexadecimal value" => "Unicode 十六进制值",
                    _ => return None,
                }
                .to_string(),
            )
        })
        .collect::<Option<Vec<String>>>()?;
    let mut words = words;
    // "digits" and "numbers" are one word in Chinese.
    words.dedup();
    Some(format!(
        "{what}，应当是{}",
        crate::diagnostics::alternatives_zh(words)
    ))
}

/// What is wrong with a JSON text. The parser's own messages are English only and name its
/// options ("Trailing commas are not allowed"); these say it as a user who typed the file would
/// need it, in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonProblem {
    /// A character that cannot stand here (`None`: at the end of the text).
    Unexpected(Option<char>),
    /// A word that is not `true`, `false` or `null`: text without its quotes.
    BareWord,
    /// A key that is not text in double quotes.
    KeyNotQuoted,
    /// Text in single quotes.
    SingleQuotes,
    MissingColon,
    MissingValue,
    MissingComma,
    TrailingComma,
    Comment,
    /// A number cut short: `-`, `1e`, `1.`.
    NumberCut,
    /// A number in a form JSON does not have: `.5`, `+12`, `0x1F`, `Infinity`, `NaN`.
    NumberForm,
    /// A `\` followed by something that is not one of JSON's escapes.
    BadEscape,
    /// A `\u` without four hex digits, or naming no character (half a surrogate pair).
    BadUnicodeEscape,
    UnclosedString,
    UnclosedObject,
    UnclosedArray,
    UnclosedComment,
    /// A second value after the first, which is the whole file.
    MoreThanOneValue,
    TooDeep,
}

/// A character as a message shows it: a control character by its code.
fn shown(c: char) -> String {
    match c.is_control() {
        true => c.escape_unicode().to_string(),
        false => c.to_string(),
    }
}

impl JsonProblem {
    fn en(&self) -> String {
        match self {
            JsonProblem::Unexpected(Some(c)) => format!("`{}` cannot stand here", shown(*c)),
            JsonProblem::Unexpected(None) => "the text ends too soon".into(),
            JsonProblem::BareWord => "a word without quotes".into(),
            JsonProblem::KeyNotQuoted => "a key must be text in double quotes".into(),
            JsonProblem::SingleQuotes => "text in single quotes".into(),
            JsonProblem::MissingColon => "a `:` is missing after the key".into(),
            JsonProblem::MissingValue => "a value is missing after the `:`".into(),
            JsonProblem::MissingComma => "a `,` is missing between two items".into(),
            JsonProblem::TrailingComma => "a `,` after the last item".into(),
            JsonProblem::Comment => "JSON has no comments".into(),
            JsonProblem::NumberCut => "the number is cut short".into(),
            JsonProblem::NumberForm => "JSON does not write a number this way".into(),
            JsonProblem::BadEscape => "`\\` starts an escape JSON does not have".into(),
            JsonProblem::BadUnicodeEscape => {
                "`\\u` must be followed by four hex digits naming a character".into()
            }
            JsonProblem::UnclosedString => "the text has no closing `\"`".into(),
            JsonProblem::UnclosedObject => "a `{` is never closed".into(),
            JsonProblem::UnclosedArray => "a `[` is never closed".into(),
            JsonProblem::UnclosedComment => "a `/*` comment is never closed".into(),
            JsonProblem::MoreThanOneValue => "the file holds more than one value".into(),
            JsonProblem::TooDeep => "brackets nested too deep".into(),
        }
    }

    fn zh(&self) -> String {
        match self {
            JsonProblem::Unexpected(Some(c)) => format!("这里不能出现 `{}`", shown(*c)),
            JsonProblem::Unexpected(None) => "文本过早结束".into(),
            JsonProblem::BareWord => "文字没有加引号".into(),
            JsonProblem::KeyNotQuoted => "键必须是写在双引号中的文字".into(),
            JsonProblem::SingleQuotes => "文字写在了单引号中".into(),
            JsonProblem::MissingColon => "键后面缺少冒号 `:`".into(),
            JsonProblem::MissingValue => "冒号 `:` 后面缺少值".into(),
            JsonProblem::MissingComma => "两项之间缺少逗号 `,`".into(),
            JsonProblem::TrailingComma => "最后一项后面多了逗号 `,`".into(),
            JsonProblem::Comment => "JSON 中不能写注释".into(),
            JsonProblem::NumberCut => "数字不完整".into(),
            JsonProblem::NumberForm => "JSON 中的数字不能这样写".into(),
            JsonProblem::BadEscape => "反斜杠 `\\` 后面不是 JSON 的转义".into(),
            JsonProblem::BadUnicodeEscape => {
                "`\\u` 后面应当是表示一个字符的四位十六进制数字".into()
            }
            JsonProblem::UnclosedString => "文字缺少结尾的双引号 `\"`".into(),
            JsonProblem::UnclosedObject => "`{` 没有对应的 `}`".into(),
            JsonProblem::UnclosedArray => "`[` 没有对应的 `]`".into(),
            JsonProblem::UnclosedComment => "注释 `/*` 没有结束".into(),
            JsonProblem::MoreThanOneValue => "文件中有不止一个值".into(),
            JsonProblem::TooDeep => "括号嵌套层数过多".into(),
        }
    }

    fn help_en(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            JsonProblem::Unexpected(_) => "check the commas, quotes and brackets around this place",
            JsonProblem::BareWord | JsonProblem::SingleQuotes | JsonProblem::KeyNotQuoted => {
                "put text in double quotes: \"等级\": \"优\""
            }
            JsonProblem::MissingColon => "a key and its value are written \"全年预算数\": 3156.9",
            JsonProblem::MissingValue => "write the value after the `:`, or delete the key",
            JsonProblem::MissingComma => "separate the items of an object or a list with `,`",
            JsonProblem::TrailingComma => "delete this comma",
            JsonProblem::Comment => {
                "delete the comment, or keep the note in a field such as \"备注\""
            }
            JsonProblem::NumberCut | JsonProblem::NumberForm => {
                "write a number with digits and at most one `.`, such as 3156.9, 0.5 or -12 (not .5, 5., 01, +12, 0x1F, 1e, Infinity or NaN)"
            }
            JsonProblem::BadEscape => {
                "write a backslash itself as `\\\\`; JSON's escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"
            }
            JsonProblem::BadUnicodeEscape => {
                "write the character itself, or `\\u` and four hex digits (a character beyond U+FFFF as two, \\uD83D\\uDE00)"
            }
            JsonProblem::UnclosedString => "end the text with `\"` on the same line",
            JsonProblem::UnclosedObject | JsonProblem::UnclosedArray => {
                "close every bracket that is opened; the place shown is where the unclosed one opens or where the text ends"
            }
            JsonProblem::UnclosedComment => "JSON has no comments: delete it",
            JsonProblem::MoreThanOneValue => {
                "a department's data is one object; for many departments, write one object a line in a .jsonl file and run `jixiao batch`"
            }
            JsonProblem::TooDeep => {
                "a department's data is an object of values and lists of records, two or three levels deep"
            }
        })
    }

    fn help_zh(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            JsonProblem::Unexpected(_) => "检查这里附近的逗号、引号和括号",
            JsonProblem::BareWord | JsonProblem::SingleQuotes | JsonProblem::KeyNotQuoted => {
                "文字要写在双引号中：\"等级\": \"优\""
            }
            JsonProblem::MissingColon => "键和值写作 \"全年预算数\": 3156.9",
            JsonProblem::MissingValue => "在冒号 `:` 后面写上值，或者删去这个键",
            JsonProblem::MissingComma => "对象或列表中的各项之间用逗号 `,` 隔开",
            JsonProblem::TrailingComma => "删去这个逗号",
            JsonProblem::Comment => "删去注释，或者把说明写在 \"备注\" 等字段中",
            JsonProblem::NumberCut | JsonProblem::NumberForm => {
                "数字用阿拉伯数字书写，最多一个小数点，例如 3156.9、0.5 或 -12（不能写成 .5、5.、01、+12、0x1F、1e、Infinity 或 NaN）"
            }
            JsonProblem::BadEscape => {
                "反斜杠本身写作 `\\\\`；JSON 的转义只有 \\\" \\\\ \\/ \\b \\f \\n \\r \\t 和 \\uXXXX"
            }
            JsonProblem::BadUnicodeEscape => {
                "直接写出这个字符，或者写 `\\u` 加四位十六进制数字（U+FFFF 以上的字符写两组，例如 \\uD83D\\uDE00）"
            }
            JsonProblem::UnclosedString => "在同一行用 `\"` 结束这段文字",
            JsonProblem::UnclosedObject | JsonProblem::UnclosedArray => {
                "每个打开的括号都要关闭；所指之处是未关闭的括号打开的地方或文本结束的地方"
            }
            JsonProblem::UnclosedComment => "JSON 中不能写注释：删去它",
            JsonProblem::MoreThanOneValue => {
                "一个部门的数据是一个对象；多个部门请写成 .jsonl 文件（每行一个对象），用 `jixiao batch` 评分"
            }
            JsonProblem::TooDeep => "部门数据是由值和记录列表组成的对象，只有两三层",
        })
    }
}

impl Localized for DataError {
    fn zh(&self) -> Zh {
        match self {
            DataError::Syntax { reason, .. } => Zh::new(reason.zh())
                .help(reason.help_zh())
                .label("在这里"),
            DataError::UnknownFormat { path } => {
                Zh::new(format!("数据文件必须以 .toml 或 .json 结尾，而不是 `{path}`"))
                    .help("把它转换成名为 `….toml` 的 TOML 文件：每个部门一个文件，每个输入一行，例如 `\"全年预算数\" = 3156.9`；本来就是 TOML 或 JSON 内容的文件可以改名，或者用 `jixiao score --data-format toml`（或 `json`）不管文件名按指定格式读取")
            }
            DataError::Missing { name, example, .. } => {
                Zh::new(format!("数据中没有 `{name}`"))
                    .help(example.zh.clone())
                    .label(format!("这个文件缺少 `{name}`"))
            }
            DataError::UnknownField { name, help, .. } => {
                Zh::new(format!("`{name}` 不是绩效指标记录的字段"))
                    .help(help.zh.clone())
                    .label("未知的字段")
            }
            DataError::Unknown { name, help, .. } => {
                Zh::new(format!("`{name}` 不是这些规则的输入"))
                    .help_if(help.as_ref().map(|h| h.zh.to_string()))
                    .label("未知的字段")
            }
            DataError::NotATable {
                expected,
                found,
                help,
                ..
            } => Zh::new(format!("数据必须是{}，但这里是{}", expected.zh, found.zh))
                .help_if(help.as_ref().map(|h| h.zh.to_string()))
                .label(found.zh.clone()),
            DataError::WrongType {
                name,
                expected,
                found,
                help,
                ..
            } => Zh::new(format!(
                "`{name}` 必须是{}，但这里是{}",
                expected.zh, found.zh
            ))
            .help_if(help.as_ref().map(|h| h.zh.to_string()))
            .label(found.zh.clone()),
            DataError::NotAnOption {
                name,
                value,
                options,
                suggestion,
                ..
            } => Zh::new(format!("`{name}` 是 \"{value}\"，不是它的取值之一"))
                .help(format!(
                    "{}`{name}` 的取值有：{options}",
                    suggestion
                        .as_ref()
                        .map(|n| format!("是不是要写 \"{n}\"？"))
                        .unwrap_or_default()
                ))
                .label("不是可选的取值"),
            DataError::JudgementBand {
                rate, band, range, ..
            } => Zh::new(format!("得分率 {rate} 不在等级 \"{band}\"（{range}）之内"))
                .help("给出这个等级之内的得分率，或者改为得分率所属的等级；各等级的范围在规则中声明")
                .label(format!("不在 {range} 之内")),
            DataError::Inexact { text, .. } => Zh::new(format!("数字 `{text}` 无法精确读取"))
                .help("写成有效数字不超过 28 位的普通小数，例如 3151.09")
                .label("不是精确的小数"),
            DataError::Number { reason, .. } => Zh::new(reason.message_zh())
                .help(reason.help_zh())
                .label("无法确定这个数"),
            DataError::Grade {
                written,
                scale,
                give,
                ..
            } => Zh::new(format!("无法按档次 `{scale}` 判断 `{written}` 属于哪一档"))
                .help(format!("{}，或者把 `{written}` 加入 `scale {scale}` 中相应一档的 `words`", give.zh))
                .label("这属于哪一档？"),
            DataError::Levels {
                level,
                sum,
                weight,
                arithmetic,
                ..
            } => levels_zh([level, sum, weight, arithmetic], false),
            DataError::LevelsWarning {
                level,
                sum,
                weight,
                arithmetic,
                ..
            } => levels_zh([level, sum, weight, arithmetic], true),
            DataError::TargetNotation {
                text, what, help, ..
            } => Zh::new(format!("`{text}` 不是评分表写法的{}", what.zh))
                .help(help.zh.clone())
                .label("指标值写法有误"),
            DataError::UnitMismatch { target, actual, .. } => Zh::new(format!(
                "实际完成值的单位是{}，但指标值的单位是{}",
                unit_zh(actual),
                unit_zh(target)
            ))
            .help("实际完成值要与指标值使用同一单位，必要时先换算")
            .label(format!("单位：{}", actual.zh))
            .label(format!("指标值单位：{}", target.zh)),
            DataError::BarePercent {
                actual,
                target,
                as_fraction,
                help,
                ..
            } => Zh::new(format!(
                "实际完成值 `{actual}` 没有 `%`，但指标值 `{target}` 是百分数"
            ))
            .help(help.zh.clone())
            .label(format!("没有单位的数：是 {as_fraction}% 还是 {actual}%？"))
            .label("百分数"),
            DataError::OutOfRange {
                name, value, range, ..
            } => Zh::new(format!("`{name}` 是 {value}，超出了规则允许的范围（{range}）"))
                .help(format!(
                    "改正数据中的值；如果值没错，就修改规则中为 `{name}` 声明的范围（{range}）"
                ))
                .label(format!("不满足 {range}")),
            DataError::NoTargets { name, .. } => {
                Zh::new(format!("绩效指标列表 `{name}` 是空的"))
                    .help("列出部门的绩效指标，每条记录写明 名称、指标值 和 实际完成值")
                    .label("没有记录")
            }
            DataError::TargetPoints {
                list,
                indicator,
                sum,
                points,
                arithmetic,
                ..
            } => Zh::new(format!(
                "`{list}` 各记录的 分值 合计 {sum}，但指标 `{indicator}` 的分值是 {points}"
            ))
            .help(format!("{arithmetic}；请改正各记录的 分值"))
            .label("这些记录"),
        }
    }
}

/// A unit as the message names it: `` `万元` ``, or 无单位 (no unit) said as such.
fn unit_zh(unit: &Text) -> String {
    if unit.zh.starts_with('`') {
        format!(" {} ", unit.zh)
    } else {
        unit.zh.to_string()
    }
}

/// `data::levels` in Chinese, as an error or under `warn` as a warning.
fn levels_zh([level, sum, weight, arithmetic]: [&String; 4], warn: bool) -> Zh {
    let (set_by, help) = match warn {
        false => (
            "规则规定",
            format!("修改 `{level}` 下各记录的分值，使其合计为 {weight}：{arithmetic}"),
        ),
        true => (
            "指导意见规定",
            format!(
                "仍按表中各记录自己的分值计分；如应遵守权重，请修改 `{level}` 下各记录的分值：{arithmetic}"
            ),
        ),
    };
    Zh::new(format!(
        "一级指标 `{level}` 下各记录的分值合计 {sum}，而不是{set_by}的 {weight}"
    ))
    .help(help)
    .label("该层级的第一条记录")
}
