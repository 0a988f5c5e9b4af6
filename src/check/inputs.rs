//! The inputs, read after the scales and before the header and the indicators: each declared
//! once, under a name the data files may use, with a range only where its type is a number;
//! and, once every rule has been checked, the inputs no rule reads.

use super::{
    CheckError, Checker, GradeProblem, NameHint, RESERVED_DATA_KEYS, WrittenNumbers, closest, units,
};
use crate::diagnostics::Text;
use crate::model::{self, InputId};
use crate::syntax::ast;

impl Checker {
    pub(super) fn collect_inputs(&mut self, items: &[ast::Item]) {
        for item in items {
            let ast::Item::Input(decl) = item else {
                continue;
            };
            let name = &decl.name.text;
            if RESERVED_DATA_KEYS.contains(&name.as_str()) {
                self.errors.push(CheckError::ReservedName {
                    name: name.clone(),
                    span: decl.name.span.into(),
                });
            }
            if let Some(first) = self.input_ids.get(name) {
                self.errors.push(CheckError::DuplicateName {
                    name: name.clone(),
                    span: decl.name.span.into(),
                    first: self.inputs[first.0].span.into(),
                });
                continue;
            }
            let mut options = Vec::new();
            let mut bands = Vec::new();
            let mut scale_name = None;
            let ty = match &decl.ty.value {
                ast::TypeName::Money => model::InputType::Money,
                ast::TypeName::Number => model::InputType::Number,
                ast::TypeName::Percent => model::InputType::Percent,
                ast::TypeName::Count => model::InputType::Count,
                ast::TypeName::YesNo => model::InputType::YesNo,
                ast::TypeName::Text => model::InputType::Text,
                ast::TypeName::TargetList(None) => model::InputType::TargetList,
                ast::TypeName::TargetList(Some(scale)) => {
                    match self.scales.get(&scale.text) {
                        Some((declared, _)) => {
                            for band in declared.iter().filter(|b| b.default.is_none()) {
                                self.errors.push(CheckError::Grades {
                                    problem: GradeProblem::NoDefault {
                                        band: band.label.clone(),
                                    },
                                    span: scale.span.into(),
                                });
                            }
                            bands = declared.clone();
                            scale_name = Some(scale.text.clone());
                        }
                        None => self.errors.push(CheckError::Grades {
                            problem: GradeProblem::NotAScale {
                                name: scale.text.clone(),
                            },
                            span: scale.span.into(),
                        }),
                    }
                    model::InputType::TargetList
                }
                ast::TypeName::FindingList => model::InputType::FindingList,
                ast::TypeName::OneOf(values) => {
                    options = values.iter().map(|v| v.value.clone()).collect();
                    model::InputType::Category
                }
                ast::TypeName::Judgement(declared) => {
                    bands = self.judgement_bands(WrittenNumbers::JudgementBands, declared);
                    model::InputType::Judgement
                }
                ast::TypeName::JudgementOf(scale) => {
                    match self.scales.get(&scale.text) {
                        Some((declared, _)) => bands = declared.clone(),
                        None => {
                            let hint = closest(&scale.text, self.scales.keys().map(String::as_str))
                                .map(|s| NameHint::Nearest {
                                    written: scale.text.clone(),
                                    meant: s.to_string(),
                                })
                                .unwrap_or_else(|| NameHint::DeclareScale {
                                    name: scale.text.clone(),
                                });
                            self.errors.push(CheckError::UnknownName {
                                name: scale.text.clone(),
                                span: scale.span.into(),
                                hint: Some(hint),
                            });
                        }
                    }
                    model::InputType::Judgement
                }
            };
            let id = InputId(self.inputs.len());
            self.input_ids.insert(name.clone(), id);
            let range = decl
                .range
                .as_ref()
                .and_then(|r| self.input_range(name, ty, r));
            self.inputs.push(model::Input {
                name: name.clone(),
                ty,
                options,
                bands,
                scale: scale_name,
                optional: decl.optional,
                range,
                span: decl.name.span,
            });
        }
    }

    /// `input 全年预算数: money > 0`: a range only on numbers, in the input's unit.
    fn input_range(
        &mut self,
        name: &str,
        ty: model::InputType,
        range: &ast::TierRange,
    ) -> Option<model::Range> {
        use model::InputType as T;
        let unit = match ty {
            T::Money => model::Unit::Money,
            T::Count => model::Unit::Count,
            T::Percent => model::Unit::Percent,
            T::Number => model::Unit::Unknown,
            T::YesNo | T::Text | T::TargetList | T::FindingList | T::Category | T::Judgement => {
                self.errors.push(CheckError::TypeMismatch {
                    what: Text::new(format!("the range of `{name}`"), format!("`{name}` 的取值范围")),
                    expected: Text::new(
                        "an input of money, number, percent or count",
                        "金额、数字、百分数或个数类型的输入",
                    ),
                    found: Text::new(ty.keyword(), format!(" `{}` 类型", ty.keyword())),
                    span: range.span.into(),
                    help: Some(Text::new(
                        "only numbers have ranges; a `one of` input lists its values, a judgement its bands",
                        "只有数字才有取值范围；`one of` 输入列出它的取值，评价列出它的各档",
                    )),
                });
                return None;
            }
        };
        let written = units::bounds(std::iter::once(range));
        self.units_agree(WrittenNumbers::InputRange, unit, range.span, &written);
        Some(model::Range {
            lower: range.lower,
            upper: range.upper,
            text: range.text.clone(),
        })
    }

    pub(super) fn unused_inputs(&mut self) {
        for (i, input) in self.inputs.iter().enumerate() {
            if !self.used_inputs.contains(&InputId(i)) {
                self.errors.push(CheckError::UnusedInput {
                    name: input.name.clone(),
                    span: input.span.into(),
                });
            }
        }
    }
}
