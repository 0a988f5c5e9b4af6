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

/// A part of the rules no department reached: where it stands, and what it is (the printers
/// put it into words).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    pub location: crate::source::Place,
    pub part: Unreached,
}

/// What part of a rule was never reached. `indicator` names the indicator it belongs to;
/// conditions and rules are quoted as the rule file writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unreached {
    /// An indicator's `not applicable` condition never held (`holds`) or never failed.
    NotApplicable { indicator: String, holds: bool },
    /// An alternative of a `one of` group was never the one scored.
    Alternative { alternative: String, group: String },
    /// A tier, as written, was never reached.
    Tier { indicator: String, tier: String },
    /// A category arm (none for `else`) was never matched.
    Category {
        indicator: String,
        value: Option<String>,
    },
    /// A checklist item never held (`holds`) or never failed.
    Item {
        indicator: String,
        condition: String,
        holds: bool,
    },
    /// A veto never applied.
    Veto {
        indicator: String,
        condition: String,
    },
    /// A `deduct` line never took points.
    Deduct { indicator: String, rule: String },
    /// The cap (满分为止) of a formula was never reached.
    Cap { indicator: String },
    /// The floor (扣完为止) of a formula or of deductions was never reached.
    Floor { indicator: String },
    /// A branch of an `if` was never taken.
    Branch { condition: String, then: bool },
}

impl Coverage {
    /// Everything in `rb` that can be reached and was not, in file order.
    pub fn gaps(&self, rb: &Rulebook) -> Vec<Gap> {
        let mut gaps: Vec<(Span, Unreached)> = Vec::new();
        let missed = |span: Span, part: Part| !self.reached.contains(&(span, part));
        let text = |span: Span| rb.source.text_of(span).to_string();
        let mut ifs = Vec::new();
        for l in &rb.lets {
            collect_ifs(&l.expr, &mut ifs);
        }
        for ind in &rb.indicators {
            let name = || ind.name.to_string();
            if let Some(na) = &ind.not_applicable {
                collect_ifs(&na.condition, &mut ifs);
                for (part, holds) in [(Part::Then, true), (Part::Else, false)] {
                    if missed(na.span, part) {
                        gaps.push((
                            na.span,
                            Unreached::NotApplicable {
                                indicator: name(),
                                holds,
                            },
                        ));
                    }
                }
            }
            match &ind.kind {
                IndicatorKind::Alternatives(kids) => {
                    for kid in kids {
                        let alt = rb.indicator(*kid);
                        if missed(alt.span, Part::Chosen) {
                            gaps.push((
                                alt.span,
                                Unreached::Alternative {
                                    alternative: alt.name.to_string(),
                                    group: name(),
                                },
                            ));
                        }
                    }
                }
                IndicatorKind::Tiers(t) => {
                    collect_ifs(&t.value, &mut ifs);
                    for tier in &t.tiers {
                        collect_ifs(&tier.score, &mut ifs);
                        if missed(tier.span, Part::Tier) {
                            gaps.push((
                                tier.span,
                                Unreached::Tier {
                                    indicator: name(),
                                    tier: tier.label.to_string(),
                                },
                            ));
                        }
                    }
                }
                IndicatorKind::Category(c) => {
                    for arm in &c.arms {
                        if missed(arm.span, Part::Tier) {
                            gaps.push((
                                arm.span,
                                Unreached::Category {
                                    indicator: name(),
                                    value: arm.value.as_deref().map(str::to_string),
                                },
                            ));
                        }
                    }
                }
                IndicatorKind::Checklist(c) => {
                    for item in &c.items {
                        for (part, holds) in [(Part::Then, true), (Part::Else, false)] {
                            if missed(item.span, part) {
                                gaps.push((
                                    item.span,
                                    Unreached::Item {
                                        indicator: name(),
                                        condition: text(item.condition.span),
                                        holds,
                                    },
                                ));
                            }
                        }
                    }
                    for veto in &c.vetoes {
                        if missed(veto.span, Part::Then) {
                            gaps.push((
                                veto.span,
                                Unreached::Veto {
                                    indicator: name(),
                                    condition: text(veto.condition.span),
                                },
                            ));
                        }
                    }
                }
                IndicatorKind::Deductions(d) => {
                    for deduct in &d.deducts {
                        if missed(deduct.span, Part::Deduct) {
                            gaps.push((
                                deduct.span,
                                Unreached::Deduct {
                                    indicator: name(),
                                    rule: text(deduct.span),
                                },
                            ));
                        }
                    }
                    if missed(d.span, Part::Floor) {
                        gaps.push((d.span, Unreached::Floor { indicator: name() }));
                    }
                }
                IndicatorKind::Formula(f) => {
                    collect_ifs(&f.expr, &mut ifs);
                    if missed(f.span, Part::Cap) {
                        gaps.push((f.span, Unreached::Cap { indicator: name() }));
                    }
                    if missed(f.span, Part::Floor) {
                        gaps.push((f.span, Unreached::Floor { indicator: name() }));
                    }
                }
                // A group has no parts of its own (its children have), a targets rule no branch.
                IndicatorKind::Group(_) | IndicatorKind::Targets(_) => {}
            }
        }
        for (span, cond) in ifs {
            for (part, then) in [(Part::Then, true), (Part::Else, false)] {
                if missed(span, part) {
                    gaps.push((
                        span,
                        Unreached::Branch {
                            condition: text(cond),
                            then,
                        },
                    ));
                }
            }
        }
        gaps.sort_by_key(|(span, _)| span.start());
        gaps.into_iter()
            .map(|(span, part)| Gap {
                location: rb.source.place(span),
                part,
            })
            .collect()
    }
}

/// Every `if` in an expression: its span and its condition's.
fn collect_ifs(e: &Expr, out: &mut Vec<(Span, Span)>) {
    e.walk(&mut |x| {
        if let ExprKind::If(ctf) = &x.kind {
            out.push((x.span, ctf[0].span));
        }
    });
}
