//! What `jixiao test --coverage` says of a part of the rules no case reached, in Chinese and
//! English.

use super::Lang;
use crate::eval::{Gap, Unreached};

/// A part no case reached, in words: `tier `< 60%` of `满意度` is never reached`.
pub fn gap(gap: &Gap, lang: Lang) -> String {
    match (&gap.part, lang) {
        (Unreached::NotApplicable { indicator, holds }, Lang::En) => format!(
            "the `not applicable` condition of `{indicator}` never {}",
            holds_or_fails(*holds)
        ),
        (Unreached::NotApplicable { indicator, holds }, Lang::Zh) => format!(
            "“{indicator}”的不适用条件从未{}",
            if *holds { "成立" } else { "不成立" }
        ),
        (Unreached::Alternative { alternative, group }, Lang::En) => {
            format!("alternative `{alternative}` of `{group}` is never the one scored")
        }
        (Unreached::Alternative { alternative, group }, Lang::Zh) => {
            format!("“{group}”的备选指标“{alternative}”从未被选用计分")
        }
        (Unreached::Tier { indicator, tier }, Lang::En) => {
            format!("tier `{tier}` of `{indicator}` is never reached")
        }
        (Unreached::Tier { indicator, tier }, Lang::Zh) => {
            format!("“{indicator}”的分档 {tier} 从未落入")
        }
        (Unreached::Category { indicator, value }, Lang::En) => {
            let which = value
                .as_ref()
                .map_or("else".to_string(), |v| format!("\"{v}\""));
            format!("category {which} of `{indicator}` is never reached")
        }
        (Unreached::Category { indicator, value }, Lang::Zh) => {
            let which = value
                .as_ref()
                .map_or("其他情形（else）".to_string(), |v| format!("“{v}”"));
            format!("“{indicator}”的分类 {which} 从未出现")
        }
        (
            Unreached::Item {
                indicator,
                condition,
                holds,
            },
            Lang::En,
        ) => format!(
            "checklist item `{condition}` of `{indicator}` never {}",
            holds_or_fails(*holds)
        ),
        (
            Unreached::Item {
                indicator,
                condition,
                holds,
            },
            Lang::Zh,
        ) => format!(
            "“{indicator}”的检查项 `{condition}` 从未{}",
            if *holds { "满足" } else { "不满足" }
        ),
        (
            Unreached::Veto {
                indicator,
                condition,
            },
            Lang::En,
        ) => format!("veto `{condition}` of `{indicator}` never applies"),
        (
            Unreached::Veto {
                indicator,
                condition,
            },
            Lang::Zh,
        ) => format!("“{indicator}”的否决项 `{condition}` 从未成立"),
        (Unreached::Deduct { indicator, rule }, Lang::En) => {
            format!("`{rule}` of `{indicator}` never takes points")
        }
        (Unreached::Deduct { indicator, rule }, Lang::Zh) => {
            format!("“{indicator}”的 `{rule}` 从未扣分")
        }
        (Unreached::Cap { indicator }, Lang::En) => {
            format!("`{indicator}` never reaches its cap (满分为止)")
        }
        (Unreached::Cap { indicator }, Lang::Zh) => format!("“{indicator}”从未达到满分为止"),
        (Unreached::Floor { indicator }, Lang::En) => {
            format!("`{indicator}` never reaches its floor (扣完为止)")
        }
        (Unreached::Floor { indicator }, Lang::Zh) => format!("“{indicator}”从未扣完为止"),
        (Unreached::Branch { condition, then }, Lang::En) => format!(
            "the `{}` branch of `if {condition}` is never taken",
            if *then { "then" } else { "else" }
        ),
        (Unreached::Branch { condition, then }, Lang::Zh) => format!(
            "条件 `{condition}` 从未{}（“{}”分支从未执行）",
            if *then { "成立" } else { "不成立" },
            if *then { "则" } else { "否则" }
        ),
    }
}

fn holds_or_fails(holds: bool) -> &'static str {
    if holds { "holds" } else { "fails" }
}
