//! Target completion: one generated leaf per record of the department's own 绩效指标. A met
//! target gets its full share; an unmet `≥` target gets 完成值 ÷ 指标值 of it, an unmet `≤`
//! target 指标值 ÷ 完成值, and an unmet `=` target the smaller over the larger. A `≤`
//! target is met at its limit.

use rust_decimal::Decimal;

use super::{Ctx, EvalError, score_of};
use crate::data::target::TargetOp;
use crate::data::{Datum, TargetRecord};
use crate::model::{Split, TargetsRule};
use crate::number;
use crate::source::Span;
use crate::trace::{self, Dec, Node, Step};

impl Ctx<'_> {
    pub(super) fn targets(
        &mut self,
        rule: &TargetsRule,
        points: Decimal,
    ) -> Result<(Vec<Step>, Vec<Node>), EvalError> {
        let records: &[TargetRecord] = match &self.dept.values[rule.list.0] {
            Datum::Targets(r) => r,
            _ => &[],
        };
        if records.is_empty() {
            return Err(EvalError::NoTargets {
                indicator: self.indicator.clone(),
                list: self.rb.inputs[rule.list.0].name.clone(),
                span: rule.span.into(),
            });
        }
        let mut steps = Vec::new();
        if let Split::Count { overshoot } = rule.split {
            return self
                .count_ratio(records, overshoot, points, rule.span)
                .map(|s| (s, Vec::new()));
        }
        let shares = match rule.split {
            Split::Count { .. } => Vec::new(),
            Split::Equally => {
                let shares = self.shares(points, &vec![Decimal::ONE; records.len()], rule.span)?;
                if let Some(&last) = shares.last() {
                    steps.push(Step::Share {
                        points: Dec(points),
                        records: records.len(),
                        split: trace::Split::Equally,
                        share: Dec(last),
                        larger: shares.iter().filter(|s| **s > last).count(),
                        unit: Dec(Decimal::new(1, self.rb.rounding.digits)),
                    });
                }
                shares
            }
            Split::ByPoints => {
                let own: Vec<Decimal> = records
                    .iter()
                    .map(|r| r.points.unwrap_or_default())
                    .collect();
                // The data's 分值 add up to the declared points (the data check sees to it);
                // when the indicator's points changed, each record keeps its proportion.
                let declared = own.iter().copied().sum::<Decimal>();
                if declared == points {
                    own
                } else {
                    self.shares(points, &own, rule.span)?
                }
            }
        };
        let mut children = Vec::with_capacity(records.len());
        for (record, share) in records.iter().zip(shares) {
            let mut child = self.target(record, share, rule.span)?;
            if let Some(own) = record
                .points
                .filter(|p| *p != share && rule.split == Split::ByPoints)
            {
                child.steps.insert(
                    0,
                    Step::Reweight {
                        from: Dec(own),
                        to: Dec(share),
                        cause: trace::Reweight::Scaled {
                            parent: self.indicator.clone(),
                        },
                    },
                );
            }
            children.push(child);
        }
        Ok((steps, children))
    }

    fn target(
        &mut self,
        r: &TargetRecord,
        share: Decimal,
        rule_span: Span,
    ) -> Result<Node, EvalError> {
        let (t, a) = (r.target.quantity.value, r.actual.value);
        let met = match r.target.op {
            TargetOp::AtLeast => a >= t,
            TargetOp::AtMost => a <= t,
            TargetOp::Exactly => a == t,
        };
        let mut steps = vec![Step::Target {
            name: None,
            op: r.target.op,
            target: r.target.quantity.written.clone(),
            actual: r.actual.written.clone(),
            met,
            reason: r.reason.clone(),
            overshot: false,
        }];
        let (formula, substituted, value) = if met {
            ("分值".to_string(), number::short(share), share)
        } else {
            // Numerator and denominator of the completion ratio; the data reader refuses
            // negative values, so the denominator of an unmet target is above 0.
            let (num, den, formula) = match r.target.op {
                TargetOp::AtLeast => (a, t, "实际完成值 ÷ 指标值 × 分值"),
                TargetOp::AtMost => (t, a, "指标值 ÷ 实际完成值 × 分值"),
                TargetOp::Exactly if a < t => (a, t, "实际完成值 ÷ 指标值 × 分值"),
                TargetOp::Exactly => (t, a, "指标值 ÷ 实际完成值 × 分值"),
            };
            // Multiply before dividing: one division, so the result is as exact as it can be.
            let value = num
                .checked_mul(share)
                .and_then(|p| p.checked_div(den))
                .ok_or_else(|| EvalError::Overflow {
                    indicator: r.name.clone(),
                    inputs: String::new(),
                    span: rule_span.into(),
                })?;
            (
                formula.to_string(),
                format!(
                    "{} ÷ {} × {}",
                    number::short(num),
                    number::short(den),
                    number::short(share)
                ),
                value,
            )
        };
        steps.push(Step::Score {
            formula,
            substituted,
            value: Dec(value),
        });
        self.finish(&mut steps, value);
        let score = score_of(&steps);
        Ok(Node {
            name: r.name.clone(),
            points: Dec(share),
            score,
            deduction: Dec(share - score.0),
            location: self.dept.source.location(r.span),
            basis: None,
            steps,
            children: Vec::new(),
        })
    }
}

impl Ctx<'_> {
    /// Met targets over all targets × points. With `overshoot`, a `≥` or `=` target exceeded by
    /// more than that share of its value counts as not met (达标 excludes overshooting by 30%).
    fn count_ratio(
        &mut self,
        records: &[TargetRecord],
        overshoot: Option<Decimal>,
        points: Decimal,
        rule_span: Span,
    ) -> Result<Vec<Step>, EvalError> {
        let mut steps = Vec::with_capacity(records.len() + 3);
        let mut met_count = 0usize;
        for r in records {
            let (t, a) = (r.target.quantity.value, r.actual.value);
            let met = match r.target.op {
                TargetOp::AtLeast => a >= t,
                TargetOp::AtMost => a <= t,
                TargetOp::Exactly => a == t,
            };
            // A band too large to compute cannot be passed: the target is not overshot.
            let overshot = met
                && r.target.op == TargetOp::AtLeast
                && overshoot.is_some_and(|o| {
                    Decimal::ONE
                        .checked_add(o)
                        .and_then(|band| band.checked_mul(t))
                        .is_some_and(|limit| a > limit)
                });
            if met && !overshot {
                met_count += 1;
            }
            steps.push(Step::Target {
                name: Some(r.name.clone()),
                op: r.target.op,
                target: r.target.quantity.written.clone(),
                actual: r.actual.written.clone(),
                met: met && !overshot,
                reason: r.reason.clone(),
                overshot,
            });
        }
        let n = Decimal::from(records.len());
        let count = Decimal::from(met_count);
        let raw = count
            .checked_mul(points)
            .and_then(|p| p.checked_div(n))
            .ok_or_else(|| EvalError::Overflow {
                indicator: self.indicator.clone(),
                inputs: String::new(),
                span: rule_span.into(),
            })?;
        steps.push(Step::Score {
            formula: "达标个数 ÷ 指标个数 × 分值".into(),
            substituted: format!(
                "{met_count} ÷ {} × {}",
                records.len(),
                number::short(points)
            ),
            value: Dec(raw),
        });
        self.clamp(&mut steps, raw, points, rule_span);
        Ok(steps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_shares_add_up_exactly() {
        let shares = super::super::applicability::proportional_shares(
            Decimal::from(90),
            &[Decimal::ONE; 20],
            2,
        );
        assert!(shares.unwrap().iter().all(|s| *s == Decimal::new(45, 1)));
    }
}
