//! The abstract syntax tree: the shape of a rule file as written, with spans, before any
//! meaning is checked. `lower.rs` builds it from pest's pairs; `check` reads it.

use rust_decimal::Decimal;

use crate::source::{Span, Spanned};

/// Equality of AST nodes ignores where they stand, as [`Spanned`] does: two files that mean
/// the same compare equal however they are laid out (the formatter's round-trip test needs it).
macro_rules! equal_ignoring_span {
    ($t:ident { $($field:ident),* }) => {
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                true $(&& self.$field == other.$field)*
            }
        }
    };
}

equal_ignoring_span!(Rulebook { title, settings });
equal_ignoring_span!(Rounding {
    mode,
    digits,
    place
});
equal_ignoring_span!(Rating { bands });
equal_ignoring_span!(Band { label, bound });
equal_ignoring_span!(InputDecl { name, ty, optional });
equal_ignoring_span!(LetDecl { name, value });
equal_ignoring_span!(Import { path });
equal_ignoring_span!(Indicator {
    overrides,
    name,
    points,
    alternatives,
    body
});
equal_ignoring_span!(NotApplicable {
    condition,
    policy,
    to
});
equal_ignoring_span!(ScoreRule { expr });
equal_ignoring_span!(TiersRule { value, tiers });
equal_ignoring_span!(DeductRule { amount, how });
equal_ignoring_span!(ChecklistRule { items, vetoes });
equal_ignoring_span!(CategoryRule { value, arms });
equal_ignoring_span!(CategoryArm { value, points });
equal_ignoring_span!(CheckItem { condition, points });
equal_ignoring_span!(Veto { condition, reason });
equal_ignoring_span!(Tier { range, score });
equal_ignoring_span!(TargetsRule { list, split });

/// A parsed rule file.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
    /// Every comment with its place, in file order. Items do not own their comments; a
    /// formatter attaches each comment to the nearest item by position (as ruff does).
    pub comments: Vec<Comment>,
}

/// A `//` comment; `///` ones are doc comments.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// The text after the slashes, without the line break.
    pub text: String,
    pub doc: bool,
    /// True when code stands before the comment on its line (a trailing comment).
    pub trailing: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Import(Import),
    Rulebook(Rulebook),
    Scale(ScaleDecl),
    Input(InputDecl),
    Let(LetDecl),
    Indicator(Indicator),
}

/// `scale 三档 { "达成" => 80%(含)-100%(含) … }`: judgement bands, named once.
#[derive(Clone, Debug)]
pub struct ScaleDecl {
    pub name: Name,
    pub bands: Vec<BandDecl>,
    pub span: Span,
}

impl PartialEq for ScaleDecl {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.bands == other.bands
    }
}

/// `import "路径.jx"`
#[derive(Clone, Debug)]
pub struct Import {
    /// The path as written, relative to the importing file.
    pub path: Spanned<String>,
    pub span: Span,
}

/// `rulebook "标题" { … }`
#[derive(Clone, Debug)]
pub struct Rulebook {
    pub title: Spanned<String>,
    pub settings: Vec<Setting>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Setting {
    Total(Spanned<Decimal>),
    Rounding(Rounding),
    Rating(Rating),
}

/// `round half_up 2 each indicator`
#[derive(Clone, Debug)]
pub struct Rounding {
    pub mode: Spanned<RoundMode>,
    pub digits: Spanned<u32>,
    pub place: Spanned<RoundPlace>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundMode {
    /// 四舍五入
    HalfUp,
    /// 银行家舍入 (round half to even)
    HalfEven,
    /// 截断
    Truncate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundPlace {
    /// Every leaf's score, after its cap and floor.
    EachIndicator,
    /// Only the total.
    Total,
    /// Every intermediate value (`let`), as it is computed.
    EachValue,
}

/// `rating 优 >= 90, 良 >= 80, 中 >= 60, 差`
#[derive(Clone, Debug)]
pub struct Rating {
    pub bands: Vec<Band>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Band {
    pub label: Name,
    /// Points, or with `percent` a share of the total.
    pub bound: Option<(Spanned<BandOp>, Spanned<Measure>)>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum BandOp {
    /// `>=`: the bound itself is in the band.
    #[serde(rename = ">=")]
    AtLeast,
    /// `>`: the bound itself is below the band.
    #[serde(rename = ">")]
    Above,
}

/// `input 全年预算数: money`
#[derive(Clone, Debug)]
pub struct InputDecl {
    pub name: Name,
    pub ty: Spanned<TypeName>,
    /// `> 0`, `0%..100%`: the values the data may give.
    pub range: Option<TierRange>,
    /// `optional`: the data may leave it out.
    pub optional: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeName {
    Money,
    Number,
    Percent,
    Count,
    YesNo,
    Text,
    /// `list of target`, and with `graded 定性` the scale its qualitative records are graded on.
    TargetList(Option<Name>),
    FindingList,
    /// `one of "…", "…"`: text limited to these values.
    OneOf(Vec<Spanned<String>>),
    /// `judgement { "达成" => 80%(含)-100%(含) … }`: named bands of rates.
    Judgement(Vec<BandDecl>),
    /// `judgement 三档`: the bands of a declared scale.
    JudgementOf(Name),
}

/// `"部分达成" => 60%(含)-80% default 70% words "基本完成", "基本达成"`: a band of a judgement
/// or a scale; `default` and `words` serve a scale that grades qualitative targets.
#[derive(Clone, Debug, PartialEq)]
pub struct BandDecl {
    pub label: Spanned<String>,
    pub range: TierRange,
    pub default: Option<Spanned<Measure>>,
    pub words: Vec<Spanned<String>>,
}

/// `levels 产出指标 50, 效益指标 30 warn`: the weight each 一级指标 of the records must add up to.
#[derive(Clone, Debug)]
pub struct LevelsRule {
    pub weights: Vec<(Name, Spanned<Decimal>)>,
    /// `warn`: a form that does not follow the weights is scored, with a warning.
    pub warn: bool,
    pub span: Span,
}

impl PartialEq for LevelsRule {
    fn eq(&self, other: &Self) -> bool {
        self.weights == other.weights && self.warn == other.warn
    }
}

/// `let 名 = 表达式`
#[derive(Clone, Debug)]
pub struct LetDecl {
    pub name: Name,
    pub value: Expr,
    pub span: Span,
}

/// `indicator 名 points 10 { … }`
#[derive(Clone, Debug)]
pub struct Indicator {
    /// `override indicator …`: replaces the imported indicator of the same name.
    pub overrides: bool,
    pub name: Name,
    pub points: Spanned<Decimal>,
    /// `one of`: the children are alternatives, each worth the group's points.
    pub alternatives: Option<Spanned<()>>,
    pub body: Vec<IndicatorItem>,
    pub span: Span,
}

impl Indicator {
    /// The child indicators written in this indicator's block, in order.
    pub fn children(&self) -> impl Iterator<Item = &Indicator> {
        self.body.iter().filter_map(|i| match i {
            IndicatorItem::Child(c) => Some(&**c),
            _ => None,
        })
    }
}

/// `not applicable if 条件 => full|exclude|redistribute`
#[derive(Clone, Debug)]
pub struct NotApplicable {
    pub condition: Expr,
    /// Left out among alternatives, where the next alternative is scored instead.
    pub policy: Option<Spanned<Policy>>,
    /// `redistribute to 甲, 乙`: the siblings that receive the points (all when empty).
    pub to: Vec<Name>,
    pub span: Span,
}

/// What becomes of the points of an indicator that does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Counted at full points.
    Full,
    /// Left out: the points it would have had are left out of the total, which is then
    /// converted back to the full scale.
    Exclude,
    /// Spread over the siblings in proportion to their points.
    Redistribute,
}

impl Policy {
    pub fn keyword(self) -> &'static str {
        match self {
            Policy::Full => "full",
            Policy::Exclude => "exclude",
            Policy::Redistribute => "redistribute",
        }
    }
}

/// One statement of an indicator's block. The larger ones are boxed, so that a block of two
/// statements does not take the room of the largest kind twice over (a generated file of
/// 100,000 indicators held 140 MB of blocks).
#[derive(Clone, Debug, PartialEq)]
pub enum IndicatorItem {
    Basis(Spanned<String>),
    NotApplicable(Box<NotApplicable>),
    Let(Box<LetDecl>),
    Score(Box<ScoreRule>),
    Targets(Box<TargetsRule>),
    Levels(LevelsRule),
    Tiers(Box<TiersRule>),
    Deduct(Box<DeductRule>),
    Checklist(ChecklistRule),
    Category(Box<CategoryRule>),
    Child(Box<Indicator>),
}

/// `category 值 { "类别" => 分数 … else => 分数 }`
#[derive(Clone, Debug)]
pub struct CategoryRule {
    pub value: Expr,
    pub arms: Vec<CategoryArm>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct CategoryArm {
    /// The value matched, or `None` for `else`.
    pub value: Option<Spanned<String>>,
    pub points: Expr,
    pub span: Span,
}

/// `checklist { 条件 => 分数 … veto 条件 "理由" }`
#[derive(Clone, Debug)]
pub struct ChecklistRule {
    pub items: Vec<CheckItem>,
    pub vetoes: Vec<Veto>,
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
    pub reason: Option<Spanned<String>>,
    pub span: Span,
}

/// `deduct 数额 per …` / `deduct 数额 if …`
#[derive(Clone, Debug)]
pub struct DeductRule {
    pub amount: Expr,
    pub how: Deduct,
    pub span: Span,
}

/// How the units by which a value passes its standard are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// In proportion: 2.5 units over deduct 2.5 times the amount.
    Proportional,
    /// `started`: every unit begun counts in full (不足一个按一个计).
    Started,
    /// `whole`: only units reached in full count (不足一个不扣).
    Whole,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Deduct {
    /// Per record of a `list of finding` input.
    PerFinding(Name),
    /// Per `unit` by which `value` passes `standard` (above or below it).
    PerPoint {
        counting: Counting,
        unit: Spanned<Measure>,
        above: bool,
        standard: Spanned<Measure>,
        value: Expr,
        /// `per started 1% above 100%`, built from the tokens, for the trace.
        text: String,
    },
    /// When a condition holds.
    If(Expr),
}

/// `tiers 值 { 范围 => 分数 … }`
#[derive(Clone, Debug)]
pub struct TiersRule {
    pub value: Expr,
    pub tiers: Vec<Tier>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Tier {
    pub range: TierRange,
    pub score: Expr,
    pub span: Span,
}

/// The values a tier takes: a lower and an upper bound, either open-ended.
#[derive(Clone, Debug)]
pub struct TierRange {
    pub lower: Option<TierBound>,
    pub upper: Option<TierBound>,
    /// The range as written (`80%(含)-90%`), for the trace and the formatter.
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TierBound {
    /// The bound's value (a percentage divided by 100).
    pub value: Decimal,
    pub inclusive: bool,
    /// Written with `%`: the checker holds it against the unit of the value it bounds.
    pub percent: bool,
}

/// A number written as a deduction's step or standard: `1%` (0.01, a percentage) or `5`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measure {
    /// The value (a percentage divided by 100).
    pub value: Decimal,
    /// Written with `%`.
    pub percent: bool,
}

impl PartialEq for TierRange {
    fn eq(&self, other: &Self) -> bool {
        self.lower == other.lower && self.upper == other.upper
    }
}

/// `score 表达式`
#[derive(Clone, Debug)]
pub struct ScoreRule {
    pub expr: Expr,
    pub span: Span,
}

/// `targets 绩效指标 split equally`
#[derive(Clone, Debug)]
pub struct TargetsRule {
    pub list: Name,
    pub split: Split,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Split {
    Equally(Span),
    By(Name),
    /// `count [overshoot 30%]`: met targets over all targets × points, no split.
    Count {
        overshoot: Option<Spanned<Measure>>,
        /// As written, for the formatter: `count overshoot 30%`.
        text: String,
    },
}

impl PartialEq for Split {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Split::Equally(_), Split::Equally(_)) => true,
            (Split::By(a), Split::By(b)) => a == b,
            (Split::Count { overshoot: a, .. }, Split::Count { overshoot: b, .. }) => a == b,
            _ => false,
        }
    }
}

/// A name as written. `quote` records how, so a formatter can write it back the same way.
#[derive(Clone, Debug)]
pub struct Name {
    pub text: String,
    pub quote: Quote,
    pub span: Span,
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    /// `预算执行率`
    Bare,
    /// `` `“三公”经费` ``
    Backtick,
    /// `"“三公”经费控制率"` (indicator names only)
    Double,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
    /// Written in parentheses: a formatter keeps them, though the tree already holds the order.
    pub parens: bool,
    /// The operator token of a unary or binary expression (`×` or `*`, `且` or `and`), so a
    /// formatter writes it as the author did; empty for other expressions.
    pub op: Span,
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Number(Decimal),
    /// `95%`: the number as written (95), not divided.
    Percent(Decimal),
    Text(String),
    Bool(bool),
    Name(Name),
    /// `points`: the points of the enclosing indicator.
    Points,
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(Name, Vec<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    /// Binding strength, used to print an expression with only the parentheses it needs.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div => 6,
        }
    }

    /// How the trace writes the operator (the forms on a printed score table).
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "或",
            BinaryOp::And => "且",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "≠",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "≤",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => "≥",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "−",
            BinaryOp::Mul => "×",
            BinaryOp::Div => "÷",
        }
    }
}
