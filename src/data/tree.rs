//! One spanned tree for both data formats. TOML and JSON are read by their parsers into this
//! shape, numbers kept as the text written (never through f64), so one validator serves both.

use jsonc_parser::ast as json;
use toml::de::{DeTable, DeValue};

use super::error::{DataError, SyntaxReason};
use crate::source::Span;

#[derive(Debug)]
pub enum Node {
    Table(Vec<Entry>),
    Array(Vec<Spanned>),
    Text(String),
    /// A number exactly as written.
    Number(String),
    Bool(bool),
    /// Anything else (a TOML date, a JSON null), by its name for messages.
    Other(&'static str),
}

#[derive(Debug)]
pub struct Spanned {
    pub node: Node,
    pub span: Span,
}

#[derive(Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Spanned,
}

impl Node {
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
pub fn from_toml(text: &str) -> Result<Spanned, Vec<DataError>> {
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
                let key = text.get(span.start..span.end).unwrap_or("");
                let parser = e.message().trim().to_string();
                // The slip every Chinese data file makes first: TOML bare keys are ASCII only.
                let reason = if e.message().contains("unquoted key") && !key.is_ascii() {
                    SyntaxReason::TomlUnquotedKey { parser }
                } else {
                    SyntaxReason::Toml { parser }
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

fn toml_table(table: DeTable<'_>) -> Node {
    let mut entries: Vec<Entry> = table
        .into_iter()
        .map(|(k, v)| {
            let ks = k.span();
            Entry {
                key: k.into_inner().into_owned(),
                key_span: Span::new(ks.start, ks.end),
                value: toml_value(v),
            }
        })
        .collect();
    // The parser's map may be sorted by key; the file's order is what a reader expects.
    entries.sort_by_key(|e| e.key_span.start);
    Node::Table(entries)
}

fn toml_value(v: toml::Spanned<DeValue<'_>>) -> Spanned {
    let r = v.span();
    let span = Span::new(r.start, r.end);
    let node = match v.into_inner() {
        DeValue::String(s) => Node::Text(s.into_owned()),
        DeValue::Integer(i) => {
            if i.radix() == 10 {
                Node::Number(i.as_str().replace('_', ""))
            } else {
                Node::Other("a number in another base")
            }
        }
        DeValue::Float(f) => Node::Number(f.as_str().replace('_', "")),
        DeValue::Boolean(b) => Node::Bool(b),
        DeValue::Datetime(_) => Node::Other("a date"),
        DeValue::Array(items) => Node::Array(items.into_iter().map(toml_value).collect()),
        DeValue::Table(t) => toml_table(t),
    };
    Spanned { node, span }
}

/// Reads strict JSON (no comments, no trailing commas).
pub fn from_json(text: &str) -> Result<Spanned, Vec<DataError>> {
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
    // read it as three spaces, the same three bytes, so every span stays where it was.
    let unmarked;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            unmarked = format!("   {rest}");
            unmarked.as_str()
        }
        None => text,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|e| {
        let r = e.range();
        vec![DataError::Syntax {
            reason: SyntaxReason::Json {
                parser: e.kind().to_string(),
            },
            span: Span::new(r.start, r.end).into(),
        }]
    })?;
    match parsed.value {
        Some(v) => Ok(json_value(v)),
        None => Err(vec![DataError::Syntax {
            reason: SyntaxReason::EmptyJson,
            span: Span::new(0, 0).into(),
        }]),
    }
}

fn json_value(v: json::Value<'_>) -> Spanned {
    let (node, r) = match v {
        json::Value::StringLit(s) => (Node::Text(s.value.into_owned()), s.range),
        json::Value::NumberLit(n) => (Node::Number(n.value.to_string()), n.range),
        json::Value::BooleanLit(b) => (Node::Bool(b.value), b.range),
        json::Value::NullKeyword(n) => (Node::Other("null"), n.range),
        json::Value::Array(a) => (
            Node::Array(a.elements.into_iter().map(json_value).collect()),
            a.range,
        ),
        json::Value::Object(o) => {
            let entries = o
                .properties
                .into_iter()
                .map(|p| {
                    let (key, kr) = match p.name {
                        json::ObjectPropName::String(s) => (s.value.into_owned(), s.range),
                        json::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                    };
                    Entry {
                        key,
                        key_span: Span::new(kr.start, kr.end),
                        value: json_value(p.value),
                    }
                })
                .collect();
            (Node::Table(entries), o.range)
        }
    };
    Spanned {
        node,
        span: Span::new(r.start, r.end),
    }
}
