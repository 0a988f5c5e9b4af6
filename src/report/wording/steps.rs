//! Each step of the trace in words: its label (`输入`, `Score` …) and the sentence after it, in
//! Chinese and English; and, for the tables, a target record's target and why an indicator lost
//! points. Every match over [`Step`] here is exhaustive: a new kind of step does not compile
//! until it has its words.

use rust_decimal::Decimal;

use super::terms::{self, computed, datum, quoted, shows_percent, substituted};
use super::{Labels, Lang};
use crate::compare::Line;
use crate::data::GradeFrom;
use crate::data::target::TargetOp;
use crate::model::{Counting, Policy};
use crate::number::short;
use crate::trace::{
    Completion, Deducted, GradeStep, Node, Reweight, Split, Step, Term, TierStep, Transfer, Value,
};

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
        Step::Input { name, value } => (l.input, format!("{name} = {}", datum(value, lang))),
        Step::Let {
            name,
            formula,
            value,
            unrounded,
        } => {
            let shown = computed(value, lang);
            (
                l.let_,
                match unrounded {
                    // Rounded as it was computed (`round … each value`): the exact value, then
                    // the one used.
                    Some(exact) => format!(
                        "{name} = {} → {shown}",
                        chain(formula, &short(exact.0), lang)
                    ),
                    None => format!("{name} = {}", chain(formula, &shown, lang)),
                },
            )
        }
        Step::Score { formula, value } => (l.score_step, chain(formula, &short(value.0), lang)),
        Step::Deductions {
            points,
            deducted,
            value,
        } => {
            let words = match lang {
                Lang::Zh => "分值 − 扣分合计",
                Lang::En => "points − deductions",
            };
            let numbers = format!("{} − {}", short(points.0), short(deducted.0));
            (l.score_step, join(&[words, &numbers], &short(value.0)))
        }
        Step::Checklist {
            earned,
            vetoed,
            value,
        } => {
            let words = match (vetoed, lang) {
                (true, Lang::Zh) => "否决",
                (true, Lang::En) => "veto",
                (false, Lang::Zh) => "各项得分之和",
                (false, Lang::En) => "sum of the items",
            };
            let numbers = if *vetoed {
                "0".to_string()
            } else {
                earned
                    .iter()
                    .map(|e| short(e.0))
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            (l.score_step, join(&[words, &numbers], &short(value.0)))
        }
        Step::TargetScore {
            share,
            completion,
            numerator,
            denominator,
            value,
        } => {
            let body = match completion {
                None => match lang {
                    Lang::Zh => format!("达成，计满分 {}", short(value.0)),
                    Lang::En => format!("met, full points {}", short(value.0)),
                },
                Some(c) => {
                    let words = match (c, lang) {
                        (Completion::ActualOverTarget, Lang::Zh) => "实际完成值 ÷ 指标值 × 分值",
                        (Completion::TargetOverActual, Lang::Zh) => "指标值 ÷ 实际完成值 × 分值",
                        (Completion::Reported, Lang::Zh) => "自评得分 ÷ 本项分值 × 分值",
                        (Completion::Default, Lang::Zh) => "本档默认得分率 × 分值",
                        (Completion::ActualOverTarget, Lang::En) => "actual ÷ target × points",
                        (Completion::TargetOverActual, Lang::En) => "target ÷ actual × points",
                        (Completion::Reported, Lang::En) => "reported ÷ own points × points",
                        (Completion::Default, Lang::En) => "the band's default rate × points",
                    };
                    let numbers = match c {
                        Completion::Default => {
                            format!("{} × {}", percent(numerator.0), short(share.0))
                        }
                        Completion::ActualOverTarget
                        | Completion::TargetOverActual
                        | Completion::Reported => format!(
                            "{} ÷ {} × {}",
                            short(numerator.0),
                            short(denominator.0),
                            short(share.0)
                        ),
                    };
                    join(&[words, &numbers], &short(value.0))
                }
            };
            (l.score_step, body)
        }
        Step::MetRatio {
            met,
            records,
            points,
            value,
        } => {
            let words = match lang {
                Lang::Zh => "达标个数 ÷ 指标个数 × 分值",
                Lang::En => "targets met ÷ targets × points",
            };
            let numbers = format!("{met} ÷ {records} × {}", short(points.0));
            (l.score_step, join(&[words, &numbers], &short(value.0)))
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
                    "{points} points shared evenly by {records} records, {share} each and {unit} more for the first {n} (so they add up to {points})"
                ),
                (Split::ByPoints, true, _) => format!("{points} 分按各项自己的分值分配"),
                (Split::ByPoints, false, _) => {
                    format!("{points} points by each record's own points")
                }
            };
            (l.share, body)
        }
        Step::Target {
            note,
            target,
            actual,
            met,
            overshot,
            ..
        } => {
            let reason = note.reason();
            let name = note
                .name()
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
        Step::Grade(step) => {
            let GradeStep {
                name,
                target,
                actual,
                scale,
                grade,
                from,
                range,
                reported,
                reason,
            } = &**step;
            let name = name
                .as_ref()
                .map(|n| format!("{n}{}", l.colon))
                .unwrap_or_default();
            let from = match (from, lang) {
                (GradeFrom::Column, Lang::Zh) => "按等级栏".to_string(),
                (GradeFrom::Words, Lang::Zh) => format!("按档次 {scale} 的写法"),
                (GradeFrom::SameAsTarget, Lang::Zh) => "实际完成值与指标值相同".to_string(),
                (GradeFrom::Column, Lang::En) => "from its 等级".to_string(),
                (GradeFrom::Words, Lang::En) => format!("by the words of scale {scale}"),
                (GradeFrom::SameAsTarget, Lang::En) => "the actual value is the target".to_string(),
            };
            let reported = match (reported, zh) {
                (Some(r), true) => format!("，自评得分 {}", short(r.0)),
                (Some(r), false) => format!(", reported {}", short(r.0)),
                (None, _) => String::new(),
            };
            let reason = match (reason, zh) {
                (Some(r), true) => format!("（偏差原因：{r}）"),
                (Some(r), false) => format!(" (reason: {r})"),
                (None, _) => String::new(),
            };
            let body = match lang {
                Lang::Zh => format!(
                    "{name}指标值 {target}（定性），实际完成值 {actual}：评为“{grade}”（{from}），得分率 {range}{reported}{reason}"
                ),
                Lang::En => format!(
                    "{name}{target} (qualitative), actual {actual}: graded {grade} ({from}), rate {range}{reported}{reason}"
                ),
            };
            (l.target, body)
        }
        Step::Tier(tier) => {
            let TierStep {
                formula,
                value,
                percent,
                label,
                score_formula,
                score,
                ..
            } = &**tier;
            // Beside tiers written in percentages, the value as a percentage too: 0.8（80%）, 0.8 (80%).
            let as_percent = value
                .0
                .checked_mul(Decimal::ONE_HUNDRED)
                .filter(|_| *percent && !shows_percent(formula))
                .map(|p| lang.aside(&format!("{}%", short(p))))
                .unwrap_or_default();
            let value = format!("{}{as_percent}", chain(formula, &short(value.0), lang));
            let score = chain(score_formula, &short(score.0), lang);
            let body = match lang {
                Lang::Zh => format!("{value}，落在 {label}，得 {score}"),
                Lang::En => format!("{value}, in {label}: {score}"),
            };
            (l.tier, body)
        }
        Step::Category {
            formula,
            value,
            matched,
            score,
        } => {
            let (formula, score) = (terms::formula(formula, lang), short(score.0));
            let value = category_value(value, lang);
            let body = match (zh, matched) {
                (true, None) => format!("{formula} = {value}，属其他情形，得 {score}"),
                (true, Some(_)) => format!("{formula} = {value}，得 {score}"),
                (false, None) => format!("{formula} = {value} (else): {score}"),
                (false, Some(_)) => format!("{formula} = {value}: {score}"),
            };
            (l.category, body)
        }
        Step::Check {
            condition,
            holds,
            points,
        } => {
            let item = terms::formula(condition, lang);
            let body = match (zh, holds) {
                (true, true) => format!("{item}：是，得 {}", short(points.0)),
                (true, false) => format!("{item}：否，得 0"),
                (false, true) => format!("{item}: yes, {}", short(points.0)),
                (false, false) => format!("{item}: no, 0"),
            };
            (l.check, body)
        }
        Step::Veto { condition, reason } => {
            let condition = terms::formula(condition, lang);
            let reason = reason.as_deref().unwrap_or("");
            let body = match lang {
                Lang::Zh => format!("{condition} 成立：{reason}，得 0"),
                Lang::En => format!("{condition} holds: {reason}; 0"),
            };
            (l.veto, body)
        }
        Step::Deduction { amount, why } => (
            l.deduct,
            format!("{}{}{}", short(amount.0), l.colon, deducted(why, lang)),
        ),
        Step::NotApplicable {
            condition,
            policy,
            points,
            to,
            with,
        } => (
            l.not_applicable,
            not_applicable(
                &terms::formula(condition, lang),
                *policy,
                short(points.0),
                to,
                with,
                lang,
            ),
        ),
        Step::NotChosen { chosen } => {
            let body = match lang {
                Lang::Zh => format!("择一计分，已按{}计分", quoted(chosen, lang)),
                Lang::En => format!("one of: {} was scored", quoted(chosen, lang)),
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

/// Why a `deduct` line took what it took.
fn deducted(why: &Deducted, lang: Lang) -> String {
    match why {
        Deducted::Finding {
            list,
            index,
            description,
        } => match lang {
            Lang::Zh => format!("{list}第 {index} 例：{description}"),
            Lang::En => format!("{list} #{index}: {description}"),
        },
        Deducted::NoFindings { list } => match lang {
            Lang::Zh => format!("{list}：无记录"),
            Lang::En => format!("{list}: none recorded"),
        },
        Deducted::Condition { condition, holds } => {
            let shown = format!(
                "{} = {}",
                terms::formula(condition, lang),
                substituted(condition, lang)
            );
            match (lang, holds) {
                (Lang::Zh, true) => format!("{shown}：成立"),
                (Lang::Zh, false) => format!("{shown}：不成立"),
                (Lang::En, true) => format!("{shown}: holds"),
                (Lang::En, false) => format!("{shown}: does not hold"),
            }
        }
        Deducted::PerUnit {
            measured,
            value,
            percent,
            above,
            standard,
            per,
            each,
            counting,
            excess,
            counted,
        } => {
            // Display only: a value too large to show as a percentage is shown as it is.
            let as_percent = |x: Decimal| x.checked_mul(Decimal::ONE_HUNDRED).filter(|_| *percent);
            let show = |x: Decimal| match as_percent(x) {
                Some(p) => format!("{}%", short(p)),
                None => short(x),
            };
            // Percentages are measured in percentage points: 104% is 4 个百分点 over 100%.
            let points_of = |x: Decimal| match (as_percent(x), lang) {
                (Some(p), Lang::Zh) => format!("{} 个百分点", short(p)),
                (Some(p), Lang::En) => {
                    let unit = if p == Decimal::ONE {
                        "percentage point"
                    } else {
                        "percentage points"
                    };
                    format!("{} {unit}", short(p))
                }
                (None, _) => short(x),
            };
            let measured = format!("{} = {}", terms::formula(measured, lang), show(value.0));
            let side = match (above, lang) {
                (true, Lang::Zh) => "超过",
                (false, Lang::Zh) => "低于",
                (true, Lang::En) => "above",
                (false, Lang::En) => "below",
            };
            let (Some(excess), Some(counted)) = (excess, counted) else {
                return match lang {
                    Lang::Zh => format!("{measured}，未{side} {}", show(standard.0)),
                    Lang::En => format!("{measured}, not {side} {}", show(standard.0)),
                };
            };
            let (each, counted, by) = (short(each.0), short(counted.0), points_of(excess.0));
            let per = points_of(per.0);
            match lang {
                Lang::Zh => {
                    // `每起 1 个百分点扣 1`, `每 5 扣 1`: the space only between numbers and words.
                    let per = if *percent { per } else { format!("{per} ") };
                    let how = match counting {
                        Counting::Started => format!("每起 {per}扣 {each}，计 {counted} 个"),
                        Counting::Whole => {
                            format!("每满 {per}扣 {each}，计 {counted} 个（不足一个不扣）")
                        }
                        Counting::Proportional => {
                            format!("每 {per}扣 {each}，按比例计 {counted} 个")
                        }
                    };
                    format!("{measured}，{side} {} {by}；{how}", show(standard.0))
                }
                Lang::En => {
                    let how = match counting {
                        Counting::Started => {
                            format!("{each} per {per} begun, {counted} counted")
                        }
                        Counting::Whole => format!(
                            "{each} per whole {per}, {counted} counted (a part does not count)"
                        ),
                        Counting::Proportional => {
                            format!("{each} per {per}, {counted} in proportion")
                        }
                    };
                    format!("{measured}, {by} {side} {}; {how}", show(standard.0))
                }
            }
        }
    }
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
        (Reweight::SharedEqually, Lang::Zh) => {
            format!("数据中写的分值 {a} 不用（规则平均分配分值）：{a} → {b}")
        }
        (Reweight::SharedEqually, Lang::En) => {
            format!(
                "the record's own points {a} are not used (the rules share the points equally): {a} → {b}"
            )
        }
    }
}

/// The value a category rule matched, in quotes as the arms are written.
fn category_value(value: &Value, lang: Lang) -> String {
    match value {
        Value::Text { value } => quoted(value, lang),
        other => quoted(&computed(other, lang), lang),
    }
}

/// `formula = substituted = value`, leaving out a middle part that repeats the one before it.
fn chain(formula: &Term, value: &str, lang: Lang) -> String {
    join(
        &[&terms::formula(formula, lang), &substituted(formula, lang)],
        value,
    )
}

/// `words = numbers = value`, leaving out a part that repeats the one before it.
fn join(parts: &[&str], value: &str) -> String {
    let mut shown: Vec<&str> = Vec::with_capacity(parts.len() + 1);
    for part in parts.iter().copied().chain([value]) {
        if shown.last() != Some(&part) {
            shown.push(part);
        }
    }
    shown.join(" = ")
}

/// A line of a comparison in words: the 评分标准, or a step.
pub fn line(line: &Line, lang: Lang) -> String {
    match line {
        Line::Basis { basis } => format!("{}  {basis}", lang.labels().basis),
        Line::Step(s) => step(s, lang).to_string(),
    }
}

/// Why a leaf lost points, from its steps: each deduction with its amount, a veto, the tier or
/// category it fell in, the checklist items not met, a target missed, or, for a formula, the
/// numbers it was computed from; for an indicator that was not scored, why not. Empty for
/// groups (their children say it) and for rows that lost nothing.
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
    let why: Vec<String> = node.steps.iter().filter_map(|s| loss(s, lang)).collect();
    why.join(match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    })
}

/// What one step says about points lost, if anything.
fn loss(s: &Step, lang: Lang) -> Option<String> {
    match s {
        Step::Deduction { amount, why } if !amount.0.is_zero() => {
            let (amount, why) = (short(amount.0), deducted(why, lang));
            Some(match lang {
                Lang::Zh => format!("{why}（扣 {amount}）"),
                Lang::En => format!("{why} (−{amount})"),
            })
        }
        Step::Veto { reason, .. } => {
            let reason = reason.as_deref().unwrap_or("");
            Some(match lang {
                Lang::Zh => format!("否决：{reason}"),
                Lang::En => format!("veto: {reason}"),
            })
        }
        // The value, then the tier: `执行率 = 85%，落在 80%(含)-90%`.
        Step::Tier(tier) => {
            let TierStep {
                formula,
                value,
                percent,
                label,
                ..
            } = &**tier;
            let shown = match value.0.checked_mul(Decimal::ONE_HUNDRED) {
                Some(p) if *percent => format!("{}%", short(p)),
                _ => short(value.0),
            };
            let value = format!("{} = {shown}", terms::formula(formula, lang));
            Some(match lang {
                Lang::Zh => format!("{value}，落在 {label}"),
                Lang::En => format!("{value}, in {label}"),
            })
        }
        Step::Category { value, .. } => Some(category_value(value, lang)),
        Step::Check {
            condition,
            holds: false,
            ..
        } => {
            let item = terms::formula(condition, lang);
            Some(match lang {
                Lang::Zh => format!("未满足：{item}"),
                Lang::En => format!("not met: {item}"),
            })
        }
        // `未达成：实际完成值 1,850人 低于指标值 ≥2,000人`.
        Step::Target {
            note,
            op,
            target,
            actual,
            met: false,
            overshot,
            ..
        } => {
            let name = note
                .name()
                .map(|n| format!("{n}{}", lang.labels().colon))
                .unwrap_or_default();
            Some(match (overshot, op, lang) {
                (true, _, Lang::Zh) => {
                    format!("{name}实际完成值 {actual} 超出指标值 {target} 过多，不计为达标")
                }
                (true, _, Lang::En) => format!(
                    "{name}actual {actual} exceeds target {target} beyond the overshoot band: not met"
                ),
                (false, TargetOp::AtLeast, Lang::Zh) => {
                    format!("{name}未达成：实际完成值 {actual} 低于指标值 {target}")
                }
                (false, TargetOp::AtMost, Lang::Zh) => {
                    format!("{name}未达成：实际完成值 {actual} 高于指标值 {target}")
                }
                (false, TargetOp::Exactly, Lang::Zh) => {
                    format!("{name}未达成：实际完成值 {actual} 不等于指标值 {target}")
                }
                (false, TargetOp::AtLeast, Lang::En) => {
                    format!("{name}not met: actual {actual} below target {target}")
                }
                (false, TargetOp::AtMost, Lang::En) => {
                    format!("{name}not met: actual {actual} above target {target}")
                }
                (false, TargetOp::Exactly, Lang::En) => {
                    format!("{name}not met: actual {actual}, target {target}")
                }
            })
        }
        // `评为“部分达成”（60%(含)-80%）`, then how the rate was taken.
        Step::Grade(step) => {
            let GradeStep {
                name, grade, range, ..
            } = &**step;
            let name = name
                .as_ref()
                .map(|n| format!("{n}{}", lang.labels().colon))
                .unwrap_or_default();
            Some(match lang {
                Lang::Zh => format!("{name}定性评为“{grade}”（{range}）"),
                Lang::En => format!("{name}graded {grade} ({range})"),
            })
        }
        Step::TargetScore {
            completion: Some(Completion::Default),
            numerator,
            ..
        } => Some(match lang {
            Lang::Zh => format!("按本档默认得分率 {}", percent(numerator.0)),
            Lang::En => format!("at the band's default rate {}", percent(numerator.0)),
        }),
        // A formula's loss is in the values it read: `执行率 × 分值 = 9.98（执行率 = 99.8%）`.
        Step::Score { formula, value } => {
            let computed = format!("{} = {}", terms::formula(formula, lang), short(value.0));
            let read = terms::operands(formula, lang);
            Some(if read.is_empty() {
                computed
            } else {
                format!("{computed}{}", lang.aside(&read.join(lang.labels().list)))
            })
        }
        // Nothing lost by these, or said by the first check above.
        Step::Input { .. }
        | Step::Let { .. }
        | Step::Deduction { .. }
        | Step::Deductions { .. }
        | Step::Checklist { .. }
        | Step::Check { holds: true, .. }
        | Step::Share { .. }
        | Step::Target { met: true, .. }
        | Step::TargetScore { .. }
        | Step::MetRatio { .. }
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
        let (target, actual, reason): (&str, &str, Option<&str>) = if let Step::Target {
            note,
            target,
            actual,
            ..
        } = s
        {
            (target, actual, note.reason())
        } else if let Step::Grade(grade) = s {
            (&grade.target, &grade.actual, grade.reason.as_deref())
        } else {
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

/// A rate as a percentage: 0.7 → `70%`.
fn percent(rate: Decimal) -> String {
    match rate.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", short(p)),
        None => short(rate),
    }
}
