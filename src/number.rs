//! Decimal helpers shared by the evaluator and the printers: the three rounding modes, and
//! how a decimal is shown (exactly in JSON, shortened with "…" in the text trace).

use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::RoundMode;

/// Rounds to `digits` decimals with the declared mode. 四舍五入 rounds a half away from zero,
/// as published tables do.
pub fn round(value: Decimal, mode: RoundMode, digits: u32) -> Decimal {
    let strategy = match mode {
        RoundMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        RoundMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        RoundMode::Truncate => RoundingStrategy::ToZero,
    };
    value.round_dp_with_strategy(digits, strategy)
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
