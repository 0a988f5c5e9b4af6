//! The words of the printed trace, in Chinese (the default) and English.

use crate::model::RoundMode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// 中文
    #[default]
    Zh,
    /// English
    En,
}

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
    pub input: &'static str,
    pub let_: &'static str,
    pub score_step: &'static str,
    pub share: &'static str,
    pub target: &'static str,
    pub cap: &'static str,
    pub floor: &'static str,
    pub round: &'static str,
    pub level: [&'static str; 3],
    pub losses: &'static str,
    pub rank: &'static str,
    pub why: &'static str,
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
    input: "输入",
    let_: "计算",
    score_step: "得分",
    share: "分配",
    target: "目标",
    cap: "满分为止",
    floor: "扣完为止",
    round: "舍入",
    level: ["一级指标", "二级指标", "三级指标"],
    losses: "扣分最多的指标",
    rank: "排名",
    why: "扣分原因",
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
    input: "Input",
    let_: "Let",
    score_step: "Score",
    share: "Share",
    target: "Target",
    cap: "Capped",
    floor: "Floored",
    round: "Rounded",
    level: ["Level 1", "Level 2", "Level 3"],
    losses: "Where points were lost",
    rank: "Rank",
    why: "Why points were lost",
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
}
