//! Which parts of a rule file the evaluated departments reached (`jixiao test --coverage`):
//! both branches of every `if`, every tier and category arm, every checklist item both ways and
//! every veto, every deduction and a deductions leaf's floor, the cap (满分为止) and floor
//! (扣完为止) of every formula indicator, every `not applicable` condition both ways, and every
//! alternative of a `one of` group scored. A part no test department reaches is a rule nobody has seen work.

use std::collections::BTreeSet;

use crate::model::{Expr, ExprKind, IndicatorKind, Rulebook};
use crate::source::Span;

/// The parts reached so far, over any number of departments scored with one rule file.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    pub(super) reached: BTreeSet<(Span, Part)>,
}

/// A part of a rule that an evaluation can reach, as [`super::Recorder::reach`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Part {
    Then,
    Else,
    Cap,
    Floor,
    /// A tier of a tiers rule, keyed by the tier's span.
    Tier,
    /// A `deduct` line that took points, keyed by its span.
    Deduct,
    /// An alternative of a `one of` group that was scored, keyed by the indicator's span.
    Chosen,
}

/// A part of the rules no department reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    /// `file:line` of the rule.
    pub location: String,
    /// What was never reached, in words.
    pub what: String,
}

impl Coverage {
    /// Everything in `rb` that can be reached and was not, in file order.
    pub fn gaps(&self, rb: &Rulebook) -> Vec<Gap> {
        let mut gaps = Vec::new();

        let mut ifs = Vec::new();
        for l in &rb.lets {
            collect_ifs(&l.expr, &mut ifs);
        }
        for ind in &rb.indicators {
            if let Some(na) = &ind.not_applicable {
                collect_ifs(&na.condition, &mut ifs);
                for (part, how) in [(Part::Then, "holds"), (Part::Else, "fails")] {
                    if !self.reached.contains(&(na.span, part)) {
                        gaps.push((
                            na.span,
                            format!(
                                "the `not applicable` condition of `{}` never {how}",
                                ind.name
                            ),
                        ));
                    }
                }
            }
            match &ind.kind {
                IndicatorKind::Alternatives(kids) => {
                    for kid in kids {
                        let alt = rb.indicator(*kid);
                        if !self.reached.contains(&(alt.span, Part::Chosen)) {
                            gaps.push((
                                alt.span,
                                format!(
                                    "alternative `{}` of `{}` is never the one scored",
                                    alt.name, ind.name
                                ),
                            ));
                        }
                    }
                }
                IndicatorKind::Tiers(t) => {
                    collect_ifs(&t.value, &mut ifs);
                    for tier in &t.tiers {
                        collect_ifs(&tier.score, &mut ifs);
                        if !self.reached.contains(&(tier.span, Part::Tier)) {
                            gaps.push((
                                tier.span,
                                format!("tier `{}` of `{}` is never reached", tier.label, ind.name),
                            ));
                        }
                    }
                }
                IndicatorKind::Category(c) => {
                    for arm in &c.arms {
                        if !self.reached.contains(&(arm.span, Part::Tier)) {
                            let which = arm
                                .value
                                .as_ref()
                                .map_or("else".to_string(), |v| format!("\"{v}\""));
                            gaps.push((
                                arm.span,
                                format!("category {which} of `{}` is never reached", ind.name),
                            ));
                        }
                    }
                }
                IndicatorKind::Checklist(c) => {
                    for item in &c.items {
                        let cond = rb.source.text_of(item.condition.span);
                        for (part, how) in [(Part::Then, "holds"), (Part::Else, "fails")] {
                            if !self.reached.contains(&(item.span, part)) {
                                gaps.push((
                                    item.span,
                                    format!(
                                        "checklist item `{cond}` of `{}` never {how}",
                                        ind.name
                                    ),
                                ));
                            }
                        }
                    }
                    for veto in &c.vetoes {
                        if !self.reached.contains(&(veto.span, Part::Then)) {
                            let cond = rb.source.text_of(veto.condition.span);
                            gaps.push((
                                veto.span,
                                format!("veto `{cond}` of `{}` never applies", ind.name),
                            ));
                        }
                    }
                }
                IndicatorKind::Deductions(d) => {
                    for deduct in &d.deducts {
                        if !self.reached.contains(&(deduct.span, Part::Deduct)) {
                            let rule = rb.source.text_of(deduct.span);
                            gaps.push((
                                deduct.span,
                                format!("`{rule}` of `{}` never takes points", ind.name),
                            ));
                        }
                    }
                    if !self.reached.contains(&(d.span, Part::Floor)) {
                        gaps.push((
                            d.span,
                            format!("`{}` never reaches its floor (扣完为止)", ind.name),
                        ));
                    }
                }
                IndicatorKind::Formula(f) => {
                    collect_ifs(&f.expr, &mut ifs);
                    for (part, what) in [
                        (Part::Cap, "its cap (满分为止)"),
                        (Part::Floor, "its floor (扣完为止)"),
                    ] {
                        if !self.reached.contains(&(f.span, part)) {
                            gaps.push((f.span, format!("`{}` never reaches {what}", ind.name)));
                        }
                    }
                }
                // A group has no parts of its own (its children have), a targets rule no branch.
                IndicatorKind::Group(_) | IndicatorKind::Targets(_) => {}
            }
        }
        for (span, cond) in ifs {
            let cond = rb.source.text_of(cond);
            for (part, branch) in [(Part::Then, "then"), (Part::Else, "else")] {
                if !self.reached.contains(&(span, part)) {
                    gaps.push((
                        span,
                        format!("the `{branch}` branch of `if {cond}` is never taken"),
                    ));
                }
            }
        }
        gaps.sort_by_key(|(span, _)| span.start);
        gaps.into_iter()
            .map(|(span, what)| Gap {
                location: rb.source.location(span),
                what,
            })
            .collect()
    }
}

/// Every `if` in an expression: its span and its condition's.
fn collect_ifs(e: &Expr, out: &mut Vec<(Span, Span)>) {
    match &e.kind {
        ExprKind::If(c, t, f) => {
            out.push((e.span, c.span));
            for x in [c, t, f] {
                collect_ifs(x, out);
            }
        }
        ExprKind::Unary(_, x) => collect_ifs(x, out),
        ExprKind::Binary(_, a, b) => {
            collect_ifs(a, out);
            collect_ifs(b, out);
        }
        ExprKind::Call(_, args) => args.iter().for_each(|a| collect_ifs(a, out)),
        ExprKind::Number(_)
        | ExprKind::Percent(_)
        | ExprKind::Text(_)
        | ExprKind::Bool(_)
        | ExprKind::Input(_)
        | ExprKind::Let(_)
        | ExprKind::Points(_) => {}
    }
}
