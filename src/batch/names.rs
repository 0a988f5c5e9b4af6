//! The file names of a batch's traces (`--traces DIR`): one per department, made from its id,
//! safe on every system, and distinct even when two ids are not. Names are given in input order,
//! one after another, so they do not depend on how many threads scored the departments.

use std::collections::HashSet;

/// The longest name kept from an id, in characters (file systems allow 255 bytes; a Chinese
/// character takes three, and room is left for a suffix and the extension).
const MAX_CHARS: usize = 60;

/// Gives each id a file name no other id of the run has.
#[derive(Default)]
pub struct Names {
    /// The names given so far, in lower case: two names differing only in case are one file on
    /// the file systems of Windows and macOS. (Only asked whether a name is taken, so the order
    /// of a hash set cannot show.)
    taken: HashSet<String>,
}

impl Names {
    /// A file name (without extension) for `id`: [`safe`], then `~2`, `~3` … after it when an
    /// earlier id took it.
    pub fn name(&mut self, id: &str) -> String {
        let base = safe(id);
        let mut name = base.clone();
        let mut n = 1;
        while !self.taken.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{base}~{n}");
        }
        name
    }
}

/// `id` as a file name: Chinese and other letters kept; path separators, characters Windows
/// forbids (`: * ? " < > |`) and control characters as `_`; a leading dot as `_` (no hidden
/// file, no `..`); trailing dots and spaces dropped (Windows drops them itself); names Windows
/// reserves (`CON`, `NUL`, `COM1` …) with `_` after them; cut at `MAX_CHARS`; `_` if nothing is
/// left.
pub fn safe(id: &str) -> String {
    let mut out: String = id
        .chars()
        .take(MAX_CHARS)
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    if out.starts_with('.') {
        out.replace_range(..1, "_");
    }
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        out.push('_');
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_safe_names() {
        assert_eq!(
            safe("广州市花都区人民政府办公室"),
            "广州市花都区人民政府办公室"
        );
        assert_eq!(safe("a/b\\c"), "a_b_c");
        assert_eq!(safe(".."), "_");
        assert_eq!(safe("../etc/passwd"), "_._etc_passwd");
        assert_eq!(safe("x\u{0}y\ny"), "x_y_y");
        assert_eq!(safe("CON"), "CON_");
        assert_eq!(safe("com1.txt"), "com1.txt_");
        assert_eq!(safe(""), "_");
        assert_eq!(safe("a. "), "a");
        assert_eq!(safe(&"长".repeat(100)).chars().count(), MAX_CHARS);
    }

    #[test]
    fn colliding_ids_get_distinct_names() {
        let mut names = Names::default();
        assert_eq!(names.name("a/b"), "a_b");
        assert_eq!(names.name("a_b"), "a_b~2");
        assert_eq!(names.name("A_B"), "A_B~3");
        assert_eq!(names.name("a_b~2"), "a_b~2~2");
    }
}
