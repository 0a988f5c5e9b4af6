//! Text made safe for markup, shared by the printers that write it (the HTML report and the
//! JUnit XML of `jixiao test`).

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

#[cfg(test)]
mod tests {
    use super::markup;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            markup("<a href=\"x\">'&'</a>\u{7}\n"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\n"
        );
    }
}
