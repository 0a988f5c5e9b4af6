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
/// forbids (`: * ? " < > |`), control characters and the marks that turn text right to left
/// (a name shown reversed in a listing hides its real end) as `_`; a leading dot as `_` (no
/// hidden file, no `..`); trailing dots and spaces dropped (Windows drops them itself); names
/// Windows reserves (`CON`, `NUL`, `COM1`, `COM¹`, `CONIN$` …, also before an extension:
/// `con.txt`) with `_` after them (`con_.txt`); cut at `MAX_CHARS`; `_` if nothing is left.
pub fn safe(id: &str) -> String {
    let mut out: String = id
        .chars()
        .take(MAX_CHARS)
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() || is_bidi_control(c) => '_',
            c => c,
        })
        .collect();
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    if out.starts_with('.') {
        out.replace_range(..1, "_");
    }
    // The mark goes on the part before the first dot: Windows takes `CON.txt`, and so
    // `CON.txt_.txt`, for the device as well.
    let stem = out.find('.').unwrap_or(out.len());
    if reserved(&out[..stem]) {
        out.insert(stem, '_');
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// Whether Windows takes a name whose part before the first dot is `stem` for a device: `CON`,
/// `PRN`, `AUX`, `NUL`, `CONIN$`, `CONOUT$`, and `COM` or `LPT` with a digit, the superscripts
/// `¹ ² ³` included; in any case, and with spaces after it (`NUL .txt` is `NUL` too).
fn reserved(stem: &str) -> bool {
    let stem = stem.trim_end_matches(' ').to_ascii_uppercase();
    if matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let Some(port) = stem
        .strip_prefix("COM")
        .or_else(|| stem.strip_prefix("LPT"))
    else {
        return false;
    };
    let mut rest = port.chars();
    matches!(
        (rest.next(), rest.next()),
        (Some('0'..='9' | '¹' | '²' | '³'), None)
    )
}

/// The marks that change the direction of the text around them (Unicode's bidirectional
/// controls): no id needs them, and in a file name they show it in another order than its own.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
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
        assert_eq!(safe("com1.txt"), "com1_.txt");
        assert_eq!(safe(""), "_");
        assert_eq!(safe("a. "), "a");
        assert_eq!(safe(&"长".repeat(100)).chars().count(), MAX_CHARS);
    }

    /// Every name Windows keeps for a device, as Microsoft lists them: the superscript ports and
    /// the console's own names too, in any case, before an extension or spaces.
    #[test]
    fn every_name_windows_reserves_gets_a_mark() {
        for id in [
            "COM¹",
            "com²",
            "LPT³",
            "lpt¹.txt",
            "COM0",
            "LPT0",
            "CONIN$",
            "conin$",
            "CONOUT$",
            "conout$.log",
            "NUL .txt",
            "aux .",
            "Con",
        ] {
            let name = safe(id);
            assert!(
                name.split('.')
                    .next()
                    .is_some_and(|stem| stem.ends_with('_')),
                "{id} → {name}"
            );
        }
        assert_eq!(safe("COM¹"), "COM¹_");
        assert_eq!(safe("CONOUT$"), "CONOUT$_");
        assert_eq!(safe("NUL .txt"), "NUL _.txt");
        assert_eq!(safe("lpt9.json"), "lpt9_.json");
        // Not devices: a port of two digits, another superscript, a longer name.
        for id in [
            "COM10", "COM⁴", "LPT", "CONSOLE", "CONIN", "区COM1", "COM1甲",
        ] {
            assert_eq!(safe(id), id);
        }
    }

    /// A name cannot be shown in another order than its own.
    #[test]
    fn marks_of_direction_are_replaced() {
        assert_eq!(safe("\u{202e}evil"), "_evil");
        assert_eq!(safe("a\u{2066}b\u{200f}c"), "a_b_c");
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
