//! Stage 4 of the pipeline: a checked [`Rulebook`] and one [`Department`] → [`Scores`], and,
//! for a recorder that keeps them, the typed steps that explain them (a [`Trace`]). Every value
//! is an exact decimal. The evaluator computes; it makes no text: what happened is reported to a
//! [`Recorder`] as typed facts, and the printers in `report` put them into words.
//! The rule set is only read, so one checked rule set can score any number of departments.

mod applicability;
mod coverage;
mod deduct;
mod error;
mod expr;
mod record;
mod targets;
mod terms;

use applicability::Status;
pub use coverage::Part;
pub use coverage::{Coverage, Gap, Unreached};
pub use record::{Both, Head, Recorder, Tracer};

pub use error::{EvalError, NoneApplies};

use rust_decimal::Decimal;

use crate::data::Department;
use crate::model::{
    Category, Checklist, Formula, IndicatorId, IndicatorKind, InputId, LetId, RoundPlace, Rulebook,
    Tiers,
};
use crate::number;
use crate::trace::{Dec, Engine, FileRef, RatingBand, Rescale, SCHEMA, Step, Trace};

/// A value during evaluation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Num(Decimal),
    Bool(bool),
    Text(String),
}

/// The state of one department's evaluation: the `let` values computed so far. It is generic
/// over its recorder, so that the fast path's `()` and the trace's [`Tracer`] are each called
/// directly (and their calls made inline), not through a table of methods.
pub(crate) struct Ctx<'a, R: Recorder + ?Sized> {
    rb: &'a Rulebook,
    dept: &'a Department,
    lets: Vec<Option<Value>>,
    /// The indicator being scored, for error messages.
    current: Option<IndicatorId>,
    rec: &'a mut R,
    /// Whether `rec` keeps steps (asked once: it does not change).
    recording: bool,
    /// The points each indicator is scored out of, once the points of indicators that do not
    /// apply are accounted for (its declared points unless something changed them).
    points: Vec<Decimal>,
    /// The value of each `let` before `round … each value` changed it.
    unrounded: Vec<Option<Decimal>>,
    /// For the leaf being scored, when its points changed: its declared points and its new
    /// ones. The leaf is scored as declared (its rule's amounts are written for those points)
    /// and the score converted in proportion, before rounding.
    scale: Option<(Decimal, Decimal)>,
    /// Each indicator's score, by id (0 for those not scored).
    scores: Vec<Decimal>,
}

/// What scoring a department computes: the total, its rating, and every indicator's score.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Scores {
    /// Each indicator's score, by [`IndicatorId`] (0 for one not scored).
    pub indicators: Vec<Decimal>,
    /// Each indicator's points as scored, by [`IndicatorId`]: its declared points unless
    /// indicators that do not apply changed them (0 for one left out or not chosen, and for
    /// every indicator below one that is not scored).
    pub points: Vec<Decimal>,
    /// The scores of the top-level indicators added up, exactly.
    pub sum: Decimal,
    /// The conversion back to the full scale, when indicators were excluded.
    pub rescale: Option<Rescale>,
    /// The total before the rounding of the total (the sum, or its conversion).
    pub unrounded: Decimal,
    /// The total score.
    pub total: Decimal,
    /// The rating band the total falls in, by its place in the rule file's rating list.
    pub band: Option<usize>,
}

impl Scores {
    /// The rating label (优, 良 …) in `rb`, the rule set that computed these scores.
    pub fn rating<'r>(&self, rb: &'r Rulebook) -> &'r str {
        self.band
            .and_then(|b| rb.rating.get(b))
            .map_or("", |b| b.label.as_str())
    }
}

/// Scores one department, recording nothing: the fast path for scoring many.
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
/// let scores = jixiao::eval::score(&checked.rulebook, &dept).unwrap();
/// assert_eq!(scores.total.to_string(), "9.98");
/// assert_eq!(scores.rating(&checked.rulebook), "优");
/// ```
pub fn score(rb: &Rulebook, dept: &Department) -> Result<Scores, EvalError> {
    run_with(rb, dept, &mut ())
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
    let mut tracer = Tracer::with_roots(rb.roots.len());
    let scores = match coverage {
        Some(c) => run(rb, dept, &mut Both(&mut tracer, c))?,
        None => run_with(rb, dept, &mut tracer)?,
    };
    Ok(trace(rb, dept, &scores, tracer))
}

/// Scores one department, reporting what happened to `rec`.
pub fn run(rb: &Rulebook, dept: &Department, rec: &mut dyn Recorder) -> Result<Scores, EvalError> {
    run_with(rb, dept, rec)
}

/// [`run`] for one kind of recorder.
fn run_with<R: Recorder + ?Sized>(
    rb: &Rulebook,
    dept: &Department,
    rec: &mut R,
) -> Result<Scores, EvalError> {
    let recording = rec.keeps_steps();
    let mut ctx = Ctx {
        rb,
        dept,
        lets: vec![None; rb.lets.len()],
        current: None,
        rec,
        recording,
        points: Vec::new(),
        // Only `round … each value` changes a let as it is computed.
        unrounded: if rb.rounding.values.is_some() {
            vec![None; rb.lets.len()]
        } else {
            Vec::new()
        },
        scale: None,
        scores: vec![Decimal::ZERO; rb.indicators.len()],
    };
    let mut plan = ctx.plan()?;
    if plan.counted.is_zero()
        && let Some(&first) = rb.roots.first()
    {
        return Err(EvalError::NotApplicable {
            why: error::NoneApplies::EveryIndicator,
            span: ctx.na_span(first),
        });
    }
    ctx.points = std::mem::take(&mut plan.points);
    let mut sum = Decimal::ZERO;
    for &id in &rb.roots {
        sum += ctx.indicator(id, &mut plan)?;
    }
    // With indicators excluded, the scores of those that count are converted back to the
    // full scale: 得分合计 ÷ 参评分值 × 总分.
    let rescale = (plan.counted != rb.total)
        .then(|| {
            sum.checked_mul(rb.total)
                .and_then(|p| p.checked_div(plan.counted))
                .map(|value| Rescale {
                    counted: Dec(plan.counted),
                    sum: Dec(sum),
                    value: Dec(value),
                })
        })
        .flatten();
    let unrounded = rescale.as_ref().map_or(sum, |r| r.value.0);
    let total = match rb.rounding.place {
        RoundPlace::EachIndicator if rescale.is_none() => unrounded,
        RoundPlace::EachIndicator | RoundPlace::Total | RoundPlace::EachValue => {
            number::round(unrounded, rb.rounding.mode, rb.rounding.digits)
        }
    };
    let band = rb.rate(total).and_then(|b| {
        rb.rating
            .iter()
            .position(|candidate| std::ptr::eq(candidate, b))
    });
    Ok(Scores {
        indicators: ctx.scores,
        points: ctx.points,
        sum,
        rescale,
        unrounded,
        total,
        band,
    })
}

/// The trace of a department from its scores and the indicator tree a [`Tracer`] built.
fn trace(rb: &Rulebook, dept: &Department, scores: &Scores, tracer: Tracer) -> Trace {
    let reports = tracer.reports();
    let (indicators, losses) = tracer.into_parts();
    // The tracer lists the losses as each leaf is left, rather than in a walk of the tree after;
    // the walk stays the definition, and the tests (built with debug assertions) hold the two
    // together.
    debug_assert_eq!(losses, crate::trace::losses(&indicators));
    let each = rb.rounding.place == crate::model::RoundPlace::EachIndicator;
    // Only where some indicator carries a reported score is the tree walked for differences.
    let differences = match reports {
        true => crate::trace::differences(
            &indicators,
            each.then_some((rb.rounding.mode, rb.rounding.digits)),
        ),
        false => Vec::new(),
    };
    let band = scores.band.and_then(|b| rb.rating.get(b));
    let r = rb.rounding;
    let total_rounding = (scores.total != scores.unrounded).then_some(Step::Round {
        mode: r.mode,
        digits: r.digits,
        from: Dec(scores.unrounded),
        to: Dec(scores.total),
    });
    Trace {
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
        rescale: scores.rescale.clone(),
        total: Dec(scores.total),
        deduction: Dec(rb.total - scores.total),
        total_rounding,
        rating: band.map(|b| b.label.as_str().into()).unwrap_or_default(),
        rating_band: RatingBand {
            label: band.map(|b| b.label.as_str().into()).unwrap_or_default(),
            op: band.and_then(|b| b.bound.map(|(op, _)| op)),
            bound: band.and_then(|b| b.bound.map(|(_, v)| Dec(v))),
        },
        losses,
        reported: dept.reported.total.map(Dec),
        differences,
        details: dept
            .details
            .iter()
            .map(|(name, value)| crate::trace::Column {
                name: name.clone(),
                value: value.clone(),
            })
            .collect(),
    }
}

impl<R: Recorder + ?Sized> Ctx<'_, R> {
    /// Scores one indicator and everything under it; returns its score.
    fn indicator(
        &mut self,
        id: IndicatorId,
        plan: &mut applicability::Plan,
    ) -> Result<Decimal, EvalError> {
        let ind = self.rb.indicator(id);
        self.current = Some(id);
        let points = self.points[id.0];
        if self.recording {
            let mut head = record::Head::new(
                ind.name.as_str().into(),
                crate::trace::Location::in_rules(&self.rb.source, ind.span),
                ind.basis.as_deref().map(str::to_string),
            );
            head.reported = self
                .dept
                .reported
                .indicators
                .iter()
                .find(|(name, _)| *name == ind.name)
                .map(|(_, score)| *score);
            self.rec.enter(head);
            for step in std::mem::take(&mut plan.notes[id.0]) {
                self.rec.step(step);
            }
        }
        let (points, score) = match std::mem::replace(&mut plan.status[id.0], Status::Skipped) {
            Status::Scored | Status::Skipped => (points, self.scored(id, points, plan)?),
            // Counted in full, or not at all.
            Status::NotApplicable { policy, declared } => {
                self.not_scored_below(id);
                if policy == Some(crate::model::Policy::Full) {
                    (declared, declared)
                } else {
                    (Decimal::ZERO, Decimal::ZERO)
                }
            }
            Status::NotChosen => {
                self.not_scored_below(id);
                (Decimal::ZERO, Decimal::ZERO)
            }
        };
        self.scores[id.0] = score;
        self.points[id.0] = points;
        self.rec.leave(points, score);
        Ok(score)
    }

    /// The indicators below one that is not scored are not scored either: out of 0 points.
    fn not_scored_below(&mut self, id: IndicatorId) {
        let rb = self.rb;
        let kids = match &rb.indicator(id).kind {
            IndicatorKind::Group(kids) | IndicatorKind::Alternatives(kids) => &kids[..],
            IndicatorKind::Formula(_)
            | IndicatorKind::Tiers(_)
            | IndicatorKind::Category(_)
            | IndicatorKind::Checklist(_)
            | IndicatorKind::Deductions(_)
            | IndicatorKind::Targets(_) => &[],
        };
        for &kid in kids {
            self.points[kid.0] = Decimal::ZERO;
            self.not_scored_below(kid);
        }
    }

    /// The score of an indicator that is scored by its rule, out of `points`.
    fn scored(
        &mut self,
        id: IndicatorId,
        points: Decimal,
        plan: &mut applicability::Plan,
    ) -> Result<Decimal, EvalError> {
        let ind = self.rb.indicator(id);
        // A target split shares out the new points itself; every other leaf is converted.
        self.scale = (points != ind.points && !matches!(ind.kind, IndicatorKind::Targets(_)))
            .then_some((ind.points, points));
        let declared = if self.scale.is_some() {
            ind.points
        } else {
            points
        };
        Ok(match &ind.kind {
            IndicatorKind::Group(kids) | IndicatorKind::Alternatives(kids) => {
                if self.recording {
                    self.rec.reserve_children(kids.len());
                }
                let mut sum = Decimal::ZERO;
                for &kid in kids {
                    sum += self.indicator(kid, plan)?;
                }
                self.current = Some(id);
                sum
            }
            IndicatorKind::Formula(f) => self.score_formula(f, declared)?,
            IndicatorKind::Tiers(t) => self.score_tiers(t, declared)?,
            IndicatorKind::Category(c) => self.score_category(c, declared)?,
            IndicatorKind::Checklist(c) => self.score_checklist(c, declared)?,
            IndicatorKind::Deductions(d) => self.score_deductions(d, declared)?,
            IndicatorKind::Targets(rule) => self.targets(rule, declared)?,
        })
    }

    /// Hands a step to the recorder, building it only when the recorder keeps steps.
    fn note(&mut self, make: impl FnOnce(&Self) -> Step) {
        if self.recording {
            let step = make(self);
            self.rec.step(step);
        }
    }

    /// [`Self::note`] for a step built from what `make` holds, without the evaluator: built
    /// where the recorder keeps it, when it can (a [`Tracer`]: see [`crate::trace::Steps::push_with`]).
    /// (The steps of every target record are noted so. `make` is called in two places here: a
    /// large one is marked `#[inline(always)]`, or it is called, and the step it returns copied.)
    #[inline(always)]
    fn put(&mut self, make: impl FnOnce() -> Step) {
        if self.recording {
            match self.rec.steps() {
                Some(steps) => steps.push_with(make),
                None => self.rec.step(make()),
            }
        }
    }

    /// The name of the indicator being scored, for an error message.
    fn name(&self) -> String {
        self.current
            .map(|id| self.rb.indicator(id).name.to_string())
            .unwrap_or_default()
    }

    /// A number the checker typed as a number; otherwise an internal error, never a 0.
    fn number(&mut self, e: &crate::model::Expr) -> Result<Decimal, EvalError> {
        match self.eval(e)? {
            Value::Num(n) => Ok(n),
            Value::Bool(_) | Value::Text(_) => Err(EvalError::Mistyped {
                indicator: self.name(),
                span: e.span.into(),
            }),
        }
    }

    /// Whether a condition the checker typed as yes/no holds.
    fn holds(&mut self, e: &crate::model::Expr) -> Result<bool, EvalError> {
        match self.eval(e)? {
            Value::Bool(b) => Ok(b),
            Value::Num(_) | Value::Text(_) => Err(EvalError::Mistyped {
                indicator: self.name(),
                span: e.span.into(),
            }),
        }
    }

    /// A formula leaf: inputs read, lets, the score, its cap or floor, rounding.
    fn score_formula(&mut self, f: &Formula, points: Decimal) -> Result<Decimal, EvalError> {
        self.reads(&f.reads, &f.lets)?;
        let raw = self.number(&f.expr)?;
        self.note(|c| Step::Score {
            formula: c.term(&f.expr),
            value: Dec(raw),
        });
        Ok(self.clamp(raw, points, f.span))
    }

    /// A tiers leaf: inputs and lets, the value and the tier it falls in, that tier's score,
    /// then cap, floor and rounding as for a formula.
    fn score_tiers(&mut self, t: &Tiers, points: Decimal) -> Result<Decimal, EvalError> {
        self.reads(&t.reads, &t.lets)?;
        let value = self.number(&t.value)?;
        let percent = t.tiers.iter().any(crate::model::Tier::in_percent);
        let Some(tier) = t.tiers.iter().find(|tier| tier.contains(value)) else {
            // Shown as the tiers are written: 70% where they speak in percentages.
            let shown = match value.checked_mul(Decimal::ONE_HUNDRED) {
                Some(p) if percent => format!("{}%", number::short(p)),
                _ => number::short(value),
            };
            return Err(EvalError::NoTier {
                indicator: self.name(),
                value: shown,
                span: t.value.span.into(),
            });
        };
        self.rec.reach(tier.span, Part::Tier);
        let raw = self.number(&tier.score)?;
        self.note(|c| {
            let bound = |b: Option<crate::model::TierBound>| {
                b.map(|b| crate::trace::Bound {
                    value: Dec(if b.percent {
                        b.value * Decimal::ONE_HUNDRED
                    } else {
                        b.value
                    }),
                    percent: b.percent,
                    inclusive: b.inclusive,
                })
            };
            Step::Tier(Box::new(crate::trace::TierStep {
                formula: c.term(&t.value),
                value: Dec(value),
                percent,
                lower: bound(tier.lower),
                upper: bound(tier.upper),
                label: tier.label.to_string(),
                score_formula: c.term(&tier.score),
                score: Dec(raw),
            }))
        });
        Ok(self.clamp(raw, points, t.span))
    }

    /// A category: the value, the arm it matched and that arm's points. The checker makes every
    /// category exhaustive (`else` or every option of a `one of` input).
    fn score_category(&mut self, c: &Category, points: Decimal) -> Result<Decimal, EvalError> {
        self.reads(&c.reads, &c.lets)?;
        let value = self.eval(&c.value)?;
        let text = match &value {
            Value::Text(t) => Some(t.as_str()),
            Value::Num(_) | Value::Bool(_) => None,
        };
        let arm = c
            .arms
            .iter()
            .find(|a| a.value.is_some() && a.value.as_deref() == text)
            .or_else(|| c.arms.iter().find(|a| a.value.is_none()));
        let Some(arm) = arm else {
            return Err(EvalError::NoTier {
                indicator: self.name(),
                value: format!("“{}”", text.unwrap_or_default()),
                span: c.value.span.into(),
            });
        };
        self.rec.reach(arm.span, Part::Tier);
        let raw = self.number(&arm.points)?;
        self.note(|ctx| Step::Category {
            formula: Box::new(ctx.term(&c.value)),
            value: ctx.computed(&value, crate::model::Unit::Unknown),
            matched: arm.value.as_deref().map(str::to_string),
            score: Dec(raw),
        });
        Ok(self.clamp(raw, points, c.span))
    }

    /// A checklist: each item with the points it earned, then any veto that held (the score is
    /// then 0), then the sum, capped, floored and rounded.
    fn score_checklist(&mut self, c: &Checklist, points: Decimal) -> Result<Decimal, EvalError> {
        self.reads(&c.reads, &c.lets)?;
        let mut sum = Decimal::ZERO;
        let mut earned = if self.recording {
            Vec::with_capacity(c.items.len())
        } else {
            Vec::new()
        };
        for item in &c.items {
            let holds = self.holds(&item.condition)?;
            self.rec
                .reach(item.span, if holds { Part::Then } else { Part::Else });
            let value = if holds {
                self.number(&item.points)?
            } else {
                Decimal::ZERO
            };
            self.note(|ctx| Step::Check {
                condition: ctx.term(&item.condition),
                holds,
                points: Dec(value),
            });
            if self.recording {
                earned.push(Dec(value));
            }
            sum = sum.checked_add(value).ok_or_else(|| EvalError::Overflow {
                indicator: self.name(),
                inputs: error::Read::default(),
                span: c.span.into(),
            })?;
        }
        let mut vetoed = false;
        for veto in &c.vetoes {
            if self.holds(&veto.condition)? {
                self.rec.reach(veto.span, Part::Then);
                self.note(|ctx| Step::Veto {
                    condition: ctx.term(&veto.condition),
                    reason: veto.reason.as_deref().map(str::to_string),
                });
                vetoed = true;
            }
        }
        let raw = if vetoed { Decimal::ZERO } else { sum };
        self.put(|| Step::Checklist {
            earned,
            vetoed,
            value: Dec(raw),
        });
        Ok(self.clamp(raw, points, c.span))
    }

    /// The inputs a leaf reads and the lets it needs, as the first steps of its trace.
    fn reads(&mut self, reads: &[InputId], lets: &[LetId]) -> Result<(), EvalError> {
        // A leaf whose steps will not fit in its node (its inputs, its lets and its score, more
        // than three) has room made for them at once, and for the cap or floor, conversion and
        // rounding that may follow, rather than growing twice (a checklist's items may grow it
        // again). One that may fit is left in its node.
        let sure = reads.len() + lets.len() + 1;
        if self.recording
            && sure > crate::trace::Steps::HELD
            && let Some(steps) = self.rec.steps()
        {
            steps.reserve(sure + 3);
        }
        for id in reads {
            self.note(|c| Step::Input {
                name: c.rb.inputs[id.0].name.as_str().into(),
                value: c.datum(id.0),
            });
        }
        for &id in lets {
            let value = self.let_value(id)?;
            self.note(|c| {
                let def = &c.rb.lets[id.0];
                Step::Let {
                    name: def.name.as_str().into(),
                    formula: Box::new(c.term(&def.expr)),
                    value: c.computed(&value, def.unit),
                    unrounded: c.unrounded.get(id.0).copied().flatten().map(Dec),
                }
            });
        }
        Ok(())
    }

    /// A leaf's raw score capped at its points (满分为止), floored at 0 (扣完为止) and rounded,
    /// each as a step; `rule` identifies the rule for coverage.
    fn clamp(&mut self, raw: Decimal, points: Decimal, rule: crate::source::Span) -> Decimal {
        let clamped = if number::cmp(raw, points).is_gt() {
            self.rec.reach(rule, Part::Cap);
            self.put(|| Step::Cap {
                from: Dec(raw),
                to: Dec(points),
            });
            points
        } else if raw.is_sign_negative() && !raw.is_zero() {
            self.rec.reach(rule, Part::Floor);
            self.put(|| Step::Floor {
                from: Dec(raw),
                to: Dec(Decimal::ZERO),
            });
            Decimal::ZERO
        } else {
            raw
        };
        self.finish(clamped)
    }

    /// A leaf's score converted to its new points (when they changed) and rounded when the rules
    /// round each indicator, each recorded as a step.
    #[inline]
    fn finish(&mut self, value: Decimal) -> Decimal {
        // Scores and points are at most 1,000,000 (checked), so this cannot overflow.
        let value = match self.scale {
            Some((declared, points)) => {
                let to = value * points / declared;
                self.put(|| Step::Scale {
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
            self.round(value)
        } else {
            value
        }
    }

    /// `value` rounded as the header says, recording the rounding when it changed the value.
    #[inline]
    fn round(&mut self, value: Decimal) -> Decimal {
        let r = self.rb.rounding;
        let to = number::round(value, r.mode, r.digits);
        // Compared only for a step to record: the comparison costs as much as the rounding. A
        // value already within the digits is returned as it is (`number::round`): not compared.
        if self.recording && value.scale() > r.digits && to != value {
            self.put(|| Step::Round {
                mode: r.mode,
                digits: r.digits,
                from: Dec(value),
                to: Dec(to),
            });
        }
        to
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
