//! Stage 3 (data file → [`Department`](super::Department)), first step, for JSON: a scanner
//! for plain JSON straight into the spanned tree of [`super::tree`], with every string that
//! is written as it reads borrowed from the text. `jixiao batch` reads a million departments a
//! run through it; the full parser (`jsonc_parser`) costs several times as much and builds a
//! syntax tree of its own first.
//!
//! The scanner reads only a part of JSON, and reads it exactly as the full parser does: the
//! same tree, node for node and place for place. It decodes the escapes of strings (`\"`,
//! `\u90e8`, a surrogate pair), since Python's `json.dumps` and PHP's `json_encode` write every
//! Chinese character as one by default, and a batch of such lines read by the full parser took
//! nearly seven times as long. Anything else — a byte-order mark, white space other than spaces,
//! tabs and line breaks, deep nesting, and every mistake, a bad escape among them — it does not
//! try to read: it gives up, and the full parser reads the text again and reports what is wrong
//! in its own words. So the scanner decides nothing about what is valid; the tests hold it to
//! the full parser over generated and mutated texts.

use std::borrow::Cow;

use super::tree::{Entry, Node, Spanned};
use crate::source::Span;

/// Containers nested deeper than this are left to the full parser (which has its own limit,
/// 512, and its own message): a data file is three levels deep.
const DEPTH: usize = 64;

/// The tree of `text`, or `None` when it is not plain JSON as described above.
pub(super) fn scan(text: &str) -> Option<Spanned<'_>> {
    let mut s = Scanner::new(text);
    s.space();
    let mut root = placeholder();
    s.value(0, &mut root)?;
    s.space();
    (s.at == s.bytes.len()).then_some(root)
}

/// A node's place before it is read. Each value is read straight into its place in its table
/// or list, rather than returned and moved there: moving the nodes of some two hundred values
/// a department cost more than reading them.
pub(super) fn placeholder<'a>() -> Spanned<'a> {
    Spanned {
        node: Node::Bool(false),
        span: Span::new(0, 0),
    }
}

/// A scanner over one text; [`super::stream`] drives it too, a department's keys one by one.
pub(super) struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The next byte to read.
    pub(super) at: usize,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Scanner {
            text,
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Whether the text is read to its end.
    pub(super) fn done(&self) -> bool {
        self.at == self.bytes.len()
    }

    /// Spaces, tabs and line breaks: the white space of JSON.
    pub(super) fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Reads a value into `out`.
    pub(super) fn value(&mut self, depth: usize, out: &mut Spanned<'a>) -> Option<()> {
        let start = self.at;
        out.node = match self.peek()? {
            b'{' if depth < DEPTH => self.table(depth)?,
            b'[' if depth < DEPTH => self.list(depth)?,
            b'"' => Node::Text(self.text()?),
            b'-' | b'0'..=b'9' => Node::Number(Cow::Borrowed(self.number()?)),
            b't' => self.word("true", Node::Bool(true))?,
            b'f' => self.word("false", Node::Bool(false))?,
            b'n' => self.word("null", Node::Other("null"))?,
            _ => return None,
        };
        out.span = Span::new(start, self.at);
        Some(())
    }

    /// `{ "key": value, … }`; the scanner stands on the `{`.
    fn table(&mut self, depth: usize) -> Option<Node<'a>> {
        // A department's tables have four or five entries.
        let mut entries = Vec::with_capacity(5);
        self.entries(depth, &mut entries)?;
        Some(Node::Table(entries))
    }

    /// The entries of `{ "key": value, … }` into `entries`; the scanner stands on the `{`.
    pub(super) fn entries(&mut self, depth: usize, entries: &mut Vec<Entry<'a>>) -> Option<()> {
        let mut more = self.open(b'}');
        while more {
            let (key, key_span) = self.key()?;
            entries.push(Entry {
                key,
                key_span,
                value: placeholder(),
            });
            self.value(depth + 1, &mut entries.last_mut()?.value)?;
            more = self.next(b'}')?;
        }
        Some(())
    }

    /// `[ value, … ]`; the scanner stands on the `[`.
    fn list(&mut self, depth: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        let mut more = self.open(b']');
        while more {
            items.push(placeholder());
            self.value(depth + 1, items.last_mut()?)?;
            more = self.next(b']')?;
        }
        Some(Node::Array(items))
    }

    /// Past the opening bracket the scanner stands on, and the white space after it: whether
    /// an item follows (false when the bracket `close` closes at once).
    pub(super) fn open(&mut self, close: u8) -> bool {
        self.at += 1;
        self.space();
        if self.peek() == Some(close) {
            self.at += 1;
            return false;
        }
        true
    }

    /// Past the white space after an item, then a comma (true: another item follows) or the
    /// closing bracket `close` (false); `None` at anything else.
    pub(super) fn next(&mut self, close: u8) -> Option<bool> {
        self.space();
        match self.peek()? {
            b',' => {
                self.at += 1;
                self.space();
                Some(true)
            }
            c if c == close => {
                self.at += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// A table's key and the colon after it, up to its value: the key and where it stands.
    #[inline]
    pub(super) fn key(&mut self) -> Option<(Cow<'a, str>, Span)> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.at;
        let key = self.text()?;
        let span = Span::new(start, self.at);
        self.space();
        if self.peek() != Some(b':') {
            return None;
        }
        self.at += 1;
        self.space();
        Some((key, span))
    }

    /// Whether the key here is `name` (a key with no escape in it), then past it and its colon
    /// when it is; the scanner stays where it is when not. Cheaper than reading the key when the
    /// key to expect is known: a batch's records mostly give their fields in one order.
    #[inline]
    pub(super) fn key_is(&mut self, name: &str) -> bool {
        let n = name.len();
        let at = self.at;
        let quoted = match self.bytes.get(at..at + n + 2) {
            Some([b'"', inner @ .., b'"']) => same(inner, name.as_bytes()),
            _ => false,
        };
        if !quoted {
            return false;
        }
        self.at = at + n + 2;
        self.space();
        if self.peek() != Some(b':') {
            self.at = at;
            return false;
        }
        self.at += 1;
        self.space();
        true
    }

    /// A string without escapes, as the text between its quotes; the scanner stands on the
    /// opening quote. A quote and a backslash are ASCII, never part of a longer character, so
    /// the bytes between are whole characters of the text.
    #[inline]
    pub(super) fn string(&mut self) -> Option<&'a str> {
        let start = self.at + 1;
        let end = start + quote_or_backslash(self.bytes.get(start..)?)?;
        if self.bytes[end] != b'"' {
            return None;
        }
        self.at = end + 1;
        self.text.get(start..end)
    }

    /// A string, its escapes decoded as the full parser decodes them: borrowed from the text
    /// when it has none. The scanner stands on the opening quote.
    #[inline]
    pub(super) fn text(&mut self) -> Option<Cow<'a, str>> {
        let start = self.at + 1;
        let end = start + quote_or_backslash(self.bytes.get(start..)?)?;
        if self.bytes[end] == b'"' {
            self.at = end + 1;
            return self.text.get(start..end).map(Cow::Borrowed);
        }
        self.escaped(start, end).map(Cow::Owned)
    }

    /// The rest of a string from `start`, where its first escape stands at `escape`: decoded,
    /// and the scanner past its closing quote. `None` at an escape JSON does not have (`\x41`,
    /// `\'`), a `\u` without four hex digits after it, and a surrogate not in a pair: the full
    /// parser refuses each of those, and says why.
    #[cold]
    fn escaped(&mut self, start: usize, escape: usize) -> Option<String> {
        let bytes = self.bytes;
        // Bytes, not a `String`: a decoded character is written as its UTF-8 bytes. A `\u`
        // escape is six bytes for at most three of UTF-8; 32 bytes are room enough for most
        // strings, which are short.
        let mut out = Vec::with_capacity(32);
        // A backslash and a quote are ASCII, so the text between escapes is whole characters.
        out.extend_from_slice(bytes.get(start..escape)?);
        let mut at = escape;
        loop {
            // `at` stands on a backslash.
            match *bytes.get(at + 1)? {
                b'u' => {
                    let first = hex4(bytes.get(at + 2..at + 6)?)?;
                    at += 6;
                    let code = match first {
                        0xD800..=0xDBFF => {
                            let [b'\\', b'u', low @ ..] = bytes.get(at..at + 6)? else {
                                return None;
                            };
                            let second = hex4(low)?;
                            if !(0xDC00..=0xDFFF).contains(&second) {
                                return None;
                            }
                            at += 6;
                            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                        }
                        0xDC00..=0xDFFF => return None,
                        _ => first,
                    };
                    utf8(code, &mut out);
                }
                simple => {
                    at += 2;
                    out.push(match simple {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 0x08,
                        b'f' => 0x0C,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        _ => return None,
                    });
                }
            }
            // Escapes mostly follow one another (`\u6307\u6807`): no search for the next.
            if bytes.get(at) == Some(&b'\\') {
                continue;
            }
            let next = at + quote_or_backslash(bytes.get(at..)?)?;
            out.extend_from_slice(&bytes[at..next]);
            at = next;
            if bytes[next] == b'"' {
                self.at = next + 1;
                debug_assert!(std::str::from_utf8(&out).is_ok());
                // SAFETY: `out` is whole characters of the text (a `str`) between escapes, and
                // the UTF-8 of each escape's character, a scalar value (`utf8`: a lone surrogate
                // is refused above, and a pair combines to at most 0x10FFFF). Checking it again
                // cost an eighth of reading a department written with escapes.
                return Some(unsafe { String::from_utf8_unchecked(out) });
            }
        }
    }

    /// A number as JSON writes one: `-`, then `0` or digits not starting with 0, then a
    /// fraction and an exponent, each optional. Whatever follows is the caller's to judge.
    pub(super) fn number(&mut self) -> Option<&'a str> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        self.text.get(start..self.at)
    }

    /// A number of plain digits where the scanner stands (`4.5`, as
    /// [`crate::number::plain_digits`] reads one), as JSON writes it: no leading zero before
    /// another digit, no exponent after. Its value, the scanner past it; `None`, the scanner
    /// where it was, for any other number, which [`Scanner::number`] scans. One pass where
    /// scanning and then reading took two: a batch reads twenty a department.
    #[inline]
    pub(super) fn plain_number(&mut self) -> Option<rust_decimal::Decimal> {
        let rest = self.bytes.get(self.at..)?;
        let (value, read) = crate::number::leading_digits(rest)?;
        let leading_zero = matches!(rest, [b'0', b'0'..=b'9', ..]);
        if leading_zero || matches!(rest.get(read), Some(b'e' | b'E')) {
            return None;
        }
        self.at += read;
        Some(value)
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    /// `true`, `false` or `null`. What follows it is judged by the caller: only white space,
    /// a comma or a closing bracket is read on.
    fn word(&mut self, word: &str, node: Node<'a>) -> Option<Node<'a>> {
        if !self.bytes.get(self.at..)?.starts_with(word.as_bytes()) {
            return None;
        }
        self.at += word.len();
        Some(node)
    }
}

/// Four hex digits (of a `\u` escape) as the number they write; `None` if any is not one.
#[inline]
fn hex4(digits: &[u8]) -> Option<u32> {
    /// Each byte's value as a hex digit, or 0xFF for a byte that is none.
    const HEX: [u8; 256] = {
        let mut table = [0xFF; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = match b as u8 {
                d @ b'0'..=b'9' => d - b'0',
                d @ b'a'..=b'f' => d - b'a' + 10,
                d @ b'A'..=b'F' => d - b'A' + 10,
                _ => 0xFF,
            };
            b += 1;
        }
        table
    };
    let &[a, b, c, d] = digits else {
        return None;
    };
    let [a, b, c, d] = [a, b, c, d].map(|x| HEX[usize::from(x)]);
    // A digit is at most 15: one test of the four ORed finds any byte that is none.
    if (a | b | c | d) & 0xF0 != 0 {
        return None;
    }
    Some(u32::from(a) << 12 | u32::from(b) << 8 | u32::from(c) << 4 | u32::from(d))
}

/// `code` (a Unicode scalar value: below 0x110000, no surrogate) written onto `out` in UTF-8.
#[inline]
fn utf8(code: u32, out: &mut Vec<u8>) {
    // The casts keep the low bits each byte of UTF-8 holds.
    let tail = |shift: u32| 0x80 | ((code >> shift) & 0x3F) as u8;
    match code {
        0..=0x7F => out.push(code as u8),
        0x80..=0x7FF => out.extend_from_slice(&[0xC0 | (code >> 6) as u8, tail(0)]),
        0x800..=0xFFFF => out.extend_from_slice(&[0xE0 | (code >> 12) as u8, tail(6), tail(0)]),
        _ => out.extend_from_slice(&[0xF0 | (code >> 18) as u8, tail(12), tail(6), tail(0)]),
    }
}

/// `a == b`, for a record's keys (`名称` is 6 bytes, `实际完成值` 15) without a call to
/// `memcmp`: two words, overlapping where the length is short of both, cover 4 to 16 bytes.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    fn ends<const N: usize>(s: &[u8]) -> Option<([u8; N], [u8; N])> {
        let first = s.first_chunk::<N>()?;
        let last = s.last_chunk::<N>()?;
        Some((*first, *last))
    }
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        8..=16 => ends::<8>(a) == ends::<8>(b),
        4..=7 => ends::<4>(a) == ends::<4>(b),
        _ => a == b,
    }
}

/// Where the first `"` or `\\` of `bytes` is. Keys and values are mostly a few characters:
/// their first bytes are searched eight at a time in a word (sooner than a vectorised search
/// is set up), and a longer text by the vectorised search.
fn quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    while at < 32 {
        let Some(Ok(word)) = bytes.get(at..at + 8).map(<[u8; 8]>::try_from) else {
            break;
        };
        let word = u64::from_le_bytes(word);
        // A byte of `x` is 0 where the word has the byte searched for; `(x - 1) & !x` sets the
        // high bit of the lowest such byte exactly (bits above it may be set by the borrow).
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
        let found = zero(word ^ (ONES * u64::from(b'"'))) | zero(word ^ (ONES * u64::from(b'\\')));
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = bytes.get(at..)?;
    memchr::memchr2(b'"', b'\\', rest).map(|i| at + i)
}

#[cfg(test)]
pub(super) mod tests {
    //! The scanner against the full parser: whatever the text, a tree the scanner reads is the
    //! tree the full parser reads, and the department or errors read from it are the same.
    use super::super::tree::from_json_full;
    use super::*;
    use proptest::prelude::*;

    /// The word-wise comparison of keys is `==`: every length to 20, a byte changed anywhere.
    #[test]
    fn keys_are_compared_as_equal_slices_are() {
        for n in 0..=20usize {
            let a: Vec<u8> = (0..n).map(|i| 0x80 + i as u8).collect();
            assert!(same(&a, &a.clone()), "{n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 1;
                assert!(!same(&a, &b), "{n} {at}");
            }
            assert!(!same(&a, &a[..n.saturating_sub(1)]) || n == 0, "{n}");
        }
    }

    /// A JSON value to write out.
    #[derive(Clone, Debug)]
    enum Json {
        Text(String),
        Number(String),
        Word(&'static str),
        List(Vec<Json>),
        Table(Vec<(String, Json)>),
    }

    /// White space between tokens: mostly none or a space, sometimes what JSON allows besides
    /// and what it does not (which the scanner must leave to the full parser).
    fn space() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "", "", "", " ", " ", "\n", "\r\n", "\t", "  ", "\u{b}", "\u{c}", "\u{3000}", "\u{a0}",
        ])
    }

    fn text() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "指标0",
            "≥19篇",
            "≤169万元",
            "19篇",
            "部门0",
            "",
            " 4篇 ",
            "100%",
            "达成",
            "a\\\"b",
            "\\n",
            "\\u4e2d",
            "\\ud800",
            "\\x41",
            "tab\there",
            "3,156.9",
            "是",
            "否",
            "名称",
            "指标值",
            "实际完成值",
            "分值",
            "偏差原因",
            "全年预算数",
            "全年执行数",
            "绩效指标",
            "部门",
            "年度",
            "\\\\",
            "\\/",
            "\\b\\f\\r\\t",
            "\\u90e8\\u95e8",
            "\\u540D\\u79F0",
            "\\u6307\\u6807\\u503c",
            "\\u226543\\u7bc7",
            "43\\u7bc7",
            "\\u00e9\\u0041\\u0000",
            "\\uD834\\uDD1E",
            "\\ud834\\udd1ex",
            "\\ud834x",
            "\\ud834\\u0041",
            "\\udd1e",
            "\\ud834\\",
            "\\u004",
            "\\u12G4",
            "\\u+123",
            "\\'",
            "\\",
            "\\u\u{4e2d}\u{4e2d}\u{4e2d}\u{4e2d}",
        ])
        .prop_map(String::from)
    }

    fn number() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "0",
            "-0",
            "4.5",
            "3662.78",
            "-2",
            "1e3",
            "2.5E-3",
            "1E+2",
            "01",
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            "0x1F",
            "Infinity",
            "NaN",
            "-Infinity",
            "12345678901234567890123456789",
            "5.0",
            "0.000",
        ])
        .prop_map(String::from)
    }

    fn json() -> impl Strategy<Value = Json> {
        let leaf = prop_oneof![
            3 => text().prop_map(Json::Text),
            2 => number().prop_map(Json::Number),
            1 => prop::sample::select(vec!["true", "false", "null", "nul", "True", "truex"])
                .prop_map(Json::Word),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Json::List),
                prop::collection::vec((text(), inner), 0..6).prop_map(Json::Table),
            ]
        })
    }

    /// `value` written out, with the spaces from `spaces` between tokens in turn.
    fn write(value: &Json, spaces: &[&str], n: &mut usize, out: &mut String) {
        let space = |out: &mut String, n: &mut usize| {
            if !spaces.is_empty() {
                out.push_str(spaces[*n % spaces.len()]);
                *n += 1;
            }
        };
        match value {
            Json::Text(t) => out.push_str(&format!("\"{t}\"")),
            Json::Number(t) => out.push_str(t),
            Json::Word(w) => out.push_str(w),
            Json::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    space(out, n);
                    write(item, spaces, n, out);
                    space(out, n);
                }
                out.push(']');
            }
            Json::Table(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    space(out, n);
                    out.push_str(&format!("\"{key}\""));
                    space(out, n);
                    out.push(':');
                    space(out, n);
                    write(value, spaces, n, out);
                    space(out, n);
                }
                out.push('}');
            }
        }
    }

    /// A department line of the seed's shape, as `jixiao batch` reads a million of.
    fn department() -> impl Strategy<Value = String> {
        let record = (0u32..60, 1u32..200, 0u32..200, any::<bool>(), 30u32..60).prop_map(
            |(i, t, a, at_least, points)| {
                let (op, unit) = if at_least { ("≥", "篇") } else { ("≤", "万元") };
                format!(
                    r#"{{"名称":"指标{i}","指标值":"{op}{t}{unit}","实际完成值":"{a}{unit}","分值":{}.{}}}"#,
                    points / 10,
                    points % 10
                )
            },
        );
        (0u32..1000, 1000u64..400_000, 0u64..100, prop::collection::vec(record, 0..22)).prop_map(
            |(d, budget, less, records)| {
                let spent = budget - budget * less / 1000;
                format!(
                    r#"{{"部门":"部门{d}","全年预算数":{}.{:02},"全年执行数":{}.{:02},"绩效指标":[{}]}}"#,
                    budget / 100,
                    budget % 100,
                    spent / 100,
                    spent % 100,
                    records.join(",")
                )
            },
        )
    }

    /// `line` with every character outside ASCII written as a `\\u` escape (or a surrogate
    /// pair of them), as Python's `json.dumps` and PHP's `json_encode` write by default.
    fn ascii_escaped(line: &str) -> String {
        let mut out = String::new();
        for c in line.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
        out
    }

    /// One edit of a text: a character taken out, put in or replaced, at a place given as a
    /// fraction of its length.
    #[derive(Clone, Debug)]
    pub(in crate::data) enum Edit {
        Remove(f64),
        Insert(f64, char),
        Replace(f64, char),
    }

    pub(in crate::data) fn edit() -> impl Strategy<Value = Edit> {
        let c = prop::sample::select(vec![
            '{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '\r', '\t', '-', '+', '.', '0',
            '1', '9', 'e', 'E', 't', 'n', 'f', '/', '*', '\'', '\u{feff}', '\u{3000}', '\u{b}',
            '中', '≥', '%', 'x',
        ]);
        let at = 0.0f64..1.0;
        prop_oneof![
            at.clone().prop_map(Edit::Remove),
            (at.clone(), c.clone()).prop_map(|(a, c)| Edit::Insert(a, c)),
            (at, c).prop_map(|(a, c)| Edit::Replace(a, c)),
        ]
    }

    pub(in crate::data) fn apply(text: &str, edits: &[Edit]) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for e in edits {
            let at = |f: f64, len: usize| ((f * len as f64) as usize).min(len);
            match *e {
                Edit::Remove(f) if !chars.is_empty() => {
                    let i = at(f, chars.len() - 1);
                    chars.remove(i);
                }
                Edit::Remove(_) => {}
                Edit::Insert(f, c) => {
                    let i = at(f, chars.len());
                    chars.insert(i, c);
                }
                Edit::Replace(f, c) if !chars.is_empty() => {
                    let i = at(f, chars.len() - 1);
                    chars[i] = c;
                }
                Edit::Replace(_, c) => chars.push(c),
            }
        }
        chars.into_iter().collect()
    }

    /// The seed's rules, split by 分值, to read departments against.
    pub(in crate::data) fn rules() -> crate::model::Rulebook {
        let text = include_str!("../../rules/guangzhou/department-overall.jx")
            .replace("split equally", "split by 分值");
        let source = crate::source::SourceFile::new("rules.jx", text);
        match crate::pipeline::check_rules(&source) {
            Ok(checked) => checked.rulebook,
            Err(_) => panic!("the seed's rules check"),
        }
    }

    /// The scanner and the full parser agree on `text`: a tree the scanner reads is the full
    /// parser's, and what the data reader makes of either is the same.
    fn agree(rules: &crate::model::Rulebook, text: &str) -> Result<bool, TestCaseError> {
        let full = from_json_full(text);
        let Some(fast) = scan(text) else {
            return Ok(false);
        };
        prop_assert!(
            full.is_ok(),
            "the scanner read what the parser refuses: {text:?}"
        );
        let full = full.map_err(|_| TestCaseError::fail("unreachable"))?;
        prop_assert_eq!(&fast, &full, "{:?}", text);
        let source = crate::source::SourceFile::new("d.json", text);
        let read = |tree| format!("{:?}", super::super::read(rules, tree, &source));
        prop_assert_eq!(read(fast), read(full));
        Ok(true)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]


    #[test]
        fn scanner_reads_any_value_as_the_parser_does(
            value in json(),
            spaces in prop::collection::vec(space(), 0..8),
            edits in prop::collection::vec(edit(), 0..3),
        ) {
            let rules = rules();
            let mut text = String::new();
            write(&value, &spaces, &mut 0, &mut text);
            agree(&rules, &text)?;
            agree(&rules, &apply(&text, &edits))?;
        }

        #[test]
        fn scanner_reads_departments_as_the_parser_does(
            line in department(),
            edits in prop::collection::vec(edit(), 1..4),
        ) {
            let rules = rules();
            // The unedited line is what the scanner is for: it must read it, and read it too
            // as Python's `json.dumps` writes it, every Chinese character an escape.
            prop_assert!(agree(&rules, &line)?, "the scanner gave up on {line:?}");
            let escaped = ascii_escaped(&line);
            prop_assert!(agree(&rules, &escaped)?, "the scanner gave up on {escaped:?}");
            agree(&rules, &apply(&line, &edits))?;
            agree(&rules, &apply(&escaped, &edits))?;
        }
    }

    proptest! {
        #[test]
        fn quotes_and_backslashes_are_found_where_they_are(
            bytes in prop::collection::vec(
                prop_oneof![
                    30 => prop::sample::select(vec![b'a', 0x80, 0xff, 0xa2, 0x5d, 0]),
                    1 => prop::sample::select(vec![b'"', b'\\']),
                ],
                0..80,
            ),
        ) {
            let naive = bytes.iter().position(|&b| b == b'"' || b == b'\\');
            prop_assert_eq!(quote_or_backslash(&bytes), naive);
        }
    }

    #[test]
    fn the_parser_reads_what_the_scanner_leaves() {
        for text in [
            "\u{feff}{\"部门\": \"甲\"}",
            "{\"部门\": \"a\\x41\"}",
            "{\"部门\": \"\\ud800\"}",
            "{\"a\": 1,}",
            "{\"a\": 01}",
            "{\"a\": [1 2]}",
            "{\"a\"\u{3000}: 1}",
            "// 注释\n{}",
            "",
            "   ",
            "{} {}",
        ] {
            assert_eq!(scan(text), None, "{text:?}");
        }
        for text in [
            "{}",
            " {\"a\" : [ 1 , -2.5e3 , true , null , \"\" ] }\r\n",
            "{\"部门\": \"a\\\"b\"}",
            "{\"\\u90e8\\u95e8\": \"\\u7532\\/\\n\\uD834\\uDD1E\"}",
            "[]",
        ] {
            assert_eq!(scan(text), from_json_full(text).ok(), "{text:?}");
        }
    }
}
