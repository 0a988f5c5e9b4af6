//! Check errors: everything wrong with a rule file that parses. All of them are collected in
//! one run and reported together, each with its place, what is wrong and how to fix it.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, SourceSpan};
use rust_decimal::Decimal;
use thiserror::Error;

use crate::model;

#[derive(Debug, Error, Diagnostic, Clone)]
#[non_exhaustive]
pub enum CheckError {
    #[error("the file has no `rulebook` header")]
    #[diagnostic(
        code(jixiao::check::missing_header),
        help(
            "start the file with a header, for example:\nrulebook \"部门整体支出绩效自评\" {{\n  total {total}\n  round half_up 2 each indicator\n  rating 优 >= 90%, 良 >= 80%, 中 >= 60%, 差\n}}\n(the total is what the top-level indicators add up to; the rating bands are shares of it)"
        )
    )]
    MissingHeader {
        /// The points of the top-level indicators added up, as the header's `total` would say.
        total: String,
        #[label("the file starts here")]
        span: SourceSpan,
    },

    #[error("the file has a second `rulebook` header")]
    #[diagnostic(
        code(jixiao::check::duplicate_header),
        help("a rule file has one header; merge the two")
    )]
    DuplicateHeader {
        #[label("second header")]
        span: SourceSpan,
        #[label("first header")]
        first: SourceSpan,
    },

    #[error("the header sets `{setting}` twice")]
    #[diagnostic(code(jixiao::check::duplicate_setting), help("keep one of them"))]
    DuplicateSetting {
        setting: &'static str,
        #[label("set again here")]
        span: SourceSpan,
        #[label("first set here")]
        first: SourceSpan,
    },

    #[error("the header does not set `{setting}`")]
    #[diagnostic(code(jixiao::check::missing_setting), help("{}", setting.example(total)))]
    MissingSetting {
        setting: RequiredSetting,
        /// The points of the top-level indicators added up, as `total` would say.
        total: String,
        #[label("in this header")]
        span: SourceSpan,
    },

    #[error("the rating bands are not in order from the highest down")]
    #[diagnostic(
        code(jixiao::check::rating_order),
        help(
            "write the bands from the top, each lower bound below the one before, and end with a band without a bound: rating 优 >= 90%, 良 >= 80%, 中 >= 60%, 差 (shares of the total)"
        )
    )]
    RatingOrder {
        #[label("this bound is not below the one before")]
        span: SourceSpan,
        #[label("the band before")]
        previous: SourceSpan,
    },

    #[error(
        "the 评分标准 counts {} ({}), but this deduction counts {}",
        counting_words(*said).what,
        counting_words(*said).basis,
        counting_words(*counted).what
    )]
    #[diagnostic(
        code(jixiao::check::deduction_counting),
        severity(Warning),
        help(
            "write {}, or correct the 评分标准 if it is the rule that is right",
            counting_words(*said).rule
        )
    )]
    DeductionCounting {
        /// How the 评分标准 counts part of a unit.
        said: model::Counting,
        /// How the deduction counts it.
        counted: model::Counting,
        #[label("counted otherwise")]
        span: SourceSpan,
        #[label("the 评分标准")]
        basis: SourceSpan,
    },

    #[error("the rule file holds {character}, which cannot be seen")]
    #[diagnostic(
        code(jixiao::check::hidden_character),
        severity(Warning),
        help(
            "delete it (retype the name around it): an invisible character makes a name differ from one that looks the same, and a direction override makes the text read differently from what it does"
        )
    )]
    HiddenCharacter {
        character: String,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("the rating band `{band}` can never be given: {why}")]
    #[diagnostic(code(jixiao::check::rating_unreachable), help("{}", why.help(band)))]
    RatingUnreachable {
        band: String,
        why: Unreachable,
        #[label("never reached")]
        span: SourceSpan,
        #[label("the total")]
        total: Option<SourceSpan>,
    },

    #[error("{numbers} {slip}")]
    #[diagnostic(code(jixiao::check::unit_mismatch), help("{}", slip.help()))]
    UnitMismatch {
        numbers: WrittenNumbers,
        slip: UnitSlip,
        #[label("in another unit")]
        span: SourceSpan,
        /// The value measured, or a number of the same kind written in the other unit.
        #[label("{}", slip.other_label())]
        other: SourceSpan,
    },

    #[error("the last rating band must have no bound, and only the last")]
    #[diagnostic(
        code(jixiao::check::rating_catch_all),
        help(
            "every total must get a rating: end with a band such as `差` that takes everything below the others, and give every other band a lower bound"
        )
    )]
    RatingCatchAll {
        #[label("{slip}")]
        span: SourceSpan,
        slip: CatchAllSlip,
    },

    #[error("`{name}` is defined twice")]
    #[diagnostic(
        code(jixiao::check::duplicate_name),
        help(
            "inputs and lets share one set of names: remove the second declaration if it declares the same input again, or rename one of them"
        )
    )]
    DuplicateName {
        name: String,
        #[label("defined again here")]
        span: SourceSpan,
        #[label("first defined here")]
        first: SourceSpan,
    },

    #[error("indicator `{name}` appears twice under the same parent")]
    #[diagnostic(
        code(jixiao::check::duplicate_indicator),
        help("sibling indicators must have different names; rename or merge them")
    )]
    DuplicateIndicator {
        name: String,
        #[label("second `{name}`")]
        span: SourceSpan,
        #[label("first `{name}`")]
        first: SourceSpan,
    },

    #[error("unknown name `{name}`")]
    #[diagnostic(code(jixiao::check::unknown_name))]
    UnknownName {
        name: String,
        #[label("not an input or a let in scope here")]
        span: SourceSpan,
        #[help]
        hint: Option<NameHint>,
    },

    #[error("unknown function `{name}`")]
    #[diagnostic(
        code(jixiao::check::unknown_function),
        help(
            "the functions are {functions}{}",
            nearest.map(|n| format!("; did you mean `{n}`?")).unwrap_or_default()
        )
    )]
    UnknownFunction {
        name: String,
        functions: String,
        /// The function whose name is nearest, if near enough to be a slip.
        nearest: Option<&'static str>,
        #[label("no such function")]
        span: SourceSpan,
    },

    #[error("`{func}` takes {expected}, but is given {found}")]
    #[diagnostic(code(jixiao::check::arity), help("{usage}"))]
    Arity {
        func: &'static str,
        expected: &'static str,
        found: usize,
        usage: &'static str,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("type mismatch: {what} must be {expected}, but this is {found}")]
    #[diagnostic(code(jixiao::check::type_mismatch))]
    TypeMismatch {
        what: String,
        expected: &'static str,
        found: &'static str,
        #[label("{found}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`points` is used outside an indicator")]
    #[diagnostic(
        code(jixiao::check::points_outside),
        help(
            "`points` means the points of the indicator it stands in; move this `let` into the indicator, or write the number"
        )
    )]
    PointsOutside {
        #[label("not inside an indicator")]
        span: SourceSpan,
    },

    #[error("indicator `{name}` has no scoring rule and no child indicators")]
    #[diagnostic(
        code(jixiao::check::no_scoring_rule),
        help(
            "give the leaf one scoring rule, for example `score 执行率 * points`, or `targets 绩效指标 split equally`"
        )
    )]
    NoScoringRule {
        name: String,
        #[label("this leaf is never scored")]
        span: SourceSpan,
    },

    #[error("indicator `{name}` has more than one way to be scored")]
    #[diagnostic(code(jixiao::check::two_scoring_rules), help("{}", besides.help()))]
    TwoScoringRules {
        name: String,
        /// What the rule comes on top of: another rule, or child indicators.
        besides: Besides,
        #[label("this one")]
        span: SourceSpan,
        #[label("and this one")]
        first: SourceSpan,
    },

    #[error("{message}")]
    #[diagnostic(code(jixiao::check::import), help("{help}"))]
    Import {
        message: String,
        help: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
    },

    #[error("{what} `{name}` is defined in {first_file} and again here")]
    #[diagnostic(code(jixiao::check::import_clash), help("{help}"))]
    ImportClash {
        what: &'static str,
        name: String,
        first_file: String,
        help: String,
        #[label("defined again")]
        span: SourceSpan,
        #[label("first defined here")]
        first: SourceSpan,
    },

    #[error("{message}")]
    #[diagnostic(code(jixiao::check::import_override), help("{help}"))]
    ImportOverride {
        message: String,
        help: String,
        #[label("{label}")]
        span: SourceSpan,
        label: &'static str,
    },

    #[error("{slip}")]
    #[diagnostic(code(jixiao::check::not_applicable), help("{}", slip.help()))]
    NotApplicable {
        slip: NotApplicableSlip,
        #[label("{}", slip.label())]
        span: SourceSpan,
    },

    #[error("{slip}")]
    #[diagnostic(code(jixiao::check::alternatives), help("{}", slip.help()))]
    Alternatives {
        slip: AlternativesSlip,
        #[label("{}", slip.label())]
        span: SourceSpan,
        #[label("the alternatives")]
        group: SourceSpan,
    },

    #[error("{what} must be greater than 0 and at most {max}, not {value}")]
    #[diagnostic(
        code(jixiao::check::points_range),
        help(
            "write the points the table gives, above 0 and at most {max}; an indicator that cannot score anything should be left out of the table"
        )
    )]
    PointsRange {
        what: &'static str,
        value: String,
        max: String,
        #[label("out of range")]
        span: SourceSpan,
    },

    #[error("the children of `{name}` add up to {sum}, but `{name}` has {points} points")]
    #[diagnostic(
        code(jixiao::check::points_sum),
        help("{arithmetic}; change a child's points or the parent's so they agree")
    )]
    PointsSum {
        name: String,
        sum: String,
        points: String,
        arithmetic: String,
        #[label("{points} points")]
        span: SourceSpan,
    },

    #[error("\"{value}\" is not one of the values of `{input}`")]
    #[diagnostic(
        code(jixiao::check::unknown_category),
        help(
            "{}`{input}` is one of: {options}",
            nearest.as_ref().map(|n| format!("did you mean \"{n}\"? ")).unwrap_or_default()
        )
    )]
    UnknownCategory {
        value: String,
        input: String,
        options: String,
        /// The option nearest to the value, if near enough to be a slip.
        nearest: Option<String>,
        #[label("not an option")]
        span: SourceSpan,
    },

    #[error("the category leaves {missing} without points")]
    #[diagnostic(
        code(jixiao::check::category_incomplete),
        help("give each value its points, or end with `else => 0` for all the others")
    )]
    CategoryIncomplete {
        missing: String,
        #[label("no arm for these values")]
        span: SourceSpan,
    },

    #[error("the checklist items add up to {sum}, but the indicator has {points} points")]
    #[diagnostic(
        code(jixiao::check::checklist_sum),
        help("{arithmetic}; change an item's points or the indicator's so they agree")
    )]
    ChecklistSum {
        sum: String,
        points: String,
        arithmetic: String,
        #[label("{points} points")]
        span: SourceSpan,
        #[label(collection)]
        items: Vec<LabeledSpan>,
    },

    #[error("the indicators add up to {sum}, but the header's total is {total}")]
    #[diagnostic(
        code(jixiao::check::total_mismatch),
        help("{arithmetic}; change the points or the total so they agree")
    )]
    TotalMismatch {
        sum: String,
        total: String,
        arithmetic: String,
        #[label("total {total}")]
        span: SourceSpan,
    },

    #[error("`targets` needs a `list of target` input, but `{name}` is {found}")]
    #[diagnostic(
        code(jixiao::check::not_a_target_list),
        help("declare the list as `input {name}: list of target`")
    )]
    NotATargetList {
        name: String,
        found: &'static str,
        #[label("not a list of targets")]
        span: SourceSpan,
    },

    #[error("`deduct … per` needs a `list of finding` input, but `{name}` is {found}")]
    #[diagnostic(
        code(jixiao::check::not_a_finding_list),
        help(
            "declare the findings as `input {name}: list of finding` (records with 描述), or deduct per percentage point: `deduct 0.5 per 1% above 100% of 控制率`"
        )
    )]
    NotAFindingList {
        name: String,
        found: &'static str,
        #[label("not a list of findings")]
        span: SourceSpan,
    },

    #[error("a target record has no field `{field}` to split points by")]
    #[diagnostic(
        code(jixiao::check::split_field),
        help(
            "target records carry their points in `分值`: write `split by 分值`, or `split equally`"
        )
    )]
    SplitField {
        field: String,
        #[label("not a numeric field of a target")]
        span: SourceSpan,
    },

    #[error("tier `{tier}` can never be reached: it holds no value")]
    #[diagnostic(
        code(jixiao::check::tier_empty),
        severity(Warning),
        help("the lower bound must be below the upper one; mark a bound `(含)` to include it")
    )]
    TierEmpty {
        tier: String,
        #[label("no value falls here")]
        span: SourceSpan,
    },

    #[error("tiers `{first}` and `{second}` overlap: {values} fall in both")]
    #[diagnostic(
        code(jixiao::check::tier_overlap),
        severity(Warning),
        help("the first tier that fits wins; mark the shared bound `(含)` on one side only")
    )]
    TierOverlap {
        first: String,
        second: String,
        values: String,
        #[label("this tier")]
        span: SourceSpan,
        #[label("overlaps this one")]
        first_span: SourceSpan,
    },

    #[error("values {values} fall in no tier")]
    #[diagnostic(
        code(jixiao::check::tier_gap),
        severity(Warning),
        help(
            "add a tier for them, or mark a neighbouring bound `(含)`; a department whose value falls there cannot be scored"
        )
    )]
    TierGap {
        values: String,
        #[label("these tiers")]
        span: SourceSpan,
    },

    #[error("input `{name}` is declared but never used")]
    #[diagnostic(
        code(jixiao::check::unused_input),
        severity(Warning),
        help(
            "remove the declaration, or use the input in a rule; data files must still provide it while it is declared"
        )
    )]
    UnusedInput {
        name: String,
        #[label("never read")]
        span: SourceSpan,
    },

    #[error("`{name}` is reserved for the department's name and year in data files")]
    #[diagnostic(
        code(jixiao::check::reserved_name),
        help("choose another name for this input, for example `{name}数据`")
    )]
    ReservedName {
        name: String,
        #[label("reserved")]
        span: SourceSpan,
    },
}

impl CheckError {
    /// Warnings are shown but do not fail the check.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            CheckError::UnusedInput { .. }
                | CheckError::TierEmpty { .. }
                | CheckError::TierOverlap { .. }
                | CheckError::TierGap { .. }
                | CheckError::HiddenCharacter { .. }
                | CheckError::DeductionCounting { .. }
        )
    }
}

/// What is wrong with a `not applicable` line, or with a name it redistributes to.
#[derive(Debug, Clone)]
pub enum NotApplicableSlip {
    /// No `=> full|exclude|redistribute`, outside alternatives.
    NoPolicy,
    /// A policy on an alternative of `one of`, where it has no effect.
    PolicyAmongAlternatives { policy: model::Policy },
    /// `=> redistribute` on an indicator with no sibling to take the points.
    NoSibling,
    /// `redistribute to 丙`, where 丙 is not another indicator of the same group.
    NotASibling {
        name: String,
        indicator: String,
        /// The sibling whose name is nearest to `name`, if near enough to be a slip.
        nearest: Option<String>,
        /// The names of every other indicator of the group.
        siblings: Vec<String>,
    },
}

impl fmt::Display for NotApplicableSlip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPolicy => write!(
                f,
                "`not applicable` does not say what becomes of the points"
            ),
            Self::PolicyAmongAlternatives { policy } => write!(
                f,
                "`=> {}` has no effect among alternatives",
                policy.keyword()
            ),
            Self::NoSibling => write!(f, "there is no sibling to redistribute the points to"),
            Self::NotASibling {
                name, indicator, ..
            } => write!(f, "`{name}` is not a sibling of `{indicator}`"),
        }
    }
}

impl NotApplicableSlip {
    fn help(&self) -> String {
        match self {
            Self::NoPolicy => "end the line with `=> full` (counted at full points), `=> exclude` (left out, the total converted back to full scale) or `=> redistribute` (spread over the siblings in proportion), as the 评分标准 says".into(),
            Self::PolicyAmongAlternatives { .. } => "among `one of` alternatives, an alternative that does not apply gives way to the next one; remove the policy".into(),
            Self::NoSibling => "`redistribute` spreads the points over the other indicators of the same group; with none, use `full` or `exclude`".into(),
            Self::NotASibling {
                name,
                nearest: Some(nearest),
                ..
            } => crate::echo::did_you_mean(name, nearest),
            Self::NotASibling {
                nearest: None,
                siblings,
                ..
            } => format!(
                "the points go to indicators of the same group: {}",
                siblings.join(", ")
            ),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Self::NoPolicy => "add a policy here",
            Self::PolicyAmongAlternatives { .. } => "remove this",
            Self::NoSibling => "no sibling indicator",
            Self::NotASibling { .. } => "not in this group",
        }
    }
}

/// What is wrong with a group of `one of` alternatives.
#[derive(Debug, Clone)]
pub enum AlternativesSlip {
    /// An alternative whose points are not the group's: only one is scored, at the group's.
    OtherPoints {
        alternative: String,
        points: Decimal,
        group: String,
        group_points: Decimal,
    },
    /// A group with a single alternative: nothing to choose between.
    OnlyOne { group: String },
    /// An alternative after one that always applies, so it is never the one scored.
    NeverScored { alternative: String, always: String },
}

impl fmt::Display for AlternativesSlip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::number::exact;
        match self {
            Self::OtherPoints {
                alternative,
                points,
                group_points,
                ..
            } => write!(
                f,
                "alternative `{alternative}` has {} points, not the group's {}",
                exact(*points),
                exact(*group_points)
            ),
            Self::OnlyOne { group } => write!(f, "`{group}` has only one alternative"),
            Self::NeverScored { alternative, .. } => {
                write!(f, "alternative `{alternative}` can never be scored")
            }
        }
    }
}

impl AlternativesSlip {
    fn help(&self) -> String {
        match self {
            Self::OtherPoints {
                group,
                group_points,
                ..
            } => format!(
                "only one alternative is scored, at the points of `{group}`: write `points {}`",
                crate::number::exact(*group_points)
            ),
            Self::OnlyOne { .. } => "`one of` chooses between two or more child indicators; add the other, or remove `one of`".into(),
            Self::NeverScored { always, .. } => format!(
                "`{always}` before it has no `not applicable if …` line, so it is always the one scored; say when it does not apply, or put it last"
            ),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Self::OtherPoints { .. } => "different points",
            Self::OnlyOne { .. } => "one child",
            Self::NeverScored { .. } => "never reached",
        }
    }
}

/// Numbers written against a value, which must be in its unit and agree with each other.
#[derive(Debug, Clone, Copy)]
pub enum WrittenNumbers {
    /// The bounds of `tiers`.
    TierBounds,
    /// A number literal compared with a value: `满意度 >= 90`.
    Compared,
    /// The range of an input: `input 全年预算数: money > 0`.
    InputRange,
    /// The bands of `scale 三档 { … }`.
    ScaleBands,
    /// The bands of an input's own `judgement { … }`.
    JudgementBands,
    /// The step and standard of `deduct … per 1% above 100% of …`.
    DeductionStep,
    /// `targets … count overshoot 30%`.
    Overshoot,
}

impl fmt::Display for WrittenNumbers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TierBounds => "the bounds of these tiers",
            Self::Compared => "the number compared",
            Self::InputRange => "the range of this input",
            Self::ScaleBands => "the bands of this scale",
            Self::JudgementBands => "the bands of this judgement",
            Self::DeductionStep => "the step and standard of this deduction",
            Self::Overshoot => "the overshoot band",
        })
    }
}

/// How numbers written against a value disagree with its unit, or with each other.
#[derive(Debug, Clone)]
pub enum UnitSlip {
    /// Some are percentages and some, such as `plain`, are not.
    Mixed { plain: Decimal },
    /// Percentages against an amount (`unit`: money, a count, points).
    PercentOfAmount { unit: model::Unit },
    /// `plain` without `%` against a percentage.
    PlainForPercent { plain: Decimal },
    /// `plain` without `%` against a rate, too large to be one (10 would be 1000%).
    PlainForRate { plain: Decimal },
}

impl fmt::Display for UnitSlip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Mixed { .. } => write!(f, "mix percentages and plain numbers"),
            Self::PercentOfAmount { unit } => write!(
                f,
                "are written in percentages, but the value is {}",
                unit_words(*unit)
            ),
            Self::PlainForPercent { .. } => {
                write!(f, "are written without `%`, but the value is a percentage")
            }
            Self::PlainForRate { plain } => write!(
                f,
                "are written without `%`, but the value is a rate: {} would be {}%",
                crate::number::exact(*plain),
                as_percent(*plain)
            ),
        }
    }
}

impl UnitSlip {
    fn help(&self) -> String {
        match self {
            Self::Mixed { plain }
            | Self::PlainForPercent { plain }
            | Self::PlainForRate { plain } => both_readings(*plain),
            Self::PercentOfAmount { .. } => "the value is not a percentage: write the number in the value's own unit (元, 万元, a count, points), without `%`".into(),
        }
    }

    /// What the second label marks: a percentage among plain numbers, or the value measured.
    fn other_label(&self) -> &'static str {
        match self {
            Self::Mixed { .. } => "a percentage",
            Self::PercentOfAmount { .. }
            | Self::PlainForPercent { .. }
            | Self::PlainForRate { .. } => "the value measured",
        }
    }
}

/// What a value of `unit` is, after "the value is".
fn unit_words(unit: model::Unit) -> &'static str {
    match unit {
        model::Unit::Percent => "a percentage",
        model::Unit::Ratio => "a rate",
        model::Unit::Money => "an amount of money",
        model::Unit::Count => "a count",
        model::Unit::Score => "points",
        model::Unit::Plain => "a plain number",
        model::Unit::Unknown => "a number",
    }
}

/// `0.9` as a percentage: `90`.
fn as_percent(v: Decimal) -> String {
    v.checked_mul(Decimal::ONE_HUNDRED)
        .map_or_else(|| v.to_string(), crate::number::exact)
}

/// A plain number where a percentage belongs, read both ways, the likelier first: `0.9` is
/// most likely the fraction it is (90%), `95` a `%` left off, `1` beside `100%` one point.
fn both_readings(v: Decimal) -> String {
    use crate::number::exact;
    let keep = format!(
        "`{}%` to keep what `{}` means now (a fraction: {} is {}%)",
        as_percent(v),
        exact(v),
        exact(v),
        as_percent(v)
    );
    let points = format!("`{}%` ({} percent)", exact(v), exact(v));
    if v.abs() < Decimal::ONE {
        format!("write {keep}, or {points}")
    } else {
        format!("write {points}, or {keep}")
    }
}

/// A way of counting part of a unit, in words: what it does, how a rule writes it, and how a
/// 评分标准 says it.
struct CountingWords {
    what: &'static str,
    rule: &'static str,
    basis: &'static str,
}

fn counting_words(counting: model::Counting) -> CountingWords {
    let (what, rule, basis) = match counting {
        model::Counting::Proportional => ("in proportion", "`per 1% …`", "按比例"),
        model::Counting::Started => ("every unit begun", "`per started 1% …`", "不足一个按一个计"),
        model::Counting::Whole => ("whole units only", "`per whole 1% …`", "不足一个不扣"),
    };
    CountingWords { what, rule, basis }
}

/// Why a rating band can never be given.
#[derive(Debug, Clone)]
pub enum Unreachable {
    /// Its bound lies above the table's `total`, which no total reaches.
    AboveTotal { total: Decimal },
    /// The band before it, `floor`, takes every total (its bound is 0 or below).
    AfterFloor { floor: String },
}

impl fmt::Display for Unreachable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AboveTotal { total } => write!(
                f,
                "the table has only {} points",
                crate::number::exact(*total)
            ),
            Self::AfterFloor { floor } => {
                write!(f, "every total (0 or more) is already rated `{floor}`")
            }
        }
    }
}

impl Unreachable {
    fn help(&self, band: &str) -> String {
        use crate::number::exact;
        match self {
            Self::AboveTotal { total } => format!(
                "a band's bound is a total: lower it to at most {}, or write it as a share of the total (`{band} >= 90%` is {} points), or correct `total`",
                exact(*total),
                exact(*total * Decimal::new(9, 1)),
            ),
            Self::AfterFloor { floor } => format!(
                "raise the bound of `{floor}` above 0, or make it the last band and remove the ones after it"
            ),
        }
    }
}

/// What a second way of scoring an indicator comes on top of.
#[derive(Debug, Clone, Copy)]
pub enum Besides {
    /// Another scoring rule of the same leaf.
    AnotherRule,
    /// Child indicators, whose scores add up to the indicator's.
    Children,
}

impl Besides {
    fn help(self) -> &'static str {
        match self {
            Self::AnotherRule => {
                "a leaf has exactly one scoring rule: keep one, or split the indicator into two children"
            }
            Self::Children => {
                "an indicator with child indicators is scored by adding up its children; move this rule into a child indicator"
            }
        }
    }
}

/// A header setting without which no table can be scored.
#[derive(Debug, Clone, Copy)]
pub enum RequiredSetting {
    Total,
    Rating,
}

impl fmt::Display for RequiredSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Total => "total",
            Self::Rating => "rating",
        })
    }
}

impl RequiredSetting {
    fn example(self, total: &str) -> String {
        match self {
            Self::Total => format!(
                "add `total {total}` (the points of the whole table: what the top-level indicators add up to)"
            ),
            Self::Rating => "add the rating bands, for example `rating 优 >= 90%, 良 >= 80%, 中 >= 60%, 差` (shares of the total)".into(),
        }
    }
}

/// How the rating bands miss their one catch-all at the end.
#[derive(Debug, Clone, Copy)]
pub enum CatchAllSlip {
    /// A band without a bound before the last.
    UnboundBeforeLast,
    /// A bound on the last band.
    BoundOnLast,
}

impl fmt::Display for CatchAllSlip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UnboundBeforeLast => "only the last band may have no bound",
            Self::BoundOnLast => "the last band takes every lower total and has no bound",
        })
    }
}

/// What may have been meant by a name that is not known.
#[derive(Debug, Clone)]
pub enum NameHint {
    /// `meant` is near enough to `written` to be a slip.
    Nearest { written: String, meant: String },
    /// A `let` of this name exists, but below this use or inside another indicator.
    DefinedBelow { name: String },
    /// A scale of this name is not declared.
    DeclareScale { name: String },
}

impl fmt::Display for NameHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Nearest { written, meant } => {
                f.write_str(&crate::echo::did_you_mean(written, meant))
            }
            Self::DefinedBelow { name } => write!(
                f,
                "`{name}` is a `let` defined below this use, or inside another indicator; a `let` can be used only after it, in its own block and the blocks inside it"
            ),
            Self::DeclareScale { name } => write!(
                f,
                "declare it once above: `scale {name} {{ \"达成\" => 80%(含)-100%(含)  \"部分达成\" => 60%(含)-80%  \"未达成\" => 0-60% }}`"
            ),
        }
    }
}
