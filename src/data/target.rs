//! Targets and actual values the way 自评表 write them: `≥4篇`, `≤90万元`, `=100%`, `4篇`.

use crate::diagnostics::Text;
use compact_str::CompactString;
use rust_decimal::Decimal;

/// How a target is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum TargetOp {
    /// `≥`: at least; more is better.
    #[serde(rename = "≥")]
    AtLeast,
    /// `≤`: at most; less is better, and the limit itself is met.
    #[serde(rename = "≤")]
    AtMost,
    /// `=`: exactly.
    #[serde(rename = "=")]
    Exactly,
}

impl TargetOp {
    pub fn symbol(self) -> &'static str {
        match self {
            TargetOp::AtLeast => "≥",
            TargetOp::AtMost => "≤",
            TargetOp::Exactly => "=",
        }
    }
}

/// A number with its unit, as written: `4篇`, `98%`, `90万元`.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// The number as written; a percentage keeps its written number (98 for `98%`).
    pub value: Decimal,
    pub percent: bool,
    /// Short texts (`篇`, `≥4篇`) kept inline, without an allocation each: a batch reads
    /// forty of them a department.
    pub unit: CompactString,
    pub written: CompactString,
}

impl Quantity {
    /// The unit for comparing with another quantity: `%` counts as the unit of a percentage.
    pub fn unit_label(&self) -> String {
        if self.percent {
            format!("%{}", self.unit)
        } else {
            self.unit.to_string()
        }
    }

    /// Whether the two have the same [`Quantity::unit_label`] (compared without writing it: a
    /// batch compares the units of every target record).
    pub fn same_unit(&self, other: &Quantity) -> bool {
        // The unit of a quantity that is no percentage never starts with `%`: a leading `%`
        // (or `％`) is read as the percent sign, in a notation and in a 度量单位 alike. So the
        // labels are equal exactly when both parts are.
        self.percent == other.percent && self.unit == other.unit
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub op: TargetOp,
    pub quantity: Quantity,
}

/// The help for a target in words (`达成预期指标`) in a list that grades none: the list needs
/// a scale to grade qualitative (定性) targets on.
pub const QUALITATIVE_ZH: &str = "这是定性指标，而这些规则不评定定性指标：可在规则中为这个列表指定评定档次，例如 `输入 绩效指标: 目标列表 定性按 定性`，并声明 `档次 定性 { \"达成\" => 80%(含)-100%(含) 默认 100% 写作 \"达成预期指标\" … }`（见 docs/forms.md）；规则不变时，请评价人评定完成程度，写 `\"指标值\" = \"≥100%\"`，并把评定的完成率写作 `\"实际完成值\"`";

pub const QUALITATIVE: &str = "this is a qualitative (定性) target, and these rules grade none: give the list a scale to grade it on, e.g. `input 绩效指标: list of target graded 定性`, and declare `scale 定性 { \"达成\" => 80%(含)-100%(含) default 100% words \"达成预期指标\" … }` (see docs/forms.md); with the rules as they are, have the assessor rate it: write `\"指标值\" = \"≥100%\"` and the rate as `\"实际完成值\"`";

/// The comparison a 指标性质 names: `≥`, `>=`, `≤`, `=` and their full-width forms.
pub fn op_of(sign: &str) -> Option<TargetOp> {
    match sign.trim() {
        "≥" | ">=" | "≧" | "＞＝" | "正向" => Some(TargetOp::AtLeast),
        "≤" | "<=" | "≦" | "＜＝" | "反向" => Some(TargetOp::AtMost),
        "=" | "==" | "＝" | "﹦" => Some(TargetOp::Exactly),
        _ => None,
    }
}

/// Words without any digit, as a qualitative target or result is written.
pub fn is_qualitative(text: &str) -> bool {
    // An ASCII digit settles it at once (every target of a quantity has one); only text
    // without any is searched for the other digits, character by character.
    !text.is_empty()
        && !text.bytes().any(|b| b.is_ascii_digit())
        && !text.chars().any(|c| {
            c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || "零〇一二三四五六七八九十百千万两".contains(c)
        })
}

/// `str::trim`, decided by the bytes at either end: a target or value is trimmed several times
/// on its way (a million departments, twenty each), and is mostly without white space to trim.
#[inline]
pub(crate) fn trim(text: &str) -> &str {
    if starts_with_space(text) || ends_with_space(text) {
        text.trim()
    } else {
        text
    }
}

/// `str::trim_start`, decided by the first bytes as [`trim`] is.
#[inline]
fn trim_start(text: &str) -> &str {
    match starts_with_space(text) {
        true => text.trim_start(),
        false => text,
    }
}

/// Whether the text starts with white space (`char::is_whitespace`), decided by its first bytes
/// where it can be: outside ASCII, white space is U+0085, U+00A0 (C2 85, C2 A0), U+1680
/// (E1 9A …), U+2000–U+200A, U+2028, U+2029, U+202F, U+205F (E2 80 …, E2 81 …) and U+3000
/// (E3 80 …).
#[inline]
fn starts_with_space(text: &str) -> bool {
    match text.as_bytes() {
        [] => false,
        [b, ..] if b.is_ascii() => char::from(*b).is_whitespace(),
        // The second byte too: `≥` (E2 89 A5) and `≤` (E2 89 A4), which start most targets,
        // are told from white space without decoding them.
        [0xC2, 0x85 | 0xA0, ..] | [0xE1..=0xE3, 0x80 | 0x81 | 0x9A, ..] => {
            text.chars().next().is_some_and(char::is_whitespace)
        }
        [..] => false,
    }
}

/// Whether the text ends with white space, as [`starts_with_space`]: the last bytes of white
/// space outside ASCII are C2 85, C2 A0, or E1–E3 then 80, 81 or 9A then one more.
#[inline]
fn ends_with_space(text: &str) -> bool {
    match text.as_bytes() {
        [] => false,
        [.., b] if b.is_ascii() => char::from(*b).is_whitespace(),
        [.., 0xC2, 0x85 | 0xA0] | [.., 0xE1..=0xE3, 0x80 | 0x81 | 0x9A, _] => {
            text.chars().next_back().is_some_and(char::is_whitespace)
        }
        [..] => false,
    }
}

/// Reads `≥4篇`; the error is the help to show.
#[inline]
pub fn parse_target(text: &str) -> Result<Target, Text> {
    match plain_target(text) {
        Some(target) => Ok(target),
        None => any_target(text),
    }
}

/// [`parse_target`], read the long way: whatever the notation, and what is wrong with it.
fn any_target(text: &str) -> Result<Target, Text> {
    let trimmed = trim(text);
    // The commonest first (a batch reads a million targets); `==` before `=`.
    const OPS: [(&str, TargetOp); 11] = [
        ("≥", TargetOp::AtLeast),
        ("≤", TargetOp::AtMost),
        (">=", TargetOp::AtLeast),
        ("≧", TargetOp::AtLeast),
        ("＞＝", TargetOp::AtLeast),
        ("<=", TargetOp::AtMost),
        ("≦", TargetOp::AtMost),
        ("＜＝", TargetOp::AtMost),
        ("==", TargetOp::Exactly),
        ("=", TargetOp::Exactly),
        ("＝", TargetOp::Exactly),
    ];
    let Some((op, rest)) = OPS
        .iter()
        .find_map(|(p, op)| trimmed.strip_prefix(p).map(|rest| (*op, rest)))
    else {
        let first = trimmed.chars().next();
        return Err(match first {
            Some('>' | '＞' | '<' | '＜') => {
                let op = first.unwrap_or(' ');
                Text::new(
                    format!(
                        "targets are met at their bound or not: write `≥` or `≤` instead of `{op}`"
                    ),
                    format!("指标值以界限本身为达到与否的标准：把 `{op}` 改写为 `≥` 或 `≤`"),
                )
            }
            _ if is_qualitative(trimmed) => Text::new(QUALITATIVE, QUALITATIVE_ZH),
            _ => {
                let example = if trimmed.is_empty() { "4篇" } else { trimmed };
                Text::new(
                    format!("start the target with ≥, ≤ or =, for example `≥{example}`"),
                    format!("指标值以 ≥、≤ 或 = 开头，例如 `≥{example}`"),
                )
            }
        });
    };
    let (value, percent, unit) = quantity(trim_start(rest))?;
    Ok(Target {
        op,
        quantity: Quantity {
            value,
            percent,
            unit: unit.into(),
            written: trimmed.into(),
        },
    })
}

/// [`parse_target`] of the way almost every table writes a target: `≥` or `≤`, then at once a
/// [`plain_quantity`], and no white space at the end, so nothing to trim and no sign to search
/// for. `None` for anything else, which the long way reads.
#[inline]
fn plain_target(text: &str) -> Option<Target> {
    let op = match text.as_bytes() {
        // `≥` is E2 89 A5 and `≤` E2 89 A4; neither is white space.
        [0xE2, 0x89, 0xA5, ..] => TargetOp::AtLeast,
        [0xE2, 0x89, 0xA4, ..] => TargetOp::AtMost,
        _ => return None,
    };
    if ends_with_space(text) {
        return None;
    }
    // What follows the sign starts with a digit when it is plain: nothing to trim there either.
    let (value, percent, unit) = plain_quantity(text.get(3..)?)?;
    Some(Target {
        op,
        quantity: Quantity {
            value,
            percent,
            unit: unit.into(),
            written: text.into(),
        },
    })
}

/// Reads `4篇`, `98%`, `3,156.9万元`; the error is the help to show.
#[inline]
pub fn parse_quantity(text: &str) -> Result<Quantity, Text> {
    // A plain quantity starts with a digit: with no white space at its end, nothing to trim.
    match plain_quantity(text).filter(|_| !ends_with_space(text)) {
        Some((value, percent, unit)) => Ok(Quantity {
            value,
            percent,
            unit: unit.into(),
            written: text.into(),
        }),
        None => any_written_quantity(text),
    }
}

/// [`parse_quantity`], read the long way.
fn any_written_quantity(text: &str) -> Result<Quantity, Text> {
    let written = trim(text);
    let (value, percent, unit) = quantity(written)?;
    Ok(Quantity {
        value,
        percent,
        unit: unit.into(),
        written: written.into(),
    })
}

/// Where the number at the start of `s` ends: after its digits, points and thousands separators
/// (`crate::number::is_number_char`), read byte by byte (the full-width comma `，` is EF BC 8C).
fn number_end(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut at = 0;
    loop {
        match bytes.get(at..) {
            Some([b'0'..=b'9' | b'.' | b',', ..]) => at += 1,
            Some([0xEF, 0xBC, 0x8C, ..]) => at += 3,
            _ => return at,
        }
    }
}

/// [`quantity`] of the way almost every table writes one, read in one pass: plain digits (at
/// most one point, [`crate::number::plain_digits`]), then at once `%` or the unit, which has no
/// digit. `None` for anything else — a thousands separator, white space, a full-width `％` —
/// which [`any_quantity`] reads: what this gives is what that would (a test holds them
/// together).
#[inline]
fn plain_quantity(s: &str) -> Option<(Decimal, bool, &str)> {
    let (value, read) = crate::number::leading_digits(s.as_bytes())?;
    let rest = s.get(read..)?;
    // A comma goes on with the number, and `，`, `％` and the full-width digits start with
    // EF BC: the long way reads those.
    if matches!(rest.as_bytes(), [b',', ..] | [0xEF, 0xBC, ..]) || starts_with_space(rest) {
        return None;
    }
    let (percent, unit) = match rest.strip_prefix('%') {
        Some(unit) => (true, unit),
        None => (false, rest),
    };
    if starts_with_space(unit) {
        return None;
    }
    // No digit in the unit, ASCII or full-width (EF BC 90 – EF BC 99). Most units have neither
    // an ASCII digit nor an EF byte, which one tight pass tells.
    let u = unit.as_bytes();
    if !u.iter().any(|&b| b.is_ascii_digit() || b == 0xEF) {
        return Some((value, percent, unit));
    }
    for (i, &b) in u.iter().enumerate() {
        if b.is_ascii_digit()
            || (b == 0xEF && matches!(u.get(i + 1..i + 3), Some([0xBC, 0x90..=0x99])))
        {
            return None;
        }
    }
    Some((value, percent, unit))
}

/// The parts of a quantity: its number, whether it is a percentage, and its unit. `s` is
/// trimmed at both ends already (each part is then trimmed only at its start).
#[inline]
fn quantity(s: &str) -> Result<(Decimal, bool, &str), Text> {
    match plain_quantity(s) {
        Some(plain) => Ok(plain),
        None => any_quantity(s),
    }
}

/// [`quantity`], read the long way: whatever the notation, and what is wrong with it.
fn any_quantity(s: &str) -> Result<(Decimal, bool, &str), Text> {
    let digits_end = number_end(s);
    let (number, rest) = s.split_at(digits_end);
    if number.is_empty() {
        return Err(match s.chars().next() {
            Some(c) if ('０'..='９').contains(&c) => Text::new(
                "the digits are full-width; type them with the input method in English mode (4, not ４)",
                "数字是全角的；请把输入法切换到英文状态再输入（4，而不是 ４）",
            ),
            Some('-') => Text::new(
                "targets and actual values cannot be negative",
                "指标值和实际完成值不能是负数",
            ),
            Some(c) if "零〇一二三四五六七八九十百千万两".contains(c) => Text::new(
                "write the number in digits, for example `≥4篇` rather than `≥四篇`",
                "用阿拉伯数字写数，例如写 `≥4篇` 而不是 `≥四篇`",
            ),
            _ if is_qualitative(s) => Text::new(QUALITATIVE, QUALITATIVE_ZH),
            _ => Text::new(
                "a number must come first, for example `4篇` or `98%`",
                "数字必须写在最前面，例如 `4篇` 或 `98%`",
            ),
        });
    }
    let value = crate::number::parse_written(number).map_err(|e| {
        Text::new(
            format!("{}: {}", e.message(), e.help()),
            format!("{}：{}", e.message_zh(), e.help_zh()),
        )
    })?;
    let rest = trim_start(rest);
    let (percent, unit) = match rest.strip_prefix('%').or_else(|| rest.strip_prefix('％')) {
        Some(unit) => (true, trim_start(unit)),
        None => (false, rest),
    };
    // An ASCII digit, or a full-width one (EF BC 90 – EF BC 99).
    if unit
        .as_bytes()
        .windows(3)
        .any(|w| matches!(w, [0xEF, 0xBC, 0x90..=0x99]))
        || unit.bytes().any(|b| b.is_ascii_digit())
    {
        return Err(Text::new(
            format!("`{unit}` after the number is not a unit"),
            format!("数字后面的 `{unit}` 不是单位"),
        ));
    }
    Ok((value, percent, unit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 20000, ..Default::default() })]

        /// A quantity read the short way is the one the long way reads, unit and all.
        #[test]
        fn a_plain_quantity_is_read_as_the_long_way_reads_it(
            s in "[0-9.,%％，４ \u{3000}\u{a0}篇万元e-]{0,8}",
        ) {
            if let Some(plain) = plain_quantity(&s) {
                let long = any_quantity(&s).map_err(|e| e.en);
                proptest::prop_assert_eq!(Ok(plain), long, "{:?}", s);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 20000, ..Default::default() })]

        /// A target or a value read the short way is the one the long way reads, as written.
        #[test]
        fn a_plain_target_or_value_is_read_as_the_long_way_reads_it(
            s in "[≥≤>=＝ \u{3000}\u{a0}]{0,2}[0-9.,%％，４ \u{3000}\u{85}篇万元e-]{0,8}",
        ) {
            if let Some(plain) = plain_target(&s) {
                proptest::prop_assert_eq!(Ok(plain), any_target(&s).map_err(|e| e.en), "{:?}", &s);
            }
            let plain = plain_quantity(&s).filter(|_| !ends_with_space(&s));
            if let Some((value, percent, unit)) = plain {
                let plain = Quantity { value, percent, unit: unit.into(), written: s.as_str().into() };
                let long = any_written_quantity(&s).map_err(|e| e.en);
                proptest::prop_assert_eq!(Ok(plain), long, "{:?}", &s);
            }
        }
    }

    #[test]
    fn reads_targets_as_tables_write_them() {
        let t = parse_target("≥4篇").unwrap();
        assert_eq!(
            (t.op, t.quantity.value, t.quantity.unit.as_str()),
            (TargetOp::AtLeast, Decimal::from(4), "篇")
        );
        let t = parse_target("≤90万元").unwrap();
        assert_eq!((t.op, t.quantity.unit.as_str()), (TargetOp::AtMost, "万元"));
        let t = parse_target("=100%").unwrap();
        assert!(t.quantity.percent && t.op == TargetOp::Exactly);
        let t = parse_target(">= 3,156.9 万元").unwrap();
        assert_eq!(t.quantity.value, Decimal::from_str("3156.9").unwrap());
    }

    #[test]
    fn explains_malformed_targets() {
        assert!(parse_target("≥四篇").unwrap_err().en.contains("digits"));
        assert!(parse_target("≥４篇").unwrap_err().en.contains("full-width"));
        assert!(
            parse_target("4篇")
                .unwrap_err()
                .en
                .contains("start the target")
        );
        assert!(parse_target(">4篇").unwrap_err().en.contains("≥"));
        for words in ["达成预期指标", "≥达成"] {
            assert!(
                parse_target(words).unwrap_err().en.contains("qualitative"),
                "{words}"
            );
        }
        assert!(
            parse_quantity("达成")
                .unwrap_err()
                .en
                .contains("qualitative")
        );
    }

    #[test]
    fn a_number_ends_where_is_number_char_says() {
        for text in [
            "",
            "4篇",
            "3,156.9万元",
            "1，350元",
            "12",
            "4．5",
            "4，",
            "９",
            "4 篇",
            "%",
        ] {
            let by_chars = text
                .char_indices()
                .find(|(_, c)| !crate::number::is_number_char(*c))
                .map_or(text.len(), |(i, _)| i);
            assert_eq!(number_end(text), by_chars, "{text:?}");
        }
    }

    #[test]
    fn trimming_is_str_trim() {
        for text in [
            "",
            " ",
            "≥4篇",
            " ≥4篇",
            "≥4篇\u{3000}",
            "\u{a0}4篇",
            "4\u{2028}",
            "\t4 篇\n",
            "篇",
            "\u{b}4\u{b}",
            "4\u{85}",
            "\u{1680}4\u{205f}",
            "\u{202f}4\u{2009}",
            "4\u{e9}",
            "\u{e9}",
            "4\u{2030}",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
            assert_eq!(trim_start(text), text.trim_start(), "{text:?}");
        }
        // Every character alone, and at either end of a text.
        for c in (0..=0x3100u32).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("{c}4"), format!("4{c}")] {
                assert_eq!(trim(&text), text.trim(), "{text:?}");
                assert_eq!(trim_start(&text), text.trim_start(), "{text:?}");
            }
        }
    }

    #[test]
    fn commas_read_only_as_thousands_separators() {
        let t = parse_target("≥1,200卷").unwrap();
        assert_eq!(t.quantity.value, Decimal::from(1200));
        assert_eq!(
            parse_quantity("1，350卷").unwrap().value,
            Decimal::from(1350)
        );
        // `3,9篇` is 3.9 with a decimal comma, or a slip: never 39.
        let help = parse_quantity("3,9篇").unwrap_err();
        assert!(help.en.contains("`3.9`"), "{help}");
        assert!(parse_quantity("3,1,5,6.9万元").is_err());
        assert!(parse_target("≥3156,9万元").is_err());
    }
}
