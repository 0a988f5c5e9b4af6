//! Stage 3 (data file → [`Department`](super::Department), against the checked rulebook's
//! inputs): the items of the two list inputs — findings (`deduct … per`) and the department's own
//! target records (绩效指标), each field read and a record's actual value held to its target's
//! unit.

use crate::diagnostics::Text;
use crate::echo::did_you_mean_both as did_you_mean;
use rust_decimal::Decimal;

use super::error::DataError;
use super::target::{self, Quantity};
use super::tree::{Entry, Node, Spanned};
use super::values::bare_percent_help;
use super::{Finding, Reader, TargetRecord};
use crate::check::closest;
use crate::source::Span;

/// The fields of a target record, in the order the messages list them.
const TARGET_FIELDS: [&str; 5] = ["名称", "指标值", "实际完成值", "分值", "偏差原因"];

impl Reader<'_> {
    pub(super) fn finding(&mut self, list: &str, item: Spanned) -> Option<Finding> {
        let Node::Table(entries) = item.node else {
            self.wrong(
                list,
                Text::new("a finding with 描述", "带 描述 的问题记录"),
                &item.node,
                item.span,
                None,
            );
            return None;
        };
        let mut description = None;
        for Entry {
            key,
            key_span,
            value,
        } in entries
        {
            if key == "描述" {
                description = self.text("描述", value);
            } else {
                let help = closest(&key, ["描述"].into_iter())
                    .map(|c| did_you_mean(&key, c))
                    .or_else(|| {
                        Some(Text::new(
                            "a finding has one field, 描述",
                            "问题记录只有一项：描述",
                        ))
                    });
                self.errors.push(DataError::Unknown {
                    name: key.into_owned(),
                    span: key_span.into(),
                    help,
                });
                return None;
            }
        }
        match description {
            Some(description) => Some(Finding {
                description,
                span: item.span,
            }),
            None => {
                self.errors.push(DataError::Missing {
                    name: "描述".into(),
                    example: Text::new(
                        "add `\"描述\" = \"固定资产未及时入账\"` to this finding",
                        "在这条问题记录中加上 `\"描述\" = \"固定资产未及时入账\"`",
                    ),
                    span: item.span.into(),
                });
                None
            }
        }
    }

    pub(super) fn target_record<'t>(
        &mut self,
        list: &str,
        item: Spanned<'t>,
    ) -> Option<TargetRecord> {
        let Node::Table(entries) = item.node else {
            self.wrong(
                list,
                Text::new("a list of target records", "绩效指标记录列表"),
                &item.node,
                item.span,
                None,
            );
            return None;
        };
        let errors_before = self.errors.len();
        let mut fields: [Option<Spanned>; 5] = Default::default();
        for Entry {
            key,
            key_span,
            value,
        } in entries
        {
            match TARGET_FIELDS.iter().position(|f| *f == key) {
                Some(i) => fields[i] = Some(value),
                None => {
                    let help = closest(&key, TARGET_FIELDS.iter().copied())
                        .map(|c| did_you_mean(&key, c))
                        .or_else(|| {
                            Some(Text::new(
                                format!("a target record has: {}", TARGET_FIELDS.join(", ")),
                                format!("绩效指标记录的字段有：{}", TARGET_FIELDS.join("、")),
                            ))
                        });
                    self.errors.push(DataError::Unknown {
                        name: key.into_owned(),
                        span: key_span.into(),
                        help,
                    });
                }
            }
        }
        let [name, target, actual, points, reason] = fields;
        let required = |field: &str, v: Option<Spanned<'t>>, this: &mut Self| {
            if v.is_none() {
                this.errors.push(DataError::Missing {
                    name: field.to_string(),
                    example: Text::new(
                        format!("add `\"{field}\" = \"…\"` to this record"),
                        format!("在这条记录中加上 `\"{field}\" = \"…\"`"),
                    ),
                    span: item.span.into(),
                });
            }
            v
        };
        let name = required("名称", name, self).and_then(|v| self.text("名称", v));
        let target_node = required("指标值", target, self);
        let actual = required("实际完成值", actual, self);
        let target = target_node.as_ref().and_then(|v| match &v.node {
            Node::Text(t) => self.notation(
                target::parse_target(t),
                t,
                Text::new("a target", "指标值"),
                v.span,
            ),
            other => {
                let help = Some(Text::new(
                    "write the target as the table does, in quotes: \"≥4篇\"",
                    "按评分表的写法把指标值写在引号中：\"≥4篇\"",
                ));
                self.wrong(
                    "指标值",
                    Text::new("a target such as \"≥4篇\"", "指标值，例如 \"≥4篇\""),
                    other,
                    v.span,
                    help,
                );
                None
            }
        });
        let actual_q = actual.as_ref().and_then(|v| match &v.node {
            Node::Text(t) => self.notation(
                target::parse_quantity(t),
                t,
                Text::new("an actual value", "实际完成值"),
                v.span,
            ),
            Node::Number(_) => self
                .decimal("实际完成值", v, Text::new("a number", "数字"))
                .map(|value| Quantity {
                    value,
                    percent: false,
                    unit: String::new(),
                    written: value.to_string(),
                }),
            other => {
                self.wrong(
                    "实际完成值",
                    Text::new("a value such as \"4篇\"", "完成值，例如 \"4篇\""),
                    other,
                    v.span,
                    None,
                );
                None
            }
        });
        // An actual value written without a unit takes the target's.
        let actual_q = match (&target, actual_q) {
            (Some(t), Some(mut a)) => {
                if a.unit.is_empty() && !a.percent && t.quantity.percent {
                    // 0.91 against ≥95%: a fraction from a spreadsheet (91%), or 0.91%? Never
                    // guess which.
                    if let (Some(av), Some(tv)) = (&actual, &target_node) {
                        let (as_fraction, help) = bare_percent_help(a.value);
                        self.errors.push(DataError::BarePercent {
                            actual: crate::number::exact(a.value),
                            target: t.quantity.written.clone(),
                            as_fraction,
                            help,
                            span: av.span.into(),
                            target_span: tv.span.into(),
                        });
                    }
                } else if a.unit.is_empty() && !a.percent {
                    a.unit = t.quantity.unit.clone();
                    a.percent = t.quantity.percent;
                    a.written = format!("{}{}", a.written, t.quantity.unit_label());
                } else if !a.same_unit(&t.quantity) {
                    if let (Some(av), Some(tv)) = (&actual, &target_node) {
                        let unit = |q: &Quantity| match q.unit_label() {
                            u if u.is_empty() => Text::new("no unit", "无单位"),
                            u => Text::new(format!("`{u}`"), format!("`{u}`")),
                        };
                        self.errors.push(DataError::UnitMismatch {
                            target: unit(&t.quantity),
                            actual: unit(&a),
                            span: av.span.into(),
                            target_span: tv.span.into(),
                        });
                    }
                }
                Some(a)
            }
            (_, a) => a,
        };
        let points = match points {
            Some(v) => {
                let p = self.decimal("分值", &v, Text::new("a number", "数字"));
                if p.is_some_and(|p| p <= Decimal::ZERO) {
                    self.wrong(
                        "分值",
                        Text::new("a number above 0", "大于 0 的数字"),
                        &v.node,
                        v.span,
                        None,
                    );
                }
                p
            }
            None => None,
        };
        let reason = reason.and_then(|v| self.text("偏差原因", v));
        if self.errors.len() > errors_before {
            return None;
        }
        Some(TargetRecord {
            name: name?,
            target: target?,
            actual: actual_q?,
            points,
            reason,
            span: item.span,
        })
    }

    /// A target (`≥4篇`) or an actual value (`4篇`) as read from its notation; `what` names
    /// which in the error.
    fn notation<T>(
        &mut self,
        parsed: Result<T, Text>,
        text: &str,
        what: Text,
        span: Span,
    ) -> Option<T> {
        parsed
            .map_err(|help| {
                self.errors.push(DataError::TargetNotation {
                    text: text.to_string(),
                    what,
                    help,
                    span: span.into(),
                })
            })
            .ok()
    }
}
