//! User input quoted back in a diagnostic: never longer than [`MAX_ECHO`] characters (a
//! 1 MB name gave 5.5 MB of stderr), never invisible (a zero-width space or a right-to-left
//! override is written `\u{200B}`, `\u{202E}`), and, when a "did you mean" suggests a name
//! that looks the same, with the character that differs named (`U+0435 CYRILLIC SMALL LETTER
//! IE`). Every diagnostic goes through [`crate::diagnostics`], which applies [`bound`] to its
//! message, labels and help, so no stage can forget it.

/// The most characters of input a diagnostic quotes; longer input is cut with `…`.
pub const MAX_ECHO: usize = 200;

/// `s` as a diagnostic quotes it: invisible and control characters escaped, cut to
/// [`MAX_ECHO`] characters with `…`.
pub fn echo(s: &str) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n == MAX_ECHO {
            out.push('…');
            break;
        }
        push_visible(&mut out, c);
    }
    out
}

fn push_visible(out: &mut String, c: char) {
    if is_invisible(c) || (c.is_control() && c != '\n' && c != '\t') {
        out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// The most characters of a line of a diagnostic outside quotes (our own words are far
/// shorter; input that is not quoted, such as a TOML parser's message, is cut here).
const MAX_LINE: usize = 1_000;

/// A whole message, label or help made safe to print: input quoted in it (between backticks,
/// straight or curly double quotes) is cut to [`MAX_ECHO`] characters with `…`, any line to
/// `MAX_LINE`, and invisible characters are escaped.
pub fn bound(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * MAX_LINE));
    let mut run = 0usize;
    let mut cut = false;
    let mut quoted = false;
    for c in text.chars() {
        let toggles = match c {
            '`' | '"' => Some(!quoted),
            '“' => Some(true),
            '”' => Some(false),
            '\n' => Some(false),
            _ => None,
        };
        if let Some(q) = toggles {
            quoted = q;
            run = 0;
            cut = false;
            out.push(c);
            continue;
        }
        if cut {
            continue;
        }
        if run == if quoted { MAX_ECHO } else { MAX_LINE } {
            out.push('…');
            cut = true;
            continue;
        }
        run += 1;
        push_visible(&mut out, c);
    }
    out
}

/// A line of someone else's message (clap's usage errors) kept short: a line longer than twice
/// [`MAX_ECHO`] characters keeps its start and its last 40 characters around a `…`.
pub fn cut_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(8 * MAX_ECHO));
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let n = line.chars().count();
        if n <= 2 * MAX_ECHO {
            out.push_str(line);
        } else {
            out.extend(line.chars().take(MAX_ECHO));
            out.push('…');
            out.extend(line.chars().skip(n - 40));
        }
    }
    out
}

/// Characters that show nothing, or reorder what is shown, yet make a name different.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// The Unicode name of a character this module can tell apart: ASCII and full-width letters
/// and digits, the invisible characters, and the Cyrillic and Greek letters that look like
/// Latin ones. `None` for the rest (they are shown by code point only).
pub fn char_name(c: char) -> Option<String> {
    let table: &[(char, &str)] = &[
        ('\u{00AD}', "SOFT HYPHEN"),
        ('\u{034F}', "COMBINING GRAPHEME JOINER"),
        ('\u{061C}', "ARABIC LETTER MARK"),
        ('\u{180E}', "MONGOLIAN VOWEL SEPARATOR"),
        ('\u{200B}', "ZERO WIDTH SPACE"),
        ('\u{200C}', "ZERO WIDTH NON-JOINER"),
        ('\u{200D}', "ZERO WIDTH JOINER"),
        ('\u{200E}', "LEFT-TO-RIGHT MARK"),
        ('\u{200F}', "RIGHT-TO-LEFT MARK"),
        ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
        ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
        ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
        ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
        ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
        ('\u{2060}', "WORD JOINER"),
        ('\u{2061}', "FUNCTION APPLICATION"),
        ('\u{2062}', "INVISIBLE TIMES"),
        ('\u{2063}', "INVISIBLE SEPARATOR"),
        ('\u{2064}', "INVISIBLE PLUS"),
        ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
        ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
        ('\u{2068}', "FIRST STRONG ISOLATE"),
        ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
        ('\u{3000}', "IDEOGRAPHIC SPACE"),
        ('\u{3164}', "HANGUL FILLER"),
        ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE"),
        // Cyrillic and Greek letters drawn like Latin ones.
        ('\u{0430}', "CYRILLIC SMALL LETTER A"),
        ('\u{0435}', "CYRILLIC SMALL LETTER IE"),
        ('\u{043E}', "CYRILLIC SMALL LETTER O"),
        ('\u{0440}', "CYRILLIC SMALL LETTER ER"),
        ('\u{0441}', "CYRILLIC SMALL LETTER ES"),
        ('\u{0443}', "CYRILLIC SMALL LETTER U"),
        ('\u{0445}', "CYRILLIC SMALL LETTER HA"),
        ('\u{0455}', "CYRILLIC SMALL LETTER DZE"),
        ('\u{0456}', "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"),
        ('\u{0458}', "CYRILLIC SMALL LETTER JE"),
        ('\u{04BB}', "CYRILLIC SMALL LETTER SHHA"),
        ('\u{0501}', "CYRILLIC SMALL LETTER KOMI DE"),
        ('\u{051B}', "CYRILLIC SMALL LETTER QA"),
        ('\u{051D}', "CYRILLIC SMALL LETTER WE"),
        ('\u{0410}', "CYRILLIC CAPITAL LETTER A"),
        ('\u{0412}', "CYRILLIC CAPITAL LETTER VE"),
        ('\u{0415}', "CYRILLIC CAPITAL LETTER IE"),
        ('\u{041A}', "CYRILLIC CAPITAL LETTER KA"),
        ('\u{041C}', "CYRILLIC CAPITAL LETTER EM"),
        ('\u{041D}', "CYRILLIC CAPITAL LETTER EN"),
        ('\u{041E}', "CYRILLIC CAPITAL LETTER O"),
        ('\u{0420}', "CYRILLIC CAPITAL LETTER ER"),
        ('\u{0421}', "CYRILLIC CAPITAL LETTER ES"),
        ('\u{0422}', "CYRILLIC CAPITAL LETTER TE"),
        ('\u{0425}', "CYRILLIC CAPITAL LETTER HA"),
        ('\u{0405}', "CYRILLIC CAPITAL LETTER DZE"),
        (
            '\u{0406}',
            "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I",
        ),
        ('\u{0408}', "CYRILLIC CAPITAL LETTER JE"),
        ('\u{03B1}', "GREEK SMALL LETTER ALPHA"),
        ('\u{03BF}', "GREEK SMALL LETTER OMICRON"),
        ('\u{03BD}', "GREEK SMALL LETTER NU"),
        ('\u{03C1}', "GREEK SMALL LETTER RHO"),
        ('\u{0391}', "GREEK CAPITAL LETTER ALPHA"),
        ('\u{0392}', "GREEK CAPITAL LETTER BETA"),
        ('\u{0395}', "GREEK CAPITAL LETTER EPSILON"),
        ('\u{0397}', "GREEK CAPITAL LETTER ETA"),
        ('\u{0399}', "GREEK CAPITAL LETTER IOTA"),
        ('\u{039A}', "GREEK CAPITAL LETTER KAPPA"),
        ('\u{039C}', "GREEK CAPITAL LETTER MU"),
        ('\u{039D}', "GREEK CAPITAL LETTER NU"),
        ('\u{039F}', "GREEK CAPITAL LETTER OMICRON"),
        ('\u{03A1}', "GREEK CAPITAL LETTER RHO"),
        ('\u{03A4}', "GREEK CAPITAL LETTER TAU"),
        ('\u{03A7}', "GREEK CAPITAL LETTER CHI"),
    ];
    if let Some((_, name)) = table.iter().find(|(k, _)| *k == c) {
        return Some((*name).to_string());
    }
    let ascii = |c: char, prefix: &str| -> Option<String> {
        Some(match c {
            'a'..='z' => format!("{prefix}LATIN SMALL LETTER {}", c.to_ascii_uppercase()),
            'A'..='Z' => format!("{prefix}LATIN CAPITAL LETTER {c}"),
            '0'..='9' => {
                const DIGITS: [&str; 10] = [
                    "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE",
                ];
                format!("{prefix}DIGIT {}", DIGITS[c as usize - '0' as usize])
            }
            ' ' => "SPACE".to_string(),
            _ => return None,
        })
    };
    if c.is_ascii() {
        return ascii(c, "");
    }
    // Full-width forms mirror ASCII (the ideographic space is not one of them).
    match crate::source::half_width(c) {
        Some(narrow) if c != '\u{3000}' => ascii(narrow, "FULLWIDTH "),
        _ => None,
    }
}

/// `U+0435 CYRILLIC SMALL LETTER IE`, or the code point alone for a character without a name
/// here.
pub fn describe(c: char) -> String {
    match char_name(c) {
        Some(name) => format!("U+{:04X} {name}", u32::from(c)),
        None => format!("U+{:04X}", u32::from(c)),
    }
}

/// "did you mean `预算`?", with the characters that tell the two apart named when the two
/// names would look alike on screen: one holds an invisible character, or they differ only
/// where one has a character another alphabet draws the same.
pub fn did_you_mean(written: &str, meant: &str) -> String {
    did_you_mean_in(written, meant, crate::report::Lang::En)
}

/// [`did_you_mean`] in both languages.
pub fn did_you_mean_both(written: &str, meant: &str) -> crate::diagnostics::Text {
    crate::diagnostics::Text::new(
        did_you_mean(written, meant),
        did_you_mean_in(written, meant, crate::report::Lang::Zh),
    )
}

/// [`did_you_mean`] in `lang`: "是不是要写 `预算`？".
pub fn did_you_mean_in(written: &str, meant: &str, lang: crate::report::Lang) -> String {
    use crate::report::Lang::{En, Zh};
    let shown = echo(meant);
    let mut out = match lang {
        En => format!("did you mean `{shown}`?"),
        Zh => format!("是不是要写 `{shown}`？"),
    };
    let a: Vec<char> = written.chars().collect();
    let b: Vec<char> = meant.chars().collect();
    // The characters between the common start and the common end.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (da, db) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let look_alike = |cs: &[char]| cs.iter().all(|&c| is_invisible(c) || is_confusable(c));
    let lone = |x: &[char], y: &[char]| {
        y.is_empty() && !x.is_empty() && x.iter().all(|&c| is_invisible(c))
    };
    let names = |cs: &[char], sep: &str| -> String {
        cs.iter()
            .map(|&c| describe(c))
            .collect::<Vec<_>>()
            .join(sep)
    };
    if lone(da, db) {
        out.push_str(&match lang {
            En => format!(
                " (the name written holds {}, which is invisible: delete it here)",
                names(da, ", ")
            ),
            Zh => format!(
                "（写的名称中有看不见的 {}：请在这里删去它）",
                names(da, "、")
            ),
        });
    } else if lone(db, da) {
        out.push_str(&match lang {
            En => format!(
                " (that name holds {}, which is invisible: delete it where that name is declared)",
                names(db, ", ")
            ),
            Zh => format!(
                "（那个名称中有看不见的 {}：请在声明那个名称的地方删去它）",
                names(db, "、")
            ),
        });
    } else if da.len() == db.len() && !da.is_empty() && (look_alike(da) || look_alike(db)) {
        let pairs: Vec<String> = da
            .iter()
            .zip(db)
            .map(|(&x, &y)| match lang {
                En => format!("{} where `{shown}` has {}", describe(x), describe(y)),
                Zh => format!("{}，而 `{shown}` 中是 {}", describe(x), describe(y)),
            })
            .collect();
        out.push_str(&match lang {
            En => format!(
                " (they look alike: the name written has {}; retype one of the two so that both have the same letters)",
                pairs.join(", ")
            ),
            Zh => format!(
                "（两者看起来一样：写的名称中是 {}；请重新输入其中一个，使两者的字完全相同）",
                pairs.join("；")
            ),
        });
    }
    out
}

/// A letter of another alphabet drawn like a Latin letter or digit, or a full-width form.
fn is_confusable(c: char) -> bool {
    !c.is_ascii() && !is_invisible(c) && char_name(c).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_cuts_long_input_and_shows_the_invisible() {
        let long = "预".repeat(1_000_000);
        let shown = echo(&long);
        assert_eq!(shown.chars().count(), MAX_ECHO + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(echo("a\u{200B}b\u{202E}c"), "a\\u{200B}b\\u{202E}c");
        assert_eq!(echo("预算"), "预算");
    }

    #[test]
    fn bound_cuts_each_quoted_run() {
        let msg = format!("unknown name `{}`", "x".repeat(5000));
        let b = bound(&msg);
        assert_eq!(b, format!("unknown name `{}…`", "x".repeat(MAX_ECHO)));
        assert_eq!(bound("did you mean `预算`?"), "did you mean `预算`?");
        // Words of our own outside quotes are far shorter than the line limit.
        let help = "a".repeat(600);
        assert_eq!(bound(&help), help);
        assert!(bound(&"a".repeat(5000)).chars().count() <= MAX_LINE + 1);
        let clap = format!(
            "error: invalid value '{}' for '--format <FORMAT>'\n",
            "x".repeat(100_000)
        );
        let cut = cut_lines(&clap);
        assert!(
            cut.len() < 300 && cut.ends_with("for '--format <FORMAT>'\n"),
            "{cut}"
        );
    }

    #[test]
    fn look_alikes_are_named() {
        assert_eq!(
            did_you_mean("budget", "budg\u{0435}t"),
            "did you mean `budg\u{0435}t`? (they look alike: the name written has U+0065 LATIN SMALL LETTER E where `budg\u{0435}t` has U+0435 CYRILLIC SMALL LETTER IE; retype one of the two so that both have the same letters)"
        );
        assert_eq!(
            did_you_mean("预\u{200B}算", "预算"),
            "did you mean `预算`? (the name written holds U+200B ZERO WIDTH SPACE, which is invisible: delete it here)"
        );
        assert_eq!(did_you_mean("预算数", "预算"), "did you mean `预算`?");
        assert_eq!(describe('Ａ'), "U+FF21 FULLWIDTH LATIN CAPITAL LETTER A");
    }
}
