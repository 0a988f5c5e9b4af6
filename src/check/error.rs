//! Check errors: everything wrong with a rule file that parses. All of them are collected in
//! one run and reported together, each with its place, what is wrong and how to fix it.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, SourceSpan};
use rust_decimal::Decimal;
use thiserror::Error;

use crate::diagnostics::{Localized, Text, Zh};
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
        expected: Text,
        found: usize,
        usage: Text,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("type mismatch: {what} must be {expected}, but this is {found}")]
    #[diagnostic(code(jixiao::check::type_mismatch))]
    TypeMismatch {
        what: Text,
        expected: Text,
        found: Text,
        #[label("{found}")]
        span: SourceSpan,
        #[help]
        help: Option<Text>,
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
        message: Text,
        help: Text,
        #[label("{label}")]
        span: SourceSpan,
        label: Text,
    },

    #[error("{what} `{name}` is defined in {first_file} and again here")]
    #[diagnostic(code(jixiao::check::import_clash), help("{help}"))]
    ImportClash {
        what: Text,
        name: String,
        first_file: String,
        help: Text,
        #[label("defined again")]
        span: SourceSpan,
        #[label("first defined here")]
        first: SourceSpan,
    },

    #[error("{message}")]
    #[diagnostic(code(jixiao::check::import_override), help("{help}"))]
    ImportOverride {
        message: Text,
        help: Text,
        #[label("{label}")]
        span: SourceSpan,
        label: Text,
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
        what: Text,
        value: String,
        max: Text,
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
        found: Text,
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
        found: Text,
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

    #[error("{}", problem.message().en)]
    #[diagnostic(code(jixiao::check::grades), help("{}", problem.help().en))]
    Grades {
        problem: GradeProblem,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("{}", problem.message().en)]
    #[diagnostic(code(jixiao::check::levels), help("{}", problem.help().en))]
    Levels {
        problem: LevelProblem,
        #[label("these levels")]
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
        values: Text,
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
        values: Text,
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

    fn zh(&self) -> String {
        match self {
            Self::NoPolicy => "`not applicable` 没有说明分值如何处理".into(),
            Self::PolicyAmongAlternatives { policy } => {
                format!("`=> {}` 在备选指标之间不起作用", policy.keyword())
            }
            Self::NoSibling => "没有同级指标可以接收重新分配的分值".into(),
            Self::NotASibling {
                name, indicator, ..
            } => format!("`{name}` 不是 `{indicator}` 的同级指标"),
        }
    }

    fn help_zh(&self) -> String {
        match self {
            Self::NoPolicy => "按评分标准的规定，在这一行末尾写上 `=> full`（按满分计）、`=> exclude`（不计入，总分折算回满分）或 `=> redistribute`（按比例分配给同级指标）".into(),
            Self::PolicyAmongAlternatives { .. } => "在 `one of` 备选指标之间，不适用的备选指标会让给下一个；删去这个处理方式".into(),
            Self::NoSibling => "`redistribute` 把分值分配给同一组的其他指标；没有其他指标时，请用 `full` 或 `exclude`".into(),
            Self::NotASibling {
                name,
                nearest: Some(nearest),
                ..
            } => crate::echo::did_you_mean_in(name, nearest, crate::report::Lang::Zh),
            Self::NotASibling {
                nearest: None,
                siblings,
                ..
            } => format!("分值只能分配给同一组的指标：{}", siblings.join("、")),
        }
    }

    fn label_zh(&self) -> &'static str {
        match self {
            Self::NoPolicy => "在这里写明处理方式",
            Self::PolicyAmongAlternatives { .. } => "删去这里",
            Self::NoSibling => "没有同级指标",
            Self::NotASibling { .. } => "不在这一组中",
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

    fn zh(&self) -> String {
        use crate::number::exact;
        match self {
            Self::OtherPoints {
                alternative,
                points,
                group_points,
                ..
            } => format!(
                "备选指标 `{alternative}` 的分值是 {}，不是这一组的 {}",
                exact(*points),
                exact(*group_points)
            ),
            Self::OnlyOne { group } => format!("`{group}` 只有一个备选指标"),
            Self::NeverScored { alternative, .. } => {
                format!("备选指标 `{alternative}` 永远不会被评分")
            }
        }
    }

    fn help_zh(&self) -> String {
        match self {
            Self::OtherPoints {
                group,
                group_points,
                ..
            } => format!(
                "只有一个备选指标被评分，按 `{group}` 的分值计：写 `points {}`",
                crate::number::exact(*group_points)
            ),
            Self::OnlyOne { .. } => {
                "`one of` 在两个或更多下级指标之间选择一个；补上另一个，或者删去 `one of`".into()
            }
            Self::NeverScored { always, .. } => format!(
                "它前面的 `{always}` 没有 `not applicable if …` 行，所以总是由它评分；写明它何时不适用，或者把它放到最后"
            ),
        }
    }

    fn label_zh(&self) -> &'static str {
        match self {
            Self::OtherPoints { .. } => "分值不同",
            Self::OnlyOne { .. } => "只有一个下级指标",
            Self::NeverScored { .. } => "永远轮不到",
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

impl WrittenNumbers {
    fn zh(self) -> &'static str {
        match self {
            Self::TierBounds => "这些档次的界限",
            Self::Compared => "用来比较的数字",
            Self::InputRange => "这个输入的取值范围",
            Self::ScaleBands => "这个等级标准的各档",
            Self::JudgementBands => "这个评价的各档",
            Self::DeductionStep => "这条扣分的步长和标准",
            Self::Overshoot => "超出部分的区间",
        }
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

    fn zh(&self) -> String {
        match self {
            Self::Mixed { .. } => "混用了百分数和不带 `%` 的数字".into(),
            Self::PercentOfAmount { unit } => {
                format!("写成了百分数，但衡量的值是{}", unit_words_zh(*unit))
            }
            Self::PlainForPercent { .. } => "没有写 `%`，但衡量的值是百分数".into(),
            Self::PlainForRate { plain } => format!(
                "没有写 `%`，但衡量的值是比率：{} 就是 {}%",
                crate::number::exact(*plain),
                as_percent(*plain)
            ),
        }
    }

    fn help_zh(&self) -> String {
        match self {
            Self::Mixed { plain }
            | Self::PlainForPercent { plain }
            | Self::PlainForRate { plain } => both_readings_zh(*plain),
            Self::PercentOfAmount { .. } => {
                "衡量的值不是百分数：按它自己的单位（元、万元、个数、分）写数字，不要写 `%`".into()
            }
        }
    }

    fn other_label_zh(&self) -> &'static str {
        match self {
            Self::Mixed { .. } => "一个百分数",
            Self::PercentOfAmount { .. }
            | Self::PlainForPercent { .. }
            | Self::PlainForRate { .. } => "衡量的值",
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

/// What a value of `unit` is, after "衡量的值是".
fn unit_words_zh(unit: model::Unit) -> &'static str {
    match unit {
        model::Unit::Percent => "百分数",
        model::Unit::Ratio => "比率",
        model::Unit::Money => "金额",
        model::Unit::Count => "个数",
        model::Unit::Score => "分数",
        model::Unit::Plain => "普通数字",
        model::Unit::Unknown => "数字",
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

/// [`both_readings`] in Chinese.
fn both_readings_zh(v: Decimal) -> String {
    use crate::number::exact;
    let keep = format!(
        "`{}%`，保持 `{}` 现在的含义（小数：{} 即 {}%）",
        as_percent(v),
        exact(v),
        exact(v),
        as_percent(v)
    );
    let points = format!("`{}%`（百分之 {}）", exact(v), exact(v));
    if v.abs() < Decimal::ONE {
        format!("写成 {keep}；或者写成 {points}")
    } else {
        format!("写成 {points}；或者写成 {keep}")
    }
}

/// A way of counting part of a unit, in words: what it does, how a rule writes it, and how a
/// 评分标准 says it.
struct CountingWords {
    what: &'static str,
    /// `what` in Chinese, after 按.
    zh: &'static str,
    rule: &'static str,
    basis: &'static str,
}

fn counting_words(counting: model::Counting) -> CountingWords {
    let (what, zh, rule, basis) = match counting {
        model::Counting::Proportional => ("in proportion", "比例", "`per 1% …`", "按比例"),
        model::Counting::Started => (
            "every unit begun",
            "每个开始的单位",
            "`per started 1% …`",
            "不足一个按一个计",
        ),
        model::Counting::Whole => (
            "whole units only",
            "整单位",
            "`per whole 1% …`",
            "不足一个不扣",
        ),
    };
    CountingWords {
        what,
        zh,
        rule,
        basis,
    }
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
    fn zh(&self) -> String {
        match self {
            Self::AboveTotal { total } => {
                format!("这张表总共只有 {} 分", crate::number::exact(*total))
            }
            Self::AfterFloor { floor } => format!("每个总分（0 或以上）都已评为 `{floor}`"),
        }
    }

    fn help_zh(&self, band: &str) -> String {
        use crate::number::exact;
        match self {
            Self::AboveTotal { total } => format!(
                "档次的界限是总分：把它降到不超过 {}，或者写成占总分的比例（`{band} >= 90%` 即 {} 分），或者改正 `total`",
                exact(*total),
                exact(*total * Decimal::new(9, 1)),
            ),
            Self::AfterFloor { floor } => {
                format!("把 `{floor}` 的界限提高到 0 以上，或者把它作为最后一档并删去后面的各档")
            }
        }
    }

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
    fn help_zh(self) -> &'static str {
        match self {
            Self::AnotherRule => {
                "一个末级指标只有一条评分规则：保留一条，或者把这个指标拆成两个下级指标"
            }
            Self::Children => {
                "有下级指标的指标按下级指标得分相加评分；把这条规则移到一个下级指标中"
            }
        }
    }

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
    fn example_zh(self, total: &str) -> String {
        match self {
            Self::Total => {
                format!("加上 `total {total}`（整张表的总分：各一级指标分值之和）")
            }
            Self::Rating => {
                "加上评级档次，例如 `rating 优 >= 90%, 良 >= 80%, 中 >= 60%, 差`（按总分的比例）"
                    .into()
            }
        }
    }

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

impl CatchAllSlip {
    fn zh(self) -> &'static str {
        match self {
            Self::UnboundBeforeLast => "只有最后一档可以不写下限",
            Self::BoundOnLast => "最后一档接住所有更低的总分，不写下限",
        }
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

impl NameHint {
    fn zh(&self) -> String {
        match self {
            Self::Nearest { written, meant } => {
                crate::echo::did_you_mean_in(written, meant, crate::report::Lang::Zh)
            }
            Self::DefinedBelow { name } => format!(
                "`{name}` 是在这次使用之后、或在另一个指标内定义的 `let`；`let` 只能在它之后、在它所在的块及其内部的块中使用"
            ),
            Self::DeclareScale { name } => format!(
                "先在上方声明一次：`scale {name} {{ \"达成\" => 80%(含)-100%(含)  \"部分达成\" => 60%(含)-80%  \"未达成\" => 0-60% }}`"
            ),
        }
    }
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

impl Localized for CheckError {
    fn zh(&self) -> Zh {
        match self {
            Self::MissingHeader { total, .. } => Zh::new("文件没有 `rulebook` 开头")
                .help(format!("在文件开头写上表头，例如：\nrulebook \"部门整体支出绩效自评\" {{\n  total {total}\n  round half_up 2 each indicator\n  rating 优 >= 90%, 良 >= 80%, 中 >= 60%, 差\n}}\n（总分是各一级指标分值之和；评级档次按总分的比例）"))
                .label("文件从这里开始"),
            Self::DuplicateHeader { .. } => Zh::new("文件有第二个 `rulebook` 表头")
                .help("一个规则文件只有一个表头，请把两个合并")
                .label("第二个表头")
                .label("第一个表头"),
            Self::DuplicateSetting { setting, .. } => {
                Zh::new(format!("表头两次设置了 `{setting}`"))
                    .help("保留其中一个")
                    .label("这里再次设置")
                    .label("第一次在这里设置")
            }
            Self::MissingSetting { setting, total, .. } => {
                Zh::new(format!("表头没有设置 `{setting}`"))
                    .help(setting.example_zh(total))
                    .label("在这个表头中")
            }
            Self::RatingOrder { .. } => Zh::new("评级档次没有从高到低排列")
                .help("从最高档写起，每档的下限都低于前一档，最后一档不写下限：rating 优 >= 90%, 良 >= 80%, 中 >= 60%, 差（按总分的比例）")
                .label("这个下限不低于前一档")
                .label("前一档"),
            Self::DeductionCounting { said, counted, .. } => Zh::new(format!(
                "评分标准按{}计（{}），但这条扣分按{}计",
                counting_words(*said).zh,
                counting_words(*said).basis,
                counting_words(*counted).zh
            ))
            .help(format!(
                "写成 {}；如果规则才是对的，就改正评分标准",
                counting_words(*said).rule
            ))
            .label("计法不同")
            .label("评分标准"),
            Self::HiddenCharacter { character, .. } => {
                Zh::new(format!("规则文件中有看不见的字符 {character}"))
                    .help("删除它（把它前后的名称重新输入一遍）：看不见的字符会让两个看起来一样的名称并不相同，方向控制符会让文字显示的顺序与实际含义不同")
                    .label("在这里")
            }
            Self::RatingUnreachable {
                band, why, total, ..
            } => Zh::new(format!("评级档次 `{band}` 永远不会被评到：{}", why.zh()))
                .help(why.help_zh(band))
                .label("永远达不到")
                .label_if(total.is_some(), "总分"),
            Self::UnitMismatch { numbers, slip, .. } => {
                Zh::new(format!("{}{}", numbers.zh(), slip.zh()))
                    .help(slip.help_zh())
                    .label("单位不同")
                    .label(slip.other_label_zh())
            }
            Self::RatingCatchAll { slip, .. } => Zh::new("最后一档评级不能有下限，而且只有最后一档可以不写下限")
                .help("每个总分都要有评级：最后写一档不带下限的（如 `差`），接住低于其他各档的所有总分，其他各档都写下限")
                .label(slip.zh()),
            Self::DuplicateName { name, .. } => Zh::new(format!("`{name}` 定义了两次"))
                .help("输入和 let 共用同一组名称：如果第二个声明只是再次声明同一个输入，就删去它，否则给其中一个改名")
                .label("这里再次定义")
                .label("第一次在这里定义"),
            Self::DuplicateIndicator { name, .. } => {
                Zh::new(format!("同一个上级指标下有两个指标 `{name}`"))
                    .help("同级指标的名称必须不同，请改名或合并")
                    .label(format!("第二个 `{name}`"))
                    .label(format!("第一个 `{name}`"))
            }
            Self::UnknownName { name, hint, .. } => Zh::new(format!("未知的名称 `{name}`"))
                .help_if(hint.as_ref().map(NameHint::zh))
                .label("这里没有这个名称的输入或 let"),
            Self::UnknownFunction {
                name,
                functions,
                nearest,
                ..
            } => Zh::new(format!("未知的函数 `{name}`"))
                .help(format!(
                    "可用的函数有 {functions}{}",
                    nearest
                        .map(|n| format!("；是不是要写 `{n}`？"))
                        .unwrap_or_default()
                ))
                .label("没有这个函数"),
            Self::Arity {
                func,
                expected,
                found,
                usage,
                ..
            } => Zh::new(format!("`{func}` 需要{}，但这里给了 {found} 个", expected.zh))
                .help(usage.zh.clone())
                .label("在这里"),
            Self::TypeMismatch {
                what,
                expected,
                found,
                help,
                ..
            } => Zh::new(format!(
                "类型不符：{}必须是{}，但这里是{}",
                what.zh, expected.zh, found.zh
            ))
            .help_if(help.as_ref().map(|h| h.zh.to_string()))
            .label(found.zh.clone()),
            Self::PointsOutside { .. } => Zh::new("`points` 用在了指标之外")
                .help("`points` 指它所在指标的分值；把这个 `let` 移到指标里面，或者直接写数字")
                .label("不在任何指标内"),
            Self::NoScoringRule { name, .. } => {
                Zh::new(format!("指标 `{name}` 既没有评分规则，也没有下级指标"))
                    .help("给这个末级指标一条评分规则，例如 `score 执行率 * points` 或 `targets 绩效指标 split equally`")
                    .label("这个末级指标永远不会被评分")
            }
            Self::TwoScoringRules { name, besides, .. } => {
                Zh::new(format!("指标 `{name}` 有不止一种评分方式"))
                    .help(besides.help_zh())
                    .label("这一种")
                    .label("还有这一种")
            }
            Self::Import {
                message,
                help,
                label,
                ..
            } => Zh::new(message.zh.clone())
                .help(help.zh.clone())
                .label(label.zh.clone()),
            Self::ImportClash {
                what,
                name,
                first_file,
                help,
                ..
            } => Zh::new(format!(
                "{} `{name}` 已在 {first_file} 中定义，这里又定义了一次",
                what.zh
            ))
            .help(help.zh.clone())
            .label("再次定义")
            .label("第一次在这里定义"),
            Self::ImportOverride {
                message,
                help,
                label,
                ..
            } => Zh::new(message.zh.clone())
                .help(help.zh.clone())
                .label(label.zh.clone()),
            Self::NotApplicable { slip, .. } => Zh::new(slip.zh())
                .help(slip.help_zh())
                .label(slip.label_zh()),
            Self::Alternatives { slip, .. } => Zh::new(slip.zh())
                .help(slip.help_zh())
                .label(slip.label_zh())
                .label("这组备选指标"),
            Self::PointsRange {
                what, value, max, ..
            } => Zh::new(format!(
                "{}必须大于 0 且不超过 {}，这里是 {value}",
                what.zh, max.zh
            ))
            .help(format!(
                "写出评分表给的分值，大于 0 且不超过 {}；不可能得分的指标应当从表中删去",
                max.zh
            ))
            .label("超出范围"),
            Self::PointsSum {
                name,
                sum,
                points,
                arithmetic,
                ..
            } => Zh::new(format!(
                "`{name}` 的下级指标分值合计 {sum}，但 `{name}` 的分值是 {points}"
            ))
            .help(format!(
                "{arithmetic}；请修改某个下级指标或上级指标的分值，使两者一致"
            ))
            .label(format!("{points} 分")),
            Self::UnknownCategory {
                value,
                input,
                options,
                nearest,
                ..
            } => Zh::new(format!("\"{value}\" 不是 `{input}` 的取值之一"))
                .help(format!(
                    "{}`{input}` 的取值有：{options}",
                    nearest
                        .as_ref()
                        .map(|n| format!("是不是要写 \"{n}\"？"))
                        .unwrap_or_default()
                ))
                .label("不是可选的取值"),
            Self::CategoryIncomplete { missing, .. } => {
                Zh::new(format!("分类没有给 {missing} 规定分值"))
                    .help("给每个取值写上分值，或者最后写 `else => 0` 涵盖其余取值")
                    .label("这些取值没有对应的分支")
            }
            Self::ChecklistSum {
                sum,
                points,
                arithmetic,
                items,
                ..
            } => {
                let zh = Zh::new(format!(
                    "检查项分值合计 {sum}，但指标的分值是 {points}"
                ))
                .help(format!(
                    "{arithmetic}；请修改某个检查项或指标的分值，使两者一致"
                ))
                .label(format!("{points} 分"));
                // Each item's label is its points, the same in either language.
                items
                    .iter()
                    .fold(zh, |zh, item| zh.label(item.label().unwrap_or_default()))
            }
            Self::TotalMismatch {
                sum,
                total,
                arithmetic,
                ..
            } => Zh::new(format!("各指标分值合计 {sum}，但表头的总分是 {total}"))
                .help(format!("{arithmetic}；请修改分值或总分，使两者一致"))
                .label(format!("总分 {total}")),
            Self::NotATargetList { name, found, .. } => Zh::new(format!(
                "`targets` 需要 `list of target` 类型的输入，但 `{name}` 是{}",
                found.zh
            ))
            .help(format!("把这个列表声明为 `input {name}: list of target`"))
            .label("不是绩效指标列表"),
            Self::NotAFindingList { name, found, .. } => Zh::new(format!(
                "`deduct … per` 需要 `list of finding` 类型的输入，但 `{name}` 是{}",
                found.zh
            ))
            .help(format!(
                "把问题清单声明为 `input {name}: list of finding`（每条记录有 描述），或者按百分点扣分：`deduct 0.5 per 1% above 100% of 控制率`"
            ))
            .label("不是问题清单"),
            Self::Grades { problem, .. } => Zh::new(problem.message().zh)
                .help(problem.help().zh)
                .label("这里"),
            Self::Levels { problem, .. } => Zh::new(problem.message().zh)
                .help(problem.help().zh)
                .label("这些层级"),
            Self::SplitField { field, .. } => {
                Zh::new(format!("绩效指标记录没有可用来分配分值的字段 `{field}`"))
                    .help("绩效指标记录的分值写在 `分值` 中：写 `split by 分值`，或者 `split equally`")
                    .label("不是绩效指标记录的数值字段")
            }
            Self::TierEmpty { tier, .. } => {
                Zh::new(format!("档次 `{tier}` 永远达不到：其中没有任何取值"))
                    .help("下限必须低于上限；要包含某个界限，在它后面标上 `(含)`")
                    .label("没有取值落在这里")
            }
            Self::TierOverlap {
                first,
                second,
                values,
                ..
            } => Zh::new(format!(
                "档次 `{first}` 与 `{second}` 重叠：{} 同时落在两档中",
                values.zh
            ))
            .help("按先符合的一档计分；共同的界限只在一侧标 `(含)`")
            .label("这一档")
            .label("与这一档重叠"),
            Self::TierGap { values, .. } => {
                Zh::new(format!("{} 不落在任何一档中", values.zh))
                    .help("为这些取值增加一档，或者给相邻的界限标上 `(含)`；取值落在这里的部门无法评分")
                    .label("这些档次")
            }
            Self::UnusedInput { name, .. } => {
                Zh::new(format!("输入 `{name}` 已声明但从未使用"))
                    .help("删除这个声明，或者在规则中使用它；只要还声明着，数据文件就必须提供它")
                    .label("从未读取")
            }
            Self::ReservedName { name, .. } => {
                Zh::new(format!("`{name}` 在数据文件中专用于部门名称和年度"))
                    .help(format!("给这个输入换个名称，例如 `{name}数据`"))
                    .label("保留名称")
            }
        }
    }
}

/// What is wrong with the grades of a scale that grades qualitative targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GradeProblem {
    /// A band's `default` rate is outside the band.
    DefaultOutside {
        band: String,
        range: String,
        /// A rate inside the band: its upper end, or its lower end, where the band holds it.
        inside: String,
    },
    /// A word is given to two bands.
    WordTwice { word: String, first: String },
    /// A scale used with `graded` has a band without a `default`.
    NoDefault { band: String },
    /// `graded` names something that is not a declared scale.
    NotAScale { name: String },
}

impl GradeProblem {
    fn message(&self) -> Text {
        match self {
            Self::DefaultOutside { band, range, .. } => Text::new(
                format!("the default rate of `{band}` is outside its band {range}"),
                format!("`{band}` 的默认得分率不在本档 {range} 之内"),
            ),
            Self::WordTwice { word, first } => Text::new(
                format!("`{word}` already says `{first}`"),
                format!("写法 `{word}` 已经属于 `{first}`"),
            ),
            Self::NoDefault { band } => Text::new(
                format!("band `{band}` grades qualitative targets but has no `default` rate"),
                format!("`{band}` 一档用于定性指标评定，却没有默认得分率"),
            ),
            Self::NotAScale { name } => Text::new(
                format!("`{name}` is not a declared scale"),
                format!("`{name}` 不是已声明的档次"),
            ),
        }
    }

    fn help(&self) -> Text {
        match self {
            Self::DefaultOutside {
                band,
                range,
                inside,
            } => Text::new(
                format!("give `{band}` a default inside {range}, e.g. {inside}"),
                format!("把 `{band}` 的默认得分率改为 {range} 之内的值，例如 {inside}"),
            ),
            Self::WordTwice { word, .. } => Text::new(
                format!("keep `{word}` in one band only"),
                format!("`{word}` 只保留在一档中"),
            ),
            Self::NoDefault { band } => Text::new(
                format!(
                    "write `\"{band}\" => … default 70%`: the rate used when the form's own score is not in the band"
                ),
                format!("写成 `\"{band}\" => … 默认 70%`：自评得分不在本档时所用的得分率"),
            ),
            Self::NotAScale { name } => Text::new(
                format!(
                    "declare it once above: `scale {name} {{ \"达成\" => 80%(含)-100%(含) default 100%  \"部分达成\" => 60%(含)-80% default 70%  \"未达成\" => 0%(含)-60% default 30% }}`"
                ),
                format!(
                    "先在上方声明一次：`scale {name} {{ \"达成\" => 80%(含)-100%(含) default 100%  \"部分达成\" => 60%(含)-80% default 70%  \"未达成\" => 0%(含)-60% default 30% }}`"
                ),
            ),
        }
    }
}

/// What is wrong with a `levels` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LevelProblem {
    /// Not in an indicator scored by `targets … split by 分值`.
    NotBesideTargets,
    /// The weights do not add up to the indicator's points.
    Sum { sum: String, points: String },
    /// A level named twice.
    Twice { level: String },
}

impl LevelProblem {
    fn message(&self) -> Text {
        match self {
            Self::NotBesideTargets => Text::new(
                "`levels` checks the 分值 of target records, but this indicator does not split its points by 分值",
                "`层级` 检查绩效指标记录的分值，但这个指标没有按分值分配",
            ),
            Self::Sum { sum, points } => Text::new(
                format!(
                    "the level weights add up to {sum}, not to the indicator's {points} points"
                ),
                format!("各层级权重合计 {sum}，不等于指标的 {points} 分"),
            ),
            Self::Twice { level } => Text::new(
                format!("level `{level}` is weighted twice"),
                format!("层级 `{level}` 写了两次权重"),
            ),
        }
    }

    fn help(&self) -> Text {
        match self {
            Self::NotBesideTargets => Text::new(
                "put `levels` in the indicator that has `targets … split by 分值`",
                "把 `层级` 写在含有 `目标 … 按 分值` 的指标中",
            ),
            Self::Sum { points, .. } => Text::new(
                format!("make the weights add up to {points}, or change the indicator's points"),
                format!("让各层级权重合计为 {points}，或修改指标的分值"),
            ),
            Self::Twice { level } => Text::new(
                format!("keep one weight for `{level}`"),
                format!("`{level}` 只保留一个权重"),
            ),
        }
    }
}
