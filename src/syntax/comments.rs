//! A light scan of a rule file before pest sees it: it collects the comments (the grammar
//! skips them) and measures bracket nesting, so that absurdly deep input is refused with a
//! diagnostic instead of exhausting the stack of the recursive-descent parser. It also notes
//! where each line's code starts outside any bracket: where a top-level item may start, so that
//! the items of a large file can be parsed apart (see `syntax::parse_from`).

use crate::source::{Span, lines};
use crate::syntax::ast::Comment;

/// Deeper than any real rule file nests; deep enough that recursion stays far from the stack limit.
pub const MAX_NESTING: usize = 64;

pub struct Scan {
    pub comments: Vec<Comment>,
    /// The first bracket that opens one level deeper than [`MAX_NESTING`].
    pub too_deep: Option<Span>,
    /// Where code starts on a line outside any bracket, string or comment, in order: where a
    /// top-level item may start. Only a hint: what is parsed from here is used only where the
    /// parse of the file one item after another reaches the same place.
    pub line_starts: Vec<usize>,
}

/// Scans `text` once, skipping over strings and backtick names so that `//` or brackets inside
/// them are not mistaken for comments or nesting. Every character it looks for is ASCII, which
/// no byte of a longer UTF-8 character equals, so it walks the bytes: a Chinese character is
/// decoded only at the start of a line, where a full-width space is not yet code.
pub fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut too_deep = None;
    let mut line_starts = Vec::new();
    let mut depth = 0usize;
    let mut code_on_line = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' | b'\r' => code_on_line = false,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                // A comment runs to the end of its line, whichever break ends it.
                let raw = &text[i..lines::end(text, i)];
                let doc = raw.starts_with("///") && !raw.starts_with("////");
                let body = if doc { &raw[3..] } else { &raw[2..] };
                comments.push(Comment {
                    text: body.to_string(),
                    doc,
                    trailing: code_on_line,
                    span: Span::new(i, i + raw.len()),
                });
                i += raw.len();
                continue;
            }
            b'"' | b'`' => {
                code_on_line = true;
                // A string ends at its closing quote or, unclosed, at the end of the line;
                // the parser reports the unclosed one.
                let mut escaped = false;
                while let Some(&d) = bytes.get(i + 1) {
                    if d == b'\n' || d == b'\r' {
                        break;
                    }
                    i += 1;
                    if b == b'"' && d == b'\\' && !escaped {
                        escaped = true;
                        continue;
                    }
                    if d == b && !escaped {
                        break;
                    }
                    escaped = false;
                }
            }
            b'(' | b'{' => {
                code_on_line = true;
                depth += 1;
                if depth > MAX_NESTING && too_deep.is_none() {
                    too_deep = Some(Span::new(i, i + 1));
                }
            }
            b')' | b'}' => {
                code_on_line = true;
                depth = depth.saturating_sub(1);
            }
            b'\t' | b'\x0B' | b'\x0C' | b' ' => {}
            _ if b.is_ascii() => {
                if !code_on_line && depth == 0 {
                    line_starts.push(i);
                }
                code_on_line = true;
            }
            // The rest of a line that has code is skipped a byte at a time: nothing in it but
            // ASCII matters, and a line break brings the walk back to the start of a character.
            _ if code_on_line => {}
            _ => {
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                code_on_line = !(c.is_whitespace() || c == '\u{feff}');
                if code_on_line && depth == 0 {
                    line_starts.push(i);
                }
                i += c.len_utf8();
                continue;
            }
        }
        i += 1;
    }
    Scan {
        comments,
        too_deep,
        line_starts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_line_doc_and_trailing_comments_but_not_inside_strings() {
        let text = "// head\n/// doc\ninput a: money // tail\nbasis \"a // b\"\n";
        let scan = scan(text);
        let got: Vec<_> = scan
            .comments
            .iter()
            .map(|c| (c.text.as_str(), c.doc, c.trailing))
            .collect();
        assert_eq!(
            got,
            vec![
                (" head", false, false),
                (" doc", true, false),
                (" tail", false, true)
            ]
        );
        assert_eq!(
            &text[scan.comments[2].span.start..scan.comments[2].span.end],
            "// tail"
        );
    }

    #[test]
    fn a_comment_ends_at_any_line_break() {
        for ending in ["\n", "\r\n", "\r"] {
            let text = format!("// 头{ending}input a: money // 尾{ending}basis \"x\"{ending}");
            let scan = scan(&text);
            let got: Vec<_> = scan
                .comments
                .iter()
                .map(|c| (c.text.as_str(), c.trailing, &text[c.span.start..c.span.end]))
                .collect();
            assert_eq!(
                got,
                vec![(" 头", false, "// 头"), (" 尾", true, "// 尾")],
                "{ending:?}"
            );
        }
    }

    #[test]
    fn refuses_deep_nesting_at_the_first_bracket_too_deep() {
        let text = "(".repeat(MAX_NESTING + 5);
        assert_eq!(
            scan(&text).too_deep,
            Some(Span::new(MAX_NESTING, MAX_NESTING + 1))
        );
        assert_eq!(scan(&"(".repeat(MAX_NESTING)).too_deep, None);
    }
}
