//! Checking tiers: the ranges of a `tiers` block should cover every value exactly once. A value
//! in two tiers, or in none, is almost always a slip in the table's bounds (含 on both sides of
//! 90%, or on neither); both are warnings naming the values concerned. Below the lowest tier,
//! values from 0 up count: a lowest bound of 0 covers everything a rate can be.

use rust_decimal::Decimal;

use super::CheckError;
use crate::diagnostics::Text;
use crate::model::{Tier, TierBound};
use crate::source::Span;

pub(super) fn analyse(errors: &mut Vec<CheckError>, tiers: &[Tier], block: Span) {
    let percent = tiers.iter().any(Tier::in_percent);
    let show = |v: Decimal| show(v, percent);
    for (i, a) in tiers.iter().enumerate() {
        if is_empty(a) {
            errors.push(CheckError::TierEmpty {
                tier: a.label.to_string(),
                span: a.span.into(),
            });
            continue;
        }
        for b in &tiers[i + 1..] {
            if let Some(values) = overlap(a, b, &show) {
                errors.push(CheckError::TierOverlap {
                    first: a.label.to_string(),
                    second: b.label.to_string(),
                    values,
                    span: b.span.into(),
                    first_span: a.span.into(),
                });
            }
        }
    }
    for values in gaps(tiers, &show) {
        errors.push(CheckError::TierGap {
            values,
            span: block.into(),
        });
    }
}

fn is_empty(t: &Tier) -> bool {
    match (t.lower, t.upper) {
        (Some(l), Some(u)) => {
            l.value > u.value || (l.value == u.value && !(l.inclusive && u.inclusive))
        }
        _ => false,
    }
}

/// The values two tiers share, in words, if any.
fn overlap(a: &Tier, b: &Tier, show: &dyn Fn(Decimal) -> String) -> Option<Text> {
    let lower = tighter_lower(a.lower, b.lower);
    let upper = tighter_upper(a.upper, b.upper);
    let shared = Tier {
        lower,
        upper,
        label: compact_str::CompactString::const_new(""),
        score: a.score.clone(),
        span: a.span,
    };
    if is_empty(&shared) {
        return None;
    }
    Some(describe(lower, upper, show))
}

fn tighter_lower(a: Option<TierBound>, b: Option<TierBound>) -> Option<TierBound> {
    match (a, b) {
        (Some(x), Some(y)) if x.value == y.value => Some(TierBound {
            inclusive: x.inclusive && y.inclusive,
            ..x
        }),
        (Some(x), Some(y)) => Some(if x.value > y.value { x } else { y }),
        (x, None) => x,
        (None, y) => y,
    }
}

fn tighter_upper(a: Option<TierBound>, b: Option<TierBound>) -> Option<TierBound> {
    match (a, b) {
        (Some(x), Some(y)) if x.value == y.value => Some(TierBound {
            inclusive: x.inclusive && y.inclusive,
            ..x
        }),
        (Some(x), Some(y)) => Some(if x.value < y.value { x } else { y }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The values no tier takes, in words, from the lowest up.
fn gaps(tiers: &[Tier], show: &dyn Fn(Decimal) -> String) -> Vec<Text> {
    let mut ranges: Vec<&Tier> = tiers.iter().filter(|t| !is_empty(t)).collect();
    if ranges.is_empty() {
        return Vec::new();
    }
    // By lower bound, open-ended first; at the same value the inclusive one first.
    ranges.sort_by(|a, b| match (a.lower, b.lower) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Less,
        (_, None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.value.cmp(&y.value).then(y.inclusive.cmp(&x.inclusive)),
    });
    let mut out = Vec::new();
    // Everything up to `reach` is covered; None as the start means nothing is yet.
    let mut reach: Option<TierBound> = match ranges[0].lower {
        None => None,
        Some(low) if low.value < Decimal::ZERO || (low.value == Decimal::ZERO && low.inclusive) => {
            Some(complement(low))
        }
        Some(low) => {
            out.push(describe(
                Some(TierBound {
                    value: Decimal::ZERO,
                    inclusive: true,
                    percent: low.percent,
                }),
                Some(complement(low)),
                show,
            ));
            Some(complement(low))
        }
    };
    let mut open_below = ranges[0].lower.is_none();
    for t in &ranges {
        if !open_below && let (Some(r), Some(l)) = (reach, t.lower) {
            let gap = l.value > r.value || (l.value == r.value && !r.inclusive && !l.inclusive);
            if gap {
                out.push(describe(Some(complement(r)), Some(complement(l)), show));
            }
        }
        open_below = false;
        match t.upper {
            None => return out,
            Some(u) => {
                let further = match reach {
                    None => true,
                    Some(r) => {
                        u.value > r.value || (u.value == r.value && u.inclusive && !r.inclusive)
                    }
                };
                if further || reach.is_none() {
                    reach = Some(u);
                }
            }
        }
    }
    if let Some(r) = reach {
        out.push(describe(Some(complement(r)), None, show));
    }
    out
}

/// The other side of a bound: what lies just beyond `90%(含)` starts at 90% exclusive.
fn complement(b: TierBound) -> TierBound {
    TierBound {
        inclusive: !b.inclusive,
        ..b
    }
}

/// Values between two bounds, as a reader says them: `exactly 90%`, `from 80% (inclusive) to
/// 90% (exclusive)`, `above 100%`; in Chinese as tables say them: `80%（含）至 90%（不含）`,
/// `100% 以上（不含）`.
fn describe(
    lower: Option<TierBound>,
    upper: Option<TierBound>,
    show: &dyn Fn(Decimal) -> String,
) -> Text {
    Text::new(
        describe_en(lower, upper, show),
        describe_zh(lower, upper, show),
    )
}

fn describe_zh(
    lower: Option<TierBound>,
    upper: Option<TierBound>,
    show: &dyn Fn(Decimal) -> String,
) -> String {
    let side = |b: TierBound| {
        if b.inclusive {
            "（含）"
        } else {
            "（不含）"
        }
    };
    match (lower, upper) {
        (Some(l), Some(u)) if l.value == u.value => format!("恰好 {}", show(l.value)),
        (Some(l), Some(u)) => format!(
            "{}{} 至 {}{}",
            show(l.value),
            side(l),
            show(u.value),
            side(u)
        ),
        (Some(l), None) => format!("{} 以上{}", show(l.value), side(l)),
        (None, Some(u)) => format!("{} 以下{}", show(u.value), side(u)),
        (None, None) => "所有取值".into(),
    }
}

fn describe_en(
    lower: Option<TierBound>,
    upper: Option<TierBound>,
    show: &dyn Fn(Decimal) -> String,
) -> String {
    let side = |b: TierBound| {
        if b.inclusive {
            "inclusive"
        } else {
            "exclusive"
        }
    };
    match (lower, upper) {
        (Some(l), Some(u)) if l.value == u.value => format!("exactly {}", show(l.value)),
        (Some(l), Some(u)) => format!(
            "from {} ({}) to {} ({})",
            show(l.value),
            side(l),
            show(u.value),
            side(u)
        ),
        (Some(l), None) => format!(
            "{} {}",
            if l.inclusive { "from" } else { "above" },
            show(l.value)
        ),
        (None, Some(u)) => format!(
            "{} {}",
            if u.inclusive { "up to" } else { "below" },
            show(u.value)
        ),
        (None, None) => "every value".into(),
    }
}

fn show(v: Decimal, percent: bool) -> String {
    if percent {
        match v.checked_mul(Decimal::ONE_HUNDRED) {
            Some(p) => format!("{}%", crate::number::exact(p)),
            None => crate::number::exact(v),
        }
    } else {
        crate::number::exact(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Expr, ExprKind};

    fn tier(lower: Option<(i64, bool)>, upper: Option<(i64, bool)>) -> Tier {
        let bound = |(v, inclusive): (i64, bool)| TierBound {
            value: Decimal::new(v, 2),
            inclusive,
            percent: true,
        };
        Tier {
            lower: lower.map(bound),
            upper: upper.map(bound),
            label: "%".into(),
            score: Expr {
                kind: ExprKind::Number(Decimal::ZERO),
                span: Span::default(),
            },
            span: Span::default(),
        }
    }

    fn warnings(tiers: &[Tier]) -> Vec<String> {
        let mut errors = Vec::new();
        analyse(&mut errors, tiers, Span::default());
        errors.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_table_that_covers_every_rate_once_gets_no_warning() {
        // ≥95%; 90%(含)-95%; 80%(含)-90%; <80%
        let t = [
            tier(Some((95, true)), None),
            tier(Some((90, true)), Some((95, false))),
            tier(Some((80, true)), Some((90, false))),
            tier(None, Some((80, false))),
        ];
        assert!(warnings(&t).is_empty(), "{:?}", warnings(&t));
        // From 0 up, as tables that start at 0 write it.
        let t = [
            tier(Some((0, true)), Some((60, false))),
            tier(Some((60, true)), None),
        ];
        assert!(warnings(&t).is_empty());
    }

    #[test]
    fn a_bound_included_on_neither_side_is_a_gap_and_on_both_an_overlap() {
        let t = [tier(Some((90, false)), None), tier(None, Some((90, false)))];
        assert_eq!(warnings(&t), ["values exactly 90% fall in no tier"]);
        let t = [tier(Some((90, true)), None), tier(None, Some((90, true)))];
        assert_eq!(
            warnings(&t),
            ["tiers `%` and `%` overlap: exactly 90% fall in both"]
        );
    }

    #[test]
    fn values_below_the_lowest_and_above_the_highest_tier_are_named() {
        let t = [tier(Some((80, true)), Some((100, true)))];
        assert_eq!(
            warnings(&t),
            [
                "values from 0% (inclusive) to 80% (exclusive) fall in no tier",
                "values above 100% fall in no tier"
            ]
        );
    }
}
