//! One spanned tree for both data formats. TOML and JSON are read by their parsers into this
//! shape, numbers kept as the text written (never through f64), so one validator serves both.
//! The tree borrows its keys, texts and numbers from the text read wherever they are written
//! there as they are (a JSON string without escapes): a department of a batch is read without
//! copying each of its strings twice.

use std::borrow::Cow;

use jsonc_parser::ast as json;
use toml::de::{DeTable, DeValue};

use super::error::{DataError, JsonProblem, SyntaxReason};
use crate::source::Span;

#[derive(Debug, PartialEq)]
pub enum Node<'a> {
    Table(Vec<Entry<'a>>),
    Array(Vec<Spanned<'a>>),
    Text(Cow<'a, str>),
    /// A number exactly as written.
    Number(Cow<'a, str>),
    Bool(bool),
    /// Anything else (a TOML date, a JSON null), by its name for messages.
    Other(&'static str),
}

#[derive(Debug, PartialEq)]
pub struct Spanned<'a> {
    pub node: Node<'a>,
    pub span: Span,
}

#[derive(Debug, PartialEq)]
pub struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub key_span: Span,
    pub value: Spanned<'a>,
}

impl Node<'_> {
    pub fn describe(&self) -> String {
        match self {
            Node::Table(_) => "a table".into(),
            Node::Array(_) => "a list".into(),
            Node::Text(t) => format!("the text \"{t}\""),
            Node::Number(n) => format!("the number {n}"),
            Node::Bool(b) => format!("`{b}`"),
            Node::Other(what) => (*what).into(),
        }
    }

    /// [`Node::describe`] in both languages.
    pub fn words(&self) -> crate::diagnostics::Text {
        let zh = match self {
            Node::Table(_) => "表".into(),
            Node::Array(_) => "列表".into(),
            Node::Text(t) => format!("文字 \"{t}\""),
            Node::Number(n) => format!("数字 {n}"),
            Node::Bool(b) => format!("`{b}`"),
            Node::Other(what) => match *what {
                "a number in another base" => "其他进制的数".into(),
                "a date" => "日期".into(),
                other => format!("`{other}`"),
            },
        };
        crate::diagnostics::Text::new(self.describe(), zh)
    }
}

/// Reads TOML, reporting every syntax error the parser recovers from.
pub fn from_toml(text: &str) -> Result<Spanned<'static>, Vec<DataError>> {
    // TOML knows only LF and CRLF; a file saved with lone CR line ends (old Mac editors, some
    // exports) is read as if each lone CR were LF. The text keeps its length, so every span
    // still points into the file as it is.
    let lf_only;
    let text = if text.contains('\r') {
        lf_only = lone_cr_as_lf(text);
        lf_only.as_str()
    } else {
        text
    };
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors
            .into_iter()
            .map(|e| {
                let span = e
                    .span()
                    .map_or(Span::new(0, 0), |r| Span::new(r.start, r.end));
                let key = text.get(span.start()..span.end()).unwrap_or("");
                let parser = e.message().trim().to_string();
                // The slip every Chinese data file makes first: TOML bare keys are ASCII only.
                // It comes first: `（一）产出 = 1` needs quotes, not a half-width bracket.
                let reason = if e.message().contains("unquoted key") && !key.is_ascii() {
                    SyntaxReason::TomlUnquotedKey { parser }
                } else {
                    typed_slip(text.get(span.start()..)).unwrap_or(SyntaxReason::Toml { parser })
                };
                DataError::Syntax {
                    reason,
                    span: span.into(),
                }
            })
            .collect());
    }
    let span = table.span();
    Ok(Spanned {
        node: toml_table(table.into_inner()),
        span: Span::new(span.start, span.end),
    })
}

/// `a\rb\r\nc` → `a\nb\r\nc`: a CR not followed by LF becomes LF, byte for byte.
fn lone_cr_as_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if c == '\r' && chars.peek() != Some(&'\n') {
            '\n'
        } else {
            c
        });
    }
    out
}

/// TOML is read into owned strings: a file with lone CRs is parsed from a copy of its text.
fn toml_table(table: DeTable<'_>) -> Node<'static> {
    let mut entries: Vec<Entry> = table
        .into_iter()
        .map(|(k, v)| {
            let ks = k.span();
            Entry {
                key: Cow::Owned(k.into_inner().into_owned()),
                key_span: Span::new(ks.start, ks.end),
                value: toml_value(v),
            }
        })
        .collect();
    // The parser's map may be sorted by key; the file's order is what a reader expects.
    entries.sort_by_key(|e| e.key_span.start());
    Node::Table(entries)
}

fn toml_value(v: toml::Spanned<DeValue<'_>>) -> Spanned<'static> {
    let r = v.span();
    let span = Span::new(r.start, r.end);
    let node = match v.into_inner() {
        DeValue::String(s) => Node::Text(Cow::Owned(s.into_owned())),
        DeValue::Integer(i) => {
            if i.radix() == 10 {
                Node::Number(Cow::Owned(i.as_str().replace('_', "")))
            } else {
                Node::Other("a number in another base")
            }
        }
        DeValue::Float(f) => Node::Number(Cow::Owned(f.as_str().replace('_', ""))),
        DeValue::Boolean(b) => Node::Bool(b),
        DeValue::Datetime(_) => Node::Other("a date"),
        DeValue::Array(items) => Node::Array(items.into_iter().map(toml_value).collect()),
        DeValue::Table(t) => toml_table(t),
    };
    Spanned { node, span }
}

/// Reads strict JSON (no comments, no trailing commas): by the scanner of [`super::json`] when
/// the text is of the plain shape it knows, and by the full parser otherwise, which gives every
/// syntax error. Both give the same tree for any text the scanner reads (a differential test
/// holds them to it).
pub fn from_json(text: &str) -> Result<Spanned<'_>, Vec<DataError>> {
    match super::json::scan(text) {
        Some(tree) => Ok(tree),
        None => from_json_full(text),
    }
}

/// [`from_json`] by the full parser alone.
pub(super) fn from_json_full(text: &str) -> Result<Spanned<'_>, Vec<DataError>> {
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    // A byte-order mark (Windows Notepad saves one) is not JSON, but it means nothing either:
    // it is read as white space, the text after it parsed and every place moved past it, so
    // every span stays where it was in the file.
    let (body, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, text.len() - rest.len()),
        None => (text, 0),
    };
    let parsed = jsonc_parser::parse_to_ast(body, &Default::default(), &options).map_err(|e| {
        let r = e.range();
        vec![DataError::Syntax {
            reason: typed_slip(body.get(r.start..)).unwrap_or_else(|| {
                let (before, rest) = body.split_at(r.start);
                SyntaxReason::Json(json_problem(e.kind(), before, rest))
            }),
            span: Span::new(base + r.start, base + r.end).into(),
        }]
    })?;
    match parsed.value {
        Some(v) => Ok(json_value(v, base)),
        None => Err(vec![DataError::Syntax {
            reason: SyntaxReason::EmptyJson,
            span: Span::new(0, 0).into(),
        }]),
    }
}

/// What the parser's complaint means, `rest` being the text from where it complains and
/// `before` the text before.
fn json_problem(
    kind: &jsonc_parser::errors::ParseErrorKind,
    before: &str,
    rest: &str,
) -> JsonProblem {
    use jsonc_parser::ParseStringErrorKind as S;
    use jsonc_parser::errors::ParseErrorKind as K;
    let found = rest.chars().next();
    match kind {
        // The parser reads only ASCII words; `NaN` and `优` stop it at their first letter.
        K::UnexpectedToken
            if ["NaN", "Infinity", "-Infinity"]
                .iter()
                .any(|w| rest.starts_with(w)) =>
        {
            JsonProblem::NumberForm
        }
        K::UnexpectedToken if found.is_some_and(char::is_alphabetic) => JsonProblem::BareWord,
        // `01`: the parser ends the number at its leading zero and wants a comma after it.
        K::ExpectedComma if found.is_some_and(|c| c.is_ascii_digit()) && leading_zero(before) => {
            JsonProblem::NumberForm
        }
        // `{…}}`: a bracket too many, not a second value.
        K::MultipleRootJsonValues if matches!(found, Some('}' | ']')) => {
            JsonProblem::Unexpected(found)
        }
        K::UnexpectedToken
        | K::UnexpectedColon
        | K::UnexpectedComma
        | K::UnexpectedCloseBrace
        | K::UnexpectedCloseBracket => JsonProblem::Unexpected(found),
        K::UnexpectedWord => JsonProblem::BareWord,
        K::ExpectedStringObjectProperty | K::UnexpectedTokenInObject => JsonProblem::KeyNotQuoted,
        K::SingleQuotedStringsNotAllowed => JsonProblem::SingleQuotes,
        K::ExpectedColonAfterObjectKey => JsonProblem::MissingColon,
        K::ExpectedObjectValue => JsonProblem::MissingValue,
        K::ExpectedComma => JsonProblem::MissingComma,
        K::TrailingCommasNotAllowed => JsonProblem::TrailingComma,
        K::CommentsNotAllowed => JsonProblem::Comment,
        K::UnterminatedCommentBlock => JsonProblem::UnclosedComment,
        K::ExpectedDigit
        | K::ExpectedDigitFollowingNegativeSign
        | K::ExpectedPlusMinusOrDigitInNumberLiteral => JsonProblem::NumberCut,
        K::BareDecimalPointNumbersNotAllowed
        | K::UnaryPlusNumbersNotAllowed
        | K::HexadecimalNumbersNotAllowed
        | K::NonFiniteNumbersNotAllowed => JsonProblem::NumberForm,
        K::String(S::UnterminatedStringLiteral) => JsonProblem::UnclosedString,
        K::String(
            S::InvalidEscape
            | S::InvalidEscapeInDoubleQuoteString
            | S::InvalidEscapeInSingleQuoteString
            | S::ExpectedTwoHexDigits,
        ) => JsonProblem::BadEscape,
        K::String(S::ExpectedFourHexDigits | S::InvalidUnicodeEscapeSequence(_)) => {
            JsonProblem::BadUnicodeEscape
        }
        K::UnterminatedObject => JsonProblem::UnclosedObject,
        K::UnterminatedArray => JsonProblem::UnclosedArray,
        K::MultipleRootJsonValues => JsonProblem::MoreThanOneValue,
        K::NestingDepthExceeded => JsonProblem::TooDeep,
    }
}

/// Whether `before` ends in a number's lone leading zero (`: 0`, `[0`, `-0`).
fn leading_zero(before: &str) -> bool {
    let Some(rest) = before.strip_suffix('0') else {
        return false;
    };
    !rest.ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E')
}

/// A full-width mark where a parser stops (`rest` is the text from there) is the cause,
/// whatever the parser calls it.
fn typed_slip(rest: Option<&str>) -> Option<SyntaxReason> {
    let found = rest?.chars().next()?;
    let ascii = match found {
        '“' | '”' => '"',
        '、' => ',',
        '【' => '[',
        '】' => ']',
        c => crate::source::half_width(c)?,
    };
    Some(SyntaxReason::FullWidth { found, ascii })
}

/// The parser's value as the tree, every place moved by `base`.
fn json_value(v: json::Value<'_>, base: usize) -> Spanned<'_> {
    let (node, r) = match v {
        json::Value::StringLit(s) => (Node::Text(s.value), s.range),
        json::Value::NumberLit(n) => (Node::Number(Cow::Borrowed(n.value)), n.range),
        json::Value::BooleanLit(b) => (Node::Bool(b.value), b.range),
        json::Value::NullKeyword(n) => (Node::Other("null"), n.range),
        json::Value::Array(a) => (
            Node::Array(
                a.elements
                    .into_iter()
                    .map(|e| json_value(e, base))
                    .collect(),
            ),
            a.range,
        ),
        json::Value::Object(o) => {
            let entries = o
                .properties
                .into_iter()
                .map(|p| {
                    let (key, kr) = match p.name {
                        json::ObjectPropName::String(s) => (s.value, s.range),
                        json::ObjectPropName::Word(w) => (Cow::Borrowed(w.value), w.range),
                    };
                    Entry {
                        key,
                        key_span: Span::new(base + kr.start, base + kr.end),
                        value: json_value(p.value, base),
                    }
                })
                .collect();
            (Node::Table(entries), o.range)
        }
    };
    Spanned {
        node,
        span: Span::new(base + r.start, base + r.end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each slip, as the full parser reports it, in jixiao's words.
    #[test]
    fn json_slips_are_named_for_what_the_user_typed() {
        use JsonProblem as P;
        let typed = |found, ascii| SyntaxReason::FullWidth { found, ascii };
        let cases: Vec<(&str, SyntaxReason)> = vec![
            ("{\"a\"：1}", typed('：', ':')),
            ("{\"a\": 1，\"b\": 2}", typed('，', ',')),
            ("{“a”: 1}", typed('“', '"')),
            ("{\"a\": [1、2]}", typed('、', ',')),
            ("{\"a\": １}", typed('１', '1')),
        ]
        .into_iter()
        .chain(
            [
                ("{\"a\": 1}}", P::Unexpected(Some('}'))),
                ("{\"a\": \u{1}}", P::Unexpected(Some('\u{1}'))),
                ("{\"a\": 优}", P::BareWord),
                ("{a: 1}", P::KeyNotQuoted),
                ("{'a': 1}", P::SingleQuotes),
                ("{\"a\" 1}", P::MissingColon),
                ("{\"a\": 1 \"b\": 2}", P::MissingComma),
                ("{\"a\": 1,}", P::TrailingComma),
                ("{\"a\": 1 // 注\n}", P::Comment),
                ("{\"a\": -}", P::NumberCut),
                ("{\"a\": 1e}", P::NumberCut),
                ("{\"a\": .5}", P::NumberForm),
                ("{\"a\": 01}", P::NumberForm),
                ("{\"a\": [-007]}", P::NumberForm),
                ("{\"a\": 10 2}", P::MissingComma),
                ("{\"a\": +5}", P::NumberForm),
                ("{\"a\": NaN}", P::NumberForm),
                ("{\"a\": -Infinity}", P::NumberForm),
                ("{\"a\": \"x\\qy\"}", P::BadEscape),
                ("{\"a\": \"\\u12\"}", P::BadUnicodeEscape),
                ("{\"a\": \"\\ud800\"}", P::BadUnicodeEscape),
                ("{\"a\": \"abc", P::UnclosedString),
                ("{\"a\": 1", P::UnclosedObject),
                ("{\"a\": [1, 2", P::UnclosedArray),
                ("{\"a\": 1 /* 注", P::UnclosedComment),
                ("{\"a\": 1}{\"b\": 2}", P::MoreThanOneValue),
            ]
            .map(|(text, problem)| (text, SyntaxReason::Json(problem))),
        )
        .collect();
        for (text, expected) in cases {
            match from_json_full(text) {
                Err(errors) => match errors.as_slice() {
                    [DataError::Syntax { reason, .. }] => assert_eq!(reason, &expected, "{text}"),
                    other => panic!("{text}: {other:?}"),
                },
                Ok(_) => panic!("{text} parsed"),
            }
        }
    }

    /// The TOML parser's messages read in Chinese, and a full-width mark is named as in JSON.
    #[test]
    fn toml_slips_read_in_chinese() {
        let cases = [
            (
                "全年预算数 = 3156.9\n",
                "不加引号的键中有不允许的字符，应当是字母、数字、`-`或`_`",
            ),
            ("\"a\" = \n", "文字值必须加引号"),
            ("\"a\" = 1\n\"a\" = 2\n", "键重复"),
            ("\"a\" = 3,156.9\n", "有多余的键或值，应当是换行或`#`"),
            ("\"a\" = [1, 2\n", "数组没有用 `]` 结束"),
            ("\"a\" = 1\n[b\n", "表头没有用 `]` 结束"),
            ("\"a\" = \"abc\n", "双引号字符串无效，应当是`\"`"),
            ("\"a\" = 01\n", "数字不能以 0 开头"),
            (
                "\"a\"：1\n",
                "`：` 是中文输入法打出的全角字符；数据中要用半角的 `:`",
            ),
            (
                "\"a\" = 1\n\"a\".b = 2\n",
                "不能用带点的键扩展整数（这个键已经是整数）",
            ),
            (
                "\"a\" = 1979-13-01\n",
                "日期时间无效，应当是01 到 12 之间的月份",
            ),
            (
                "（一）产出 = 1\n",
                "不加引号的键中有不允许的字符，应当是字母、数字、`-`或`_`",
            ),
        ];
        for (text, zh) in cases {
            let Err(errors) = from_toml(text) else {
                panic!("{text} parsed");
            };
            let shown = errors
                .iter()
                .map(|e| crate::diagnostics::Localized::zh(e).message)
                .collect::<Vec<_>>();
            assert!(shown.iter().any(|m| m.ends_with(zh)), "{text}: {shown:?}");
            assert!(
                shown.iter().all(|m| !m.contains("解析器报告")),
                "{text}: {shown:?}"
            );
        }
    }
}
