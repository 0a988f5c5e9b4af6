//! Stage 3 (data file → [`Department`](super::Department), against the checked rulebook's
//! inputs): one value read by the type its input declares — numbers, money and counts exactly as
//! written, percentages, yes/no, text, categories and assessors' judgements. Lists hand each item
//! to [`super::records`].

use crate::diagnostics::Text;
use crate::echo::did_you_mean_both as did_you_mean;
use rust_decimal::Decimal;

use super::error::DataError;
use super::tree::{Entry, Node, Spanned};
use super::{Datum, Reader};
use crate::check::closest;
use crate::model::InputType;
use crate::source::Span;

impl Reader<'_> {
    pub(super) fn wrong(
        &mut self,
        name: &str,
        expected: Text,
        found: &Node,
        span: Span,
        help: Option<Text>,
    ) {
        self.errors.push(DataError::WrongType {
            name: name.to_string(),
            expected,
            found: found.words(),
            span: span.into(),
            help,
        });
    }

    pub(super) fn text(&mut self, name: &str, v: Spanned) -> Option<String> {
        match v.node {
            Node::Text(t) => Some(t.into_owned()),
            _ => self.text_of(name, &v),
        }
    }

    /// [`Reader::text`] of a value left in its tree (a target record's fields are read where
    /// they stand, not moved out one by one).
    pub(super) fn text_of(&mut self, name: &str, v: &Spanned) -> Option<String> {
        match &v.node {
            Node::Text(t) => Some(t.to_string()),
            other => {
                self.wrong(
                    name,
                    Text::new("text in double quotes", "双引号中的文字"),
                    other,
                    v.span,
                    None,
                );
                None
            }
        }
    }

    /// An exact decimal from a number as written, or from text such as "3,156.9".
    pub(super) fn decimal(&mut self, name: &str, v: &Spanned, expected: Text) -> Option<Decimal> {
        let raw = match &v.node {
            Node::Number(n) => &**n,
            Node::Text(t) if looks_numeric(t) => &**t,
            other => {
                let help = match other {
                    // A form's formula whose value the workbook never saved.
                    Node::Text(t) if t.starts_with('=') => Text::new(
                        "this cell holds a formula whose value was never saved (the workbook was written by a program): open it in Excel or WPS and save it, or type the value",
                        "这个单元格是公式，但工作簿中没有保存它的计算结果（由程序生成的工作簿常这样）：用 Excel 或 WPS 打开后保存一次，或者直接填写数值",
                    ),
                    _ => Text::new(
                        "write it in digits, as a number such as 3156.9, in the unit the rules use",
                        "用阿拉伯数字写出这个数，例如 3156.9，单位与规则所用的一致",
                    ),
                };
                self.wrong(name, expected, other, v.span, Some(help));
                return None;
            }
        };
        match crate::number::parse_written(raw) {
            Ok(value) => Some(value),
            Err(e) => {
                self.errors.push(DataError::from_number(e, v.span));
                None
            }
        }
    }

    pub(super) fn value(&mut self, name: &str, ty: InputType, v: Spanned) -> Option<Datum> {
        match ty {
            InputType::Money | InputType::Number => self
                .decimal(name, &v, Text::new("a number", "数字"))
                .map(Datum::Number),
            InputType::Count => {
                let n = self.decimal(name, &v, Text::new("a whole number", "整数"))?;
                if n.fract().is_zero() && n >= Decimal::ZERO {
                    Some(Datum::Number(n))
                } else {
                    self.wrong(
                        name,
                        Text::new("a whole number of 0 or more", "0 或更大的整数"),
                        &v.node,
                        v.span,
                        None,
                    );
                    None
                }
            }
            InputType::Percent => match &v.node {
                Node::Text(t) => match parse_percent(t) {
                    Some(Ok(p)) => Some(Datum::Number(p)),
                    Some(Err(e)) => {
                        self.errors.push(DataError::from_number(e, v.span));
                        None
                    }
                    None => {
                        self.wrong(
                            name,
                            Text::new("a percentage such as \"99.8%\"", "百分数，例如 \"99.8%\""),
                            &v.node,
                            v.span,
                            None,
                        );
                        None
                    }
                },
                other => {
                    let help = match other {
                        Node::Number(n) => Some(match crate::number::parse_written(n) {
                            Ok(v) => bare_percent_help(v).1,
                            Err(_) => Text::new(
                                format!("write the percentage with its sign, in quotes: \"{n}%\""),
                                format!("把百分数连同百分号写在引号中：\"{n}%\""),
                            ),
                        }),
                        _ => None,
                    };
                    self.wrong(
                        name,
                        Text::new("a percentage such as \"99.8%\"", "百分数，例如 \"99.8%\""),
                        other,
                        v.span,
                        help,
                    );
                    None
                }
            },
            InputType::YesNo => match &v.node {
                Node::Bool(b) => Some(Datum::Bool(*b)),
                Node::Text(t) if t == "是" => Some(Datum::Bool(true)),
                Node::Text(t) if t == "否" => Some(Datum::Bool(false)),
                other => {
                    self.wrong(
                        name,
                        Text::new(
                            "true/false (or \"是\"/\"否\")",
                            "true/false（或 \"是\"/\"否\"）",
                        ),
                        other,
                        v.span,
                        None,
                    );
                    None
                }
            },
            InputType::Text => self.text(name, v).map(Datum::Text),
            InputType::Judgement => self.judgement(name, v),
            InputType::Category => {
                let options = self
                    .rules
                    .inputs
                    .iter()
                    .find(|i| i.name == name)
                    .map(|i| i.options.clone())
                    .unwrap_or_default();
                let span = v.span;
                let value = self.text(name, v)?;
                if options.contains(&value) {
                    Some(Datum::Text(value))
                } else {
                    let near = closest(&value, options.iter().map(String::as_str));
                    self.errors.push(DataError::NotAnOption {
                        name: name.to_string(),
                        value,
                        options: options.join("、"),
                        suggestion: near.map(|n| n.to_string()),
                        span: span.into(),
                    });
                    None
                }
            }
            InputType::FindingList => match v.node {
                Node::Array(items) => self
                    .items(items, |r, item| r.finding(name, item))
                    .map(Datum::Findings),
                other => {
                    self.wrong(
                        name,
                        Text::new("a list of findings", "问题清单"),
                        &other,
                        v.span,
                        Some(Text::new(
                            format!("in TOML write each finding as [[\"{name}\"]] with \"描述\" = \"…\"; no findings: \"{name}\" = []"),
                            format!("在 TOML 中把每条问题写成 [[\"{name}\"]]，带 \"描述\" = \"…\"；没有问题时写 \"{name}\" = []"),
                        )),
                    );
                    None
                }
            },
            InputType::TargetList => match v.node {
                Node::Array(items) => self
                    .items(
                        items
                            .into_iter()
                            .filter(|item| !super::records::level_only(item))
                            .collect(),
                        |r, item| r.target_record(name, &item),
                    )
                    .map(Datum::Targets),
                other => {
                    self.wrong(
                        name,
                        Text::new("a list of target records", "绩效指标记录列表"),
                        &other,
                        v.span,
                        Some(Text::new(
                            format!("in TOML write each record as [[{name}]] with 名称, 指标值 and 实际完成值"),
                            format!("在 TOML 中把每条记录写成 [[{name}]]，带 名称、指标值 和 实际完成值"),
                        )),
                    );
                    None
                }
            },
        }
    }

    /// Every item of a list, each read in full first so that the errors of all of them are
    /// reported, not only the first one's; `None` when any item is wrong.
    fn items<T>(
        &mut self,
        items: Vec<Spanned>,
        mut read: impl FnMut(&mut Self, Spanned) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut all = Some(Vec::with_capacity(items.len()));
        for item in items {
            match (read(self, item), &mut all) {
                (Some(item), Some(all)) => all.push(item),
                (Some(_), None) => {}
                (None, _) => all = None,
            }
        }
        all
    }

    /// `{ "等级" = "部分达成", "得分率" = "75%", "理由" = "…" }`: the band must be declared,
    /// the rate must lie in it, and the reason must be given.
    fn judgement<'t>(&mut self, name: &str, v: Spanned<'t>) -> Option<Datum> {
        let bands = self
            .rules
            .inputs
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.bands.clone())
            .unwrap_or_default();
        let Node::Table(entries) = v.node else {
            self.wrong(
                name,
                Text::new("a judgement", "评价"),
                &v.node,
                v.span,
                Some(Text::new(
                    format!("write [\"{name}\"] with \"等级\", \"得分率\" and \"理由\""),
                    format!("写成 [\"{name}\"]，带 \"等级\"、\"得分率\" 和 \"理由\""),
                )),
            );
            return None;
        };
        let before = self.errors.len();
        let (mut band, mut rate, mut reason) = (None, None, None);
        for Entry {
            key,
            key_span,
            value,
        } in entries
        {
            match &*key {
                "等级" => band = Some(value),
                "得分率" => rate = Some(value),
                "理由" => reason = Some(value),
                _ => {
                    let help = closest(&key, ["等级", "得分率", "理由"].into_iter())
                        .map(|c| did_you_mean(&key, c))
                        .or_else(|| {
                            Some(Text::new(
                                "a judgement has 等级, 得分率 and 理由",
                                "评价有 等级、得分率 和 理由 三项",
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
        let require = |field: &str, value: Option<Spanned<'t>>, this: &mut Self| {
            if value.is_none() {
                this.errors.push(DataError::Missing {
                    name: field.to_string(),
                    example: Text::new(
                        format!("add `\"{field}\" = \"…\"` to [\"{name}\"]: an assessor's judgement needs its band, rate and reason"),
                        format!("在 [\"{name}\"] 中加上 `\"{field}\" = \"…\"`：评价人的评价需要写明等级、得分率和理由"),
                    ),
                    span: v.span.into(),
                });
            }
            value
        };
        let band = require("等级", band, self);
        let rate = require("得分率", rate, self);
        let reason = require("理由", reason, self);
        let band_span = band.as_ref().map(|b| b.span);
        let band = band.and_then(|b| self.text("等级", b));
        let reason = match reason {
            Some(r) => {
                let span = r.span;
                match self.text("理由", r) {
                    Some(t) if t.trim().is_empty() => {
                        self.errors.push(DataError::Missing {
                            name: "理由".into(),
                            example: Text::new(
                                "write the reason for the rate the assessor gave",
                                "写明评价人给出这个得分率的理由",
                            ),
                            span: span.into(),
                        });
                        None
                    }
                    other => other,
                }
            }
            None => None,
        };
        let rate_value = rate.as_ref().and_then(|r| match &r.node {
            Node::Text(t) => match parse_percent(t) {
                Some(Ok(p)) => Some(p),
                Some(Err(e)) => {
                    self.errors.push(DataError::from_number(e, r.span));
                    None
                }
                None => {
                    self.wrong(
                        "得分率",
                        Text::new("a rate such as \"75%\"", "得分率，例如 \"75%\""),
                        &r.node,
                        r.span,
                        None,
                    );
                    None
                }
            },
            // 0.75 may be a spreadsheet's 75% or 0.75%: never guessed, as for percent inputs.
            Node::Number(n) => {
                let help = crate::number::parse_written(n)
                    .ok()
                    .map(|v| bare_percent_help(v).1);
                self.wrong(
                    "得分率",
                    Text::new("a rate such as \"75%\"", "得分率，例如 \"75%\""),
                    &r.node,
                    r.span,
                    help,
                );
                None
            }
            other => {
                self.wrong(
                    "得分率",
                    Text::new("a rate such as \"75%\"", "得分率，例如 \"75%\""),
                    other,
                    r.span,
                    None,
                );
                None
            }
        });
        if let (Some(label), Some(span)) = (&band, band_span) {
            match bands.iter().find(|b| &b.label == label) {
                None => {
                    let labels: Vec<&str> = bands.iter().map(|b| b.label.as_str()).collect();
                    let near = closest(label, labels.iter().copied());
                    self.errors.push(DataError::NotAnOption {
                        name: format!("{name}.等级"),
                        value: label.clone(),
                        options: labels.join("、"),
                        suggestion: near.map(|n| n.to_string()),
                        span: span.into(),
                    });
                }
                Some(b) => {
                    if let (Some(r), Some(rv)) = (&rate, rate_value)
                        && !b.contains(rv)
                    {
                        self.errors.push(DataError::JudgementBand {
                            rate: format!(
                                "{}%",
                                crate::number::exact(
                                    rv.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(rv)
                                )
                            ),
                            band: label.clone(),
                            range: b.range.clone(),
                            span: r.span.into(),
                        });
                    }
                }
            }
        }
        if self.errors.len() > before {
            return None;
        }
        Some(Datum::Judgement {
            rate: rate_value?,
            band: band?,
            reason: reason?,
        })
    }
}

/// A bare number where a percentage belongs: `0.91` may be a spreadsheet's 91% or 0.91%. The
/// fraction read as a percentage (`91`), and the help giving both readings, the likelier first
/// (a fraction for values up to 1, percentage points above).
pub(super) fn bare_percent_help(value: Decimal) -> (String, Text) {
    let actual = crate::number::exact(value);
    let as_fraction = value
        .checked_mul(Decimal::ONE_HUNDRED)
        .map_or_else(|| value.to_string(), crate::number::exact);
    let fraction = format!(
        "\"{as_fraction}%\" if the spreadsheet showed {as_fraction}% (a spreadsheet stores {as_fraction}% as {actual})"
    );
    let points = format!("\"{actual}%\" if the value is {actual} percent");
    let fraction_zh = format!(
        "如果表格中显示的是 {as_fraction}%，写 \"{as_fraction}%\"（表格把 {as_fraction}% 存为 {actual}）"
    );
    let points_zh = format!("如果这个值就是百分之 {actual}，写 \"{actual}%\"");
    let help = if value.abs() <= Decimal::ONE {
        Text::new(
            format!("write {fraction}, or {points}"),
            format!("{fraction_zh}；{points_zh}"),
        )
    } else {
        Text::new(
            format!("write {points}, or {fraction}"),
            format!("{points_zh}；{fraction_zh}"),
        )
    };
    (as_fraction, help)
}

/// Text that is meant as a number (and is read as one, or rejected with the reason).
pub(super) fn looks_numeric(t: &str) -> bool {
    let t = t.trim();
    let t = t.strip_prefix(['-', '+', '－', '＋']).unwrap_or(t);
    // Full-width digits (３１５６．９) are meant as a number too, and get their own help.
    let full_width = |c: char| ('０'..='９').contains(&c) || c == '．';
    t.starts_with(|c: char| c.is_ascii_digit() || full_width(c))
        && t.chars()
            .all(|c| crate::number::is_number_char(c) || full_width(c))
}

/// "99.8%" → 0.998, exactly; `None` when it is not a percentage, the reason when it is one
/// written wrongly ("99,8%").
fn parse_percent(t: &str) -> Option<Result<Decimal, crate::number::WrittenNumberError>> {
    let number = t
        .trim()
        .strip_suffix('%')
        .or_else(|| t.trim().strip_suffix('％'))?;
    let value = crate::number::parse_written(number);
    // A percentage with 27 or 28 decimals cannot be divided by 100 exactly; say so.
    Some(value.and_then(|v| {
        v.checked_div(Decimal::ONE_HUNDRED)
            .filter(|p| p.checked_mul(Decimal::ONE_HUNDRED) == Some(v))
            .ok_or(crate::number::WrittenNumberError::TooLong {
                text: t.trim().to_string(),
            })
    }))
}
