//! Target completion: one generated leaf per record of the department's own 绩效指标. A met
//! target gets its full share; an unmet `≥` target gets 完成值 ÷ 指标值 of it, an unmet `≤`
//! target 指标值 ÷ 完成值, and an unmet `=` target the smaller over the larger. A `≤`
//! target is met at its limit.

use rust_decimal::Decimal;

use super::applicability::{EqualShares, equal_shares};
use super::{Ctx, EvalError, Head};
use crate::data::target::{Quantity, Target, TargetOp};
use crate::data::{Datum, Graded, Measure, TargetRecord};
use crate::model::{Input, InputId, Split, TargetsRule};
use crate::source::Span;
use crate::trace::{self, Completion, Dec, Location, Step};

impl<R: super::Recorder + ?Sized> Ctx<'_, R> {
    /// A targets rule: a count ratio scores the leaf itself; a split scores one generated leaf
    /// per record and adds them up.
    pub(super) fn targets(
        &mut self,
        rule: &TargetsRule,
        points: Decimal,
    ) -> Result<Decimal, EvalError> {
        let records: &[TargetRecord] = match &self.dept.values[rule.list.0] {
            Datum::Targets(r) => r,
            Datum::Number(_)
            | Datum::Bool(_)
            | Datum::Text(_)
            | Datum::Findings(_)
            | Datum::Judgement { .. }
            | Datum::Absent => &[],
        };
        if records.is_empty() {
            return Err(EvalError::NoTargets {
                indicator: self.name(),
                list: self.rb.inputs[rule.list.0].name.clone(),
                span: rule.span.into(),
            });
        }
        let shares = match rule.split {
            Split::Count { overshoot } => {
                return self.count_ratio(records, rule.list, overshoot, points, rule.span);
            }
            Split::Equally => {
                let equal = equal_shares(points, records.len(), self.rb.rounding.digits)
                    .ok_or_else(|| EvalError::Overflow {
                        indicator: self.name(),
                        inputs: super::error::Read::default(),
                        span: rule.span.into(),
                    })?;
                // The last records have the smaller share, unless every share is the same.
                let larger = if equal.larger < records.len() {
                    equal.larger
                } else {
                    0
                };
                self.put(|| Step::Share {
                    points: Dec(points),
                    records: records.len(),
                    split: trace::Split::Equally,
                    share: Dec(equal.share(records.len() - 1)),
                    larger,
                    unit: Dec(equal.unit),
                });
                Shares::Equal(equal)
            }
            Split::ByPoints => {
                if !self.recording
                    && let Some(sum) = self.own_shares(records, points, rule)
                {
                    return Ok(sum);
                }
                // The data's 分值 add up to the declared points (the data check sees to it), and
                // each record is then scored out of its own 分值, read where it stands; when
                // the indicator's points changed, each record keeps its proportion.
                let declared = declared(records).ok_or_else(|| self.split_overflow(rule))?;
                if declared == points {
                    Shares::Records
                } else {
                    let own: Vec<Decimal> = records
                        .iter()
                        .map(|r| r.points.unwrap_or_default())
                        .collect();
                    Shares::Own(self.shares(points, &own, rule.span)?)
                }
            }
        };
        // Records under a form's levels are the children of their levels' groups; otherwise
        // they are the indicator's own.
        if self.recording && records[0].levels().iter().all(Option::is_none) {
            self.rec.reserve_children(records.len());
        }
        // Where the first record stands, when the last stands on the same line: every record
        // between them (each of a department read from a line of JSON Lines) stands there too,
        // and takes a copy of it rather than looking its line up among the file's lines (some
        // forty instructions a record, 3% of recording a department's trace).
        let shared = match self.recording {
            true => {
                warm(records);
                let source = &self.dept.source;
                let first = records[0].at(source);
                let last = records[records.len() - 1].at(source).start();
                let location = Location::in_data(source, first);
                (first.start() <= last && source.line_of(last) == location.line)
                    .then_some((first.start()..=last, location))
            }
            false => None,
        };
        let mut sum = Decimal::ZERO;
        // The form's levels the records stand under, open in the trace: (level, name,
        // points, score), outermost first.
        let mut groups: Vec<(u8, &str, Decimal, Decimal)> = Vec::new();
        for (i, record) in records.iter().enumerate() {
            // A record whose share is not its own 分值 says so.
            let (share, reweighted) = match &shares {
                Shares::Equal(equal) => {
                    let share = equal.share(i);
                    (share, record.points.filter(|p| *p != share))
                }
                Shares::Records => (record.points.unwrap_or_default(), None),
                Shares::Own(own) => (own[i], record.points.filter(|p| *p != own[i])),
            };
            if self.recording {
                self.levels(&mut groups, record);
                // Built in the call, not in a variable changed after: a head moved from a
                // variable is copied whole (144 bytes, through `memcpy`) for each record.
                self.rec.enter(Head {
                    name: record.name.as_str().into(),
                    location: match &shared {
                        Some((line, at))
                            if line.contains(&record.at(&self.dept.source).start()) =>
                        {
                            at.clone()
                        }
                        Some(_) | None => {
                            Location::in_data(&self.dept.source, record.at(&self.dept.source))
                        }
                    },
                    basis: None,
                    level: None,
                    reported: record.reported(),
                    columns: match record.extra().is_empty() {
                        true => Vec::new(),
                        false => record.extra().to_vec(),
                    },
                });
            }
            if let Some(own) = reweighted {
                self.note(|c| Step::Reweight {
                    from: Dec(own),
                    to: Dec(share),
                    cause: match shares {
                        Shares::Equal(_) => trace::Reweight::SharedEqually,
                        Shares::Records | Shares::Own(_) => {
                            trace::Reweight::Scaled { parent: c.name() }
                        }
                    },
                });
            }
            let list = &self.rb.inputs[rule.list.0];
            let score = self.target(record, share, list, rule.span, None)?;
            // A record is entered only for a recorder that keeps steps, and so is it left.
            if self.recording {
                self.rec.leave(share, score);
            }
            for group in &mut groups {
                group.2 += share;
                group.3 += score;
            }
            sum = sum
                .checked_add(score)
                .ok_or_else(|| self.split_overflow(rule))?;
        }
        while let Some((_, _, points, score)) = groups.pop() {
            self.rec.leave(points, score);
        }
        Ok(sum)
    }

    /// A split whose points or scores add up past what a decimal holds.
    fn split_overflow(&self, rule: &TargetsRule) -> EvalError {
        EvalError::Overflow {
            indicator: self.name(),
            inputs: super::error::Read::default(),
            span: rule.span.into(),
        }
    }

    /// For a recorder that keeps no steps, a split by 分值 in one pass over the records: each
    /// scored out of its own 分值 while the 分值 are added up. `None` when they do not add up
    /// to `points` (the data check sees that they do, unless the indicator's points changed)
    /// or a record cannot be scored: the records are then scored again as [`Self::targets`]
    /// scores them when recording, for the shares in proportion or the error that says why.
    /// (Nothing is reported to the recorder here: it is told of no record it does not keep.)
    fn own_shares(
        &mut self,
        records: &[TargetRecord],
        points: Decimal,
        rule: &TargetsRule,
    ) -> Option<Decimal> {
        let list = &self.rb.inputs[rule.list.0];
        // First, in a tight loop, whether each quantitative record met its target (the first 64
        // records; any more are asked as they are scored): the records' numbers are then read
        // from memory together, rather than one record at a time between the arithmetic of the
        // one before, which was half the time of scoring a record.
        let mut known = 0u64;
        for (i, record) in records.iter().take(64).enumerate() {
            if let Measure::Quantity { target, actual } = &record.measure
                && met(target.op, actual.value, target.quantity.value)
            {
                known |= 1 << i;
            }
        }
        let mut declared = Decimal::ZERO;
        let mut sum = Decimal::ZERO;
        for (i, record) in records.iter().enumerate() {
            let own = record.points.unwrap_or_default();
            declared = declared.checked_add(own)?;
            let met = (i < 64).then(|| known & (1 << i) != 0);
            let score = self.target(record, own, list, rule.span, met).ok()?;
            sum = sum.checked_add(score)?;
        }
        (declared == points).then_some(sum)
    }

    /// Opens and closes the trace's groups of a form's levels (一级指标, 二级指标) before
    /// `record`: records stand in the form's order, so a level's records are together, and a
    /// group closes where the next record's level differs.
    fn levels<'r>(
        &mut self,
        groups: &mut Vec<(u8, &'r str, Decimal, Decimal)>,
        record: &'r TargetRecord,
    ) {
        // A record outside any level, with no group open: nothing to open or close.
        if groups.is_empty() && record.levels().iter().all(Option::is_none) {
            return;
        }
        // How many of the open groups still hold: the same level names from the top. (At most
        // two levels, held on the stack: this runs for every record of a form.)
        let wanted: smallvec::SmallVec<[(u8, &str); 2]> = (1u8..)
            .zip(record.levels())
            .filter_map(|(level, name)| name.as_deref().map(|n| (level, n)))
            .collect();
        let keep = groups
            .iter()
            .zip(&wanted)
            .take_while(|(open, want)| open.0 == want.0 && open.1 == want.1)
            .count();
        while groups.len() > keep {
            if let Some((_, _, points, score)) = groups.pop() {
                self.rec.leave(points, score);
            }
        }
        for &(level, name) in &wanted[keep..] {
            let at = Location::in_data(&self.dept.source, record.at(&self.dept.source));
            let mut head = Head::new(name.into(), at, None);
            head.level = Some(level);
            self.rec.enter(head);
            groups.push((level, name, Decimal::ZERO, Decimal::ZERO));
        }
    }

    /// One target record's score out of its `share`; `known`, whether a quantitative record
    /// met its target, when that was asked already.
    fn target(
        &mut self,
        r: &TargetRecord,
        share: Decimal,
        list: &Input,
        rule_span: Span,
        known: Option<bool>,
    ) -> Result<Decimal, EvalError> {
        let (completion, num, den) = match &r.measure {
            Measure::Quantity { target, actual } => {
                let (t, a) = (target.quantity.value, actual.value);
                let met = known.unwrap_or_else(|| met(target.op, a, t));
                self.put(
                    #[inline(always)]
                    || target_step(r, (target, actual), None, met, false),
                );
                // Numerator and denominator of the completion ratio; the data reader refuses
                // negative values, so the denominator of an unmet target is above 0.
                let completion = (!met).then(|| match target.op {
                    TargetOp::AtLeast => Completion::ActualOverTarget,
                    TargetOp::AtMost => Completion::TargetOverActual,
                    TargetOp::Exactly if a < t => Completion::ActualOverTarget,
                    TargetOp::Exactly => Completion::TargetOverActual,
                });
                match completion {
                    None => (None, Decimal::ONE, Decimal::ONE),
                    Some(c @ Completion::ActualOverTarget) => (Some(c), a, t),
                    Some(c) => (Some(c), t, a),
                }
            }
            Measure::Grade(g) => {
                self.put(|| grade_step(r, g, list, None));
                let (completion, num, den) = graded_rate(r, g, list);
                (Some(completion), num, den)
            }
        };
        let value = if completion.is_none() {
            share
        } else {
            // Multiply before dividing: one division, so the result is as exact as it can be.
            num.checked_mul(share)
                .and_then(|p| p.checked_div(den))
                .ok_or_else(|| EvalError::Overflow {
                    indicator: r.name.clone(),
                    inputs: super::error::Read::default(),
                    span: rule_span.into(),
                })?
        };
        self.put(|| Step::TargetScore {
            share: Dec(share),
            completion,
            numerator: Dec(num),
            denominator: Dec(den),
            value: Dec(value),
        });
        Ok(self.finish(value))
    }
}

/// The rate of a graded record, as a numerator over a denominator: its own 得分 over its 分值
/// when that lies in the band of its grade, else the band's default rate (over 1).
fn graded_rate(r: &TargetRecord, g: &Graded, list: &Input) -> (Completion, Decimal, Decimal) {
    let band = &list.bands[g.band];
    let own = r
        .reported()
        .zip(r.points)
        .filter(|(_, points)| !points.is_zero())
        .filter(|(reported, points)| {
            reported
                .checked_div(*points)
                .is_some_and(|rate| band.contains(rate))
        });
    match own {
        Some((reported, points)) => (Completion::Reported, reported, points),
        // The checker makes sure every band of a grading scale has its default.
        None => (
            Completion::Default,
            band.default.unwrap_or_default(),
            Decimal::ONE,
        ),
    }
}

/// A graded record as a step; `name` where no node carries it.
fn grade_step(r: &TargetRecord, g: &Graded, list: &Input, name: Option<&str>) -> Step {
    let band = &list.bands[g.band];
    Step::Grade(Box::new(trace::GradeStep {
        name: name.map(Box::from),
        target: g.target.as_str().into(),
        actual: g.actual.as_str().into(),
        scale: list.scale.as_deref().unwrap_or_default().into(),
        grade: band.label.as_str().into(),
        from: g.from,
        range: band.range.as_str().into(),
        reported: r.reported().map(Dec),
        reason: r.reason().map(|r| Box::from(r.as_str())),
    }))
}

/// Reads, in a tight loop before a trace records them, a word of every part of each record
/// that recording reads (its name where it is allocated, its levels, target and actual as
/// written, reason, other columns and places), so that the loads of all the records are issued
/// together and wait for memory together, as scoring's loop over which targets were met does
/// for their numbers: otherwise each record's lines are asked for only once the one before is
/// recorded, a record's worth of work apart, and each waits on its own (a department's records
/// are seldom in the nearest caches when a batch comes to score it).
fn warm(records: &[TargetRecord]) {
    let mut seen = 0usize;
    for r in records {
        seen ^= usize::from(r.name.as_bytes().first().copied().unwrap_or_default())
            ^ r.rare.as_ref().map_or(0, |rare| {
                usize::from(rare.levels[0].is_some())
                    ^ usize::from(rare.reason.is_some())
                    ^ rare.extra.len()
            })
            ^ r.span.start()
            ^ r.place.start();
        if let Measure::Quantity { target, actual } = &r.measure {
            seen ^= target.quantity.written.len() ^ actual.written.len();
        }
    }
    std::hint::black_box(seen);
}

/// The records' 分值 added up (a record without one counts 0); `None` past what a decimal
/// holds. When every 分值 is written with the same number of decimals, as a list's are, and
/// fits in 32 bits, their digits are added as integers: one addition a record rather than one
/// of rust_decimal's, which costs some forty instructions (and a trace adds them up for each
/// department). The sum is only compared with the indicator's points, which is exact either way.
fn declared(records: &[TargetRecord]) -> Option<Decimal> {
    let scale = records
        .first()
        .map_or(0, |r| r.points.unwrap_or_default().scale());
    let mut digits = 0u64;
    for r in records {
        let points = r.points.unwrap_or_default();
        let Ok(mantissa) = u32::try_from(points.mantissa()) else {
            return added(records);
        };
        if points.scale() != scale {
            return added(records);
        }
        digits = match digits.checked_add(u64::from(mantissa)) {
            Some(sum) => sum,
            None => return added(records),
        };
    }
    // (A scale read from a decimal and a sum under 2⁶⁴ always make one: never the fallback.)
    Decimal::try_from_i128_with_scale(i128::from(digits), scale)
        .ok()
        .or_else(|| added(records))
}

/// [`declared`] as rust_decimal adds up any 分值.
fn added(records: &[TargetRecord]) -> Option<Decimal> {
    records.iter().try_fold(Decimal::ZERO, |sum, r| {
        sum.checked_add(r.points.unwrap_or_default())
    })
}

/// Each record's share of a split's points.
enum Shares {
    /// Equal shares, computed as they are needed.
    Equal(EqualShares),
    /// Each record's own 分值, unchanged.
    Records,
    /// Each record's share of points that changed, in proportion to its 分值.
    Own(Vec<Decimal>),
}

/// Whether an actual value meets its target; a `≤` target is met at its limit.
#[inline]
fn met(op: TargetOp, actual: Decimal, target: Decimal) -> bool {
    let order = crate::number::cmp(actual, target);
    match op {
        TargetOp::AtLeast => order.is_ge(),
        TargetOp::AtMost => order.is_le(),
        TargetOp::Exactly => order.is_eq(),
    }
}

/// A record compared with its target, as a step; `name` where no node carries it. Only a
/// quantitative record has one. (Inline, always, so that the step is built where it is kept:
/// a step returned from a call is copied into place.)
#[inline(always)]
fn target_step(
    r: &TargetRecord,
    (target, actual): (&Target, &Quantity),
    name: Option<String>,
    met: bool,
    overshot: bool,
) -> Step {
    Step::Target {
        note: trace::Note::new(name, r.reason().cloned()),
        op: target.op,
        target: target.quantity.written.clone(),
        actual: actual.written.clone(),
        target_value: Dec(target.quantity.value),
        actual_value: Dec(actual.value),
        met,
        overshot,
    }
}

impl<R: super::Recorder + ?Sized> Ctx<'_, R> {
    /// Met targets over all targets × points. With `overshoot`, a `≥` or `=` target exceeded by
    /// more than that share of its value counts as not met (达标 excludes overshooting by 30%).
    fn count_ratio(
        &mut self,
        records: &[TargetRecord],
        list: InputId,
        overshoot: Option<Decimal>,
        points: Decimal,
        rule_span: Span,
    ) -> Result<Decimal, EvalError> {
        let list = &self.rb.inputs[list.0];
        let mut met_count = 0usize;
        for r in records {
            let (target, actual) = match &r.measure {
                Measure::Quantity { target, actual } => (target, actual),
                // A graded record counts as met in the top band (达成).
                Measure::Grade(g) => {
                    met_count += usize::from(g.band == 0);
                    self.put(|| grade_step(r, g, list, Some(&r.name)));
                    continue;
                }
            };
            let (t, a) = (target.quantity.value, actual.value);
            let met = met(target.op, a, t);
            // A band too large to compute cannot be passed: the target is not overshot.
            let overshot = met
                && target.op == TargetOp::AtLeast
                && overshoot.is_some_and(|o| {
                    Decimal::ONE
                        .checked_add(o)
                        .and_then(|band| band.checked_mul(t))
                        .is_some_and(|limit| a > limit)
                });
            if met && !overshot {
                met_count += 1;
            }
            self.put(
                #[inline(always)]
                || {
                    target_step(
                        r,
                        (target, actual),
                        Some(r.name.clone()),
                        met && !overshot,
                        overshot,
                    )
                },
            );
        }
        let n = Decimal::from(records.len());
        let count = Decimal::from(met_count);
        let raw = count
            .checked_mul(points)
            .and_then(|p| p.checked_div(n))
            .ok_or_else(|| EvalError::Overflow {
                indicator: self.name(),
                inputs: super::error::Read::default(),
                span: rule_span.into(),
            })?;
        self.put(|| Step::MetRatio {
            met: met_count,
            records: records.len(),
            points: Dec(points),
            value: Dec(raw),
        });
        Ok(self.clamp(raw, points, rule_span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record with 分值 `points` (the rest as any plain record has it).
    fn record(points: Option<Decimal>) -> TargetRecord {
        let (Ok(target), Ok(actual)) = (
            crate::data::target::parse_target("≥4篇"),
            crate::data::target::parse_quantity("4篇"),
        ) else {
            unreachable!("plain notations");
        };
        TargetRecord {
            name: "指标".into(),
            measure: Measure::Quantity { target, actual },
            points,
            rare: None,
            span: Span::new(0, 0),
            place: Span::new(0, 0),
        }
    }

    proptest::proptest! {
        /// 分值 added as integers are what rust_decimal adds: alike or mixed decimals, a
        /// record without 分值, mantissas past 32 bits, sums past 64.
        #[test]
        fn points_added_as_integers_are_rust_decimals_sum(
            points in proptest::collection::vec(
                proptest::option::weighted(0.9, (
                    proptest::prop_oneof![0u64..100, 0u64..=u64::from(u32::MAX) + 10, proptest::num::u64::ANY],
                    proptest::prop_oneof![proptest::strategy::Just(1u32), 0u32..4],
                )),
                0..30,
            ),
        ) {
            let records: Vec<TargetRecord> = points
                .iter()
                .map(|p| record(p.map(|(m, scale)| Decimal::from_i128_with_scale(i128::from(m), scale))))
                .collect();
            proptest::prop_assert_eq!(declared(&records), added(&records));
        }
    }

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
