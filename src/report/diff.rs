//! Printers of a rule comparison (`jixiao diff`): text for a terminal, Markdown to paste into a
//! pull-request comment, JSON (`jixiao.diff/2`) for tools. Each shows every department's old and
//! new total and rating, the indicators that changed with their old and new step lines, and a
//! summary: how many departments changed, how many changed rating, and the largest moves.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use super::wording::diff::{self as words, Side};
use super::wording::line;
use super::{DiffFormat as Format, Lang};
use crate::compare::{Comparison, Department, Outcome};
use crate::number::column;

pub fn render(c: &Comparison, format: Format, lang: Lang) -> String {
    match format {
        Format::Json => json(c),
        Format::Markdown => markdown(c, lang),
        Format::Text => text(c, lang),
    }
}

struct Summary<'a> {
    changed: usize,
    rating_changed: usize,
    /// Departments by how far their total moved, largest first (at most five).
    largest: Vec<(&'a Department, Decimal)>,
}

fn summary(c: &Comparison) -> Summary<'_> {
    let mut largest: Vec<(&Department, Decimal)> = c
        .departments
        .iter()
        .filter_map(|d| d.total_change().filter(|x| !x.is_zero()).map(|x| (d, x)))
        .collect();
    largest.sort_by(|a, b| b.1.abs().cmp(&a.1.abs()).then(a.0.data.cmp(&b.0.data)));
    largest.truncate(5);
    Summary {
        changed: c.departments.iter().filter(|d| d.changed()).count(),
        rating_changed: c.departments.iter().filter(|d| d.rating_changed()).count(),
        largest,
    }
}

fn signed(d: Decimal) -> String {
    if d.is_sign_negative() {
        format!("−{}", column(-d, 2))
    } else {
        format!("+{}", column(d, 2))
    }
}

/// An indicator's score in a comparison, or a dash where the indicator does not exist.
fn score(s: Option<crate::trace::Dec>) -> String {
    s.map_or("—".to_string(), |s| column(s.0, 2))
}

fn outcome(o: &Outcome) -> (String, String) {
    match o {
        Outcome::Scored { total, rating } => (column(total.0, 2), rating.clone()),
        Outcome::Failed { .. } => ("—".into(), "—".into()),
    }
}

fn label(d: &Department, lang: Lang) -> String {
    match &d.name {
        Some(n) => format!("{}{}", d.data, lang.aside(n)),
        None => d.data.clone(),
    }
}

fn text(c: &Comparison, lang: Lang) -> String {
    let l = lang.labels();
    let mut out = String::new();
    let _ = writeln!(out, "{}  {} → {}\n", l.rules, c.old_rules, c.new_rules);
    let mut unchanged = Vec::new();
    for d in &c.departments {
        if !d.changed() && !d.failed() {
            unchanged.push(d.data.as_str());
            continue;
        }
        let ((ot, or), (nt, nr)) = (outcome(&d.old), outcome(&d.new));
        let delta = d
            .total_change()
            .filter(|x| !x.is_zero())
            .map(|x| lang.aside(&signed(x)))
            .unwrap_or_default();
        let safe = crate::escape::terminal;
        let _ = writeln!(out, "{}", safe(&label(d, lang)));
        let _ = writeln!(
            out,
            "  {}  {ot} → {nt}{delta}  {}  {or} → {nr}",
            l.total, l.rating
        );
        for (side, o) in [(Side::Old, &d.old), (Side::New, &d.new)] {
            if let Outcome::Failed { code, error } = o {
                // The headline of the first diagnostic (the line with ×), or its first line.
                let first = error
                    .lines()
                    .find(|l| l.contains('×'))
                    .or_else(|| error.lines().next())
                    .unwrap_or("")
                    .trim();
                let _ = writeln!(out, "  {}", words::cannot_score(side, first, code, lang));
            }
        }
        for ch in &d.changes {
            let _ = writeln!(
                out,
                "  {}  {} → {}",
                safe(&ch.path.join(" / ")),
                score(ch.old),
                score(ch.new)
            );
            for l in &ch.removed {
                let _ = writeln!(out, "    - {}", safe(&line(l, lang)));
            }
            for l in &ch.added {
                let _ = writeln!(out, "    + {}", safe(&line(l, lang)));
            }
        }
        out.push('\n');
    }
    let s = summary(c);
    if !unchanged.is_empty() {
        let _ = writeln!(out, "{}\n", words::unchanged(&unchanged, lang));
    }
    let _ = writeln!(
        out,
        "{}  {}",
        words::summary_label(lang),
        summary_words(c, &s, lang)
    );
    if !s.largest.is_empty() {
        let moves: Vec<String> = s
            .largest
            .iter()
            .map(|(d, x)| format!("{} {}", d.data, signed(*x)))
            .collect();
        let _ = writeln!(out, "{}  {}", words::largest_moves(lang), moves.join("; "));
    }
    out
}

/// The summary sentence: how many departments changed, changed rating, could not be scored.
fn summary_words(c: &Comparison, s: &Summary, lang: Lang) -> String {
    words::summary(
        c.departments.len(),
        s.changed,
        s.rating_changed,
        c.failed(),
        lang,
    )
}

/// The codes of a department's failures, old then new, each once.
fn failure_codes(d: &Department) -> Vec<&str> {
    let mut codes = Vec::new();
    for o in [&d.old, &d.new] {
        if let Outcome::Failed { code, .. } = o
            && !codes.contains(&code.as_str())
        {
            codes.push(code.as_str());
        }
    }
    codes
}

fn markdown(c: &Comparison, lang: Lang) -> String {
    let cell = crate::escape::markdown;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### jixiao diff: {} → {}\n",
        crate::escape::markdown_code(&c.old_rules),
        crate::escape::markdown_code(&c.new_rules)
    );
    let _ = writeln!(out, "| {} |", words::table_heads(lang).join(" | "));
    out.push_str("|---|--:|--:|--:|---|---|\n");
    for d in &c.departments {
        let ((ot, or), (nt, nr)) = (outcome(&d.old), outcome(&d.new));
        let delta = if d.failed() {
            let codes: Vec<String> = failure_codes(d).iter().map(|c| format!("`{c}`")).collect();
            format!("{} {}", words::cannot_score_short(lang), codes.join(" "))
        } else {
            d.total_change().map_or("—".to_string(), |x| {
                if x.is_zero() { "0".into() } else { signed(x) }
            })
        };
        let rating = |a: &str, b: &str| {
            if a != b && !d.failed() {
                format!("**{}**", cell(b))
            } else {
                cell(b)
            }
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {delta} | {} | {} |",
            cell(&label(d, lang)),
            cell(&ot),
            cell(&nt),
            cell(&or),
            rating(&or, &nr)
        );
    }
    let s = summary(c);
    let _ = writeln!(
        out,
        "\n**{}**{}{}{}",
        words::summary_label(lang),
        lang.labels().colon,
        summary_words(c, &s, lang),
        words::full_stop(lang)
    );
    for d in c.departments.iter().filter(|d| !d.changes.is_empty()) {
        let _ = writeln!(
            out,
            "\n<details><summary>{}: {} {}</summary>\n",
            cell(&label(d, lang)),
            d.changes.len(),
            words::indicators_changed(lang)
        );
        for ch in &d.changes {
            let _ = writeln!(
                out,
                "**{}**  {} → {}\n",
                cell(&ch.path.join(" / ")),
                score(ch.old),
                score(ch.new)
            );
            if !ch.removed.is_empty() || !ch.added.is_empty() {
                let removed: Vec<String> = ch.removed.iter().map(|l| line(l, lang)).collect();
                let added: Vec<String> = ch.added.iter().map(|l| line(l, lang)).collect();
                // Inside a code block nothing is markup; only a line of backticks could end it
                // early, and the fence is longer than any, and each line one line.
                let fence = crate::escape::markdown_fence(removed.iter().chain(&added));
                let _ = writeln!(out, "{fence}diff");
                for l in &removed {
                    let _ = writeln!(out, "- {}", one_line(l));
                }
                for l in &added {
                    let _ = writeln!(out, "+ {}", one_line(l));
                }
                let _ = writeln!(out, "{fence}\n");
            }
        }
        out.push_str("</details>\n");
    }
    out
}

/// A line of a code block kept on one line: a line break inside it would end the `-`/`+` line.
fn one_line(s: &str) -> String {
    s.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    schema: &'static str,
    #[serde(flatten)]
    comparison: &'a Comparison,
    changed: usize,
    rating_changed: usize,
    /// Departments either version could not score (their outcome is `failed`, with a `code`).
    failed: usize,
}

fn json(c: &Comparison) -> String {
    let s = summary(c);
    let doc = JsonDiff {
        schema: "jixiao.diff/2",
        comparison: c,
        changed: s.changed,
        rating_changed: s.rating_changed,
        failed: c.failed(),
    };
    let mut out =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
