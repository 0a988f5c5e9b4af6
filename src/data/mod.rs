//! Stage 3 of the pipeline: one department's data file (TOML or JSON) → [`Department`], checked
//! against the inputs the rules declare. Numbers are read from the text as written, exactly;
//! every problem points into the data file, and all of them are reported together.

mod error;
pub mod target;
mod tree;

pub use error::DataError;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::check::{RESERVED_DATA_KEYS, closest};
use crate::model::{IndicatorKind, InputType, Rulebook, Split};
use crate::source::{SourceFile, Span};
use target::{Quantity, Target};
use tree::{Entry, Node, Spanned};

/// One department's data, one value per declared input (indexed by `InputId`).
#[derive(Clone, Debug)]
pub struct Department {
    /// `部门`: the department's name, if the file gives it.
    pub name: Option<String>,
    /// `年度`: the year evaluated, if the file gives it.
    pub year: Option<String>,
    pub source: SourceFile,
    pub values: Vec<Datum>,
}

#[derive(Clone, Debug)]
pub enum Datum {
    Number(Decimal),
    Bool(bool),
    Text(String),
    Targets(Vec<TargetRecord>),
    Findings(Vec<Finding>),
    /// An `optional` input the data leaves out (an optional list left out is empty instead).
    Absent,
    /// An assessor's rating: the rate, the band it lies in, and the reason.
    Judgement {
        rate: Decimal,
        band: String,
        reason: String,
    },
}

/// A problem found (一例/一项), as a `deduct … per` rule counts it.
#[derive(Clone, Debug)]
pub struct Finding {
    /// 描述: what was found, quoted in the trace beside its deduction.
    pub description: String,
    pub span: Span,
}

/// One of the department's own 绩效指标.
#[derive(Clone, Debug)]
pub struct TargetRecord {
    pub name: String,
    pub target: Target,
    pub actual: Quantity,
    pub points: Option<Decimal>,
    /// 偏差原因: why a target was missed.
    pub reason: Option<String>,
    pub span: Span,
}

/// The fields of a target record, in the order the messages list them.
const TARGET_FIELDS: [&str; 5] = ["名称", "指标值", "实际完成值", "分值", "偏差原因"];

/// The two formats a department's data is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// The format a file's name says: `.toml` or `.json`, in any case.
    pub fn of_name(name: &str) -> Option<Format> {
        let name = name.to_ascii_lowercase();
        if name.ends_with(".toml") {
            Some(Format::Toml)
        } else if name.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        }
    }

    /// The format of text with no name (standard input): JSON when it starts with `{`, after
    /// any byte-order mark and white space; TOML otherwise. A data file is one table, so JSON
    /// data always starts with `{`, and TOML never does.
    pub fn sniff(text: &str) -> Format {
        match text
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .starts_with('{')
        {
            true => Format::Json,
            false => Format::Toml,
        }
    }
}

/// Reads and checks one department's data against the rules' inputs, in the format its name
/// says (`.toml` or `.json`).
pub fn load(rules: &Rulebook, source: &SourceFile) -> Result<Department, Vec<DataError>> {
    match Format::of_name(source.name()) {
        Some(format) => load_as(rules, source, format),
        None => Err(vec![DataError::UnknownFormat {
            path: source.name().to_string(),
        }]),
    }
}

/// [`load`], in the format given whatever the name says.
pub fn load_as(
    rules: &Rulebook,
    source: &SourceFile,
    format: Format,
) -> Result<Department, Vec<DataError>> {
    let root = match format {
        Format::Toml => tree::from_toml(source.text())?,
        Format::Json => tree::from_json(source.text())?,
    };
    let mut reader = Reader {
        rules,
        errors: Vec::new(),
    };
    let dept = reader.department(root, source);
    let mut errors = reader.errors;
    if errors.is_empty() {
        if let Some(dept) = dept {
            return Ok(dept);
        }
    }
    errors.sort_by_key(|e| {
        use miette::Diagnostic;
        e.labels()
            .and_then(|mut l| l.next())
            .map_or(0, |l| l.offset())
    });
    Err(errors)
}

struct Reader<'r> {
    rules: &'r Rulebook,
    errors: Vec<DataError>,
}

impl Reader<'_> {
    fn department(&mut self, root: Spanned, source: &SourceFile) -> Option<Department> {
        let Node::Table(entries) = root.node else {
            self.errors.push(DataError::WrongType {
                name: "the file".into(),
                expected: "a table of named values",
                found: root.node.describe(),
                span: root.span.into(),
                help: Some("a data file is one table: `全年预算数 = 3156.9` lines in TOML, or { … } in JSON".into()),
            });
            return None;
        };
        let ids: BTreeMap<&str, usize> = self
            .rules
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| (input.name.as_str(), i))
            .collect();
        let mut values: Vec<Option<Datum>> = vec![None; self.rules.inputs.len()];
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        let (mut name, mut year) = (None, None);
        for Entry {
            key,
            key_span,
            value,
        } in entries
        {
            if let Some(first) = seen.insert(key.clone(), key_span) {
                self.errors.push(DataError::Syntax {
                    message: format!("`{key}` is given twice (first at byte {})", first.start),
                    help: "keep one of the two values",
                    span: key_span.into(),
                });
                continue;
            }
            if key == RESERVED_DATA_KEYS[0] {
                name = self.text(&key, value);
                continue;
            }
            if key == RESERVED_DATA_KEYS[1] {
                year = match value.node {
                    Node::Number(n) | Node::Text(n) => Some(n),
                    other => {
                        self.wrong(&key, "a year such as 2023", &other, value.span, None);
                        None
                    }
                };
                continue;
            }
            let Some(&i) = ids.get(key.as_str()) else {
                let candidates = ids.keys().copied().chain(RESERVED_DATA_KEYS);
                let help = closest(&key, candidates)
                    .map(|c| crate::echo::did_you_mean(&key, c))
                    .or_else(|| Some(format!("the rules declare: {}", self.input_list())));
                self.errors.push(DataError::Unknown {
                    name: key,
                    span: key_span.into(),
                    help,
                });
                continue;
            };
            let ty = self.rules.inputs[i].ty;
            let span = value.span;
            values[i] = self.value(&key, ty, value);
            self.in_range(i, values[i].as_ref(), span);
        }
        let end = Span::new(0, 0);
        for (i, input) in self.rules.inputs.iter().enumerate() {
            if !seen.contains_key(&input.name) && input.optional {
                values[i] = Some(match input.ty {
                    InputType::TargetList => Datum::Targets(Vec::new()),
                    InputType::FindingList => Datum::Findings(Vec::new()),
                    _ => Datum::Absent,
                });
            } else if !seen.contains_key(&input.name) {
                self.errors.push(DataError::Missing {
                    name: input.name.clone(),
                    ty: input.ty.keyword(),
                    example: format!(
                        "the rules declare `input {}: {}`; add it, for example {}",
                        input.name,
                        input.ty.keyword(),
                        example(&input.name, input.ty)
                    ),
                    span: end.into(),
                });
                values[i] = None;
            }
        }
        self.targets_fit_rules(&values, &seen);
        let values: Option<Vec<Datum>> = values.into_iter().collect();
        Some(Department {
            name,
            year,
            source: source.clone(),
            values: values?,
        })
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

    fn wrong(
        &mut self,
        name: &str,
        expected: &'static str,
        found: &Node,
        span: Span,
        help: Option<String>,
    ) {
        self.errors.push(DataError::WrongType {
            name: name.to_string(),
            expected,
            found: found.describe(),
            span: span.into(),
            help,
        });
    }

    fn text(&mut self, name: &str, v: Spanned) -> Option<String> {
        match v.node {
            Node::Text(t) => Some(t),
            other => {
                self.wrong(name, "text in double quotes", &other, v.span, None);
                None
            }
        }
    }

    /// An exact decimal from a number as written, or from text such as "3,156.9".
    fn decimal(&mut self, name: &str, v: &Spanned, expected: &'static str) -> Option<Decimal> {
        let raw = match &v.node {
            Node::Number(n) => n.as_str(),
            Node::Text(t) if looks_numeric(t) => t.as_str(),
            other => {
                self.wrong(name, expected, other, v.span, None);
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

    fn value(&mut self, name: &str, ty: InputType, v: Spanned) -> Option<Datum> {
        match ty {
            InputType::Money | InputType::Number => {
                self.decimal(name, &v, "a number").map(Datum::Number)
            }
            InputType::Count => {
                let n = self.decimal(name, &v, "a whole number")?;
                if n.fract().is_zero() && n >= Decimal::ZERO {
                    Some(Datum::Number(n))
                } else {
                    self.wrong(name, "a whole number of 0 or more", &v.node, v.span, None);
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
                            "a percentage such as \"99.8%\"",
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
                            Err(_) => {
                                format!("write the percentage with its sign, in quotes: \"{n}%\"")
                            }
                        }),
                        _ => None,
                    };
                    self.wrong(name, "a percentage such as \"99.8%\"", other, v.span, help);
                    None
                }
            },
            InputType::YesNo => match &v.node {
                Node::Bool(b) => Some(Datum::Bool(*b)),
                Node::Text(t) if t == "是" => Some(Datum::Bool(true)),
                Node::Text(t) if t == "否" => Some(Datum::Bool(false)),
                other => {
                    self.wrong(name, "true/false (or \"是\"/\"否\")", other, v.span, None);
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
                        suggestion: near
                            .map(|n| format!("did you mean \"{n}\"? "))
                            .unwrap_or_default(),
                        span: span.into(),
                    });
                    None
                }
            }
            InputType::FindingList => match v.node {
                Node::Array(items) => {
                    let found: Vec<Option<Finding>> = items
                        .into_iter()
                        .map(|item| self.finding(name, item))
                        .collect();
                    found
                        .into_iter()
                        .collect::<Option<Vec<_>>>()
                        .map(Datum::Findings)
                }
                other => {
                    self.wrong(
                        name,
                        "a list of findings",
                        &other,
                        v.span,
                        Some(format!("in TOML write each finding as [[\"{name}\"]] with \"描述\" = \"…\"; no findings: \"{name}\" = []")),
                    );
                    None
                }
            },
            InputType::TargetList => match v.node {
                Node::Array(items) => {
                    let records: Vec<Option<TargetRecord>> = items
                        .into_iter()
                        .map(|item| self.target_record(name, item))
                        .collect();
                    records
                        .into_iter()
                        .collect::<Option<Vec<_>>>()
                        .map(Datum::Targets)
                }
                other => {
                    self.wrong(
                        name,
                        "a list of target records",
                        &other,
                        v.span,
                        Some(format!("in TOML write each record as [[{name}]] with 名称, 指标值 and 实际完成值")),
                    );
                    None
                }
            },
        }
    }

    /// `{ "等级" = "部分达成", "得分率" = "75%", "理由" = "…" }`: the band must be declared,
    /// the rate must lie in it, and the reason must be given.
    fn judgement(&mut self, name: &str, v: Spanned) -> Option<Datum> {
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
                "a judgement",
                &v.node,
                v.span,
                Some(format!(
                    "write [\"{name}\"] with \"等级\", \"得分率\" and \"理由\""
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
            match key.as_str() {
                "等级" => band = Some(value),
                "得分率" => rate = Some(value),
                "理由" => reason = Some(value),
                _ => {
                    let help = closest(&key, ["等级", "得分率", "理由"].into_iter())
                        .map(|c| crate::echo::did_you_mean(&key, c))
                        .or_else(|| Some("a judgement has 等级, 得分率 and 理由".into()));
                    self.errors.push(DataError::Unknown {
                        name: key,
                        span: key_span.into(),
                        help,
                    });
                }
            }
        }
        let require = |field: &str, value: Option<Spanned>, this: &mut Self| {
            if value.is_none() {
                this.errors.push(DataError::Missing {
                    name: field.to_string(),
                    ty: "text",
                    example: format!("add `\"{field}\" = \"…\"` to [\"{name}\"]: an assessor's judgement needs its band, rate and reason"),
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
                            ty: "text",
                            example: "write the reason for the rate the assessor gave".into(),
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
                    self.wrong("得分率", "a rate such as \"75%\"", &r.node, r.span, None);
                    None
                }
            },
            // 0.75 may be a spreadsheet's 75% or 0.75%: never guessed, as for percent inputs.
            Node::Number(n) => {
                let help = crate::number::parse_written(n)
                    .ok()
                    .map(|v| bare_percent_help(v).1);
                self.wrong("得分率", "a rate such as \"75%\"", &r.node, r.span, help);
                None
            }
            other => {
                self.wrong("得分率", "a rate such as \"75%\"", other, r.span, None);
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
                        suggestion: near
                            .map(|n| format!("did you mean \"{n}\"? "))
                            .unwrap_or_default(),
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

    fn finding(&mut self, list: &str, item: Spanned) -> Option<Finding> {
        let Node::Table(entries) = item.node else {
            self.wrong(list, "a finding with 描述", &item.node, item.span, None);
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
                    .map(|c| crate::echo::did_you_mean(&key, c))
                    .or_else(|| Some("a finding has one field, 描述".into()));
                self.errors.push(DataError::Unknown {
                    name: key,
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
                    ty: "text",
                    example: "add `\"描述\" = \"固定资产未及时入账\"` to this finding".into(),
                    span: item.span.into(),
                });
                None
            }
        }
    }

    fn target_record(&mut self, list: &str, item: Spanned) -> Option<TargetRecord> {
        let Node::Table(entries) = item.node else {
            self.wrong(
                list,
                "a list of target records",
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
                        .map(|c| crate::echo::did_you_mean(&key, c))
                        .or_else(|| {
                            Some(format!("a target record has: {}", TARGET_FIELDS.join(", ")))
                        });
                    self.errors.push(DataError::Unknown {
                        name: key,
                        span: key_span.into(),
                        help,
                    });
                }
            }
        }
        let [name, target, actual, points, reason] = fields;
        let required = |field: &str, v: Option<Spanned>, this: &mut Self| {
            if v.is_none() {
                this.errors.push(DataError::Missing {
                    name: field.to_string(),
                    ty: "text",
                    example: format!("add `\"{field}\" = \"…\"` to this record"),
                    span: item.span.into(),
                });
            }
            v
        };
        let name = required("名称", name, self).and_then(|v| self.text("名称", v));
        let target_node = required("指标值", target, self);
        let actual = required("实际完成值", actual, self);
        let target = target_node.as_ref().and_then(|v| match &v.node {
            Node::Text(t) => target::parse_target(t)
                .map_err(|help| {
                    self.errors.push(DataError::TargetNotation {
                        text: t.clone(),
                        what: "a target",
                        help,
                        span: v.span.into(),
                    })
                })
                .ok(),
            other => {
                let help =
                    Some("write the target as the table does, in quotes: \"≥4篇\"".to_string());
                self.wrong("指标值", "a target such as \"≥4篇\"", other, v.span, help);
                None
            }
        });
        let actual_q = actual.as_ref().and_then(|v| match &v.node {
            Node::Text(t) => target::parse_quantity(t)
                .map_err(|help| {
                    self.errors.push(DataError::TargetNotation {
                        text: t.clone(),
                        what: "an actual value",
                        help,
                        span: v.span.into(),
                    })
                })
                .ok(),
            Node::Number(_) => self
                .decimal("实际完成值", v, "a number")
                .map(|value| Quantity {
                    value,
                    percent: false,
                    unit: String::new(),
                    written: value.to_string(),
                }),
            other => {
                self.wrong("实际完成值", "a value such as \"4篇\"", other, v.span, None);
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
                } else if a.unit_label() != t.quantity.unit_label() {
                    if let (Some(av), Some(tv)) = (&actual, &target_node) {
                        let unit = |q: &Quantity| match q.unit_label() {
                            u if u.is_empty() => "no unit".to_string(),
                            u => format!("`{u}`"),
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
                let p = self.decimal("分值", &v, "a number");
                if p.is_some_and(|p| p <= Decimal::ZERO) {
                    self.wrong("分值", "a number above 0", &v.node, v.span, None);
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

    /// What only the rules know: a target list that is scored must not be empty, and with
    /// `split by 分值` every record needs 分值 and they must add up to the indicator's points.
    fn targets_fit_rules(&mut self, values: &[Option<Datum>], seen: &BTreeMap<String, Span>) {
        let conditional = self.rules.conditional();
        for (ind, conditional) in self.rules.indicators.iter().zip(conditional) {
            let IndicatorKind::Targets(rule) = &ind.kind else {
                continue;
            };
            let list_name = &self.rules.inputs[rule.list.0].name;
            let span = seen.get(list_name).copied().unwrap_or_default();
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
            let mut terms = Vec::new();
            for r in records {
                match r.points {
                    Some(p) => {
                        sum = sum.saturating_add(p);
                        terms.push(crate::number::exact(p));
                    }
                    None => self.errors.push(DataError::Missing {
                        name: "分值".into(),
                        ty: "number",
                        example: format!(
                            "add `\"分值\" = 4.5` to record `{}`: the rules split points by 分值",
                            r.name
                        ),
                        span: r.span.into(),
                    }),
                }
            }
            if terms.len() == records.len() && sum != ind.points {
                self.errors.push(DataError::TargetPoints {
                    list: list_name.clone(),
                    indicator: ind.name.clone(),
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
    }
}

/// A bare number where a percentage belongs: `0.91` may be a spreadsheet's 91% or 0.91%. The
/// fraction read as a percentage (`91`), and the help giving both readings, the likelier first
/// (a fraction for values up to 1, percentage points above).
fn bare_percent_help(value: Decimal) -> (String, String) {
    let actual = crate::number::exact(value);
    let as_fraction = value
        .checked_mul(Decimal::ONE_HUNDRED)
        .map_or_else(|| value.to_string(), crate::number::exact);
    let fraction = format!(
        "\"{as_fraction}%\" if the spreadsheet showed {as_fraction}% (a spreadsheet stores {as_fraction}% as {actual})"
    );
    let points = format!("\"{actual}%\" if the value is {actual} percent");
    let help = if value.abs() <= Decimal::ONE {
        format!("write {fraction}, or {points}")
    } else {
        format!("write {points}, or {fraction}")
    };
    (as_fraction, help)
}

/// Text that is meant as a number (and is read as one, or rejected with the reason).
fn looks_numeric(t: &str) -> bool {
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

fn example(name: &str, ty: InputType) -> String {
    match ty {
        InputType::Money => format!("`\"{name}\" = 3156.9`"),
        InputType::Number => format!("`\"{name}\" = 12.5`"),
        InputType::Percent => format!("`\"{name}\" = \"99.8%\"`"),
        InputType::Count => format!("`\"{name}\" = 4`"),
        InputType::YesNo => format!("`\"{name}\" = true`"),
        InputType::Text => format!("`\"{name}\" = \"…\"`"),
        InputType::TargetList => {
            format!("a `[[\"{name}\"]]` record with 名称, 指标值 and 实际完成值")
        }
        InputType::FindingList => format!("`\"{name}\" = []` when nothing was found"),
        InputType::Category => {
            format!("`\"{name}\" = \"…\"` with one of the values the rules list")
        }
        InputType::Judgement => format!("[\"{name}\"] with \"等级\", \"得分率\" and \"理由\""),
    }
}
