//! The keywords of the rule language, each with its English and its Chinese spelling. The
//! grammar (`grammar/jixiao.pest`) accepts either wherever the keyword stands, and both lower
//! to the same AST; the formatter reads this table to write a file in one spelling
//! (`jixiao fmt --keywords zh|en`), and docs/language.md lists it.
//!
//! A keyword is a whole word in either script: it ends where a name could not go on (a space,
//! a line break, punctuation). Chinese is written without spaces between words, so this is
//! what keeps names that start with a keyword (`得分率`, `指标值`, `扣分合计`) names: the parser
//! reads the longest run of letters and digits as one word, and only a word that *is* a
//! keyword is one. `得分执行率` is therefore a name, and the score rule is `得分 执行率`.
//!
//! Where English needs two words the Chinese is one (`one of` is `择一`, `split by` is `按`):
//! such a keyword is a phrase here, and the Chinese word is not split.

use pest::Parser;

use super::{Grammar, Rule};
use crate::source::Span;

/// A keyword's two spellings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Word {
    /// The keyword as `spelling` writes it.
    pub fn spelled(self, spelling: Spelling) -> &'static str {
        match spelling {
            Spelling::English => self.en,
            Spelling::Chinese => self.zh,
        }
    }
}

/// Which of its spellings a keyword is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    English,
    Chinese,
}

impl Spelling {
    /// The spelling of a keyword as written: Chinese when it holds anything but ASCII.
    pub fn of(text: &str) -> Spelling {
        if text.is_ascii() {
            Spelling::English
        } else {
            Spelling::Chinese
        }
    }
}

macro_rules! words {
    ($($(#[$doc:meta])* $name:ident = $en:literal, $zh:literal;)*) => {
        $($(#[$doc])* pub const $name: Word = Word { en: $en, zh: $zh };)*
        /// Every keyword, in the order docs/language.md lists them.
        pub const ALL: &[Word] = &[$($name),*];
    };
}

words! {
    // The header.
    RULEBOOK = "rulebook", "评分表";
    IMPORT = "import", "导入";
    OVERRIDE = "override", "替换";
    TOTAL = "total", "总分";
    ROUND = "round", "舍入";
    HALF_UP = "half_up", "四舍五入";
    HALF_EVEN = "half_even", "银行家舍入";
    TRUNCATE = "truncate", "截断";
    EACH = "each", "各";
    /// `each value`: every intermediate value (`let`).
    VALUE = "value", "中间值";
    RATING = "rating", "等级";
    // Inputs.
    SCALE = "scale", "档次";
    INPUT = "input", "输入";
    MONEY = "money", "金额";
    NUMBER = "number", "数值";
    PERCENT = "percent", "百分比";
    COUNT = "count", "计数";
    YESNO = "yesno", "是否";
    TEXT = "text", "文本";
    TARGET_LIST = "list of target", "目标列表";
    FINDING_LIST = "list of finding", "问题列表";
    /// Of a type (`one of "甲", "乙"`) and of alternatives (二者择其一).
    ONE_OF = "one of", "择一";
    JUDGEMENT = "judgement", "评定";
    /// A band's rate when a graded row's own score is not in it.
    DEFAULT = "default", "默认";
    /// The words of 实际完成值 that mean a band.
    WORDS = "words", "写作";
    /// `list of target graded 定性`: the scale qualitative records are graded on.
    GRADED = "graded", "定性按";
    OPTIONAL = "optional", "可选";
    // Indicators.
    LET = "let", "令";
    INDICATOR = "indicator", "指标";
    POINTS = "points", "分值";
    BASIS = "basis", "评分标准";
    NOT_APPLICABLE = "not applicable", "不适用";
    FULL = "full", "计满分";
    EXCLUDE = "exclude", "剔除";
    REDISTRIBUTE = "redistribute", "重新分配";
    TO = "to", "给";
    SCORE = "score", "得分";
    TARGETS = "targets", "目标";
    /// The weights of the records' 一级指标.
    LEVELS = "levels", "层级";
    /// `levels … warn`: a form off the weights is scored, with a warning.
    WARN = "warn", "仅警告";
    SPLIT_EQUALLY = "split equally", "均分";
    SPLIT_BY = "split by", "按";
    OVERSHOOT = "overshoot", "超出";
    TIERS = "tiers", "分档";
    CATEGORY = "category", "分类";
    CHECKLIST = "checklist", "检查清单";
    VETO = "veto", "否决";
    DEDUCT = "deduct", "扣";
    PER = "per", "每";
    /// 进一法: every unit begun counts (不足一个按一个计).
    STARTED = "started", "进一";
    /// 去尾法: only whole units count (不足一个不扣).
    WHOLE = "whole", "去尾";
    ABOVE = "above", "高于";
    BELOW = "below", "低于";
    /// The `of` of a deduction per point: `每 1% 高于 100% 按 控制率`.
    OF = "of", "按";
    // Expressions.
    IF = "if", "如果";
    THEN = "then", "则";
    ELSE = "else", "否则";
    AND = "and", "且";
    OR = "or", "或";
    NOT = "not", "非";
    TRUE = "true", "是";
    FALSE = "false", "否";
}

/// The keywords that start a statement, inside a block or at the top level.
pub const STATEMENTS: [Word; 15] = [
    IMPORT,
    OVERRIDE,
    NOT_APPLICABLE,
    INDICATOR,
    INPUT,
    LET,
    RULEBOOK,
    SCORE,
    BASIS,
    TARGETS,
    LEVELS,
    TIERS,
    DEDUCT,
    CHECKLIST,
    CATEGORY,
];

/// The settings of a header.
pub const SETTINGS: [Word; 3] = [TOTAL, ROUND, RATING];

/// Where each keyword of a file that parses stands and how it is spelled, in file order (the
/// first word of a phrase such as `split by` stands for the phrase). Empty when the file does
/// not parse.
pub fn spellings(text: &str) -> Vec<(Span, Spelling)> {
    let Ok(pairs) = Grammar::parse(Rule::file, text) else {
        return Vec::new();
    };
    let mut out: Vec<(Span, Spelling)> = pairs
        .flatten()
        .filter(|p| is_keyword(p.as_rule()))
        .map(|p| {
            let span = p.as_span();
            (
                Span::new(span.start(), span.end()),
                Spelling::of(p.as_str()),
            )
        })
        .collect();
    out.sort_by_key(|(span, _)| span.start());
    out
}

/// Whether a grammar rule is a keyword token: a `kw_` rule, or a word operator, which spells
/// its keyword itself (see `op_or` in the grammar).
fn is_keyword(rule: Rule) -> bool {
    matches!(rule, Rule::op_or | Rule::op_and | Rule::op_not)
        || format!("{rule:?}").starts_with("kw_")
}
