//! Each step of the trace in words: its label (`输入`, `Score` …) and the sentence after it, in
//! Chinese and English; and, for the tables, a target record's target and why an indicator lost
//! points. Every match over [`Step`] here is exhaustive: a new kind of step does not compile
//! until it has its words.

use rust_decimal::Decimal;

use super::{Labels, Lang};
use crate::model::Policy;
use crate::number::short;
use crate::trace::{Node, Reweight, Split, Step, Transfer};

/// One step in words: the label, then what the step did. The text printer writes them two
/// spaces apart (`得分  执行率 × 分值 = …`); the HTML printer sets the label apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepWords {
    pub label: &'static str,
    pub body: String,
}

impl std::fmt::Display for StepWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}  {}", self.label, self.body)
    }
}

/// A step in words.
pub fn step(step: &Step, lang: Lang) -> StepWords {
    let l: &Labels = lang.labels();
    let zh = lang == Lang::Zh;
    let (label, body) = match step {
        Step::Input { name, value } => (l.input, format!("{name} = {value}")),
        Step::Let {
            name,
            formula,
            substituted,
            value,
            unrounded,
        } => (
            l.let_,
            match unrounded {
                // Rounded as it was computed (`round … each value`): the exact value, then the
                // one used.
                Some(exact) => format!(
                    "{name} = {} → {}",
                    chain(formula, substituted, exact.0),
                    short(value.0)
                ),
                None => format!("{name} = {}", chain(formula, substituted, value.0)),
            },
        ),
        Step::Score {
            formula,
            substituted,
            value,
        } => {
            // A met target scores its share in full; the evaluator writes its formula as
            // `分值` with the share in. (Left for the typed trace: a field saying so.)
            let body = if formula == "分值" && substituted == &short(value.0) {
                match lang {
                    Lang::Zh => format!("达成，计满分 {}", short(value.0)),
                    Lang::En => format!("met, full points {}", short(value.0)),
                }
            } else {
                chain(formula, substituted, value.0)
            };
            (l.score_step, body)
        }
        Step::Share {
            points,
            records,
            split,
            share,
            larger,
            unit,
        } => {
            let (points, share, unit) = (short(points.0), short(share.0), short(unit.0));
            let body = match (split, zh, larger) {
                (Split::Equally, true, 0) => {
                    format!("{points} 分由 {records} 项平均分配，每项 {share}")
                }
                (Split::Equally, true, n) => format!(
                    "{points} 分由 {records} 项平均分配，每项 {share}，前 {n} 项各多 {unit}（使合计恰为 {points}）"
                ),
                (Split::Equally, false, 0) => {
                    format!("{points} points shared evenly by {records} records, {share} each")
                }
                (Split::Equally, false, n) => format!(
                    "{points} points shared evenly by {records} records, {share} each, the first {n} {unit} more (so they add up to {points})"
                ),
                (Split::ByPoints, true, _) => format!("{points} 分按各项自己的分值分配"),
                (Split::ByPoints, false, _) => {
                    format!("{points} points by each record's own points")
                }
            };
            (l.share, body)
        }
        Step::Target {
            name,
            op: _,
            target,
            actual,
            met,
            reason,
            overshot,
        } => {
            let name = name
                .as_ref()
                .map(|n| format!("{n}{}", l.colon))
                .unwrap_or_default();
            let verdict = verdict(*met, *overshot, lang);
            let reason = match (reason, zh) {
                (Some(r), true) => format!("（偏差原因：{r}）"),
                (Some(r), false) => format!(" (reason: {r})"),
                (None, _) => String::new(),
            };
            let body = match lang {
                Lang::Zh => {
                    format!("{name}指标值 {target}，实际完成值 {actual}：{verdict}{reason}")
                }
                Lang::En => format!("{name}{target}, actual {actual}: {verdict}{reason}"),
            };
            (l.target, body)
        }
        Step::Tier {
            formula,
            substituted,
            value,
            tier,
            score_formula,
            score_substituted,
            score,
        } => {
            // Beside tiers written in percentages, the value as a percentage too: 0.8（80%）, 0.8 (80%).
            let as_percent = value
                .0
                .checked_mul(Decimal::ONE_HUNDRED)
                .filter(|_| tier.contains(['%', '％']) && !substituted.contains('%'))
                .map(|p| lang.aside(&format!("{}%", short(p))))
                .unwrap_or_default();
            let value = format!("{}{as_percent}", chain(formula, substituted, value.0));
            let score = chain(score_formula, score_substituted, score.0);
            let body = match lang {
                Lang::Zh => format!("{value}，落在 {tier}，得 {score}"),
                Lang::En => format!("{value}, in {tier}: {score}"),
            };
            (l.tier, body)
        }
        Step::Category {
            formula,
            value,
            matched,
            score,
        } => {
            let score = short(score.0);
            // The evaluator names the `else` arm `else`. (Left for the typed trace: an arm
            // that is not a name.)
            let body = match (zh, matched.as_str()) {
                (true, "else") => format!("{formula} = “{value}”，属其他情形，得 {score}"),
                (true, _) => format!("{formula} = “{value}”，得 {score}"),
                (false, "else") => format!("{formula} = “{value}” (else): {score}"),
                (false, _) => format!("{formula} = “{value}”: {score}"),
            };
            (l.category, body)
        }
        Step::Check {
            item,
            holds,
            points,
        } => {
            let body = match (zh, holds) {
                (true, true) => format!("{item}：是，得 {}", short(points.0)),
                (true, false) => format!("{item}：否，得 0"),
                (false, true) => format!("{item}: yes, {}", short(points.0)),
                (false, false) => format!("{item}: no, 0"),
            };
            (l.check, body)
        }
        Step::Veto { condition, reason } => {
            let reason = reason.as_deref().unwrap_or("");
            let body = match lang {
                Lang::Zh => format!("{condition} 成立：{reason}，得 0"),
                Lang::En => format!("{condition} holds: {reason}; 0"),
            };
            (l.veto, body)
        }
        Step::Deduction { reason, amount } => {
            (l.deduct, format!("{}{}{reason}", short(amount.0), l.colon))
        }
        Step::NotApplicable {
            condition,
            policy,
            points,
            to,
            with,
        } => (
            l.not_applicable,
            not_applicable(condition, *policy, short(points.0), to, with, lang),
        ),
        Step::NotChosen { chosen } => {
            let body = match lang {
                Lang::Zh => format!("择一计分，已按“{chosen}”计分"),
                Lang::En => format!("one of: “{chosen}” was scored"),
            };
            (l.not_chosen, body)
        }
        Step::Reweight { from, to, cause } => (l.points, reweight(*from, *to, cause, lang)),
        Step::Scale {
            score,
            declared,
            points,
            value,
        } => {
            let numbers = format!(
                "{} × {} ÷ {} = {}",
                short(score.0),
                short(points.0),
                short(declared.0),
                short(value.0)
            );
            let body = match lang {
                Lang::Zh => format!("得分 × 调整后分值 ÷ 原分值 = {numbers}"),
                Lang::En => format!("score × new points ÷ declared points = {numbers}"),
            };
            (l.scale, body)
        }
        Step::Cap { from, to } => (l.cap, format!("{} → {}", short(from.0), short(to.0))),
        Step::Floor { from, to } => (l.floor, format!("{} → {}", short(from.0), short(to.0))),
        Step::Round {
            mode,
            digits,
            from,
            to,
        } => {
            let (mode, from, to) = (lang.mode(*mode), short(from.0), short(to.0));
            let body = match lang {
                Lang::Zh => format!("{mode}（{digits} 位小数）{from} → {to}"),
                Lang::En => format!("{mode} to {digits} decimals: {from} → {to}"),
            };
            (l.round, body)
        }
    };
    StepWords { label, body }
}

/// Whether a target was met, or met too well (beyond a count ratio's overshoot band).
fn verdict(met: bool, overshot: bool, lang: Lang) -> &'static str {
    match (overshot, met, lang) {
        (true, _, Lang::Zh) => "超出指标值过多，不计为达标",
        (true, _, Lang::En) => "exceeded beyond the overshoot band: not met",
        (false, true, Lang::Zh) => "达成",
        (false, false, Lang::Zh) => "未达成",
        (false, true, Lang::En) => "met",
        (false, false, Lang::En) => "not met",
    }
}

/// An indicator that does not apply: the condition that held and what became of its points.
fn not_applicable(
    condition: &str,
    policy: Option<Policy>,
    points: String,
    to: &[Transfer],
    with: &[String],
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    let to: Vec<String> = to
        .iter()
        .map(|t| format!("{} {}", t.name, short(t.points.0)))
        .collect();
    let to = to.join(lang.labels().list);
    // Pooled with siblings: the first of them lists the pool, the others point to it.
    let spread = match (to.is_empty(), with.is_empty(), zh) {
        (false, true, true) => format!("分值 {points} 按比例分配给：{to}"),
        (false, false, true) => format!(
            "分值 {points} 与“{}”的分值一并按比例分配给：{to}",
            with.join("”“")
        ),
        (true, _, true) => format!(
            "分值 {points} 与“{}”的分值一并分配（见该指标）",
            with.join("”“")
        ),
        (false, true, false) => format!("its {points} points spread in proportion to {to}"),
        (false, false, false) => format!(
            "its {points} points, with those of {}, spread in proportion to {to}",
            with.join(", ")
        ),
        (true, _, false) => format!(
            "its {points} points spread together with those of {} (see there)",
            with.join(", ")
        ),
    };
    match (policy, zh) {
        (Some(Policy::Full), true) => format!("{condition} 成立，按满分计 {points}"),
        (Some(Policy::Exclude), true) => {
            format!("{condition} 成立，不参与评分，分值 {points} 不计入（合计按参评分值折算）")
        }
        (Some(Policy::Redistribute), true) => format!("{condition} 成立，{spread}"),
        (None, true) => format!("{condition} 成立，改评下一备选指标"),
        (Some(Policy::Full), false) => format!("{condition} holds: full points {points}"),
        (Some(Policy::Exclude), false) => format!(
            "{condition} holds: left out, its {points} points not counted (the total is converted back to full scale)"
        ),
        (Some(Policy::Redistribute), false) => format!("{condition} holds: {spread}"),
        (None, false) => format!("{condition} holds: the next alternative is scored"),
    }
}

/// Why an indicator's points changed from those declared.
fn reweight(
    from: crate::trace::Dec,
    to: crate::trace::Dec,
    cause: &Reweight,
    lang: Lang,
) -> String {
    let (a, b, added) = (short(from.0), short(to.0), short(to.0 - from.0));
    match (cause, lang) {
        (
            Reweight::Redistributed {
                from: names,
                givers,
            },
            Lang::Zh,
        ) => {
            let more = if *givers > names.len() {
                format!("等 {givers} 项")
            } else {
                String::new()
            };
            format!(
                "{a} + {added}（不适用指标“{}”{more}的分值按比例转入）= {b}",
                names.join("”“")
            )
        }
        (
            Reweight::Redistributed {
                from: names,
                givers,
            },
            Lang::En,
        ) => {
            let more = if *givers > names.len() {
                format!(" and others ({givers} in all)")
            } else {
                String::new()
            };
            let verb = if *givers == 1 {
                "which does not apply"
            } else {
                "which do not apply"
            };
            format!(
                "{a} + {added} (a share of the points of {}{more}, {verb}) = {b}",
                names.join(", ")
            )
        }
        (Reweight::Scaled { parent }, Lang::Zh) => {
            format!("随“{parent}”的分值同比例调整：{a} → {b}")
        }
        (Reweight::Scaled { parent }, Lang::En) => {
            format!("in proportion to the points of {parent}: {a} → {b}")
        }
    }
}

/// `formula = substituted = value`, leaving out a middle part that repeats the one before it.
fn chain(formula: &str, substituted: &str, value: Decimal) -> String {
    let value = short(value);
    let mut parts = vec![formula];
    if substituted != formula {
        parts.push(substituted);
    }
    if parts.last() != Some(&value.as_str()) {
        parts.push(&value);
    }
    parts.join(" = ")
}

/// Why a leaf lost points, from its steps: each deduction with its amount, a veto, the tier or
/// category it fell in, the checklist items not met, a target missed, or a formula's result;
/// for an indicator that was not scored, why not. Empty for groups (their children say it) and
/// for rows that lost nothing.
pub fn why_lost(node: &Node, lang: Lang) -> String {
    // An indicator that was not scored says so, whatever it lost.
    if let Some(s) = node
        .steps
        .iter()
        .find(|s| matches!(s, Step::NotApplicable { .. } | Step::NotChosen { .. }))
    {
        return step(s, lang).to_string();
    }
    if node.deduction.0.is_zero() || !node.children.is_empty() {
        return String::new();
    }
    let mut why: Vec<String> = node.steps.iter().filter_map(|s| loss(s, lang)).collect();
    if why.is_empty()
        && let Some(Step::Score { formula, value, .. }) =
            node.steps.iter().find(|s| matches!(s, Step::Score { .. }))
    {
        why.push(format!("{formula} = {}", short(value.0)));
    }
    why.join(match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    })
}

/// What one step says about points lost, if anything.
fn loss(s: &Step, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    match s {
        Step::Deduction { reason, amount } if !amount.0.is_zero() => {
            let amount = short(amount.0);
            Some(match lang {
                Lang::Zh => format!("{reason}（扣 {amount}）"),
                Lang::En => format!("{reason} (−{amount})"),
            })
        }
        Step::Veto { reason, .. } => {
            let reason = reason.as_deref().unwrap_or("");
            Some(match lang {
                Lang::Zh => format!("否决：{reason}"),
                Lang::En => format!("veto: {reason}"),
            })
        }
        Step::Tier { tier, .. } => Some(if zh {
            format!("落在 {tier}")
        } else {
            format!("in {tier}")
        }),
        Step::Category { value, .. } => Some(format!("“{value}”")),
        Step::Check {
            item, holds: false, ..
        } => Some(match lang {
            Lang::Zh => format!("未满足：{item}"),
            Lang::En => format!("not met: {item}"),
        }),
        Step::Target {
            met: false,
            overshot,
            ..
        } => Some(verdict(false, *overshot, lang).into()),
        // Nothing lost by these, or said by the first check above.
        Step::Input { .. }
        | Step::Let { .. }
        | Step::Score { .. }
        | Step::Deduction { .. }
        | Step::Check { holds: true, .. }
        | Step::Share { .. }
        | Step::Target { met: true, .. }
        | Step::NotApplicable { .. }
        | Step::NotChosen { .. }
        | Step::Reweight { .. }
        | Step::Scale { .. }
        | Step::Cap { .. }
        | Step::Floor { .. }
        | Step::Round { .. } => None,
    }
}

/// For a target record: "指标值 ≥4篇，实际完成值 4篇".
pub fn target_text(node: &Node, lang: Lang) -> Option<String> {
    node.steps.iter().find_map(|s| {
        let Step::Target {
            target,
            actual,
            reason,
            ..
        } = s
        else {
            return None;
        };
        Some(match (reason, lang) {
            (Some(r), Lang::Zh) => format!("指标值 {target}，实际完成值 {actual}；偏差原因：{r}"),
            (None, Lang::Zh) => format!("指标值 {target}，实际完成值 {actual}"),
            (Some(r), Lang::En) => format!("target {target}, actual {actual}; reason: {r}"),
            (None, Lang::En) => format!("target {target}, actual {actual}"),
        })
    })
}
