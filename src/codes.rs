//! The registry of diagnostic codes: `docs/errors.md`, embedded at build time. Each `## code`
//! section documents one code with an input that triggers it, the fix and its fixture;
//! `jixiao explain` prints a section, and `tests/codes.rs` keeps the registry, the codes in the
//! source and the fixtures in step.

/// The whole registry as written in `docs/errors.md`.
pub const REGISTRY: &str = include_str!("../docs/errors.md");

/// One documented code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    /// The section: its heading and everything up to the next heading.
    pub text: &'static str,
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
