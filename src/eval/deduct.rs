//! Deductions from full points: per finding (each listed with its 描述), per unit by which a
//! value passes a standard (every unit begun, or in proportion), or when a condition holds. The
//! score is the points less every deduction, floored at 0 (扣完为止); each deduction is a step.

use rust_decimal::Decimal;

use super::{Ctx, EvalError, Part, Value};
use crate::data::Datum;
use crate::model::{Counting, Deduct, DeductHow, Deductions};
use crate::number;
use crate::trace::{Dec, Step};

impl Ctx<'_> {
    pub(super) fn score_deductions(
        &mut self,
        d: &Deductions,
        points: Decimal,
    ) -> Result<Vec<Step>, EvalError> {
        let mut steps = self.reads(&d.reads, &d.lets)?;
        let mut total = Decimal::ZERO;
        for deduct in &d.deducts {
            let amount = self.eval(&deduct.amount)?.num();
            for (reason, taken) in self.deductions(deduct, amount)? {
                total = total
                    .checked_add(taken)
                    .ok_or_else(|| EvalError::Overflow {
                        indicator: self.indicator.clone(),
                        inputs: String::new(),
                        span: deduct.span.into(),
                    })?;
                if !taken.is_zero() {
                    self.reach(deduct.span, Part::Deduct);
                }
                steps.push(Step::Deduction {
                    reason,
                    amount: Dec(taken),
                });
            }
        }
        let raw = points - total;
        steps.push(Step::Score {
            formula: "分值 − 扣分合计".into(),
            substituted: format!("{} − {}", number::short(points), number::short(total)),
            value: Dec(raw),
        });
        self.clamp(&mut steps, raw, points, d.span);
        Ok(steps)
    }

    /// The deductions one `deduct` line makes, each with its reason; a line that takes nothing
    /// still says why, so the trace shows every rule was looked at.
    fn deductions(
        &mut self,
        deduct: &Deduct,
        amount: Decimal,
    ) -> Result<Vec<(String, Decimal)>, EvalError> {
        let short = number::short;
        Ok(match &deduct.how {
            DeductHow::PerFinding(list) => {
                let name = &self.rb.inputs[list.0].name;
                let findings = match &self.dept.values[list.0] {
                    Datum::Findings(f) => f.as_slice(),
                    _ => &[],
                };
                if findings.is_empty() {
                    vec![(format!("{name}：无记录"), Decimal::ZERO)]
                } else {
                    findings
                        .iter()
                        .enumerate()
                        .map(|(i, f)| (format!("{name}第 {} 例：{}", i + 1, f.description), amount))
                        .collect()
                }
            }
            DeductHow::PerPoint {
                counting,
                unit,
                above,
                standard,
                value,
            } => {
                let v = self.eval(value)?.num();
                let overflow = || EvalError::Overflow {
                    indicator: self.indicator.clone(),
                    inputs: String::new(),
                    span: deduct.span.into(),
                };
                let excess = if *above {
                    v.checked_sub(standard.value)
                } else {
                    standard.value.checked_sub(v)
                };
                let excess = excess.ok_or_else(overflow)?;
                // Shown in percentage points where the rule measures in them (checked to agree).
                let percent = unit.percent || standard.percent;
                // Display only: a value too large to show as a percentage is shown as it is.
                let as_percent =
                    |x: Decimal| x.checked_mul(Decimal::ONE_HUNDRED).filter(|_| percent);
                let show = |x: Decimal| match as_percent(x) {
                    Some(p) => format!("{}%", short(p)),
                    None => short(x),
                };
                // Percentages are measured in percentage points: 104% is 4 个百分点 over 100%.
                let points_of = |x: Decimal| match as_percent(x) {
                    Some(p) => format!("{} 个百分点", short(p)),
                    None => short(x),
                };
                let measured = format!("{} = {}", self.formula(value), show(v));
                let side = if *above { "超过" } else { "低于" };
                if excess <= Decimal::ZERO {
                    vec![(
                        format!("{measured}，未{side} {}", show(standard.value)),
                        Decimal::ZERO,
                    )]
                } else {
                    let units = excess.checked_div(unit.value).ok_or_else(overflow)?;
                    let counted = match counting {
                        Counting::Proportional => units,
                        Counting::Started => units.ceil(),
                        Counting::Whole => units.floor(),
                    };
                    let taken = counted.checked_mul(amount).ok_or_else(overflow)?;
                    // `每起 1 个百分点扣 1`, `每 5 扣 1`: the space only between numbers and words.
                    let per = points_of(unit.value);
                    let per = if percent { per } else { format!("{per} ") };
                    let how = match counting {
                        Counting::Started => {
                            format!("每起 {per}扣 {}，计 {} 个", short(amount), short(counted))
                        }
                        Counting::Whole => format!(
                            "每满 {per}扣 {}，计 {} 个（不足一个不扣）",
                            short(amount),
                            short(counted)
                        ),
                        Counting::Proportional => format!(
                            "每 {per}扣 {}，按比例计 {} 个",
                            short(amount),
                            short(counted)
                        ),
                    };
                    let by = points_of(excess);
                    vec![(
                        format!("{measured}，{side} {} {by}；{how}", show(standard.value)),
                        taken,
                    )]
                }
            }
            DeductHow::If(cond) => {
                let holds = self.eval(cond)? == Value::Bool(true);
                let shown = format!("{} = {}", self.formula(cond), self.substituted(cond));
                if holds {
                    vec![(format!("{shown}：成立"), amount)]
                } else {
                    vec![(format!("{shown}：不成立"), Decimal::ZERO)]
                }
            }
        })
    }
}
