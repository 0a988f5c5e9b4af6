//! A light scan of a rule file before pest sees it: it collects the comments (the grammar
//! skips them) and measures bracket nesting, so that absurdly deep input is refused with a
//! diagnostic instead of exhausting the stack of the recursive-descent parser.

use crate::source::{Span, lines};
use crate::syntax::ast::Comment;

/// Deeper than any real rule file nests; deep enough that recursion stays far from the stack limit.
pub const MAX_NESTING: usize = 64;

pub struct Scan {
    pub comments: Vec<Comment>,
    /// The first bracket that opens one level deeper than [`MAX_NESTING`].
    pub too_deep: Option<Span>,
}

/// Scans `text` once, skipping over strings and backtick names so that `//` or brackets inside
/// them are not mistaken for comments or nesting.
pub fn scan(text: &str) -> Scan {
    let mut comments = Vec::new();
    let mut too_deep = None;
    let mut depth = 0usize;
    let mut code_on_line = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' | '\r' => code_on_line = false,
            '/' if text[i..].starts_with("//") => {
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
                while chars.peek().is_some_and(|&(j, _)| j < i + raw.len()) {
                    chars.next();
                }
            }
            '"' | '`' => {
                code_on_line = true;
                // A string ends at its closing quote or, unclosed, at the end of the line;
                // the parser reports the unclosed one.
                let mut escaped = false;
                while let Some(&(_, d)) = chars.peek() {
                    if lines::is_break(d) {
                        break;
                    }
                    chars.next();
                    if c == '"' && d == '\\' && !escaped {
                        escaped = true;
                        continue;
                    }
                    if d == c && !escaped {
                        break;
                    }
                    escaped = false;
                }
            }
            '(' | '{' => {
                code_on_line = true;
                depth += 1;
                if depth > MAX_NESTING && too_deep.is_none() {
                    too_deep = Some(Span::new(i, i + 1));
                }
            }
            ')' | '}' => {
                code_on_line = true;
                depth = depth.saturating_sub(1);
            }
            c if c.is_whitespace() || c == '\u{feff}' => {}
            _ => code_on_line = true,
        }
    }
    Scan { comments, too_deep }
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
