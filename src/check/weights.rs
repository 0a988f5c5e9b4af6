//! Checking the numbers of the table: children's points add up to their parent's, the tree
//! to the declared total, and rating bands run from the top down to a catch-all.

use miette::LabeledSpan;
use rust_decimal::Decimal;

use super::{CatchAllSlip, CheckError, Unreachable};
use crate::model;
use crate::syntax::ast;

/// The children of a group must add up to its points.
pub(super) fn children(errors: &mut Vec<CheckError>, ind: &ast::Indicator) {
    let kids: Vec<&ast::Indicator> = ind.children().collect();
    if let Some((sum, arithmetic)) = mismatch(&kids, ind.points.value) {
        errors.push(CheckError::PointsSum {
            name: ind.name.text.clone(),
            sum: fmt(sum),
            points: fmt(ind.points.value),
            arithmetic,
            span: ind.points.span.into(),
        });
    }
}

/// The top-level indicators must add up to the header's total.
pub(super) fn total(
    errors: &mut Vec<CheckError>,
    total: Decimal,
    total_span: crate::source::Span,
    roots: &[ast::Indicator],
) {
    let roots: Vec<&ast::Indicator> = roots.iter().collect();
    if let Some((sum, arithmetic)) = mismatch(&roots, total) {
        errors.push(CheckError::TotalMismatch {
            sum: fmt(sum),
            total: fmt(total),
            arithmetic,
            span: total_span.into(),
        });
    }
}

/// The most points an indicator or a table may have. Far above any real table, and low enough
/// that no sum of points or scores, even over 100,000 indicators, can overflow a decimal.
pub(super) const MAX_POINTS: i64 = 1_000_000;

/// Points and totals must be in (0, [`MAX_POINTS`]].
pub(super) fn points_in_range(
    errors: &mut Vec<CheckError>,
    what: crate::diagnostics::Text,
    points: &crate::source::Spanned<Decimal>,
) {
    if points.value <= Decimal::ZERO || points.value > Decimal::from(MAX_POINTS) {
        errors.push(CheckError::PointsRange {
            what,
            value: fmt(points.value),
            max: crate::diagnostics::Text::new(MAX_POINTS.to_string(), MAX_POINTS.to_string()),
            span: points.span.into(),
        });
    }
}

/// When the points of `kids` do not add up to `expected`: the sum, and the arithmetic written
/// out once with each child named (`预算执行率 5 + 预算调整率 5 + 结转结余率 3 = 13 ≠ 20`), rather
/// than a label under every child (thirty lines of snippet for eight children).
fn mismatch(kids: &[&ast::Indicator], expected: Decimal) -> Option<(Decimal, String)> {
    // Points out of range are reported on their own; saturating keeps this total honest.
    let sum = kids
        .iter()
        .fold(Decimal::ZERO, |sum, k| sum.saturating_add(k.points.value));
    if sum == expected {
        return None;
    }
    let terms: Vec<String> = kids
        .iter()
        .map(|k| format!("{} {}", k.name.text, fmt(k.points.value)))
        .collect();
    let arithmetic = format!(
        "{} = {} ≠ {}",
        if terms.is_empty() {
            "0".to_string()
        } else {
            terms.join(" + ")
        },
        fmt(sum),
        fmt(expected)
    );
    Some((sum, arithmetic))
}

/// Rating bands: every band but the last has a bound, bounds strictly fall, the last has none.
pub(super) fn rating(
    errors: &mut Vec<CheckError>,
    rating: &ast::Rating,
    total: Option<(Decimal, crate::source::Span)>,
) -> Vec<model::Band> {
    let n = rating.bands.len();
    // A share of the total (`优 >= 90%`) is that many points; without a total (already an
    // error) it is taken of 100.
    let points = |m: &ast::Measure| match m.percent {
        true => m
            .value
            .checked_mul(total.map_or(Decimal::ONE_HUNDRED, |(t, _)| t))
            .unwrap_or(Decimal::MAX),
        false => m.value,
    };
    unreachable_bands(errors, rating, total, &points);
    let mut previous: Option<(Decimal, crate::source::Span)> = None;
    for (i, band) in rating.bands.iter().enumerate() {
        let last = i + 1 == n;
        match (&band.bound, last) {
            (None, false) => errors.push(CheckError::RatingCatchAll {
                span: band.span.into(),
                slip: CatchAllSlip::UnboundBeforeLast,
            }),
            (Some(_), true) => errors.push(CheckError::RatingCatchAll {
                span: band.span.into(),
                slip: CatchAllSlip::BoundOnLast,
            }),
            _ => {}
        }
        if let Some((_, bound)) = &band.bound {
            let value = points(&bound.value);
            if let Some((prev, prev_span)) = previous
                && value >= prev
            {
                errors.push(CheckError::RatingOrder {
                    span: bound.span.into(),
                    previous: prev_span.into(),
                });
            }
            previous = Some((value, bound.span));
        }
    }
    rating
        .bands
        .iter()
        .map(|b| model::Band {
            label: b.label.text.clone(),
            bound: b.bound.as_ref().map(|(op, v)| (op.value, points(&v.value))),
        })
        .collect()
}

/// Totals run from 0 to the table's total. A band whose bound lies above the total is never
/// given (`优 >= 200` of 100 points would rate 99.98 as 良), and a bound every total passes
/// (`>= 0`) leaves the bands after it unreachable.
fn unreachable_bands(
    errors: &mut Vec<CheckError>,
    rating: &ast::Rating,
    total: Option<(Decimal, crate::source::Span)>,
    points: &dyn Fn(&ast::Measure) -> Decimal,
) {
    for (i, band) in rating.bands.iter().enumerate() {
        let Some((op, bound)) = &band.bound else {
            continue;
        };
        let (v, inclusive) = (points(&bound.value), op.value == ast::BandOp::AtLeast);
        if let Some((total, total_span)) = total
            && (v > total || (v == total && !inclusive))
        {
            errors.push(CheckError::RatingUnreachable {
                band: band.label.text.clone(),
                why: Unreachable::AboveTotal { total },
                span: bound.span.into(),
                total: Some(total_span.into()),
            });
        }
        let floor = v < Decimal::ZERO || (v == Decimal::ZERO && inclusive);
        if floor && let Some(next) = rating.bands.get(i + 1) {
            errors.push(CheckError::RatingUnreachable {
                band: next.label.text.clone(),
                why: Unreachable::AfterFloor {
                    floor: band.label.text.clone(),
                },
                span: next.span.into(),
                total: None,
            });
        }
    }
}

fn fmt(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A checklist whose items are plain numbers must add up to its indicator's points; items
/// computed from data are not summed here.
pub(super) fn checklist(
    errors: &mut Vec<CheckError>,
    c: &ast::ChecklistRule,
    points: &crate::source::Spanned<Decimal>,
) {
    let mut terms = Vec::new();
    let mut sum = Decimal::ZERO;
    for item in &c.items {
        let ast::ExprKind::Number(n) = item.points.kind else {
            return;
        };
        sum = sum.saturating_add(n);
        terms.push((n, item.points.span));
    }
    if terms.is_empty() || sum == points.value {
        return;
    }
    let written: Vec<String> = terms.iter().map(|(n, _)| fmt(*n)).collect();
    errors.push(CheckError::ChecklistSum {
        sum: fmt(sum),
        points: fmt(points.value),
        arithmetic: format!(
            "{} = {} ≠ {}",
            written.join(" + "),
            fmt(sum),
            fmt(points.value)
        ),
        span: points.span.into(),
        items: terms
            .iter()
            .map(|(n, span)| LabeledSpan::new_with_span(Some(fmt(*n)), *span))
            .collect(),
    });
}
