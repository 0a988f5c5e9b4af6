//! Units: what a number measures, as far as the rules tell, so that a bound or step written in
//! the wrong unit is a check error instead of a silently wrong score. `deduct 0.5 per 1 above
//! 100% of 控制率` (the `%` left off the step) would otherwise mean "per 100 percentage points".
//!
//! The inference is deliberately conservative: it names a unit only where the rules leave no
//! doubt (a `percent` input, a quotient of two amounts, `money`), and says [`Unit::Unknown`]
//! wherever arithmetic could have changed the scale (`执行率 × 100`). Only a known mismatch
//! is an error.

use super::{CheckError, Checker};
use crate::model::{self, ExprKind, Func, InputType, Unit};
use crate::source::Span;
use crate::syntax::ast::{BinaryOp, TierRange, UnaryOp};

impl Unit {
    /// A fraction (95% is 0.95): a percentage, or a quotient of like quantities.
    fn is_fraction(self) -> bool {
        matches!(self, Unit::Percent | Unit::Ratio)
    }

    /// The unit of a value that is one or the other (`if`, `min`, `max`).
    fn join(self, other: Unit) -> Unit {
        match (self, other) {
            (a, b) if a == b => a,
            (a, b) if a.is_fraction() && b.is_fraction() => Unit::Ratio,
            _ => Unit::Unknown,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Unit::Percent => "a percentage",
            Unit::Ratio => "a rate",
            Unit::Amount => "an amount (money, a count or points)",
            Unit::Plain => "a plain number",
            Unit::Unknown => "a number",
        }
    }
}

/// A number written against a value: a tier bound, a deduction's step or standard.
#[derive(Clone, Copy)]
pub(super) struct Written {
    pub value: rust_decimal::Decimal,
    pub percent: bool,
    pub span: Span,
}

/// The bounds of tiers or judgement bands, each placed at its range.
pub(super) fn bounds<'a>(ranges: impl Iterator<Item = &'a TierRange>) -> Vec<Written> {
    ranges
        .flat_map(|r| [r.lower, r.upper].map(|b| (b, r.span)))
        .filter_map(|(b, span)| {
            b.map(|b| Written {
                value: b.value,
                percent: b.percent,
                span,
            })
        })
        .collect()
}

impl Checker {
    /// The unit of a checked expression. Lets are looked up, not walked again.
    pub(super) fn unit(&self, e: &model::Expr) -> Unit {
        match &e.kind {
            ExprKind::Number(_) => Unit::Plain,
            ExprKind::Percent(_) => Unit::Percent,
            ExprKind::Text(_) | ExprKind::Bool(_) => Unit::Unknown,
            ExprKind::Input(id) => match self.inputs[id.0].ty {
                InputType::Money | InputType::Count => Unit::Amount,
                // An assessor's judgement is read as its rate: 75%.
                InputType::Percent | InputType::Judgement => Unit::Percent,
                InputType::Number
                | InputType::YesNo
                | InputType::Text
                | InputType::TargetList
                | InputType::FindingList
                | InputType::Category => Unit::Unknown,
            },
            ExprKind::Let(id) => self.let_units.get(id.0).copied().unwrap_or(Unit::Unknown),
            ExprKind::Points(_) => Unit::Amount,
            ExprKind::Unary(UnaryOp::Neg, inner) => self.unit(inner),
            ExprKind::Unary(UnaryOp::Not, _) => Unit::Unknown,
            ExprKind::Binary(op, l, r) => binary(*op, self.unit(l), self.unit(r)),
            ExprKind::If(_, t, f) => self.unit(t).join(self.unit(f)),
            ExprKind::Call(func, args) => match func {
                Func::Min | Func::Max => args
                    .iter()
                    .map(|a| self.unit(a))
                    .reduce(Unit::join)
                    .unwrap_or(Unit::Unknown),
                Func::Abs | Func::Round | Func::Floor | Func::Ceil => {
                    args.first().map_or(Unit::Unknown, |a| self.unit(a))
                }
                Func::Count => Unit::Amount,
                Func::Given => Unit::Unknown,
            },
        }
    }

    /// Numbers written against a value of `unit` (`what` names them: "the bounds of these tiers")
    /// must agree with each other and with the value. 0 is the same in every unit.
    pub(super) fn units_agree(&mut self, what: &str, unit: Unit, value: Span, written: &[Written]) {
        let written: Vec<Written> = written
            .iter()
            .copied()
            .filter(|w| !w.value.is_zero())
            .collect();
        let percent = written.iter().find(|w| w.percent);
        let plain = written.iter().find(|w| !w.percent);
        match (percent, plain) {
            (Some(p), Some(n)) => self.errors.push(CheckError::UnitMismatch {
                message: format!("{what} mix percentages and plain numbers"),
                help: format!(
                    "write `{}%`, as the other numbers are: {}",
                    crate::number::exact(n.value),
                    without_percent(n.value)
                ),
                span: n.span.into(),
                other: Some(p.span.into()),
            }),
            (Some(p), None) if unit == Unit::Amount => {
                self.errors.push(CheckError::UnitMismatch {
                    message: format!(
                        "{what} are written in percentages, but the value is {}",
                        unit.describe()
                    ),
                    help: "the value is not a percentage: write the number in the value's own unit (元, 万元, a count), without `%`".into(),
                    span: p.span.into(),
                    other: Some(value.into()),
                })
            }
            (None, Some(n)) if unit == Unit::Percent => {
                self.errors.push(CheckError::UnitMismatch {
                    message: format!(
                        "{what} are written without `%`, but the value is {}",
                        unit.describe()
                    ),
                    help: format!(
                        "write the number as a percentage, `{}%`: {}",
                        crate::number::exact(n.value),
                        without_percent(n.value)
                    ),
                    span: n.span.into(),
                    other: Some(value.into()),
                })
            }
            _ => {}
        }
    }
}

/// What a number written without `%` means beside percentages: `without `%`, 1 means 100%`.
fn without_percent(v: rust_decimal::Decimal) -> String {
    let percent = v
        .checked_mul(rust_decimal::Decimal::ONE_HUNDRED)
        .map_or_else(|| v.to_string(), crate::number::exact);
    format!("without `%`, {} means {percent}%", crate::number::exact(v))
}

/// The unit of `l op r`, where the rules leave no doubt; otherwise unknown.
fn binary(op: BinaryOp, l: Unit, r: Unit) -> Unit {
    use Unit::*;
    match op {
        BinaryOp::Add | BinaryOp::Sub => match (l, r) {
            (a, b) if a == b => a,
            (a, b) if a.is_fraction() && b.is_fraction() => Ratio,
            // 1 − 执行率 is a rate; 预算 + 5 stays money.
            (a, Plain) | (Plain, a) if a.is_fraction() => Ratio,
            (Amount, Plain) | (Plain, Amount) => Amount,
            _ => Unknown,
        },
        BinaryOp::Mul => match (l, r) {
            (Amount, Plain) | (Plain, Amount) => Amount,
            (Amount, f) | (f, Amount) if f.is_fraction() => Amount,
            (a, b) if a.is_fraction() && b.is_fraction() => Ratio,
            (Plain, Plain) => Plain,
            // 执行率 × 100 may be percentage points: no longer known.
            _ => Unknown,
        },
        BinaryOp::Div => match (l, r) {
            (Amount, Amount) => Ratio,
            (a, b) if a.is_fraction() && b.is_fraction() => Ratio,
            (Amount, Plain) => Amount,
            (Plain, Plain) => Plain,
            _ => Unknown,
        },
        BinaryOp::And
        | BinaryOp::Or
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::Eq
        | BinaryOp::Ne => Unknown,
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::{self, Failure};
    use crate::source::SourceFile;

    /// The unit errors of a rule set with `score` lines for each indicator body given.
    fn unit_errors(bodies: &[&str]) -> usize {
        let mut text = String::from(
            "rulebook \"t\" {\n  total 100\n  rating 优 >= 90, 差\n}\ninput 预算: money\ninput 支出: money\ninput 满意度: percent\ninput 件数: count\ninput 系数: number\n",
        );
        let points = 100 / bodies.len();
        for (i, body) in bodies.iter().enumerate() {
            text.push_str(&format!(
                "indicator 指标{i} points {points} {{\n  {body}\n}}\n"
            ));
        }
        match pipeline::check_rules(&SourceFile::new("t.jx", text)) {
            Ok(_) => 0,
            Err(Failure::Check(_, errors)) => errors
                .iter()
                .filter(|e| matches!(e, super::CheckError::UnitMismatch { .. }))
                .count(),
            Err(_) => usize::MAX,
        }
    }

    #[test]
    fn a_rate_takes_percentages_or_plain_numbers_but_not_both() {
        assert_eq!(
            unit_errors(&["tiers 支出 / 预算 { >= 95% => 100  < 95% => 50 }"]),
            0
        );
        assert_eq!(
            unit_errors(&["tiers 支出 / 预算 { >= 0.95 => 100  < 0.95 => 50 }"]),
            0
        );
        assert_eq!(
            unit_errors(&["tiers 支出 / 预算 { >= 95% => 100  < 0.95 => 50 }"]),
            1
        );
        assert_eq!(
            unit_errors(&["tiers 1 - 支出 / 预算 { >= 5% => 100  < 5% => 50 }"]),
            0
        );
        assert_eq!(
            unit_errors(&["tiers min(支出 / 预算, 1) { >= 95% => 100  < 95% => 50 }"]),
            0
        );
    }

    #[test]
    fn scaled_values_are_not_judged() {
        // × 100 may turn a rate into percentage points: nothing is known, nothing is said.
        assert_eq!(
            unit_errors(&["tiers 支出 / 预算 * 100 { >= 95 => 100  < 95 => 50 }"]),
            0
        );
        assert_eq!(
            unit_errors(&["tiers 系数 { >= 95% => 100  < 95% => 50 }"]),
            0
        );
    }

    #[test]
    fn known_units_must_match_and_zero_is_neutral() {
        assert_eq!(
            unit_errors(&["tiers 满意度 { >= 90 => 100  < 90 => 50 }"]),
            1
        );
        assert_eq!(
            unit_errors(&["tiers 满意度 { >= 90% => 100  0-90% => 50 }"]),
            0
        );
        assert_eq!(unit_errors(&["tiers 件数 { >= 5% => 100  < 5% => 50 }"]), 1);
        assert_eq!(unit_errors(&["tiers 件数 { >= 5 => 100  < 5 => 50 }"]), 0);
        assert_eq!(
            unit_errors(&["let 率 = 支出 / 预算\n  deduct 1 per 1 above 100% of 率"]),
            1
        );
        assert_eq!(
            unit_errors(&["let 率 = 支出 / 预算\n  deduct 1 per 1% above 100% of 率"]),
            0
        );
        assert_eq!(unit_errors(&["deduct 1 per 1% above 0 of 件数"]), 1);
        assert_eq!(unit_errors(&["deduct 1 per 2 above 0 of 件数"]), 0);
    }
}
