//! Stage 3 (data file → [`Department`](super::Department), against the checked rulebook's
//! inputs): the items of the two list inputs — findings (`deduct … per`) and the department's own
//! target records (绩效指标), each field read and a record's actual value held to its target's
//! unit.

use std::borrow::Cow;

use crate::diagnostics::Text;
use crate::echo::did_you_mean_both as did_you_mean;
use rust_decimal::Decimal;

use super::error::DataError;
use super::target::Target;
use super::target::{self, Quantity};
use super::tree::{Entry, Node, Spanned};
use super::values::bare_percent_help;
use super::{Finding, GradeFrom, Graded, Measure, Reader, TargetRecord};
use crate::check::closest;
use crate::source::Span;

/// The fields of a target record, in the order the messages list them; a form's other
/// columns are kept as they are.
pub(super) const TARGET_FIELDS: [&str; FIELDS] = [
    "名称",
    "一级指标",
    "二级指标",
    "指标性质",
    "指标值",
    "度量单位",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因",
    "等级",
];
pub(super) const FIELDS: usize = 11;

/// The headers forms use for the fields (the national form's 年度指标值, Sichuan's 权重, the
/// 自评得分 of many), as a data file's keys or a form's column heads.
const ALIASES: [(&str, &str); 13] = [
    ("三级指标", "名称"),
    ("年度指标值", "指标值"),
    ("计量单位", "度量单位"),
    ("数量单位", "度量单位"),
    ("偏离原因", "偏差原因"),
    ("全年实际完成值", "实际完成值"),
    ("完成值", "实际完成值"),
    ("权重", "分值"),
    ("自评得分", "得分"),
    ("实际得分", "得分"),
    ("评分", "得分"),
    ("偏差原因分析及改进措施", "偏差原因"),
    ("未完成原因分析", "偏差原因"),
];

/// Which field a key of a record is, under its name or a form's header for it, spaces inside
/// it aside (`得 分`, as forms space out short heads).
pub(super) fn field_of(key: &str) -> Option<usize> {
    // The fields' own names first: no alias is one of them, and data files use the names.
    let field = |key: &str| TARGET_FIELDS.iter().position(|f| *f == key);
    let named = |key: &str| {
        field(key).or_else(|| {
            let (_, name) = ALIASES.iter().find(|(alias, _)| *alias == key)?;
            field(name)
        })
    };
    named(key).or_else(|| {
        let spaced = |c: char| c == ' ' || c == '\u{3000}';
        key.contains(spaced)
            .then(|| named(&key.replace(spaced, "")))
            .flatten()
    })
}

/// An extra column's value as written; a table or list is no cell.
fn extra_text(node: &Node) -> Option<String> {
    match node {
        Node::Text(t) | Node::Number(t) => Some(t.to_string()),
        Node::Bool(b) => Some(if *b { "是" } else { "否" }.to_string()),
        Node::Table(_) | Node::Array(_) | Node::Other(_) => None,
    }
}

/// A row that only names its levels (一级指标, 二级指标), as a form writes a level with no
/// indicator under it ("/" in the other cells): no target, and not scored.
pub(super) fn level_only(item: &Spanned) -> bool {
    match &item.node {
        Node::Table(entries) => only_levels(entries.iter().map(|e| field_of(&e.key))),
        Node::Array(_) | Node::Text(_) | Node::Number(_) | Node::Bool(_) | Node::Other(_) => false,
    }
}

/// Whether a row's keys, as the fields they are ([`field_of`]), are some and all levels.
pub(super) fn only_levels(mut fields: impl Iterator<Item = Option<usize>>) -> bool {
    let mut some = false;
    fields.all(|f| {
        some = true;
        matches!(f, Some(1 | 2))
    }) && some
}

/// A field of a record as the JSON scanner finds it ([`super::stream`]): a string's text
/// between its quotes, a number of plain digits read as it was scanned, or any other number as
/// written.
#[derive(Clone, Copy)]
pub(super) enum Scalar<'a> {
    Text(&'a str),
    /// What [`crate::number::parse_written`] reads the digits as.
    Digits(Decimal),
    Number(&'a str),
}

/// A record's fields in the order of [`TARGET_FIELDS`], each with where its value stands.
pub(super) type Scalars<'a> = [Option<(Scalar<'a>, Span)>; FIELDS];

/// The record of `fields` (written at `span`) read the short way onto `records`, for the plain
/// records a batch reads by the million: 名称, the levels and 偏差原因 in text, 指标值 and
/// 实际完成值 a quantity each (`≥43篇`, `43篇`), 分值 and 得分 numbers, and no other field.
/// `None` for any other record, and for one with anything wrong: [`Reader::target_record`]
/// reads those, and says what is wrong. A record read here is the record `target_record` gives
/// (the tests of [`super::stream`] hold the two together), through the same parts: the
/// notations, [`hold`], the numbers and their bounds.
pub(super) fn plain_record(
    fields: &Scalars,
    span: Span,
    records: &mut Vec<TargetRecord>,
) -> Option<()> {
    use Scalar::{Digits, Number, Text};
    let [
        Some((Text(name), place)),
        first,
        second,
        None,
        Some((Text(target), _)),
        None,
        Some((Text(actual), _)),
        points,
        reported,
        reason,
        None,
    ] = *fields
    else {
        return None;
    };
    #[inline(always)]
    fn text<T: for<'t> From<&'t str>>(field: Option<(Scalar, Span)>) -> Option<Option<T>> {
        match field {
            None => Some(None),
            Some((Text(t), _)) => Some(Some(T::from(t))),
            Some((Digits(_) | Number(_), _)) => None,
        }
    }
    #[inline(always)]
    fn number(field: Option<(Scalar, Span)>) -> Option<Option<Decimal>> {
        match field {
            None => Some(None),
            Some((Digits(d), _)) => Some(Some(d)),
            Some((Number(n), _)) => crate::number::parse_written(n).ok().map(Some),
            // A number written as text (`"4.5"`, as exporters that keep decimals exact write
            // one) reads as the long way reads it: text meant as a number, read as written.
            Some((Text(t), _)) if super::values::looks_numeric(t) => {
                crate::number::parse_written(t).ok().map(Some)
            }
            Some((Text(_), _)) => None,
        }
    }
    // A target in words, graded on the list's scale, is no quantity: `parse_target` refuses it.
    let target = target::parse_target(target).ok()?;
    let mut actual = target::parse_quantity(actual).ok()?;
    hold(&target.quantity, &mut actual).ok()?;
    let points = number(points)?;
    if points.is_some_and(|p| p <= Decimal::ZERO) {
        return None;
    }
    let reported = number(reported)?;
    if reported.is_some_and(|r| r < Decimal::ZERO || r > points.unwrap_or(Decimal::MAX)) {
        return None;
    }
    let (levels, reason) = ([text(first)?, text(second)?], text(reason)?);
    // Pushed here rather than returned for the caller to push: one copy fewer of the record.
    records.push(TargetRecord {
        name: name.to_string(),
        measure: Measure::Quantity { target, actual },
        points,
        rare: crate::data::Rare::boxed(levels, reported, reason, Vec::new()),
        span,
        place,
    });
    Some(())
}

/// The band of a scale that reaches highest (by its upper bound, then its lower one).
fn top_band(bands: &[crate::model::JudgementBand]) -> Option<usize> {
    let reach = |b: &crate::model::JudgementBand| {
        (
            b.upper.map_or(Decimal::MAX, |u| u.value),
            b.upper.is_some_and(|u| u.inclusive),
            b.lower.map_or(Decimal::MIN, |l| l.value),
        )
    };
    (0..bands.len()).max_by(|&a, &b| reach(&bands[a]).cmp(&reach(&bands[b])).then(b.cmp(&a)))
}

/// A number written without a unit or `%`.
fn bare(node: &Node) -> bool {
    match node {
        Node::Number(_) => true,
        Node::Text(t) => {
            !t.contains(['%', '％']) && t.trim().chars().all(crate::number::is_number_char)
        }
        Node::Bool(_) | Node::Table(_) | Node::Array(_) | Node::Other(_) => false,
    }
}

/// Why an actual value cannot stand beside its target.
enum Unheld {
    /// A bare number against a percentage.
    BarePercent,
    /// Units that differ.
    Units,
}

/// An actual value held to its target's unit: one written without a unit takes the target's;
/// a bare number against a percentage is never guessed (0.91 against ≥95%: a fraction from a
/// spreadsheet, 91%, or 0.91%?).
fn hold(target: &Quantity, actual: &mut Quantity) -> Result<(), Unheld> {
    let bare = actual.unit.is_empty() && !actual.percent;
    if bare && target.percent {
        Err(Unheld::BarePercent)
    } else if bare {
        // The target is no percentage: its unit is all its label.
        actual.written = compact_str::format_compact!("{}{}", actual.written, target.unit);
        actual.unit = target.unit.clone();
        Ok(())
    } else if actual.same_unit(target) {
        Ok(())
    } else {
        Err(Unheld::Units)
    }
}

/// 指标性质 `定性` (qualitative), as the Sichuan form writes it.
fn is_qualitative_nature(nature: &str) -> bool {
    matches!(nature.trim(), "定性" | "定性指标")
}

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
        item: &Spanned<'t>,
    ) -> Option<TargetRecord> {
        let Node::Table(entries) = &item.node else {
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
        // Each field read where it stands in the tree: a record's values are not moved out of
        // it (a batch reads twenty records a department, and moving them costs more than
        // reading them).
        let mut fields: [Option<&Spanned<'t>>; FIELDS] = [None; FIELDS];
        let mut extra: Vec<(String, String)> = Vec::new();
        let mut extra_keys: Vec<(&str, Span)> = Vec::new();
        for Entry {
            key,
            key_span,
            value,
        } in entries
        {
            let Some(i) = field_of(key) else {
                // A form's other columns (年初预算数, 备注 …) are kept, never an error.
                match extra_text(&value.node) {
                    Some(text) => extra.push((key.to_string(), text)),
                    None => self.wrong(
                        key,
                        Text::new("a value written in a cell", "单元格中的值"),
                        &value.node,
                        value.span,
                        None,
                    ),
                }
                extra_keys.push((key, *key_span));
                continue;
            };
            if let Some(first) = fields[i] {
                // The same field under another of its names is said so: it was not written
                // twice.
                let other = entries
                    .iter()
                    .map(|e| e.key.as_ref())
                    .find(|k| field_of(k) == Some(i))
                    .filter(|k| *k != key.as_ref());
                let (key, first) = (key.to_string(), first.span.start());
                self.errors.push(DataError::Syntax {
                    reason: match other {
                        Some(other) => super::error::SyntaxReason::SameField {
                            key,
                            other: other.to_string(),
                            first,
                        },
                        None => super::error::SyntaxReason::DuplicateKey { key, first },
                    },
                    span: (*key_span).into(),
                });
                continue;
            }
            fields[i] = Some(value);
        }
        let [
            name,
            first,
            second,
            nature,
            target_node,
            unit,
            actual,
            points,
            reported,
            reason,
            grade,
        ] = fields;
        // A column one slip from a field the record does not give is that field misspelt
        // (实际完成, 偏差愿因), said at the column: kept as a column, it would never be read. A
        // missing field that is required and near no column is said missing. Optional fields
        // of two letters (得分, 分值) are left out (one slip from them is another word: 得分率,
        // 总分), and so are a form's other columns, which are the form's own business. A column
        // is said once, however many fields it is near.
        let mut said: Vec<&str> = Vec::new();
        for (i, field) in TARGET_FIELDS.iter().enumerate() {
            let required = matches!(*field, "名称" | "指标值" | "实际完成值");
            if fields[i].is_some() || !required && (self.form || field.chars().count() < 3) {
                continue;
            }
            let near = closest(
                field,
                extra_keys
                    .iter()
                    .map(|(k, _)| *k)
                    .filter(|k| !said.contains(k)),
            )
            .and_then(|k| extra_keys.iter().find(|(key, _)| *key == k));
            match near {
                Some((key, span)) => {
                    said.push(key);
                    self.errors.push(DataError::UnknownField {
                        name: key.to_string(),
                        help: did_you_mean(key, field),
                        span: (*span).into(),
                    });
                }
                None if required => self.errors.push(DataError::Missing {
                    name: field.to_string(),
                    example: match self.form {
                        true => Text::new(
                            format!("fill in this row's {field} on the form"),
                            format!("在表中填写这一行的{field}"),
                        ),
                        false => Text::new(
                            format!("add `\"{field}\" = \"…\"` to this record"),
                            format!("在这条记录中加上 `\"{field}\" = \"…\"`"),
                        ),
                    },
                    span: item.span.into(),
                }),
                None => {}
            }
        }
        // A record stands where its name does (in a form, the 三级指标 cell).
        let place = name.map_or(item.span, |v| v.span);
        let name = name.and_then(|v| self.text_of("名称", v));
        let levels = [
            first.and_then(|v| self.text_of("一级指标", v).map(Into::into)),
            second.and_then(|v| self.text_of("二级指标", v).map(Into::into)),
        ];
        let nature = nature.and_then(|v| self.text_of("指标性质", v).map(|t| (t, v.span)));
        let unit = unit.and_then(|v| {
            self.text_of("度量单位", v)
                .map(|t| (t.trim().to_string(), v.span))
        });
        let qualitative = match (&nature, target_node) {
            (Some((n, _)), _) if is_qualitative_nature(n) => true,
            (
                _,
                Some(Spanned {
                    node: Node::Text(t),
                    ..
                }),
            ) => target::is_qualitative(t.as_ref()),
            _ => false,
        };
        let measure = if qualitative {
            let grade = grade.and_then(|v| self.text_of("等级", v).map(|t| (t, v.span)));
            self.graded(list, target_node, actual, grade, item.span)
        } else {
            self.quantity_measure(target_node, actual, nature.as_ref(), unit.as_ref())
        };
        let points = match points {
            Some(v) => {
                let p = self.decimal("分值", v, Text::new("a number", "数字"));
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
        let reported = reported.and_then(|v| {
            let r = self.decimal("得分", v, Text::new("a number", "数字"))?;
            let top = points.unwrap_or(Decimal::MAX);
            if r < Decimal::ZERO || r > top {
                let most = points.map_or("分值".into(), crate::number::exact);
                self.wrong(
                    "得分",
                    Text::new(
                        format!("a score from 0 to the row's 分值 {most}"),
                        format!("0 到本行分值 {most} 之间的得分"),
                    ),
                    &v.node,
                    v.span,
                    Some(Text::new(
                        "correct the reported score: a row scores at most its 分值",
                        "改正自评得分：每行得分不超过本行的分值",
                    )),
                );
                return None;
            }
            Some(r)
        });
        let reason = reason.and_then(|v| self.text_of("偏差原因", v));
        if self.errors.len() > errors_before {
            return None;
        }
        Some(TargetRecord {
            name: name?,
            measure: measure?,
            points,
            rare: crate::data::Rare::boxed(levels, reported, reason, extra),
            span: item.span,
            place,
        })
    }

    /// A record's quantity (target and actual value, each with its unit), read and held
    /// together; `None` when either cannot be read (the error is said).
    fn quantity_measure(
        &mut self,
        target_node: Option<&Spanned>,
        actual: Option<&Spanned>,
        nature: Option<&(String, Span)>,
        unit: Option<&(String, Span)>,
    ) -> Option<Measure> {
        let target = target_node.and_then(|v| self.target_value(v, nature, unit));
        let actual_q = actual.and_then(|v| self.actual_value(v, unit));
        // Either unread is said already; the checks below hold the two together.
        let (Some(t), Some(mut a), Some(av), Some(tv)) = (target, actual_q, actual, target_node)
        else {
            return None;
        };
        self.held_to_target(&t, &mut a, av, tv);
        // 度量单位 `%` over a bare 0.91 against a target of 95: a fraction from a
        // spreadsheet (91%), or 0.91%? Never guess which.
        let fraction = |q: Decimal| q < Decimal::ONE && !q.is_zero();
        if let Some((u, _)) = unit
            && u.starts_with(['%', '％'])
        {
            if bare(&av.node) && fraction(a.value) && t.quantity.value >= Decimal::ONE {
                self.bare_percent(&a, &t, av, tv);
                return None;
            }
            // The other way round: a target of 0.95 beside an actual value of 90.
            if bare(&tv.node) && fraction(t.quantity.value) && a.value >= Decimal::ONE {
                let (as_fraction, _) = bare_percent_help(t.quantity.value);
                let (bare, actual) = (crate::number::exact(t.quantity.value), &a.written);
                self.errors.push(DataError::TargetNotation {
                    text: bare.clone(),
                    what: Text::new("a target", "指标值"),
                    help: Text::new(
                        format!("the target {bare} under `%` stands beside an actual value of {actual}: if the spreadsheet showed {as_fraction}%, write {as_fraction}; if it is {bare} percent, keep it and write the actual value in the same scale"),
                        format!("度量单位为 `%` 的指标值 {bare} 与实际完成值 {actual} 并列：如果表格中显示的是 {as_fraction}%，请写 {as_fraction}；如果确实是 {bare}%，请按同一口径填写实际完成值"),
                    ),
                    span: tv.span.into(),
                });
                return None;
            }
        }
        Some(Measure::Quantity {
            target: t,
            actual: a,
        })
    }

    /// 指标值, with the sign of 指标性质 and the unit of 度量单位 where the form gives them apart.
    fn target_value(
        &mut self,
        v: &Spanned,
        nature: Option<&(String, Span)>,
        unit: Option<&(String, Span)>,
    ) -> Option<Target> {
        // Borrowed from the tree: the target is copied once, by `parse_target`.
        let written: Cow<str> = match &v.node {
            Node::Text(t) => Cow::Borrowed(target::trim(t)),
            Node::Number(n) if nature.is_some() => Cow::Borrowed(n),
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
                return None;
            }
        };
        let mut text = written.clone();
        if let Some((sign, span)) = nature {
            let sign = sign.trim();
            match target::parse_target(&written) {
                // The sign is written twice: it must agree.
                Ok(t) if target::op_of(sign) != Some(t.op) => {
                    self.errors.push(DataError::TargetNotation {
                        text: format!("{sign} / {written}"),
                        what: Text::new("a target", "指标值"),
                        help: Text::new(
                            format!(
                                "指标性质 says `{sign}` but 指标值 starts with `{}`: keep one",
                                t.op.symbol()
                            ),
                            format!(
                                "指标性质为 `{sign}`，指标值却以 `{}` 开头：只保留一个",
                                t.op.symbol()
                            ),
                        ),
                        span: (*span).into(),
                    });
                    return None;
                }
                Ok(_) => {}
                Err(_) => match target::op_of(sign) {
                    Some(op) => text = Cow::Owned(format!("{}{written}", op.symbol())),
                    None => {
                        self.errors.push(DataError::TargetNotation {
                            text: sign.to_string(),
                            what: Text::new("a 指标性质", "指标性质"),
                            help: Text::new(
                                "指标性质 is one of ≥, ≤, = or 定性",
                                "指标性质 是 ≥、≤、= 或 定性 之一",
                            ),
                            span: (*span).into(),
                        });
                        return None;
                    }
                },
            }
        }
        let mut t = self.notation(
            target::parse_target(&text),
            &text,
            Text::new("a target", "指标值"),
            v.span,
        )?;
        if let Some((unit, span)) = unit {
            self.with_unit(&mut t.quantity, unit, *span)?;
        }
        Some(t)
    }

    /// 实际完成值, in the unit of 度量单位 where the form gives it apart.
    fn actual_value(&mut self, v: &Spanned, unit: Option<&(String, Span)>) -> Option<Quantity> {
        let mut q = match &v.node {
            Node::Text(t) => self.notation(
                target::parse_quantity(t),
                t,
                Text::new("an actual value", "实际完成值"),
                v.span,
            )?,
            Node::Number(_) => self
                .decimal("实际完成值", v, Text::new("a number", "数字"))
                .map(|value| Quantity {
                    value,
                    percent: false,
                    unit: Default::default(),
                    written: compact_str::ToCompactString::to_compact_string(&value),
                })?,
            other => {
                self.wrong(
                    "实际完成值",
                    Text::new("a value such as \"4篇\"", "完成值，例如 \"4篇\""),
                    other,
                    v.span,
                    None,
                );
                return None;
            }
        };
        if let Some((unit, span)) = unit {
            self.with_unit(&mut q, unit, *span)?;
        }
        Some(q)
    }

    /// A quantity given the form's 度量单位: a bare number takes it; one written with a unit
    /// must be in it.
    fn with_unit(&mut self, q: &mut Quantity, unit: &str, span: Span) -> Option<()> {
        if unit.is_empty() {
            return Some(());
        }
        let (percent, rest) = match unit.strip_prefix('%').or_else(|| unit.strip_prefix('％')) {
            Some(rest) => (true, rest.trim()),
            None => (false, unit),
        };
        if q.unit.is_empty() && !q.percent {
            q.percent = percent;
            q.unit = rest.into();
            q.written = compact_str::format_compact!("{}{}", q.written, unit);
            return Some(());
        }
        if q.percent == percent && q.unit == rest {
            return Some(());
        }
        self.errors.push(DataError::UnitMismatch {
            target: Text::new(format!("`{unit}`"), format!("`{unit}`")),
            actual: Text::new(
                format!("`{}`", q.unit_label()),
                format!("`{}`", q.unit_label()),
            ),
            span: span.into(),
            target_span: span.into(),
        });
        None
    }

    /// An actual value held to its target's unit ([`hold`]); what is wrong is said.
    fn held_to_target(&mut self, t: &Target, a: &mut Quantity, av: &Spanned, tv: &Spanned) {
        match hold(&t.quantity, a) {
            Ok(()) => {}
            Err(Unheld::BarePercent) => self.bare_percent(a, t, av, tv),
            Err(Unheld::Units) => {
                let unit = |q: &Quantity| match q.unit_label() {
                    u if u.is_empty() => Text::new("no unit", "无单位"),
                    u => Text::new(format!("`{u}`"), format!("`{u}`")),
                };
                self.errors.push(DataError::UnitMismatch {
                    target: unit(&t.quantity),
                    actual: unit(a),
                    span: av.span.into(),
                    target_span: tv.span.into(),
                });
            }
        }
    }

    /// `data::bare_percent`: a bare actual value `a` against the percentage `t`.
    fn bare_percent(&mut self, a: &Quantity, t: &Target, actual: &Spanned, target: &Spanned) {
        let (as_fraction, help) = bare_percent_help(a.value);
        self.errors.push(DataError::BarePercent {
            actual: crate::number::exact(a.value),
            target: t.quantity.written.to_string(),
            as_fraction,
            help,
            span: actual.span.into(),
            target_span: target.span.into(),
        });
    }

    /// A qualitative record's grade on its list's scale: from its `等级`, from the words of its
    /// 实际完成值, or the top band when 实际完成值 repeats 指标值. A grade that cannot be known
    /// is an error naming the record, never a guess.
    fn graded(
        &mut self,
        list: &str,
        target: Option<&Spanned>,
        actual: Option<&Spanned>,
        grade: Option<(String, Span)>,
        record: Span,
    ) -> Option<Measure> {
        let input = self.rules.inputs.iter().find(|i| i.name == list)?;
        let (scale, bands) = (input.scale.clone(), input.bands.clone());
        let words = |v: Option<&Spanned>| match v.map(|v| &v.node) {
            Some(Node::Text(t)) => Some(t.trim().to_string()),
            Some(Node::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let (target_text, actual_text) = (words(target)?, words(actual)?);
        let Some(scale) = scale else {
            let span = target.map_or(record, |t| t.span);
            self.errors.push(DataError::TargetNotation {
                text: target_text,
                what: Text::new("a target", "指标值"),
                help: Text::new(target::QUALITATIVE, target::QUALITATIVE_ZH),
                span: span.into(),
            });
            return None;
        };
        let labels: Vec<&str> = bands.iter().map(|b| b.label.as_str()).collect();
        let found = match &grade {
            Some((g, _)) => bands
                .iter()
                .position(|b| b.label == g.trim())
                .map(|i| (i, GradeFrom::Column)),
            // A target reached as written is reached, whatever words the scale gives to it:
            // the top band, the one that reaches highest, in whatever order the bands stand.
            None if actual_text == target_text => {
                top_band(&bands).map(|i| (i, GradeFrom::SameAsTarget))
            }
            None => bands
                .iter()
                .position(|b| b.words.contains(&actual_text))
                .map(|i| (i, GradeFrom::Words)),
        };
        match found {
            Some((band, from)) => Some(Measure::Grade(Graded {
                target: target_text,
                actual: actual_text,
                band,
                from,
            })),
            None => {
                match (grade, actual) {
                    // A 等级 that is no band of the scale.
                    (Some((g, span)), _) => {
                        let near = closest(&g, labels.iter().copied()).map(|n| n.to_string());
                        self.errors.push(DataError::NotAnOption {
                            name: "等级".into(),
                            value: g,
                            options: labels.join("、"),
                            suggestion: near,
                            span: span.into(),
                        });
                    }
                    (None, actual) => self.errors.push(DataError::Grade {
                        give: match self.form {
                            true => Text::new(
                                format!("give the row its grade in a 等级 column of the table (one of {})", labels.join("、")),
                                format!("在表中加一列“等级”，写明这一行的等级（{} 之一）", labels.join("、")),
                            ),
                            false => Text::new(
                                format!("give the record its grade, e.g. `\"等级\" = \"{}\"` (one of {})", labels.first().copied().unwrap_or("达成"), labels.join("、")),
                                format!("为这条记录写明等级，例如 `\"等级\" = \"{}\"`（{} 之一）", labels.first().copied().unwrap_or("达成"), labels.join("、")),
                            ),
                        },
                        written: actual_text,
                        scale,
                        grades: labels.join("、"),
                        span: actual.map_or(record, |a| a.span).into(),
                    }),
                }
                None
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_found_by_its_name_or_an_alias() {
        // `field_of` tries the names first: that is only right while no alias is a name.
        for (alias, name) in ALIASES {
            assert!(!TARGET_FIELDS.contains(&alias), "{alias}");
            assert_eq!(field_of(alias), field_of(name), "{alias}");
            assert!(field_of(name).is_some(), "{name}");
        }
        // Forms space out short heads; spaces inside a key do not make it another column.
        for (spaced, name) in [
            ("得 分", "得分"),
            ("分\u{3000}\u{3000}值", "分值"),
            ("自评 得分", "得分"),
        ] {
            assert_eq!(field_of(spaced), field_of(name), "{spaced}");
        }
        assert_eq!(field_of("完全 不相干"), None);
        for (i, name) in TARGET_FIELDS.iter().enumerate() {
            assert_eq!(field_of(name), Some(i));
        }
        assert_eq!(field_of("备注"), None);
    }
}
