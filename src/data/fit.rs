//! Stage 3 (data file → [`Department`], against the checked rulebook's inputs): the department
//! as a whole against the rules. Every top-level key must be an input the rules declare (or
//! 部门/年度), given once; every input the rules need must be there; a value must lie in its
//! declared range; and target lists must fit the indicators that score them. Each value itself
//! is read by [`super::values`].

use crate::diagnostics::Text;
use crate::echo::did_you_mean_both as did_you_mean;
use std::borrow::Cow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::error::{DataError, SyntaxReason};
use super::tree::{Entry, Node, Spanned};
use super::{Datum, Department, Reader};
use crate::check::{RESERVED_DATA_KEYS, closest};
use crate::model::{IndicatorKind, InputType, Split};
use crate::source::{SourceFile, Span};

/// A department as its top-level keys are read: what each input was given, and which keys
/// were seen where.
pub(super) struct Fit<'r, 't> {
    ids: Ids<'r>,
    values: Vec<Option<Datum>>,
    seen: Seen<'t>,
    name: Option<String>,
    year: Option<String>,
    reported: super::Reported,
    details: Vec<(String, String)>,
}

impl<'r> Fit<'r, '_> {
    pub(super) fn new(rules: &'r crate::model::Rulebook) -> Self {
        Fit {
            ids: Ids::new(&rules.inputs),
            values: vec![None; rules.inputs.len()],
            seen: Seen::Few(Vec::new()),
            name: None,
            year: None,
            reported: super::Reported::default(),
            details: Vec::new(),
        }
    }

    /// The input named `name`, if the rules declare one.
    pub(super) fn input(&self, name: &str) -> Option<usize> {
        self.ids.find(name)
    }

    /// Where the value of input `i` goes.
    pub(super) fn value_mut(&mut self, i: usize) -> &mut Option<Datum> {
        &mut self.values[i]
    }
}

/// The top-level keys of a department seen so far, each with where it was given last. A
/// department has a handful, searched in a list (a batch reads a million departments, and a map
/// allocates for each); a file of many keys has them in a map.
pub(super) enum Seen<'t> {
    Few(Vec<(Cow<'t, str>, Span)>),
    Many(BTreeMap<Cow<'t, str>, Span>),
}

impl<'t> Seen<'t> {
    const FEW: usize = 16;

    /// `key` seen at `span`: where it was seen before, if it was (and now it is at `span`).
    fn insert(&mut self, key: Cow<'t, str>, span: Span) -> Option<Span> {
        match self {
            Seen::Few(list) => {
                if let Some((_, at)) = list.iter_mut().find(|(k, _)| *k == key) {
                    return Some(std::mem::replace(at, span));
                }
                if list.len() < Self::FEW {
                    list.push((key, span));
                } else {
                    let mut map: BTreeMap<_, _> = list.drain(..).collect();
                    map.insert(key, span);
                    *self = Seen::Many(map);
                }
                None
            }
            Seen::Many(map) => map.insert(key, span),
        }
    }

    /// Where `key` was given, if it was.
    fn get(&self, key: &str) -> Option<Span> {
        match self {
            Seen::Few(list) => list.iter().find(|(k, _)| k == key).map(|(_, at)| *at),
            Seen::Many(map) => map.get(key).copied(),
        }
    }
}

/// What a department's top-level key names.
#[derive(Clone, Copy)]
pub(super) enum Key {
    /// The rules' input of this index.
    Input(usize),
    /// 部门, the department's name.
    Name,
    /// 年度, the year evaluated.
    Year,
    /// 总分, the self-reported total.
    Total,
    /// 自评得分, the self-reported scores of the rules' indicators.
    Scores,
    /// 表头, the form's other header cells.
    Header,
    /// A key given twice, or one the rules do not declare: said already, its value unread.
    Said,
}

/// What each of [`RESERVED_DATA_KEYS`] names, in its order.
const RESERVED: [Key; RESERVED_DATA_KEYS.len()] =
    [Key::Name, Key::Year, Key::Total, Key::Scores, Key::Header];

/// The rules' inputs by name. A department is read against a few inputs, and a batch reads a
/// million departments: a few are found by going through them (sooner than a map is built for
/// each department), many by a map.
enum Ids<'t> {
    Few(&'t [crate::model::Input]),
    Many(BTreeMap<&'t str, usize>),
}

impl<'t> Ids<'t> {
    const FEW: usize = 32;

    fn new(inputs: &'t [crate::model::Input]) -> Self {
        match inputs.len() <= Self::FEW {
            true => Ids::Few(inputs),
            false => Ids::Many(
                inputs
                    .iter()
                    .enumerate()
                    .map(|(i, input)| (input.name.as_str(), i))
                    .collect(),
            ),
        }
    }

    fn find(&self, name: &str) -> Option<usize> {
        match self {
            Ids::Few(inputs) => inputs.iter().position(|input| input.name == name),
            Ids::Many(map) => map.get(name).copied(),
        }
    }
}

impl Reader<'_> {
    pub(super) fn department(&mut self, root: Spanned, source: &SourceFile) -> Option<Department> {
        let Node::Table(entries) = root.node else {
            self.errors.push(DataError::NotATable {
                expected: Text::new("a table of named values", "由名称和值组成的表"),
                found: root.node.words(),
                span: root.span.into(),
                help: Some(Text::new(
                    "a data file is one table: `全年预算数 = 3156.9` lines in TOML, or { … } in JSON",
                    "数据文件是一张表：TOML 中写成一行行 `全年预算数 = 3156.9`，JSON 中写成 { … }",
                )),
            });
            return None;
        };
        let mut fit = Fit::new(self.rules);
        for Entry {
            key,
            key_span,
            value,
        } in entries
        {
            self.entry(&mut fit, key, key_span, value);
        }
        self.fitted(fit, source)
    }

    /// The department's key `key` given `value`: 部门, 年度, the reported scores and the form's
    /// header, or an input the rules declare, read by its type. Whatever is wrong is said.
    pub(super) fn entry<'t>(
        &mut self,
        fit: &mut Fit<'_, 't>,
        key: Cow<'t, str>,
        key_span: Span,
        value: Spanned<'t>,
    ) {
        match self.key(fit, key.clone(), key_span) {
            Key::Input(i) => {
                let ty = self.rules.inputs[i].ty;
                let span = value.span;
                fit.values[i] = self.value(&key, ty, value);
                self.in_range(i, fit.values[i].as_ref(), span);
            }
            Key::Name => fit.name = self.text(&key, value),
            Key::Year => {
                fit.year = match value.node {
                    Node::Number(n) | Node::Text(n) => Some(n.into_owned()),
                    other => {
                        self.wrong(
                            &key,
                            Text::new("a year such as 2023", "年度，例如 2023"),
                            &other,
                            value.span,
                            None,
                        );
                        None
                    }
                }
            }
            Key::Total => fit.reported.total = self.score(&key, &value),
            Key::Scores => fit.reported.indicators = self.reported_scores(&key, value),
            Key::Header => fit.details = self.details(&key, value),
            Key::Said => {}
        }
    }

    /// What a top-level key names, the key now seen.
    pub(super) fn key<'t>(
        &mut self,
        fit: &mut Fit<'_, 't>,
        key: Cow<'t, str>,
        key_span: Span,
    ) -> Key {
        // The map keeps the key as the text has it (borrowed, but for a key written with an
        // escape); a borrowed one is copied for free.
        let seen = key.clone();
        let key = key.as_ref();
        if let Some(first) = fit.seen.insert(seen, key_span) {
            self.errors.push(DataError::Syntax {
                reason: SyntaxReason::DuplicateKey {
                    key: key.to_string(),
                    first: first.start(),
                },
                span: key_span.into(),
            });
            return Key::Said;
        }
        if let Some(r) = RESERVED_DATA_KEYS.iter().position(|r| *r == key) {
            return RESERVED[r];
        }
        let Some(i) = fit.ids.find(key) else {
            let candidates = self
                .rules
                .inputs
                .iter()
                .map(|input| input.name.as_str())
                .chain(RESERVED_DATA_KEYS);
            let help = closest(key, candidates)
                .map(|c| did_you_mean(key, c))
                .or_else(|| {
                    let list = self.input_list();
                    Some(Text::new(
                        format!("remove it, or correct it to an input the rules declare: {list}"),
                        format!("删去它，或改为规则声明的输入：{list}"),
                    ))
                });
            self.errors.push(DataError::Unknown {
                name: key.to_string(),
                span: key_span.into(),
                help,
            });
            return Key::Said;
        };
        Key::Input(i)
    }

    /// The department once every key is read: the inputs left out (optional ones empty or
    /// absent, required ones an error), and the target lists held to the rules.
    pub(super) fn fitted(&mut self, fit: Fit<'_, '_>, source: &SourceFile) -> Option<Department> {
        let Fit {
            ids: _,
            mut values,
            seen,
            name,
            year,
            reported,
            details,
        } = fit;
        let end = Span::new(0, 0);
        for (i, input) in self.rules.inputs.iter().enumerate() {
            if seen.get(&input.name).is_none() && input.optional {
                values[i] = Some(match input.ty {
                    InputType::TargetList => Datum::Targets(Vec::new()),
                    InputType::FindingList => Datum::Findings(Vec::new()),
                    _ => Datum::Absent,
                });
            } else if seen.get(&input.name).is_none() {
                let example = match self.form {
                    // A form has its cells by their names (docs/forms.md): say which to fill.
                    true => Text::new(
                        format!(
                            "the rules read `{}` from the form, and this form has none: fill it in (docs/forms.md says where each value of a form is read)",
                            input.name
                        ),
                        format!(
                            "规则从表中读取 `{}`，而这张表中没有：请在表中填写（各项在表中的位置见 docs/forms.md）",
                            input.name
                        ),
                    ),
                    false => Text::new(
                        format!(
                            "the rules declare `input {}: {}`; add it, for example {}",
                            input.name,
                            input.ty.keyword(),
                            example(&input.name, input.ty).en
                        ),
                        format!(
                            "规则声明了 `input {}: {}`；请在数据中加上它，例如 {}",
                            input.name,
                            input.ty.keyword(),
                            example(&input.name, input.ty).zh
                        ),
                    ),
                };
                self.errors.push(DataError::Missing {
                    name: input.name.clone(),
                    example,
                    span: end.into(),
                });
                values[i] = None;
            }
        }
        let warnings = self.targets_fit_rules(&values, &seen);
        let values: Option<Vec<Datum>> = values.into_iter().collect();
        Some(Department {
            name,
            year,
            source: source.clone(),
            values: values?,
            reported,
            details,
            warnings,
        })
    }

    /// A self-reported score: a number not below 0.
    fn score(&mut self, key: &str, value: &Spanned) -> Option<Decimal> {
        let score = self.decimal(key, value, Text::new("a score", "得分"))?;
        if score < Decimal::ZERO {
            self.wrong(
                key,
                Text::new("a score not below 0", "不小于 0 的得分"),
                &value.node,
                value.span,
                None,
            );
            return None;
        }
        Some(score)
    }

    /// `[自评得分]`: the department's own score of each of the rules' indicators, by name.
    fn reported_scores(&mut self, key: &str, value: Spanned) -> Vec<(String, Decimal)> {
        let Node::Table(entries) = value.node else {
            self.wrong(
                key,
                Text::new(
                    "a table of indicator names and scores",
                    "由指标名称和得分组成的表",
                ),
                &value.node,
                value.span,
                None,
            );
            return Vec::new();
        };
        let mut scores = Vec::new();
        for Entry {
            key,
            key_span,
            value,
        } in entries
        {
            let Some(ind) = self.rules.indicators.iter().find(|i| i.name == key) else {
                let names = self.rules.indicators.iter().map(|i| i.name.as_str());
                let help = closest(&key, names).map(|c| did_you_mean(&key, c));
                self.errors.push(DataError::Unknown {
                    name: key.into_owned(),
                    span: key_span.into(),
                    help: help.or_else(|| {
                        Some(Text::new(
                            "自评得分 names indicators of the rules",
                            "自评得分 中的名称应为规则中的指标",
                        ))
                    }),
                });
                continue;
            };
            let Some(score) = self.score(&key, &value) else {
                continue;
            };
            if score > ind.points {
                let most = crate::number::exact(ind.points);
                self.wrong(
                    &key,
                    Text::new(
                        format!("a score from 0 to its {most} points"),
                        format!("0 到该指标分值 {most} 之间的得分"),
                    ),
                    &value.node,
                    value.span,
                    Some(Text::new(
                        "correct the reported score: an indicator scores at most its points",
                        "改正自评得分：指标得分不超过其分值",
                    )),
                );
                continue;
            }
            scores.push((key.into_owned(), score));
        }
        scores
    }

    /// `[表头]`: the form's other cells, kept as written.
    fn details(&mut self, key: &str, value: Spanned) -> Vec<(String, String)> {
        let Node::Table(entries) = value.node else {
            self.wrong(
                key,
                Text::new("a table of the form's header cells", "由表头各项组成的表"),
                &value.node,
                value.span,
                None,
            );
            return Vec::new();
        };
        let mut details = Vec::new();
        for entry in entries {
            // Not scored, but printed on the form as written: a number there must read exactly
            // (a stray comma is an error here as anywhere).
            let as_percent = |t: &str| {
                t.trim_end()
                    .strip_suffix(['%', '％'])
                    .is_some_and(super::values::looks_numeric)
            };
            let ty = match &entry.value.node {
                Node::Number(_) => Some(crate::model::InputType::Number),
                Node::Text(t) if super::values::looks_numeric(t) => {
                    Some(crate::model::InputType::Number)
                }
                Node::Text(t) if as_percent(t) => Some(crate::model::InputType::Percent),
                Node::Text(_)
                | Node::Bool(_)
                | Node::Table(_)
                | Node::Array(_)
                | Node::Other(_) => None,
            };
            if let Some(ty) = ty {
                let copy = Spanned {
                    node: match &entry.value.node {
                        Node::Number(n) => Node::Number(n.clone()),
                        Node::Text(t) => Node::Text(t.clone()),
                        _ => Node::Other("value"),
                    },
                    span: entry.value.span,
                };
                if self.value(&entry.key, ty, copy).is_none() {
                    continue;
                }
            }
            match entry.value.node {
                Node::Text(t) | Node::Number(t) => {
                    details.push((entry.key.into_owned(), t.into_owned()))
                }
                Node::Bool(b) => {
                    details.push((entry.key.into_owned(), if b { "是" } else { "否" }.into()))
                }
                other => self.wrong(
                    &entry.key,
                    Text::new("a value written in a cell", "单元格中的值"),
                    &other,
                    entry.value.span,
                    None,
                ),
            }
        }
        details
    }

    /// `input 全年预算数: money > 0`: a value outside the declared range is an error before
    /// any scoring (a negative budget would otherwise be scored as if normal).
    fn in_range(&mut self, input: usize, value: Option<&Datum>, span: Span) {
        let decl = &self.rules.inputs[input];
        let (Some(range), Some(Datum::Number(n))) = (&decl.range, value) else {
            return;
        };
        if range.contains(*n) {
            return;
        }
        let shown = match decl.ty {
            InputType::Percent => n.checked_mul(Decimal::ONE_HUNDRED).map_or_else(
                || n.to_string(),
                |p| format!("{}%", crate::number::exact(p)),
            ),
            _ => crate::number::exact(*n),
        };
        self.errors.push(DataError::OutOfRange {
            name: decl.name.clone(),
            value: shown,
            range: range.text.clone(),
            span: span.into(),
        });
    }

    fn input_list(&self) -> String {
        let names: Vec<&str> = self.rules.inputs.iter().map(|i| i.name.as_str()).collect();
        names.join(", ")
    }

    /// What only the rules know: a target list that is scored must not be empty, and with
    /// `split by 分值` every record needs 分值 and they must add up to the indicator's points
    /// (and, with `levels`, those under each 一级指标 to its weight). The warnings found.
    fn targets_fit_rules(&mut self, values: &[Option<Datum>], seen: &Seen) -> Vec<DataError> {
        let mut warnings = Vec::new();
        let conditional = self.rules.conditional();
        for (ind, conditional) in self.rules.indicators.iter().zip(conditional) {
            let IndicatorKind::Targets(rule) = &ind.kind else {
                continue;
            };
            let list_name = &self.rules.inputs[rule.list.0].name;
            let span = seen.get(list_name).unwrap_or_default();
            let Some(Datum::Targets(records)) = &values[rule.list.0] else {
                continue;
            };
            // An indicator that may not apply may have no targets; scoring it then is an
            // evaluation error (`eval::no_targets`).
            if records.is_empty() && conditional {
                continue;
            }
            if records.is_empty() {
                self.errors.push(DataError::NoTargets {
                    name: list_name.clone(),
                    span: span.into(),
                });
                continue;
            }
            if rule.split != Split::ByPoints {
                continue;
            }
            let mut sum = Decimal::ZERO;
            let mut given = 0;
            for r in records {
                match r.points {
                    Some(p) => {
                        sum = sum.saturating_add(p);
                        given += 1;
                    }
                    None => self.errors.push(DataError::Missing {
                        name: "分值".into(),
                        example: Text::new(
                            format!(
                                "add `\"分值\" = 4.5` to record `{}`: the rules split points by 分值",
                                r.name
                            ),
                            format!(
                                "在记录 `{}` 中加上 `\"分值\" = 4.5`：规则按 分值 分配分值",
                                r.name
                            ),
                        ),
                        span: r.span.into(),
                    }),
                }
            }
            if let (Some(levels), true) = (&rule.levels, given == records.len()) {
                warnings.extend(self.levels_fit(levels, records, span));
            }
            if given == records.len() && sum != ind.points {
                // Written out only for the message: the sum is checked for every department.
                let terms: Vec<String> = records
                    .iter()
                    .filter_map(|r| r.points.map(crate::number::exact))
                    .collect();
                self.errors.push(DataError::TargetPoints {
                    list: list_name.clone(),
                    indicator: ind.name.to_string(),
                    sum: crate::number::exact(sum),
                    points: crate::number::exact(ind.points),
                    arithmetic: format!(
                        "{} = {} ≠ {}",
                        terms.join(" + "),
                        crate::number::exact(sum),
                        crate::number::exact(ind.points)
                    ),
                    span: span.into(),
                });
            }
        }
        warnings
    }

    /// `levels 产出指标 50, …`: the records under each 一级指标 named carry its weight. An error,
    /// or under `warn` a warning returned.
    fn levels_fit(
        &mut self,
        levels: &crate::model::Levels,
        records: &[super::TargetRecord],
        span: Span,
    ) -> Vec<DataError> {
        let mut warnings = Vec::new();
        for (level, weight) in &levels.weights {
            let records: Vec<&super::TargetRecord> = records
                .iter()
                .filter(|r| r.levels()[0].as_deref() == Some(level.as_str()))
                .collect();
            let under: Vec<Decimal> = records.iter().filter_map(|r| r.points).collect();
            // Placed at the level's first record, or the list where it has none.
            let span = records.first().map_or(span, |r| r.span);
            let sum = under
                .iter()
                .fold(Decimal::ZERO, |a, p| a.saturating_add(*p));
            if sum == *weight {
                continue;
            }
            let terms: Vec<String> = under.iter().map(|p| crate::number::exact(*p)).collect();
            let arithmetic = match terms.len() {
                0 | 1 => format!(
                    "{} ≠ {}",
                    crate::number::exact(sum),
                    crate::number::exact(*weight)
                ),
                _ => format!(
                    "{} = {} ≠ {}",
                    terms.join(" + "),
                    crate::number::exact(sum),
                    crate::number::exact(*weight)
                ),
            };
            let (level, sum, weight) = (
                level.clone(),
                crate::number::exact(sum),
                crate::number::exact(*weight),
            );
            match levels.warn {
                true => warnings.push(DataError::LevelsWarning {
                    level,
                    sum,
                    weight,
                    arithmetic,
                    span: span.into(),
                }),
                false => self.errors.push(DataError::Levels {
                    level,
                    sum,
                    weight,
                    arithmetic,
                    span: span.into(),
                }),
            }
        }
        warnings
    }
}

fn example(name: &str, ty: InputType) -> Text {
    let same = |t: String| Text::new(t.clone(), t);
    match ty {
        InputType::Money => same(format!("`\"{name}\" = 3156.9`")),
        InputType::Number => same(format!("`\"{name}\" = 12.5`")),
        InputType::Percent => same(format!("`\"{name}\" = \"99.8%\"`")),
        InputType::Count => same(format!("`\"{name}\" = 4`")),
        InputType::YesNo => same(format!("`\"{name}\" = true`")),
        InputType::Text => same(format!("`\"{name}\" = \"…\"`")),
        InputType::TargetList => Text::new(
            format!("a `[[\"{name}\"]]` record with 名称, 指标值 and 实际完成值"),
            format!("一条带 名称、指标值 和 实际完成值 的 `[[\"{name}\"]]` 记录"),
        ),
        InputType::FindingList => Text::new(
            format!("`\"{name}\" = []` when nothing was found"),
            format!("没有发现问题时写 `\"{name}\" = []`"),
        ),
        InputType::Category => Text::new(
            format!("`\"{name}\" = \"…\"` with one of the values the rules list"),
            format!("`\"{name}\" = \"…\"`，取规则列出的值之一"),
        ),
        InputType::Judgement => Text::new(
            format!("[\"{name}\"] with \"等级\", \"得分率\" and \"理由\""),
            format!("带 \"等级\"、\"得分率\" 和 \"理由\" 的 [\"{name}\"]"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list and the map say the same of any keys, a few or many, given once or again.
    #[test]
    fn keys_seen_are_found_in_the_list_as_in_a_map() {
        for n in [0, 3, Seen::FEW - 1, Seen::FEW, Seen::FEW + 1, 3 * Seen::FEW] {
            let mut seen = Seen::Few(Vec::new());
            let mut map = BTreeMap::new();
            for i in 0..2 * n {
                // Every key given twice, the second time further on.
                let key: Cow<str> = Cow::Owned(format!("键{}", i % n.max(1)));
                let span = Span::new(i, i + 1);
                assert_eq!(
                    seen.insert(key.clone(), span),
                    map.insert(key, span),
                    "{n} {i}"
                );
            }
            for i in 0..n + 2 {
                let key = format!("键{i}");
                assert_eq!(seen.get(&key), map.get(key.as_str()).copied(), "{n} {i}");
            }
            assert_eq!(matches!(seen, Seen::Many(_)), n > Seen::FEW, "{n}");
        }
    }
}
