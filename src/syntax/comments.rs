//! A light scan of a rule file before pest sees it: it collects the comments (the grammar
//! skips them) and measures bracket nesting, so that absurdly deep input is refused with a
//! diagnostic instead of exhausting the stack of the recursive-descent parser. It also notes
//! where each line's code starts outside any bracket: where a top-level item may start, so that
//! the items of a large file can be parsed apart (see `syntax::parse_from`).

use crate::source::{Span, lines};
use crate::syntax::ast::Comment;

/// Deeper than any real rule file nests; deep enough that recursion stays far from the stack limit.
pub const MAX_NESTING: usize = 64;

/// The most `if`s (`如果`) one block may hold: between two braces, or at the top level between
/// two items. `if … then … else if …` nests without a bracket, so [`MAX_NESTING`] does not
/// bound it; past this many the file is refused before pest recurses into them (lowering
/// refuses an expression more than [`MAX_NESTING`] deep anyway). Without it, pest's own check
/// of the stack left would refuse a long chain at a place that depends on where the stack
/// began, which differs from run to run.
pub const MAX_IFS: usize = 4 * MAX_NESTING;

pub struct Scan {
    pub comments: Vec<Comment>,
    /// The first bracket that opens one level deeper than [`MAX_NESTING`].
    pub too_deep: Option<Span>,
    /// The first `if` past [`MAX_IFS`] in its block.
    pub too_many_ifs: Option<Span>,
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
    let mut too_many_ifs = None;
    let mut ifs = 0usize;
    let mut depth = 0usize;
    let mut code_on_line = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Strings and comments are skipped below, so only code is looked at here.
        if let Some(len) = matches!(b, b'i' | 0xE5).then(|| if_at(bytes, i)).flatten() {
            ifs += 1;
            if ifs > MAX_IFS && too_many_ifs.is_none() {
                too_many_ifs = Some(Span::new(i, i + len));
            }
        }
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
                // No expression holds a brace: a block's `if`s are its own.
                if b == b'{' {
                    ifs = 0;
                }
            }
            b')' | b'}' => {
                code_on_line = true;
                depth = depth.saturating_sub(1);
                if b == b'}' {
                    ifs = 0;
                }
            }
            b'\t' | b'\x0B' | b'\x0C' | b' ' => {}
            _ if b.is_ascii() => {
                if !code_on_line && depth == 0 {
                    line_starts.push(i);
                    ifs = top_level_item(text, i, ifs);
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
                    ifs = top_level_item(text, i, ifs);
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
        too_many_ifs,
        line_starts,
    }
}

/// The length of the keyword `if` or `如果` at `i`, if one stands there (not inside a longer
/// name: the byte before is not an ASCII letter, digit or `_`, nor the byte after `if`).
/// A `如果` inside a longer Chinese name is counted too, which only counts more.
fn if_at(bytes: &[u8], i: usize) -> Option<usize> {
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    if i > 0 && word(bytes.get(i - 1)) {
        return None;
    }
    match bytes.get(i..)? {
        [b'i', b'f', ..] if !word(bytes.get(i + 2)) => Some(2),
        [0xE5, 0xA6, 0x82, 0xE6, 0x9E, 0x9C, ..] => Some(6),
        _ => None,
    }
}

/// The count of `if`s in the block, given a line at the top level whose code starts at `at`:
/// a new item starts a new block (a line that goes on with an expression, `else if …`, does
/// not).
fn top_level_item(text: &str, at: usize, ifs: usize) -> usize {
    match super::starts_item(&text[at..]) {
        true => 0,
        false => ifs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ifs_are_counted_in_their_block() {
        let chain = |n: usize, word: &str| format!("{word} a then 1 else ").repeat(n);
        // One block of as many as the limit allows, in either spelling: nothing to say.
        for word in ["if", "如果"] {
            let text = format!(
                "indicator x points 1 {{ score {}0 }}\n",
                chain(MAX_IFS, word)
            );
            assert_eq!(scan(&text).too_many_ifs, None, "{word}");
            let text = format!(
                "indicator x points 1 {{ score {}0 }}\n",
                chain(MAX_IFS + 1, word)
            );
            let at = text.match_indices(word).nth(MAX_IFS).map(|(i, _)| i);
            assert_eq!(scan(&text).too_many_ifs.map(|s| s.start()), at, "{word}");
        }
        // Each block, and each top-level item, counts its own; an expression going on over
        // lines at the top level does not start a new count.
        let blocks = format!(
            "indicator x points 1 {{ score {}0 }}\n",
            chain(MAX_IFS, "if")
        )
        .repeat(3);
        assert_eq!(scan(&blocks).too_many_ifs, None);
        let lets = format!("let a = {}0\n", chain(MAX_IFS / 2, "if")).repeat(3);
        assert_eq!(scan(&lets).too_many_ifs, None);
        let lines = format!("let a = {}0\n", chain(MAX_IFS / 2, "if\n")).repeat(3);
        assert!(scan(&lines).too_many_ifs.is_none());
        let going_on = format!("let a = 0\n{}", "else if a then 1\n".repeat(MAX_IFS + 1));
        assert!(scan(&going_on).too_many_ifs.is_some());
        // Names with `if` in them, strings and comments are not `if`s.
        let not = format!(
            "let a = {}\n",
            "elif + if_1 + `if` + \"if\" + 如果值 ".repeat(MAX_IFS + 1)
        );
        assert_eq!(
            scan(&not).too_many_ifs.map(|s| &not[s.start()..s.end()]),
            Some("如果")
        );
        let not = format!("// {}\nlet a = b_if + if2\n", "if ".repeat(MAX_IFS + 1));
        assert_eq!(scan(&not).too_many_ifs, None);
    }

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
            &text[scan.comments[2].span.start()..scan.comments[2].span.end()],
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
                .map(|c| {
                    (
                        c.text.as_str(),
                        c.trailing,
                        &text[c.span.start()..c.span.end()],
                    )
                })
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
