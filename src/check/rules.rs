//! The scoring rules of a leaf indicator, one function for each kind: `score` (a formula),
//! `tiers`, `category`, `checklist`, `deduct` and `targets`. The tree walk (`tree.rs`) calls
//! them for each rule line it meets; each checks its expressions' types and units and returns
//! the rule as the model scores it, with everything it reads.

use rust_decimal::Decimal;

use super::{CheckError, Checker, Deps, WrittenNumbers, closest, tiers, units, weights};
use crate::model::{self, IndicatorId, Type};
use crate::syntax::ast;

impl Checker {
    pub(super) fn formula(
        &mut self,
        s: &ast::ScoreRule,
        owner: IndicatorId,
    ) -> Option<model::IndicatorKind> {
        let mut deps = Deps::default();
        let (expr, ty) = self.expr(&s.expr, Some(owner), &mut deps);
        self.expect_type(
            ty,
            Type::Number,
            crate::diagnostics::Text::new("a score", "得分"),
            s.expr.span,
        );
        let (reads, lets) = self.reads(deps);
        Some(model::IndicatorKind::Formula(Box::new(model::Formula {
            expr,
            reads,
            lets,
            span: s.span,
        })))
    }

    pub(super) fn tiers(
        &mut self,
        t: &ast::TiersRule,
        owner: IndicatorId,
    ) -> Option<model::IndicatorKind> {
        let mut deps = Deps::default();
        let (value, ty) = self.expr(&t.value, Some(owner), &mut deps);
        self.expect_type(
            ty,
            Type::Number,
            crate::diagnostics::Text::new("the value of `tiers`", "`tiers` 衡量的值"),
            t.value.span,
        );
        let mut tiers = Vec::with_capacity(t.tiers.len());
        for tier in &t.tiers {
            let (score, ty) = self.expr(&tier.score, Some(owner), &mut deps);
            self.expect_type(
                ty,
                Type::Number,
                crate::diagnostics::Text::new("a tier's score", "一档的得分"),
                tier.score.span,
            );
            tiers.push(model::Tier {
                lower: tier.range.lower,
                upper: tier.range.upper,
                label: tier.range.text.as_str().into(),
                score,
                span: tier.span,
            });
        }
        let written = units::bounds(t.tiers.iter().map(|tier| &tier.range));
        let unit = self.unit(&value);
        self.units_agree(WrittenNumbers::TierBounds, unit, t.value.span, &written);
        tiers::analyse(&mut self.errors, &tiers, t.span);
        let (reads, lets) = self.reads(deps);
        Some(model::IndicatorKind::Tiers(Box::new(model::Tiers {
            value,
            tiers,
            reads,
            lets,
            span: t.span,
        })))
    }

    pub(super) fn category(
        &mut self,
        c: &ast::CategoryRule,
        owner: IndicatorId,
    ) -> Option<model::IndicatorKind> {
        let mut deps = Deps::default();
        let (value, ty) = self.expr(&c.value, Some(owner), &mut deps);
        self.expect_type(
            ty,
            Type::Text,
            crate::diagnostics::Text::new("the value of `category`", "`category` 衡量的值"),
            c.value.span,
        );
        // The options of a `one of` input named directly, for checking the arms against.
        let input = match value.kind {
            model::ExprKind::Input(id) if self.inputs[id.0].ty == model::InputType::Category => {
                Some(id)
            }
            _ => None,
        };
        let mut arms = Vec::with_capacity(c.arms.len());
        for arm in &c.arms {
            let (points, ty) = self.expr(&arm.points, Some(owner), &mut deps);
            self.expect_type(
                ty,
                Type::Number,
                crate::diagnostics::Text::new("the points of a category", "分类的分值"),
                arm.points.span,
            );
            if let (Some(v), Some(id)) = (&arm.value, input) {
                let options = &self.inputs[id.0].options;
                if !options.contains(&v.value) {
                    let near = closest(&v.value, options.iter().map(String::as_str));
                    self.errors.push(CheckError::UnknownCategory {
                        value: v.value.clone(),
                        input: self.inputs[id.0].name.clone(),
                        options: options.join("、"),
                        nearest: near.map(String::from),
                        span: v.span.into(),
                    });
                }
            }
            arms.push(model::CategoryArm {
                value: arm.value.as_ref().map(|v| self.excerpt(v)),
                points,
                span: arm.span,
            });
        }
        if !arms.iter().any(|a| a.value.is_none()) {
            let missing: Vec<String> = match input {
                Some(id) => self.inputs[id.0]
                    .options
                    .iter()
                    .filter(|o| !arms.iter().any(|a| a.value.as_deref() == Some(o.as_str())))
                    .map(|o| format!("\"{o}\""))
                    .collect(),
                None => vec!["every value not listed".into()],
            };
            if !missing.is_empty() {
                self.errors.push(CheckError::CategoryIncomplete {
                    missing: missing.join("、"),
                    span: c.span.into(),
                });
            }
        }
        let (reads, lets) = self.reads(deps);
        Some(model::IndicatorKind::Category(Box::new(model::Category {
            value,
            arms,
            reads,
            lets,
            span: c.span,
        })))
    }

    pub(super) fn checklist(
        &mut self,
        c: &ast::ChecklistRule,
        owner: IndicatorId,
        points: &crate::source::Spanned<Decimal>,
    ) -> Option<model::IndicatorKind> {
        let mut deps = Deps::default();
        let mut items = Vec::with_capacity(c.items.len());
        for item in &c.items {
            let (condition, ty) = self.expr(&item.condition, Some(owner), &mut deps);
            self.expect_type(
                ty,
                Type::Bool,
                crate::diagnostics::Text::new("a checklist item", "检查项"),
                item.condition.span,
            );
            let (value, ty) = self.expr(&item.points, Some(owner), &mut deps);
            self.expect_type(
                ty,
                Type::Number,
                crate::diagnostics::Text::new("the points of a checklist item", "检查项的分值"),
                item.points.span,
            );
            items.push(model::CheckItem {
                condition,
                points: value,
                span: item.span,
            });
        }
        let mut vetoes = Vec::with_capacity(c.vetoes.len());
        for veto in &c.vetoes {
            let (condition, ty) = self.expr(&veto.condition, Some(owner), &mut deps);
            self.expect_type(
                ty,
                Type::Bool,
                crate::diagnostics::Text::new("the condition of `veto`", "`veto` 的条件"),
                veto.condition.span,
            );
            vetoes.push(model::Veto {
                condition,
                reason: veto.reason.as_ref().map(|r| self.excerpt(r)),
                span: veto.span,
            });
        }
        weights::checklist(&mut self.errors, c, points);
        let (reads, lets) = self.reads(deps);
        Some(model::IndicatorKind::Checklist(Box::new(
            model::Checklist {
                items,
                vetoes,
                reads,
                lets,
                span: c.span,
            },
        )))
    }

    pub(super) fn deduct(
        &mut self,
        d: &ast::DeductRule,
        owner: IndicatorId,
        deps: &mut Deps,
    ) -> Option<model::Deduct> {
        let (amount, ty) = self.expr(&d.amount, Some(owner), deps);
        self.expect_type(
            ty,
            Type::Number,
            crate::diagnostics::Text::new("the amount of `deduct`", "`deduct` 的扣分数"),
            d.amount.span,
        );
        let how = match &d.how {
            ast::Deduct::PerFinding(list) => {
                let Some(&id) = self.input_ids.get(&list.text) else {
                    let hint = self.suggest(&list.text);
                    self.errors.push(CheckError::UnknownName {
                        name: list.text.clone(),
                        span: list.span.into(),
                        hint,
                    });
                    return None;
                };
                self.used_inputs.insert(id);
                let ty = self.inputs[id.0].ty;
                if ty != model::InputType::FindingList {
                    self.errors.push(CheckError::NotAFindingList {
                        name: list.text.clone(),
                        found: ty.value_type().words(),
                        span: list.span.into(),
                    });
                    return None;
                }
                model::DeductHow::PerFinding(id)
            }
            ast::Deduct::PerPoint {
                counting,
                unit,
                above,
                standard,
                value,
                text: _,
            } => {
                let (value_m, ty) = self.expr(value, Some(owner), deps);
                self.expect_type(
                    ty,
                    Type::Number,
                    crate::diagnostics::Text::new("the value a deduction measures", "扣分衡量的值"),
                    value.span,
                );
                if unit.value.value <= Decimal::ZERO {
                    self.errors.push(CheckError::PointsRange {
                        what: crate::diagnostics::Text::new(
                            "the unit of a deduction",
                            "扣分的单位",
                        ),
                        value: unit.value.value.normalize().to_string(),
                        max: crate::diagnostics::Text::new("any", "任意数"),
                        span: d.span.into(),
                    });
                }
                let written = [unit, standard].map(|m| units::Written {
                    value: m.value.value,
                    percent: m.value.percent,
                    span: m.span,
                });
                let measured = self.unit(&value_m);
                self.units_agree(
                    WrittenNumbers::DeductionStep,
                    measured,
                    value.span,
                    &written,
                );
                model::DeductHow::PerPoint {
                    counting: *counting,
                    unit: unit.value,
                    above: *above,
                    standard: standard.value,
                    value: value_m,
                }
            }
            ast::Deduct::If(cond) => {
                let (cond_m, ty) = self.expr(cond, Some(owner), deps);
                self.expect_type(
                    ty,
                    Type::Bool,
                    crate::diagnostics::Text::new(
                        "the condition of `deduct … if`",
                        "`deduct … if` 的条件",
                    ),
                    cond.span,
                );
                model::DeductHow::If(cond_m)
            }
        };
        Some(model::Deduct {
            amount,
            how,
            span: d.span,
        })
    }

    pub(super) fn targets(&mut self, t: &ast::TargetsRule) -> Option<model::IndicatorKind> {
        let split = match &t.split {
            ast::Split::Equally(_) => model::Split::Equally,
            ast::Split::Count { overshoot, .. } => {
                // A share of the target: `overshoot 30%`, never `30` (3000%).
                if let Some(o) = overshoot {
                    let written = units::Written {
                        value: o.value.value,
                        percent: o.value.percent,
                        span: o.span,
                    };
                    self.units_agree(
                        WrittenNumbers::Overshoot,
                        model::Unit::Percent,
                        t.span,
                        &[written],
                    );
                }
                model::Split::Count {
                    overshoot: overshoot.map(|o| o.value.value),
                }
            }
            ast::Split::By(field) if field.text == "分值" => model::Split::ByPoints,
            ast::Split::By(field) => {
                self.errors.push(CheckError::SplitField {
                    field: field.text.clone(),
                    span: field.span.into(),
                });
                model::Split::ByPoints
            }
        };
        let Some(&list) = self.input_ids.get(&t.list.text) else {
            let hint = self.suggest(&t.list.text);
            self.errors.push(CheckError::UnknownName {
                name: t.list.text.clone(),
                span: t.list.span.into(),
                hint,
            });
            return None;
        };
        self.used_inputs.insert(list);
        let ty = self.inputs[list.0].ty;
        if ty != model::InputType::TargetList {
            self.errors.push(CheckError::NotATargetList {
                name: t.list.text.clone(),
                found: ty.value_type().words(),
                span: t.list.span.into(),
            });
            return None;
        }
        Some(model::IndicatorKind::Targets(Box::new(
            model::TargetsRule {
                list,
                split,
                levels: None,
                span: t.span,
            },
        )))
    }

    /// `levels 产出指标 50, …`: named once each, adding up to the indicator's points, beside a
    /// split by 分值 (the weights check the records' 分值).
    pub(super) fn levels(
        &mut self,
        l: &ast::LevelsRule,
        points: rust_decimal::Decimal,
        rule: Option<&mut model::IndicatorKind>,
    ) {
        let mut weights: Vec<(String, rust_decimal::Decimal)> = Vec::new();
        for (level, weight) in &l.weights {
            if weights.iter().any(|(w, _)| *w == level.text) {
                self.errors.push(CheckError::Levels {
                    problem: super::LevelProblem::Twice {
                        level: level.text.clone(),
                    },
                    span: level.span.into(),
                });
                continue;
            }
            weights.push((level.text.clone(), weight.value));
        }
        let sum: rust_decimal::Decimal = weights.iter().map(|(_, w)| *w).sum();
        if sum != points {
            self.errors.push(CheckError::Levels {
                problem: super::LevelProblem::Sum {
                    sum: crate::number::exact(sum),
                    points: crate::number::exact(points),
                },
                span: l.span.into(),
            });
        }
        match rule {
            Some(model::IndicatorKind::Targets(t)) if t.split == model::Split::ByPoints => {
                t.levels = Some(model::Levels {
                    weights,
                    warn: l.warn,
                    span: l.span,
                });
            }
            _ => self.errors.push(CheckError::Levels {
                problem: super::LevelProblem::NotBesideTargets,
                span: l.span.into(),
            }),
        }
    }
}
