//! The registry of diagnostic codes: `docs/errors.md`, embedded at build time. Each `## code`
//! section documents one code with an input that triggers it, the fix and its fixture, in
//! English, then the description and the fix in Chinese (a paragraph starting `中文：` and one
//! starting `修改：`); `jixiao explain` prints a section in the language asked for
//! ([`Entry::in_lang`]), and `tests/codes.rs` keeps the registry, the codes in the source and
//! the fixtures in step.

use crate::diagnostics::Lang;

/// The paragraph that starts an entry's Chinese description.
pub const ZH_DESCRIPTION: &str = "中文：";
/// The paragraph that starts an entry's Chinese fix.
pub const ZH_FIX: &str = "修改：";

/// The whole registry as written in `docs/errors.md`.
pub const REGISTRY: &str = include_str!("../docs/errors.md");

/// One documented code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    /// The section: its heading and everything up to the next heading, in both languages.
    pub text: &'static str,
}

impl Entry {
    /// The English of the section, as `jixiao explain --lang en` prints it: everything before
    /// the Chinese paragraphs.
    pub fn english(&self) -> &'static str {
        match self.text.find(&format!("\n\n{ZH_DESCRIPTION}")) {
            Some(i) => self.text[..i].trim_end(),
            None => self.text,
        }
    }

    /// The Chinese of the section (from `中文：` to its end), if it has been written.
    fn chinese(&self) -> Option<&'static str> {
        let i = self.text.find(&format!("\n\n{ZH_DESCRIPTION}"))?;
        Some(self.text[i + 2..].trim_end())
    }

    /// What the code means, in `lang`: the paragraphs under the heading, or after `中文：`.
    pub fn description(&self, lang: Lang) -> Option<&'static str> {
        match lang {
            Lang::En => {
                let english = self.english();
                let start = english.find("\n\n")?;
                let end = english.find("\n\nTriggered by:")?;
                Some(english[start..end].trim())
            }
            Lang::Zh => {
                let zh = self.chinese()?;
                let end = zh.find(&format!("\n\n{ZH_FIX}"))?;
                Some(zh[ZH_DESCRIPTION.len()..end].trim())
            }
        }
    }

    /// The fix, in `lang`, without its label: the `Fix:` paragraph, or the paragraphs after
    /// `修改：`.
    pub fn fix(&self, lang: Lang) -> Option<&'static str> {
        match lang {
            Lang::En => {
                let english = self.english();
                let start = english.find("\n\nFix:")? + "\n\nFix:".len();
                let rest = &english[start..];
                Some(rest[..rest.find("\n\n").unwrap_or(rest.len())].trim())
            }
            Lang::Zh => {
                let zh = self.chinese()?;
                let start = zh.find(&format!("\n\n{ZH_FIX}"))? + 2 + ZH_FIX.len();
                Some(zh[start..].trim())
            }
        }
    }

    /// The `Triggered by:` block, fences included: the input is the same in both languages.
    pub fn trigger(&self) -> Option<&'static str> {
        let english = self.english();
        let after = &english[english.find("\nTriggered by:")? + 1..];
        let open = after.find("```")?;
        let body = &after[open + 3..];
        let close = open + 3 + body.find("\n```")? + "\n```".len();
        Some(&after[open..close])
    }

    /// The fixture or snapshot that shows the code: `(true, path)` for a `Fixture:` line,
    /// `(false, path)` for a `Snapshot:` line; the path as written, in backticks.
    pub fn example(&self) -> Option<(bool, &'static str)> {
        self.english().lines().find_map(|line| {
            if let Some(rest) = line.strip_prefix("Fixture:") {
                Some((true, rest.trim()))
            } else {
                line.strip_prefix("Snapshot:")
                    .map(|rest| (false, rest.trim()))
            }
        })
    }

    /// The section in `lang`: in English as written; in Chinese, the heading, the Chinese
    /// description, the same `Triggered by` block, the Chinese fix and the fixture, under
    /// Chinese labels. An entry with no Chinese yet is printed in English.
    pub fn in_lang(&self, lang: Lang) -> String {
        let (Lang::Zh, Some(description), Some(fix)) =
            (lang, self.description(Lang::Zh), self.fix(Lang::Zh))
        else {
            return self.english().to_string();
        };
        let mut out = format!("## {}\n\n{description}\n\n", self.code);
        if let Some(trigger) = self.trigger() {
            out.push_str(&format!("触发示例：\n\n{trigger}\n\n"));
        }
        out.push_str(&format!("修改：{fix}"));
        match self.example() {
            // A path in backticks; an internal error has none (`none (no input can trigger it)`).
            Some((true, path)) if path.starts_with('`') => {
                out.push_str(&format!("\n\n示例：{path}"));
            }
            Some((true, _)) => out.push_str("\n\n示例：无（任何输入都不会触发它）"),
            Some((false, path)) => out.push_str(&format!("\n\n快照：{path}")),
            None => {}
        }
        out
    }
}

/// Every entry, in the order of the document.
pub fn entries() -> Vec<Entry> {
    let starts: Vec<usize> = REGISTRY
        .match_indices("\n## ")
        .map(|(i, _)| i + 1)
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            // A section ends at the next heading of either level.
            let end = starts.get(n + 1).copied().unwrap_or(REGISTRY.len());
            let end = REGISTRY[start..end].find("\n# ").map_or(end, |i| start + i);
            let text = REGISTRY[start..end].trim_end();
            let code = text["## ".len()..].lines().next().unwrap_or("").trim();
            Entry { code, text }
        })
        .collect()
}

/// The entry for `code`, written in full (`jixiao::check::points_sum`) or by its last parts
/// (`check::points_sum`, `points_sum`) when that is unambiguous. Otherwise the codes nearest to what was asked.
pub fn explain(code: &str) -> Result<Entry, Vec<&'static str>> {
    let all = entries();
    let code = code.trim();
    if let Some(e) = all.iter().find(|e| e.code == code) {
        return Ok(e.clone());
    }
    // The last part (`points_sum`) or the last parts (`check::points_sum`).
    let suffix = format!("::{code}");
    let by_tail: Vec<&Entry> = all.iter().filter(|e| e.code.ends_with(&suffix)).collect();
    if let [one] = by_tail.as_slice() {
        return Ok((*one).clone());
    }
    if by_tail.len() > 1 {
        return Err(by_tail.iter().map(|e| e.code).collect());
    }
    let tails = all
        .iter()
        .map(|e| e.code.rsplit("::").next().unwrap_or(e.code));
    let near: Vec<&'static str> = match crate::check::closest(code, tails) {
        Some(tail) => all
            .iter()
            .filter(|e| e.code.ends_with(&format!("::{tail}")))
            .map(|e| e.code)
            .collect(),
        None => Vec::new(),
    };
    Err(near)
}
