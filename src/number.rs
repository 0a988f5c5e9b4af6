//! Decimal helpers shared by the evaluator and the printers: the three rounding modes, and
//! how a decimal is shown (exactly in JSON, shortened with "…" in the text trace).

use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::RoundMode;

/// The most decimal places a rounding may keep (in the header and in `round(…)`): a decimal
/// holds 28 significant digits, and no score table needs more than a few.
pub const MAX_ROUND_DIGITS: u32 = 10;

/// Significant digits a value keeps before it is rounded to its declared decimals: three
/// fewer than a decimal holds (28), which absorbs the rounding of a 28-digit quotient.
const SETTLED_DIGITS: u32 = 25;

/// Rounds to `digits` decimals with the declared mode. 四舍五入 rounds a half away from zero,
/// as published tables do.
///
/// Division is exact only to 28 significant digits, so a quotient carried into a product can
/// land a hair off the value it stands for: 0.05 ÷ 70 × 7 computes to 0.0049999…9 (28 digits)
/// where the exact value is the half cent 0.005, and 1 ÷ 3 × 3 to 0.9999…9 where it is 1.
/// Rounding that hair to the cent would give 0.00 (not 0.01) and, truncating, 0.99 (not 1).
/// The value is therefore first settled to 25 significant digits (half even), which puts such
/// a hair back on the value it missed, and only then rounded as declared. A value that truly
/// differs from a half or a whole cent differs by far more than 25 digits resolve when its
/// inputs are amounts in cents (`tests/properties.rs` checks round(a ÷ b × points) against
/// the exact fraction).
pub fn round(value: Decimal, mode: RoundMode, digits: u32) -> Decimal {
    let strategy = match mode {
        RoundMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        RoundMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        RoundMode::Truncate => RoundingStrategy::ToZero,
    };
    let settled = value
        .round_sf_with_strategy(SETTLED_DIGITS, RoundingStrategy::MidpointNearestEven)
        .unwrap_or(value);
    settled.round_dp_with_strategy(digits, strategy)
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

/// A points or score column: at least `min_dp` decimals, cut like [`short`] when long.
pub fn column(value: Decimal, min_dp: u32) -> String {
    let norm = value.normalize();
    if norm.scale() < min_dp {
        let mut v = norm;
        v.rescale(min_dp);
        v.to_string()
    } else {
        short(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
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
    fn columns_show_two_decimals() {
        assert_eq!(column(d("10"), 2), "10.00");
        assert_eq!(column(d("9.98"), 2), "9.98");
        assert_eq!(column(d("4.5"), 2), "4.50");
    }
}
