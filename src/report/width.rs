//! Column layout by display width: a CJK character takes two terminal columns.

use unicode_width::UnicodeWidthStr;

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` followed by spaces up to `cols` display columns.
pub fn pad_right(s: &str, cols: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(width(s))));
    out
}

/// Spaces up to `cols` display columns, then `s`.
pub fn pad_left(s: &str, cols: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', cols.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(width("预算执行率"), 10);
        assert_eq!(pad_right("合计", 6), "合计  ");
        assert_eq!(pad_left("9.98", 6), "  9.98");
    }
}
