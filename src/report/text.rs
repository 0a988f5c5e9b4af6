//! The text printer: the explained trace for a terminal. Indicator rows are columns aligned
//! by display width (CJK characters are two columns); under each leaf its steps, indented.

use std::fmt::Write as _;

use super::labels::{Labels, Lang};
use super::width::{pad_left, pad_right, width};
use crate::model::Policy;
use crate::model::{BandOp, RoundPlace};
use crate::number::{column, short};
use crate::trace::{Node, Reweight, Split, Step, Trace};

const INDENT: usize = 2;

pub fn render(trace: &Trace, lang: Lang) -> String {
    render_with(trace, lang, true)
}

/// The text trace; without `provenance`, the lines naming the files, their SHA-256 and the
/// engine version are left out (what `jixiao test` stores, so that a comment edited in a rule
/// file or a new engine version does not change every snapshot).
pub fn render_with(trace: &Trace, lang: Lang, provenance: bool) -> String {
    // Text from the files is printed as one line each, with nothing a terminal would obey.
    let mut safe = trace.clone();
    safe.map_text(&crate::escape::terminal);
    let trace = &safe;
    let l = lang.labels();
    let mut out = String::new();
    header(&mut out, trace, lang, provenance);
    let num = num_column(&trace.indicators).max(width(&column(trace.total.0, 2)) + 2);
    let name_width = name_column(&trace.indicators, 0)
        .max(width(l.indicator))
        .max(width(l.total));
    let _ = writeln!(
        out,
        "{}{}{}{}  {}",
        pad_right(l.indicator, name_width),
        pad_left(l.points, num),
        pad_left(l.score, num),
        pad_left(l.deduction, num),
        l.location
    );
    for node in &trace.indicators {
        write_node(&mut out, node, 0, (name_width, num), lang);
    }
    let _ = writeln!(
        out,
        "{}{}{}{}",
        pad_right(l.total, name_width),
        pad_left(&column(trace.points.0, 2), num),
        pad_left(&column(trace.total.0, 2), num),
        pad_left(&column(trace.deduction.0, 2), num),
    );
    if let Some(line) = rescale_line(trace, lang) {
        let _ = writeln!(out, "{}{line}", " ".repeat(INDENT));
    }
    if let Some(step) = &trace.total_rounding {
        let _ = writeln!(out, "{}", step_line(step, INDENT, lang));
    }
    let why = rating_why(trace, lang);
    let _ = match lang {
        Lang::Zh => writeln!(out, "{}  {}（{why}）", l.rating, trace.rating),
        Lang::En => writeln!(out, "{}  {} ({why})", l.rating, trace.rating),
    };
    losses(&mut out, trace, lang);
    out
}

/// Why the total got its rating: `99.98 ≥ 90`, or below every other band.
pub(super) fn rating_why(trace: &Trace, lang: Lang) -> String {
    let band = &trace.rating_band;
    match (band.op, band.bound) {
        (Some(op), Some(bound)) => {
            let sym = if op == BandOp::AtLeast { "≥" } else { ">" };
            format!("{} {sym} {}", column(trace.total.0, 2), short(bound.0))
        }
        _ => match lang {
            Lang::Zh => format!("{}，低于其他各档", column(trace.total.0, 2)),
            Lang::En => format!("{}, below every other band", column(trace.total.0, 2)),
        },
    }
}

/// The rounding policy in words, a line per place it applies.
pub(super) fn rounding_lines(trace: &Trace, lang: Lang) -> Vec<String> {
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
            match lang {
                Lang::Zh => format!(
                    "{}  {}，保留 {digits} 位小数，{place}",
                    l.rounding,
                    lang.mode(mode)
                ),
                Lang::En => format!(
                    "{}  {} to {digits} decimals, {place}",
                    l.rounding,
                    lang.mode(mode)
                ),
            }
        })
        .collect()
}

/// 扣分最多的指标: the leaves that lost points, numbered, the loss right-aligned.
fn losses(out: &mut String, trace: &Trace, lang: Lang) {
    if trace.losses.is_empty() {
        return;
    }
    let names: Vec<String> = trace.losses.iter().map(|l| l.path.join(" / ")).collect();
    let width = names.iter().map(|n| width(n)).max().unwrap_or(0) + 2;
    let _ = writeln!(out, "\n{}", lang.labels().losses);
    for (i, (loss, name)) in trace.losses.iter().zip(&names).enumerate() {
        let _ = writeln!(
            out,
            "{:>4}. {}{}",
            i + 1,
            pad_right(name, width),
            pad_left(&column(loss.deduction.0, 2), 8)
        );
    }
}

fn header(out: &mut String, trace: &Trace, lang: Lang, provenance: bool) {
    let l = lang.labels();
    let _ = writeln!(out, "{}", trace.title);
    if trace.department.is_some() || trace.year.is_some() {
        let name = trace.department.as_deref().unwrap_or("");
        let year = match (&trace.year, lang) {
            (Some(y), Lang::Zh) => format!("（{y} 年度）"),
            (Some(y), Lang::En) => format!(" ({y})"),
            (None, _) => String::new(),
        };
        let _ = writeln!(out, "{}  {name}{year}", l.department);
    }
    if provenance {
        let _ = writeln!(
            out,
            "{}  {}  sha256 {}",
            l.rules, trace.rules.path, trace.rules.sha256
        );
        for import in &trace.imports {
            let _ = writeln!(
                out,
                "{}  {}  sha256 {}",
                l.import, import.path, import.sha256
            );
        }
        let _ = writeln!(
            out,
            "{}  {}  sha256 {}",
            l.data, trace.data.path, trace.data.sha256
        );
    }
    for line in rounding_lines(trace, lang) {
        let _ = writeln!(out, "{line}");
    }
    if provenance {
        let _ = writeln!(
            out,
            "{}  {} {}",
            l.engine, trace.engine.name, trace.engine.version
        );
    }
    out.push('\n');
}

fn name_column(nodes: &[Node], depth: usize) -> usize {
    nodes
        .iter()
        .map(|n| (depth * INDENT + width(&n.name)).max(name_column(&n.children, depth + 1)))
        .max()
        .unwrap_or(0)
        + 2
}

/// The width of the number columns: the widest number shown, plus two spaces between columns.
fn num_column(nodes: &[Node]) -> usize {
    nodes
        .iter()
        .map(|n| {
            [n.points.0, n.score.0, n.deduction.0]
                .iter()
                .map(|d| width(&column(*d, 2)) + 2)
                .max()
                .unwrap_or(0)
                .max(num_column(&n.children))
        })
        .max()
        .unwrap_or(0)
        .max(8)
}

fn write_node(out: &mut String, node: &Node, depth: usize, widths: (usize, usize), lang: Lang) {
    let (name_width, num) = widths;
    let indent = " ".repeat(depth * INDENT);
    let location = node.location.rsplit('/').next().unwrap_or(&node.location);
    let _ = writeln!(
        out,
        "{}{}{}{}  {}",
        pad_right(&format!("{indent}{}", node.name), name_width),
        pad_left(&column(node.points.0, 2), num),
        pad_left(&column(node.score.0, 2), num),
        pad_left(&column(node.deduction.0, 2), num),
        location
    );
    let step_indent = (depth + 1) * INDENT;
    if let Some(basis) = &node.basis {
        let _ = writeln!(
            out,
            "{}{}  {basis}",
            " ".repeat(step_indent),
            lang.labels().basis
        );
    }
    for step in &node.steps {
        let _ = writeln!(out, "{}", step_line(step, step_indent, lang));
    }
    for child in &node.children {
        write_node(out, child, depth + 1, widths, lang);
    }
}

/// The conversion of the total back to the full scale, when indicators were excluded.
pub(super) fn rescale_line(trace: &Trace, lang: Lang) -> Option<String> {
    let r = trace.rescale.as_ref()?;
    let numbers = format!(
        "{} ÷ {} × {} = {}",
        short(r.sum.0),
        short(r.counted.0),
        short(trace.points.0),
        short(r.value.0)
    );
    Some(match lang {
        Lang::Zh => format!("折算  得分合计 ÷ 参评分值 × 总分 = {numbers}"),
        Lang::En => format!("Converted  sum ÷ points counted × total = {numbers}"),
    })
}

/// The basis and step lines of one indicator, without indentation (what `jixiao diff` compares).
pub fn step_lines(node: &Node, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(basis) = &node.basis {
        lines.push(format!("{}  {basis}", lang.labels().basis));
    }
    lines.extend(node.steps.iter().map(|s| step_line(s, 0, lang)));
    lines
}

pub(super) fn step_line(step: &Step, indent: usize, lang: Lang) -> String {
    let l: &Labels = lang.labels();
    let pad = " ".repeat(indent);
    let zh = lang == Lang::Zh;
    let body = match step {
        Step::Input { name, value } => format!("{}  {name} = {value}", l.input),
        Step::Let {
            name,
            formula,
            substituted,
            value,
            unrounded,
        } => match unrounded {
            // Rounded as it was computed (`round … each value`): the exact value, then the one used.
            Some(exact) => format!(
                "{}  {name} = {} → {}",
                l.let_,
                chain(formula, substituted, exact.0),
                crate::number::short(value.0)
            ),
            None => format!(
                "{}  {name} = {}",
                l.let_,
                chain(formula, substituted, value.0)
            ),
        },
        Step::Score {
            formula,
            substituted,
            value,
        } => {
            if formula == "分值" && substituted == &short(value.0) {
                if zh {
                    format!("{}  达成，计满分 {}", l.score_step, short(value.0))
                } else {
                    format!("{}  met, full points {}", l.score_step, short(value.0))
                }
            } else {
                format!("{}  {}", l.score_step, chain(formula, substituted, value.0))
            }
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
            match (split, zh, larger) {
                (Split::Equally, true, 0) => {
                    format!(
                        "{}  {points} 分由 {records} 项平均分配，每项 {share}",
                        l.share
                    )
                }
                (Split::Equally, true, n) => format!(
                    "{}  {points} 分由 {records} 项平均分配，每项 {share}，前 {n} 项各多 {unit}（使合计恰为 {points}）",
                    l.share
                ),
                (Split::Equally, false, 0) => {
                    format!(
                        "{}  {points} points shared evenly by {records} records, {share} each",
                        l.share
                    )
                }
                (Split::Equally, false, n) => format!(
                    "{}  {points} points shared evenly by {records} records, {share} each, the first {n} {unit} more (so they add up to {points})",
                    l.share
                ),
                (Split::ByPoints, true, _) => {
                    format!("{}  {points} 分按各项自己的分值分配", l.share)
                }
                (Split::ByPoints, false, _) => {
                    format!("{}  {points} points by each record's own points", l.share)
                }
            }
        }
        Step::Target {
            target,
            actual,
            met,
            reason,
            overshot,
            name,
            ..
        } => {
            let name = name
                .as_ref()
                .map(|n| {
                    if zh {
                        format!("{n}：")
                    } else {
                        format!("{n}: ")
                    }
                })
                .unwrap_or_default();
            let verdict = match (met, zh) {
                (true, true) => "达成".to_string(),
                (false, true) => "未达成".to_string(),
                (true, false) => "met".to_string(),
                (false, false) => "not met".to_string(),
            };
            let reason = match (reason, zh) {
                (Some(r), true) => format!("（偏差原因：{r}）"),
                (Some(r), false) => format!(" (reason: {r})"),
                (None, _) => String::new(),
            };
            let verdict = match (overshot, zh) {
                (true, true) => "超出指标值过多，不计为达标".to_string(),
                (true, false) => "exceeded beyond the overshoot band: not met".to_string(),
                _ => verdict,
            };
            if zh {
                format!(
                    "{}  {name}指标值 {target}，实际完成值 {actual}：{verdict}{reason}",
                    l.target
                )
            } else {
                format!(
                    "{}  {name}{target}, actual {actual}: {verdict}{reason}",
                    l.target
                )
            }
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
            // Beside tiers written in percentages, the value as a percentage too: 0.8（80%）.
            let as_percent = value
                .0
                .checked_mul(rust_decimal::Decimal::ONE_HUNDRED)
                .filter(|_| tier.contains(['%', '％']) && !substituted.contains('%'))
                .map(|p| format!("（{}%）", short(p)))
                .unwrap_or_default();
            let value = format!("{}{as_percent}", chain(formula, substituted, value.0));
            let score = chain(score_formula, score_substituted, score.0);
            if zh {
                format!("分档  {value}，落在 {tier}，得 {score}")
            } else {
                format!("Tier  {value}, in {tier}: {score}")
            }
        }
        Step::Category {
            formula,
            value,
            matched,
            score,
        } => match (zh, matched.as_str()) {
            (true, "else") => format!(
                "分类  {formula} = “{value}”，属其他情形，得 {}",
                short(score.0)
            ),
            (true, _) => format!("分类  {formula} = “{value}”，得 {}", short(score.0)),
            (false, "else") => {
                format!("Category  {formula} = “{value}” (else): {}", short(score.0))
            }
            (false, _) => format!("Category  {formula} = “{value}”: {}", short(score.0)),
        },
        Step::Check {
            item,
            holds,
            points,
        } => match (zh, holds) {
            (true, true) => format!("检查  {item}：是，得 {}", short(points.0)),
            (true, false) => format!("检查  {item}：否，得 0"),
            (false, true) => format!("Check  {item}: yes, {}", short(points.0)),
            (false, false) => format!("Check  {item}: no, 0"),
        },
        Step::Veto { condition, reason } => {
            let reason = reason.as_deref().unwrap_or("");
            if zh {
                format!("否决  {condition} 成立：{reason}，得 0")
            } else {
                format!("Veto  {condition} holds: {reason}; 0")
            }
        }
        Step::Deduction { reason, amount } => {
            if zh {
                format!("扣分  {}：{reason}", short(amount.0))
            } else {
                format!("Deduct  {}: {reason}", short(amount.0))
            }
        }
        Step::NotApplicable {
            condition,
            policy,
            points,
            to,
            with,
        } => {
            let points = short(points.0);
            let to: Vec<String> = to
                .iter()
                .map(|t| format!("{} {}", t.name, short(t.points.0)))
                .collect();
            let sep = if zh { "、" } else { ", " };
            // Pooled with siblings: the first of them lists the pool, the others point to it.
            let spread = match (to.is_empty(), with.is_empty(), zh) {
                (false, true, true) => format!("分值 {points} 按比例分配给：{}", to.join(sep)),
                (false, false, true) => format!(
                    "分值 {points} 与“{}”的分值一并按比例分配给：{}",
                    with.join("”“"),
                    to.join(sep)
                ),
                (true, _, true) => format!(
                    "分值 {points} 与“{}”的分值一并分配（见该指标）",
                    with.join("”“")
                ),
                (false, true, false) => {
                    format!(
                        "its {points} points spread in proportion to {}",
                        to.join(sep)
                    )
                }
                (false, false, false) => format!(
                    "its {points} points, with those of {}, spread in proportion to {}",
                    with.join(", "),
                    to.join(sep)
                ),
                (true, _, false) => format!(
                    "its {points} points spread together with those of {} (see there)",
                    with.join(", ")
                ),
            };
            match (policy, zh) {
                (Some(Policy::Full), true) => {
                    format!("不适用  {condition} 成立，按满分计 {points}")
                }
                (Some(Policy::Exclude), true) => format!(
                    "不适用  {condition} 成立，不参与评分，分值 {points} 不计入（合计按参评分值折算）"
                ),
                (Some(Policy::Redistribute), true) => format!("不适用  {condition} 成立，{spread}"),
                (None, true) => format!("不适用  {condition} 成立，改评下一备选指标"),
                (Some(Policy::Full), false) => {
                    format!("Not applicable  {condition} holds: full points {points}")
                }
                (Some(Policy::Exclude), false) => format!(
                    "Not applicable  {condition} holds: left out, its {points} points not counted (the total is converted back to full scale)"
                ),
                (Some(Policy::Redistribute), false) => {
                    format!("Not applicable  {condition} holds: {spread}")
                }
                (None, false) => {
                    format!("Not applicable  {condition} holds: the next alternative is scored")
                }
            }
        }
        Step::NotChosen { chosen } => {
            if zh {
                format!("未选用  择一计分，已按“{chosen}”计分")
            } else {
                format!("Not chosen  one of: “{chosen}” was scored")
            }
        }
        Step::Reweight { from, to, cause } => {
            let (a, b, added) = (short(from.0), short(to.0), short(to.0 - from.0));
            match (cause, zh) {
                (
                    Reweight::Redistributed {
                        from: names,
                        givers,
                    },
                    true,
                ) => {
                    let more = if *givers > names.len() {
                        format!("等 {givers} 项")
                    } else {
                        String::new()
                    };
                    format!(
                        "{}  {a} + {added}（不适用指标“{}”{more}的分值按比例转入）= {b}",
                        l.points,
                        names.join("”“")
                    )
                }
                (
                    Reweight::Redistributed {
                        from: names,
                        givers,
                    },
                    false,
                ) => {
                    let more = if *givers > names.len() {
                        format!(" and others ({givers} in all)")
                    } else {
                        String::new()
                    };
                    let who = format!("{}{more}", names.join(", "));
                    let verb = if *givers == 1 {
                        "which does not apply"
                    } else {
                        "which do not apply"
                    };
                    format!(
                        "{}  {a} + {added} (a share of the points of {who}, {verb}) = {b}",
                        l.points
                    )
                }
                (Reweight::Scaled { parent }, true) => {
                    format!("{}  随“{parent}”的分值同比例调整：{a} → {b}", l.points)
                }
                (Reweight::Scaled { parent }, false) => format!(
                    "{}  in proportion to the points of {parent}: {a} → {b}",
                    l.points
                ),
            }
        }
        Step::Scale {
            score,
            declared,
            points,
            value,
        } => {
            let numbers = format!(
                "{} × {} ÷ {}",
                short(score.0),
                short(points.0),
                short(declared.0)
            );
            if zh {
                format!(
                    "折算  得分 × 调整后分值 ÷ 原分值 = {numbers} = {}",
                    short(value.0)
                )
            } else {
                format!(
                    "Convert  score × new points ÷ declared points = {numbers} = {}",
                    short(value.0)
                )
            }
        }
        Step::Cap { from, to } => format!("{}  {} → {}", l.cap, short(from.0), short(to.0)),
        Step::Floor { from, to } => format!("{}  {} → {}", l.floor, short(from.0), short(to.0)),
        Step::Round {
            mode,
            digits,
            from,
            to,
        } => {
            if zh {
                format!(
                    "{}  {}（{digits} 位小数）{} → {}",
                    l.round,
                    lang.mode(*mode),
                    short(from.0),
                    short(to.0)
                )
            } else {
                format!(
                    "{}  {} to {digits} decimals: {} → {}",
                    l.round,
                    lang.mode(*mode),
                    short(from.0),
                    short(to.0)
                )
            }
        }
    };
    format!("{pad}{body}")
}

/// `formula = substituted = value`, leaving out a middle part that repeats the one before it.
fn chain(formula: &str, substituted: &str, value: rust_decimal::Decimal) -> String {
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
