//! Deductions from full points: per finding (each listed with its 描述), per unit by which a
//! value passes a standard (every unit begun, or in proportion), or when a condition holds. The
//! score is the points less every deduction, floored at 0 (扣完为止); each deduction is a step.

use rust_decimal::Decimal;

use super::{Ctx, EvalError, Part};
use crate::data::Datum;
use crate::model::{Counting, Deduct, DeductHow, Deductions};
use crate::trace::{Dec, Deducted, Step};

impl<R: super::Recorder + ?Sized> Ctx<'_, R> {
    /// A deductions leaf: every deduction, then the points less their sum, floored at 0.
    pub(super) fn score_deductions(
        &mut self,
        d: &Deductions,
        points: Decimal,
    ) -> Result<Decimal, EvalError> {
        self.reads(&d.reads, &d.lets)?;
        let mut total = Decimal::ZERO;
        for deduct in &d.deducts {
            let amount = self.number(&deduct.amount)?;
            let taken = self.deduct(deduct, amount)?;
            total = total
                .checked_add(taken)
                .ok_or_else(|| self.overflow(deduct))?;
            if !taken.is_zero() {
                self.rec.reach(deduct.span, Part::Deduct);
            }
        }
        let raw = points
            .checked_sub(total)
            .ok_or_else(|| EvalError::Overflow {
                indicator: self.name(),
                inputs: super::error::Read::default(),
                span: d.span.into(),
            })?;
        self.put(|| Step::Deductions {
            points: Dec(points),
            deducted: Dec(total),
            value: Dec(raw),
        });
        Ok(self.clamp(raw, points, d.span))
    }

    fn overflow(&self, deduct: &Deduct) -> EvalError {
        EvalError::Overflow {
            indicator: self.name(),
            inputs: super::error::Read::default(),
            span: deduct.span.into(),
        }
    }

    /// What one `deduct` line takes, each deduction noted with why; a line that takes nothing
    /// is noted too, so the trace shows every rule was looked at.
    fn deduct(&mut self, deduct: &Deduct, amount: Decimal) -> Result<Decimal, EvalError> {
        Ok(match &deduct.how {
            DeductHow::PerFinding(list) => {
                let findings = match &self.dept.values[list.0] {
                    Datum::Findings(f) => f.as_slice(),
                    Datum::Number(_)
                    | Datum::Bool(_)
                    | Datum::Text(_)
                    | Datum::Targets(_)
                    | Datum::Judgement { .. }
                    | Datum::Absent => &[],
                };
                let list_name = || self.rb.inputs[list.0].name.clone();
                if findings.is_empty() {
                    self.put(|| Step::Deduction {
                        amount: Dec(Decimal::ZERO),
                        why: Box::new(Deducted::NoFindings { list: list_name() }),
                    });
                }
                for (i, f) in findings.iter().enumerate() {
                    self.put(|| Step::Deduction {
                        amount: Dec(amount),
                        why: Box::new(Deducted::Finding {
                            list: list_name(),
                            index: i + 1,
                            description: f.description.clone(),
                        }),
                    });
                }
                Decimal::from(findings.len())
                    .checked_mul(amount)
                    .ok_or_else(|| self.overflow(deduct))?
            }
            DeductHow::PerPoint {
                counting,
                unit,
                above,
                standard,
                value,
            } => {
                let v = self.number(value)?;
                let excess = if *above {
                    v.checked_sub(standard.value)
                } else {
                    standard.value.checked_sub(v)
                };
                let excess = excess.ok_or_else(|| self.overflow(deduct))?;
                let (counted, taken) = if excess <= Decimal::ZERO {
                    (None, Decimal::ZERO)
                } else {
                    let units = excess
                        .checked_div(unit.value)
                        .ok_or_else(|| self.overflow(deduct))?;
                    let counted = match counting {
                        Counting::Proportional => units,
                        Counting::Started => units.ceil(),
                        Counting::Whole => units.floor(),
                    };
                    let taken = counted
                        .checked_mul(amount)
                        .ok_or_else(|| self.overflow(deduct))?;
                    (Some(counted), taken)
                };
                self.note(|c| Step::Deduction {
                    amount: Dec(taken),
                    why: Box::new(Deducted::PerUnit {
                        measured: c.term(value),
                        value: Dec(v),
                        // Measured in percentage points where the rule is (checked to agree).
                        percent: unit.percent || standard.percent,
                        above: *above,
                        standard: Dec(standard.value),
                        per: Dec(unit.value),
                        each: Dec(amount),
                        counting: *counting,
                        excess: counted.map(|_| Dec(excess)),
                        counted: counted.map(Dec),
                    }),
                });
                taken
            }
            DeductHow::If(cond) => {
                let holds = self.holds(cond)?;
                let taken = if holds { amount } else { Decimal::ZERO };
                self.note(|c| Step::Deduction {
                    amount: Dec(taken),
                    why: Box::new(Deducted::Condition {
                        condition: c.term(cond),
                        holds,
                    }),
                });
                taken
            }
        })
    }
}
