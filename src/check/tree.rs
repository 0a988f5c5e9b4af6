//! The indicator tree, walked after the header and the inputs: the lets in file order (each
//! visible below itself), sibling names unique, each indicator's items dispatched (a child, a
//! `let`, a `basis`, `not applicable`, a scoring rule for `rules.rs`), a leaf scored exactly
//! once and a group by its children; then what concerns siblings together: `redistribute to`
//! names and `one of` alternatives.

use std::collections::BTreeMap;

use super::{
    AlternativesSlip, Besides, CheckError, Checker, Deps, NotApplicableSlip, Parent, closest,
    units, weights,
};
use crate::model::{self, IndicatorId, LetId, Type};
use crate::source::Span;
use crate::syntax::ast;

impl Checker {
    pub(super) fn collect_let_names(&mut self, items: &[ast::Item]) {
        fn walk(items: &[ast::IndicatorItem], out: &mut Vec<compact_str::CompactString>) {
            for item in items {
                match item {
                    ast::IndicatorItem::Let(l) => out.push(l.name.text.as_str().into()),
                    ast::IndicatorItem::Child(c) => walk(&c.body, out),
                    // No other item holds a `let`.
                    ast::IndicatorItem::Basis(_)
                    | ast::IndicatorItem::NotApplicable(_)
                    | ast::IndicatorItem::Score(_)
                    | ast::IndicatorItem::Targets(_)
                    | ast::IndicatorItem::Levels(_)
                    | ast::IndicatorItem::Tiers(_)
                    | ast::IndicatorItem::Deduct(_)
                    | ast::IndicatorItem::Checklist(_)
                    | ast::IndicatorItem::Category(_) => {}
                }
            }
        }
        for item in items {
            match item {
                ast::Item::Let(l) => self.all_lets.push(l.name.text.as_str().into()),
                ast::Item::Indicator(i) => walk(&i.body, &mut self.all_lets),
                ast::Item::Rulebook(_)
                | ast::Item::Scale(_)
                | ast::Item::Input(_)
                | ast::Item::Import(_) => {}
            }
        }
    }

    /// Siblings have different names. `seen` holds the names of the siblings before `ind`:
    /// borrowed from their trees, or (at the top level, whose trees are dropped as they are
    /// checked) copied.
    pub(super) fn sibling_unique<'a, K>(
        &mut self,
        seen: &mut BTreeMap<K, Span>,
        ind: &'a ast::Indicator,
    ) where
        K: std::borrow::Borrow<str> + Ord + From<&'a str>,
    {
        if let Some(first) = seen.get(ind.name.text.as_str()) {
            self.errors.push(CheckError::DuplicateIndicator {
                name: ind.name.text.clone(),
                span: ind.name.span.into(),
                first: (*first).into(),
            });
        } else {
            seen.insert(K::from(&ind.name.text), ind.name.span);
        }
    }

    pub(super) fn let_decl(&mut self, decl: &ast::LetDecl, owner: Option<IndicatorId>) {
        let mut deps = Deps::default();
        let (expr, ty) = self.expr(&decl.value, owner, &mut deps);
        let name = &decl.name.text;
        let clash = self
            .scope
            .get(name)
            .map(|id| self.lets[id.0].span)
            .or_else(|| self.input_ids.get(name).map(|id| self.inputs[id.0].span));
        if let Some(first) = clash {
            self.errors.push(CheckError::DuplicateName {
                name: name.clone(),
                span: decl.name.span.into(),
                first: first.into(),
            });
        }
        let id = LetId(self.lets.len());
        let unit = self.unit(&expr);
        self.lets.push(model::Let {
            name: name.as_str().into(),
            expr,
            owner,
            unit,
            span: decl.name.span,
        });
        self.let_units.push(unit);
        self.let_types.push(ty);
        self.let_deps.push(deps.into());
        self.scope.push(name, id);
    }

    pub(super) fn indicator(&mut self, ind: &ast::Indicator, parent: Parent) -> IndicatorId {
        let id = IndicatorId(self.indicators.len());
        self.indicators.push(super::pending());
        weights::points_in_range(
            &mut self.errors,
            crate::diagnostics::Text::new("points", "分值"),
            &ind.points,
        );
        let scope_mark = self.scope.mark();
        let mut basis: Option<&crate::source::Spanned<String>> = None;
        let child_count = ind.children().count();
        // The model's lists are made to measure: a table of 100,000 indicators holds them all.
        let mut children = Vec::with_capacity(child_count);
        let mut child_names: BTreeMap<&str, Span> = BTreeMap::new();
        let mut rule: Option<(model::IndicatorKind, Span)> = None;
        let mut own_lets = Vec::new();
        // Every `deduct` line of the leaf together is its one scoring rule.
        let mut deducts: Vec<model::Deduct> = Vec::new();
        let mut deduct_deps = Deps::default();
        let mut deduct_span: Option<Span> = None;
        let mut not_applicable: Option<model::NotApplicable> = None;
        let mut levels: Option<&ast::LevelsRule> = None;
        for item in &ind.body {
            match item {
                ast::IndicatorItem::Basis(b) => match basis {
                    Some(first) => self.errors.push(CheckError::DuplicateSetting {
                        setting: "basis",
                        span: b.span.into(),
                        first: first.span.into(),
                    }),
                    None => basis = Some(b),
                },
                ast::IndicatorItem::Let(l) => {
                    own_lets.push(LetId(self.lets.len()));
                    self.let_decl(l, Some(id));
                }
                ast::IndicatorItem::Child(child) => {
                    self.sibling_unique(&mut child_names, child);
                    children
                        .push(self.indicator(child, Parent::new(ind.alternatives, child_count)));
                }
                ast::IndicatorItem::NotApplicable(na) => {
                    let checked = self.not_applicable(na, id, parent);
                    match &not_applicable {
                        Some(first) => self.errors.push(CheckError::DuplicateSetting {
                            setting: "not applicable",
                            span: na.span.into(),
                            first: first.span.into(),
                        }),
                        None => not_applicable = Some(checked),
                    }
                }
                ast::IndicatorItem::Score(s) => {
                    let kind = self.formula(s, id);
                    self.scoring_rule(&mut rule, &ind.name.text, kind, s.span);
                }
                ast::IndicatorItem::Targets(t) => {
                    let kind = self.targets(t);
                    self.scoring_rule(&mut rule, &ind.name.text, kind, t.span);
                }
                ast::IndicatorItem::Levels(l) => match levels {
                    Some(_) => self.errors.push(CheckError::Levels {
                        problem: super::LevelProblem::Twice {
                            level: "levels".into(),
                        },
                        span: l.span.into(),
                    }),
                    None => levels = Some(l),
                },
                ast::IndicatorItem::Tiers(t) => {
                    let kind = self.tiers(t, id);
                    self.scoring_rule(&mut rule, &ind.name.text, kind, t.span);
                }
                ast::IndicatorItem::Category(c) => {
                    let kind = self.category(c, id);
                    self.scoring_rule(&mut rule, &ind.name.text, kind, c.span);
                }
                ast::IndicatorItem::Checklist(c) => {
                    let kind = self.checklist(c, id, &ind.points);
                    self.scoring_rule(&mut rule, &ind.name.text, kind, c.span);
                }
                ast::IndicatorItem::Deduct(d) => {
                    if let Some(deduct) = self.deduct(d, id, &mut deduct_deps) {
                        deducts.push(deduct);
                    }
                    deduct_span = Some(deduct_span.map_or(d.span, |s| s.to(d.span)));
                }
            }
        }
        self.redistribute_to(ind.children().zip(children.iter().copied()));
        if let Some(b) = basis {
            units::counting_agrees(&mut self.errors, b, &deducts);
        }
        if let Some(span) = deduct_span {
            deducts.shrink_to_fit();
            let (reads, lets) = self.reads(deduct_deps);
            let kind = model::IndicatorKind::Deductions(Box::new(model::Deductions {
                deducts,
                reads,
                lets,
                span,
            }));
            self.scoring_rule(&mut rule, &ind.name.text, Some(kind), span);
        }
        self.scope.truncate(scope_mark);
        if let Some(l) = levels {
            self.levels(l, ind.points.value, rule.as_mut().map(|(kind, _)| kind));
        }
        let kind = match (rule, children.is_empty()) {
            (Some((kind, _)), true) => kind,
            (Some((_, span)), false) => {
                self.errors.push(CheckError::TwoScoringRules {
                    name: ind.name.text.clone(),
                    besides: Besides::Children,
                    span: span.into(),
                    first: first_child_span(ind).into(),
                });
                model::IndicatorKind::Group(children.into())
            }
            (None, false) if ind.alternatives.is_some() => {
                self.alternatives(ind);
                model::IndicatorKind::Alternatives(children.into())
            }
            (None, false) => {
                weights::children(&mut self.errors, ind);
                model::IndicatorKind::Group(children.into())
            }
            (None, true) => {
                self.errors.push(CheckError::NoScoringRule {
                    name: ind.name.text.clone(),
                    span: ind.name.span.into(),
                });
                model::IndicatorKind::Group(children.into())
            }
        };
        self.indicators[id.0] = model::Indicator {
            name: ind.name.text.as_str().into(),
            points: ind.points.value,
            basis: basis.map(|b| self.excerpt(b)),
            not_applicable: not_applicable.map(Box::new),
            kind,
            lets: own_lets.into(),
            span: ind.span,
        };
        id
    }

    /// `not applicable if …`: a yes/no condition, and a policy unless among alternatives.
    fn not_applicable(
        &mut self,
        na: &ast::NotApplicable,
        owner: IndicatorId,
        parent: Parent,
    ) -> model::NotApplicable {
        let mut deps = Deps::default();
        let (condition, ty) = self.expr(&na.condition, Some(owner), &mut deps);
        self.expect_type(
            ty,
            Type::Bool,
            crate::diagnostics::Text::new(
                "the condition of `not applicable`",
                "`not applicable` 的条件",
            ),
            na.condition.span,
        );
        let policy = na.policy.map(|p| p.value);
        match (na.policy, parent.alternatives) {
            (None, false) => self.errors.push(CheckError::NotApplicable {
                slip: NotApplicableSlip::NoPolicy,
                span: na.span.into(),
            }),
            (Some(p), true) => self.errors.push(CheckError::NotApplicable {
                slip: NotApplicableSlip::PolicyAmongAlternatives { policy: p.value },
                span: p.span.into(),
            }),
            (Some(p), false) if p.value == model::Policy::Redistribute && parent.children < 2 => {
                self.errors.push(CheckError::NotApplicable {
                    slip: NotApplicableSlip::NoSibling,
                    span: p.span.into(),
                });
            }
            _ => {}
        }
        let (reads, lets) = self.reads(deps);
        model::NotApplicable {
            condition,
            policy,
            // Resolved once the siblings are known: see `redistribute_to`.
            to: Vec::new(),
            reads: reads.into_vec(),
            lets: lets.into_vec(),
            span: na.span,
        }
    }

    /// `redistribute to 甲, 乙`: each name must be another indicator of the same group.
    pub(super) fn redistribute_to<'a>(
        &mut self,
        kids: impl Iterator<Item = (&'a ast::Indicator, IndicatorId)>,
    ) {
        let kids: Vec<(&ast::Indicator, IndicatorId)> = kids.collect();
        // The siblings by name, in file order, made at the first `to`: a name is looked up
        // there rather than among all siblings, which for a top level of 100,000 indicators
        // each naming a sibling would be 10¹⁰ comparisons.
        let mut by_name: Option<BTreeMap<&str, Vec<IndicatorId>>> = None;
        for &(kid, id) in &kids {
            let Some(na) = not_applicable_of(kid) else {
                continue;
            };
            let mut to = Vec::new();
            for name in &na.to {
                let by_name = by_name.get_or_insert_with(|| {
                    let mut map: BTreeMap<&str, Vec<IndicatorId>> = BTreeMap::new();
                    for &(k, other) in &kids {
                        map.entry(k.name.text.as_str()).or_default().push(other);
                    }
                    map
                });
                let sibling = by_name
                    .get(name.text.as_str())
                    .and_then(|ids| ids.iter().copied().find(|&other| other != id));
                match sibling {
                    Some(sibling) => to.push(sibling),
                    None => {
                        let siblings = kids
                            .iter()
                            .filter(|(_, other)| *other != id)
                            .map(|(k, _)| k.name.text.as_str());
                        let nearest = closest(&name.text, siblings.clone()).map(String::from);
                        self.errors.push(CheckError::NotApplicable {
                            slip: NotApplicableSlip::NotASibling {
                                name: name.text.clone(),
                                indicator: kid.name.text.clone(),
                                nearest,
                                siblings: siblings.map(String::from).collect(),
                            },
                            span: name.span.into(),
                        });
                    }
                }
            }
            if let Some(n) = &mut self.indicators[id.0].not_applicable {
                n.to = to;
            }
        }
    }

    /// `one of`: every alternative is worth the group's points, and every one but the last
    /// says when it does not apply (otherwise those after it could never be scored).
    fn alternatives(&mut self, ind: &ast::Indicator) {
        let group = ind.alternatives.map_or(ind.name.span, |a| a.span);
        let kids: Vec<&ast::Indicator> = ind.children().collect();
        for kid in &kids {
            if kid.points.value != ind.points.value {
                self.errors.push(CheckError::Alternatives {
                    slip: AlternativesSlip::OtherPoints {
                        alternative: kid.name.text.clone(),
                        points: kid.points.value,
                        group: ind.name.text.clone(),
                        group_points: ind.points.value,
                    },
                    span: kid.points.span.into(),
                    group: group.into(),
                });
            }
        }
        if kids.len() < 2 {
            self.errors.push(CheckError::Alternatives {
                slip: AlternativesSlip::OnlyOne {
                    group: ind.name.text.clone(),
                },
                span: ind.name.span.into(),
                group: group.into(),
            });
        }
        let always = |k: &ast::Indicator| not_applicable_of(k).is_none();
        if let Some(pos) = kids.iter().position(|k| always(k)) {
            if let Some(next) = kids.get(pos + 1) {
                self.errors.push(CheckError::Alternatives {
                    slip: AlternativesSlip::NeverScored {
                        alternative: next.name.text.clone(),
                        always: kids[pos].name.text.clone(),
                    },
                    span: next.name.span.into(),
                    group: group.into(),
                });
            }
        }
    }

    fn scoring_rule(
        &mut self,
        rule: &mut Option<(model::IndicatorKind, Span)>,
        name: &str,
        kind: Option<model::IndicatorKind>,
        span: Span,
    ) {
        match rule {
            Some((_, first)) => self.errors.push(CheckError::TwoScoringRules {
                name: name.to_string(),
                besides: Besides::AnotherRule,
                span: span.into(),
                first: (*first).into(),
            }),
            None => {
                // A rule with errors still counts as present, so no second error says it is missing.
                let kind = kind.unwrap_or(model::IndicatorKind::Group(Box::default()));
                *rule = Some((kind, span));
            }
        }
    }
}

fn first_child_span(ind: &ast::Indicator) -> Span {
    ind.children().next().map_or(ind.name.span, |c| c.name.span)
}

/// What the checks of a whole table need of a top-level indicator once it is checked: its
/// name, points and place, and its `not applicable` (whose `redistribute to` names siblings).
pub(super) fn outline(mut ind: ast::Indicator) -> ast::Indicator {
    ind.body = std::mem::take(&mut ind.body)
        .into_iter()
        .find(|item| as_not_applicable(item).is_some())
        .into_iter()
        .collect();
    ind
}

/// The `not applicable` line of an indicator, if it has one (a second one is an error of its
/// own; the first is the one that counts).
fn not_applicable_of(ind: &ast::Indicator) -> Option<&ast::NotApplicable> {
    ind.body.iter().find_map(as_not_applicable)
}

/// The item's `not applicable` clause, if it is one. Every kind of item is named, so that a new
/// one has to be considered here.
fn as_not_applicable(item: &ast::IndicatorItem) -> Option<&ast::NotApplicable> {
    match item {
        ast::IndicatorItem::NotApplicable(na) => Some(&**na),
        ast::IndicatorItem::Basis(_)
        | ast::IndicatorItem::Let(_)
        | ast::IndicatorItem::Score(_)
        | ast::IndicatorItem::Targets(_)
        | ast::IndicatorItem::Levels(_)
        | ast::IndicatorItem::Tiers(_)
        | ast::IndicatorItem::Deduct(_)
        | ast::IndicatorItem::Checklist(_)
        | ast::IndicatorItem::Category(_)
        | ast::IndicatorItem::Child(_) => None,
    }
}
