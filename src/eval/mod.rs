//! Stage 4 of the pipeline: a checked [`Rulebook`] and one [`Department`] → a [`Trace`].
//! Every value is an exact decimal; every cap, floor and rounding is recorded as a step.
//! The rule set is only read, so one checked rule set can score any number of departments.

mod applicability;
mod coverage;
mod deduct;
mod error;
mod expr;
mod targets;

use applicability::Status;
use coverage::Part;
pub use coverage::{Coverage, Gap};

pub use error::EvalError;

use rust_decimal::Decimal;

use crate::data::Department;
use crate::model::{
    Category, Checklist, Formula, IndicatorId, IndicatorKind, InputId, LetId, RoundPlace, Rulebook,
    Tiers,
};
use crate::number;
use crate::trace::{Dec, Engine, FileRef, Node, RatingBand, SCHEMA, Step, Trace};

/// A value during evaluation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Num(Decimal),
    Bool(bool),
    Text(String),
}

impl Value {
    /// The number in a value the checker typed as a number.
    fn num(&self) -> Decimal {
        match self {
            Value::Num(n) => *n,
            _ => Decimal::ZERO,
        }
    }

    fn show(&self) -> String {
        match self {
            Value::Num(n) => number::short(*n),
            Value::Bool(b) => if *b { "是" } else { "否" }.into(),
            Value::Text(t) => format!("“{t}”"),
        }
    }
}

/// The state of one department's evaluation: the `let` values computed so far.
pub(crate) struct Ctx<'a> {
    rb: &'a Rulebook,
    dept: &'a Department,
    lets: Vec<Option<Value>>,
    /// The indicator being scored, for error messages.
    indicator: String,
    /// Where reached branches, caps and floors are recorded, when a test run asks.
    coverage: Option<&'a mut Coverage>,
    /// The points each indicator is scored out of, once the points of indicators that do not
    /// apply are accounted for (its declared points unless something changed them).
    points: Vec<Decimal>,
    /// The value of each `let` before `round … each value` changed it.
    unrounded: Vec<Option<Decimal>>,
    /// For the leaf being scored, when its points changed: its declared points and its new
    /// ones. The leaf is scored as declared (its rule's amounts are written for those points)
    /// and the score converted in proportion, before rounding.
    scale: Option<(Decimal, Decimal)>,
}

/// Scores one department and explains every step.
///
/// ```
/// use jixiao::source::SourceFile;
/// let rules = SourceFile::new("r.jx", r#"
/// rulebook "示例" { total 10  rating 优 >= 9, 差 }
/// input 执行数: money
/// input 预算数: money
/// indicator 预算执行率 points 10 { score 执行数 / 预算数 * points }
/// "#);
/// let checked = jixiao::check::check(&jixiao::syntax::parse(&rules).unwrap(), &rules).unwrap();
/// let data = SourceFile::new("d.toml", "\"执行数\" = 3151.09\n\"预算数\" = 3156.9\n");
/// let dept = jixiao::data::load(&checked.rulebook, &data).unwrap();
/// let trace = jixiao::eval::evaluate(&checked.rulebook, &dept).unwrap();
/// assert_eq!(trace.total.0.to_string(), "9.98");
/// assert_eq!(trace.rating, "优");
/// ```
pub fn evaluate(rb: &Rulebook, dept: &Department) -> Result<Trace, EvalError> {
    evaluate_with(rb, dept, None)
}

/// [`evaluate`], recording into `coverage` which branches, caps and floors the department reached.
pub fn evaluate_with(
    rb: &Rulebook,
    dept: &Department,
    coverage: Option<&mut Coverage>,
) -> Result<Trace, EvalError> {
    let mut ctx = Ctx {
        rb,
        dept,
        lets: vec![None; rb.lets.len()],
        indicator: String::new(),
        coverage,
        points: Vec::new(),
        unrounded: vec![None; rb.lets.len()],
        scale: None,
    };
    let mut plan = ctx.plan()?;
    if plan.counted.is_zero()
        && let Some(&first) = rb.roots.first()
    {
        return Err(EvalError::NotApplicable {
            message: "every indicator is left out, so there is no score to convert".into(),
            span: ctx.na_span(first),
        });
    }
    ctx.points = std::mem::take(&mut plan.points);
    let mut indicators = Vec::with_capacity(rb.roots.len());
    for &id in &rb.roots {
        indicators.push(ctx.indicator(id, &mut plan)?);
    }
    let exact_total = indicators.iter().map(|n| n.score.0).sum::<Decimal>();
    // With indicators excluded, the scores of those that count are converted back to the
    // full scale: 得分合计 ÷ 参评分值 × 总分.
    let rescale = (plan.counted != rb.total)
        .then(|| {
            exact_total
                .checked_mul(rb.total)
                .and_then(|p| p.checked_div(plan.counted))
                .map(|value| crate::trace::Rescale {
                    counted: Dec(plan.counted),
                    sum: Dec(exact_total),
                    value: Dec(value),
                })
        })
        .flatten();
    let before_rounding = rescale.as_ref().map_or(exact_total, |r| r.value.0);
    let (total, total_rounding) = match rb.rounding.place {
        RoundPlace::EachIndicator if rescale.is_none() => (before_rounding, None),
        _ => ctx.rounded(before_rounding),
    };
    let band = rb.rate(total);
    let losses = crate::trace::losses(&indicators);
    Ok(Trace {
        schema: SCHEMA,
        engine: Engine::this(),
        title: rb.title.clone(),
        department: dept.name.clone(),
        year: dept.year.clone(),
        rules: FileRef::of(rb.source.main()),
        imports: rb.source.imports().map(FileRef::of).collect(),
        data: FileRef::of(&dept.source),
        rounding: rb.rounding,
        indicators,
        points: Dec(rb.total),
        rescale,
        total: Dec(total),
        deduction: Dec(rb.total - total),
        total_rounding,
        rating: band.map(|b| b.label.clone()).unwrap_or_default(),
        rating_band: RatingBand {
            label: band.map(|b| b.label.clone()).unwrap_or_default(),
            op: band.and_then(|b| b.bound.map(|(op, _)| op)),
            bound: band.and_then(|b| b.bound.map(|(_, v)| Dec(v))),
        },
        losses,
    })
}

impl Ctx<'_> {
    fn indicator(
        &mut self,
        id: IndicatorId,
        plan: &mut applicability::Plan,
    ) -> Result<Node, EvalError> {
        let ind = self.rb.indicator(id);
        self.indicator.clone_from(&ind.name);
        let points = self.points[id.0];
        let mut node = Node {
            name: ind.name.clone(),
            points: Dec(points),
            score: Dec(Decimal::ZERO),
            deduction: Dec(Decimal::ZERO),
            location: self.rb.source.location(ind.span),
            basis: ind.basis.clone(),
            steps: std::mem::take(&mut plan.notes[id.0]),
            children: Vec::new(),
        };
        match std::mem::replace(&mut plan.status[id.0], Status::Skipped) {
            Status::Scored | Status::Skipped => {}
            Status::NotApplicable(step) => {
                // Counted in full (`full`) or not at all: `points` already says which.
                if let Step::NotApplicable {
                    points: declared, ..
                } = &step
                {
                    node.points = *declared;
                }
                let full = matches!(
                    &step,
                    Step::NotApplicable {
                        policy: Some(crate::model::Policy::Full),
                        ..
                    }
                );
                node.steps.push(step);
                if full {
                    node.score = node.points;
                } else {
                    node.points = Dec(Decimal::ZERO);
                }
                return Ok(node);
            }
            Status::NotChosen(step) => {
                node.points = Dec(Decimal::ZERO);
                node.steps.push(step);
                return Ok(node);
            }
        }
        let mut steps = std::mem::take(&mut node.steps);
        // A target split shares out the new points itself; every other leaf is converted.
        self.scale = (points != ind.points && !matches!(ind.kind, IndicatorKind::Targets(_)))
            .then_some((ind.points, points));
        let points = if self.scale.is_some() {
            ind.points
        } else {
            points
        };
        match &ind.kind {
            IndicatorKind::Group(kids) | IndicatorKind::Alternatives(kids) => {
                for &kid in kids {
                    node.children.push(self.indicator(kid, plan)?);
                }
                node.score = Dec(node.children.iter().map(|c| c.score.0).sum());
            }
            IndicatorKind::Formula(f) => {
                steps.extend(self.score_formula(f, points)?);
                node.score = score_of(&steps);
            }
            IndicatorKind::Tiers(t) => {
                steps.extend(self.score_tiers(t, points)?);
                node.score = score_of(&steps);
            }
            IndicatorKind::Category(c) => {
                steps.extend(self.score_category(c, points)?);
                node.score = score_of(&steps);
            }
            IndicatorKind::Checklist(c) => {
                steps.extend(self.score_checklist(c, points)?);
                node.score = score_of(&steps);
            }
            IndicatorKind::Deductions(d) => {
                steps.extend(self.score_deductions(d, points)?);
                node.score = score_of(&steps);
            }
            IndicatorKind::Targets(rule) => {
                let (more, children) = self.targets(rule, points)?;
                steps.extend(more);
                node.children = children;
                // A count ratio scores the leaf itself; a split sums its generated children.
                node.score = if node.children.is_empty() {
                    score_of(&steps)
                } else {
                    Dec(node.children.iter().map(|c| c.score.0).sum())
                };
            }
        }
        node.steps = steps;
        node.deduction = Dec(node.points.0 - node.score.0);
        Ok(node)
    }

    /// The steps of a formula leaf: inputs read, lets, the score, its cap or floor, rounding.
    fn score_formula(&mut self, f: &Formula, points: Decimal) -> Result<Vec<Step>, EvalError> {
        let mut steps = self.reads(&f.reads, &f.lets)?;
        let raw = self.eval(&f.expr)?.num();
        steps.push(Step::Score {
            formula: self.formula(&f.expr),
            substituted: self.substituted(&f.expr),
            value: Dec(raw),
        });
        self.clamp(&mut steps, raw, points, f.span);
        Ok(steps)
    }

    /// The steps of a tiers leaf: inputs and lets, the value and the tier it falls in, that
    /// tier's score, then cap, floor and rounding as for a formula.
    fn score_tiers(&mut self, t: &Tiers, points: Decimal) -> Result<Vec<Step>, EvalError> {
        let mut steps = self.reads(&t.reads, &t.lets)?;
        let value = self.eval(&t.value)?.num();
        let Some(tier) = t.tiers.iter().find(|tier| tier.contains(value)) else {
            // Shown as the tiers are written: 70% where they speak in percentages.
            let percent = t.tiers.iter().any(crate::model::Tier::in_percent);
            let shown = match value.checked_mul(Decimal::ONE_HUNDRED) {
                Some(p) if percent => format!("{}%", number::short(p)),
                _ => number::short(value),
            };
            return Err(EvalError::NoTier {
                indicator: self.indicator.clone(),
                value: shown,
                span: t.value.span.into(),
            });
        };
        self.reach(tier.span, Part::Tier);
        let raw = self.eval(&tier.score)?.num();
        steps.push(Step::Tier {
            formula: self.formula(&t.value),
            substituted: self.substituted(&t.value),
            value: Dec(value),
            tier: tier.label.clone(),
            score_formula: self.formula(&tier.score),
            score_substituted: self.substituted(&tier.score),
            score: Dec(raw),
        });
        self.clamp(&mut steps, raw, points, t.span);
        Ok(steps)
    }

    /// The steps of a category: the value, the arm it matched and that arm's points. The
    /// checker makes every category exhaustive (`else` or every option of a `one of` input).
    fn score_category(&mut self, c: &Category, points: Decimal) -> Result<Vec<Step>, EvalError> {
        let mut steps = self.reads(&c.reads, &c.lets)?;
        let value = match self.eval(&c.value)? {
            Value::Text(t) => t,
            other => other.show(),
        };
        let arm = c
            .arms
            .iter()
            .find(|a| a.value.as_deref() == Some(value.as_str()))
            .or_else(|| c.arms.iter().find(|a| a.value.is_none()));
        let Some(arm) = arm else {
            return Err(EvalError::NoTier {
                indicator: self.indicator.clone(),
                value: format!("“{value}”"),
                span: c.value.span.into(),
            });
        };
        self.reach(arm.span, Part::Tier);
        let raw = self.eval(&arm.points)?.num();
        steps.push(Step::Category {
            formula: self.formula(&c.value),
            value: value.clone(),
            matched: arm.value.clone().unwrap_or_else(|| "else".into()),
            score: Dec(raw),
        });
        self.clamp(&mut steps, raw, points, c.span);
        Ok(steps)
    }

    /// The steps of a checklist: each item with the points it earned, then any veto that held
    /// (the score is then 0), then the sum, capped, floored and rounded.
    fn score_checklist(&mut self, c: &Checklist, points: Decimal) -> Result<Vec<Step>, EvalError> {
        let mut steps = self.reads(&c.reads, &c.lets)?;
        let mut earned = Vec::with_capacity(c.items.len());
        for item in &c.items {
            let holds = self.eval(&item.condition)? == Value::Bool(true);
            self.reach(item.span, if holds { Part::Then } else { Part::Else });
            let value = if holds {
                self.eval(&item.points)?.num()
            } else {
                Decimal::ZERO
            };
            steps.push(Step::Check {
                item: self.formula(&item.condition),
                holds,
                points: Dec(value),
            });
            earned.push(value);
        }
        let mut vetoed = false;
        for veto in &c.vetoes {
            if self.eval(&veto.condition)? == Value::Bool(true) {
                self.reach(veto.span, Part::Then);
                steps.push(Step::Veto {
                    condition: self.formula(&veto.condition),
                    reason: veto.reason.clone(),
                });
                vetoed = true;
            }
        }
        let sum = earned
            .iter()
            .try_fold(Decimal::ZERO, |a, b| a.checked_add(*b))
            .ok_or_else(|| EvalError::Overflow {
                indicator: self.indicator.clone(),
                inputs: String::new(),
                span: c.span.into(),
            })?;
        let raw = if vetoed { Decimal::ZERO } else { sum };
        let terms: Vec<String> = earned.iter().map(|e| number::short(*e)).collect();
        steps.push(Step::Score {
            formula: if vetoed {
                "否决".into()
            } else {
                "各项得分之和".into()
            },
            substituted: if vetoed {
                "0".into()
            } else {
                terms.join(" + ")
            },
            value: Dec(raw),
        });
        self.clamp(&mut steps, raw, points, c.span);
        Ok(steps)
    }

    /// The inputs a leaf reads and the lets it needs, as the first steps of its trace.
    fn reads(&mut self, reads: &[InputId], lets: &[LetId]) -> Result<Vec<Step>, EvalError> {
        let mut steps = Vec::new();
        for id in reads {
            steps.push(Step::Input {
                name: self.rb.inputs[id.0].name.clone(),
                value: self.input_text(id.0),
            });
        }
        for &id in lets {
            let value = self.let_value(id)?;
            let def = &self.rb.lets[id.0];
            steps.push(Step::Let {
                name: def.name.clone(),
                formula: self.formula(&def.expr),
                substituted: self.substituted(&def.expr),
                value: Dec(value.num()),
                unrounded: self.unrounded[id.0].map(Dec),
            });
        }
        Ok(steps)
    }

    /// A leaf's raw score capped at its points (满分为止), floored at 0 (扣完为止) and rounded,
    /// each as a step; `rule` identifies the rule for coverage.
    fn clamp(
        &mut self,
        steps: &mut Vec<Step>,
        raw: Decimal,
        points: Decimal,
        rule: crate::source::Span,
    ) {
        let clamped = if raw > points {
            self.reach(rule, Part::Cap);
            steps.push(Step::Cap {
                from: Dec(raw),
                to: Dec(points),
            });
            points
        } else if raw < Decimal::ZERO {
            self.reach(rule, Part::Floor);
            steps.push(Step::Floor {
                from: Dec(raw),
                to: Dec(Decimal::ZERO),
            });
            Decimal::ZERO
        } else {
            raw
        };
        self.finish(steps, clamped);
    }

    /// Rounds a leaf's score when the rules round each indicator, recording the step.
    fn finish(&self, steps: &mut Vec<Step>, value: Decimal) {
        // Scores and points are at most 1,000,000 (checked), so this cannot overflow.
        let value = match self.scale {
            Some((declared, points)) => {
                let to = value * points / declared;
                steps.push(Step::Scale {
                    score: Dec(value),
                    declared: Dec(declared),
                    points: Dec(points),
                    value: Dec(to),
                });
                to
            }
            None => value,
        };
        if self.rb.rounding.place == RoundPlace::EachIndicator {
            let (_, step) = self.rounded(value);
            steps.extend(step);
        }
    }

    /// `value` rounded as the header says, and the step when rounding changed it.
    fn rounded(&self, value: Decimal) -> (Decimal, Option<Step>) {
        let r = self.rb.rounding;
        let to = number::round(value, r.mode, r.digits);
        let step = (to != value).then_some(Step::Round {
            mode: r.mode,
            digits: r.digits,
            from: Dec(value),
            to: Dec(to),
        });
        (to, step)
    }

    fn reach(&mut self, span: crate::source::Span, part: Part) {
        if let Some(c) = self.coverage.as_deref_mut() {
            c.reached.insert((span, part));
        }
    }

    fn let_value(&mut self, id: LetId) -> Result<Value, EvalError> {
        if let Some(v) = &self.lets[id.0] {
            return Ok(v.clone());
        }
        let mut v = self.eval(&self.rb.lets[id.0].expr)?;
        // `round … each value`: a number is rounded as it is computed, and later formulas use
        // the rounded value.
        if let (Value::Num(n), Some(r)) = (&v, self.rb.rounding.values) {
            let rounded = number::round(*n, r.mode, r.digits);
            if rounded != *n {
                self.unrounded[id.0] = Some(*n);
                v = Value::Num(rounded);
            }
        }
        self.lets[id.0] = Some(v.clone());
        Ok(v)
    }
}

/// A leaf's score: the value of its last scoring step (the score, then cap/floor, then rounding).
fn score_of(steps: &[Step]) -> Dec {
    steps
        .iter()
        .rev()
        .find_map(|s| match s {
            Step::Round { to, .. } | Step::Cap { to, .. } | Step::Floor { to, .. } => Some(*to),
            Step::Score { value, .. }
            | Step::Scale { value, .. }
            | Step::Tier { score: value, .. }
            | Step::Category { score: value, .. } => Some(*value),
            _ => None,
        })
        .unwrap_or(Dec(Decimal::ZERO))
}
