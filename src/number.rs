//! Decimal helpers shared by the data reader, the evaluator and the printers: reading a number
//! as people write it (exactly, or not at all), the three rounding modes, and how a decimal is
//! shown (exactly in JSON, shortened with "…" in the text trace).

use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::RoundMode;

/// Why a number written in data cannot be read. Each says what is wrong and how to write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WrittenNumberError {
    /// A comma that is not a thousands separator between groups of three digits before the
    /// decimal point: `3156,9`, `3,1,5,6.9`, `3,9`. Reading it either way would be a guess.
    /// `decimal_reading` is the number read with the comma as a decimal point (`3156.9`), when
    /// that is the likely meaning: one comma and no decimal point.
    Grouping {
        text: String,
        decimal_reading: Option<String>,
    },
    /// Not a decimal at all: `3.1.5`, `.5`, `1e`, `--2`.
    Malformed { text: String },
    /// More significant digits than an exact decimal holds (28).
    TooLong { text: String },
}

impl WrittenNumberError {
    /// The problem, in one line.
    pub fn message(&self) -> String {
        match self {
            WrittenNumberError::Grouping { text, .. } => format!(
                "the comma in `{text}` is not a thousands separator between groups of three digits"
            ),
            WrittenNumberError::Malformed { text } => {
                format!("`{text}` is not a decimal number")
            }
            WrittenNumberError::TooLong { text } => {
                format!(
                    "`{text}` has more than the 28 significant digits a number can hold exactly"
                )
            }
        }
    }

    /// How to write it so that it reads.
    pub fn help(&self) -> String {
        match self {
            WrittenNumberError::Grouping {
                decimal_reading: Some(decimal),
                ..
            } => format!(
                "if the comma is a decimal point, write `{decimal}`; a thousands separator stands only between groups of three digits, as in `3,156.9`"
            ),
            WrittenNumberError::Grouping {
                decimal_reading: None,
                ..
            } => "a thousands separator stands only between groups of three digits before the decimal point, as in `3,156.9`; write the number again without the stray commas, as it is meant".into(),
            WrittenNumberError::Malformed { text } if text.chars().any(is_full_width) => {
                "the digits or signs are full-width; type them with the input method in English mode (3151.09, not ３１５１．０９)".into()
            }
            WrittenNumberError::Malformed { .. } => {
                "write digits with at most one decimal point, for example 3151.09 or 3,156.9".into()
            }
            WrittenNumberError::TooLong { .. } => {
                "write a decimal with at most 28 significant digits, for example 3151.09".into()
            }
        }
    }
}

impl WrittenNumberError {
    /// [`WrittenNumberError::message`] in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            WrittenNumberError::Grouping { text, .. } => {
                format!("`{text}` 中的逗号不是三位一组的千位分隔符")
            }
            WrittenNumberError::Malformed { text } => format!("`{text}` 不是一个十进制数"),
            WrittenNumberError::TooLong { text } => {
                format!("`{text}` 的有效数字超过 28 位，无法精确表示")
            }
        }
    }

    /// [`WrittenNumberError::help`] in Chinese.
    pub fn help_zh(&self) -> String {
        match self {
            WrittenNumberError::Grouping {
                decimal_reading: Some(decimal),
                ..
            } => format!(
                "如果逗号是小数点，请写成 `{decimal}`；千位分隔符只能写在三位一组的数字之间，例如 `3,156.9`"
            ),
            WrittenNumberError::Grouping {
                decimal_reading: None,
                ..
            } => "千位分隔符只能写在小数点前三位一组的数字之间，例如 `3,156.9`；请按本意重写这个数，去掉多余的逗号".into(),
            WrittenNumberError::Malformed { text } if text.chars().any(is_full_width) => {
                "数字或符号是全角的；请把输入法切换到英文状态再输入（3151.09，而不是 ３１５１．０９）".into()
            }
            WrittenNumberError::Malformed { .. } => {
                "写数字时最多只有一个小数点，例如 3151.09 或 3,156.9".into()
            }
            WrittenNumberError::TooLong { .. } => {
                "有效数字最多 28 位，例如 3151.09".into()
            }
        }
    }
}

/// Full-width digits, point and signs, as a Chinese input method types them.
fn is_full_width(c: char) -> bool {
    ('０'..='９').contains(&c) || matches!(c, '．' | '－' | '＋' | '％')
}

/// Whether `c` separates thousands as people type it: the ASCII comma or the full-width one.
fn is_group_separator(c: char) -> bool {
    c == ',' || c == '，'
}

/// Whether `c` belongs to a number as written in data: digits, the decimal point, separators.
pub fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || is_group_separator(c)
}

/// Reads a number as people write it in forms and data files, exactly: `3151.09`, `-2`,
/// `3,156.9`, `1，350`, `2.5e3`. A thousands separator (`,` or `，`) is accepted only between
/// groups of three digits before the decimal point, all of one kind; any other comma is an
/// error, since `3156,9` may be a decimal comma (3156.9) or a slip for 31569, and jixiao does
/// not guess.
#[inline]
pub fn parse_written(text: &str) -> Result<Decimal, WrittenNumberError> {
    // The commonest number, read where it is asked for; the rest out of line.
    match plain_digits(text) {
        Some(value) => Ok(value),
        None => parse_written_long(text),
    }
}

/// [`parse_written`] of a number that is not plain digits.
fn parse_written_long(text: &str) -> Result<Decimal, WrittenNumberError> {
    let t = text.trim();
    let malformed = || WrittenNumberError::Malformed {
        text: t.to_string(),
    };
    // `+5` (TOML allows it) is 5; the sign is kept apart so the digits can be checked alone.
    let (negative, unsigned) = match (t.strip_prefix('-'), t.strip_prefix('+')) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        (None, None) => (false, t),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if frac.is_some_and(|f| f.contains(is_group_separator)) {
        return Err(grouping(t, int, frac));
    }
    // The common case, plain digits with at most a point and a minus sign: read as written,
    // without copying it first.
    if exponent.is_none() && !t.starts_with('+') && digits(int) && frac.is_none_or(digits) {
        return Decimal::from_str_exact(t).map_err(|_| WrittenNumberError::TooLong {
            text: t.to_string(),
        });
    }
    let plain_int: String = if int.contains(is_group_separator) {
        if exponent.is_some() || !grouped_by_thousands(int) {
            return Err(grouping(t, int, frac));
        }
        int.chars().filter(|c| !is_group_separator(*c)).collect()
    } else {
        int.to_string()
    };
    if !digits(&plain_int) || frac.is_some_and(|f| !digits(f)) {
        return Err(malformed());
    }
    let sign = if negative { "-" } else { "" };
    let plain = match frac {
        Some(f) => format!("{sign}{plain_int}.{f}"),
        None => format!("{sign}{plain_int}"),
    };
    let too_long = || WrittenNumberError::TooLong {
        text: t.to_string(),
    };
    let value = Decimal::from_str_exact(&plain).map_err(|_| too_long())?;
    let Some(e) = exponent else {
        return Ok(value);
    };
    // `1.5e3`: the digits read exactly, then moved by the exponent exactly, or not at all
    // (`Decimal::from_scientific` rounds digits past the 28th).
    let e_digits = e.strip_prefix(['-', '+']).unwrap_or(e);
    if !digits(e_digits) {
        return Err(malformed());
    }
    let shift: u32 = e_digits.parse().map_err(|_| too_long())?;
    if e.starts_with('-') {
        let scale = value.scale().checked_add(shift).filter(|s| *s <= 28);
        let mut moved = value;
        moved
            .set_scale(scale.ok_or_else(too_long)?)
            .map_err(|_| too_long())?;
        Ok(moved)
    } else {
        // `3.15109e3` is 3151.09: the point moves right through the written decimals first.
        let mut moved = value;
        moved
            .set_scale(value.scale().saturating_sub(shift))
            .map_err(|_| too_long())?;
        let rest = shift.saturating_sub(value.scale());
        (0..rest).try_fold(moved, |v, _| {
            v.checked_mul(Decimal::TEN).ok_or_else(too_long)
        })
    }
}

/// The commonest number of a data file, `3151.09` or `4`: ASCII digits, at most one point
/// with digits on both sides, nothing else, and at most 18 digits (so that they fit a `u64`).
/// Read digit by digit into the same decimal `Decimal::from_str_exact` makes of it (the same
/// digits and scale; a test holds the two together), which is all [`parse_written`] would do
/// with it after its checks, each of which it passes.
#[inline]
pub(crate) fn plain_digits(text: &str) -> Option<Decimal> {
    match leading_digits(text.as_bytes()) {
        Some((value, read)) if read == text.len() => Some(value),
        Some(_) | None => None,
    }
}

/// The number at the start of `bytes` that [`plain_digits`] would read, and how many bytes it
/// takes: digits, at most one point with a digit on each side, at most 18 digits. `None` when
/// the bytes start otherwise, or a second point follows.
#[inline]
pub(crate) fn leading_digits(bytes: &[u8]) -> Option<(Decimal, usize)> {
    // Two runs of digits, each in a loop of its own (a batch reads two hundred numbers a
    // department); the mantissa may wrap on a long run, which the count of digits then refuses.
    let run = |mut mantissa: u64, mut at: usize| {
        while let Some(d) = bytes
            .get(at)
            .map(|b| b.wrapping_sub(b'0'))
            .filter(|d| *d < 10)
        {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
            at += 1;
        }
        (mantissa, at)
    };
    let (mantissa, int) = run(0, 0);
    if int == 0 {
        return None;
    }
    let (mantissa, read) = match bytes.get(int) {
        Some(b'.') => run(mantissa, int + 1),
        _ => (mantissa, int),
    };
    // A point needs a digit after it, and a second point is refused, not read up to.
    let scale = read.saturating_sub(int + 1);
    if (read > int && scale == 0) || bytes.get(read) == Some(&b'.') {
        return None;
    }
    // At most 18 digits: the scale is at most 17, and the mantissa fits the low 64 bits.
    if int + scale > 18 {
        return None;
    }
    let (low, middle) = (mantissa as u32, (mantissa >> 32) as u32);
    Some((
        Decimal::from_parts(low, middle, 0, false, scale as u32),
        read,
    ))
}

/// `3,156` and `1，234，567`: one to three digits, then groups of exactly three, one kind of
/// separator throughout.
fn grouped_by_thousands(int: &str) -> bool {
    let kinds: Vec<char> = int.chars().filter(|c| is_group_separator(*c)).collect();
    if kinds.windows(2).any(|w| w[0] != w[1]) {
        return false;
    }
    let mut groups = int.split(is_group_separator);
    // `0,500` is a decimal comma (0.5), never five hundred.
    let first_ok = groups.next().is_some_and(|g| {
        (1..=3).contains(&g.len()) && !g.starts_with('0') && g.bytes().all(|b| b.is_ascii_digit())
    });
    first_ok && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// The error for a misplaced comma, with the reading to suggest: a lone comma followed by fewer
/// or more than three digits and no decimal point is most likely a decimal comma (`3156,9` for
/// 3156.9).
fn grouping(text: &str, int: &str, frac: Option<&str>) -> WrittenNumberError {
    let seps = int.chars().filter(|c| is_group_separator(*c)).count();
    let decimal_reading = match (seps, frac) {
        (1, None) => {
            let decimal: String = int
                .chars()
                .map(|c| if is_group_separator(c) { '.' } else { c })
                .collect();
            let sign = if text.starts_with('-') { "-" } else { "" };
            Some(format!("{sign}{decimal}"))
        }
        _ => None,
    };
    WrittenNumberError::Grouping {
        text: text.to_string(),
        decimal_reading,
    }
}

/// The most decimal places a rounding may keep (in the header and in `round(…)`): a decimal
/// holds 28 significant digits, and no score table needs more than a few.
pub const MAX_ROUND_DIGITS: u32 = 10;

/// Significant digits a value keeps before it is rounded to its declared decimals: three
/// fewer than a decimal holds (28), which absorbs the rounding of a 28-digit quotient.
const SETTLED_DIGITS: u32 = 25;

/// Decimal places a value keeps before it is rounded: three fewer than a decimal holds (28). A
/// small quotient has fewer than 28 significant digits (0.20 ÷ 2940 is 0.0000680272…5986, 24
/// digits at 28 places), so its hair is a matter of places, not of digits.
const SETTLED_PLACES: u32 = 25;

/// Rounds to `digits` decimals with the declared mode. 四舍五入 rounds a half away from zero,
/// as published tables do.
///
/// Division is exact only to 28 significant digits, so a quotient carried into a product can
/// land a hair off the value it stands for: 0.05 ÷ 70 × 7 computes to 0.0049999…9 (28 digits)
/// where the exact value is the half cent 0.005, and 1 ÷ 3 × 3 to 0.9999…9 where it is 1.
/// Rounding that hair to the cent would give 0.00 (not 0.01) and, truncating, 0.99 (not 1).
/// The value is therefore first settled to 25 significant digits and 25 decimal places,
/// whichever is coarser (half even), which puts such a hair back on the value it missed, and
/// only then rounded as declared: 0.20 ÷ 2940 × 73.5 computes to 0.00499…971 (a quotient
/// of 24 digits) and settles on 0.005. A value that truly differs from a half or a whole cent
/// differs by far more than that when its inputs are amounts in cents (`tests/properties.rs`
/// checks round(a ÷ b × points) against the exact fraction).
#[inline]
pub fn round(value: Decimal, mode: RoundMode, digits: u32) -> Decimal {
    // Already within the digits: nothing to round (the common case, checked cheaply).
    if value.scale() <= digits {
        return value;
    }
    round_dp(settle(value), digits, mode)
}

/// rust_decimal's name for a rounding mode.
fn strategy(mode: RoundMode) -> RoundingStrategy {
    match mode {
        RoundMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        RoundMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        RoundMode::Truncate => RoundingStrategy::ToZero,
    }
}

/// What `value.round_dp_with_strategy(dp, strategy(mode))` gives, to the bit (digits, scale and
/// sign alike), for the three modes the rules use, with one division of the 96-bit mantissa by
/// a power of ten: rust_decimal divides by ten nine digits at a time, twice, and builds the
/// half by multiplying five by ten once for each digit dropped (three hundred instructions for
/// a quotient rounded to the cent, once for every target missed). A test holds the two together.
fn round_dp(value: Decimal, dp: u32, mode: RoundMode) -> Decimal {
    let scale = value.scale();
    if scale <= dp {
        return value;
    }
    let mantissa = value.mantissa().unsigned_abs();
    let negative = value.is_sign_negative();
    // A scale is at most 28, so the power fits in 128 bits.
    let power = POWERS_OF_TEN[(scale - dp) as usize];
    let whole = mantissa / power;
    let rest = mantissa - whole * power;
    let half = power / 2;
    let up = match mode {
        RoundMode::HalfUp => rest >= half,
        RoundMode::HalfEven => rest > half || (rest == half && whole & 1 == 1),
        RoundMode::Truncate => false,
    };
    // Zero keeps its sign where rust_decimal keeps it (a zero rounded), and loses it where
    // rust_decimal builds the result from its parts (anything else rounded to zero).
    if mantissa == 0 {
        return value.round_dp_with_strategy(dp, strategy(mode));
    }
    let rounded = whole + u128::from(up);
    // Below the 96-bit mantissa: `whole` is at most a tenth of it, plus one.
    Decimal::from_parts(
        rounded as u32,
        (rounded >> 32) as u32,
        (rounded >> 64) as u32,
        negative && rounded != 0,
        dp,
    )
}

/// `value` to [`SETTLED_DIGITS`] significant digits and [`SETTLED_PLACES`] decimal places,
/// whichever is coarser, half to even: a value within both is already settled. To digits, what
/// `round_sf_with_strategy` does, without its count of the digits by
/// dividing by ten once for each (a thousand instructions for a quotient of 28 digits, the
/// larger part of scoring a target missed): the digits are counted by `ilog10`, and a value
/// with digits to spare after the point is rounded at the place `round_sf_with_strategy` itself
/// rounds it at (a test holds the two together).
fn settle(value: Decimal) -> Decimal {
    let mantissa = value.mantissa().unsigned_abs();
    let places = value.scale().saturating_sub(SETTLED_PLACES);
    if mantissa < 10u128.pow(SETTLED_DIGITS) && places == 0 {
        return value;
    }
    let digits = match mantissa {
        0 => 0,
        m => (m.ilog10() + 1).saturating_sub(SETTLED_DIGITS),
    };
    let excess = digits.max(places);
    if excess <= value.scale() {
        round_dp(value, value.scale() - excess, RoundMode::HalfEven)
    } else {
        value
            .round_sf_with_strategy(SETTLED_DIGITS, RoundingStrategy::MidpointNearestEven)
            .unwrap_or(value)
    }
}

/// The powers of ten a decimal's scale can take, 10⁰ to 10²⁸.
const POWERS_OF_TEN: [u128; 29] = {
    let mut powers = [1u128; 29];
    let mut i = 1;
    while i < 29 {
        powers[i] = powers[i - 1] * 10;
        i += 1;
    }
    powers
};

/// How `a` compares with `b`, as `Ord` says, without leaving the caller for the common case:
/// two values of the same sign whose mantissas can be put over the same scale in 128 bits
/// (a target and its actual value, a score and its points). rust_decimal's comparison is a
/// call that rescales through its 96-bit buffers, a tenth of scoring a department.
#[inline]
pub fn cmp(a: Decimal, b: Decimal) -> std::cmp::Ordering {
    let (sa, sb) = (a.scale(), b.scale());
    if !a.is_sign_negative() && !b.is_sign_negative() {
        let (ma, mb) = (a.mantissa().unsigned_abs(), b.mantissa().unsigned_abs());
        // A mantissa is below 2⁹⁶ and a power at most 10²⁸ (below 2⁹⁴): the product may not
        // fit, and is then left to rust_decimal.
        let over = |m: u128, by: u32| m.checked_mul(POWERS_OF_TEN[by as usize]);
        let aligned = match sa.cmp(&sb) {
            std::cmp::Ordering::Equal => Some((ma, mb)),
            std::cmp::Ordering::Less => over(ma, sb - sa).map(|ma| (ma, mb)),
            std::cmp::Ordering::Greater => over(mb, sa - sb).map(|mb| (ma, mb)),
        };
        if let Some((ma, mb)) = aligned {
            return ma.cmp(&mb);
        }
    }
    a.cmp(&b)
}

/// The exact value without trailing zeros: `90.00` → `90`, `9.980` → `9.98`.
pub fn exact(value: Decimal) -> String {
    if value.is_zero() {
        return "0".into();
    }
    value.normalize().to_string()
}

/// Significant digits shown before a long decimal is cut with "…".
const SHOWN_DIGITS: usize = 7;

/// The value for a person to read: exact when short, otherwise cut (never rounded) to seven
/// significant digits followed by "…", so every digit printed is a true digit of the value.
pub fn short(value: Decimal) -> String {
    let text = exact(value);
    let Some(dot) = text.find('.') else {
        return text;
    };
    let (int, frac) = (&text[..dot], &text[dot + 1..]);
    let int_digits = int.trim_start_matches('-').trim_start_matches('0').len();
    let keep = if int_digits > 0 {
        SHOWN_DIGITS.saturating_sub(int_digits).max(2)
    } else {
        frac.len() - frac.trim_start_matches('0').len() + SHOWN_DIGITS
    };
    if frac.len() <= keep {
        text
    } else {
        format!("{int}.{}…", &frac[..keep])
    }
}

/// A points or score column: at least `min_dp` decimals, cut like `short` when long.
pub fn column(value: Decimal, min_dp: u32) -> String {
    let norm = value.normalize();
    // At `min_dp` places or fewer, `short` would keep every digit: written at once.
    if norm.scale() <= min_dp {
        fixed(norm, min_dp).unwrap_or_else(|| fixed_by_display(norm, min_dp))
    } else {
        short(value)
    }
}

/// `value`, of at most `places` places, written with exactly `places`, digit by digit: what
/// [`fixed_by_display`] writes (a test holds them together), without formatting machinery; a
/// batch writes two a department. `None` for zero (whose sign `Display` keeps) and for a
/// number of more than 19 digits, which that writes.
fn fixed(value: Decimal, places: u32) -> Option<String> {
    let unscaled = value.mantissa().unsigned_abs();
    let shift = 10u128.checked_pow(places.checked_sub(value.scale())?)?;
    let mut rest = u64::try_from(unscaled.checked_mul(shift)?).ok()?;
    if rest == 0 {
        return None;
    }
    // The digits from the last, at least one before the point.
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let places = places as usize;
    while rest > 0 || digits.len() - at <= places {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let digits = &digits[at..];
    let (int, frac) = digits.split_at(digits.len() - places);
    let mut out = String::with_capacity(digits.len() + 2);
    if value.is_sign_negative() {
        out.push('-');
    }
    // ASCII digits only.
    out.extend(int.iter().map(|&d| char::from(d)));
    if !frac.is_empty() {
        out.push('.');
        out.extend(frac.iter().map(|&d| char::from(d)));
    }
    Some(out)
}

/// `value` rescaled to `places` and written by `Decimal`'s `Display`.
fn fixed_by_display(value: Decimal, places: u32) -> String {
    let mut v = value;
    v.rescale(places);
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4000, ..Default::default() })]

        /// The digit-by-digit reading of plain numbers gives what the exact parser gives, to
        /// the bit (digits and scale alike), and refuses nothing the checks would let through
        /// to it unchanged.
        #[test]
        fn plain_digits_are_read_as_the_exact_parser_reads_them(
            text in "[0-9.]{1,21}|[0-9]{0,12}\\.?[0-9]{0,12}|[-+ 0-9.,eE]{1,8}",
        ) {
            if let Some(fast) = plain_digits(&text) {
                let exact = Decimal::from_str_exact(&text);
                proptest::prop_assert!(exact.is_ok(), "{text:?}");
                let exact = exact.unwrap_or_default();
                proptest::prop_assert_eq!(fast.serialize(), exact.serialize(), "{:?}", text);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4000, ..Default::default() })]

        /// Settling counts digits by `ilog10` and gives what `round_sf_with_strategy` gives, or
        /// rounding to 25 places where that is coarser.
        #[test]
        fn settling_is_rounding_to_significant_digits_or_places(
            lo in proptest::prelude::any::<u32>(),
            mid in proptest::prelude::any::<u32>(),
            hi in 0u32..u32::MAX,
            negative in proptest::prelude::any::<bool>(),
            scale in 0u32..=28,
            small in proptest::prelude::any::<bool>(),
        ) {
            // Half the cases near the limit of 25 digits, where the count matters most.
            let hi = if small { hi % 600_000 } else { hi };
            let value = Decimal::from_parts(lo, mid, hi, negative, scale);
            let sf = if value.mantissa().unsigned_abs() < 10u128.pow(SETTLED_DIGITS) {
                value
            } else {
                value
                    .round_sf_with_strategy(SETTLED_DIGITS, RoundingStrategy::MidpointNearestEven)
                    .unwrap_or(value)
            };
            // Then to places: rounding at the coarser of two places is rounding once there,
            // as the first rounding (at the finer place) cannot create a tie at the coarser.
            let settled = match value.scale() > SETTLED_PLACES && sf.scale() > SETTLED_PLACES {
                true => value.round_dp_with_strategy(SETTLED_PLACES, RoundingStrategy::MidpointNearestEven),
                false => sf,
            };
            proptest::prop_assert_eq!(settle(value).serialize(), settled.serialize(), "{}", value);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 20000, ..Default::default() })]

        /// The one-division rounding gives what rust_decimal's rounding gives, to the bit.
        #[test]
        fn rounding_to_places_is_rust_decimals(
            lo in proptest::prelude::any::<u32>(),
            mid in proptest::prelude::any::<u32>(),
            hi in proptest::prelude::any::<u32>(),
            negative in proptest::prelude::any::<bool>(),
            scale in 0u32..=28,
            dp in 0u32..=28,
            shape in 0u8..6,
            strategy in 0u8..3,
        ) {
            // Besides any mantissa: small ones, zero, and exact halves and near-halves at the
            // place rounded to, where the strategies differ.
            let value = Decimal::from_parts(lo, mid, hi, negative, scale);
            let drop = scale.saturating_sub(dp);
            let value = match shape {
                0 => value,
                1 => Decimal::from_parts(lo % 1000, 0, 0, negative, scale),
                2 => Decimal::from_parts(0, 0, 0, negative, scale),
                3..=5 if drop > 0 && drop < 27 => {
                    let half = 5 * 10u128.pow(drop - 1);
                    let base = u128::from(lo % 100_000) * 10u128.pow(drop);
                    let m = match shape {
                        3 => base + half,
                        4 => base + half - 1,
                        _ => base + half + 1,
                    };
                    let m = if negative { -(m as i128) } else { m as i128 };
                    Decimal::try_from_i128_with_scale(m, scale).unwrap_or(value)
                }
                _ => value,
            };
            let mode = [RoundMode::HalfUp, RoundMode::HalfEven, RoundMode::Truncate]
                [usize::from(strategy)];
            let ours = round_dp(value, dp, mode);
            let theirs = value.round_dp_with_strategy(dp, super::strategy(mode));
            proptest::prop_assert_eq!(ours.serialize(), theirs.serialize(), "{} at {} {:?}", value, dp, mode);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 20000, ..Default::default() })]

        /// The inline comparison orders as rust_decimal orders.
        #[test]
        fn comparing_is_rust_decimals(
            a in (proptest::prelude::any::<[u32; 3]>(), proptest::prelude::any::<bool>(), 0u32..=28),
            b in (proptest::prelude::any::<[u32; 3]>(), proptest::prelude::any::<bool>(), 0u32..=28),
            small in 0u8..4,
        ) {
            // Besides any two values: small mantissas (often equal in value at other scales),
            // and zeros of either sign.
            let make = |(m, negative, scale): ([u32; 3], bool, u32)| match small {
                0 => Decimal::from_parts(m[0], m[1], m[2], negative, scale),
                1 => Decimal::from_parts(m[0] % 50 * 10u32.pow(scale % 4), 0, 0, negative, scale % 6),
                2 => Decimal::from_parts(m[0] % 3, 0, 0, negative, scale % 3),
                _ => Decimal::from_parts(m[0], m[1] % 4, 0, negative, scale),
            };
            let (a, b) = (make(a), make(b));
            proptest::prop_assert_eq!(cmp(a, b), a.cmp(&b), "{} {}", a, b);
        }
    }

    #[test]
    fn a_small_quotient_settles_by_places() {
        // 0.20 ÷ 2940 has 24 significant digits at 28 places; times 73.5 it is a hair below the
        // half cent it stands for (exactly 0.005), which once rounded half up to 0.00.
        let v = d("0.20") / d("2940.00") * d("73.5");
        assert!(v < d("0.005"), "{v}");
        assert_eq!(round(v, RoundMode::HalfUp, 2), d("0.01"));
        assert_eq!(round(v, RoundMode::Truncate, 3), d("0.005"));
        assert_eq!(
            round(d("1") / d("30000") * d("150"), RoundMode::HalfUp, 2),
            d("0.01")
        );
    }

    #[test]
    fn settling_breaks_ties_to_even() {
        let sf = |v: Decimal| {
            v.round_sf_with_strategy(SETTLED_DIGITS, RoundingStrategy::MidpointNearestEven)
                .unwrap_or(v)
        };
        // 26 digits: the 26th a tie, after an even and after an odd digit; 29 digits with a
        // tie of three; and digits before the point past the 25th.
        for text in [
            "123456.78901234567890123445",
            "123456.78901234567890123455",
            "-123456.78901234567890123445",
            "1234.5678901234567890123445500",
            "12345678901234567890123456789",
            "1234567890123456789012345678.9",
        ] {
            let v = d(text);
            assert_eq!(settle(v).serialize(), sf(v).serialize(), "{text}");
        }
        assert_eq!(
            settle(d("123456.78901234567890123445")),
            d("123456.7890123456789012344")
        );
    }

    proptest::proptest! {
        /// A column of at most `min_dp` places is written as `short` would cut it: whole.
        #[test]
        fn a_short_column_is_written_as_short_writes_it(
            mantissa in -10_000_000i64..10_000_000,
            scale in 0u32..=4,
            min_dp in 0u32..=3,
        ) {
            let value = Decimal::new(mantissa, scale);
            let norm = value.normalize();
            let by_short = match norm.scale() < min_dp {
                true => column(value, min_dp),
                false => short(value),
            };
            proptest::prop_assert_eq!(column(value, min_dp), by_short);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 20000, ..Default::default() })]

        /// Written digit by digit, a number is what `Display` writes of it rescaled: any sign,
        /// zero, long and short mantissas, more places than it has or as many.
        #[test]
        fn a_fixed_column_is_written_as_display_writes_it(
            mantissa in proptest::prop_oneof![
                -1_000i128..1_000,
                -10_000_000_000i128..10_000_000_000,
                -(1i128 << 95)..(1i128 << 95),
            ],
            scale in 0u32..=8,
            extra in 0u32..=4,
        ) {
            let value = Decimal::from_i128_with_scale(mantissa, scale);
            let places = scale + extra;
            match fixed(value, places) {
                Some(fixed) => proptest::prop_assert_eq!(fixed, fixed_by_display(value, places)),
                // Only zero and the longest numbers are left to `Display`.
                None => proptest::prop_assert!(mantissa == 0 || mantissa.abs() >= 10_000_000_000),
            }
            proptest::prop_assert!(fixed(value, scale.saturating_sub(1)).is_none() || scale == 0);
        }
    }

    #[test]
    fn plain_digits_are_only_the_plain_ones() {
        for yes in ["0", "4", "3151.09", "0.000", "007.50", "999999999999999999"] {
            assert!(plain_digits(yes).is_some(), "{yes}");
        }
        for no in [
            "",
            ".5",
            "5.",
            "1.2.3",
            "-1",
            "+1",
            " 1",
            "1e3",
            "3,156",
            "9999999999999999999",
        ] {
            assert!(plain_digits(no).is_none(), "{no}");
        }
    }

    #[test]
    fn rounding_modes_differ_only_where_they_should() {
        assert_eq!(round(d("9.985"), RoundMode::HalfUp, 2), d("9.99"));
        assert_eq!(round(d("9.985"), RoundMode::HalfEven, 2), d("9.98"));
        assert_eq!(round(d("9.989"), RoundMode::Truncate, 2), d("9.98"));
        assert_eq!(round(d("-0.125"), RoundMode::HalfUp, 2), d("-0.13"));
    }

    #[test]
    fn a_quotient_a_hair_off_a_cent_rounds_as_the_exact_value() {
        let hair_below_half = d("0.05") / d("70") * d("7");
        assert!(hair_below_half < d("0.005"));
        assert_eq!(round(hair_below_half, RoundMode::HalfUp, 2), d("0.01"));
        let hair_below_one = d("1") / d("3") * d("3");
        assert!(hair_below_one < d("1"));
        assert_eq!(round(hair_below_one, RoundMode::Truncate, 2), d("1"));
        // A value that truly stands below the half stays below it.
        assert_eq!(round(d("0.004999999"), RoundMode::HalfUp, 2), d("0"));
    }

    #[test]
    fn short_cuts_long_values_without_rounding() {
        let rate = d("3151.09") / d("3156.9");
        assert_eq!(short(rate), "0.9981595…");
        assert_eq!(short(rate * d("10")), "9.981595…");
        assert_eq!(short(d("3151.09")), "3151.09");
        assert_eq!(short(d("90.00")), "90");
        assert_eq!(short(d("0.000123456789")), "0.0001234567…");
        assert_eq!(short(d("123456.789")), "123456.78…");
    }

    #[test]
    fn written_numbers_read_exactly_with_thousands_separators() {
        for (text, value) in [
            ("3151.09", "3151.09"),
            ("3,156.9", "3156.9"),
            ("1，350", "1350"),
            ("1,234,567.5", "1234567.5"),
            ("-2", "-2"),
            ("0.91", "0.91"),
            ("2.5e3", "2500"),
            ("+5", "5"),
            ("1.5E-3", "0.0015"),
            ("12e0", "12"),
            (" 42 ", "42"),
        ] {
            assert_eq!(parse_written(text), Ok(d(value)), "{text}");
        }
    }

    #[test]
    fn commas_that_are_not_thousands_separators_are_errors() {
        for text in [
            "3156,9",
            "3,1,5,6.9",
            "3,9",
            "31,56.9",
            "3156.9,5",
            "1,234，567",
            ",123",
            "123,",
            "1,2345",
            "1,234e2",
        ] {
            assert!(
                matches!(
                    parse_written(text),
                    Err(WrittenNumberError::Grouping { .. })
                ),
                "{text}: {:?}",
                parse_written(text)
            );
        }
        let Err(e) = parse_written("3156,9") else {
            panic!()
        };
        assert!(e.help().contains("`3156.9`"), "{}", e.help());
    }

    #[test]
    fn malformed_and_overlong_numbers_are_errors() {
        for text in [
            "3.1.5", ".5", "5.", "", "-", "--2", "1e", "1e+", "1ee2", "4篇",
        ] {
            assert!(
                matches!(
                    parse_written(text),
                    Err(WrittenNumberError::Malformed { .. })
                ),
                "{text}"
            );
        }
        assert!(matches!(
            parse_written("1234567890123456789012345678901"),
            Err(WrittenNumberError::TooLong { .. })
        ));
        // Digits past the 28th are not rounded away behind an exponent either.
        for text in [
            "1.00000000000000000000000000015e0",
            "1e29",
            "1e-29",
            "5e99999999999",
        ] {
            assert!(
                matches!(parse_written(text), Err(WrittenNumberError::TooLong { .. })),
                "{text}: {:?}",
                parse_written(text)
            );
        }
        let Err(e) = parse_written("５") else {
            panic!()
        };
        assert!(e.help().contains("full-width"), "{}", e.help());
    }

    #[test]
    fn columns_show_two_decimals() {
        assert_eq!(column(d("10"), 2), "10.00");
        assert_eq!(column(d("9.98"), 2), "9.98");
        assert_eq!(column(d("4.5"), 2), "4.50");
    }
}
