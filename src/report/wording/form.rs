//! The words of the national 项目支出绩效自评表 as the workbook and the HTML page print it: the
//! header block, the funds block 项目资金（万元）, 年度总体目标, the indicator table's heads, 总分,
//! the remarks and the appendix, in Chinese and English side by side. The form's own canonical
//! keys (docs/forms.md: 主管部门, 当年财政拨款 …) are translated here too, so that an English form
//! prints no Chinese label; a key the catalogue does not know is data and prints as written.

use super::Lang;

/// The labels of the form, one language.
pub struct FormWords {
    /// 项目名称: the trace's department.
    pub project: &'static str,
    /// The year under the title: before and after the year.
    pub year: (&'static str, &'static str),
    /// The funds block's label, down its rows.
    pub funds: &'static str,
    /// The funds block's columns: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分.
    pub funds_heads: [&'static str; 6],
    /// The funds block's total row.
    pub funds_total: &'static str,
    /// Before the first sub-row: 其中：.
    pub of_which: &'static str,
    /// 年度总体目标, and its two columns.
    pub goals: &'static str,
    pub expected: &'static str,
    pub achieved: &'static str,
    /// The label left of the indicator table.
    pub table: &'static str,
    /// 年度指标值, 实际完成值.
    pub target: &'static str,
    pub actual: &'static str,
    /// 偏差原因分析及改进措施.
    pub reason: &'static str,
    /// 总分.
    pub total: &'static str,
    /// The heading of the form's other cells (评价结论, 存在问题 … and what else the form holds).
    pub remarks: &'static str,
    /// The heading of the appendix: the whole computation, the files and the engine.
    pub appendix: &'static str,
    /// What the appendix holds, in a line: on a form, and under an indicator table (whose rows
    /// show where their rules stand on screen).
    pub appendix_note: &'static str,
    pub appendix_files: &'static str,
}

pub const ZH: FormWords = FormWords {
    project: "项目名称",
    year: ("（", "年度）"),
    funds: "项目资金（万元）",
    funds_heads: [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ],
    funds_total: "年度资金总额",
    of_which: "其中：",
    goals: "年度总体目标",
    expected: "预期目标",
    achieved: "实际完成情况",
    table: "绩效指标",
    target: "年度指标值",
    actual: "实际完成值",
    reason: "偏差原因分析及改进措施",
    total: "总分",
    remarks: "评价情况",
    appendix: "附录：计算过程与来源",
    appendix_note: "每个指标的计分规则位置（文件:行）与计算步骤；计分所用文件及其 SHA-256。",
    appendix_files: "计分所用文件及其 SHA-256，计分引擎及其版本。",
};

pub const EN: FormWords = FormWords {
    project: "Project",
    year: ("(year ", ")"),
    funds: "Project funds (10,000 yuan)",
    funds_heads: [
        "Initial budget",
        "Full-year budget",
        "Full-year spending",
        "Points",
        "Execution rate",
        "Score",
    ],
    funds_total: "Total funds of the year",
    of_which: "of which: ",
    goals: "Overall goals of the year",
    expected: "Expected",
    achieved: "Achieved",
    table: "Performance indicators",
    target: "Annual target",
    actual: "Actual value",
    reason: "Reasons for deviations and improvements",
    total: "Total score",
    remarks: "Evaluation",
    appendix: "Appendix: the computation and its sources",
    appendix_note: "Where each indicator's rule stands (file:line) and its steps; the files scored, with their SHA-256.",
    appendix_files: "The files scored, with their SHA-256, and the engine with its version.",
};

impl Lang {
    /// The words of the national 自评表.
    pub fn form(self) -> &'static FormWords {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// The year under the form's title: `（2023年度）`, `(year 2023)`.
pub fn year(year: &str, lang: Lang) -> String {
    let (before, after) = lang.form().year;
    format!("{before}{year}{after}")
}

/// A canonical key of the form (a header cell, a funds row) in the language of the report:
/// the key itself in Chinese; in English its translation, or the key as written when the
/// catalogue does not know it (then it is the data's own word).
pub fn key(key: &str, lang: Lang) -> &str {
    if lang == Lang::Zh {
        return key;
    }
    KEYS.iter()
        .find(|(zh, _)| *zh == key)
        .map_or(key, |(_, en)| en)
}

/// The keys of docs/forms.md (section B) and their English.
const KEYS: [(&str, &str); 16] = [
    ("主管部门", "Competent department"),
    ("实施单位", "Implementing unit"),
    ("预期目标", "Expected"),
    ("实际完成情况", "Achieved"),
    ("评价结论", "Conclusion"),
    ("存在问题", "Problems"),
    ("改进措施", "Improvements"),
    ("当年财政拨款", "Fiscal appropriation of the year"),
    ("上年结转资金", "Carried over from last year"),
    ("其他资金", "Other funds"),
    ("财政资金", "Fiscal funds"),
    ("财政专户管理资金", "Funds in fiscal special accounts"),
    ("单位资金", "The unit's own funds"),
    ("原因", "Reasons"),
    ("年度", "Year"),
    ("项目名称", "Project"),
];
