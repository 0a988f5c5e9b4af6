//! The rulebook header and the scales, read before any indicator: the named judgement scales
//! (`scale 三档 { … }`, their bands rates) first, for the inputs to use; then the header's
//! title, total, rounding and rating bands, each set once.

use rust_decimal::Decimal;

use super::{CheckError, Checker, GradeProblem, RequiredSetting, WrittenNumbers, units, weights};
use crate::model;
use crate::source::Span;
use crate::syntax::ast;

pub(super) struct Header {
    pub(super) title: String,
    pub(super) total: Decimal,
    pub(super) total_span: Span,
    pub(super) rounding: model::Rounding,
    pub(super) rating: Vec<model::Band>,
}

impl Checker {
    /// `scale 三档 { … }`: each named once, before any input uses it.
    pub(super) fn collect_scales(&mut self, items: &[ast::Item]) {
        for item in items {
            let ast::Item::Scale(scale) = item else {
                continue;
            };
            if let Some((_, first)) = self.scales.get(&scale.name.text) {
                self.errors.push(CheckError::DuplicateName {
                    name: scale.name.text.clone(),
                    span: scale.name.span.into(),
                    first: (*first).into(),
                });
                continue;
            }
            let bands = self.judgement_bands(WrittenNumbers::ScaleBands, &scale.bands);
            self.scales
                .insert(scale.name.text.clone(), (bands, scale.name.span));
        }
    }

    /// A judgement's bands, checked to be rates (a judgement's value is its rate); a band's
    /// `default` lies in the band, and a word says one band only.
    pub(super) fn judgement_bands(
        &mut self,
        numbers: WrittenNumbers,
        declared: &[ast::BandDecl],
    ) -> Vec<model::JudgementBand> {
        let written: Vec<units::Written> = units::bounds(declared.iter().map(|b| &b.range))
            .into_iter()
            .chain(declared.iter().filter_map(|b| {
                b.default.as_ref().map(|d| units::Written {
                    value: d.value.value,
                    percent: d.value.percent,
                    span: d.span,
                })
            }))
            .collect();
        let span = declared
            .first()
            .map_or(Span::new(0, 0), |band| band.label.span);
        self.units_agree(numbers, model::Unit::Percent, span, &written);
        let mut words: std::collections::BTreeMap<&str, &str> = Default::default();
        for band in declared {
            for word in &band.words {
                if let Some(first) = words.insert(&word.value, &band.label.value) {
                    self.errors.push(CheckError::Grades {
                        problem: GradeProblem::WordTwice {
                            word: word.value.clone(),
                            first: first.to_string(),
                        },
                        span: word.span.into(),
                    });
                }
            }
        }
        declared
            .iter()
            .map(|b| {
                let band = model::JudgementBand {
                    label: b.label.value.clone(),
                    lower: b.range.lower,
                    upper: b.range.upper,
                    range: b.range.text.clone(),
                    default: b.default.as_ref().map(|d| d.value.value),
                    words: b.words.iter().map(|w| w.value.clone()).collect(),
                };
                if let (Some(d), Some(rate)) = (&b.default, band.default)
                    && !band.contains(rate)
                {
                    self.errors.push(CheckError::Grades {
                        problem: GradeProblem::DefaultOutside {
                            band: band.label.clone(),
                            range: band.range.clone(),
                            inside: inside(&band),
                        },
                        span: d.span.into(),
                    });
                }
                band
            })
            .collect()
    }

    pub(super) fn header(&mut self, items: &[ast::Item]) -> Option<Header> {
        let mut books = items.iter().filter_map(|i| match i {
            ast::Item::Rulebook(r) => Some(r),
            ast::Item::Scale(_)
            | ast::Item::Input(_)
            | ast::Item::Let(_)
            | ast::Item::Indicator(_)
            | ast::Item::Import(_) => None,
        });
        let Some(book) = books.next() else {
            self.errors.push(CheckError::MissingHeader {
                total: points_of(items),
                span: Span::new(0, 0).into(),
            });
            return None;
        };
        for extra in books {
            self.errors.push(CheckError::DuplicateHeader {
                span: extra.title.span.into(),
                first: book.title.span.into(),
            });
        }
        let mut total: Option<(Decimal, Span)> = None;
        let mut rounding: Option<(model::Rounding, Span)> = None;
        let mut values: Option<(model::ValueRounding, Span)> = None;
        let mut rating: Option<&ast::Rating> = None;
        for setting in &book.settings {
            let (name, span, first) = match setting {
                ast::Setting::Total(t) => {
                    weights::points_in_range(
                        &mut self.errors,
                        crate::diagnostics::Text::new("the total", "总分"),
                        t,
                    );
                    let first = total.map(|(_, s)| s);
                    total.get_or_insert((t.value, t.span));
                    ("total", t.span, first)
                }
                // One `round` line for the scores, and one more for intermediate values.
                ast::Setting::Rounding(r) if r.place.value == model::RoundPlace::EachValue => {
                    let first = values.map(|(_, s)| s);
                    let value = model::ValueRounding {
                        mode: r.mode.value,
                        digits: r.digits.value,
                    };
                    values.get_or_insert((value, r.span));
                    ("round … each value", r.span, first)
                }
                ast::Setting::Rounding(r) => {
                    let first = rounding.map(|(_, s)| s);
                    let value = model::Rounding {
                        mode: r.mode.value,
                        digits: r.digits.value,
                        place: r.place.value,
                        values: None,
                    };
                    rounding.get_or_insert((value, r.span));
                    ("round", r.span, first)
                }
                ast::Setting::Rating(r) => {
                    let first = rating.map(|x| x.span);
                    rating.get_or_insert(r);
                    ("rating", r.span, first)
                }
            };
            if let Some(first) = first {
                self.errors.push(CheckError::DuplicateSetting {
                    setting: name,
                    span: span.into(),
                    first: first.into(),
                });
            }
        }
        let book_span = Span::new(book.span.start(), book.title.span.end());
        if total.is_none() {
            self.errors.push(CheckError::MissingSetting {
                setting: RequiredSetting::Total,
                total: points_of(items),
                span: book_span.into(),
            });
        }
        if rating.is_none() {
            self.errors.push(CheckError::MissingSetting {
                setting: RequiredSetting::Rating,
                total: points_of(items),
                span: book_span.into(),
            });
        }
        let bands = rating.map(|r| weights::rating(&mut self.errors, r, total));
        let ((total, total_span), bands) = (total?, bands?);
        Some(Header {
            title: book.title.value.clone(),
            total,
            total_span,
            rounding: model::Rounding {
                values: values.map(|(v, _)| v),
                ..rounding.map(|(r, _)| r).unwrap_or_default()
            },
            rating: bands,
        })
    }
}

/// What the top-level indicators add up to, as the header's `total` would say it, for the help
/// of a header without one (100, as most tables have, when there is nothing to add up).
fn points_of(items: &[ast::Item]) -> String {
    let sum = items
        .iter()
        .filter_map(|i| match i {
            ast::Item::Indicator(ind) => Some(ind.points.value),
            _ => None,
        })
        .try_fold(Decimal::ZERO, |sum, p| sum.checked_add(p));
    match sum {
        Some(sum) if sum > Decimal::ZERO => crate::number::exact(sum),
        _ => "100".into(),
    }
}

/// A rate inside a band, as written: its upper end where the band holds it, else its lower
/// end where it holds that, else the middle.
fn inside(band: &model::JudgementBand) -> String {
    let shown = |v: Decimal| {
        v.checked_mul(Decimal::ONE_HUNDRED).map_or_else(
            || v.to_string(),
            |p| format!("{}%", crate::number::exact(p)),
        )
    };
    match (band.lower, band.upper) {
        (_, Some(u)) if u.inclusive => shown(u.value),
        (Some(l), _) if l.inclusive => shown(l.value),
        (Some(l), Some(u)) => shown((l.value + u.value) / Decimal::TWO),
        (Some(l), None) => shown(l.value),
        (None, Some(u)) => shown(u.value / Decimal::TWO),
        (None, None) => "100%".into(),
    }
}
