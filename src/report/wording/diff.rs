//! The phrases of a rule comparison (`jixiao diff`), in Chinese and English; the layout is
//! `report::diff`'s.

use super::Lang;

/// The two sides of a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Old,
    New,
}

/// A department one side could not score: the headline of the error and its code.
pub fn cannot_score(side: Side, headline: &str, code: &str, lang: Lang) -> String {
    match (side, lang) {
        (Side::Old, Lang::Zh) => format!("原规则无法计分：{headline}（{code}）"),
        (Side::New, Lang::Zh) => format!("新规则无法计分：{headline}（{code}）"),
        (Side::Old, Lang::En) => format!("the old rules cannot score it: {headline} ({code})"),
        (Side::New, Lang::En) => format!("the new rules cannot score it: {headline} ({code})"),
    }
}

/// The departments whose totals, ratings and steps did not change.
pub fn unchanged(names: &[&str], lang: Lang) -> String {
    let names = names.join(lang.labels().list);
    match lang {
        Lang::Zh => format!("未变化：{names}"),
        Lang::En => format!("Unchanged: {names}"),
    }
}

/// `汇总`, `Summary`.
pub fn summary_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "汇总",
        Lang::En => "Summary",
    }
}

/// How many of the departments changed, changed rating, and could not be scored.
pub fn summary(
    departments: usize,
    changed: usize,
    rating_changed: usize,
    failed: usize,
    lang: Lang,
) -> String {
    let n = departments;
    let failed = match (failed, lang) {
        (0, _) => String::new(),
        (f, Lang::Zh) => format!("，{f} 个无法计分"),
        (f, Lang::En) => format!(", {f} could not be scored"),
    };
    match lang {
        Lang::Zh => {
            format!("{n} 个部门中 {changed} 个有变化，{rating_changed} 个评级有变化{failed}")
        }
        Lang::En => {
            format!("{changed} of {n} departments changed, {rating_changed} changed rating{failed}")
        }
    }
}

/// The end of a sentence: `。`, `.`.
pub fn full_stop(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "。",
        Lang::En => ".",
    }
}

/// `变动最大`, `Largest moves`.
pub fn largest_moves(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "变动最大",
        Lang::En => "Largest moves",
    }
}

/// The heads of the Markdown table's columns.
pub fn table_heads(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Zh => ["部门", "原合计", "新合计", "变化", "原评级", "新评级"],
        Lang::En => [
            "Department",
            "Old total",
            "New total",
            "Change",
            "Old rating",
            "New rating",
        ],
    }
}

/// In the Markdown table's change column, before the codes of the errors.
pub fn cannot_score_short(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "无法计分",
        Lang::En => "cannot score",
    }
}

/// After the number of a department's indicators that changed.
pub fn indicators_changed(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "个指标有变化",
        Lang::En => "indicators changed",
    }
}
