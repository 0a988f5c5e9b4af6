//! The words of every printed report, in Chinese (the default) and English: the one catalogue
//! the text, Markdown and HTML printers and the `jixiao diff` printers take their labels and
//! phrases from. Printers own the layout (columns, markup, indentation); every word they print
//! that does not come from the rule and data files comes from here, each phrase in both
//! languages side by side.
//!
//! - this file: [`Lang`], the [`Labels`] of columns, headings and step kinds, and the phrases
//!   about the whole table (year, rating, rounding, conversion to the full scale);
//! - `steps`: each trace step in words, and why an indicator lost points;
//! - [`diff`]: the phrases of a rule comparison;
//! - [`batch`]: the summary of a batch run;
//! - [`review`]: 复核, the reported scores beside the computed ones;
//! - [`form`]: the national 自评表's header, funds block and table heads.

pub mod batch;
mod coverage;
pub mod diff;
pub mod form;
pub mod review;
mod steps;
mod terms;
pub mod test;

pub use coverage::gap;

pub use steps::{line, step, target_text, why_lost};
pub use terms::{datum, formula};

use crate::model::{BandOp, RoundMode, RoundPlace};
use crate::number::{column, short};
use crate::trace::Trace;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// 中文
    #[default]
    Zh,
    /// English
    En,
}

/// Single words and short labels: column heads, headings, the label of each kind of step, and
/// the punctuation that differs between the languages.
pub struct Labels {
    pub indicator: &'static str,
    pub points: &'static str,
    pub score: &'static str,
    pub deduction: &'static str,
    pub location: &'static str,
    pub total: &'static str,
    pub rating: &'static str,
    pub department: &'static str,
    pub rules: &'static str,
    pub import: &'static str,
    pub data: &'static str,
    pub rounding: &'static str,
    pub engine: &'static str,
    pub basis: &'static str,
    pub level: [&'static str; 3],
    pub losses: &'static str,
    pub rank: &'static str,
    pub why: &'static str,
    // The labels of the steps, in the order of `trace::Step`.
    pub input: &'static str,
    pub let_: &'static str,
    pub score_step: &'static str,
    pub tier: &'static str,
    pub deduct: &'static str,
    pub category: &'static str,
    pub check: &'static str,
    pub veto: &'static str,
    pub share: &'static str,
    pub target: &'static str,
    pub not_applicable: &'static str,
    pub not_chosen: &'static str,
    /// A step that changed an indicator's points is labelled with [`Labels::points`].
    pub scale: &'static str,
    pub cap: &'static str,
    pub floor: &'static str,
    pub round: &'static str,
    /// The conversion of the total back to the full scale.
    pub rescale: &'static str,
    // The HTML page's language tag and buttons.
    pub html_lang: &'static str,
    pub open_all: &'static str,
    pub close_all: &'static str,
    /// After a label, before what it labels, in running text: `部门：`, `Department: `.
    pub colon: &'static str,
    /// Between the items of a list in running text: `甲、乙`, `A, B`.
    pub list: &'static str,
    /// One step of indentation inside a table cell, where spaces would be trimmed: the
    /// ideographic space among Chinese words, the em space among English ones.
    pub indent: &'static str,
    // The workbook (`--format xlsx`): its sheets, the trace sheet's columns, the signature block.
    pub form_sheet: &'static str,
    pub trace_sheet: &'static str,
    pub step: &'static str,
    pub says: &'static str,
    pub signature: [&'static str; 5],
}

pub const ZH: Labels = Labels {
    indicator: "指标",
    points: "分值",
    score: "得分",
    deduction: "扣分",
    location: "位置",
    total: "合计",
    rating: "评级",
    department: "部门",
    rules: "规则",
    import: "导入",
    data: "数据",
    rounding: "舍入",
    engine: "引擎",
    basis: "评分标准",
    level: ["一级指标", "二级指标", "三级指标"],
    losses: "扣分最多的指标",
    rank: "排名",
    why: "扣分原因",
    input: "输入",
    let_: "计算",
    score_step: "得分",
    tier: "分档",
    deduct: "扣分",
    category: "分类",
    check: "检查",
    veto: "否决",
    share: "分配",
    target: "目标",
    not_applicable: "不适用",
    not_chosen: "未选用",
    scale: "折算",
    cap: "满分为止",
    floor: "扣完为止",
    round: "舍入",
    rescale: "折算",
    html_lang: "zh-CN",
    open_all: "展开全部计算过程",
    close_all: "收起全部",
    colon: "：",
    list: "、",
    indent: "\u{3000}",
    form_sheet: "自评表",
    trace_sheet: "计算过程",
    step: "步骤",
    says: "内容",
    signature: ["填报人", "审核人", "联系电话", "填报日期", "单位（盖章）"],
};

pub const EN: Labels = Labels {
    indicator: "Indicator",
    points: "Points",
    score: "Score",
    deduction: "Lost",
    location: "Where",
    total: "Total",
    rating: "Rating",
    department: "Department",
    rules: "Rules",
    import: "Imports",
    data: "Data",
    rounding: "Rounding",
    engine: "Engine",
    basis: "Basis",
    level: ["Level 1", "Level 2", "Level 3"],
    losses: "Where points were lost",
    rank: "Rank",
    why: "Why points were lost",
    input: "Input",
    let_: "Let",
    score_step: "Score",
    tier: "Tier",
    deduct: "Deduct",
    category: "Category",
    check: "Check",
    veto: "Veto",
    share: "Share",
    target: "Target",
    not_applicable: "Not applicable",
    not_chosen: "Not chosen",
    scale: "Convert",
    cap: "Capped",
    floor: "Floored",
    round: "Rounded",
    rescale: "Converted",
    html_lang: "en",
    open_all: "Open every trace",
    close_all: "Close all",
    colon: ": ",
    list: ", ",
    indent: "\u{2003}",
    form_sheet: "Self-evaluation",
    trace_sheet: "Trace",
    step: "Step",
    says: "Detail",
    signature: ["Prepared by", "Reviewed by", "Telephone", "Date", "Seal"],
};

impl Lang {
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    pub fn mode(self, mode: RoundMode) -> &'static str {
        match (self, mode) {
            (Lang::Zh, RoundMode::HalfUp) => "四舍五入",
            (Lang::Zh, RoundMode::HalfEven) => "银行家舍入",
            (Lang::Zh, RoundMode::Truncate) => "截断",
            (Lang::En, RoundMode::HalfUp) => "half up",
            (Lang::En, RoundMode::HalfEven) => "half even",
            (Lang::En, RoundMode::Truncate) => "truncate",
        }
    }

    /// A remark in brackets after what it remarks on: `优（99.98 ≥ 90）`, `优 (99.98 ≥ 90)`.
    pub fn aside(self, s: &str) -> String {
        match self {
            Lang::Zh => format!("（{s}）"),
            Lang::En => format!(" ({s})"),
        }
    }
}

/// The year after the department's name: `（2023 年度）`, ` (2023)`; empty without a year.
pub fn year(year: Option<&str>, lang: Lang) -> String {
    match (year, lang) {
        (Some(y), Lang::Zh) => format!("（{y} 年度）"),
        (Some(y), Lang::En) => format!(" ({y})"),
        (None, _) => String::new(),
    }
}

/// Why the total got its rating: `99.98 ≥ 90`, or below every other band.
pub fn rating_why(trace: &Trace, lang: Lang) -> String {
    let band = &trace.rating_band;
    let total = column(trace.total.0, 2);
    match (band.op, band.bound) {
        (Some(op), Some(bound)) => {
            let sym = match op {
                BandOp::AtLeast => "≥",
                BandOp::Above => ">",
            };
            format!("{total} {sym} {}", short(bound.0))
        }
        (None, _) | (_, None) => match lang {
            Lang::Zh => format!("{total}，低于其他各档"),
            Lang::En => format!("{total}, below every other band"),
        },
    }
}

/// The total after the rating, in brackets: `（99.98 分）`, ` (99.98 points)`.
pub fn total_aside(trace: &Trace, lang: Lang) -> String {
    let total = column(trace.total.0, 2);
    lang.aside(&match lang {
        Lang::Zh => format!("{total} 分"),
        Lang::En => format!("{total} points"),
    })
}

/// The rounding policy in words, a line per place it applies.
pub fn rounding_lines(trace: &Trace, lang: Lang) -> Vec<String> {
    let l = lang.labels();
    let r = trace.rounding;
    let mut places = vec![(r.mode, r.digits, r.place)];
    places.extend(r.values.map(|v| (v.mode, v.digits, RoundPlace::EachValue)));
    places
        .into_iter()
        .map(|(mode, digits, place)| {
            let place = match (lang, place) {
                (Lang::Zh, RoundPlace::EachIndicator) => "每个指标的得分",
                (Lang::Zh, RoundPlace::Total) => "只用于合计",
                (Lang::Zh, RoundPlace::EachValue) => "每个中间计算值（let）",
                (Lang::En, RoundPlace::EachIndicator) => "each indicator's score",
                (Lang::En, RoundPlace::Total) => "the total only",
                (Lang::En, RoundPlace::EachValue) => "each intermediate value (let)",
            };
            let mode = lang.mode(mode);
            match lang {
                Lang::Zh => format!("{}  {mode}，保留 {digits} 位小数，{place}", l.rounding),
                Lang::En => format!("{}  {mode} to {digits} decimals, {place}", l.rounding),
            }
        })
        .collect()
}

/// The conversion of the total back to the full scale, when indicators were excluded.
pub fn rescale_line(trace: &Trace, lang: Lang) -> Option<String> {
    let r = trace.rescale.as_ref()?;
    let numbers = format!(
        "{} ÷ {} × {} = {}",
        short(r.sum.0),
        short(r.counted.0),
        short(trace.points.0),
        short(r.value.0)
    );
    let words = match lang {
        Lang::Zh => "得分合计 ÷ 参评分值 × 总分",
        Lang::En => "sum ÷ points counted × total",
    };
    Some(format!("{}  {words} = {numbers}", lang.labels().rescale))
}
