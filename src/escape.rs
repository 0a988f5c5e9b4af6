//! Text made safe for markup, shared by the printers that write it (the HTML report, the
//! JUnit XML of `jixiao test`, and the Markdown of the report and of `jixiao diff`), and for a
//! terminal (the text trace).

/// `s` safe inside elements and quoted attributes of HTML and XML: `& < > " '` escaped, and
/// control characters other than line breaks and tabs (not allowed in XML 1.0) dropped.
pub(crate) fn markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `s` as literal text in Markdown that a renderer (a pull-request comment) turns into HTML:
/// in a table cell, a heading, bold text or a `<summary>`. `&` and a `<` that could open a tag
/// become entities, so `<script>` or `<img onerror=…>` in a name is shown, never run (`>`,
/// `"` and a `<` before a space open nothing and stay as written: `落在 < 90%` reads as it
/// should); the characters
/// that would start emphasis, strikethrough, code or a link are backslash-escaped; `|` cannot end a
/// cell; each line break (CRLF, LF or a lone CR) becomes `<br>`, so a cell stays on its row;
/// other control characters are dropped.
pub(crate) fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            // A tag, a comment, a declaration or an autolink opens only with `<` followed by
            // a letter, `/`, `!` or `?`; a `<` before a space or a digit is a comparison.
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("&lt;")
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `s` as a Markdown code span (a file path): fenced with more backticks than any run inside
/// it, so a backtick cannot end the span early; line breaks become spaces (a code span is one
/// line) and a space pads text that starts or ends with a backtick. Inside a code span nothing
/// is markup, so nothing else needs escaping.
pub(crate) fn markdown_code(s: &str) -> String {
    let text: String = s
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// A fence for a Markdown code block holding `lines`: three backticks, or more than the
/// longest run of backticks in them, so no line can close the block.
pub(crate) fn markdown_fence<'a>(lines: impl IntoIterator<Item = &'a String>) -> String {
    let longest = lines
        .into_iter()
        .map(|l| longest_run(l, '`'))
        .max()
        .unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for d in s.chars() {
        run = if d == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// `s` safe to print on a terminal as part of one line of the text trace: a line break in a
/// name or reason from the data would forge a line of its own ("合计 100.00"), an escape
/// sequence could move the cursor over the total, and a right-to-left override reorders what
/// is shown. Line breaks become `⏎`; other control and invisible characters are written as
/// `\u{1B}`.
pub(crate) fn terminal(s: &str) -> String {
    if !s
        .chars()
        .any(|c| c.is_control() || crate::echo::is_invisible(c))
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push('⏎'),
            '\t' => out.push(' '),
            c if c.is_control() || crate::echo::is_invisible(c) => {
                out.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            markup("<a href=\"x\">'&'</a>\u{7}\n"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\n"
        );
    }

    #[test]
    fn markdown_shows_html_and_table_breakers_as_text() {
        assert_eq!(
            markdown("<img src=x onerror=alert(1)>|a\r\nb\rc\nd"),
            "&lt;img src=x onerror=alert(1)>\\|a<br>b<br>c<br>d"
        );
        assert_eq!(
            markdown("**粗** [链](javascript:x) `码`"),
            "\\*\\*粗\\*\\* \\[链\\](javascript:x) \\`码\\`"
        );
        assert_eq!(markdown("预算执行率 ≥ 90%"), "预算执行率 ≥ 90%");
        assert_eq!(
            markdown("落在 < 90%，<!-- x --> <?x <0"),
            "落在 < 90%，&lt;!-- x --> &lt;?x <0"
        );
    }

    #[test]
    fn code_spans_and_fences_outlast_the_backticks_inside() {
        assert_eq!(markdown_code("rules/a.jx"), "`rules/a.jx`");
        assert_eq!(markdown_code("a``b"), "```a``b```");
        assert_eq!(markdown_code("`a"), "`` `a ``");
        assert_eq!(markdown_fence(&["x".to_string()]), "```");
        assert_eq!(markdown_fence(&["````".to_string()]), "`````");
    }
}
