//! Stage 2½ (form file → [`super::Form`]), for workbooks: an Excel number format code
//! (`0.00%`, `#,##0.00_ ;[Red]-#,##0.00`, `[>100]"满";0.00`) read by Excel's grammar, as far as
//! it changes what a stored number means or what the cell shows.
//!
//! The grammar (ECMA-376 §18.8.31): up to four sections split by `;` (positive, negative, zero,
//! text; a section may carry a condition `[>100]` instead); in a section, `"…"` and `\x` are
//! literal text, `_x` leaves the width of `x` blank, `*x` fills the cell with `x`, `[…]` is a
//! colour, a condition, a currency or locale (`[$€-407]`, whose text is literal) or an elapsed
//! time; `0` `#` `?` are digit places, `.` the decimal point, `,` groups thousands between digit
//! places and divides by a thousand after the last of them, `E+` makes scientific notation,
//! `@` is the text, and `%` multiplies by a hundred. Only a `%` that is a token of its own
//! makes a percentage: a quoted `"%"`, an escaped `\%`, a padding `_%` or a fill `*%` is text.
//! The section a value is shown in decides: `0.00;-0.00%` shows -0.95 as -95.00%.

use std::str::FromStr;

use rust_decimal::Decimal;

/// A format code, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Code {
    /// The code as the file writes it, for messages.
    pub text: String,
    /// The sections numbers are shown in (at most three): the text section is left out.
    sections: Vec<Section>,
    /// A code Excel would not have written (an unclosed quote or bracket, a text section
    /// before a number section): jixiao cannot tell what it shows.
    malformed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Section {
    cond: Option<(Op, Decimal)>,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

/// What a section makes of a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `General`: the number as it is.
    General,
    /// Digit places: `0.00`, `#,##0.##`, `0%`, `#,##0,` (`scale` thousands divided away).
    Digits {
        percent: bool,
        scale: u32,
        /// The decimals a fixed format pads to (`0.00` → 2); `None` where a `#` or `?` place
        /// shows a digit only when there is one.
        fixed: Option<u32>,
        /// The most decimals shown (`0.00` and `0.##` → 2); `None` where jixiao does not know.
        shows: Option<u32>,
    },
    /// Scientific notation with one integer place: `0.00E+00` shows 118.5 as 1.19E+02.
    Scientific {
        decimals: u32,
        /// Places of the exponent (`E+00` → 2).
        exponent: u32,
        /// `E+` (a sign always) rather than `E-` (a sign for a negative exponent only).
        plus: bool,
    },
    /// No digit places at all: the section shows this text (nothing, for `;;;`) whatever the
    /// number.
    Literal(String),
    /// A number shown in a way jixiao does not spell out (a date or time code, a fraction,
    /// Chinese numerals `[DBNum1]`, an engineering exponent): read as it holds, unwarned.
    Other { percent: bool },
    /// `%%`, `General%`, a percent in scientific notation: jixiao cannot say what the number
    /// means.
    Unclear,
}

impl Kind {
    /// Whether a number shown by this section is a percentage; `None` when unclear.
    pub fn percent(&self) -> Option<bool> {
        match self {
            Kind::Digits { percent, .. } | Kind::Other { percent } => Some(*percent),
            Kind::General | Kind::Scientific { .. } | Kind::Literal(_) => Some(false),
            Kind::Unclear => None,
        }
    }
}

/// A token of a section.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// Text shown as it is: quoted, escaped, a currency's, or a character with no meaning.
    Lit(String),
    /// `_x`: blank space.
    Pad,
    /// `*x`: `x` repeated to fill the cell.
    Fill,
    Digit(char),
    Point,
    Comma,
    Percent,
    /// `E+` (true) or `E-` (false).
    Exp(bool),
    /// `/` (a fraction between digit places).
    Slash,
    At,
    General,
    /// A date or time letter, an elapsed time `[h]`.
    Date,
    /// `[DBNum1]` and other brackets jixiao does not know.
    Special,
    Cond(Op, Decimal),
}

impl Code {
    /// Reads a format code. Never fails: what it cannot read it marks as unclear.
    pub fn parse(text: &str) -> Code {
        if text.is_empty() {
            // No code at all: General.
            return Code::of_kind(text, Kind::General);
        }
        let (raw, mut malformed) = tokens(text);
        // The text section: the fourth, or a last one holding `@`.
        let mut numeric: Vec<Vec<Tok>> = raw.into_iter().take(3).collect();
        while numeric.len() > 1 && numeric.last().is_some_and(|s| s.contains(&Tok::At)) {
            numeric.pop();
        }
        if numeric.iter().any(|s| s.contains(&Tok::At)) {
            // `@` alone (a text format) shows a number as General; with more, unclear.
            if numeric.len() == 1
                && numeric[0]
                    .iter()
                    .all(|t| matches!(t, Tok::At | Tok::Lit(_)))
            {
                numeric[0] = vec![Tok::General];
            } else {
                malformed = true;
            }
        }
        let sections = numeric.iter().map(|s| section(s)).collect();
        Code {
            text: text.to_string(),
            sections,
            malformed,
        }
    }

    /// A code of one section of the given kind (an .ods percentage cell).
    pub fn of_kind(text: &str, kind: Kind) -> Code {
        Code {
            text: text.to_string(),
            sections: vec![Section { cond: None, kind }],
            malformed: false,
        }
    }

    /// Whether the code shows every number as General does.
    pub fn is_general(&self) -> bool {
        !self.malformed
            && self
                .sections
                .iter()
                .all(|s| s.kind == Kind::General && s.cond.is_none())
    }

    /// How the value is shown: the section Excel shows it in; `None` when jixiao cannot tell
    /// (a malformed code, conditions it is not sure of).
    pub fn kind_for(&self, v: Decimal) -> Option<&Kind> {
        if self.malformed {
            return None;
        }
        let s = &self.sections;
        let holds = |i: usize| s.get(i).and_then(|x| x.cond).map(|(op, n)| op.holds(v, n));
        let at = |i: usize| s.get(i).map(|x| &x.kind);
        match (s.len(), holds(0), holds(1)) {
            (0, ..) => Some(&Kind::General),
            // No conditions: positive (and zero); negative; zero.
            (1, None, _) => at(0),
            (2, None, None) => at(usize::from(v.is_sign_negative() && !v.is_zero())),
            (_, None, None) => match () {
                _ if v.is_zero() => at(2),
                _ if v.is_sign_negative() => at(1),
                _ => at(0),
            },
            (_, Some(true), _) => at(0),
            // `[>100]"满";0.00`: what the condition does not take, the second section shows.
            (2, Some(false), None) => at(1),
            (_, Some(false), Some(true)) => at(1),
            (3, Some(false), Some(false)) => at(2),
            _ => None,
        }
    }

    /// Whether a number in this format is a percentage, whichever section shows it; `None`
    /// when the sections differ and jixiao cannot tell which one shows it.
    pub fn percent_anyway(&self) -> Option<bool> {
        if self.malformed {
            // An unreadable code with no `%` in it at all is no percentage.
            return (!self.text.contains('%')).then_some(false);
        }
        let mut all = self.sections.iter().map(|s| s.kind.percent());
        let first = all.next().unwrap_or(Some(false))?;
        all.all(|p| p == Some(first)).then_some(first)
    }
}

impl Op {
    fn holds(self, v: Decimal, n: Decimal) -> bool {
        match self {
            Op::Lt => v < n,
            Op::Le => v <= n,
            Op::Gt => v > n,
            Op::Ge => v >= n,
            Op::Eq => v == n,
            Op::Ne => v != n,
        }
    }
}

/// The sections' tokens, and whether the code is malformed.
fn tokens(text: &str) -> (Vec<Vec<Tok>>, bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut sections: Vec<Vec<Tok>> = Vec::new();
    // The section being read, pushed onto `sections` at each `;` and at the end.
    let mut out: Vec<Tok> = Vec::new();
    let mut malformed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        i += 1;
        match c {
            ';' => sections.push(std::mem::take(&mut out)),
            '"' => match chars[i..].iter().position(|&q| q == '"') {
                Some(len) => {
                    out.push(Tok::Lit(chars[i..i + len].iter().collect()));
                    i += len + 1;
                }
                None => {
                    malformed = true;
                    i = chars.len();
                }
            },
            // `!x` is Excel's other way to write `\x`.
            '\\' | '!' | '_' | '*' => match next {
                Some(x) => {
                    out.push(match c {
                        '\\' | '!' => Tok::Lit(x.to_string()),
                        '_' => Tok::Pad,
                        _ => Tok::Fill,
                    });
                    i += 1;
                }
                None => malformed = true,
            },
            '[' => match chars[i..].iter().position(|&q| q == ']') {
                Some(len) => {
                    let inside: String = chars[i..i + len].iter().collect();
                    i += len + 1;
                    match bracket(&inside) {
                        Some(Some(tok)) => out.push(tok),
                        Some(None) => {}
                        None => malformed = true,
                    }
                }
                None => {
                    malformed = true;
                    i = chars.len();
                }
            },
            '0' | '#' | '?' => out.push(Tok::Digit(c)),
            '.' => out.push(Tok::Point),
            ',' => out.push(Tok::Comma),
            '%' => out.push(Tok::Percent),
            '/' => out.push(Tok::Slash),
            '@' => out.push(Tok::At),
            'E' | 'e' if matches!(next, Some('+' | '-')) => {
                out.push(Tok::Exp(next == Some('+')));
                i += 1;
            }
            'G' | 'g'
                if chars[i - 1..]
                    .iter()
                    .take(7)
                    .collect::<String>()
                    .eq_ignore_ascii_case("general") =>
            {
                out.push(Tok::General);
                i += 6;
            }
            // Dates and times (y m d h s, AM/PM, A/P), eras (g e b), Chinese weekdays (aaaa):
            // calamine gives most date cells as dates; a number left in such a format is read
            // as it holds.
            c if c.is_ascii_alphabetic() => out.push(Tok::Date),
            c => out.push(Tok::Lit(c.to_string())),
        }
    }
    sections.push(out);
    (sections, malformed)
}

/// A `[…]`: `Some(None)` for a colour, `None` for a condition that does not read.
fn bracket(inside: &str) -> Option<Option<Tok>> {
    let lower = inside.to_ascii_lowercase();
    if let Some(currency) = inside.strip_prefix('$') {
        // `[$€-407]`, `[$-804]`: the text before the `-` is shown.
        let shown = currency.split('-').next().unwrap_or("");
        return Some((!shown.is_empty()).then(|| Tok::Lit(shown.to_string())));
    }
    for (prefix, op) in [
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("<>", Op::Ne),
        ("<", Op::Lt),
        (">", Op::Gt),
        ("=", Op::Eq),
    ] {
        if let Some(n) = inside.strip_prefix(prefix) {
            return Decimal::from_str(n.trim())
                .ok()
                .map(|n| Some(Tok::Cond(op, n)));
        }
    }
    const COLOURS: [&str; 8] = [
        "black", "blue", "cyan", "green", "magenta", "red", "white", "yellow",
    ];
    if COLOURS.contains(&lower.as_str())
        || lower
            .strip_prefix("color")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(None);
    }
    if !lower.is_empty() && lower.bytes().all(|b| matches!(b, b'h' | b'm' | b's')) {
        return Some(Some(Tok::Date));
    }
    Some(Some(Tok::Special))
}

/// A section's tokens, read.
fn section(toks: &[Tok]) -> Section {
    let cond = toks.iter().find_map(|t| match t {
        Tok::Cond(op, n) => Some((*op, *n)),
        _ => None,
    });
    let count = |f: fn(&Tok) -> bool| toks.iter().filter(|t| f(t)).count();
    let percents = count(|t| *t == Tok::Percent);
    let digits = count(|t| matches!(t, Tok::Digit(_)));
    let has = |f: fn(&Tok) -> bool| toks.iter().any(f);
    let kind = if has(|t| *t == Tok::General) {
        match percents {
            0 if !has(|t| matches!(t, Tok::Special | Tok::Date)) => Kind::General,
            0 => Kind::Other { percent: false },
            _ => Kind::Unclear,
        }
    } else if percents > 1 {
        Kind::Unclear
    } else if digits == 0 {
        match (percents, has(|t| matches!(t, Tok::Date | Tok::Special))) {
            (0, false) => Kind::Literal(
                toks.iter()
                    .filter_map(|t| match t {
                        Tok::Lit(s) => Some(s.as_str()),
                        Tok::Comma => Some(","),
                        Tok::Point => Some("."),
                        Tok::Slash => Some("/"),
                        _ => None,
                    })
                    .collect::<String>()
                    .trim()
                    .to_string(),
            ),
            (p, _) => Kind::Other { percent: p == 1 },
        }
    } else if has(|t| matches!(t, Tok::Exp(_))) {
        match percents {
            0 => scientific(toks).unwrap_or(Kind::Other { percent: false }),
            _ => Kind::Unclear,
        }
    } else if has(|t| matches!(t, Tok::Slash | Tok::Date | Tok::Special)) {
        Kind::Other {
            percent: percents == 1,
        }
    } else {
        digit_places(toks, percents == 1)
    };
    Section { cond, kind }
}

/// `0.00E+00`: one integer place, fixed decimals; `None` for any other scientific code.
fn scientific(toks: &[Tok]) -> Option<Kind> {
    let e = toks.iter().position(|t| matches!(t, Tok::Exp(_)))?;
    let plus = toks[e] == Tok::Exp(true);
    let mantissa: Vec<&Tok> = toks[..e]
        .iter()
        .filter(|t| matches!(t, Tok::Digit(_) | Tok::Point | Tok::Comma | Tok::Percent))
        .collect();
    let point = mantissa.iter().position(|t| **t == Tok::Point);
    let (int, frac) = match point {
        Some(p) => (&mantissa[..p], &mantissa[p + 1..]),
        None => (&mantissa[..], &[][..]),
    };
    let exponent = toks[e + 1..]
        .iter()
        .filter(|t| matches!(t, Tok::Digit(_)))
        .count() as u32;
    let simple = int == [&Tok::Digit('0')]
        && frac.iter().all(|t| **t == Tok::Digit('0'))
        && exponent > 0
        && toks[e + 1..]
            .iter()
            .all(|t| !matches!(t, Tok::Exp(_) | Tok::Point));
    simple.then_some(Kind::Scientific {
        decimals: frac.len() as u32,
        exponent,
        plus,
    })
}

/// `0.00`, `#,##0.##`, `0%`, `#,##0,` and the like.
fn digit_places(toks: &[Tok], percent: bool) -> Kind {
    // Text between two digit places splits the number it shows: `0\.0000"万元"` shows 123456
    // as 12.3456万元, and `0"."00` moves the point. Which number is meant jixiao cannot tell.
    let is_digit = |t: &Tok| matches!(t, Tok::Digit(_));
    if let (Some(first), Some(last)) = (
        toks.iter().position(is_digit),
        toks.iter().rposition(is_digit),
    ) && toks[first..last]
        .iter()
        .any(|t| matches!(t, Tok::Lit(text) if !text.trim().is_empty()))
    {
        return Kind::Unclear;
    }
    let point = toks.iter().position(|t| *t == Tok::Point);
    let (int, frac) = match point {
        Some(p) => (&toks[..p], &toks[p + 1..]),
        None => (toks, &[][..]),
    };
    // A comma after the last digit place of the integer part, or after the last decimal place,
    // divides by a thousand (`#,##0,` shows 1185.5 as 1; `0.0,,` shows millions); a comma
    // between digit places only groups them.
    let trailing = |part: &[Tok]| match part.iter().rposition(|t| matches!(t, Tok::Digit(_))) {
        Some(last) => part[last..].iter().filter(|t| **t == Tok::Comma).count(),
        None => 0,
    };
    let scale = (trailing(int) + trailing(frac)) as u32;
    let places: Vec<char> = frac
        .iter()
        .filter_map(|t| match t {
            Tok::Digit(d) => Some(*d),
            _ => None,
        })
        .collect();
    let decimals = places.len() as u32;
    // `#` and `?` places show a digit only when there is one: they do not pad to a fixed count
    // the way `0.00` does, but they round what they show all the same (999.456 in `0.##`
    // shows 999.46).
    let fixed = places.iter().all(|&d| d == '0').then_some(decimals);
    Kind::Digits {
        percent,
        scale,
        fixed,
        shows: Some(decimals),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(code: &str, v: &str) -> Option<Kind> {
        Code::parse(code)
            .kind_for(Decimal::from_str(v).unwrap())
            .cloned()
    }

    fn digits(percent: bool, scale: u32, fixed: Option<u32>, shows: u32) -> Option<Kind> {
        Some(Kind::Digits {
            percent,
            scale,
            fixed,
            shows: Some(shows),
        })
    }

    #[test]
    fn only_a_percent_token_makes_a_percentage() {
        for code in [
            "0%",
            "0.00%",
            "#,##0.0%",
            "[Red]0%",
            "0.00%_)",
            "0.00% ",
            "[Color10]0.0%;[Red]-0.0%",
            "0.00 %",
            "\"完成\"0%",
        ] {
            assert_eq!(
                Code::parse(code).percent_anyway(),
                Some(true),
                "{code} is a percentage"
            );
        }
        for code in [
            "0.00_%",
            "0.00*%",
            "0.00*% ",
            "0\"%\"",
            "0\\%",
            "0.00\"\\%\"",
            "[$%-804]0.00",
            "0‰",
            "0.00;-0.00;0.00;@\"%\"",
            "0.00;-0.00;0.00;@%",
            "_-* #,##0.00_-;-* #,##0.00_-;_-* \"-\"??_-;_-@_-",
            "General",
            "0.00\"万元\"",
        ] {
            assert_eq!(
                Code::parse(code).percent_anyway(),
                Some(false),
                "{code} is no percentage"
            );
        }
    }

    #[test]
    fn the_section_the_value_falls_in_decides() {
        assert_eq!(kind("0.00;-0.00%", "0.95"), digits(false, 0, Some(2), 2));
        assert_eq!(kind("0.00;-0.00%", "-0.95"), digits(true, 0, Some(2), 2));
        assert_eq!(kind("0.00;-0.00;0%", "0"), digits(true, 0, Some(0), 0));
        assert_eq!(kind("0.00;-0.00;0%", "0.95"), digits(false, 0, Some(2), 2));
        assert_eq!(kind("0%;0.00", "0"), digits(true, 0, Some(0), 0));
        assert_eq!(kind("[<1]0.00;0%", "0.95"), digits(false, 0, Some(2), 2));
        assert_eq!(kind("[<1]0.00;0%", "1.5"), digits(true, 0, Some(0), 0));
        assert_eq!(kind("[>=1]0%;0.00", "0.95"), digits(false, 0, Some(2), 2));
        assert_eq!(
            kind("[>100]\"满\";0.00", "118.5"),
            Some(Kind::Literal("满".into()))
        );
        assert_eq!(
            kind("[>100]\"满\";0.00", "50"),
            digits(false, 0, Some(2), 2)
        );
        assert_eq!(
            kind("[>100]0;[<-100]0.0;0.00", "5"),
            digits(false, 0, Some(2), 2)
        );
        assert_eq!(
            kind("[>100]0;[<-100]0.0;0.00", "-500"),
            digits(false, 0, Some(1), 1)
        );
        // Conditions jixiao is not sure how Excel applies: no section.
        assert_eq!(kind("[>100]0%;0;0.00", "5"), None);
        assert_eq!(kind("0;[>100]0%", "5"), None);
        assert_eq!(Code::parse("0;[>100]0%").percent_anyway(), None);
        assert_eq!(Code::parse("[>100]0;0;0.00").percent_anyway(), Some(false));
    }

    #[test]
    fn literals_padding_and_fills_are_not_digits() {
        assert_eq!(kind(";;;", "118.5"), Some(Kind::Literal(String::new())));
        assert_eq!(kind("0;;", "-3"), Some(Kind::Literal(String::new())));
        assert_eq!(kind("\"满\"", "1"), Some(Kind::Literal("满".into())));
        assert_eq!(kind("0.00_0", "1"), digits(false, 0, Some(2), 2));
        assert_eq!(kind("0.00*0", "1"), digits(false, 0, Some(2), 2));
        // Text between digit places splits the number shown: which one is meant is unclear.
        assert_eq!(kind("0\\.00", "1"), Some(Kind::Unclear));
        assert_eq!(kind("0\".\"00", "1"), Some(Kind::Unclear));
        assert_eq!(kind("0!.0000\"万元\"", "1"), Some(Kind::Unclear));
        assert_eq!(kind("0\\.0000\"万元\"", "1"), Some(Kind::Unclear));
        // A space between them only spaces the digits out.
        assert_eq!(kind("# ##0", "1"), digits(false, 0, Some(0), 0));
        // `!x` escapes as `\x` does: `0.00!%` is no percentage.
        assert_eq!(kind("0.00!%", "1"), digits(false, 0, Some(2), 2));
        assert_eq!(
            kind("#,##0.00_);(#,##0.00)", "1"),
            digits(false, 0, Some(2), 2)
        );
        assert_eq!(kind("0.##", "1"), digits(false, 0, None, 2));
        assert_eq!(kind("0.0\"万元\"", "1"), digits(false, 0, Some(1), 1));
        assert_eq!(kind("\"E+\"0", "1"), digits(false, 0, Some(0), 0));
        assert_eq!(kind("\"General\"0.0", "1"), digits(false, 0, Some(1), 1));
    }

    #[test]
    fn a_trailing_comma_divides_by_a_thousand() {
        assert_eq!(kind("#,##0", "1"), digits(false, 0, Some(0), 0));
        assert_eq!(kind("#,##0,", "1"), digits(false, 1, Some(0), 0));
        assert_eq!(kind("#,##0.0,,", "1"), digits(false, 2, Some(1), 1));
        assert_eq!(kind("0,\"千\"", "1"), digits(false, 1, Some(0), 0));
        assert_eq!(kind("#,##0_,", "1"), digits(false, 0, Some(0), 0));
        assert_eq!(kind("#,##0\\,", "1"), digits(false, 0, Some(0), 0));
        assert_eq!(kind("#,##0\",\"", "1"), digits(false, 0, Some(0), 0));
        assert_eq!(kind("#,##0*,", "1"), digits(false, 0, Some(0), 0));
    }

    #[test]
    fn scientific_dates_and_the_unclear() {
        assert_eq!(
            kind("0.00E+00", "118.5"),
            Some(Kind::Scientific {
                decimals: 2,
                exponent: 2,
                plus: true
            })
        );
        assert_eq!(
            kind("##0.0E+0", "118.5"),
            Some(Kind::Other { percent: false })
        );
        assert_eq!(
            kind("yyyy-mm-dd", "1"),
            Some(Kind::Other { percent: false })
        );
        assert_eq!(kind("[h]:mm", "1"), Some(Kind::Other { percent: false }));
        assert_eq!(kind("# ?/?", "1"), Some(Kind::Other { percent: false }));
        assert_eq!(kind("[DBNum1]0%", "1"), Some(Kind::Other { percent: true }));
        assert_eq!(kind("0%%", "1"), Some(Kind::Unclear));
        assert_eq!(kind("0.00E+00%", "1"), Some(Kind::Unclear));
        assert_eq!(kind("@", "1"), Some(Kind::General));
        assert!(Code::parse("General").is_general());
        assert!(Code::parse("").is_general());
        assert!(!Code::parse("0").is_general());
        // Unclosed quotes and brackets: nothing is sure, but no `%` is no percentage.
        assert_eq!(kind("0\"%", "1"), None);
        assert_eq!(Code::parse("0\"%").percent_anyway(), None);
        assert_eq!(Code::parse("0.00\"x").percent_anyway(), Some(false));
        assert_eq!(Code::parse("[>abc]0").percent_anyway(), Some(false));
        assert_eq!(Code::parse("0.00\\").percent_anyway(), Some(false));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Pieces of a format code that carry a `%` only as text, and pieces with none.
    fn literal_percent() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("_%".to_string()),
            Just("*%".to_string()),
            Just("\\%".to_string()),
            Just("\"%\"".to_string()),
            Just("\"完成%\"".to_string()),
            Just("[$%-804]".to_string()),
        ]
    }

    fn plain_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("0".to_string()),
            Just("0.00".to_string()),
            Just("#,##0".to_string()),
            Just("#,##0.0#".to_string()),
            Just("_)".to_string()),
            Just("_-".to_string()),
            Just("* ".to_string()),
            Just("[Red]".to_string()),
            Just("\"万元\"".to_string()),
            Just(" ".to_string()),
            Just("\\-".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// However a literal `%` is written among digit places, the code is no percentage;
        /// a real `%` token added to every section makes it one (or, where text splits the
        /// digit places, unclear: an error, never a plain number).
        #[test]
        fn a_literal_percent_never_scales(
            sections in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![literal_percent(), plain_piece()], 1..6),
                1..4),
            v in -1e6f64..1e6,
        ) {
            let code: Vec<String> = sections.iter().map(|s| format!("0{}", s.concat())).collect();
            let text = code.join(";");
            let parsed = Code::parse(&text);
            // Never a percentage; unclear (an error) where text splits the digit places.
            prop_assert_ne!(parsed.percent_anyway(), Some(true), "{}", text);
            let d = Decimal::from_f64_retain(v).unwrap_or_default();
            prop_assert_ne!(parsed.kind_for(d).and_then(Kind::percent), Some(true), "{}", text);
            let with: Vec<String> = code.iter().map(|s| format!("{s}%")).collect();
            let with = Code::parse(&with.join(";"));
            prop_assert_ne!(with.percent_anyway(), Some(false), "{}", text);
        }

        /// Any text at all reads as a code without a panic, and a code with no `%` character
        /// is never a percentage (unclear, at most, where text splits its digit places).
        #[test]
        fn any_code_reads(text in "[0#?.,%;_*\"\\\\\\[\\]<>=@EeGgenral $年万元-]{0,24}", v in -1e9f64..1e9) {
            let parsed = Code::parse(&text);
            let d = Decimal::from_f64_retain(v).unwrap_or_default();
            let kind = parsed.kind_for(d).cloned();
            let anyway = parsed.percent_anyway();
            if !text.contains('%') {
                prop_assert_ne!(anyway, Some(true), "{}", text);
                prop_assert!(kind.and_then(|k| k.percent()) != Some(true), "{}", text);
            }
        }
    }
}
