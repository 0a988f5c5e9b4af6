//! Units: what a number measures, as far as the rules tell, so that a bound, step or literal
//! written in the wrong unit is a check error instead of a silently wrong score. `deduct 0.5
//! per 1 above 100% of 控制率` (the `%` left off the step) would otherwise mean "per 100
//! percentage points", and `满意度 >= 90` would never hold for a percentage.
//!
//! The inference is deliberately conservative: it names a unit only where the rules leave no
//! doubt (a `percent` input, a quotient of two like amounts, `money`, `count`), and says
//! [`Unit::Unknown`] wherever arithmetic could have changed the scale (`执行率 × 100`) or mixed
//! kinds (经费 ÷ 人数). Only a known mismatch is an error.

use rust_decimal::Decimal;

use super::{CheckError, Checker, UnitSlip, WrittenNumbers};
use crate::model::{self, Counting, ExprKind, Func, Unit};
use crate::source::Span;
use crate::syntax::ast::{BinaryOp, TierRange, UnaryOp};

/// The largest plain number that can sensibly bound a rate: 10 is 1000%. A plain `95` beside
/// 执行率 is a `%` left off, never a rate of 9500%.
const LARGEST_PLAIN_RATE: Decimal = Decimal::TEN;

impl Unit {
    /// A fraction (95% is 0.95): a percentage, or a quotient of like quantities.
    fn is_fraction(self) -> bool {
        matches!(self, Unit::Percent | Unit::Ratio)
    }

    fn is_amount(self) -> bool {
        matches!(self, Unit::Money | Unit::Count | Unit::Score)
    }

    /// The unit of a value that is one or the other (`if`, `min`, `max`): `min(满意度, 1)`
    /// is still a rate.
    fn join(self, other: Unit) -> Unit {
        match (self, other) {
            (a, b) if a == b => a,
            (a, b) if a.is_fraction() && b.is_fraction() => Unit::Ratio,
            (a, Unit::Plain) | (Unit::Plain, a) if a.is_fraction() => Unit::Ratio,
            _ => Unit::Unknown,
        }
    }
}

/// A number written against a value: a tier bound, a deduction's step or standard, a literal
/// compared with it.
#[derive(Clone, Copy)]
pub(super) struct Written {
    pub value: Decimal,
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

/// A number literal as a [`Written`], if the expression is one.
fn literal(e: &model::Expr) -> Option<Written> {
    let (value, percent) = match e.kind {
        ExprKind::Number(n) => (n, false),
        ExprKind::Percent(n) => (n.checked_div(Decimal::ONE_HUNDRED)?, true),
        _ => return None,
    };
    Some(Written {
        value,
        percent,
        span: e.span,
    })
}

impl Checker {
    /// The unit of a checked expression. Lets are looked up, not walked again.
    pub(super) fn unit(&self, e: &model::Expr) -> Unit {
        match &e.kind {
            ExprKind::Number(_) => Unit::Plain,
            ExprKind::Percent(_) => Unit::Percent,
            ExprKind::Text(_) | ExprKind::Bool(_) => Unit::Unknown,
            ExprKind::Input(id) => self.inputs[id.0].ty.unit(),
            ExprKind::Let(id) => self.let_units.get(id.0).copied().unwrap_or(Unit::Unknown),
            ExprKind::Points(_) => Unit::Score,
            ExprKind::Unary(UnaryOp::Neg, inner) => self.unit(inner),
            ExprKind::Unary(UnaryOp::Not, _) => Unit::Unknown,
            ExprKind::Binary(op, l, r) => binary(*op, self.unit(l), self.unit(r)),
            ExprKind::If(ctf) => self.unit(&ctf[1]).join(self.unit(&ctf[2])),
            ExprKind::Call(func, args) => match func {
                Func::Min | Func::Max => args
                    .iter()
                    .map(|a| self.unit(a))
                    .reduce(Unit::join)
                    .unwrap_or(Unit::Unknown),
                Func::Abs | Func::Round | Func::Floor | Func::Ceil => {
                    args.first().map_or(Unit::Unknown, |a| self.unit(a))
                }
                Func::Count => Unit::Count,
                Func::Given => Unit::Unknown,
            },
        }
    }

    /// `满意度 >= 90`: a number literal compared with a value of known unit is held to it, as
    /// a tier bound is.
    pub(super) fn comparison_units(&mut self, op: BinaryOp, l: &model::Expr, r: &model::Expr) {
        if !matches!(
            op,
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge | BinaryOp::Eq | BinaryOp::Ne
        ) {
            return;
        }
        for (lit, other) in [(l, r), (r, l)] {
            if let Some(w) = literal(lit)
                && literal(other).is_none()
            {
                let unit = self.unit(other);
                self.units_agree(WrittenNumbers::Compared, unit, other.span, &[w]);
            }
        }
    }

    /// Numbers written against a value of `unit` (`numbers` says which: the bounds of tiers)
    /// must agree with each other and with the value. 0 is the same in every unit.
    pub(super) fn units_agree(
        &mut self,
        numbers: WrittenNumbers,
        unit: Unit,
        value: Span,
        written: &[Written],
    ) {
        let written: Vec<Written> = written
            .iter()
            .copied()
            .filter(|w| !w.value.is_zero())
            .collect();
        let percent = written.iter().find(|w| w.percent);
        let plain = written.iter().find(|w| !w.percent);
        let too_large = written
            .iter()
            .find(|w| !w.percent && w.value.abs() > LARGEST_PLAIN_RATE);
        let (slip, span, other) = match (percent, plain) {
            (Some(p), Some(n)) => (UnitSlip::Mixed { plain: n.value }, n.span, p.span),
            (Some(p), None) if unit.is_amount() => {
                (UnitSlip::PercentOfAmount { unit }, p.span, value)
            }
            (None, Some(n)) if unit == Unit::Percent => {
                (UnitSlip::PlainForPercent { plain: n.value }, n.span, value)
            }
            (None, Some(_)) if unit == Unit::Ratio => {
                let Some(n) = too_large else {
                    return;
                };
                (UnitSlip::PlainForRate { plain: n.value }, n.span, value)
            }
            _ => return,
        };
        self.errors.push(CheckError::UnitMismatch {
            numbers,
            slip,
            span: span.into(),
            other: other.into(),
        });
    }
}

/// How a 评分标准 counts part of a unit, when it says: "不足一个百分点按一个计" (every unit
/// begun), "不足一个百分点不扣" (whole units only), "按比例" (in proportion).
fn counting_in(basis: &str) -> Option<Counting> {
    if let Some(i) = basis.find("不足") {
        // The clause after 不足, up to its end: `不足一个百分点的按一个百分点计算）`.
        let clause = basis[i..]
            .split(['；', '。', '，', '）', ')', ';', ','])
            .next()
            .unwrap_or("");
        if clause.contains("不扣") || clause.contains("不计") {
            return Some(Counting::Whole);
        }
        if clause.contains('按') {
            return Some(Counting::Started);
        }
    }
    basis.contains("按比例").then_some(Counting::Proportional)
}

/// A per-point deduction must count part of a unit as its 评分标准 says: "不足一个百分点不扣"
/// with a proportional `deduct … per 1% …` would take points the table does not.
pub(super) fn counting_agrees(
    errors: &mut Vec<CheckError>,
    basis: &crate::source::Spanned<String>,
    deducts: &[model::Deduct],
) {
    let Some(said) = counting_in(&basis.value) else {
        return;
    };
    for d in deducts {
        let model::DeductHow::PerPoint { counting, .. } = &d.how else {
            continue;
        };
        if *counting != said {
            errors.push(CheckError::DeductionCounting {
                said,
                counted: *counting,
                span: d.span.into(),
                basis: basis.span.into(),
            });
        }
    }
}

/// The unit of `l op r`, where the rules leave no doubt; otherwise unknown.
fn binary(op: BinaryOp, l: Unit, r: Unit) -> Unit {
    use Unit::*;
    match op {
        BinaryOp::Add | BinaryOp::Sub => match (l, r) {
            (a, b) if a == b => a,
            // 1 − 执行率 is a rate; 预算 + 5 stays money.
            (a, b) if a.is_fraction() || b.is_fraction() => a.join(b),
            (a, Plain) | (Plain, a) if a.is_amount() => a,
            _ => Unknown,
        },
        BinaryOp::Mul => match (l, r) {
            (a, Plain) | (Plain, a) if a.is_amount() => a,
            (a, f) | (f, a) if a.is_amount() && f.is_fraction() => a,
            (a, b) if a.is_fraction() && b.is_fraction() => Ratio,
            (Plain, Plain) => Plain,
            // 执行率 × 100 may be percentage points: no longer known.
            _ => Unknown,
        },
        BinaryOp::Div => match (l, r) {
            // Like over like is a rate; 经费 ÷ 人数 is money per head, not a rate.
            (a, b) if a == b && a.is_amount() => Ratio,
            (a, b) if a.is_fraction() && b.is_fraction() => Ratio,
            (a, Plain) if a.is_amount() => a,
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
            "rulebook \"t\" {\n  total 100\n  rating 优 >= 90, 差\n}\ninput 预算: money\ninput 支出: money\ninput 满意度: percent\ninput 件数: count\ninput 系数: number\ninput 清单: list of target\n",
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

    #[test]
    fn comparisons_with_literals_are_held_to_the_value() {
        assert_eq!(
            unit_errors(&["score if 满意度 >= 90 then points else 0"]),
            1
        );
        assert_eq!(
            unit_errors(&["score if 满意度 >= 90% then points else 0"]),
            0
        );
        assert_eq!(
            unit_errors(&["score if 90% <= 满意度 then points else 0"]),
            0
        );
        assert_eq!(unit_errors(&["score if 件数 > 5% then points else 0"]), 1);
        assert_eq!(
            unit_errors(&["score if 支出 / 预算 >= 95 then points else 0"]),
            1
        );
        assert_eq!(
            unit_errors(&["score if 支出 / 预算 >= 0.95 then points else 0"]),
            0
        );
    }

    #[test]
    fn a_rate_keeps_its_unit_through_min_max_and_if() {
        assert_eq!(
            unit_errors(&["tiers min(满意度, 1) { >= 90 => 100  < 90 => 0 }"]),
            1
        );
        assert_eq!(
            unit_errors(&["tiers 满意度 + 0 { >= 90 => 100  < 90 => 0 }"]),
            1
        );
        assert_eq!(
            unit_errors(&["let 率 = 支出 / 预算\n  tiers 率 { >= 95 => 100  < 95 => 0 }"]),
            1
        );
        assert_eq!(
            unit_errors(&["let 率 = 支出 / 预算\n  deduct 1 per 1 above 100 of 率"]),
            1
        );
    }

    #[test]
    fn an_overshoot_band_is_a_percentage() {
        assert_eq!(unit_errors(&["targets 清单 count overshoot 30"]), 1);
        assert_eq!(unit_errors(&["targets 清单 count overshoot 30%"]), 0);
    }

    /// The codes of the errors (not warnings) of a rule set with `items` above one indicator
    /// scored `body`.
    fn error_codes(items: &str, body: &str) -> Vec<String> {
        let text = format!(
            "rulebook \"t\" {{\n  total 10\n  rating 优 >= 9, 差\n}}\n{items}\nindicator 甲 points 10 {{\n  {body}\n}}\n"
        );
        match pipeline::check_rules(&SourceFile::new("t.jx", text)) {
            Ok(_) => Vec::new(),
            Err(Failure::Check(_, errors)) => errors
                .iter()
                .filter(|e| !e.is_warning())
                .map(|e| {
                    use miette::Diagnostic;
                    e.code().map(|c| c.to_string()).unwrap_or_default()
                })
                .collect(),
            Err(_) => vec!["other".to_string()],
        }
    }

    #[test]
    fn input_ranges_are_in_the_unit_of_their_input() {
        let check = |decl: &str| error_codes(decl, "score points");
        assert!(check("input 值: percent 0%..100%").is_empty());
        assert!(check("input 值: money > 0").is_empty());
        assert_eq!(
            check("input 值: percent 0..100"),
            ["jixiao::check::unit_mismatch"]
        );
        assert_eq!(
            check("input 值: money > 5%"),
            ["jixiao::check::unit_mismatch"]
        );
        assert_eq!(
            check("input 值: yesno > 0"),
            ["jixiao::check::type_mismatch"]
        );
    }

    #[test]
    fn scales_are_named_once_and_their_bands_are_rates() {
        let codes = |items: &str| error_codes(items, "score 评价 * points");
        let scale = "scale 三档 { \"达成\" => 80%(含)-100%(含)  \"未达成\" => 0%(含)-80% }";
        assert!(codes(&format!("{scale}\ninput 评价: judgement 三档")).is_empty());
        assert_eq!(
            codes("input 评价: judgement 三档"),
            ["jixiao::check::unknown_name"]
        );
        assert_eq!(
            codes(&format!("{scale}\n{scale}\ninput 评价: judgement 三档")),
            ["jixiao::check::duplicate_name"]
        );
        assert_eq!(
            codes("scale 三档 { \"达成\" => 80(含)-100(含) }\ninput 评价: judgement 三档"),
            ["jixiao::check::unit_mismatch"]
        );
    }

    #[test]
    fn a_basis_says_how_part_of_a_unit_counts() {
        use super::counting_in;
        use crate::model::Counting;
        for (basis, counting) in [
            (
                "每超过一个百分点扣1分（不足一个百分点按一个计）",
                Some(Counting::Started),
            ),
            ("不足1个百分点的按1个百分点计算", Some(Counting::Started)),
            (
                "每超过一个百分点扣0.5分，不足一个百分点不扣",
                Some(Counting::Whole),
            ),
            ("不足一个百分点的不计", Some(Counting::Whole)),
            ("超出部分按比例扣分", Some(Counting::Proportional)),
            ("每超过一个百分点扣0.5分", None),
        ] {
            assert_eq!(counting_in(basis), counting, "{basis}");
        }
    }

    #[test]
    fn money_per_head_is_not_a_rate() {
        // 经费 ÷ 人数 is money per head: 5000 is a bound, not 500000%.
        assert_eq!(
            unit_errors(&["tiers 支出 / 件数 { >= 5000 => 100  < 5000 => 0 }"]),
            0
        );
        assert_eq!(
            unit_errors(&["tiers 件数 / 件数 { >= 95 => 100  < 95 => 0 }"]),
            1
        );
    }
}
