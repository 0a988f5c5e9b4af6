//! Before any indicator is scored: which indicators apply to this department, and the points
//! each is scored out of once the points of those that do not apply have been counted in full,
//! left out or redistributed over their siblings (`not applicable if …`), and once the first
//! applicable alternative of every `one of` group has been chosen.
//!
//! Points are worked out from the top down, so that a group that receives points passes them on
//! to its children in proportion; every share is cut to the rounding digits with the remainder
//! placed so that siblings still add up to their parent exactly.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::coverage::Part;
use super::error::NoneApplies;
use super::{Ctx, EvalError};
use crate::model::{IndicatorId, IndicatorKind, Policy};
use crate::trace::{Dec, Reweight, Step, Transfer};

/// How many siblings that gave points a receiver's trace names before it names only the first
/// of each pool and counts the rest.
const NAMED_GIVERS: usize = 5;

/// What becomes of one indicator in this department's evaluation.
#[derive(Clone, Copy, Debug)]
pub(super) enum Status {
    /// Scored by its rule, out of its (possibly adjusted) points.
    Scored,
    /// Its `not applicable` condition held: `policy` says what became of its `declared` points
    /// (none among alternatives).
    NotApplicable {
        policy: Option<Policy>,
        declared: Decimal,
    },
    /// An alternative of a `one of` group other than the one scored.
    NotChosen,
    /// Under an indicator that is not scored: not evaluated at all.
    Skipped,
}

/// The outcome of planning: per indicator, its status, the points it is scored out of and,
/// when the recorder keeps steps, the steps that explain what planning decided.
pub(super) struct Plan {
    pub status: Vec<Status>,
    pub points: Vec<Decimal>,
    pub notes: Vec<Vec<Step>>,
    /// Per indicator: whether its `not applicable` condition held (false where not asked).
    held: Vec<bool>,
    /// The points of the indicators that count (the total unless some were excluded).
    pub counted: Decimal,
}

impl<R: super::Recorder + ?Sized> Ctx<'_, R> {
    /// Decides, for every indicator, whether it is scored and out of how many points.
    pub(super) fn plan(&mut self) -> Result<Plan, EvalError> {
        let n = self.rb.indicators.len();
        let mut plan = Plan {
            status: vec![Status::Skipped; n],
            points: self.rb.indicators.iter().map(|i| i.points).collect(),
            notes: if self.recording {
                vec![Vec::new(); n]
            } else {
                Vec::new()
            },
            held: vec![false; n],
            counted: self.rb.total,
        };
        let rb = self.rb;
        plan.counted = self.allot(&mut plan, &rb.roots, false, None)?;
        Ok(plan)
    }

    /// Plans the children of one group (or the top level): applies each one's `not applicable`
    /// condition, spreads the points of those redistributed, and recurses into the groups that
    /// are scored. `scaled` is the group's own new points when they differ from its declared
    /// points. Returns the points of the children that count.
    fn allot(
        &mut self,
        plan: &mut Plan,
        kids: &[IndicatorId],
        alternatives: bool,
        scaled: Option<(Decimal, &str)>,
    ) -> Result<Decimal, EvalError> {
        // The checker gives every group a child; an empty list counts for nothing.
        let Some(&first) = kids.first() else {
            return Ok(Decimal::ZERO);
        };
        if let Some((points, parent)) = scaled {
            let shares = if alternatives {
                vec![points; kids.len()]
            } else {
                let weights: Vec<Decimal> = kids.iter().map(|k| plan.points[k.0]).collect();
                self.reshare(points, &weights, first)?
            };
            for (&k, share) in kids.iter().zip(shares) {
                if share != plan.points[k.0] {
                    if self.recording {
                        plan.notes[k.0].push(Step::Reweight {
                            from: Dec(plan.points[k.0]),
                            to: Dec(share),
                            cause: Reweight::Scaled {
                                parent: parent.to_string(),
                            },
                        });
                    }
                    plan.points[k.0] = share;
                }
            }
        }
        for &k in kids {
            let condition = self.not_applicable(k)?;
            plan.held[k.0] = condition;
            // Among alternatives the first that applies is scored, and those after it are not
            // asked (their conditions may read inputs this department leaves out).
            if alternatives && !condition {
                break;
            }
        }
        if alternatives {
            let Some(pos) = kids.iter().position(|k| !plan.held[k.0]) else {
                let names = kids
                    .iter()
                    .map(|k| self.rb.indicator(*k).name.to_string())
                    .collect();
                return Err(EvalError::NotApplicable {
                    why: NoneApplies::Alternatives { names },
                    span: self.na_span(kids[kids.len() - 1]),
                });
            };
            for (i, &k) in kids.iter().enumerate() {
                plan.status[k.0] = if i == pos {
                    Status::Scored
                } else if plan.held[k.0] {
                    if self.recording {
                        let step = Step::NotApplicable {
                            condition: Box::new(self.condition(k)),
                            policy: None,
                            points: Dec(plan.points[k.0]),
                            to: Vec::new(),
                            with: Vec::new(),
                        };
                        plan.notes[k.0].push(step);
                    }
                    Status::NotApplicable {
                        policy: None,
                        declared: plan.points[k.0],
                    }
                } else {
                    if self.recording {
                        plan.notes[k.0].push(Step::NotChosen {
                            chosen: self.rb.indicator(kids[pos]).name.to_string(),
                        });
                    }
                    Status::NotChosen
                };
                if i != pos {
                    plan.points[k.0] = Decimal::ZERO;
                }
            }
            let k = kids[pos];
            self.rec.reach(self.rb.indicator(k).span, Part::Chosen);
            return self.descend(plan, k);
        }
        // Every sibling applies (the common case): nothing is left out or passed on.
        if !kids.iter().any(|k| plan.held[k.0]) {
            let mut counted = Decimal::ZERO;
            for &k in kids {
                plan.status[k.0] = Status::Scored;
                counted += self.descend(plan, k)?;
            }
            return Ok(counted);
        }
        // The points of the siblings that do not apply and are redistributed go to those scored.
        let policy = |k: IndicatorId| {
            self.rb
                .indicator(k)
                .not_applicable
                .as_ref()
                .and_then(|n| n.policy)
        };
        // The siblings that redistribute, pooled by whom they give to: all the scored siblings,
        // or the ones a `redistribute to …` names. Each pool is shared out once, in proportion
        // to the receivers' points before any redistribution, so a group of any size is planned
        // in time proportional to its size and the trace stays as small as the table.
        let mut pools: BTreeMap<Vec<IndicatorId>, Vec<usize>> = BTreeMap::new();
        for (i, &k) in kids.iter().enumerate() {
            if plan.held[k.0] && policy(k) == Some(Policy::Redistribute) {
                let mut to = self
                    .rb
                    .indicator(k)
                    .not_applicable
                    .as_ref()
                    .map(|n| n.to.clone())
                    .unwrap_or_default();
                to.sort();
                to.dedup();
                pools.entry(to).or_default().push(i);
            }
        }
        // Where each sibling stands, for pools that name their receivers (built only then).
        let position: BTreeMap<IndicatorId, usize> = if pools.keys().any(|to| !to.is_empty()) {
            kids.iter().enumerate().map(|(i, &k)| (k, i)).collect()
        } else {
            BTreeMap::new()
        };
        // What each sibling receives (allocated only when some sibling gives).
        let mut received = if pools.is_empty() {
            Vec::new()
        } else {
            vec![Decimal::ZERO; kids.len()]
        };
        // Per receiver: the first giver of each pool it received from, and how many gave.
        let mut givers_of: BTreeMap<usize, (Vec<String>, usize)> = BTreeMap::new();
        // Per giver: the step's transfers and the siblings it was pooled with.
        let mut shared: BTreeMap<usize, (Vec<Transfer>, Vec<String>)> = BTreeMap::new();
        for (to, givers) in &pools {
            let receivers: Vec<usize> = if to.is_empty() {
                (0..kids.len()).filter(|&i| !plan.held[kids[i].0]).collect()
            } else {
                to.iter()
                    .filter_map(|k| position.get(k).copied())
                    .filter(|&i| !plan.held[kids[i].0])
                    .collect()
            };
            let leader = givers[0];
            if receivers.is_empty() {
                return Err(EvalError::NotApplicable {
                    why: NoneApplies::Receivers {
                        indicator: self.rb.indicator(kids[leader]).name.to_string(),
                    },
                    span: self.na_span(kids[leader]),
                });
            }
            let pool = givers
                .iter()
                .map(|&g| plan.points[kids[g].0])
                .sum::<Decimal>();
            let weights: Vec<Decimal> = receivers.iter().map(|&i| plan.points[kids[i].0]).collect();
            let shares = self.reshare(pool, &weights, kids[leader])?;
            for (&r, share) in receivers.iter().zip(&shares) {
                received[r] += *share;
            }
            if !self.recording {
                continue;
            }
            let leader_name = self.rb.indicator(kids[leader]).name.to_string();
            let mut transfers = Vec::with_capacity(receivers.len());
            // A receiver names every giver while they are few, and the first of each pool after.
            let names: Vec<String> = if givers.len() <= NAMED_GIVERS {
                givers
                    .iter()
                    .map(|&g| self.rb.indicator(kids[g]).name.to_string())
                    .collect()
            } else {
                vec![leader_name.clone()]
            };
            for (&r, share) in receivers.iter().zip(shares) {
                let entry = givers_of.entry(r).or_default();
                if entry.0.len() + names.len() <= NAMED_GIVERS {
                    entry.0.extend(names.iter().cloned());
                } else {
                    entry.0.push(leader_name.clone());
                }
                entry.1 += givers.len();
                transfers.push(Transfer {
                    name: self.rb.indicator(kids[r]).name.to_string(),
                    points: Dec(share),
                });
            }
            // The leader's step shows the pool; the others point to the leader.
            let others: Vec<String> = givers[1..]
                .iter()
                .map(|&g| self.rb.indicator(kids[g]).name.to_string())
                .collect();
            shared.insert(leader, (transfers, others));
            for &g in &givers[1..] {
                shared.insert(g, (Vec::new(), vec![leader_name.clone()]));
            }
        }
        let mut counted = Decimal::ZERO;
        for (i, &k) in kids.iter().enumerate() {
            match plan.held[k.0] {
                true => {
                    let policy = policy(k);
                    if self.recording {
                        let (to, with) = shared.remove(&i).unwrap_or_default();
                        let step = Step::NotApplicable {
                            condition: Box::new(self.condition(k)),
                            policy,
                            points: Dec(plan.points[k.0]),
                            to,
                            with,
                        };
                        plan.notes[k.0].push(step);
                    }
                    plan.status[k.0] = Status::NotApplicable {
                        policy,
                        declared: plan.points[k.0],
                    };
                    if policy == Some(Policy::Full) {
                        counted += plan.points[k.0];
                    } else {
                        plan.points[k.0] = Decimal::ZERO;
                    }
                }
                false => {
                    let got = received.get(i).copied().unwrap_or_default();
                    if !got.is_zero() {
                        let from = plan.points[k.0];
                        let to = from + got;
                        if self.recording {
                            let (names, givers) = givers_of.remove(&i).unwrap_or_default();
                            plan.notes[k.0].push(Step::Reweight {
                                from: Dec(from),
                                to: Dec(to),
                                cause: Reweight::Redistributed {
                                    from: names,
                                    givers,
                                },
                            });
                        }
                        plan.points[k.0] = to;
                    }
                    plan.status[k.0] = Status::Scored;
                    counted += self.descend(plan, k)?;
                }
            }
        }
        Ok(counted)
    }

    /// Plans the children of a scored indicator; returns the points it counts for (its
    /// children's after any exclusion, or its own for a leaf).
    fn descend(&mut self, plan: &mut Plan, id: IndicatorId) -> Result<Decimal, EvalError> {
        // Borrowed from the rules, not from `self`: no copy of the names or the children.
        let rb = self.rb;
        let ind = rb.indicator(id);
        let (kids, alternatives) = match &ind.kind {
            IndicatorKind::Group(k) => (&k[..], false),
            IndicatorKind::Alternatives(k) => (&k[..], true),
            IndicatorKind::Formula(_)
            | IndicatorKind::Tiers(_)
            | IndicatorKind::Category(_)
            | IndicatorKind::Checklist(_)
            | IndicatorKind::Deductions(_)
            | IndicatorKind::Targets(_) => return Ok(plan.points[id.0]),
        };
        let points = plan.points[id.0];
        let scaled = (points != ind.points).then_some((points, ind.name.as_str()));
        let counted = self.allot(plan, kids, alternatives, scaled)?;
        plan.points[id.0] = counted;
        Ok(counted)
    }

    /// Where an indicator's `not applicable` line stands.
    pub(super) fn na_span(&self, id: IndicatorId) -> miette::SourceSpan {
        let ind = self.rb.indicator(id);
        ind.not_applicable
            .as_ref()
            .map_or(ind.span, |n| n.span)
            .into()
    }

    /// Whether an indicator's `not applicable` condition holds (false without one).
    fn not_applicable(&mut self, id: IndicatorId) -> Result<bool, EvalError> {
        let Some(na) = &self.rb.indicator(id).not_applicable else {
            return Ok(false);
        };
        self.current = Some(id);
        let holds = self.holds(&na.condition)?;
        self.rec
            .reach(na.span, if holds { Part::Then } else { Part::Else });
        Ok(holds)
    }

    /// An indicator's `not applicable` condition, for its step.
    fn condition(&self, id: IndicatorId) -> crate::trace::Term {
        match &self.rb.indicator(id).not_applicable {
            Some(na) => self.term(&na.condition),
            None => crate::trace::Term::Bool { value: false },
        }
    }

    /// `amount` shared in proportion to `weights`, in the rounding digits of the rule file.
    /// (Points are at most 1,000,000, so the arithmetic cannot overflow; the error is for the
    /// weights all being 0, which planning never passes.)
    fn reshare(
        &self,
        amount: Decimal,
        weights: &[Decimal],
        at: IndicatorId,
    ) -> Result<Vec<Decimal>, EvalError> {
        let name = self.rb.indicator(at).name.to_string();
        self.shares_for(amount, weights, name, self.rb.indicator(at).span)
    }

    /// [`proportional_shares`] in the rounding digits of the rule file, as an evaluation error
    /// naming `indicator` when it cannot be computed.
    pub(super) fn shares_for(
        &self,
        amount: Decimal,
        weights: &[Decimal],
        indicator: String,
        at: crate::source::Span,
    ) -> Result<Vec<Decimal>, EvalError> {
        proportional_shares(amount, weights, self.rb.rounding.digits).ok_or_else(|| {
            EvalError::Overflow {
                indicator,
                inputs: super::error::Read::default(),
                span: at.into(),
            }
        })
    }

    /// [`Self::shares_for`] for the indicator being scored.
    pub(super) fn shares(
        &self,
        amount: Decimal,
        weights: &[Decimal],
        at: crate::source::Span,
    ) -> Result<Vec<Decimal>, EvalError> {
        self.shares_for(amount, weights, self.name(), at)
    }
}

/// `amount` shared equally by `n` in units of `digits` decimals, adding up to `amount`
/// exactly: the first `larger` shares one unit more than the others (as
/// [`proportional_shares`] gives them with equal weights, without a vector).
#[derive(Clone, Copy, Debug)]
pub(crate) struct EqualShares {
    pub each: Decimal,
    pub larger: usize,
    pub unit: Decimal,
}

impl EqualShares {
    pub fn share(&self, i: usize) -> Decimal {
        if i < self.larger {
            self.each + self.unit
        } else {
            self.each
        }
    }
}

/// [`EqualShares`] of `amount` by `n`; `None` for no shares or when the arithmetic overflows.
pub(crate) fn equal_shares(amount: Decimal, n: usize, digits: u32) -> Option<EqualShares> {
    let count = Decimal::from(n);
    let unit = Decimal::new(1, digits);
    let exact = amount.checked_mul(Decimal::ONE)?.checked_div(count)?;
    let each = exact.round_dp_with_strategy(digits, rust_decimal::RoundingStrategy::ToZero);
    let larger = ((amount - each.checked_mul(count)?) / unit)
        .trunc()
        .to_usize()?;
    Some(EqualShares { each, larger, unit })
}

/// `amount` shared in proportion to `weights` in units of `digits` decimals, adding up to
/// `amount` exactly: each share is cut down to a whole number of units, and the units left over
/// go one each to the shares that lost the most in the cut (the first among equals). With equal
/// weights, the first shares take the remainder: 90 over 7 at 2 digits is five of 12.86 and two
/// of 12.85. `None` when the weights are all zero or the arithmetic overflows.
pub(crate) fn proportional_shares(
    amount: Decimal,
    weights: &[Decimal],
    digits: u32,
) -> Option<Vec<Decimal>> {
    if weights.is_empty() {
        return Some(Vec::new());
    }
    let sum = weights
        .iter()
        .try_fold(Decimal::ZERO, |a, w| a.checked_add(*w))?;
    if sum.is_zero() {
        return None;
    }
    let unit = Decimal::new(1, digits);
    // Equal shares (a target split): the same arithmetic once instead of once per share.
    if weights.iter().all(|w| *w == Decimal::ONE) {
        let equal = equal_shares(amount, weights.len(), digits)?;
        return Some((0..weights.len()).map(|i| equal.share(i)).collect());
    }
    let mut cut = Vec::with_capacity(weights.len());
    for w in weights {
        let exact = amount.checked_mul(*w)?.checked_div(sum)?;
        let down = exact.round_dp_with_strategy(digits, rust_decimal::RoundingStrategy::ToZero);
        cut.push((down, exact - down));
    }
    let given = cut.iter().map(|(d, _)| *d).sum::<Decimal>();
    let left = ((amount - given) / unit).trunc().to_usize()?;
    let mut order: Vec<usize> = (0..cut.len()).collect();
    // A stable sort: among equal losses, the earlier share gets the unit.
    order.sort_by(|&a, &b| cut[b].1.cmp(&cut[a].1));
    let mut shares: Vec<Decimal> = cut.iter().map(|(d, _)| *d).collect();
    for &i in order.iter().take(left) {
        shares[i] += unit;
    }
    Some(shares)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn shares_add_up_exactly() {
        let shares = proportional_shares(d("10"), &[d("20"), d("30"), d("20")], 2).unwrap();
        assert_eq!(shares, vec![d("2.86"), d("4.28"), d("2.86")]);
        assert_eq!(shares.iter().copied().sum::<Decimal>(), d("10"));
        let equal = proportional_shares(d("90"), &[Decimal::ONE; 7], 2).unwrap();
        assert_eq!(equal[0], d("12.86"));
        assert_eq!(equal[6], d("12.85"));
        assert_eq!(equal.iter().copied().sum::<Decimal>(), d("90"));
    }

    #[test]
    fn no_weight_no_shares() {
        assert_eq!(proportional_shares(d("5"), &[Decimal::ZERO], 2), None);
    }
}
