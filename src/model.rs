//! The checked rule set: what `check` produces and `eval` runs. Names are resolved to slots
//! (`InputId`, `LetId`, `IndicatorId`), so evaluating one more department does no parsing and
//! no string look-up; names are kept only to print the trace. Spans are kept where an
//! evaluation error must point (expressions) and to print `file:line`.

use std::sync::Arc;

use compact_str::CompactString;
use rust_decimal::Decimal;

use crate::source::{SourceMap, Span};
pub use crate::syntax::ast::{
    BandOp, BinaryOp, Counting, Measure, Policy, RoundMode, RoundPlace, TierBound, UnaryOp,
};

#[derive(Clone, Debug)]
pub struct Rulebook {
    pub title: String,
    /// The rule file and the files it imports; every span points into one of them.
    pub source: SourceMap,
    pub total: Decimal,
    pub rounding: Rounding,
    /// From the highest band down; the last band has no bound.
    pub rating: Vec<Band>,
    pub inputs: Vec<Input>,
    /// Every `let` in the file, top level and inside indicators, in the order they are
    /// evaluated: a `let` only reads inputs and lets before it.
    pub lets: Vec<Let>,
    pub indicators: Vec<Indicator>,
    /// The top-level indicators, in file order.
    pub roots: Vec<IndicatorId>,
}

/// How scores are rounded (`place`: each indicator or only the total), and whether
/// intermediate values are rounded too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rounding {
    pub mode: RoundMode,
    pub digits: u32,
    /// `EachIndicator` or `Total`; `EachValue` lives in `values`.
    pub place: RoundPlace,
    /// `round … each value`: every `let` is rounded as it is computed.
    pub values: Option<ValueRounding>,
}

/// The rounding of intermediate values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ValueRounding {
    pub mode: RoundMode,
    pub digits: u32,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            mode: RoundMode::HalfUp,
            digits: 2,
            place: RoundPlace::EachIndicator,
            values: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    pub label: String,
    pub bound: Option<(BandOp, Decimal)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InputId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LetId(pub usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndicatorId(pub usize);

#[derive(Clone, Debug)]
pub struct Input {
    pub name: String,
    pub ty: InputType,
    /// The values a `one of` input may take, in the order written; empty for other types.
    pub options: Vec<String>,
    /// The bands of a `judgement` input, or the grades of a `list of target graded 定性`'s
    /// qualitative records; empty otherwise.
    pub bands: Vec<JudgementBand>,
    /// `graded 定性`: the name of the scale a target list's qualitative records are graded on.
    pub scale: Option<String>,
    /// `optional`: the data may leave it out.
    pub optional: bool,
    /// `> 0`, `0%..100%`: the values the data may give.
    pub range: Option<Range>,
    pub span: Span,
}

/// The values a numeric input may take, as declared.
#[derive(Clone, Debug)]
pub struct Range {
    pub lower: Option<TierBound>,
    pub upper: Option<TierBound>,
    /// As written: `0%..100%`.
    pub text: String,
}

impl Range {
    pub fn contains(&self, v: Decimal) -> bool {
        within(self.lower, self.upper, v)
    }
}

/// What a number measures, as far as the rules tell (see `check::units`): bounds and steps
/// written against a value must be in its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A `percent` input, a judgement's rate or a `%` literal: a fraction (95% is 0.95).
    Percent,
    /// A quotient of like quantities (全年执行数 ÷ 全年预算数): a fraction, written against
    /// with `%` or without (but not `95` for 95%).
    Ratio,
    /// A `money` input, or arithmetic keeping it money.
    Money,
    /// A `count` input, `count(…)`.
    Count,
    /// An indicator's points.
    Score,
    /// A plain number written in the rules.
    Plain,
    /// Not known: a `number` input, or arithmetic that may have changed the scale.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputType {
    Money,
    Number,
    Percent,
    Count,
    YesNo,
    Text,
    TargetList,
    FindingList,
    /// `one of "…", "…"`: text limited to the input's options.
    Category,
    /// An assessor's rating: a band, a rate inside it and a reason; its value is the rate.
    Judgement,
}

/// A named band of rates an assessor may give: `"部分达成" => 60%(含)-80%`.
#[derive(Clone, Debug)]
pub struct JudgementBand {
    pub label: String,
    pub lower: Option<TierBound>,
    pub upper: Option<TierBound>,
    /// The range as written.
    pub range: String,
    /// `default 70%`: the rate of a graded record whose own score is not in the band.
    pub default: Option<Decimal>,
    /// `words "基本完成", "基本达成"`: the 实际完成值 that say this band.
    pub words: Vec<String>,
}

impl JudgementBand {
    pub fn contains(&self, v: Decimal) -> bool {
        within(self.lower, self.upper, v)
    }
}

/// Whether `v` lies between two bounds, each inclusive or not, either one absent (unbounded):
/// the test of tiers and of judgement bands alike.
fn within(lower: Option<TierBound>, upper: Option<TierBound>, v: Decimal) -> bool {
    let above = lower.is_none_or(|b| v > b.value || (b.inclusive && v == b.value));
    let below = upper.is_none_or(|b| v < b.value || (b.inclusive && v == b.value));
    above && below
}

impl InputType {
    /// What a number read for an input of this type measures.
    pub fn unit(self) -> Unit {
        match self {
            InputType::Money => Unit::Money,
            InputType::Count => Unit::Count,
            // An assessor's judgement is read as its rate: 75%.
            InputType::Percent | InputType::Judgement => Unit::Percent,
            InputType::Number
            | InputType::YesNo
            | InputType::Text
            | InputType::TargetList
            | InputType::FindingList
            | InputType::Category => Unit::Unknown,
        }
    }

    /// The type an expression sees when it reads the input.
    pub fn value_type(self) -> Type {
        match self {
            InputType::Money
            | InputType::Number
            | InputType::Percent
            | InputType::Count
            | InputType::Judgement => Type::Number,
            InputType::YesNo => Type::Bool,
            InputType::Text | InputType::Category => Type::Text,
            InputType::TargetList => Type::TargetList,
            InputType::FindingList => Type::FindingList,
        }
    }

    /// How rule files spell the type.
    pub fn keyword(self) -> &'static str {
        match self {
            InputType::Money => "money",
            InputType::Number => "number",
            InputType::Percent => "percent",
            InputType::Count => "count",
            InputType::YesNo => "yesno",
            InputType::Text => "text",
            InputType::TargetList => "list of target",
            InputType::FindingList => "list of finding",
            InputType::Category => "one of …",
            InputType::Judgement => "judgement { … }",
        }
    }
}

/// The type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Number,
    Bool,
    Text,
    TargetList,
    FindingList,
}

impl Type {
    pub fn describe(self) -> &'static str {
        match self {
            Type::Number => "a number",
            Type::Bool => "yes/no",
            Type::Text => "text",
            Type::TargetList => "a list of targets",
            Type::FindingList => "a list of findings",
        }
    }

    /// [`Type::describe`] in Chinese.
    pub fn describe_zh(self) -> &'static str {
        match self {
            Type::Number => "数字",
            Type::Bool => "是/否",
            Type::Text => "文字",
            Type::TargetList => "绩效指标列表",
            Type::FindingList => "问题清单",
        }
    }

    /// The kind of value in both languages, for a diagnostic.
    pub fn words(self) -> crate::diagnostics::Text {
        crate::diagnostics::Text::new(self.describe(), self.describe_zh())
    }
}

#[derive(Clone, Debug)]
pub struct Let {
    pub name: CompactString,
    pub expr: Expr,
    /// The indicator whose block holds the `let` (for `points`), or none at the top level.
    pub owner: Option<IndicatorId>,
    /// What its value measures, as far as the rules tell: the trace shows a rate in percent.
    pub unit: Unit,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Indicator {
    /// Held inline when it is short, as most names are (a table of 100,000 indicators would
    /// allocate 100,000 of them).
    pub name: CompactString,
    pub points: Decimal,
    /// Shared with the rule file's text, not copied (about a tenth of a large table's model).
    pub basis: Option<Excerpt>,
    /// `not applicable if …`: when the indicator is not scored, and what becomes of its points.
    /// Boxed, as are the rules of [`IndicatorKind`]: most indicators have none, and a table of
    /// 100,000 indicators would hold room for it in each (see `benches/check.rs`).
    pub not_applicable: Option<Box<NotApplicable>>,
    pub kind: IndicatorKind,
    /// The `let`s written in this indicator's own block.
    pub lets: Box<[LetId]>,
    pub span: Span,
}

/// A piece of a rule file's text, held by the model without a copy: `basis "…"` and other
/// strings written in the rules are most of a large table's text. A string whose value is not
/// the text written (it has an escape, or its file is too large for the offsets) holds a text
/// of its own. Reads as a `&str`.
#[derive(Clone)]
pub struct Excerpt {
    text: Arc<str>,
    start: u32,
    end: u32,
}

impl Excerpt {
    /// `value`, shared with `text` when `text[range]` is `value`.
    pub fn of(text: &Arc<str>, range: std::ops::Range<usize>, value: &str) -> Excerpt {
        let shared = text.get(range.clone()) == Some(value);
        match (shared, u32::try_from(range.start), u32::try_from(range.end)) {
            (true, Ok(start), Ok(end)) if start != WHOLE => Excerpt {
                text: Arc::clone(text),
                start,
                end,
            },
            _ => Excerpt::new(value),
        }
    }

    /// A text of its own.
    pub fn new(value: &str) -> Excerpt {
        Excerpt {
            text: Arc::from(value),
            start: WHOLE,
            end: WHOLE,
        }
    }

    pub fn as_str(&self) -> &str {
        match self.start {
            WHOLE => &self.text,
            // The range was checked against the text when it was made.
            _ => self
                .text
                .get(self.start as usize..self.end as usize)
                .unwrap_or_default(),
        }
    }
}

/// The `start` and `end` of an [`Excerpt`] that is the whole of its text (of any length).
const WHOLE: u32 = u32::MAX;

impl std::ops::Deref for Excerpt {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Excerpt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for Excerpt {
    fn eq(&self, other: &Excerpt) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Excerpt {}

/// When an indicator does not apply, and what becomes of its points.
#[derive(Clone, Debug)]
pub struct NotApplicable {
    pub condition: Expr,
    /// `None` among alternatives, where the next alternative is scored instead.
    pub policy: Option<Policy>,
    /// `redistribute to …`: the siblings that receive the points; every sibling when empty.
    pub to: Vec<IndicatorId>,
    pub reads: Vec<InputId>,
    pub lets: Vec<LetId>,
    pub span: Span,
}

/// How an indicator is scored. The rules are boxed, each in a block of its own size: held
/// inline, every indicator (a group too) would take the room of the largest.
#[derive(Clone, Debug)]
pub enum IndicatorKind {
    Group(Box<[IndicatorId]>),
    /// `one of`: the first child that applies is scored, at the group's points.
    Alternatives(Box<[IndicatorId]>),
    Formula(Box<Formula>),
    Targets(Box<TargetsRule>),
    Tiers(Box<Tiers>),
    Deductions(Box<Deductions>),
    Checklist(Box<Checklist>),
    Category(Box<Category>),
}

/// Points by the value a text takes.
#[derive(Clone, Debug)]
pub struct Category {
    pub value: Expr,
    pub arms: Vec<CategoryArm>,
    pub reads: Box<[InputId]>,
    pub lets: Box<[LetId]>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct CategoryArm {
    /// The value matched, or `None` for `else`.
    pub value: Option<Excerpt>,
    pub points: Expr,
    pub span: Span,
}

/// Yes/no items each worth points; a veto that holds zeroes the indicator.
#[derive(Clone, Debug)]
pub struct Checklist {
    pub items: Vec<CheckItem>,
    pub vetoes: Vec<Veto>,
    pub reads: Box<[InputId]>,
    pub lets: Box<[LetId]>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct CheckItem {
    pub condition: Expr,
    pub points: Expr,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Veto {
    pub condition: Expr,
    pub reason: Option<Excerpt>,
    pub span: Span,
}

/// Full points less every deduction, never below 0.
#[derive(Clone, Debug)]
pub struct Deductions {
    pub deducts: Vec<Deduct>,
    /// Inputs and lets read by the amounts, values and conditions, as for a formula.
    pub reads: Box<[InputId]>,
    pub lets: Box<[LetId]>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Deduct {
    pub amount: Expr,
    pub how: DeductHow,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum DeductHow {
    /// Once per record of a `list of finding` input.
    PerFinding(InputId),
    /// Per `unit` by which `value` passes `standard`, counted as `counting` says.
    PerPoint {
        counting: Counting,
        unit: Measure,
        above: bool,
        standard: Measure,
        value: Expr,
    },
    If(Expr),
}

/// Points by the tier a value falls in.
#[derive(Clone, Debug)]
pub struct Tiers {
    pub value: Expr,
    pub tiers: Vec<Tier>,
    /// Inputs and lets read by the value and the tiers' scores, as for a formula.
    pub reads: Box<[InputId]>,
    pub lets: Box<[LetId]>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Tier {
    pub lower: Option<TierBound>,
    pub upper: Option<TierBound>,
    /// The range as the rule file writes it: `80%(含)-90%` (short: held inline).
    pub label: CompactString,
    pub score: Expr,
    pub span: Span,
}

impl Tier {
    pub fn contains(&self, v: Decimal) -> bool {
        within(self.lower, self.upper, v)
    }

    /// Whether the tier is written in percentages (`80%(含)-90%`); the checker has made sure
    /// the tiers of one block agree.
    pub fn in_percent(&self) -> bool {
        [self.lower, self.upper]
            .iter()
            .any(|b| b.is_some_and(|b| b.percent))
    }
}

#[derive(Clone, Debug)]
pub struct Formula {
    pub expr: Expr,
    /// Every input the score reads, directly or through `let`s, in declaration order; the trace
    /// lists them before the formula.
    pub reads: Box<[InputId]>,
    /// Every `let` the score needs, in evaluation order.
    pub lets: Box<[LetId]>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct TargetsRule {
    pub list: InputId,
    pub split: Split,
    /// `levels 产出指标 50, …`: the weights the records' 一级指标 must add up to.
    pub levels: Option<Levels>,
    pub span: Span,
}

/// `levels 产出指标 50, 效益指标 30, 满意度指标 10 warn`: a check of the data, not a rule of
/// scoring — the records under each named 一级指标 must carry that many points in all.
#[derive(Clone, Debug)]
pub struct Levels {
    pub weights: Vec<(String, Decimal)>,
    /// `warn`: a department off the weights is scored, with a warning; else it is an error.
    pub warn: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// The points shared out evenly in the rounding digits.
    Equally,
    /// Each record's own 分值.
    ByPoints,
    /// No split: met targets over all targets × points; with `overshoot`, a target exceeded by
    /// more than that share is not met.
    Count { overshoot: Option<Decimal> },
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

impl Expr {
    /// Visits the expression and every expression inside it, outermost first.
    pub fn walk(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Unary(_, a) => a.walk(f),
            ExprKind::Binary(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            ExprKind::If(abc) => {
                let [a, b, c] = &**abc;
                a.walk(f);
                b.walk(f);
                c.walk(f);
            }
            ExprKind::Call(_, args) => args.iter().for_each(|a| a.walk(f)),
            ExprKind::Number(_)
            | ExprKind::Percent(_)
            | ExprKind::Text(_)
            | ExprKind::Bool(_)
            | ExprKind::Input(_)
            | ExprKind::Let(_)
            | ExprKind::Points(_) => {}
        }
    }
}

/// An expression node: 24 bytes (a larger variant would make every node of a large table
/// larger, `If` boxes its three parts together and `Call` its arguments as a slice).
#[derive(Clone, Debug)]
pub enum ExprKind {
    Number(Decimal),
    /// A percent literal: the number as written (95 for `95%`).
    Percent(Decimal),
    Text(Box<str>),
    Bool(bool),
    Input(InputId),
    Let(LetId),
    /// The points of this indicator.
    Points(IndicatorId),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// The condition, then the value if it holds, then the value if not.
    If(Box<[Expr; 3]>),
    Call(Func, Box<[Expr]>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Func {
    Min,
    Max,
    Abs,
    Round,
    /// The largest whole number not above: `floor(2.7)` is 2 (不足一个百分点不扣).
    Floor,
    /// The smallest whole number not below: `ceil(2.1)` is 3 (不足一个百分点按一个计).
    Ceil,
    /// The number of records in a list input.
    Count,
    /// Whether the data gives an `optional` input.
    Given,
}

impl Func {
    /// Every function, in the order the docs and messages list them.
    pub const ALL: [(&'static str, Func); 8] = [
        ("min", Func::Min),
        ("max", Func::Max),
        ("abs", Func::Abs),
        ("round", Func::Round),
        ("floor", Func::Floor),
        ("ceil", Func::Ceil),
        ("count", Func::Count),
        ("given", Func::Given),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
            Func::Abs => "abs",
            Func::Round => "round",
            Func::Floor => "floor",
            Func::Ceil => "ceil",
            Func::Count => "count",
            Func::Given => "given",
        }
    }

    /// The call as docs and messages show it: `round(a, 2)`.
    pub fn usage(self) -> &'static str {
        match self {
            Func::Min => "min(a, b, …)",
            Func::Max => "max(a, b, …)",
            Func::Abs => "abs(a)",
            Func::Round => "round(a, 2)",
            Func::Floor => "floor(a)",
            Func::Ceil => "ceil(a)",
            Func::Count => "count(列表)",
            Func::Given => "given(输入)",
        }
    }

    /// Every function's usage, for the messages that list them: `min(a, b, …), …`.
    pub fn list() -> String {
        Func::ALL
            .iter()
            .map(|(_, f)| f.usage())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Rulebook {
    pub fn indicator(&self, id: IndicatorId) -> &Indicator {
        &self.indicators[id.0]
    }

    /// Per indicator: whether some department may leave it unscored (it, or an indicator above
    /// it, has a `not applicable` line, or it is an alternative), so its data may be empty.
    pub fn conditional(&self) -> Vec<bool> {
        let mut out = vec![false; self.indicators.len()];
        // Ids follow tree order, parents first, so one pass sees every parent before its children.
        for (i, ind) in self.indicators.iter().enumerate() {
            let here = out[i] || ind.not_applicable.is_some();
            out[i] = here;
            match &ind.kind {
                IndicatorKind::Group(kids) => {
                    for k in kids {
                        out[k.0] = here;
                    }
                }
                IndicatorKind::Alternatives(kids) => {
                    for k in kids {
                        out[k.0] = true;
                    }
                }
                IndicatorKind::Formula(_)
                | IndicatorKind::Targets(_)
                | IndicatorKind::Tiers(_)
                | IndicatorKind::Deductions(_)
                | IndicatorKind::Checklist(_)
                | IndicatorKind::Category(_) => {}
            }
        }
        out
    }

    /// The rating band a total falls in: the first whose bound it meets.
    pub fn rate(&self, total: Decimal) -> Option<&Band> {
        self.rating.iter().find(|band| match band.bound {
            None => true,
            Some((BandOp::AtLeast, b)) => total >= b,
            Some((BandOp::Above, b)) => total > b,
        })
    }
}
